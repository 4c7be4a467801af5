// libFuzzer target: the streaming decoder's chunking differential. The input
// chooses where the module is cut: the same bytes compiled whole (bodies
// validated inline) and delivered in the chunks the input names (bodies
// validated on the worker pool, as a download does) must agree on validity
// and, when invalid, on the first error's offset and message. Build and run
// with `fuzz/run.sh SECONDS` with FUZZER=streaming_split.
//
// Input: [n] [n little-endian u16 chunk lengths] [module bytes]. Lengths may
// be 0 (an empty delivery); what they leave over is the last chunk.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <vector>

#include "wasm/streaming_compiler.h"

namespace {

using wasmstream::wasm::CompileResult;
using wasmstream::wasm::Features;
using wasmstream::wasm::StreamingCompiler;
using wasmstream::wasm::StreamingOptions;

// Modules beyond this are skipped (keeps each run fast and memory bounded).
constexpr size_t kMaxModuleSize = 256 * 1024;
// At most this many chosen cuts (n is taken modulo it).
constexpr size_t kMaxCuts = 32;

CompileResult CompileChunks(std::span<const uint8_t> module, const std::vector<size_t>& lengths,
                            bool inline_bodies) {
  StreamingOptions o;
  o.features = Features::All();
  o.validate_inline = inline_bodies;
  StreamingCompiler c(o);
  size_t at = 0;
  for (size_t len : lengths) {
    len = std::min(len, module.size() - at);
    c.OnBytesReceived(module.subspan(at, len));
    at += len;
  }
  c.OnBytesReceived(module.subspan(at));
  return c.Finish();
}

std::string Describe(const CompileResult& r) {
  return r.ok() ? "valid" : r.error().Format();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  size_t n = data[0] % (kMaxCuts + 1);
  size_t header = 1 + 2 * n;
  if (size < header) return 0;
  std::span<const uint8_t> module(data + header, size - header);
  if (module.size() > kMaxModuleSize) return 0;
  std::vector<size_t> lengths;
  for (size_t i = 0; i < n; ++i) {
    lengths.push_back(data[1 + 2 * i] | size_t{data[2 + 2 * i]} << 8);
  }
  CompileResult whole = CompileChunks(module, {}, /*inline_bodies=*/true);
  CompileResult split = CompileChunks(module, lengths, /*inline_bodies=*/false);
  bool same = whole.ok() == split.ok() && (whole.ok() || whole.error() == split.error());
  if (same && whole.ok()) {
    same = whole.value()->functions.size() == split.value()->functions.size() &&
           whole.value()->wire_bytes.size() == split.value()->wire_bytes.size();
  }
  if (!same) {
    std::fprintf(stderr, "whole: %s\nsplit:", Describe(whole).c_str());
    for (size_t len : lengths) std::fprintf(stderr, " %zu", len);
    std::fprintf(stderr, " rest\n  -> %s\n", Describe(split).c_str());
    std::abort();
  }
  return 0;
}
