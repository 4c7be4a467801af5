#!/usr/bin/env bash
# Bug: cache stores still queued when `compile` exited were lost; every accepted
# store must be on disk when the command returns, one process after another
# and several at once.
set -uo pipefail
source "$(dirname "$0")/../testing/cli_checks.sh" "$1"
mkdir -p "$tmp/m"
for i in $(seq 1 28); do tiny_module "$i" "$tmp/m/$i.wasm"; done

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
finish
