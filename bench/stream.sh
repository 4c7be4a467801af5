#!/usr/bin/env bash
# compileStreaming vs download-then-compile of a 20 MB+ module served by
# Debian's nginx throttled with limit_rate to 100 and 1000 Mbit/s (and
# unthrottled), in the same run, eager and lazy (compile on first call).
# Prints one line per run and the medians.
#   bench/stream.sh [--module=PATH] [--runs=N]
# Default module: the largest .wasm of corpus/wasm if it is 20 MB or more,
# else bench/stream_make_module.py generates a 24 MB one (valid, many functions).
# Needs nginx (tools/setup --bench). BAZEL and BAZEL_STARTUP_OPTS are honoured.
set -euo pipefail
cd "$(dirname "$0")/.."
module="" runs=3
for a in "$@"; do
  case "$a" in
    --module=*) module="${a#--module=}" ;;
    --runs=*) runs="${a#--runs=}" ;;
    *) echo "usage: bench/stream.sh [--module=PATH] [--runs=N]" >&2; exit 2 ;;
  esac
done
nginx_bin="$(command -v nginx || echo /usr/sbin/nginx)"
[[ -x "$nginx_bin" ]] || { echo "bench/stream.sh: needs nginx (tools/setup --bench)" >&2; exit 1; }

work="$(mktemp -d /tmp/wasmstream-stream-bench.XXXXXX)"
chmod 755 "$work"
cleanup() { [[ -f "$work/nginx.pid" ]] && kill "$(cat "$work/nginx.pid")" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
mkdir -p "$work/www" "$work/tmp"

if [[ -z "$module" ]]; then
  largest="$(ls -S corpus/wasm/*.wasm 2>/dev/null | head -n1 || true)"
  if [[ -n "$largest" && $(stat -c %s "$largest") -ge 20000000 ]]; then
    module="$largest"
  else
    module="$work/big.wasm"
    python3 bench/stream_make_module.py "$module" 24
  fi
fi
cp "$module" "$work/www/m.wasm"
chmod 644 "$work/www/m.wasm"
size=$(stat -c %s "$work/www/m.wasm")
echo "module: $module ($size bytes)"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$work/nginx.conf" <<CONF
worker_processes 1;
daemon on;
pid $work/nginx.pid;
error_log $work/error.log;
events { worker_connections 64; }
http {
  types { application/wasm wasm; }
  default_type application/octet-stream;
  access_log off;
  sendfile on;
  client_body_temp_path $work/tmp; proxy_temp_path $work/tmp; fastcgi_temp_path $work/tmp;
  uwsgi_temp_path $work/tmp; scgi_temp_path $work/tmp;
  server {
    listen 127.0.0.1:$port;
    # 100 Mbit/s = 12,500,000 bytes/s; 1000 Mbit/s = 125,000,000 bytes/s
    location /100mbit/ { alias $work/www/; limit_rate 12500000; }
    location /1000mbit/ { alias $work/www/; limit_rate 125000000; }
    location /full/ { alias $work/www/; }
  }
}
CONF
user_opt=""
if [[ $(id -u) -eq 0 ]]; then user_opt="user root;"; fi
"$nginx_bin" -p "$work" -c "$work/nginx.conf" -g "$user_opt" 2>"$work/start.log" || {
  cat "$work/start.log" >&2; exit 1; }

BAZEL="${BAZEL:-bazel}"
# shellcheck disable=SC2086
"$BAZEL" ${BAZEL_STARTUP_OPTS:-} build -c opt //bench:stream_bench >&2
bin="$("$BAZEL" ${BAZEL_STARTUP_OPTS:-} info -c opt bazel-bin 2>/dev/null)/bench/stream_bench"
for rate in 100mbit 1000mbit full; do
  "$bin" --url="http://127.0.0.1:$port/$rate/m.wasm" --runs="$runs" --label="$rate"
  # Lazy compilation: validate while streaming, compile each function on first call.
  "$bin" --url="http://127.0.0.1:$port/$rate/m.wasm" --runs="$runs" --label="$rate lazy" --lazy
done
