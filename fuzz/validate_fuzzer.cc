// libFuzzer target for the decoder and validator: the
// same bytes compiled whole and in chunks chosen from the input must agree on
// validity, error offset and message; a crash, hang, leak or sanitizer report
// is a bug. Build and run with fuzz/run.sh.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>

#include "wasm/streaming_compiler.h"

namespace {

// Inputs beyond this are skipped (keeps each run fast and memory bounded).
constexpr size_t kMaxInputSize = 256 * 1024;

wasmstream::wasm::CompileResult Compile(std::span<const uint8_t> bytes,
                                        wasmstream::wasm::Features features, size_t chunk,
                                        bool inline_bodies) {
  wasmstream::wasm::StreamingOptions o;
  o.features = features;
  o.validate_inline = inline_bodies;
  wasmstream::wasm::StreamingCompiler c(o);
  for (size_t i = 0; i < bytes.size(); i += chunk) {
    c.OnBytesReceived(bytes.subspan(i, std::min(chunk, bytes.size() - i)));
  }
  return c.Finish();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using wasmstream::wasm::Features;
  if (size > kMaxInputSize) return 0;
  std::span<const uint8_t> bytes(data, size);
  // Every feature on: the widest decoder surface.
  Features features = Features::All();
  auto whole = Compile(bytes, features, size ? size : 1, /*inline_bodies=*/true);
  // A chunk size derived from the input, so the fuzzer explores splits too.
  size_t chunk = 1 + (size ? data[size / 2] % 17 : 0);
  auto chunked = Compile(bytes, features, chunk, /*inline_bodies=*/false);
  bool same = whole.ok() == chunked.ok() && (whole.ok() || whole.error() == chunked.error());
  if (!same) {
    std::fprintf(stderr, "whole: %s\nchunks of %zu: %s\n",
                 whole.ok() ? "valid" : whole.error().Format().c_str(), chunk,
                 chunked.ok() ? "valid" : chunked.error().Format().c_str());
    std::abort();
  }
  // WebAssembly 2.0 only must never crash either.
  auto v2 = Compile(bytes, Features::Wasm20(), size ? size : 1, true);
  (void)v2;
  return 0;
}
