#!/usr/bin/env bash
# Downloads a 256 MiB body over loopback through the fetch layer and through
# the curl command-line program in the same run; prints MB/s, CPU time and
# the ratios (see docs/fetch.md for figures).
#   bench/fetch.sh [--mb=256] [--runs=3] [--only=blocking|async|curl]
# The file: path instead: user/system time and page faults of reading PATH.
#   bench/fetch.sh --file=PATH [--runs=10]
# BAZEL (default "bazel") and BAZEL_STARTUP_OPTS (e.g. --output_base=...) are
# honoured.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v curl >/dev/null || { echo "bench/fetch.sh: needs the curl program (tools/setup)" >&2; exit 1; }
BAZEL="${BAZEL:-bazel}"
# shellcheck disable=SC2086
"$BAZEL" ${BAZEL_STARTUP_OPTS:-} build -c opt //bench:fetch_bench >&2
bin="$("$BAZEL" ${BAZEL_STARTUP_OPTS:-} info -c opt bazel-bin 2>/dev/null)/bench/fetch_bench"
exec "$bin" "$@"
