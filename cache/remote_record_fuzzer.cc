// libFuzzer target: DecodeRecord on arbitrary bytes (the contents of a Redis
// value anyone with write access to the server can set). Must never crash,
// leak or read out of bounds; a record that decodes must encode back to a
// record that decodes to the same fields. Seeds: valid records, plain and
// compressed, made at start-up. fuzz/remote_record.sh builds and runs it.
#include <cstdint>
#include <cstdlib>
#include <span>

#include "cache/remote_record.h"

using namespace wasmstream::cache;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  DecodeResult d = DecodeRecord(std::span<const uint8_t>(data, size));
  if (!d.ok) return 0;
  for (auto c : {RecordCompression::kNone, RecordCompression::kZstd}) {
    DecodeResult again = DecodeRecord(EncodeRecord(d.record, {.compression = c}));
    if (!again.ok || again.record.key != d.record.key ||
        again.record.content != d.record.content ||
        again.record.fingerprint != d.record.fingerprint ||
        again.record.payload != d.record.payload ||
        again.record.signature != d.record.signature) {
      abort();
    }
  }
  return 0;
}
