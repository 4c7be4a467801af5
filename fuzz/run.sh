#!/usr/bin/env bash
# Builds a decoder/validator fuzzer with clang (libFuzzer + ASan + UBSan) and
# runs it. Seeds: the spec testsuite's modules converted by wast2json when
# $WASM_TESTSUITE_DIR (or ../shared/wasm-testsuite) is there.
#   fuzz/run.sh [SECONDS] [libFuzzer flags...]   default 300 s; output in fuzz/out/ (gitignored)
#   fuzz/run.sh 300 -fork=1 -ignore_crashes=1     keep going after a crash (reproducers: crash-*)
# FUZZER picks the target: validate (default, fuzz/validate_fuzzer.cc) or
# streaming_split (fuzz/streaming_split_fuzzer.cc: cuts chosen by the input;
# its seeds are the testsuite's modules behind a small cut header).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-300}"
shift || true
fuzzer="${FUZZER:-validate}"
case "$fuzzer" in
  validate) out=fuzz/out ;;
  streaming_split) out=fuzz/out/streaming_split ;;
  *) echo "unknown FUZZER=$fuzzer" >&2; exit 2 ;;
esac
mkdir -p "$out/obj" "$out/corpus" "$out/seeds"

srcs=(
  wasm/features.cc wasm/types.cc wasm/opcodes.cc wasm/type_relations.cc
  wasm/function_body_decoder.cc wasm/body_dispatch.cc wasm/body_control.cc wasm/body_memory.cc
  wasm/body_reference.cc
  wasm/decoder.cc wasm/section_reader.cc wasm/module_decoder.cc
  wasm/sections_custom.cc wasm/sections_entities.cc wasm/sections_exports.cc
  wasm/sections_segments.cc wasm/sections_types.cc
  wasm/streaming_decoder.cc wasm/streaming_compiler.cc wasm/worker_pool.cc wasm/wire_bytes.cc
  "fuzz/${fuzzer}_fuzzer.cc"
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
clang++ "${flags[@]}" "${objs[@]}" -o "$out/${fuzzer}_fuzzer" -pthread

suite="${WASM_TESTSUITE_DIR:-$(cd .. && pwd)/shared/wasm-testsuite}"
if [[ -d "$suite/2.0" && -z "$(ls -A "$out/seeds")" ]]; then
  for w in "$suite"/2.0/*.wast; do
    wast2json "$w" -o "$out/seeds/$(basename "$w" .wast).json" >/dev/null 2>&1 || true
  done
  rm -f "$out/seeds"/*.json
  if [[ "$fuzzer" == streaming_split ]]; then
    # Each module twice: uncut, and cut after 1, 8 and 9 bytes (mid preamble,
    # right after it, inside the first section header).
    for m in "$out/seeds"/*.wasm; do
      { printf '\x00'; cat "$m"; } > "$m.0"
      { printf '\x03\x01\x00\x07\x00\x01\x00'; cat "$m"; } > "$m.3"
      rm "$m"
    done
  fi
fi
ASAN_OPTIONS=detect_leaks=1 "$out/${fuzzer}_fuzzer" "$out/corpus" "$out/seeds" \
  -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
  -artifact_prefix="$out/" "$@"
