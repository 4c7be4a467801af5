#!/bin/sh
# Host-call and export-call overhead of the C API vs the C++ API (10 million
# calls each, best of two rounds), in one run of the default configuration
# (.bazelrc builds with -O2):
#   bench/c_api.sh [CALLS]
# The module is bench/c_api_bench.wat; after editing it, regenerate
# bench/c_api_bench_module.inc (wat2wasm, then the bytes as a C array).
set -e
cd "$(dirname "$0")/.."
exec bazel run //bench:c_api_bench -- "$@"
