#!/usr/bin/env bash
# The wasmstream program against careless and hostile input, with real files
# and real processes: every accepted store is on disk when the command exits
# (one after another and several processes at once), `cache clear` deletes only
# a database it recognises as its own, the cache path must be a regular file or
# absent and owner-only, rows with absurd sizes are dropped, `validate` streams
# files and refuses what is not one, and anything with a scheme is a URL.
set -uo pipefail
bin="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
tmp="${TEST_TMPDIR:-$(mktemp -d)}/hostile"
rm -rf "$tmp" && mkdir -p "$tmp" && chmod 700 "$tmp"
fails=0
passes=0
check() {  # check NAME EXPECTED_RC COMMAND... ; output in $out
  local name="$1" want="$2"; shift 2
  out="$("$@" 2>&1)"; local rc=$?
  if [[ $rc -ne $want ]]; then
    echo "FAIL $name: exit $rc, want $want; output: $out"; fails=$((fails + 1)); return 1
  fi
  passes=$((passes + 1))
}
expect() {  # expect NAME PATTERN  (grep -E on the last $out)
  if ! grep -qE -- "$2" <<<"$out"; then
    echo "FAIL $1: output lacks /$2/: $out"; fails=$((fails + 1)); return 1
  fi
  passes=$((passes + 1))
}
lacks() {  # lacks NAME PATTERN  (the last $out must not match)
  if grep -qE -- "$2" <<<"$out"; then
    echo "FAIL $1: output has /$2/: $out"; fails=$((fails + 1)); return 1
  fi
  passes=$((passes + 1))
}
truth() {  # truth NAME COMMAND...  (the command must succeed)
  local name="$1"; shift
  if ! "$@"; then echo "FAIL $name: $*"; fails=$((fails + 1)); return 1; fi
  passes=$((passes + 1))
}

# Runs SQL on a file through Python's sqlite3, as a person with a shell would.
sql() { python3 -c 'import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.executescript(sys.argv[2]); c.commit()' "$@"; }

# (module (func (export "f") (result i32) i32.const N)), N in 0..63: distinct modules.
module() {
  printf '\x00asm\x01\x00\x00\x00\x01\x05\x01\x60\x00\x01\x7f\x03\x02\x01\x00\x07\x05\x01\x01f\x00\x00\x0a\x06\x01\x04\x00\x41'"$(printf '\\x%02x' "$1")"'\x0b' >"$2"
}
mkdir -p "$tmp/m"
for i in $(seq 1 28); do module "$i" "$tmp/m/$i.wasm"; done

# --- Every accepted store is durable when `compile` exits. ---
db="$tmp/seq/c.db"
for i in $(seq 1 20); do
  check "SequentialCompile$i" 0 "$bin" compile --cache "$db" --cache-min-bytes 0 "$tmp/m/$i.wasm"
done
check SequentialStats 0 "$bin" cache --cache "$db" stats \
  && expect SequentialAllStored '^entries: 20$' && expect SequentialCounters 'misses 20, stores 20,'
check SequentialHit 0 "$bin" compile --cache "$db" --cache-min-bytes 0 --json "$tmp/m/7.wasm" \
  && expect SequentialHitIsHit '"cache": ?"hit"'
check SequentialHitCounted 0 "$bin" cache --cache "$db" stats && expect SequentialHitCount 'hits 1,'

db="$tmp/par/c.db"
pids=()
for i in $(seq 21 28); do
  "$bin" compile --cache "$db" --cache-min-bytes 0 "$tmp/m/$i.wasm" >"$tmp/par-$i.log" 2>&1 &
  pids+=($!)
done
for p in "${pids[@]}"; do
  wait "$p" || { echo "FAIL ParallelCompile: $(cat "$tmp"/par-*.log)"; fails=$((fails + 1)); }
done
check ParallelStats 0 "$bin" cache --cache "$db" stats \
  && expect ParallelAllStored '^entries: 8$' && expect ParallelCounters 'misses 8, stores 8,'

# --- One row with absurd sizes does not break the cache. ---
db="$tmp/seq/c.db"
sql "$db" 'update entries set payload_size = 9223372036854775807 where id = (select min(id) from entries)'
check DamagedRowStore 0 "$bin" compile --cache "$db" --cache-min-bytes 0 --json "$tmp/m/21.wasm" \
  && expect DamagedRowWarns 'dropped 1 entries with impossible sizes'
check DamagedRowStats 0 "$bin" cache --cache "$db" stats && expect DamagedRowEntries '^entries: 20$'
check DamagedRowEvict 0 "$bin" cache --cache "$db" evict --max-bytes 0 && expect DamagedRowEvicted '^evicted 20 entries; 0 entries'

# --- `cache clear` deletes only a database it recognises as its own. ---
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
check ClearOwnMake 0 "$bin" compile --cache "$c/own.db" --cache-min-bytes 0 "$tmp/m/1.wasm"
sql "$c/own.db" 'pragma user_version = 99'
printf '' >"$c/own.db-wal"; printf '' >"$c/own.db-shm"
check ClearOwnNewer 0 "$bin" cache --cache "$c/own.db" clear && expect ClearOwnDeleted '^deleted '
truth ClearOwnGone test ! -e "$c/own.db" -a ! -e "$c/own.db-wal" -a ! -e "$c/own.db-shm"
check ClearOwnUsable 0 "$bin" compile --cache "$c/own2.db" --cache-min-bytes 0 "$tmp/m/2.wasm"
check ClearOwnUsableClears 0 "$bin" cache --cache "$c/own2.db" clear && expect ClearOwnUsableSays '^cleared '
check ClearOwnUsableEmpty 0 "$bin" cache --cache "$c/own2.db" stats && expect ClearOwnUsableZero '^entries: 0$'

# --- The cache path: a regular file or absent; owner-only; loose modes refused. ---
p="$tmp/paths"; mkdir -p "$p"
check NewCacheCreated 0 "$bin" compile --cache "$p/new/sub/c.db" --cache-min-bytes 0 "$tmp/m/3.wasm"
truth NewCacheFileMode test "$(stat -c %a "$p/new/sub/c.db")" = 600
truth NewCacheDirMode test "$(stat -c %a "$p/new/sub")" = 700
truth NewCacheParentMode test "$(stat -c %a "$p/new")" = 700
for f in "$p/new/sub/c.db-wal" "$p/new/sub/c.db-shm"; do
  [[ -e "$f" ]] && truth "CompanionMode$(basename "$f")" test "$(stat -c %a "$f")" = 600
done
check FifoCacheCompiles 0 "$bin" compile --cache "$c/fifo" --cache-min-bytes 0 "$tmp/m/4.wasm" \
  && expect FifoCacheWarns 'is a FIFO, not a cache file'
truth FifoNothingBeside test ! -e "$c/fifo-journal" -a ! -e "$c/fifo-wal"
check DirCacheCompiles 0 "$bin" compile --cache "$c/emptydir" --cache-min-bytes 0 "$tmp/m/4.wasm" \
  && expect DirCacheWarns 'is a directory'
check DevNullCacheCompiles 0 "$bin" compile --cache /dev/null --cache-min-bytes 0 "$tmp/m/4.wasm" \
  && expect DevNullCacheWarns 'character device'
truth DevNullNothingBeside test ! -e /dev/null-journal -a ! -e /dev/null-wal -a -c /dev/null
check LooseFileMake 0 "$bin" compile --cache "$p/loose.db" --cache-min-bytes 0 "$tmp/m/5.wasm"
chmod 666 "$p/loose.db"
check LooseFileRefused 1 "$bin" cache --cache "$p/loose.db" stats && expect LooseFileSays 'too open'
check LooseFileStillCompiles 0 "$bin" compile --cache "$p/loose.db" --cache-min-bytes 0 --json "$tmp/m/5.wasm" \
  && expect LooseFileMiss '"cache": ?"miss"' && expect LooseFileWarns 'permissions 0666'
chmod 600 "$p/loose.db"
check TightFileHits 0 "$bin" compile --cache "$p/loose.db" --cache-min-bytes 0 --json "$tmp/m/5.wasm" \
  && expect TightFileHit '"cache": ?"hit"'
mkdir -p "$p/open" && chmod 777 "$p/open"
check LooseDirRefused 0 "$bin" compile --cache "$p/open/c.db" --cache-min-bytes 0 "$tmp/m/6.wasm" \
  && expect LooseDirSays 'directory .* too open'
truth LooseDirNothingMade test ! -e "$p/open/c.db"
mkdir -p "$p/sticky" && chmod 1777 "$p/sticky"
check StickyDirAccepted 0 "$bin" compile --cache "$p/sticky/c.db" --cache-min-bytes 0 --json "$tmp/m/6.wasm" \
  && expect StickyDirNoWarning '^\{"ok":true'
check StickyDirStored 0 "$bin" cache --cache "$p/sticky/c.db" stats && expect StickyDirEntry '^entries: 1$'

# --- validate streams files and refuses what is not one. ---
v="$tmp/validate"; mkdir -p "$v/dir"
check ValidateDirectory 1 "$bin" validate "$v/dir" && expect ValidateDirectorySays 'not a module file: is a directory'
check ValidateDevZero 1 "$bin" validate /dev/zero && expect ValidateDevZeroSays 'is a device'
mkfifo "$v/fifo"
check ValidateFifo 1 timeout 60 "$bin" validate "$v/fifo" && expect ValidateFifoSays 'is a FIFO'
check ValidateMissing 1 "$bin" validate "$v/none.wasm" && expect ValidateMissingSays 'cannot read file'
check ValidateJsonDirectory 1 "$bin" validate --json "$v/dir" && expect ValidateJsonDirectoryError '"error": ?"not a module file'
# Sparse files: no disk used. Without a sanitizer (which reserves terabytes of
# address space) they run under a 1 GiB address-space limit: the whole file is
# never read into memory.
truncate -s 2G "$v/huge.wasm"
truncate -s 600M "$v/zeros.wasm"
limit=""
[[ -z "${ASAN_OPTIONS:-}${TSAN_OPTIONS:-}" ]] && limit="ulimit -v 1048576;"
check ValidateHuge 1 bash -c "$limit exec \"\$0\" validate \"\$1\"" "$bin" "$v/huge.wasm" \
  && expect ValidateHugeSays 'module size exceeds internal limit of 1073741824 bytes'
check ValidateZeros 1 bash -c "$limit exec \"\$0\" validate \"\$1\"" "$bin" "$v/zeros.wasm" \
  && expect ValidateZerosSays 'magic header not detected @\+0'
check ValidateStillValid 0 "$bin" validate "$tmp/m/1.wasm" "$tmp/m/2.wasm" && expect ValidateStillValidSays 'valid'

# --- Anything with a scheme is a URL: fetch()'s TypeError, never a file path. ---
for u in 'ftp://127.0.0.1/x.wasm' 'gopher://127.0.0.1/x' 'javascript:alert(1)' 'blob:http://127.0.0.1/x'; do
  check "UrlScheme:$u" 1 "$bin" compile --no-cache "$u" && expect "UrlSchemeTypeError:$u" '^TypeError' \
    && lacks "UrlSchemeNotAFile:$u" 'file://' 
done
for u in 'http://' 'http://[::1' 'http://127.0.0.1:99999/x.wasm'; do
  check "UrlSyntax:$u" 1 "$bin" compile --no-cache "$u" && expect "UrlSyntaxTypeError:$u" '^TypeError' \
    && lacks "UrlSyntaxNotAFile:$u" 'file://' 
done
check UrlRunScheme 1 "$bin" run --no-cache 'ftp://127.0.0.1/x.wasm' --invoke f && expect UrlRunSchemeSays "^TypeError.*scheme 'ftp'"
# A relative path with a colon later in it is still a path.
mkdir -p "$tmp/colon" && cp "$tmp/m/9.wasm" "$tmp/colon/a:b.wasm"
check PathWithColon 0 bash -c 'cd "$1" && exec "$0" run --no-cache ./a:b.wasm --invoke f' "$bin" "$tmp/colon" \
  && expect PathWithColonResult '9'

# --- A 6 KB module declaring 1000 tables of 10M elements: a RangeError, not an
# abort (the Store's table budget). Under a 3 GiB address-space limit without a
# sanitizer: the budget's gigabyte fits, the 80 GB the module asks for does not.
python3 - "$tmp/tables.wasm" <<'PY'
import sys
body = bytes([0xe8, 0x07]) + bytes([0x70, 0x00, 0x80, 0xad, 0xe2, 0x04]) * 1000
open(sys.argv[1], 'wb').write(b'\0asm\x01\0\0\0\x04' + bytes([0xf2, 0x2e]) + body)
PY
limit=""
[[ -z "${ASAN_OPTIONS:-}${TSAN_OPTIONS:-}" ]] && limit="ulimit -v 3145728;"
check ManyTables 1 bash -c "$limit exec \"\$0\" run --no-cache \"\$1\"" "$bin" "$tmp/tables.wasm" \
  && expect ManyTablesRangeError '^RangeError'

echo "$passes passed, $fails failed"
[[ $fails -eq 0 ]]
