#!/bin/sh
# Each misuse case must stop (debug) or fail with exit 3 (release), with the
# misuse named on stderr: misuse_test.sh PROGRAM
program="$1"
fails=0
check() {  # check CASE PATTERN
  err="$("$program" "$1" 2>&1 >/dev/null)"
  rc=$?
  if [ "$rc" -eq 0 ] || ! printf '%s' "$err" | grep -q "$2"; then
    echo "FAIL $1: exit $rc, stderr: $err"
    fails=$((fails + 1))
  else
    echo "PASS $1: $(printf '%s' "$err" | grep "$2")"
  fi
}
check immutable-global "misuse in wasm_global_set: the global is immutable"
check cross-store "misuse in wasm_val_t: a reference of another store"
check null-store "misuse in wasm_module_new: null argument"
[ "$fails" -eq 0 ]
