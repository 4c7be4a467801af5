#!/usr/bin/env bash
# The wasmstream program against careless and hostile input, with real files
# and real processes: every accepted store is on disk when the command exits
# (one after another and several processes at once), `cache clear` deletes only
# a database it recognises as its own, the cache path must be a regular file or
# absent and owner-only, rows with absurd sizes are dropped, `validate` streams
# files and refuses what is not one, and anything with a scheme is a URL.
set -uo pipefail
bin="$1"
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
truth() {  # truth NAME COMMAND...  (the command must succeed)
  local name="$1"; shift
  if ! "$@"; then echo "FAIL $name: $*"; fails=$((fails + 1)); return 1; fi
  passes=$((passes + 1))
}

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

echo "$passes passed, $fails failed"
[[ $fails -eq 0 ]]
