#!/usr/bin/env bash
# The install for builds without Bazel (tools/install.sh, `bazel run //:install
# -- PREFIX`): installs into a fresh prefix, checks that only public headers
# went in, then builds tests/outside/embedder.cc with plain
#   g++ embedder.cc $(pkg-config --cflags --libs wasmstream)
# and runs it. Tagged local: it reads the headers from the source tree.
#   tests/install_test.sh LIBRARY INSTALL_SCRIPT
set -uo pipefail
lib="$(readlink -f "$1")"
install_script="$2"
src="$(dirname "$(readlink -f "${TEST_SRCDIR}/wasmstream/WORKSPACE")")"
tmp="${TEST_TMPDIR:-$(mktemp -d)}"
prefix="$tmp/prefix"
fails=0
fail() { echo "FAIL $*"; fails=$((fails + 1)); }

"$install_script" "$lib" "$src" "$prefix" || fail "install exited $?"
[[ -f "$prefix/lib/libwasmstream.so" ]] || fail "no lib/libwasmstream.so"
[[ -f "$prefix/include/wasmstream/bindings/wasm_namespace.h" ]] || fail "no wasm_namespace.h"
others="$(find "$prefix/include" -type f ! -name '*.h')"
[[ -z "$others" ]] || fail "non-headers installed: $others"
private="$(find "$prefix/include" -name '*test*' -o -name '*_impl.h' -o -name '*internal*')"
[[ -z "$private" ]] || fail "test or internal headers installed: $private"

export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
flags="$(pkg-config --cflags --libs wasmstream)" || fail "pkg-config does not know wasmstream"
# A library built under --config=asan needs the sanitizer runtime first in
# the program too (as a user of such a build would link it).
sanitize=()
if ldd "$lib" | grep -q libasan; then sanitize=(-fsanitize=address,undefined); fi
# shellcheck disable=SC2086
g++ "${sanitize[@]}" -o "$tmp/embedder" "$src/tests/outside/embedder.cc" $flags \
  || fail "g++ with pkg-config flags"
out="$("$tmp/embedder" 2>&1)" || fail "embedder exited $?: $out"
grep -qx 'log: 21' <<<"$out" && grep -qx 'i32:42' <<<"$out" || fail "embedder printed: $out"
[[ $fails -eq 0 ]] && echo "PASS: installed, built with pkg-config, ran"
exit "$fails"
