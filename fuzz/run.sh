#!/usr/bin/env bash
# Builds the decoder/validator fuzzer with clang (libFuzzer + ASan + UBSan) and
# runs it. Seeds: the spec testsuite's modules converted by wast2json when
# $WASM_TESTSUITE_DIR (or ../shared/wasm-testsuite) is there.
#   fuzz/run.sh [SECONDS] [libFuzzer flags...]   default 300 s; output in fuzz/out/ (gitignored)
#   fuzz/run.sh 300 -fork=1 -ignore_crashes=1     keep going after a crash (reproducers: crash-*)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-300}"
shift || true
out=fuzz/out
mkdir -p "$out/obj" "$out/corpus" "$out/seeds"

srcs=(
  wasm/features.cc wasm/types.cc wasm/opcodes.cc wasm/type_relations.cc
  wasm/function_body_decoder.cc wasm/body_dispatch.cc wasm/body_control.cc wasm/body_memory.cc
  wasm/body_reference.cc
  wasm/decoder.cc wasm/section_reader.cc wasm/module_decoder.cc
  wasm/sections_custom.cc wasm/sections_entities.cc wasm/sections_exports.cc
  wasm/sections_segments.cc wasm/sections_types.cc
  wasm/streaming_decoder.cc wasm/streaming_compiler.cc wasm/worker_pool.cc
  fuzz/validate_fuzzer.cc
)
flags=(-std=c++20 -O1 -g -I. -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined)
objs=()
# Any newer header rebuilds everything (a stale object would mismatch layouts).
newest_header="$(ls -t wasm/*.h | head -n 1)"
for s in "${srcs[@]}"; do
  o="$out/obj/$(echo "$s" | tr / _).o"
  if [[ ! -f "$o" || "$s" -nt "$o" || "$newest_header" -nt "$o" ]]; then
    clang++ "${flags[@]}" -c "$s" -o "$o" &
  fi
  objs+=("$o")
done
wait
clang++ "${flags[@]}" "${objs[@]}" -o "$out/validate_fuzzer" -pthread

suite="${WASM_TESTSUITE_DIR:-$(cd .. && pwd)/shared/wasm-testsuite}"
if [[ -d "$suite/2.0" && -z "$(ls -A "$out/seeds")" ]]; then
  for w in "$suite"/2.0/*.wast; do
    wast2json "$w" -o "$out/seeds/$(basename "$w" .wast).json" >/dev/null 2>&1 || true
  done
  rm -f "$out/seeds"/*.json
fi
ASAN_OPTIONS=detect_leaks=1 "$out/validate_fuzzer" "$out/corpus" "$out/seeds" \
  -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
  -artifact_prefix="$out/" "$@"
