#!/usr/bin/env bash
# Validation throughput on the largest corpus modules (tools/fetch-corpus):
# wasmstream on 1 thread and on all threads, V8 (node) `new WebAssembly.Module`
# in its default mode (lazy compilation: bodies validated up front, compiled
# on first call) and eager (--no-wasm-lazy-compilation), WebAssembly.validate,
# and wabt's wasm-validate, all in the same run.
#   bench/validate.sh [N_LARGEST=5] [RUNS=5]
# BAZEL and BAZEL_STARTUP_OPTS (e.g. --output_base=...) are honoured.
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-5}"
runs="${2:-5}"
tools/fetch-corpus
mapfile -t files < <(ls -S corpus/wasm/*.wasm | head -n "$n")
BAZEL="${BAZEL:-bazel}"
# shellcheck disable=SC2086
"$BAZEL" ${BAZEL_STARTUP_OPTS:-} build -c opt //bench:validate_bench >&2
# shellcheck disable=SC2086
bin="$("$BAZEL" ${BAZEL_STARTUP_OPTS:-} info -c opt bazel-bin 2>/dev/null)/bench/validate_bench"

echo "== wasmstream (best of $runs)"
"$bin" --runs "$runs" "${files[@]}"

echo "== V8 $(node --version): MB/s  new WebAssembly.Module (default lazy) / WebAssembly.validate / validate by CPU time"
RUNS="$runs" node bench/validate_node.js "${files[@]}"
echo "== V8 eager (--no-wasm-lazy-compilation): new WebAssembly.Module / validate / validate CPU"
RUNS="$runs" node --no-wasm-lazy-compilation bench/validate_node.js "${files[@]}"
echo "== V8 single-threaded (--single-threaded): new WebAssembly.Module / validate / validate CPU"
RUNS="$runs" node --single-threaded bench/validate_node.js "${files[@]}"

echo "== wabt wasm-validate (one process per file, best of $runs)"
for f in "${files[@]}"; do
  best=""
  for ((i = 0; i < runs; i++)); do
    t0=$(date +%s%N)
    wasm-validate --enable-all "$f" >/dev/null 2>&1 || true
    t=$(( $(date +%s%N) - t0 ))
    if [[ -z "$best" || $t -lt $best ]]; then best=$t; fi
  done
  size=$(stat -c %s "$f")
  awk -v s="$size" -v t="$best" -v f="$(basename "$f")" 'BEGIN { printf "%s\t%.1f MB/s\n", f, s / 1e6 / (t / 1e9) }'
done
