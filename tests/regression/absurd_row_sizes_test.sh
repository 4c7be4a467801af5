#!/usr/bin/env bash
# Bug: one cache row with an absurd size (payload_size = 2^63 - 1) made every
# sum overflow and broke stats, stores and eviction for the whole cache.
set -uo pipefail
source "$(dirname "$0")/../testing/cli_checks.sh" "$1"
db="$tmp/c.db"
for i in 1 2 3; do
  tiny_module "$i" "$tmp/$i.wasm"
  check "Store$i" 0 "$bin" compile --cache "$db" --cache-min-bytes 0 "$tmp/$i.wasm"
done
sql "$db" 'update entries set payload_size = 9223372036854775807 where id = (select min(id) from entries)'
tiny_module 4 "$tmp/4.wasm"
check DamagedRowStore 0 "$bin" compile --cache "$db" --cache-min-bytes 0 --json "$tmp/4.wasm" \
  && expect DamagedRowWarns 'dropped 1 entries with impossible sizes'
check DamagedRowStats 0 "$bin" cache --cache "$db" stats && expect DamagedRowEntries '^entries: 3$'
check DamagedRowEvict 0 "$bin" cache --cache "$db" evict --max-bytes 0 && expect DamagedRowEvicted '^evicted 3 entries; 0 entries'
finish
