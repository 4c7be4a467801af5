#!/usr/bin/env bash
# Bug: `compile --cache /dev/null` had SQLite create /dev/null-journal; a cache
# path that is not a regular file turns the cache off and creates nothing.
set -uo pipefail
source "$(dirname "$0")/../testing/cli_checks.sh" "$1"
tiny_module 4 "$tmp/m.wasm"
check DevNullCacheCompiles 0 "$bin" compile --cache /dev/null --cache-min-bytes 0 "$tmp/m.wasm" \
  && expect DevNullCacheWarns 'character device'
truth DevNullNothingBeside test ! -e /dev/null-journal -a ! -e /dev/null-wal -a -c /dev/null
finish
