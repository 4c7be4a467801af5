#include "wasm/streaming_decoder.h"

#include <algorithm>
#include <cstring>
#include <string>

#include "wasm/decoder.h"
#include "wasm/leb128.h"
#include "wasm/limits.h"

namespace wasmstream::wasm {

namespace {
constexpr uint8_t kCodeSectionId = 10;
constexpr size_t kPreambleSize = 8;
constexpr size_t kMaxLebBytes = 5;  // u32
}  // namespace

StreamingDecoder::StreamingDecoder(StreamingProcessor* processor, uint64_t max_module_size,
                                   std::shared_ptr<WireBuffer> buffer)
    : processor_(processor), max_module_size_(max_module_size), buffer_(std::move(buffer)) {
  need_ = kPreambleSize;
}

void StreamingDecoder::Fail(uint32_t offset, std::string message) {
  if (stopped_) return;
  stopped_ = true;
  processor_->OnError(CompileError{offset, std::move(message)});
}

bool StreamingDecoder::LebByte(uint8_t b, uint32_t* out) {
  if (leb_.empty()) leb_offset_ = static_cast<uint32_t>(consumed_);
  leb_.push_back(b);
  ++consumed_;
  if ((b & 0x80) && leb_.size() < kMaxLebBytes) return false;
  Decoder d(leb_, leb_offset_);
  *out = d.u32v();
  leb_.clear();
  if (!d.ok()) {
    Fail(d.error().offset, d.error().message);
    return false;
  }
  return true;
}

bool StreamingDecoder::Collect(size_t& pos, Piece* out) {
  // The piece's bytes are contiguous in the buffer however they arrived: it
  // is complete once the buffer holds them, and is handed on in place.
  size_t take = std::min<size_t>(buffer_->size() - pos, need_);
  pos += take;
  consumed_ += take;
  need_ -= static_cast<uint32_t>(take);
  if (need_ > 0) return false;
  size_t length = consumed_ - piece_offset_;
  out->bytes = std::span<const uint8_t>(buffer_->data() + piece_offset_, length);
  out->owner = buffer_;
  return true;
}

void StreamingDecoder::OnBytesReceived(std::span<const uint8_t> bytes) {
  if (stopped_ || bytes.empty()) return;
  if (bytes.size() > max_module_size_ - std::min<uint64_t>(total_, max_module_size_)) {
    Fail(static_cast<uint32_t>(std::min<uint64_t>(max_module_size_, UINT32_MAX)),
         "module size exceeds internal limit of " + std::to_string(max_module_size_) + " bytes");
    return;
  }
  if (!buffer_) buffer_ = WireBuffer::Create(max_module_size_);
  if (!buffer_) {
    Fail(0, "out of memory: cannot reserve space for the module's bytes");
    return;
  }
  // The caller may have appended the bytes to buffer() itself; if not, this
  // is their one copy.
  bool in_place = bytes.data() == buffer_->data() + total_ &&
                  buffer_->size() >= total_ + bytes.size();
  if (!in_place && !buffer_->Append(bytes)) {
    Fail(static_cast<uint32_t>(total_),
         "out of memory: module bytes exceed the " + std::to_string(buffer_->capacity()) +
             " bytes that could be reserved for them");
    return;
  }
  total_ += bytes.size();
  size_t pos = static_cast<size_t>(consumed_);
  while (!stopped_ && Step(pos)) {
  }
}

void StreamingDecoder::AfterBody() {
  ++body_index_;
  if (body_index_ < bodies_total_) {
    state_ = State::kBodySize;
    return;
  }
  if (consumed_ != section_end_) {
    Fail(static_cast<uint32_t>(consumed_), "section size mismatch");
    return;
  }
  if (!processor_->ProcessCodeSectionEnd()) { stopped_ = true; return; }
  state_ = State::kSectionId;
}

void StreamingDecoder::WholeBodies(size_t& pos) {
  const uint8_t* data = buffer_->data();
  while (state_ == State::kBodySize && !stopped_) {
    // The size: at most 4 bytes (larger bodies exceed the function size
    // limit, an error the byte-by-byte path words), all received and inside
    // the section.
    uint32_t size, n;
    size_t available = total_ - pos;
    if (available >= 5) {
      if (!leb128::ReadShortU32(data + pos, &size, &n)) return;
    } else if (available >= 1 && data[pos] < 0x80) {
      size = data[pos];
      n = 1;
    } else {
      return;
    }
    uint64_t start = consumed_ + n;
    if (start > section_end_ || size > kSpecMaxFunctionSize || size > section_end_ - start ||
        size > available - n) {
      return;
    }
    leb_offset_ = static_cast<uint32_t>(consumed_);
    piece_offset_ = start;
    pos += n + size;
    consumed_ = start + size;
    std::span<const uint8_t> body;
    if (size > 0) body = std::span<const uint8_t>(data + start, size);
    if (!processor_->ProcessFunctionBody(body_index_, body, static_cast<uint32_t>(start))) {
      stopped_ = true;
      return;
    }
    AfterBody();
  }
}

bool StreamingDecoder::Step(size_t& pos) {
  const uint8_t* data = buffer_->data();
  // States that read within the code section must not pass its end.
  if ((state_ == State::kCodeCount || state_ == State::kBodySize) && consumed_ >= section_end_) {
    Fail(static_cast<uint32_t>(consumed_), "unexpected end of section or function");
    return false;
  }
  if (pos >= total_) return false;
  switch (state_) {
    case State::kPreamble: {
      Piece p;
      if (!Collect(pos, &p)) return false;
      if (!processor_->ProcessModuleHeader(p.bytes)) { stopped_ = true; return false; }
      state_ = State::kSectionId;
      return true;
    }
    case State::kSectionId: {
      section_id_ = data[pos++];
      section_id_offset_ = static_cast<uint32_t>(consumed_++);
      if (!processor_->ProcessSectionId(section_id_, section_id_offset_)) {
        stopped_ = true;
        return false;
      }
      state_ = State::kSectionLength;
      return true;
    }
    case State::kSectionLength: {
      uint32_t len;
      if (!LebByte(data[pos++], &len)) return !stopped_;
      section_length_ = len;
      section_end_ = consumed_ + len;
      if (section_end_ > max_module_size_) {
        Fail(leb_offset_, "section of " + std::to_string(len) +
                              " bytes makes the module exceed the internal limit of " +
                              std::to_string(max_module_size_) + " bytes");
        return false;
      }
      if (section_id_ == kCodeSectionId) {
        state_ = State::kCodeCount;
        return true;
      }
      need_ = len;
      piece_offset_ = consumed_;
      state_ = State::kSectionPayload;
      if (len == 0) {
        if (!processor_->ProcessSection(section_id_, Piece{}, static_cast<uint32_t>(piece_offset_),
                                      section_id_offset_)) {
          stopped_ = true;
          return false;
        }
        state_ = State::kSectionId;
      }
      return true;
    }
    case State::kSectionPayload: {
      Piece p;
      if (!Collect(pos, &p)) return false;
      if (!processor_->ProcessSection(section_id_, std::move(p),
                                      static_cast<uint32_t>(piece_offset_), section_id_offset_)) {
        stopped_ = true;
        return false;
      }
      state_ = State::kSectionId;
      return true;
    }
    case State::kCodeCount: {
      uint32_t count;
      if (!LebByte(data[pos++], &count)) return !stopped_;
      bodies_total_ = count;
      body_index_ = 0;
      if (!processor_->ProcessCodeSectionHeader(count, leb_offset_, section_id_offset_,
                                                section_length_)) {
        stopped_ = true;
        return false;
      }
      if (count == 0) {
        body_index_ = 0;
        bodies_total_ = 0;
        if (consumed_ != section_end_) {
          Fail(static_cast<uint32_t>(consumed_), "section size mismatch");
          return false;
        }
        if (!processor_->ProcessCodeSectionEnd()) { stopped_ = true; return false; }
        state_ = State::kSectionId;
        return true;
      }
      state_ = State::kBodySize;
      return true;
    }
    case State::kBodySize: {
      if (leb_.empty()) {
        uint32_t before = body_index_;
        WholeBodies(pos);
        if (stopped_) return false;
        if (body_index_ != before) return true;  // the checks above, again
      }
      uint32_t size;
      if (leb_.empty() && data[pos] < 0x80) {
        // A one-byte size (most bodies are under 128 bytes), read in place.
        leb_offset_ = static_cast<uint32_t>(consumed_++);
        size = data[pos++];
      } else if (!LebByte(data[pos++], &size)) {
        return !stopped_;
      }
      if (size > kSpecMaxFunctionSize) {
        Fail(leb_offset_, "size of function body #" + std::to_string(body_index_) + " (" +
                              std::to_string(size) + " bytes) exceeds internal limit of " +
                              std::to_string(kSpecMaxFunctionSize) + " bytes");
        return false;
      }
      if (size > section_end_ - consumed_) {
        Fail(leb_offset_, "unexpected end of section or function (function body #" +
                              std::to_string(body_index_) + " of " + std::to_string(size) +
                              " bytes extends past the code section)");
        return false;
      }
      need_ = size;
      piece_offset_ = consumed_;
      state_ = State::kBody;
      if (size == 0) {
        if (!processor_->ProcessFunctionBody(body_index_, {}, static_cast<uint32_t>(piece_offset_))) {
          stopped_ = true;
          return false;
        }
        AfterBody();
      }
      return true;
    }
    case State::kBody: {
      Piece p;
      if (!Collect(pos, &p)) return false;
      if (!processor_->ProcessFunctionBody(body_index_, p.bytes,
                                           static_cast<uint32_t>(piece_offset_))) {
        stopped_ = true;
        return false;
      }
      AfterBody();
      return true;
    }
  }
  return false;
}

void StreamingDecoder::Finish() {
  if (stopped_) return;
  // A body count of zero and other states that need no more bytes may still
  // be pending a check that Step() does when the next byte comes.
  switch (state_) {
    case State::kSectionId:
      stopped_ = true;
      processor_->OnFinishedStream(static_cast<uint32_t>(total_));
      return;
    case State::kPreamble: {
      std::span<const uint8_t> got;
      if (buffer_) got = buffer_->span();
      if (!processor_->ProcessModuleHeader(got)) { stopped_ = true; return; }
      Fail(static_cast<uint32_t>(total_), "unexpected end");
      return;
    }
    case State::kSectionLength:
      Fail(static_cast<uint32_t>(total_), "unexpected end");
      return;
    case State::kCodeCount:
    case State::kBodySize:
      if (consumed_ >= section_end_) {
        Fail(static_cast<uint32_t>(consumed_), "unexpected end of section or function");
        return;
      }
      [[fallthrough]];
    case State::kSectionPayload:
    case State::kBody:
      Fail(static_cast<uint32_t>(total_),
           "length out of bounds (" + std::string(section_id_ == kCodeSectionId ? "code" : "a") +
               " section of " + std::to_string(section_length_) + " bytes at offset " +
               std::to_string(section_id_offset_) + " extends past the end of the module)");
      return;
  }
}

}  // namespace wasmstream::wasm
