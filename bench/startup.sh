#!/usr/bin/env bash
# The start cost of the wasmstream process (docs/startup.md): for each
# program, hyperfine -N over `--help`, a compile of a small module without the
# code cache, and a warm cache hit of a large module (--hit FILE; by default
# corpus/bench/esbuild.wasm, filled by tools/fetch-bench-modules; skipped
# without it); then the shared libraries it loads and the dynamic loader's
# own statistics. Give several programs (a copy made before a change, say) to
# compare them in one run.
#   bench/startup.sh [--runs N] [--hit FILE.wasm] [WASMSTREAM...]
#   (default program: //tools/wasmstream, built -c opt)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=300
esbuild="$PWD/corpus/bench/esbuild.wasm"
while [[ "${1:-}" == --* ]]; do
  case "$1" in
    --runs) runs="$2" ;;
    --hit) esbuild="$(realpath "$2")" ;;
    *) echo "usage: bench/startup.sh [--runs N] [--hit FILE.wasm] [WASMSTREAM...]" >&2; exit 2 ;;
  esac
  shift 2
done
programs=("$@")
if (( ${#programs[@]} == 0 )); then
  bazel build -c opt //tools/wasmstream >/dev/null 2>&1
  programs=("$(bazel info -c opt bazel-bin 2>/dev/null)/tools/wasmstream/wasmstream")
fi
command -v hyperfine >/dev/null || { echo "bench/startup.sh needs hyperfine (tools/setup installs it)" >&2; exit 1; }
small="$PWD/examples/js/simple.wasm"
tmp="$(mktemp -d "${TMPDIR:-/tmp}/wasmstream-startup.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

run_all() {  # run_all RUNS ARGS...: one hyperfine over every program with ARGS
  local n="$1"
  shift
  local cmds=()
  for p in "${programs[@]}"; do cmds+=("$p $*"); done
  hyperfine -N --style basic -w 10 -r "$n" "${cmds[@]}" 2>&1 | grep -E '^Benchmark|Time|Range'
}

run_all "$runs" --help
run_all "$runs" compile --json --no-cache "$small"
if [[ -f "$esbuild" ]]; then
  for i in "${!programs[@]}"; do
    "${programs[$i]}" compile --json --cache "$tmp/c$i.db" "$esbuild" >/dev/null
  done
  cmds=()
  for i in "${!programs[@]}"; do
    cmds+=("${programs[$i]} compile --json --cache $tmp/c$i.db $esbuild")
  done
  hyperfine -N --style basic -w 5 -r $((runs / 5)) "${cmds[@]}" 2>&1 | grep -E '^Benchmark|Time|Range'
else
  echo "no $esbuild (tools/fetch-bench-modules): warm hit skipped"
fi

for p in "${programs[@]}"; do
  echo "$p: $(ldd "$p" | grep -c '=>') shared libraries, $(readelf -d "$p" | grep -c NEEDED) direct"
  LD_DEBUG=statistics "$p" --help 2>&1 >/dev/null |
    grep -E 'total startup time|time needed|number of relocations' | sed 's/^ *[0-9]*:[[:space:]]*/  /'
done
