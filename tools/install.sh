#!/usr/bin/env bash
# Installs wasmstream for builds without Bazel:
#   bazel run //:install -- PREFIX
# puts the C++ API's shared library in PREFIX/lib/libwasmstream.so, the public
# headers (those the API's headers include, transitively, and nothing else)
# under PREFIX/include/wasmstream/, and PREFIX/lib/pkgconfig/wasmstream.pc, so
#   g++ -o app app.cc $(pkg-config --cflags --libs wasmstream)
# builds an embedder (PKG_CONFIG_PATH=PREFIX/lib/pkgconfig for a private PREFIX).
#
# Arguments as Bazel passes them: LIBRARY [SOURCE_DIR] PREFIX; SOURCE_DIR
# defaults to the workspace `bazel run` was started in.
set -euo pipefail
if [[ $# -eq 2 ]]; then
  lib="$1" src="${BUILD_WORKSPACE_DIRECTORY:?run me with bazel run //:install -- PREFIX}" prefix="$2"
elif [[ $# -eq 3 ]]; then
  lib="$1" src="$2" prefix="$3"
else
  echo "usage: bazel run //:install -- PREFIX" >&2
  exit 2
fi
case "$prefix" in
  /*) ;;
  *) prefix="${BUILD_WORKING_DIRECTORY:-$PWD}/$prefix" ;;
esac

# The API's entry headers; everything they include from this project follows.
entries=(bindings/wasm_namespace.h bindings/realm.h bindings/instance_object.h
         bindings/event_loop.h bindings/promise.h bindings/cached_consumer.h
         fetch/fetcher.h wasm/runtime/store.h wasm/runtime/interpreter.h)
declare -A seen=()
queue=("${entries[@]}")
while [[ ${#queue[@]} -gt 0 ]]; do
  h="${queue[0]}"
  queue=("${queue[@]:1}")
  [[ -n "${seen[$h]:-}" ]] && continue
  if [[ ! -f "$src/$h" ]]; then
    echo "install: $h (included by the API) is missing from $src" >&2
    exit 1
  fi
  seen[$h]=1
  while read -r inc; do
    queue+=("$inc")
  done < <(sed -n 's/^#include "\([^"]*\)".*/\1/p' "$src/$h")
done

mkdir -p "$prefix/lib/pkgconfig" "$prefix/include/wasmstream"
install -m 0755 "$lib" "$prefix/lib/libwasmstream.so"
for h in "${!seen[@]}"; do
  install -D -m 0644 "$src/$h" "$prefix/include/wasmstream/$h"
done
cat >"$prefix/lib/pkgconfig/wasmstream.pc" <<PC
prefix=$prefix
libdir=\${prefix}/lib
includedir=\${prefix}/include/wasmstream

Name: wasmstream
Description: WebAssembly.compileStreaming outside a browser: fetch, streaming compile, runtime, code cache
Version: 0.1
Cflags: -std=c++20 -I\${includedir}
Libs: -L\${libdir} -Wl,-rpath,\${libdir} -lwasmstream
PC
echo "installed libwasmstream.so, ${#seen[@]} headers and wasmstream.pc under $prefix"
