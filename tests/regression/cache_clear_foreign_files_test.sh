#!/usr/bin/env bash
# Bug: `wasmstream cache clear` deleted whatever file --cache named, another
# program's database and its -wal/-shm included; it must delete only a
# database it recognises as its own.
set -uo pipefail
source "$(dirname "$0")/../testing/cli_checks.sh" "$1"
c="$tmp/clear"; mkdir -p "$c"
sql "$c/foreign.db" 'create table t(x)'
printf 'wal' >"$c/foreign.db-wal"; printf 'shm' >"$c/foreign.db-shm"
check ClearForeignRefused 1 "$bin" cache --cache "$c/foreign.db" clear \
  && expect ClearForeignSays 'not a wasmstream cache database' && expect ClearForeignHowTo 'rm -- '
truth ClearForeignKept test -f "$c/foreign.db" -a -f "$c/foreign.db-wal" -a -f "$c/foreign.db-shm"
printf 'my notes\n' >"$c/notes.txt"
check ClearTextRefused 1 "$bin" cache --cache "$c/notes.txt" clear && expect ClearTextSays 'left untouched'
truth ClearTextKept grep -q 'my notes' "$c/notes.txt"
mkdir -p "$c/emptydir"
check ClearDirectoryRefused 1 "$bin" cache --cache "$c/emptydir" clear && expect ClearDirectoryHowTo 'rm -r -- '
truth ClearDirectoryKept test -d "$c/emptydir"
mkfifo "$c/fifo"
check ClearFifoRefused 1 "$bin" cache --cache "$c/fifo" clear
truth ClearFifoKept test -p "$c/fifo"
# Our own database, from a newer schema (unusable): deleted, with its WAL/SHM.
tiny_module 1 "$tmp/1.wasm"; tiny_module 2 "$tmp/2.wasm"
check ClearOwnMake 0 "$bin" compile --cache "$c/own.db" --cache-min-bytes 0 "$tmp/1.wasm"
sql "$c/own.db" 'pragma user_version = 99'
printf '' >"$c/own.db-wal"; printf '' >"$c/own.db-shm"
check ClearOwnNewer 0 "$bin" cache --cache "$c/own.db" clear && expect ClearOwnDeleted '^deleted '
truth ClearOwnGone test ! -e "$c/own.db" -a ! -e "$c/own.db-wal" -a ! -e "$c/own.db-shm"
check ClearOwnUsable 0 "$bin" compile --cache "$c/own2.db" --cache-min-bytes 0 "$tmp/2.wasm"
check ClearOwnUsableClears 0 "$bin" cache --cache "$c/own2.db" clear && expect ClearOwnUsableSays '^cleared '
check ClearOwnUsableEmpty 0 "$bin" cache --cache "$c/own2.db" stats && expect ClearOwnUsableZero '^entries: 0$'
finish
