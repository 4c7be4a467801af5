#!/usr/bin/env bash
# Bug: tables had no overall cap: a 6 KB module declaring 1000 tables of 10M
# elements aborted the process on allocation; past the Store's table budget it
# is now a RangeError at instantiation.
set -uo pipefail
source "$(dirname "$0")/../testing/cli_checks.sh" "$1"
python3 - "$tmp/tables.wasm" <<'PY'
import sys
body = bytes([0xe8, 0x07]) + bytes([0x70, 0x00, 0x80, 0xad, 0xe2, 0x04]) * 1000
open(sys.argv[1], 'wb').write(b'\0asm\x01\0\0\0\x04' + bytes([0xf2, 0x2e]) + body)
PY
# Under a 3 GiB address-space limit: the budget's gigabyte fits, the 80 GB the
# module asks for does not.
check ManyTables 1 bash -c "$(limit_as 3145728) exec \"\$0\" run --no-cache \"\$1\"" "$bin" "$tmp/tables.wasm" \
  && expect ManyTablesRangeError '^RangeError'
finish
