#!/usr/bin/env bash
# Bug: `validate` read each whole file into memory first: a directory aborted
# the program, /dev/zero never ended, a huge file exhausted memory. It now
# streams regular files only and stops at the first error.
set -uo pipefail
source "$(dirname "$0")/../testing/cli_checks.sh" "$1"
v="$tmp/validate"; mkdir -p "$v/dir"
check ValidateDirectory 1 "$bin" validate "$v/dir" && expect ValidateDirectorySays 'not a module file: is a directory'
check ValidateJsonDirectory 1 "$bin" validate --json "$v/dir" && expect ValidateJsonDirectoryError '"error": ?"not a module file'
check ValidateDevZero 1 "$bin" validate /dev/zero && expect ValidateDevZeroSays 'is a device'
mkfifo "$v/fifo"
check ValidateFifo 1 timeout 60 "$bin" validate "$v/fifo" && expect ValidateFifoSays 'is a FIFO'
# Sparse files use no disk; under a 1 GiB address-space limit the whole file
# is never read into memory.
truncate -s 2G "$v/huge.wasm"
truncate -s 600M "$v/zeros.wasm"
check ValidateHuge 1 bash -c "$(limit_as 1048576) exec \"\$0\" validate \"\$1\"" "$bin" "$v/huge.wasm" \
  && expect ValidateHugeSays 'module size exceeds internal limit of 1073741824 bytes'
check ValidateZeros 1 bash -c "$(limit_as 1048576) exec \"\$0\" validate \"\$1\"" "$bin" "$v/zeros.wasm" \
  && expect ValidateZerosSays 'magic header not detected @\+0'
finish
