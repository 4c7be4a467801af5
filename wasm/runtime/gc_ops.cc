// The interpreter's GC operations (IOp::kGc, IOp::kBrOnCast): struct and
// array access, allocation, i31, casts. Operands sit in consecutive slots
// from {base} (v128 values take two); every operand is read before the
// result is written, as the result slot may be {base} itself.
#include <cstring>

#include "wasm/opcodes.h"
#include "wasm/runtime/gc_heap.h"
#include "wasm/runtime/instance.h"
#include "wasm/runtime/ops.h"
#include "wasm/runtime/store.h"

namespace wasmstream::wasm {
namespace {

// A struct field or array element read into {dst} as its operand type:
// packed values extended to i32 (sign-extended for the _s forms).
void ReadValue(const uint8_t* p, const CanonField& f, bool sign, uint64_t* dst) {
  LoadFieldBytes(p, f.size, dst);
  if (sign && f.size == 1) dst[0] = static_cast<uint32_t>(static_cast<int32_t>(static_cast<int8_t>(dst[0])));
  if (sign && f.size == 2) dst[0] = static_cast<uint32_t>(static_cast<int32_t>(static_cast<int16_t>(dst[0])));
}

bool InBounds(uint64_t i, uint64_t n, uint64_t len) { return i <= len && n <= len - i; }

}  // namespace

bool RefMatches(Store& store, const Instance* inst, RefBits r, uint32_t heap, bool nullable) {
  using A = AbstractHeap;
  if (r == kNullRef) return nullable;
  if (heap < kAbstractBase) {
    uint32_t want = inst->canon_types[heap];
    if (IsGcRef(r)) return store.types().IsSubtype(GcObjectOf(r)->type, want);
    if (IsFuncRef(r)) {
      return store.types().IsSubtype(reinterpret_cast<const FuncInstance*>(r)->sig_id, want);
    }
    return false;
  }
  switch (static_cast<A>(heap)) {
    case A::kAny: case A::kFunc: case A::kExtern: case A::kExn: return true;
    case A::kEq: return IsI31(r) || IsGcRef(r);
    case A::kI31: return IsI31(r);
    case A::kStruct: return IsGcRef(r) && !GcObjectOf(r)->is_array;
    case A::kArray: return IsGcRef(r) && GcObjectOf(r)->is_array;
    default: return false;  // the bottoms hold only null
  }
}

bool RefFitsType(Store& store, const Instance* inst, ValueType t, RefBits r) {
  using A = AbstractHeap;
  if (r == kNullRef) return t.nullable;
  if (t.heap.is_index()) {
    uint32_t id = t.heap.index();
    if (inst) {
      if (id >= inst->canon_types.size()) return false;
      id = inst->canon_types[id];
    } else if (id >= store.types().size()) {
      return false;
    }
    if (IsGcRef(r)) return store.types().IsSubtype(GcObjectOf(r)->type, id);
    if (IsFuncRef(r)) {
      return store.types().IsSubtype(reinterpret_cast<const FuncInstance*>(r)->sig_id, id);
    }
    return false;
  }
  switch (t.heap.abstract()) {
    case A::kFunc: return IsFuncRef(r);
    case A::kExn: return IsExnRef(r);
    case A::kExtern: return !IsFuncRef(r) && !IsExnRef(r);  // host values and externalized any
    case A::kAny: return IsHostRef(r) || IsI31(r) || IsGcRef(r);
    case A::kEq: return IsI31(r) || IsGcRef(r);
    case A::kI31: return IsI31(r);
    case A::kStruct: return IsGcRef(r) && !GcObjectOf(r)->is_array;
    case A::kArray: return IsGcRef(r) && GcObjectOf(r)->is_array;
    default: return false;  // the bottoms hold only null
  }
}

TrapKind ExecGc(Store& store, Instance* inst, uint64_t* fp, const uint32_t* pc) {
  const Opcode op = static_cast<Opcode>(pc[1]);
  uint64_t* dst = fp + pc[2];
  const uint64_t* a = fp + pc[3];
  const uint32_t imm1 = pc[4], imm2 = pc[5];
  const TypeRegistry& types = store.types();
  auto canon = [&](uint32_t type_index) { return inst->canon_types[type_index]; };
  auto array_elem = [&](uint32_t type_index) -> const CanonField& {
    return types.type(canon(type_index)).fields[0];
  };
  RefBits out = kNullRef;
  TrapKind trap = TrapKind::kNone;
  switch (op) {
    case Opcode::kStructNew:
    case Opcode::kStructNewDefault:
      trap = NewStruct(store, canon(imm1), op == Opcode::kStructNew ? a : nullptr, &out);
      if (trap == TrapKind::kNone) dst[0] = out;
      return trap;
    case Opcode::kStructGet:
    case Opcode::kStructGetS:
    case Opcode::kStructGetU: {
      if (a[0] == kNullRef) return TrapKind::kNullStructRef;
      GcObject* o = GcObjectOf(a[0]);
      const CanonField& f = types.type(canon(imm1)).fields[imm2];
      ReadValue(o->data() + f.offset, f, op == Opcode::kStructGetS, dst);
      return TrapKind::kNone;
    }
    case Opcode::kStructSet: {
      if (a[0] == kNullRef) return TrapKind::kNullStructRef;
      GcObject* o = GcObjectOf(a[0]);
      const CanonField& f = types.type(canon(imm1)).fields[imm2];
      StoreFieldBytes(o->data() + f.offset, f.size, a + 1);
      return TrapKind::kNone;
    }
    case Opcode::kArrayNew: {
      const CanonField& e = array_elem(imm1);
      trap = NewArray(store, canon(imm1), static_cast<uint32_t>(a[e.slots]), a, &out);
      if (trap == TrapKind::kNone) dst[0] = out;
      return trap;
    }
    case Opcode::kArrayNewDefault:
      trap = NewArray(store, canon(imm1), static_cast<uint32_t>(a[0]), nullptr, &out);
      if (trap == TrapKind::kNone) dst[0] = out;
      return trap;
    case Opcode::kArrayNewFixed:
      trap = NewArrayFixed(store, canon(imm1), imm2, a, &out);
      if (trap == TrapKind::kNone) dst[0] = out;
      return trap;
    case Opcode::kArrayNewData: {
      const CanonField& e = array_elem(imm1);
      uint64_t s = static_cast<uint32_t>(a[0]), n = static_cast<uint32_t>(a[1]);
      if (n > kMaxArrayLength) return TrapKind::kArrayTooLarge;
      auto bytes = inst->DataBytes(imm2);
      if (!InBounds(s, n * e.size, bytes.size())) return TrapKind::kDataSegmentOutOfBounds;
      trap = NewArray(store, canon(imm1), n, nullptr, &out);
      if (trap != TrapKind::kNone) return trap;
      if (n) std::memcpy(GcObjectOf(out)->data(), bytes.data() + s, n * e.size);
      dst[0] = out;
      return TrapKind::kNone;
    }
    case Opcode::kArrayNewElem: {
      uint64_t s = static_cast<uint32_t>(a[0]), n = static_cast<uint32_t>(a[1]);
      if (n > kMaxArrayLength) return TrapKind::kArrayTooLarge;
      const auto& seg = inst->elems[imm2];
      if (!InBounds(s, n, seg.size())) return TrapKind::kTableOutOfBounds;
      trap = NewArrayFixed(store, canon(imm1), static_cast<uint32_t>(n), seg.data() + s, &out);
      if (trap == TrapKind::kNone) dst[0] = out;
      return trap;
    }
    case Opcode::kArrayGet:
    case Opcode::kArrayGetS:
    case Opcode::kArrayGetU: {
      if (a[0] == kNullRef) return TrapKind::kNullArrayRef;
      GcObject* o = GcObjectOf(a[0]);
      uint64_t i = static_cast<uint32_t>(a[1]);
      if (i >= o->length) return TrapKind::kArrayOutOfBounds;
      const CanonField& e = array_elem(imm1);
      ReadValue(o->data() + i * e.size, e, op == Opcode::kArrayGetS, dst);
      return TrapKind::kNone;
    }
    case Opcode::kArraySet: {
      if (a[0] == kNullRef) return TrapKind::kNullArrayRef;
      GcObject* o = GcObjectOf(a[0]);
      uint64_t i = static_cast<uint32_t>(a[1]);
      if (i >= o->length) return TrapKind::kArrayOutOfBounds;
      const CanonField& e = array_elem(imm1);
      StoreFieldBytes(o->data() + i * e.size, e.size, a + 2);
      return TrapKind::kNone;
    }
    case Opcode::kArrayLen:
      if (a[0] == kNullRef) return TrapKind::kNullArrayRef;
      dst[0] = GcObjectOf(a[0])->length;
      return TrapKind::kNone;
    case Opcode::kArrayFill: {  // ref offset value n
      if (a[0] == kNullRef) return TrapKind::kNullArrayRef;
      GcObject* o = GcObjectOf(a[0]);
      const CanonField& e = array_elem(imm1);
      uint64_t d = static_cast<uint32_t>(a[1]);
      const uint64_t* v = a + 2;
      uint64_t n = static_cast<uint32_t>(a[2 + e.slots]);
      if (!InBounds(d, n, o->length)) return TrapKind::kArrayOutOfBounds;
      for (uint64_t k = 0; k < n; ++k) StoreFieldBytes(o->data() + (d + k) * e.size, e.size, v);
      return TrapKind::kNone;
    }
    case Opcode::kArrayCopy: {  // dst_ref dst_offset src_ref src_offset n
      if (a[0] == kNullRef || a[2] == kNullRef) return TrapKind::kNullArrayRef;
      GcObject* od = GcObjectOf(a[0]);
      GcObject* os = GcObjectOf(a[2]);
      uint64_t d = static_cast<uint32_t>(a[1]), s = static_cast<uint32_t>(a[3]),
               n = static_cast<uint32_t>(a[4]);
      if (!InBounds(d, n, od->length) || !InBounds(s, n, os->length)) {
        return TrapKind::kArrayOutOfBounds;
      }
      uint8_t size = array_elem(imm1).size;
      if (n) std::memmove(od->data() + d * size, os->data() + s * size, n * size);
      return TrapKind::kNone;
    }
    case Opcode::kArrayInitData:    // ref dst_offset src_offset n
    case Opcode::kArrayInitElem: {
      if (a[0] == kNullRef) return TrapKind::kNullArrayRef;
      GcObject* o = GcObjectOf(a[0]);
      uint64_t d = static_cast<uint32_t>(a[1]), s = static_cast<uint32_t>(a[2]),
               n = static_cast<uint32_t>(a[3]);
      if (!InBounds(d, n, o->length)) return TrapKind::kArrayOutOfBounds;
      const CanonField& e = array_elem(imm1);
      if (op == Opcode::kArrayInitData) {
        auto bytes = inst->DataBytes(imm2);
        if (!InBounds(s, n * e.size, bytes.size())) return TrapKind::kDataSegmentOutOfBounds;
        if (n) std::memcpy(o->data() + d * e.size, bytes.data() + s, n * e.size);
      } else {
        const auto& seg = inst->elems[imm2];
        if (!InBounds(s, n, seg.size())) return TrapKind::kTableOutOfBounds;
        if (n) std::memcpy(o->data() + d * e.size, seg.data() + s, n * sizeof(RefBits));
      }
      return TrapKind::kNone;
    }
    case Opcode::kRefI31:
      dst[0] = I31Ref(static_cast<uint32_t>(a[0]));
      return TrapKind::kNone;
    case Opcode::kI31GetS:
    case Opcode::kI31GetU:
      if (a[0] == kNullRef) return TrapKind::kNullI31Ref;
      dst[0] = op == Opcode::kI31GetS ? static_cast<uint32_t>(I31GetS(a[0])) : I31GetU(a[0]);
      return TrapKind::kNone;
    case Opcode::kRefTest:
    case Opcode::kRefTestNull:
      dst[0] = RefMatches(store, inst, a[0], imm1, imm2 != 0) ? 1 : 0;
      return TrapKind::kNone;
    case Opcode::kRefCast:
    case Opcode::kRefCastNull:
      if (!RefMatches(store, inst, a[0], imm1, imm2 != 0)) return TrapKind::kCastFailure;
      dst[0] = a[0];
      return TrapKind::kNone;
    default:
      return TrapKind::kUnreachable;
  }
}

}  // namespace wasmstream::wasm
