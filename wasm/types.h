// Value types, heap types and the composite types of the type section
// (functions, and with GC structs and arrays, in recursion groups).
#ifndef WASMSTREAM_WASM_TYPES_H_
#define WASMSTREAM_WASM_TYPES_H_

#include <cstdint>
#include <string>
#include <vector>

namespace wasmstream::wasm {

// A heap type: either a concrete type index (< kAbstractBase) or an abstract one.
enum class AbstractHeap : uint32_t {
  kFunc = 0xFFFF'FF00, kExtern, kAny, kEq, kI31, kStruct, kArray,
  kNone, kNoFunc, kNoExtern, kExn, kNoExn,
  kBottom,  // only in validation: the type of an unknown (unreachable) operand
};
constexpr uint32_t kAbstractBase = static_cast<uint32_t>(AbstractHeap::kFunc);

struct HeapType {
  uint32_t code = static_cast<uint32_t>(AbstractHeap::kFunc);
  static HeapType Index(uint32_t i) { return {i}; }
  static HeapType Abstract(AbstractHeap a) { return {static_cast<uint32_t>(a)}; }
  bool is_index() const { return code < kAbstractBase; }
  uint32_t index() const { return code; }
  AbstractHeap abstract() const { return static_cast<AbstractHeap>(code); }
  bool operator==(const HeapType&) const = default;
};

enum class ValueKind : uint8_t { kI32, kI64, kF32, kF64, kV128, kRef, kBottom };

struct ValueType {
  ValueKind kind = ValueKind::kI32;
  bool nullable = false;  // for kRef
  HeapType heap;          // for kRef

  static constexpr ValueType I32() { return {ValueKind::kI32}; }
  static constexpr ValueType I64() { return {ValueKind::kI64}; }
  static constexpr ValueType F32() { return {ValueKind::kF32}; }
  static constexpr ValueType F64() { return {ValueKind::kF64}; }
  static constexpr ValueType V128() { return {ValueKind::kV128}; }
  static ValueType Ref(HeapType h, bool nullable) { return {ValueKind::kRef, nullable, h}; }
  static ValueType FuncRef() { return Ref(HeapType::Abstract(AbstractHeap::kFunc), true); }
  static ValueType ExternRef() { return Ref(HeapType::Abstract(AbstractHeap::kExtern), true); }
  static constexpr ValueType Bottom() { return {ValueKind::kBottom}; }

  bool is_ref() const { return kind == ValueKind::kRef; }
  bool is_num() const { return kind <= ValueKind::kF64; }
  bool operator==(const ValueType& o) const {
    return kind == o.kind && (kind != ValueKind::kRef || (nullable == o.nullable && heap == o.heap));
  }
};

// The wasm text name: "i32", "funcref", "(ref null 3)", "(ref any)"…
std::string ToString(ValueType t);
std::string ToString(HeapType h);

// A struct field or array element: a value type or a packed i8/i16.
enum class Packed : uint8_t { kNone, kI8, kI16 };
struct FieldType {
  ValueType type;
  Packed packed = Packed::kNone;
  bool mutable_ = false;
  // The type an operand has on the stack (packed fields read as i32).
  ValueType Unpacked() const { return packed == Packed::kNone ? type : ValueType::I32(); }
  bool operator==(const FieldType&) const = default;
};

struct FuncType {
  std::vector<ValueType> params;
  std::vector<ValueType> results;
  bool operator==(const FuncType&) const = default;
};
std::string ToString(const FuncType& f);  // "[i32 i32] -> [i64]"

enum class CompositeKind : uint8_t { kFunc, kStruct, kArray };

// One entry of the type space: a sub type (MVP func types are final, no supers).
struct TypeDef {
  CompositeKind kind = CompositeKind::kFunc;
  FuncType func;                  // kFunc
  std::vector<FieldType> fields;  // kStruct; kArray has exactly one
  bool is_final = true;
  std::vector<uint32_t> supertypes;  // at most one
  uint32_t rec_group_start = 0;      // index of the first type of its rec group
  uint32_t rec_group_size = 1;
};

// Table, memory limits. For memory64/table64 the bounds are 64-bit.
struct Limits {
  uint64_t min = 0;
  bool has_max = false;
  uint64_t max = 0;
  bool shared = false;
  bool is64 = false;
  bool operator==(const Limits&) const = default;
};

enum class ExternalKind : uint8_t { kFunction = 0, kTable = 1, kMemory = 2, kGlobal = 3, kTag = 4 };
const char* ToString(ExternalKind k);  // "function", "table", "memory", "global", "tag"

}  // namespace wasmstream::wasm

#endif  // WASMSTREAM_WASM_TYPES_H_
