// Store-wide canonical types. Each module's type section is canonicalized
// iso-recursively: a recursion group is keyed by its structure, with
// references inside the group written relative to the group and references
// to earlier groups by their canonical id, so two modules defining the same
// rec group get the same canonical ids (and a cast or call_indirect across
// modules compares ids). Canonical value types use the canonical id as the
// heap index (HeapType::Index(id)).
//
// Subtyping between canonical ids walks the declared supertype chain (depth
// at most kSpecMaxSubtypingDepth, checked by the decoder).
#ifndef WASMSTREAM_WASM_RUNTIME_GC_TYPES_H_
#define WASMSTREAM_WASM_RUNTIME_GC_TYPES_H_

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "wasm/module.h"
#include "wasm/types.h"

namespace wasmstream::wasm {

constexpr uint32_t kNoSuper = UINT32_MAX;

struct CanonField {
  FieldType type;       // heap types canonical
  uint32_t offset = 0;  // byte offset in a struct's payload
  uint8_t size = 0;     // bytes in an object: 1, 2, 4, 8 or 16
  uint8_t slots = 1;    // operand slots (2 for v128)
};

struct CanonType {
  CompositeKind kind = CompositeKind::kFunc;
  bool is_final = true;
  uint32_t super = kNoSuper;
  FuncType func;                   // kFunc, heap types canonical
  std::vector<CanonField> fields;  // kStruct; kArray: the element
  uint32_t payload_bytes = 0;      // kStruct: the payload size
};

// Bytes of a field in an object, and its operand slots.
uint8_t FieldBytes(const FieldType& f);

class TypeRegistry {
 public:
  // The canonical id of each of {module}'s types, by type index.
  std::vector<uint32_t> Canonicalize(const Module& module);
  // A host function's type: a final function type alone in its rec group
  // (what `(type (func ...))` is). Its value types must be abstract.
  uint32_t InternFunc(const FuncType& type);

  const CanonType& type(uint32_t id) const { return types_[id]; }
  size_t size() const { return types_.size(); }

  // Canonical {a} is {b} or a declared (transitive) subtype of it.
  bool IsSubtype(uint32_t a, uint32_t b) const {
    for (uint32_t t = a; t != kNoSuper; t = types_[t].super) {
      if (t == b) return true;
    }
    return false;
  }
  // Subtyping of canonical heap and value types.
  bool IsHeapSubtype(HeapType a, HeapType b) const;
  bool IsValueSubtype(ValueType a, ValueType b) const;
  // The top of a canonical heap type's hierarchy (func, extern, any, exn).
  AbstractHeap TopOf(HeapType h) const;

 private:
  std::vector<CanonType> types_;
  std::unordered_map<std::string, uint32_t> groups_;  // group key -> first id
};

// {t} with its module-relative heap index replaced by the canonical id.
ValueType CanonValueType(ValueType t, const std::vector<uint32_t>& canon);
FuncType CanonFuncType(const FuncType& f, const std::vector<uint32_t>& canon);

}  // namespace wasmstream::wasm

#endif  // WASMSTREAM_WASM_RUNTIME_GC_TYPES_H_
