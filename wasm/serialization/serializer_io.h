// The byte writer and the bounds-checked reader of the serialized module
// format (serializer.h). Private to the serializer's files.
#ifndef WASMSTREAM_WASM_SERIALIZATION_SERIALIZER_IO_H_
#define WASMSTREAM_WASM_SERIALIZATION_SERIALIZER_IO_H_

#include <bit>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "base/huge_pages.h"
#include "wasm/module.h"
#include "wasm/result.h"

namespace wasmstream::wasm::serialization {

class Writer {
 public:
  void U8(uint8_t v) { out_.push_back(v); }
  void U32(uint32_t v) {
    for (int i = 0; i < 4; ++i) out_.push_back(static_cast<uint8_t>(v >> (8 * i)));
  }
  void U64(uint64_t v) {
    for (int i = 0; i < 8; ++i) out_.push_back(static_cast<uint8_t>(v >> (8 * i)));
  }
  void Bool(bool b) { U8(b ? 1 : 0); }
  void Bytes(std::span<const uint8_t> b) {
    U32(static_cast<uint32_t>(b.size()));
    out_.insert(out_.end(), b.begin(), b.end());
  }
  void Str(const std::string& s) {
    Bytes({reinterpret_cast<const uint8_t*>(s.data()), s.size()});
  }
  void Range(ByteRange r) {
    U32(r.offset);
    U32(r.length);
  }
  void Type(ValueType t) {
    U8(static_cast<uint8_t>(t.kind));
    Bool(t.nullable);
    U32(t.heap.code);
  }
  void TheLimits(const Limits& l) {
    U64(l.min);
    Bool(l.has_max);
    U64(l.max);
    Bool(l.shared);
    Bool(l.is64);
  }
  template <typename T, typename F>
  void Vec(const std::vector<T>& v, F&& each) {
    U32(static_cast<uint32_t>(v.size()));
    for (const T& x : v) each(x);
  }
  void OptU32(const std::optional<uint32_t>& v) {
    Bool(v.has_value());
    U32(v.value_or(0));
  }
  // A vector of fixed-width integers as one block (little-endian).
  template <typename T>
  void Array(const std::vector<T>& v) {
    U32(static_cast<uint32_t>(v.size()));
    if constexpr (std::endian::native == std::endian::little) {
      const uint8_t* p = reinterpret_cast<const uint8_t*>(v.data());
      out_.insert(out_.end(), p, p + v.size() * sizeof(T));
    } else {
      for (T x : v) sizeof(T) == 8 ? U64(x) : U32(static_cast<uint32_t>(x));
    }
  }
  // Bytes as they are, no count (the reader knows their length otherwise).
  void Raw(std::span<const uint8_t> b) { out_.insert(out_.end(), b.begin(), b.end()); }
  size_t size() const { return out_.size(); }
  std::vector<uint8_t> Take() {
    std::vector<uint8_t> v;
    v.swap(out_);
    return v;
  }

 private:
  std::vector<uint8_t> out_;
};

// Reads with bounds checks; the first failure sticks and every later read
// returns zeros, so callers check ok() once per structure.
class Reader {
 public:
  explicit Reader(std::span<const uint8_t> b) : b_(b) {}
  bool ok() const { return !error_; }
  const std::optional<CompileError>& error() const { return error_; }
  size_t pos() const { return pos_; }
  size_t left() const { return b_.size() - pos_; }
  // Everything being read (positions are offsets into it).
  std::span<const uint8_t> all() const { return b_; }
  // Steps over {n} bytes (checked).
  void Skip(size_t n) {
    if (Need(n, "bytes")) pos_ += n;
  }

  void Fail(std::string message) {
    if (!error_) error_ = CompileError{static_cast<uint32_t>(pos_), std::move(message)};
  }
  bool Need(size_t n, const char* what) {
    if (!ok()) return false;
    if (n > left()) {
      Fail(std::string("truncated serialized module: ") + what + " needs " + std::to_string(n) +
           " bytes, " + std::to_string(left()) + " left");
      return false;
    }
    return true;
  }
  uint8_t U8(const char* what) {
    if (!Need(1, what)) return 0;
    return b_[pos_++];
  }
  uint32_t U32(const char* what) {
    if (!Need(4, what)) return 0;
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v |= uint32_t{b_[pos_ + i]} << (8 * i);
    pos_ += 4;
    return v;
  }
  uint64_t U64(const char* what) {
    if (!Need(8, what)) return 0;
    uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v |= uint64_t{b_[pos_ + i]} << (8 * i);
    pos_ += 8;
    return v;
  }
  bool Bool(const char* what) {
    uint8_t v = U8(what);
    if (v > 1) Fail(std::string("bad boolean for ") + what);
    return v == 1;
  }
  // A count of items each taking at least {min_item_bytes}: checked against
  // the bytes left, so a hostile count cannot make us allocate.
  uint32_t Count(const char* what, size_t min_item_bytes) {
    uint32_t n = U32(what);
    if (ok() && min_item_bytes > 0 && n > left() / min_item_bytes) {
      Fail(std::string(what) + " count " + std::to_string(n) + " exceeds the bytes left");
      return 0;
    }
    return ok() ? n : 0;
  }
  std::span<const uint8_t> Bytes(const char* what) {
    uint32_t n = Count(what, 1);
    if (!Need(n, what)) return {};
    auto s = b_.subspan(pos_, n);
    pos_ += n;
    return s;
  }
  template <typename T>
  void Array(std::vector<T>& out, const char* what) {
    uint32_t n = Count(what, sizeof(T));
    if (!Need(size_t{n} * sizeof(T), what)) return;
    base::ResizeForFill(out, n);
    if constexpr (std::endian::native == std::endian::little) {
      if (n) std::memcpy(out.data(), b_.data() + pos_, size_t{n} * sizeof(T));
      pos_ += size_t{n} * sizeof(T);
    } else {
      for (T& x : out) x = sizeof(T) == 8 ? U64(what) : U32(what);
    }
  }
  std::string Str(const char* what) {
    auto s = Bytes(what);
    return std::string(s.begin(), s.end());
  }
  // A count of fixed-size records and their bytes, checked once: the caller
  // decodes them without further bounds checks.
  std::span<const uint8_t> Records(const char* what, size_t record_bytes, uint32_t* count) {
    *count = Count(what, record_bytes);
    if (!Need(size_t{*count} * record_bytes, what)) {
      *count = 0;
      return {};
    }
    auto s = b_.subspan(pos_, size_t{*count} * record_bytes);
    pos_ += s.size();
    return s;
  }
  // Steps over a count and that many items of {item_bytes}.
  void SkipArray(size_t item_bytes, const char* what) {
    uint32_t n = Count(what, item_bytes);
    if (Need(size_t{n} * item_bytes, what)) pos_ += size_t{n} * item_bytes;
  }
  ByteRange Range(const char* what) {
    ByteRange r;
    r.offset = U32(what);
    r.length = U32(what);
    return r;
  }
  ValueType Type(const char* what) {
    ValueType t;
    uint8_t kind = U8(what);
    if (kind > static_cast<uint8_t>(ValueKind::kRef)) Fail(std::string("bad value kind in ") + what);
    t.kind = static_cast<ValueKind>(kind);
    t.nullable = Bool(what);
    t.heap.code = U32(what);
    return t;
  }
  Limits TheLimits(const char* what) {
    Limits l;
    l.min = U64(what);
    l.has_max = Bool(what);
    l.max = U64(what);
    l.shared = Bool(what);
    l.is64 = Bool(what);
    return l;
  }
  std::optional<uint32_t> OptU32(const char* what) {
    bool has = Bool(what);
    uint32_t v = U32(what);
    return has ? std::optional<uint32_t>(v) : std::nullopt;
  }
  template <typename E>
  E Enum(const char* what, uint8_t max) {
    uint8_t v = U8(what);
    if (v > max) Fail(std::string("bad ") + what + " " + std::to_string(v));
    return static_cast<E>(v);
  }

 private:
  std::span<const uint8_t> b_;
  size_t pos_ = 0;
  std::optional<CompileError> error_;
};

}  // namespace wasmstream::wasm::serialization

#endif  // WASMSTREAM_WASM_SERIALIZATION_SERIALIZER_IO_H_
