#!/usr/bin/env bash
# Builds the serialized-module loader's fuzzer (wasm/serialization/serializer_fuzzer.cc)
# with clang (libFuzzer + ASan + UBSan) and runs it, single process.
#   fuzz/serializer.sh [SECONDS] [libFuzzer flags...]   default 300 s; output in fuzz/out/serializer/
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-300}"
shift || true
out=fuzz/out/serializer
mkdir -p "$out/obj" "$out/corpus"

# Everything the loader, the compiler (the real entries are compiled at
# start-up) and the interpreter (accepted code is run) need.
srcs=(wasm/serialization/serializer_fuzzer.cc)
for s in wasm/*.cc wasm/runtime/*.cc wasm/serialization/*.cc; do
  case "$s" in
    *_test.cc | *_fuzzer.cc | *_stress_test.cc) ;;
    *) srcs+=("$s") ;;
  esac
done
flags=(-std=c++20 -O1 -g -I. -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined)
objs=()
# Any newer header rebuilds everything (a stale object would mismatch layouts).
newest_header="$(ls -t wasm/*.h wasm/runtime/*.h wasm/runtime/*.inc wasm/serialization/*.h | head -n 1)"
for s in "${srcs[@]}"; do
  o="$out/obj/$(echo "$s" | tr / _).o"
  if [[ ! -f "$o" || "$s" -nt "$o" || "$newest_header" -nt "$o" ]]; then
    clang++ "${flags[@]}" -c "$s" -o "$o"
  fi
  objs+=("$o")
done
clang++ "${flags[@]}" "${objs[@]}" -o "$out/serializer_fuzzer" -pthread -lzstd
"$out/serializer_fuzzer" -max_total_time="$seconds" -max_len=4096 -print_final_stats=1 "$@" "$out/corpus"
