#!/usr/bin/env bash
# Builds the serialized-module loader's fuzzer (//fuzz:serializer_fuzzer, from
# wasm/serialization/serializer_fuzzer.cc, with clang, libFuzzer, ASan and UBSan: bazel's
# --config=fuzz) and runs it, single process.
#   fuzz/serializer.sh [SECONDS] [libFuzzer flags...]   default 300 s; output in fuzz/out/serializer/
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-300}"
shift || true
out=fuzz/out/serializer
mkdir -p "$out/corpus"

BAZEL="${BAZEL:-bazel}"
"$BAZEL" build --config=fuzz //fuzz:serializer_fuzzer >&2
fuzzer="$("$BAZEL" info --config=fuzz bazel-bin 2>/dev/null)/fuzz/serializer_fuzzer"
"$fuzzer" -max_total_time="$seconds" -max_len=4096 -print_final_stats=1 "$@" "$out/corpus"
