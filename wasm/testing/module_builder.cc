#include "wasm/testing/module_builder.h"

#include <gtest/gtest.h>

namespace wasmstream::wasm::testing {

Bytes U32Leb(uint32_t v) {
  Bytes b;
  do {
    uint8_t byte = v & 0x7F;
    v >>= 7;
    if (v) byte |= 0x80;
    b.push_back(byte);
  } while (v);
  return b;
}

Bytes Preamble() { return {0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00}; }

Bytes Section(uint8_t id, const Bytes& payload) {
  Bytes b = {id};
  Bytes len = U32Leb(static_cast<uint32_t>(payload.size()));
  b.insert(b.end(), len.begin(), len.end());
  b.insert(b.end(), payload.begin(), payload.end());
  return b;
}

Bytes Name(std::string_view s) {
  Bytes b = U32Leb(static_cast<uint32_t>(s.size()));
  b.insert(b.end(), s.begin(), s.end());
  return b;
}

Bytes Cat(std::initializer_list<Bytes> parts) {
  Bytes b;
  for (const Bytes& p : parts) b.insert(b.end(), p.begin(), p.end());
  return b;
}

Bytes ModuleWithBodies(const std::vector<Bytes>& bodies, const Bytes& after_code) {
  uint32_t n = static_cast<uint32_t>(bodies.size());
  Bytes funcs = U32Leb(n);
  for (uint32_t i = 0; i < n; ++i) funcs.push_back(0x00);  // type 0
  Bytes code = U32Leb(n);
  for (const Bytes& body : bodies) code = Cat({code, U32Leb(static_cast<uint32_t>(body.size())), body});
  return Cat({Preamble(),
              Section(1, {0x01, 0x60, 0x00, 0x00}),  // type 0: [] -> []
              Section(3, funcs), Section(10, code), after_code});
}

CompileResult CompileInChunks(const Bytes& bytes, size_t chunk, Features features,
                              bool inline_bodies) {
  StreamingOptions o;
  o.features = features;
  o.validate_inline = inline_bodies;
  StreamingCompiler c(std::move(o));
  if (chunk == 0) chunk = bytes.size() ? bytes.size() : 1;
  for (size_t i = 0; i < bytes.size(); i += chunk) {
    c.OnBytesReceived(std::span<const uint8_t>(bytes.data() + i, std::min(chunk, bytes.size() - i)));
  }
  return c.Finish();
}

namespace {

// Runs every chunking; calls {check} with a label and the result, and stops
// at the first chunking that fails (one report, not hundreds).
template <typename Check>
void ForEveryChunking(const Bytes& bytes, Features features, Check check) {
  auto run = [&](const std::string& label, CompileResult r) {
    SCOPED_TRACE(label);
    check(std::move(r));
    return !::testing::Test::HasFailure();
  };
  if (!run("whole", CompileInChunks(bytes, 0, features))) return;
  if (!run("whole, inline", CompileInChunks(bytes, 0, features, true))) return;
  if (!run("1-byte chunks", CompileInChunks(bytes, 1, features))) return;
  if (!run("1-byte chunks, inline", CompileInChunks(bytes, 1, features, true))) return;
  for (size_t split = 1; split < bytes.size(); ++split) {
    StreamingCompiler c(StreamingOptions{.features = features});
    c.OnBytesReceived(std::span<const uint8_t>(bytes.data(), split));
    c.OnBytesReceived(std::span<const uint8_t>(bytes.data() + split, bytes.size() - split));
    if (!run("split at " + std::to_string(split), c.Finish())) return;
  }
}

}  // namespace

void ExpectVerifies(const Bytes& bytes, Features features) {
  ForEveryChunking(bytes, features, [&](CompileResult r) {
    EXPECT_TRUE(r.ok()) << r.error().Format();
    if (r.ok()) {
      EXPECT_EQ(r.value()->wire_bytes, bytes);
    }
  });
}

void ExpectFailure(const Bytes& bytes, uint32_t offset, std::string_view message,
                   Features features) {
  ForEveryChunking(bytes, features, [&](CompileResult r) {
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().offset, offset) << r.error().Format();
    EXPECT_EQ(r.error().message.substr(0, message.size()), message) << r.error().Format();
  });
}

}  // namespace wasmstream::wasm::testing
