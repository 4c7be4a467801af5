#!/usr/bin/env bash
# The wasmstream program against a careless or hostile cache path, with real
# files and real processes: the path must be a regular file or absent and
# owner-only; loose modes are refused (the cache is off, the compile goes on).
# The defects found here each have their test in tests/regression/.
set -uo pipefail
source "$(dirname "$0")/testing/cli_checks.sh" "$1"
mkdir -p "$tmp/m"
for i in 3 4 5 6; do tiny_module "$i" "$tmp/m/$i.wasm"; done
c="$tmp/clear"; mkdir -p "$c/emptydir"; mkfifo "$c/fifo"

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

# A file that is not there: a clear error, not a crash.
check ValidateMissing 1 "$bin" validate "$tmp/none.wasm" && expect ValidateMissingSays 'cannot read file'
finish
