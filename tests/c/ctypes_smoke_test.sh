#!/bin/sh
# Runs ctypes_smoke.py on the shared library and compares its output.
#   ctypes_smoke_test.sh EXPECTED SCRIPT LIBWASMSTREAM_SO ADD_WASM
# Under --config=asan the library needs the ASan runtime loaded first, and
# Python's own allocations are not this library's leaks.
expected="$1" script="$2" so="$3" wasm="$4"
dir="$(dirname "$0")"
if ldd "$so" | grep -q libasan; then
  LD_PRELOAD="$(gcc -print-file-name=libasan.so)"
  export LD_PRELOAD
  ASAN_OPTIONS=detect_leaks=0
  export ASAN_OPTIONS
fi
exec "$dir/run_and_compare.sh" "$expected" python3 "$script" "$so" "$wasm"
