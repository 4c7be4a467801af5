#!/usr/bin/env bash
# The code cache end to end through the program: `wasmstream compile --json`
# of a real module (C compiled to wasm32 by clang) over a loopback HTTP server,
# with a real cache file. First run: a miss that stores. Second: a hit. The
# same bytes sent with Content-Encoding: gzip: a hit (the key is the decoded
# bytes). The entry's bytes overwritten in the middle of the file: a miss
# with a warning, exit 0 and a correct module; then a hit again. Then
# --cache-write-back on run and compile.
#   cli_cache_test.sh WASMSTREAM MODULE.wasm
set -uo pipefail
bin="$1"
module="$2"
tmp="${TEST_TMPDIR:-$(mktemp -d)}"
fails=0
passes=0
check() {  # check NAME EXPECTED_RC COMMAND... ; stdout in $out, stderr in $err
  local name="$1" want="$2"; shift 2
  out="$("$@" 2>"$tmp/stderr")"; local rc=$?
  err="$(cat "$tmp/stderr")"
  if [[ $rc -ne $want ]]; then
    echo "FAIL $name: exit $rc, want $want; stdout: $out; stderr: $err"; fails=$((fails + 1)); return 1
  fi
  passes=$((passes + 1))
}
expect() {  # expect NAME PATTERN TEXT  (grep -E)
  if ! grep -qE -- "$2" <<<"$3"; then
    echo "FAIL $1: lacks /$2/: $3"; fails=$((fails + 1)); return 1
  fi
  passes=$((passes + 1))
}
expect_not() {  # expect_not NAME PATTERN TEXT
  if grep -qE -- "$2" <<<"$3"; then
    echo "FAIL $1: has /$2/: $3"; fails=$((fails + 1)); return 1
  fi
  passes=$((passes + 1))
}

# The server: /m.wasm as is, /m.gz.wasm the same bytes gzip-coded.
mkdir -p "$tmp/www"
cp "$module" "$tmp/www/m.wasm"
cat >"$tmp/server.py" <<'PY'
import gzip, http.server, sys
root = sys.argv[1]
body = open(root + "/m.wasm", "rb").read()
coded = gzip.compress(body)
class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        data, extra = (coded, [("Content-Encoding", "gzip")]) if self.path == "/m.gz.wasm" else (body, [])
        if self.path not in ("/m.wasm", "/m.gz.wasm"):
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/wasm")
        for k, v in extra:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
    def log_message(self, *args):
        pass
server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
print("port", server.server_address[1], flush=True)
server.serve_forever()
PY
python3 -u "$tmp/server.py" "$tmp/www" >"$tmp/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null' EXIT
port=""
for _ in $(seq 100); do
  port="$(grep -oE '^port [0-9]+' "$tmp/server.log" | cut -d' ' -f2)"
  [[ -n "$port" ]] && break
  sleep 0.1
done
if [[ -z "$port" ]]; then
  echo "FAIL Server: did not start: $(cat "$tmp/server.log")"
  echo "0 passed, 1 failed"
  exit 1
fi
url="http://127.0.0.1:$port/m.wasm"
gz_url="http://127.0.0.1:$port/m.gz.wasm"
db="$tmp/cache/cache.db"
rm -rf "$tmp/cache"
# The module is small: the SQLite tier takes every size here.
cache=(--cache "$db" --cache-min-bytes 0)
exports='"crc_of_counting".*"median_of_random"|"median_of_random".*"crc_of_counting"'

check FirstRun 0 "$bin" compile --json "${cache[@]}" "$url" \
  && expect FirstRunOk '"ok": ?true' "$out" && expect FirstRunMiss '"cache": ?"miss"' "$out" \
  && expect FirstRunExports "$exports" "$out" && expect_not FirstRunQuiet 'warning|rejected' "$err"
[[ -f "$db" ]] || { echo "FAIL FirstRunStored: no cache file at $db"; fails=$((fails + 1)); }

check SecondRun 0 "$bin" compile --json "${cache[@]}" "$url" \
  && expect SecondRunHit '"cache": ?"hit"' "$out" && expect SecondRunExports "$exports" "$out"

# The coded Content-Length is not the module's size: the prefix alone
# predicts the entry, which is then read while the body streams.
check GzipRun 0 "$bin" compile --json "${cache[@]}" "$gz_url" \
  && expect GzipRunHit '"cache": ?"hit"' "$out" && expect GzipRunExports "$exports" "$out" \
  && expect GzipRunPredicted '"cache_detail": ?"[^"]*prefix matched; hit: sqlite, read while streaming"' "$out"

check RunHit 0 "$bin" run "${cache[@]}" "$url" --invoke crc_of_counting 1000 \
  && expect RunHitResult '^(i32:)?1961098049$' "$out"

# Overwrites 16 bytes in the middle of the entry's payload where it lies in
# the database file (the program checkpointed and removed its WAL on exit).
corrupt() {
  python3 - "$db" <<'PY'
import sqlite3, sys
path = sys.argv[1]
con = sqlite3.connect("file:" + path + "?mode=ro", uri=True)
payloads = [bytes(r[0]) for r in con.execute("SELECT payload FROM blobs")]
con.close()
assert len(payloads) == 1, "want one entry, found %d" % len(payloads)
data = bytearray(open(path, "rb").read())
at = data.find(payloads[0])
assert at >= 0, "payload not found in the file"
mid = at + len(payloads[0]) // 2
data[mid:mid + 16] = bytes(b ^ 0xA5 for b in data[mid:mid + 16])
open(path, "r+b").write(bytes(data))
print("overwrote 16 bytes at", mid, "of", len(data))
PY
}
check Corrupt 0 corrupt
check CorruptedRun 0 "$bin" compile --json "${cache[@]}" "$url" \
  && expect CorruptedRunOk '"ok": ?true' "$out" && expect CorruptedRunMiss '"cache": ?"miss"' "$out" \
  && expect CorruptedRunExports "$exports" "$out" && expect CorruptedRunWarns 'rejected entry' "$err"
# The miss stored the module again.
check AfterCorruption 0 "$bin" compile --json "${cache[@]}" "$url" \
  && expect AfterCorruptionHit '"cache": ?"hit"' "$out"
# A corrupted entry under `run`: the same miss, and the right answer.
check CorruptAgain 0 corrupt
check CorruptedRunInvoke 0 "$bin" run "${cache[@]}" "$url" --invoke crc_of_counting 1000 \
  && expect CorruptedRunInvokeResult '^(i32:)?1961098049$' "$out" \
  && expect CorruptedRunInvokeWarns 'rejected entry' "$err"

# Write-back: a run with --cache-write-back stores the code of the functions
# it called in the entry; the next run loads them from it (the report line on
# stderr counts them) and, compiling nothing new, writes nothing; a run of
# another export adds its functions. `compile --cache-write-back` compiles
# every function, so a later run compiles none.
wb=(--cache "$tmp/cache/wb.db" --cache-min-bytes 0)
check WriteBackFirst 0 "$bin" run "${wb[@]}" --cache-write-back "$url" --invoke crc_of_counting 1000 \
  && expect WriteBackFirstResult '^(i32:)?1961098049$' "$out" \
  && expect WriteBackFirstQueued 'write-back: 1 entry queued \([1-9][0-9]* functions? compiled in [0-9.]+ ms, 0 loaded' "$err"
check WriteBackSecond 0 "$bin" run "${wb[@]}" --cache-write-back "$url" --invoke crc_of_counting 1000 \
  && expect WriteBackSecondResult '^(i32:)?1961098049$' "$out" \
  && expect WriteBackSecondLoaded 'write-back: 0 entries queued, 1 unchanged \(0 functions compiled in 0.0 ms, [1-9][0-9]* loaded' "$err"
check WriteBackOther 0 "$bin" run "${wb[@]}" --cache-write-back "$url" --invoke median_of_random 101 7 \
  && expect WriteBackOtherQueued 'write-back: 1 entry queued \([1-9][0-9]* functions? compiled' "$err"
check WriteBackStats 0 "$bin" cache --cache "$tmp/cache/wb.db" stats \
  && expect WriteBackStatsCount 'write-backs 2' "$out"
check WriteBackBoth 0 "$bin" run "${wb[@]}" --cache-write-back "$url" --invoke median_of_random 101 7 \
  && expect WriteBackBothLoaded '\(0 functions compiled in 0.0 ms, [1-9][0-9]* loaded' "$err"
check PlainRunSaysNothing 0 "$bin" run "${wb[@]}" "$url" --invoke crc_of_counting 1000 \
  && expect_not PlainRunQuiet 'write-back' "$err"
full=(--cache "$tmp/cache/full.db" --cache-min-bytes 0)
check CompileWriteBack 0 "$bin" compile "${full[@]}" --cache-write-back "$url" \
  && expect CompileWriteBackQueued 'write-back: 1 entry queued \([1-9][0-9]* functions? compiled' "$err"
check RunAfterCompileWriteBack 0 "$bin" run "${full[@]}" --cache-write-back "$url" --invoke median_of_random 101 7 \
  && expect RunAfterCompileWriteBackLoaded '\(0 functions compiled in 0.0 ms, [1-9][0-9]* loaded' "$err"

echo "$passes passed, $fails failed"
[[ $fails -eq 0 ]]
