#!/usr/bin/env bash
# Builds a decoder/validator fuzzer (//fuzz:<name>_fuzzer, with clang,
# libFuzzer, ASan and UBSan: bazel's --config=fuzz) and runs it. Seeds: the
# spec testsuite's modules converted by wast2json when $WASM_TESTSUITE_DIR
# (or ../shared/wasm-testsuite) is there.
#   fuzz/run.sh [SECONDS] [libFuzzer flags...]   default 300 s; output in fuzz/out/ (gitignored)
#   fuzz/run.sh 300 -fork=1 -ignore_crashes=1     keep going after a crash (reproducers: crash-*)
# FUZZER picks the target: validate (default, fuzz/validate_fuzzer.cc) or
# streaming_split (fuzz/streaming_split_fuzzer.cc: cuts chosen by the input;
# its seeds are the testsuite's modules behind a small cut header).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-300}"
shift || true
name="${FUZZER:-validate}"
case "$name" in
  validate) out=fuzz/out ;;
  streaming_split) out=fuzz/out/streaming_split ;;
  *) echo "unknown FUZZER=$name" >&2; exit 2 ;;
esac
mkdir -p "$out/corpus" "$out/seeds"

BAZEL="${BAZEL:-bazel}"
"$BAZEL" build --config=fuzz "//fuzz:${name}_fuzzer" >&2
fuzzer="$("$BAZEL" info --config=fuzz bazel-bin 2>/dev/null)/fuzz/${name}_fuzzer"

suite="${WASM_TESTSUITE_DIR:-$(cd .. && pwd)/shared/wasm-testsuite}"
if [[ -d "$suite/2.0" && -z "$(ls -A "$out/seeds")" ]]; then
  for w in "$suite"/2.0/*.wast; do
    wast2json "$w" -o "$out/seeds/$(basename "$w" .wast).json" >/dev/null 2>&1 || true
  done
  rm -f "$out/seeds"/*.json
  if [[ "$name" == streaming_split ]]; then
    # Each module twice: uncut, and cut after 1, 8 and 9 bytes (mid preamble,
    # right after it, inside the first section header).
    for m in "$out/seeds"/*.wasm; do
      { printf '\x00'; cat "$m"; } > "$m.0"
      { printf '\x03\x01\x00\x07\x00\x01\x00'; cat "$m"; } > "$m.3"
      rm "$m"
    done
  fi
fi
ASAN_OPTIONS=detect_leaks=1 "$fuzzer" "$out/corpus" "$out/seeds" \
  -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
  -artifact_prefix="$out/" "$@"
