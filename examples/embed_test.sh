#!/usr/bin/env bash
# Runs an embed example end to end on data: URLs (fetched by the real fetch
# layer, checked by the compileStreaming controller, compiled, instantiated):
# examples/embed (C++) with --paths, examples/c/embed (the C API, linked
# against libwasmstream.so) without.
#   embed_test.sh [--paths] EMBED_BINARY
set -uo pipefail
paths=0
if [[ "$1" == "--paths" ]]; then paths=1; shift; fi
bin="$1"
fails=0
passes=0
# (module (import "env" "log" (func $log (param i32)))
#   (func (export "twice") (param i32) (result i32)
#     local.get 0 call $log local.get 0 local.get 0 i32.add)
#   (func (export "trap") unreachable))
module="AGFzbQEAAAABDQNgAX8AYAF/AX9gAAACCwEDZW52A2xvZwAAAwMCAQIHEAIFdHdpY2UAAQR0cmFwAAIKEQILACAAEAAgACAAagsDAAAL"
check() {  # check NAME WANT_RC PATTERN ARGS...
  local name="$1" want="$2" pattern="$3"; shift 3
  local out rc
  out="$("$bin" "$@" 2>&1)"; rc=$?
  if [[ $rc -ne $want ]] || ! grep -qE -- "$pattern" <<<"$out"; then
    echo "FAIL $name: exit $rc (want $want), output /$pattern/ wanted: $out"; fails=$((fails + 1))
  else
    passes=$((passes + 1))
  fi
}
check CallsExport 0 '^i32:42$' "data:application/wasm;base64,$module" twice 21
check CallsImport 0 '^log: 21$' "data:application/wasm;base64,$module" twice 21
check TrapIsRuntimeError 1 'RuntimeError: unreachable' "data:application/wasm;base64,$module" trap
check WrongMimeIsTypeError 1 'TypeError' "data:text/plain;base64,$module" twice 1
check MissingExport 1 'Error' "data:application/wasm;base64,$module" nope
check Usage 2 'usage' "data:application/wasm;base64,$module"
# A plain path, absolute or relative, is fetched as a file: URL (as the CLI does).
if [[ $paths -eq 1 ]]; then
  tmp="${TEST_TMPDIR:-$(mktemp -d)}"
  base64 -d <<<"$module" >"$tmp/m.wasm"
  check AbsolutePath 0 '^i32:42$' "$tmp/m.wasm" twice 21
  bin="$(readlink -f "$bin")"
  (cd "$tmp" && check RelativePath 0 '^i32:42$' m.wasm twice 21 && [[ $fails -eq 0 ]]) || fails=$((fails + 1))
fi
echo "$passes passed, $fails failed"
[[ $fails -eq 0 ]]
