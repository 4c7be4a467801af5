#!/usr/bin/env bash
# End-to-end checks of the wasmstream program's commands, on real module files
# written here: exit codes, the one-line and --json outputs, run, compile, demo.
# `run URL` fetches from a loopback Python http.server started here.
set -uo pipefail
source "$(dirname "$0")/testing/cli_checks.sh" "$1"

# (module (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))
printf '\x00asm\x01\x00\x00\x00\x01\x07\x01\x60\x02\x7f\x7f\x01\x7f\x03\x02\x01\x00\x07\x07\x01\x03add\x00\x00\x0a\x09\x01\x07\x00\x20\x00\x20\x01\x6a\x0b' >"$tmp/add.wasm"
# The same with i64.add: a type mismatch in function #0.
printf '\x00asm\x01\x00\x00\x00\x01\x07\x01\x60\x02\x7f\x7f\x01\x7f\x03\x02\x01\x00\x07\x07\x01\x03add\x00\x00\x0a\x09\x01\x07\x00\x20\x00\x20\x01\x7c\x0b' >"$tmp/bad.wasm"
printf 'not wasm' >"$tmp/junk.wasm"
# (module (type $s (struct (field i32)))
#   (func (export "f") (result i32) (struct.get $s 0 (struct.new $s (i32.const 42))))): GC
printf '\x00\x61\x73\x6d\x01\x00\x00\x00\x01\x09\x02\x5f\x01\x7f\x00\x60\x00\x01\x7f\x03\x02\x01\x01\x07\x05\x01\x01\x66\x00\x00\x0a\x0d\x01\x0b\x00\x41\x2a\xfb\x00\x00\xfb\x02\x00\x00\x0b' >"$tmp/gc.wasm"

check ValidateValid 0 "$bin" validate "$tmp/add.wasm" && expect ValidateValidLine 'valid'
check ValidateInvalid 1 "$bin" validate "$tmp/add.wasm" "$tmp/bad.wasm" \
  && expect ValidateInvalidNamesFunction 'function #0' && expect ValidateInvalidOffset '@\+'
check ValidateJunk 1 "$bin" validate "$tmp/junk.wasm" && expect ValidateJunkMagic 'magic'
check ValidateJson 1 "$bin" validate --json "$tmp/add.wasm" "$tmp/bad.wasm" \
  && expect ValidateJsonValid '"valid": ?true' && expect ValidateJsonInvalid '"valid": ?false' \
  && expect ValidateJsonExports '"name": ?"add"'
check ValidateBadFlag 2 "$bin" validate --enable-no-such-feature "$tmp/add.wasm"
check RunAdd 0 "$bin" run "$tmp/add.wasm" --invoke add 40 2 && expect RunAddResult '42'
check RunUsage 2 "$bin" run
check RunArgCount 2 "$bin" run "$tmp/add.wasm" --invoke add 1 && expect RunArgCountSays 'takes 2 arguments'
check RunInvalid 1 "$bin" run "$tmp/bad.wasm" --invoke add 1 2 && expect RunInvalidKind 'CompileError'
# 3.0 features are on by default, as in V8; --wasm20 turns them off.
check RunGcByDefault 0 "$bin" run "$tmp/gc.wasm" --invoke f && expect RunGcResult '42'
check RunGcWasm20 1 "$bin" run --wasm20 "$tmp/gc.wasm" --invoke f && expect RunGcWasm20Kind 'CompileError'
# (module (func (export "spin") (loop (br 0)))): never returns unless stopped.
printf '\x00asm\x01\x00\x00\x00\x01\x04\x01\x60\x00\x00\x03\x02\x01\x00\x07\x08\x01\x04spin\x00\x00\x0a\x09\x01\x07\x00\x03\x40\x0c\x00\x0b\x0b' >"$tmp/spin.wasm"
check RunTimeout 1 "$bin" run --timeout 0.2 "$tmp/spin.wasm" --invoke spin \
  && expect RunTimeoutSays 'RuntimeError: deadline exceeded'
check RunTimeoutNotReached 0 "$bin" run --timeout 60 "$tmp/add.wasm" --invoke add 1 2 \
  && expect RunTimeoutNotReachedResult '3'
check RunTimeoutBad 2 "$bin" run --timeout -1 "$tmp/add.wasm" --invoke add 1 2
check ValidateGcByDefault 0 "$bin" validate "$tmp/gc.wasm"
check ValidateGcWasm20 1 "$bin" validate --wasm20 "$tmp/gc.wasm"
# One feature-flag parser for every command: wabt's spelling and the old aliases.
check ValidateDisableGc 1 "$bin" validate --disable-gc "$tmp/gc.wasm"
check ValidateEnableAllAlias 0 "$bin" validate --wasm20 --all-features "$tmp/gc.wasm"
check ValidateWasm20EnableGc 0 "$bin" validate --wasm20 --enable-gc "$tmp/gc.wasm"
check RunDisableGc 1 "$bin" run --disable-gc "$tmp/gc.wasm" --invoke f && expect RunDisableGcKind 'CompileError'
check RunEnableGc 0 "$bin" run --wasm20 --enable-gc "$tmp/gc.wasm" --invoke f
check RunBadFeature 2 "$bin" run --enable-no-such-feature "$tmp/gc.wasm" --invoke f \
  && expect RunBadFeatureSays 'unknown feature'
check CompileDisableGc 1 "$bin" compile --no-cache --disable-gc "$tmp/gc.wasm"
check CompileEnableAll 0 "$bin" compile --no-cache --wasm20 --enable-all "$tmp/gc.wasm"
check CompileBadFeature 2 "$bin" compile --disable-no-such-feature "$tmp/gc.wasm"
check HelpNamesFeatureFlags 0 "$bin" validate --help && expect HelpSaysEnableAll '--enable-all' \
  && expect HelpListsFeatures 'legacy-exceptions'

# run URL: a real HTTP fetch over loopback (python3 serves .wasm as application/wasm).
mkdir -p "$tmp/www" && cp "$tmp/add.wasm" "$tmp/www/add.wasm" && cp "$tmp/add.wasm" "$tmp/www/add.bin"
python3 -u -m http.server 0 --bind 127.0.0.1 --directory "$tmp/www" >"$tmp/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null' EXIT
port=""
for _ in $(seq 100); do
  port="$(grep -oE 'port [0-9]+' "$tmp/server.log" | head -1 | cut -d' ' -f2)"
  [[ -n "$port" ]] && break
  sleep 0.1
done
if [[ -z "$port" ]]; then
  echo "FAIL RunUrlServer: the loopback server did not start: $(cat "$tmp/server.log")"; fails=$((fails + 1))
else
  base="http://127.0.0.1:$port"
  check RunUrl 0 "$bin" run --no-cache "$base/add.wasm" --invoke add 40 2 && expect RunUrlResult '^i32:42$|^42$'
  check RunUrlWrongMime 1 "$bin" run --no-cache "$base/add.bin" --invoke add 1 2 \
    && expect RunUrlWrongMimeKind 'TypeError' && expect RunUrlWrongMimeSays 'application/wasm'
  check RunUrlNotFound 1 "$bin" run --no-cache "$base/missing.wasm" --invoke add 1 2 \
    && expect RunUrlNotFoundKind 'TypeError'
fi

check CompileFile 0 "$bin" compile --no-cache "$tmp/add.wasm" && expect CompileExports 'add'
check CompileFileJson 0 "$bin" compile --no-cache --json "$tmp/add.wasm" && expect CompileJsonOk '"ok": ?true'
check CompileInvalid 1 "$bin" compile --no-cache "$tmp/bad.wasm" && expect CompileInvalidKind 'CompileError'
# Lazy by default (validated while streaming, so still a CompileError;
# compiled on first call); --lazy is kept as a no-op; --eager compiles all.
check CompileLazyInvalid 1 "$bin" compile --lazy --no-cache "$tmp/bad.wasm" && expect CompileLazyInvalidKind 'CompileError'
check RunLazy 0 "$bin" run --lazy --no-cache "$tmp/add.wasm" --invoke add 40 2 && expect RunLazyResult '42'
check RunLazyGc 0 "$bin" run --no-cache "$tmp/gc.wasm" --invoke f && expect RunLazyGcResult '42'
check CompileEagerInvalid 1 "$bin" compile --eager --no-cache "$tmp/bad.wasm" && expect CompileEagerInvalidKind 'CompileError'
check RunEager 0 "$bin" run --eager --no-cache "$tmp/add.wasm" --invoke add 40 2 && expect RunEagerResult '42'
check RunEagerGc 0 "$bin" run --eager --no-cache "$tmp/gc.wasm" --invoke f && expect RunEagerGcResult '42'
check CompileCspBlocks 1 "$bin" compile --no-cache --csp "script-src 'self'" "$tmp/add.wasm" \
  && expect CompileCspKind 'CompileError'
check Demo 0 "$bin" demo && expect DemoImport 'imported_func called with 42'
check UnknownCommand 2 "$bin" no-such-command

# Every shared library the program names is one it uses: each is mapped and
# relocated at every start of every command (docs/startup.md).
check LinksOnlyUsedLibraries 0 ldd -u "$bin"
# libcurl and the libraries under it are loaded by the first http(s) fetch
# (fetch/curl_library.h), not at every start; --version loads it to name it.
check Ldd 0 ldd "$bin" && lacks NoLibcurlAtStart 'libcurl'
check Version 0 "$bin" --version && expect VersionNamesLibcurl 'libcurl [0-9]'

finish
