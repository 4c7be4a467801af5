#!/usr/bin/env bash
# Bug: `compile`/`run` took a URL with an unsupported scheme (ftp:, blob:,
# javascript:) or a malformed one for a file path; anything with a scheme goes
# to fetch(), which answers with its TypeError.
set -uo pipefail
source "$(dirname "$0")/../testing/cli_checks.sh" "$1"
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
mkdir -p "$tmp/colon" && tiny_module 9 "$tmp/colon/a:b.wasm"
check PathWithColon 0 bash -c 'cd "$1" && exec "$0" run --no-cache ./a:b.wasm --invoke f' "$bin" "$tmp/colon" \
  && expect PathWithColonResult '9'
finish
