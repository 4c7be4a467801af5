// The byte splitter of the streaming path (after V8's
// StreamingDecoder): it only cuts the incoming bytes into the preamble,
// sections and function bodies, and hands each complete piece to a
// StreamingProcessor. It knows the framing (ids, LEB128 sizes, the code
// section's count and body sizes) and nothing of what a section means.
//
// Chunking never changes what the processor sees: the same calls, with the
// same bytes and offsets, in the same order, whatever the chunk boundaries.
#ifndef WASMSTREAM_WASM_STREAMING_DECODER_H_
#define WASMSTREAM_WASM_STREAMING_DECODER_H_

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "wasm/result.h"
#include "wasm/wire_bytes.h"

namespace wasmstream::wasm {

// Bytes plus whatever keeps them alive: a processor that keeps a piece past
// the call (e.g. hands a body to a worker) copies {owner} with it.
struct Piece {
  std::span<const uint8_t> bytes;
  std::shared_ptr<const void> owner;
};

// Callbacks, in stream order, all on the thread calling OnBytesReceived() /
// Finish(). Each returns false to stop the stream (it has recorded an error).
// {bytes} spans are valid during the call only unless {owner} is kept.
class StreamingProcessor {
 public:
  virtual ~StreamingProcessor() = default;
  // The 8-byte preamble (fewer only when the stream ended early).
  virtual bool ProcessModuleHeader(std::span<const uint8_t> bytes) = 0;
  // A section id byte at {offset}, as soon as it arrives (order checks).
  virtual bool ProcessSectionId(uint8_t id, uint32_t offset) = 0;
  // A whole non-code section; {payload_offset} is its first payload byte.
  virtual bool ProcessSection(uint8_t id, Piece payload, uint32_t payload_offset,
                              uint32_t id_offset) = 0;
  // The code section's body count, before any body.
  virtual bool ProcessCodeSectionHeader(uint32_t count, uint32_t count_offset,
                                        uint32_t section_offset, uint32_t section_length) = 0;
  // Body {index} (0-based among the code section's bodies): locals + code.
  // {body} points into the decoder's buffer(), which keeps it alive: no
  // owner per body (pandoc.wasm has 620,000 of them, and each reference
  // count would be two atomic operations on the thread that splits them).
  virtual bool ProcessFunctionBody(uint32_t index, std::span<const uint8_t> body,
                                   uint32_t offset) = 0;
  // After the last body of the code section.
  virtual bool ProcessCodeSectionEnd() { return true; }
  // The stream ended cleanly after {total_length} bytes.
  virtual void OnFinishedStream(uint32_t total_length) = 0;
  // A framing error (malformed LEB, truncation, size limit). Called at most
  // once, and never after a callback returned false.
  virtual void OnError(CompileError error) = 0;
};

class StreamingDecoder {
 public:
  // {max_module_size}: module bytes beyond it are an error (wasm/limits.h).
  // {buffer}: where the bytes live (WireBuffer::Create(max_module_size) on
  // the first bytes when null). Every piece handed to the processor points
  // into it, with the buffer as its {owner}.
  StreamingDecoder(StreamingProcessor* processor, uint64_t max_module_size,
                   std::shared_ptr<WireBuffer> buffer = nullptr);

  // Feeds the next bytes. When the caller already appended them to buffer()
  // ({bytes} is the buffer's next bytes in place) they are not copied;
  // otherwise they are appended (the caller keeps ownership of {bytes}).
  // Does nothing once stopped.
  void OnBytesReceived(std::span<const uint8_t> bytes);
  // End of stream: a truncated module is an error; otherwise the processor's
  // OnFinishedStream.
  void Finish();
  bool stopped() const { return stopped_; }
  uint32_t total_received() const { return static_cast<uint32_t>(total_); }
  // The bytes received so far (null before the first).
  const std::shared_ptr<WireBuffer>& buffer() const { return buffer_; }

 private:
  enum class State : uint8_t {
    kPreamble, kSectionId, kSectionLength, kSectionPayload,
    kCodeCount, kBodySize, kBody,
  };
  // Consumes from the buffer at module offset {pos}; false when the received
  // bytes are exhausted.
  bool Step(size_t& pos);
  void Fail(uint32_t offset, std::string message);
  // Accumulates a LEB128 byte by byte; true when complete (decoded into {out}).
  bool LebByte(uint8_t b, uint32_t* out);
  // Advances over the current piece's bytes; true when all {need_} arrived.
  bool Collect(size_t& pos, Piece* out);
  void AfterBody();
  // Hands on the bodies whose size and bytes are all received, back to back,
  // without a state transition per body; stops at the first one that is not
  // all here or that the byte-by-byte path must report as an error.
  void WholeBodies(size_t& pos);

  StreamingProcessor* processor_;
  uint64_t max_module_size_;
  State state_ = State::kPreamble;
  bool stopped_ = false;
  uint64_t total_ = 0;      // bytes received
  uint64_t consumed_ = 0;   // module offset of the next unprocessed byte

  std::vector<uint8_t> leb_;       // LEB128 bytes so far
  uint32_t leb_offset_ = 0;        // module offset of its first byte
  std::shared_ptr<WireBuffer> buffer_;
  uint32_t need_ = 0;              // bytes the current piece still needs
  uint64_t piece_offset_ = 0;      // module offset of the current piece

  uint8_t section_id_ = 0;
  uint32_t section_id_offset_ = 0;
  uint32_t section_length_ = 0;
  uint64_t section_end_ = 0;  // module offset one past the section
  uint32_t bodies_total_ = 0;
  uint32_t body_index_ = 0;
};

}  // namespace wasmstream::wasm

#endif  // WASMSTREAM_WASM_STREAMING_DECODER_H_
