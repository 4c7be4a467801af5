#!/bin/sh
# Serves add.wasm (application/wasm), add.bin (application/octet-stream) and
# garbage.wasm from a loopback HTTP server (Python's http.server, port 0),
# then runs the streaming test program against it.
#   streaming_test.sh EXPECTED PROGRAM ADD_WASM SIMD_WASM
expected="$1" program="$2" add="$3" simd="$4"
dir="$(dirname "$0")"
tmp="${TEST_TMPDIR:-$(mktemp -d)}"
mkdir -p "$tmp/www"
cp "$add" "$tmp/www/add.wasm"
cp "$add" "$tmp/www/add.bin"
printf 'this is not wasm' >"$tmp/www/garbage.wasm"
python3 -u -m http.server 0 --bind 127.0.0.1 --directory "$tmp/www" >"$tmp/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null' EXIT
port=""
for _ in $(seq 1 100); do
  port="$(sed -n 's/.* port \([0-9]*\) .*/\1/p' "$tmp/server.log" | head -n 1)"
  [ -n "$port" ] && break
  sleep 0.1
done
if [ -z "$port" ]; then
  echo "the test server did not start:" >&2
  cat "$tmp/server.log" >&2
  exit 1
fi
"$dir/run_and_compare.sh" "$expected" "$program" "http://127.0.0.1:$port/" "$tmp/cache.db" "$simd"
