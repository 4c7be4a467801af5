#!/usr/bin/env bash
# `wasmstream js` end to end: MDN's compileStreaming example through --serve,
# exit statuses, errors printed with their stack, --csp, --location, the
# file: base without either. Every check runs through the exec of the
# wasmstream-js program beside wasmstream; the last ones check that split.
#   cli_test.sh WASMSTREAM EXAMPLE_DIR
set -uo pipefail
bin="$(realpath "$1")"
example="$(realpath "$2")"
tmp="${TEST_TMPDIR:-$(mktemp -d)}"
failures=0
# In a sanitizer build: JSC's own shared_ptrs trip UBSan's vptr check, and
# JSC never frees its atom strings (see the files).
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-}:suppressions=$PWD/bindings/js/ubsan_suppressions.txt"
export LSAN_OPTIONS="${LSAN_OPTIONS:-}:suppressions=$PWD/bindings/js/lsan_suppressions.txt"

check() {  # check NAME EXPECTED_STATUS EXPECTED_STDOUT_SUBSTRING [STDERR_SUBSTRING] -- CMD...
  local name="$1" want_status="$2" want_out="$3" want_err="$4"
  shift 5
  local out err status
  out=$("$@" 2>"$tmp/stderr")
  status=$?
  err=$(cat "$tmp/stderr")
  if [[ $status -ne $want_status || "$out" != *"$want_out"* || "$err" != *"$want_err"* ]]; then
    echo "FAIL $name: status $status (want $want_status)"
    echo "  stdout: $out"
    echo "  stderr: $err"
    failures=$((failures + 1))
  else
    echo "PASS $name"
  fi
}

check "MDN example prints 42" 0 "42" "" -- "$bin" js --serve "$example" "$example/main.js"

echo "throw new TypeError('top level');" >"$tmp/throw.js"
check "an uncaught exception exits 1 with its stack" 1 "" "TypeError: top level" -- \
  "$bin" js "$tmp/throw.js"

echo "Promise.reject(new Error('nobody catches'));" >"$tmp/reject.js"
check "an unhandled rejection exits 1" 1 "" "Error: nobody catches" -- "$bin" js "$tmp/reject.js"

printf 'var shared = 1;\n' >"$tmp/a.js"
printf 'console.log("shared", shared + 1);\n' >"$tmp/b.js"
check "files run in order in one global" 0 "shared 2" "" -- "$bin" js "$tmp/a.js" "$tmp/b.js"

cp "$example/simple.wasm" "$tmp/simple.wasm"
cat >"$tmp/file.js" <<'JS'
fetch('simple.wasm').then(r => r.arrayBuffer())
  .then(b => WebAssembly.instantiate(b, {my_namespace: {imported_func: x => console.log('file', x)}}))
  .then(({instance}) => instance.exports.exported_func());
JS
cd "$tmp"
check "without --location, relative URLs are files" 0 "file 42" "" -- "$bin" js file.js
cd - >/dev/null

check "--csp blocks compiling" 1 "" "CompileError" -- \
  "$bin" js --serve "$example" --csp "script-src 'self'" "$example/main.js"

echo "console.log(location.href, location.origin);" >"$tmp/loc.js"
check "--location sets location" 0 "http://example.test:8080/app/ http://example.test:8080" "" -- \
  "$bin" js --location http://example.test:8080/app/ "$tmp/loc.js"

port_js="$tmp/port.js"
echo "fetch('../../etc/passwd').then(r => console.log('status', r.status))" >"$port_js"
check "--serve serves nothing outside DIR" 0 "status 404" "" -- "$bin" js --serve "$example" "$port_js"

check "a missing file exits 1" 1 "" "cannot read" -- "$bin" js "$tmp/none.js"
check "no file is a usage error" 2 "" "usage" -- "$bin" js
check "an unknown option is a usage error" 2 "" "unknown option" -- "$bin" js --nope "$tmp/a.js"

# JavaScriptCore (and ICU, glib, ... under it) is loaded by wasmstream-js only,
# not at the start of every wasmstream command.
if ldd "$bin" | grep -q javascriptcore; then
  echo "FAIL wasmstream does not load JavaScriptCore:"
  ldd "$bin" | grep javascriptcore
  failures=$((failures + 1))
else
  echo "PASS wasmstream does not load JavaScriptCore"
fi
if ldd "$(dirname "$bin")/wasmstream-js" | grep -q javascriptcore; then
  echo "PASS wasmstream-js loads JavaScriptCore"
else
  echo "FAIL wasmstream-js loads JavaScriptCore (is the check above able to fail?)"
  failures=$((failures + 1))
fi

mkdir -p "$tmp/linked" "$tmp/alone"
ln -sf "$bin" "$tmp/linked/wasmstream"
check "a symlink to wasmstream finds wasmstream-js" 0 "shared 2" "" -- \
  "$tmp/linked/wasmstream" js "$tmp/a.js" "$tmp/b.js"
cp "$bin" "$tmp/alone/wasmstream"
check "without wasmstream-js beside it, js says so" 1 "" \
  "cannot run $(realpath "$tmp/alone")/wasmstream-js: No such file or directory" -- \
  "$tmp/alone/wasmstream" js "$tmp/a.js"

if [[ $failures -ne 0 ]]; then
  echo "$failures failed"
  exit 1
fi
