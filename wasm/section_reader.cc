#include "wasm/section_reader.h"

#include <string>

namespace wasmstream::wasm {

uint32_t ConsumeCount(Decoder& d, const char* name, uint32_t max, uint32_t already) {
  uint32_t at = d.offset();
  uint32_t n = d.u32v();
  if (!d.ok()) return 0;
  // n + already > max, written without overflow.
  if (already > max || n > max - already) {
    d.Fail(at, std::string(name) + " count of " + std::to_string(uint64_t{n} + already) +
                   " exceeds internal limit of " + std::to_string(max));
    return 0;
  }
  // Each entry takes at least one byte: a count larger than what is left is
  // malformed now, before anyone reserves memory for it.
  if (n > d.remaining()) {
    d.Fail(at, d.remaining() == 0 && n > 0 ? "unexpected end of section or function"
                                           : "length out of bounds");
    return 0;
  }
  return n;
}

namespace {

// Abstract heap type for a one-byte negative code, or nullopt-like false.
bool AbstractFromByte(uint8_t b, const Features& f, AbstractHeap* out) {
  bool gc = f.has(Feature::kGc);
  bool eh = f.has(Feature::kExceptions);
  switch (b) {
    case 0x70: *out = AbstractHeap::kFunc; return true;
    case 0x6F: *out = AbstractHeap::kExtern; return true;
    case 0x6E: *out = AbstractHeap::kAny; return gc;
    case 0x6D: *out = AbstractHeap::kEq; return gc;
    case 0x6C: *out = AbstractHeap::kI31; return gc;
    case 0x6B: *out = AbstractHeap::kStruct; return gc;
    case 0x6A: *out = AbstractHeap::kArray; return gc;
    case 0x71: *out = AbstractHeap::kNone; return gc;
    case 0x72: *out = AbstractHeap::kNoExtern; return gc;
    case 0x73: *out = AbstractHeap::kNoFunc; return gc;
    case 0x69: *out = AbstractHeap::kExn; return eh;
    case 0x74: *out = AbstractHeap::kNoExn; return eh && gc;
    default: return false;
  }
}

bool TypedRefs(const Features& f) {
  return f.has(Feature::kFunctionReferences) || f.has(Feature::kGc);
}

}  // namespace

HeapType ReadHeapType(Decoder& d, const Features& f, uint32_t num_types) {
  uint32_t at = d.offset();
  uint8_t b = d.PeekU8();
  AbstractHeap a;
  if (b >= 0x40 && b < 0x80) {  // a one-byte negative s33: abstract
    d.u8();
    if (!AbstractFromByte(b, f, &a)) {
      d.Fail(at, "malformed heap type");
      return {};
    }
    return HeapType::Abstract(a);
  }
  int64_t idx = d.s33v();
  if (!d.ok()) return {};
  if (idx < 0 || !TypedRefs(f)) {
    d.Fail(at, "malformed heap type");
    return {};
  }
  if (static_cast<uint64_t>(idx) >= num_types) {
    d.Fail(at, "unknown type " + std::to_string(idx));
    return {};
  }
  return HeapType::Index(static_cast<uint32_t>(idx));
}

ValueType ReadValueType(Decoder& d, const Features& f, uint32_t num_types) {
  uint32_t at = d.offset();
  uint8_t b = d.u8();
  if (!d.ok()) return {};
  switch (b) {
    case 0x7F: return ValueType::I32();
    case 0x7E: return ValueType::I64();
    case 0x7D: return ValueType::F32();
    case 0x7C: return ValueType::F64();
    case 0x7B:
      if (f.has(Feature::kSimd)) return ValueType::V128();
      break;
    case 0x70:
      return ValueType::FuncRef();
    case 0x6F:
      if (f.has(Feature::kReferenceTypes)) return ValueType::ExternRef();
      break;
    case 0x64:
    case 0x63:
      if (TypedRefs(f)) {
        HeapType h = ReadHeapType(d, f, num_types);
        return ValueType::Ref(h, b == 0x63);
      }
      break;
    default: {
      AbstractHeap a;
      if (AbstractFromByte(b, f, &a)) return ValueType::Ref(HeapType::Abstract(a), true);
      break;
    }
  }
  d.Fail(at, "malformed value type");
  return {};
}

ValueType ReadRefType(Decoder& d, const Features& f, uint32_t num_types) {
  uint32_t at = d.offset();
  uint8_t b = d.PeekU8();
  bool ref_byte = b == 0x70 || b == 0x6F || b == 0x64 || b == 0x63 ||
                  (b >= 0x69 && b <= 0x74 && b != 0x70 && b != 0x6F);
  if (!ref_byte && d.ok() && !d.at_end()) {
    d.Fail(at, "malformed reference type");
    return {};
  }
  ValueType t = ReadValueType(d, f, num_types);
  if (d.ok() && !t.is_ref()) d.Fail(at, "malformed reference type");
  return t;
}

Limits ReadLimits(Decoder& d, const Features& f, LimitsKind kind) {
  Limits l;
  uint32_t at = d.offset();
  uint8_t flags = d.u8();
  if (!d.ok()) return l;
  uint8_t allowed = 0x01;
  if (kind == LimitsKind::kMemory && f.has(Feature::kThreads)) allowed |= 0x02;
  if (f.has(Feature::kMemory64)) allowed |= 0x04;
  if (flags & 0x80) {  // a flags "LEB" of more than one byte
    d.Fail(at, "integer representation too long");
    return l;
  }
  if (flags & ~allowed) {
    d.Fail(at, kind == LimitsKind::kMemory ? "malformed limits flags (memory)"
                                           : "malformed limits flags (table)");
    return l;
  }
  l.has_max = flags & 0x01;
  l.shared = flags & 0x02;
  l.is64 = flags & 0x04;
  if (l.is64) {
    l.min = d.u64v();
    if (l.has_max) l.max = d.u64v();
  } else {
    l.min = d.u32v();
    if (l.has_max) l.max = d.u32v();
  }
  return l;
}

}  // namespace wasmstream::wasm
