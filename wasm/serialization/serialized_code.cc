#include "wasm/serialization/serialized_code.h"

#include <zstd.h>

#include <mutex>
#include <set>
#include <span>

#include "wasm/runtime/code.h"
#include "wasm/runtime/code_verifier.h"

namespace wasmstream::wasm::serialization {
namespace {

// Fast: the writer thread compresses every stored module. Higher levels buy
// a few percent here for several times the time.
constexpr int kZstdLevel = 1;

void WriteFunctionCode(Writer& w, const FunctionCode& c) {
  w.U32(c.func_index);
  w.U32(c.num_param_slots);
  w.U32(c.num_result_slots);
  w.U32(c.num_local_slots);
  w.U32(c.frame_slots);
  w.Array(c.code);
  w.Array(c.consts);
  w.Vec(c.try_regions, [&](const TryRegion& t) {
    w.U32(t.begin);
    w.U32(t.end);
    w.U32(t.first_handler);
    w.U32(t.num_handlers);
  });
  w.Vec(c.handlers, [&](const CatchHandler& h) {
    w.U32(h.kind);
    w.U32(h.tag);
    w.U32(h.target);
    w.U32(h.dst_slot);
  });
}

// One function's compiled code at the reader's position (the layout
// WriteFunctionCode writes), or null with the reader failed.
std::unique_ptr<FunctionCode> ReadFunctionCode(Reader& r) {
  auto c = std::make_unique<FunctionCode>();
  c->func_index = r.U32("code function");
  c->num_param_slots = r.U32("param slots");
  c->num_result_slots = r.U32("result slots");
  c->num_local_slots = r.U32("local slots");
  c->frame_slots = r.U32("frame slots");
  r.Array(c->code, "code words");
  r.Array(c->consts, "constants");
  uint32_t n = r.Count("try regions", 16);
  c->try_regions.resize(n);
  for (TryRegion& t : c->try_regions) {
    t.begin = r.U32("try begin");
    t.end = r.U32("try end");
    t.first_handler = r.U32("try handlers");
    t.num_handlers = r.U32("try handler count");
  }
  n = r.Count("handlers", 16);
  c->handlers.resize(n);
  for (CatchHandler& h : c->handlers) {
    h.kind = r.U32("handler kind");
    h.tag = r.U32("handler tag");
    h.target = r.U32("handler target");
    h.dst_slot = r.U32("handler slot");
  }
  return r.ok() ? std::move(c) : nullptr;
}

// The chunk table as read: where each compressed chunk lies in the payload.
struct Chunk {
  size_t offset = 0;  // of the compressed bytes in the payload
  uint32_t compressed = 0;
  uint32_t raw = 0;
};

// Decompresses one chunk; nullopt when the bytes do not decompress to
// exactly the size the table gives.
std::optional<std::vector<uint8_t>> Decompress(std::span<const uint8_t> payload, const Chunk& c) {
  std::span<const uint8_t> in = payload.subspan(c.offset, c.compressed);
  if (c.compressed == c.raw) return std::vector<uint8_t>(in.begin(), in.end());  // stored
  unsigned long long size = ZSTD_getFrameContentSize(in.data(), in.size());
  if (size != c.raw) return std::nullopt;
  std::vector<uint8_t> out(c.raw);
  size_t got = ZSTD_decompress(out.data(), out.size(), in.data(), in.size());
  if (ZSTD_isError(got) || got != c.raw) return std::nullopt;
  return out;
}

// Code left compressed in the payload; a chunk is decompressed on the first
// call of one of its functions and kept (as an eager Module keeps its code).
class ChunkedCode final : public DeferredCode {
 public:
  ChunkedCode(std::shared_ptr<const std::vector<uint8_t>> payload, std::vector<uint32_t> chunk_of,
              std::vector<uint32_t> offset_in_chunk, std::vector<Chunk> chunks)
      : payload_(std::move(payload)),
        chunk_of_(std::move(chunk_of)),
        offset_(std::move(offset_in_chunk)),
        chunks_(std::move(chunks)),
        raw_(chunks_.size()) {}

  std::unique_ptr<FunctionCode> Load(const Module& m, uint32_t i) const override {
    if (i >= chunk_of_.size() || chunk_of_[i] == kNoChunk || i >= m.functions.size()) {
      return nullptr;
    }
    std::shared_ptr<const std::vector<uint8_t>> raw = Raw(chunk_of_[i]);
    if (!raw || offset_[i] >= raw->size()) return nullptr;
    Reader r(std::span<const uint8_t>(*raw).subspan(offset_[i]));
    std::unique_ptr<FunctionCode> c = ReadFunctionCode(r);
    if (!c || CheckFunctionCode(m, i, *c)) return nullptr;
    return c;
  }

  bool Has(uint32_t i) const override { return i < chunk_of_.size() && chunk_of_[i] != kNoChunk; }

 private:
  std::shared_ptr<const std::vector<uint8_t>> Raw(uint32_t chunk) const {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!raw_[chunk] && !failed_.count(chunk)) {
      auto bytes = Decompress(*payload_, chunks_[chunk]);
      if (bytes) {
        raw_[chunk] = std::make_shared<const std::vector<uint8_t>>(std::move(*bytes));
      } else {
        failed_.insert(chunk);
      }
    }
    return raw_[chunk];
  }

  std::shared_ptr<const std::vector<uint8_t>> payload_;
  std::vector<uint32_t> chunk_of_;
  std::vector<uint32_t> offset_;
  std::vector<Chunk> chunks_;
  mutable std::mutex mutex_;
  // Protected by {mutex_}:
  mutable std::vector<std::shared_ptr<const std::vector<uint8_t>>> raw_;
  mutable std::set<uint32_t> failed_;
};

}  // namespace

std::optional<std::string> CheckFunctionCode(const Module& m, size_t i, const FunctionCode& c) {
  if (c.func_index != i) return "code of function " + std::to_string(i) + " names another";
  Status verified = VerifyFunctionCode(m, c);
  if (!verified.ok()) return "function " + std::to_string(i) + ": " + verified.error().message;
  return std::nullopt;
}

void WriteCodeArea(Writer& w, const Module& m) {
  std::vector<const FunctionCode*> code(m.code.size());
  for (size_t i = 0; i < code.size(); ++i) code[i] = m.code[i].get();
  WriteCodeArea(w, m, code);
}

void WriteCodeArea(Writer& w, const Module& m, const std::vector<const FunctionCode*>& code) {
  const uint32_t n = static_cast<uint32_t>(m.functions.size());
  std::vector<uint32_t> chunk_of(n, kNoChunk), offset(n, 0);
  std::vector<std::vector<uint8_t>> compressed;
  std::vector<uint32_t> raw_sizes;
  Writer raw;
  auto close_chunk = [&] {
    std::vector<uint8_t> bytes = raw.Take();
    if (bytes.empty()) return;
    const uint32_t raw_size = static_cast<uint32_t>(bytes.size());
    std::vector<uint8_t> out(ZSTD_compressBound(bytes.size()));
    size_t size = ZSTD_compress(out.data(), out.size(), bytes.data(), bytes.size(), kZstdLevel);
    if (ZSTD_isError(size) || size >= bytes.size()) {
      out = std::move(bytes);  // stored as is: no gain
    } else {
      out.resize(size);
    }
    compressed.push_back(std::move(out));
    raw_sizes.push_back(raw_size);
  };
  for (uint32_t i = 0; i < n && i < code.size(); ++i) {
    const FunctionCode* c = code[i];
    if (!c) continue;
    Writer one;
    WriteFunctionCode(one, *c);
    std::vector<uint8_t> bytes = one.Take();
    if (bytes.size() > kMaxCodeChunkBytes) continue;  // compiled on first call instead
    if (raw.size() + bytes.size() > kMaxCodeChunkBytes) close_chunk();
    chunk_of[i] = static_cast<uint32_t>(compressed.size());
    offset[i] = static_cast<uint32_t>(raw.size());
    raw.Raw(bytes);
    if (raw.size() >= kCodeChunkBytes) close_chunk();
  }
  close_chunk();
  uint64_t raw_total = 0, area = 8 + 8 * uint64_t{n} + 8 * compressed.size();
  for (size_t k = 0; k < compressed.size(); ++k) {
    raw_total += raw_sizes[k];
    area += compressed[k].size();
  }
  if (raw_total > kMaxCompressionRatio * (w.size() + area)) {
    // Past what the loader accepts: no code (each function compiles from
    // the wire bytes on its first call).
    chunk_of.assign(n, kNoChunk);
    compressed.clear();
    raw_sizes.clear();
  }
  w.U32(n);
  w.Array(chunk_of);
  w.Array(offset);
  w.U32(static_cast<uint32_t>(compressed.size()));
  for (size_t k = 0; k < compressed.size(); ++k) {
    w.U32(static_cast<uint32_t>(compressed[k].size()));
    w.U32(raw_sizes[k]);
  }
  for (const auto& c : compressed) w.Raw(c);
}

void ReadCodeArea(Reader& r, Module& m, std::shared_ptr<const std::vector<uint8_t>> payload) {
  uint32_t n = r.U32("code count");
  if (r.ok() && n != m.functions.size()) r.Fail("code count does not match");
  std::vector<uint32_t> chunk_of, offset;
  r.Array(chunk_of, "code chunks");
  r.Array(offset, "code offsets");
  if (r.ok() && (chunk_of.size() != n || offset.size() != n)) r.Fail("code tables do not match");
  uint32_t m_chunks = r.Count("chunks", 8);
  std::vector<Chunk> chunks(m_chunks);
  uint64_t raw_total = 0;
  for (Chunk& c : chunks) {
    c.compressed = r.U32("chunk size");
    c.raw = r.U32("chunk decompressed size");
    if (r.ok() && c.raw > kMaxCodeChunkBytes) r.Fail("code chunk too large");
    raw_total += c.raw;
  }
  if (r.ok() && raw_total > kMaxCompressionRatio * uint64_t{r.all().size()}) {
    r.Fail("code decompresses to more than " + std::to_string(kMaxCompressionRatio) +
           " times the entry");
  }
  for (Chunk& c : chunks) {
    if (!r.Need(c.compressed, "code chunk")) break;
    c.offset = r.pos();
    r.Skip(c.compressed);
  }
  for (uint32_t i = 0; i < n && r.ok(); ++i) {
    if (chunk_of[i] == kNoChunk) continue;
    if (chunk_of[i] >= m_chunks) r.Fail("code chunk index out of range");
    if (m.functions[i].imported) r.Fail("code for an imported function");
  }
  if (!r.ok()) return;
  std::span<const uint8_t> bytes = r.all();
  if (payload) {
    m.deferred_code = std::make_shared<ChunkedCode>(std::move(payload), std::move(chunk_of),
                                                    std::move(offset), std::move(chunks));
    return;
  }
  std::vector<std::optional<std::vector<uint8_t>>> raw(m_chunks);
  m.code.assign(n, nullptr);
  for (uint32_t i = 0; i < n; ++i) {
    uint32_t k = chunk_of[i];
    if (k == kNoChunk) continue;
    if (!raw[k]) {
      raw[k] = Decompress(bytes, chunks[k]);
      if (!raw[k]) {
        r.Fail("code chunk " + std::to_string(k) + " does not decompress to its size");
        return;
      }
      raw[k]->shrink_to_fit();
    }
    if (offset[i] >= raw[k]->size()) {
      r.Fail("code offset outside its chunk");
      return;
    }
    Reader fr(std::span<const uint8_t>(*raw[k]).subspan(offset[i]));
    std::unique_ptr<FunctionCode> c = ReadFunctionCode(fr);
    if (!c) {
      r.Fail("function " + std::to_string(i) + ": " + fr.error()->message);
      return;
    }
    m.code[i] = std::move(c);
  }
}

}  // namespace wasmstream::wasm::serialization
