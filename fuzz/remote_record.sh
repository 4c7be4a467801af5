#!/usr/bin/env bash
# Builds the shared cache tier's record decoder fuzzer
# (cache/remote_record_fuzzer.cc) with clang (libFuzzer + ASan + UBSan) and
# runs it, single process, with the record checksum off (so mutations reach
# the lengths and zstd behind it). Seeds: valid records from a seed run.
#   fuzz/remote_record.sh [SECONDS] [libFuzzer flags...]   default 300 s; output in fuzz/out/remote_record/
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-300}"
shift || true
out=fuzz/out/remote_record
mkdir -p "$out/corpus"
flags=(-std=c++20 -O1 -g -I. -fsanitize=address,undefined -fno-sanitize-recover=undefined)
srcs=(cache/remote_record.cc cache/cache_key.cc)
libs=(-lzstd -lxxhash -lcrypto -pthread)
# Seeds: valid records, compressed and not, from a small generator.
cat > "$out/seed_main.cc" <<'CC'
#include <cstdio>
#include <string>
#include "cache/remote_record.h"
using namespace wasmstream::cache;
int main(int argc, char** argv) {
  for (int i = 0; i < 4; ++i) {
    EntryRecord r;
    r.key.bytes[0] = uint8_t(i);
    r.fingerprint = "fmt-seed";
    r.content.size = 100 + i;
    r.payload.assign(64 << i, uint8_t('a' + i));
    if (i % 2) r.signature.assign(32, 7);
    auto bytes = EncodeRecord(r, {.compression = i < 2 ? RecordCompression::kZstd
                                                       : RecordCompression::kNone});
    std::string path = std::string(argv[1]) + "/seed" + std::to_string(i);
    FILE* f = std::fopen(path.c_str(), "wb");
    std::fwrite(bytes.data(), 1, bytes.size(), f);
    std::fclose(f);
  }
  return argc > 1 ? 0 : 1;
}
CC
clang++ "${flags[@]}" "${srcs[@]}" "$out/seed_main.cc" -o "$out/seed" "${libs[@]}"
"$out/seed" "$out/corpus"
clang++ "${flags[@]}" -fsanitize=fuzzer -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION "${srcs[@]}" cache/remote_record_fuzzer.cc \
  -o "$out/remote_record_fuzzer" "${libs[@]}"
"$out/remote_record_fuzzer" -max_total_time="$seconds" -max_len=65536 -print_final_stats=1 "$@" "$out/corpus"
