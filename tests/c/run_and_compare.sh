#!/bin/sh
# Runs a C API test program (its arguments follow) and compares what it
# prints with the expected output: run_and_compare.sh EXPECTED PROGRAM ARGS...
expected="$1"
shift
out="${TEST_TMPDIR:-/tmp}/actual.$$"
"$@" >"$out"
status=$?
if [ "$status" -ne 0 ]; then
  echo "FAIL: $* exited with $status; it printed:" >&2
  cat "$out" >&2
  exit 1
fi
if ! diff -u "$expected" "$out"; then
  echo "FAIL: output differs from $expected" >&2
  exit 1
fi
echo "PASS: $(basename "$1")"
