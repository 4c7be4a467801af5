#!/usr/bin/env bash
# Runs examples/c/embed (the C API, linked against libwasmstream.so) end to
# end on data: URLs (fetched by the real fetch layer, checked by the
# compileStreaming controller, compiled, instantiated).
set -uo pipefail
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
echo "$passes passed, $fails failed"
[[ $fails -eq 0 ]]
