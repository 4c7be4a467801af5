#include "wasm/type_relations.h"

namespace wasmstream::wasm {
namespace {

// Structural comparison of two recursion groups, position by position: a type
// index inside its own group compares by its position in the group, one
// outside (an earlier group) by equivalence.
struct GroupPair {
  const Module& m;
  uint32_t start_a, start_b, size;

  bool IndexEqual(uint32_t a, uint32_t b) const {
    bool in_a = a - start_a < size;
    bool in_b = b - start_b < size;
    if (in_a || in_b) return in_a && in_b && a - start_a == b - start_b;
    return TypesEquivalent(m, a, b);
  }
  bool HeapEqual(HeapType a, HeapType b) const {
    if (a.is_index() != b.is_index()) return false;
    return a.is_index() ? IndexEqual(a.index(), b.index()) : a == b;
  }
  bool ValueEqual(ValueType a, ValueType b) const {
    if (a.kind != b.kind) return false;
    if (a.kind != ValueKind::kRef) return true;
    return a.nullable == b.nullable && HeapEqual(a.heap, b.heap);
  }
  bool ValuesEqual(const std::vector<ValueType>& a, const std::vector<ValueType>& b) const {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
      if (!ValueEqual(a[i], b[i])) return false;
    }
    return true;
  }
  bool DefEqual(const TypeDef& a, const TypeDef& b) const {
    if (a.kind != b.kind || a.is_final != b.is_final) return false;
    if (a.supertypes.size() != b.supertypes.size()) return false;
    for (size_t i = 0; i < a.supertypes.size(); ++i) {
      if (!IndexEqual(a.supertypes[i], b.supertypes[i])) return false;
    }
    if (a.kind == CompositeKind::kFunc) {
      return ValuesEqual(a.func.params, b.func.params) && ValuesEqual(a.func.results, b.func.results);
    }
    if (a.fields.size() != b.fields.size()) return false;
    for (size_t i = 0; i < a.fields.size(); ++i) {
      const FieldType& fa = a.fields[i];
      const FieldType& fb = b.fields[i];
      if (fa.packed != fb.packed || fa.mutable_ != fb.mutable_ || !ValueEqual(fa.type, fb.type)) {
        return false;
      }
    }
    return true;
  }
};

bool InAnyHierarchy(const Module& m, HeapType h) {
  if (h.is_index()) return m.types[h.index()].kind != CompositeKind::kFunc;
  switch (h.abstract()) {
    case AbstractHeap::kAny: case AbstractHeap::kEq: case AbstractHeap::kI31:
    case AbstractHeap::kStruct: case AbstractHeap::kArray: case AbstractHeap::kNone:
      return true;
    default:
      return false;
  }
}

}  // namespace

bool TypesEquivalent(const Module& m, uint32_t a, uint32_t b) {
  if (a == b) return true;
  const TypeDef& ta = m.types[a];
  const TypeDef& tb = m.types[b];
  if (ta.rec_group_size != tb.rec_group_size) return false;
  if (a - ta.rec_group_start != b - tb.rec_group_start) return false;
  if (ta.rec_group_start == tb.rec_group_start) return false;  // same group, other position
  GroupPair pair{m, ta.rec_group_start, tb.rec_group_start, ta.rec_group_size};
  for (uint32_t i = 0; i < pair.size; ++i) {
    if (!pair.DefEqual(m.types[pair.start_a + i], m.types[pair.start_b + i])) return false;
  }
  return true;
}

bool IsDefinedSubtype(const Module& m, uint32_t a, uint32_t b) {
  // Declared super types always have smaller indices, so the walk ends.
  for (;;) {
    if (TypesEquivalent(m, a, b)) return true;
    const TypeDef& t = m.types[a];
    if (t.supertypes.empty()) return false;
    a = t.supertypes[0];
  }
}

bool IsHeapSubtype(const Module& m, HeapType a, HeapType b) {
  if (a == b) return true;
  if (!a.is_index() && a.abstract() == AbstractHeap::kBottom) return true;
  if (a.is_index()) {
    CompositeKind kind = m.types[a.index()].kind;
    if (b.is_index()) return IsDefinedSubtype(m, a.index(), b.index());
    switch (b.abstract()) {
      case AbstractHeap::kFunc: return kind == CompositeKind::kFunc;
      case AbstractHeap::kStruct: return kind == CompositeKind::kStruct;
      case AbstractHeap::kArray: return kind == CompositeKind::kArray;
      case AbstractHeap::kEq:
      case AbstractHeap::kAny: return kind != CompositeKind::kFunc;
      default: return false;
    }
  }
  switch (a.abstract()) {
    case AbstractHeap::kNone: return InAnyHierarchy(m, b);
    case AbstractHeap::kNoFunc:
      return b.is_index() ? m.types[b.index()].kind == CompositeKind::kFunc
                          : b.abstract() == AbstractHeap::kFunc;
    case AbstractHeap::kNoExtern: return b == HeapType::Abstract(AbstractHeap::kExtern);
    case AbstractHeap::kNoExn: return b == HeapType::Abstract(AbstractHeap::kExn);
    case AbstractHeap::kI31:
    case AbstractHeap::kStruct:
    case AbstractHeap::kArray:
      return b == HeapType::Abstract(AbstractHeap::kEq) || b == HeapType::Abstract(AbstractHeap::kAny);
    case AbstractHeap::kEq: return b == HeapType::Abstract(AbstractHeap::kAny);
    default: return false;
  }
}

bool IsSubtype(const Module& m, ValueType a, ValueType b) {
  if (a.kind == ValueKind::kBottom) return true;
  if (a.kind != b.kind) return false;
  if (a.kind != ValueKind::kRef) return true;
  if (a.nullable && !b.nullable) return false;
  return IsHeapSubtype(m, a.heap, b.heap);
}

AbstractHeap TopOf(const Module& m, HeapType h) {
  if (h.is_index()) {
    return m.types[h.index()].kind == CompositeKind::kFunc ? AbstractHeap::kFunc : AbstractHeap::kAny;
  }
  switch (h.abstract()) {
    case AbstractHeap::kFunc: case AbstractHeap::kNoFunc: return AbstractHeap::kFunc;
    case AbstractHeap::kExtern: case AbstractHeap::kNoExtern: return AbstractHeap::kExtern;
    case AbstractHeap::kExn: case AbstractHeap::kNoExn: return AbstractHeap::kExn;
    case AbstractHeap::kBottom: return AbstractHeap::kBottom;
    default: return AbstractHeap::kAny;
  }
}

AbstractHeap BottomOf(const Module& m, HeapType h) {
  switch (TopOf(m, h)) {
    case AbstractHeap::kFunc: return AbstractHeap::kNoFunc;
    case AbstractHeap::kExtern: return AbstractHeap::kNoExtern;
    case AbstractHeap::kExn: return AbstractHeap::kNoExn;
    case AbstractHeap::kBottom: return AbstractHeap::kBottom;
    default: return AbstractHeap::kNone;
  }
}

bool IsFieldSubtype(const Module& m, const FieldType& sub, const FieldType& super) {
  if (sub.mutable_ != super.mutable_ || sub.packed != super.packed) return false;
  if (!IsSubtype(m, sub.type, super.type)) return false;
  return !sub.mutable_ || IsSubtype(m, super.type, sub.type);
}

bool CompositeMatches(const Module& m, uint32_t sub, uint32_t super) {
  const TypeDef& a = m.types[sub];
  const TypeDef& b = m.types[super];
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case CompositeKind::kFunc: {
      const FuncType& fa = a.func;
      const FuncType& fb = b.func;
      if (fa.params.size() != fb.params.size() || fa.results.size() != fb.results.size()) {
        return false;
      }
      for (size_t i = 0; i < fa.params.size(); ++i) {
        if (!IsSubtype(m, fb.params[i], fa.params[i])) return false;
      }
      for (size_t i = 0; i < fa.results.size(); ++i) {
        if (!IsSubtype(m, fa.results[i], fb.results[i])) return false;
      }
      return true;
    }
    case CompositeKind::kStruct:
      if (a.fields.size() < b.fields.size()) return false;
      for (size_t i = 0; i < b.fields.size(); ++i) {
        if (!IsFieldSubtype(m, a.fields[i], b.fields[i])) return false;
      }
      return true;
    case CompositeKind::kArray:
      return IsFieldSubtype(m, a.fields[0], b.fields[0]);
  }
  return false;
}

}  // namespace wasmstream::wasm
