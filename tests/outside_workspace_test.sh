#!/usr/bin/env bash
# A separate Bazel workspace uses this checkout as @wasmstream exactly as the
# README's "From another Bazel workspace" snippet says (local_repository +
# wasmstream_dependencies(), no .bazelrc), builds tests/outside/embedder.cc
# against @wasmstream//:wasmstream and runs it.
#
# Runs nested Bazel, so it is tagged manual + local (no sandbox) and run by
# tools/test. Its output root is kept between runs (WASMSTREAM_OUTSIDE_ROOT,
# default /tmp/wasmstream-outside-bazel): the first run builds wasmstream
# from scratch (minutes), later ones are incremental.
#   tests/outside_workspace_test.sh [CHECKOUT]
set -euo pipefail
if [[ $# -ge 1 ]]; then
  checkout="$(cd "$1" && pwd)"
else  # under bazel test: the runfiles' WORKSPACE links to the source tree
  checkout="$(dirname "$(readlink -f "${TEST_SRCDIR}/wasmstream/WORKSPACE")")"
fi
root="${WASMSTREAM_OUTSIDE_ROOT:-/tmp/wasmstream-outside-bazel}"
ws="$root/ws"
mkdir -p "$ws"
cat >"$ws/WORKSPACE" <<WS
workspace(name = "outside")

local_repository(
    name = "wasmstream",
    path = "$checkout",
)

load("@wasmstream//bazel:dependencies.bzl", "wasmstream_dependencies")

wasmstream_dependencies()
WS
cp "$checkout/tests/outside/embedder.cc" "$checkout/tests/outside/BUILD" "$ws/"
cd "$ws"
bazel --output_user_root="$root/out" --max_idle_secs=300 build //:embedder
out="$(bazel-bin/embedder)"
echo "$out"
grep -qx 'log: 21' <<<"$out" && grep -qx 'i32:42' <<<"$out"
echo "PASS outside workspace: built and ran //:embedder against $checkout"
