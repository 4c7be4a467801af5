#!/usr/bin/env bash
# The code-cache benchmark (bench/cache_bench.cc) on the largest real modules
# at hand: the corpus (corpus/, filled by the module helper's script) if any,
# else two npm packages' modules (esbuild-wasm: ~14 MB Go build; sql.js:
# ~0.7 MB emscripten build) unpacked into a temporary directory.
#   bench/cache.sh [--runs N] [FILE.wasm...]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=()
if [[ "${1:-}" == "--runs" ]]; then runs=(--runs "$2"); shift 2; fi
files=("$@")
if (( ${#files[@]} == 0 )) && [[ -d corpus ]]; then
  mapfile -t files < <(find corpus -name '*.wasm' -size +1M -printf '%s %p\n' | sort -rn | head -n 5 | cut -d' ' -f2)
fi
if (( ${#files[@]} == 0 )); then
  tmp="${TMPDIR:-/tmp}/wasmstream-cache-bench-npm"
  mkdir -p "$tmp"
  for pkg in esbuild-wasm@0.28.2 sql.js@1.16.0; do
    name="${pkg%@*}"
    if [[ ! -d "$tmp/$name" ]]; then
      (cd "$tmp" && npm pack --silent "$pkg" >/dev/null && mkdir -p "$name" && tar -xzf "${name}"-*.tgz -C "$name")
    fi
  done
  files=("$tmp/esbuild-wasm/package/esbuild.wasm" "$tmp/sql.js/package/dist/sql-wasm.wasm")
fi
bazel build -c opt //bench:cache_bench >/dev/null
exec bazel-bin/bench/cache_bench "${runs[@]}" "${files[@]}"
