#include "wasm/runtime/gc_types.h"

namespace wasmstream::wasm {
namespace {

// Appends a value type to a group key; {start, size}: the group being keyed,
// {canon}: ids of the module's earlier types.
void KeyValue(std::string& k, ValueType t, uint32_t start, uint32_t size,
              const std::vector<uint32_t>* canon) {
  // canon: ids of the types before {start}.
  k += static_cast<char>('0' + static_cast<int>(t.kind));
  if (!t.is_ref()) return;
  k += t.nullable ? 'n' : 'r';
  if (!t.heap.is_index()) {
    k += 'a' + std::to_string(t.heap.code - kAbstractBase);
  } else if (t.heap.index() >= start && t.heap.index() - start < size) {
    k += 'g' + std::to_string(t.heap.index() - start);  // inside the group
  } else if (t.heap.index() < start) {
    k += 'c' + std::to_string((*canon)[t.heap.index()]);
  } else {
    // A forward reference out of the group: only in a hand-made type (a
    // host function's), kept as is and matching nothing a module defines.
    k += 'u' + std::to_string(t.heap.index());
  }
  k += ',';
}

ValueType Resolve(ValueType t, uint32_t start, uint32_t size, uint32_t base,
                  const std::vector<uint32_t>& canon) {
  if (!t.is_ref() || !t.heap.is_index()) return t;
  uint32_t i = t.heap.index();
  if (i >= start && i - start < size) {
    t.heap = HeapType::Index(base + (i - start));
  } else if (i < start) {
    t.heap = HeapType::Index(canon[i]);
  }
  return t;
}

bool AbstractSub(AbstractHeap a, AbstractHeap b) {
  using A = AbstractHeap;
  if (a == b) return true;
  switch (b) {
    case A::kAny: return a == A::kEq || a == A::kI31 || a == A::kStruct || a == A::kArray || a == A::kNone;
    case A::kEq: return a == A::kI31 || a == A::kStruct || a == A::kArray || a == A::kNone;
    case A::kI31: case A::kStruct: case A::kArray: return a == A::kNone;
    case A::kFunc: return a == A::kNoFunc;
    case A::kExtern: return a == A::kNoExtern;
    case A::kExn: return a == A::kNoExn;
    default: return false;
  }
}

}  // namespace

uint8_t FieldBytes(const FieldType& f) {
  if (f.packed == Packed::kI8) return 1;
  if (f.packed == Packed::kI16) return 2;
  switch (f.type.kind) {
    case ValueKind::kI32: case ValueKind::kF32: return 4;
    case ValueKind::kV128: return 16;
    default: return 8;
  }
}

std::vector<uint32_t> TypeRegistry::Canonicalize(const Module& m) {
  std::vector<uint32_t> canon(m.types.size(), 0);
  for (uint32_t start = 0; start < m.types.size();) {
    uint32_t size = std::max<uint32_t>(1, m.types[start].rec_group_size);
    if (size > m.types.size() - start) size = static_cast<uint32_t>(m.types.size() - start);
    std::string key;
    for (uint32_t i = start; i < start + size; ++i) {
      const TypeDef& t = m.types[i];
      key += static_cast<char>('A' + static_cast<int>(t.kind));
      key += t.is_final ? 'F' : 'O';
      for (uint32_t s : t.supertypes) {
        KeyValue(key, ValueType::Ref(HeapType::Index(s), false), start, size, &canon);
      }
      key += '|';
      if (t.kind == CompositeKind::kFunc) {
        for (ValueType v : t.func.params) KeyValue(key, v, start, size, &canon);
        key += '>';
        for (ValueType v : t.func.results) KeyValue(key, v, start, size, &canon);
      } else {
        for (const FieldType& f : t.fields) {
          key += static_cast<char>('p' + static_cast<int>(f.packed));
          key += f.mutable_ ? 'm' : 'i';
          KeyValue(key, f.type, start, size, &canon);
        }
      }
      key += ';';
    }
    auto [it, inserted] = groups_.emplace(key, static_cast<uint32_t>(types_.size()));
    uint32_t base = it->second;
    if (inserted) {
      for (uint32_t i = start; i < start + size; ++i) {
        const TypeDef& t = m.types[i];
        CanonType c;
        c.kind = t.kind;
        c.is_final = t.is_final;
        if (!t.supertypes.empty()) {
          uint32_t s = t.supertypes[0];
          if (s >= start && s - start < size) {
            c.super = base + (s - start);
          } else if (s < start) {
            c.super = canon[s];
          }
        }
        for (ValueType v : t.func.params) c.func.params.push_back(Resolve(v, start, size, base, canon));
        for (ValueType v : t.func.results) c.func.results.push_back(Resolve(v, start, size, base, canon));
        uint32_t offset = 0;
        for (const FieldType& f : t.fields) {
          CanonField cf;
          cf.type = f;
          cf.type.type = Resolve(f.type, start, size, base, canon);
          cf.size = FieldBytes(f);
          cf.slots = f.type.kind == ValueKind::kV128 ? 2 : 1;
          offset = (offset + cf.size - 1) / cf.size * cf.size;  // natural alignment
          cf.offset = offset;
          offset += cf.size;
          c.fields.push_back(cf);
        }
        c.payload_bytes = (offset + 7) / 8 * 8;
        types_.push_back(std::move(c));
      }
    }
    for (uint32_t i = 0; i < size; ++i) canon[start + i] = base + i;
    start += size;
  }
  return canon;
}

uint32_t TypeRegistry::InternFunc(const FuncType& type) {
  Module m;
  TypeDef t;
  t.kind = CompositeKind::kFunc;
  t.func = type;
  m.types.push_back(std::move(t));
  return Canonicalize(m)[0];
}

AbstractHeap TypeRegistry::TopOf(HeapType h) const {
  using A = AbstractHeap;
  if (h.is_index()) {
    return types_[h.index()].kind == CompositeKind::kFunc ? A::kFunc : A::kAny;
  }
  switch (h.abstract()) {
    case A::kFunc: case A::kNoFunc: return A::kFunc;
    case A::kExtern: case A::kNoExtern: return A::kExtern;
    case A::kExn: case A::kNoExn: return A::kExn;
    default: return A::kAny;
  }
}

bool TypeRegistry::IsHeapSubtype(HeapType a, HeapType b) const {
  using A = AbstractHeap;
  if (a == b) return true;
  if (a.is_index() && b.is_index()) return IsSubtype(a.index(), b.index());
  if (a.is_index()) {
    CompositeKind k = types_[a.index()].kind;
    A want = k == CompositeKind::kFunc ? A::kFunc : k == CompositeKind::kStruct ? A::kStruct : A::kArray;
    return AbstractSub(want, b.abstract());
  }
  if (b.is_index()) {
    A bottom = types_[b.index()].kind == CompositeKind::kFunc ? A::kNoFunc : A::kNone;
    return a.abstract() == bottom;
  }
  return AbstractSub(a.abstract(), b.abstract());
}

bool TypeRegistry::IsValueSubtype(ValueType a, ValueType b) const {
  if (a.kind != b.kind) return false;
  if (!a.is_ref()) return true;
  if (a.nullable && !b.nullable) return false;
  return IsHeapSubtype(a.heap, b.heap);
}

ValueType CanonValueType(ValueType t, const std::vector<uint32_t>& canon) {
  if (t.is_ref() && t.heap.is_index() && t.heap.index() < canon.size()) {
    t.heap = HeapType::Index(canon[t.heap.index()]);
  }
  return t;
}

FuncType CanonFuncType(const FuncType& f, const std::vector<uint32_t>& canon) {
  FuncType r;
  for (ValueType v : f.params) r.params.push_back(CanonValueType(v, canon));
  for (ValueType v : f.results) r.results.push_back(CanonValueType(v, canon));
  return r;
}

}  // namespace wasmstream::wasm
