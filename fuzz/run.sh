#!/usr/bin/env bash
# Builds the decoder/validator fuzzer (//fuzz:validate_fuzzer, with clang,
# libFuzzer, ASan and UBSan: bazel's --config=fuzz) and runs it. Seeds: the
# spec testsuite's modules converted by wast2json when $WASM_TESTSUITE_DIR
# (or ../shared/wasm-testsuite) is there.
#   fuzz/run.sh [SECONDS] [libFuzzer flags...]   default 300 s; output in fuzz/out/ (gitignored)
#   fuzz/run.sh 300 -fork=1 -ignore_crashes=1     keep going after a crash (reproducers: crash-*)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-300}"
shift || true
out=fuzz/out
mkdir -p "$out/corpus" "$out/seeds"

BAZEL="${BAZEL:-bazel}"
"$BAZEL" build --config=fuzz //fuzz:validate_fuzzer >&2
fuzzer="$("$BAZEL" info --config=fuzz bazel-bin 2>/dev/null)/fuzz/validate_fuzzer"

suite="${WASM_TESTSUITE_DIR:-$(cd .. && pwd)/shared/wasm-testsuite}"
if [[ -d "$suite/2.0" && -z "$(ls -A "$out/seeds")" ]]; then
  for w in "$suite"/2.0/*.wast; do
    wast2json "$w" -o "$out/seeds/$(basename "$w" .wast).json" >/dev/null 2>&1 || true
  done
  rm -f "$out/seeds"/*.json
fi
ASAN_OPTIONS=detect_leaks=1 "$fuzzer" "$out/corpus" "$out/seeds" \
  -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
  -artifact_prefix="$out/" "$@"
