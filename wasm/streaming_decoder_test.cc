// StreamingDecoder: what the processor sees does not depend on the chunking,
// and a function body is handed on only once all its bytes have arrived.
#include "wasm/streaming_decoder.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "wasm/limits.h"
#include "wasm/testing/module_builder.h"

namespace wasmstream::wasm {
namespace {

using testing::Bytes;
using testing::Cat;

// Records every call as a line of text; for bodies, also checks them against
// the bytes received so far and against the module's own bytes.
class RecordingProcessor : public StreamingProcessor {
 public:
  explicit RecordingProcessor(const Bytes& module) : module_(module) {}
  void set_decoder(const StreamingDecoder* d) { decoder_ = d; }

  bool ProcessModuleHeader(std::span<const uint8_t> bytes) override {
    Log("header " + std::to_string(bytes.size()));
    return true;
  }
  bool ProcessSectionId(uint8_t id, uint32_t offset) override {
    Log("id " + std::to_string(id) + " @" + std::to_string(offset));
    return true;
  }
  bool ProcessSection(uint8_t id, Piece payload, uint32_t payload_offset, uint32_t) override {
    Log("section " + std::to_string(id) + " " + std::to_string(payload.bytes.size()) + " @" +
        std::to_string(payload_offset));
    return true;
  }
  bool ProcessCodeSectionHeader(uint32_t count, uint32_t count_offset, uint32_t,
                                uint32_t) override {
    Log("code " + std::to_string(count) + " @" + std::to_string(count_offset));
    return true;
  }
  bool ProcessFunctionBody(uint32_t index, std::span<const uint8_t> body,
                           uint32_t offset) override {
    Log("body " + std::to_string(index) + " " + std::to_string(body.size()) + " @" +
        std::to_string(offset));
    // Every byte of the body has been received, and they are the module's.
    EXPECT_LE(offset + body.size(), decoder_->total_received()) << "body " << index;
    EXPECT_TRUE(body.empty() ||
                Bytes(body.begin(), body.end()) ==
                    Bytes(module_.begin() + offset, module_.begin() + offset + body.size()))
        << "body " << index;
    return true;
  }
  bool ProcessCodeSectionEnd() override {
    Log("code end");
    return true;
  }
  void OnFinishedStream(uint32_t total_length) override {
    Log("finished " + std::to_string(total_length));
  }
  void OnError(CompileError error) override { Log("error " + error.Format()); }

  const std::vector<std::string>& log() const { return log_; }

 private:
  void Log(std::string s) { log_.push_back(std::move(s)); }
  const Bytes& module_;
  const StreamingDecoder* decoder_ = nullptr;
  std::vector<std::string> log_;
};

// Feeds {module} in the given pieces (each chunk a fresh copy, freed after the
// call, as a network chunk would be) and returns the processor's log.
std::vector<std::string> Feed(const Bytes& module, const std::vector<size_t>& cuts) {
  RecordingProcessor p(module);
  StreamingDecoder d(&p, kSpecMaxModuleSize);
  p.set_decoder(&d);
  size_t from = 0;
  for (size_t i = 0; i <= cuts.size(); ++i) {
    size_t to = i < cuts.size() ? cuts[i] : module.size();
    Bytes chunk(module.begin() + from, module.begin() + to);
    if (!chunk.empty()) d.OnBytesReceived(chunk);
    from = to;
  }
  d.Finish();
  return p.log();
}

// Bodies of 2 and 200 bytes with sizes in 1..5-byte LEBs (padded ones too).
Bytes ModuleWithAssortedBodies() {
  Bytes long_body = {0x00};
  long_body.insert(long_body.end(), 198, 0x01);  // nops
  long_body.push_back(0x0B);
  const Bytes empty = {0x00, 0x0B};
  Bytes code = {0x07};
  for (const Bytes& size : std::vector<Bytes>{{0x02}, {0x82, 0x00}, {0x82, 0x80, 0x00},
                                             {0x82, 0x80, 0x80, 0x00},
                                             {0x82, 0x80, 0x80, 0x80, 0x00}}) {
    code = Cat({code, size, empty});
  }
  code = Cat({code, {0xC8, 0x01}, long_body, {0x02}, empty});
  return Cat({testing::Preamble(), testing::Section(1, {0x01, 0x60, 0x00, 0x00}),
              testing::Section(3, {0x07, 0, 0, 0, 0, 0, 0, 0}), testing::Section(10, code),
              testing::Section(0, testing::Name("after"))});
}

TEST(StreamingDecoderTest, EveryChunkingSeesTheSameCalls) {
  Bytes m = ModuleWithAssortedBodies();
  std::vector<std::string> whole = Feed(m, {});
  ASSERT_EQ(whole.back(), "finished " + std::to_string(m.size()));
  for (size_t split = 1; split < m.size(); ++split) {
    ASSERT_EQ(Feed(m, {split}), whole) << "split at " << split;
  }
  std::vector<size_t> every_byte;
  for (size_t i = 1; i < m.size(); ++i) every_byte.push_back(i);
  EXPECT_EQ(Feed(m, every_byte), whole);
  // Three pieces: every pair of cuts inside the code section's second half.
  for (size_t a = m.size() - 240; a < m.size(); a += 7) {
    for (size_t b = a + 1; b < m.size(); b += 5) ASSERT_EQ(Feed(m, {a, b}), whole) << a << " " << b;
  }
}

}  // namespace
}  // namespace wasmstream::wasm
