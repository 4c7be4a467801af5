// The decoded, validated module: immutable once built and shared between
// threads (std::shared_ptr<const Module>). Byte ranges point into wire_bytes.
#ifndef WASMSTREAM_WASM_MODULE_H_
#define WASMSTREAM_WASM_MODULE_H_

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "wasm/features.h"
#include "wasm/types.h"
#include "wasm/wire_bytes.h"

namespace wasmstream::wasm {

// A range of the module's wire bytes.
struct ByteRange {
  uint32_t offset = 0;
  uint32_t length = 0;
  uint32_t end() const { return offset + length; }
};

// A constant expression, kept as its bytes (ending in `end`) and evaluated at
// instantiation. `type` is its validated result type.
struct ConstExpr {
  ByteRange bytes;
};

struct Import {
  std::string module;
  std::string name;
  ExternalKind kind;
  uint32_t index;  // into functions/tables/memories/globals/tags (imports come first)
};

struct Export {
  std::string name;
  ExternalKind kind;
  uint32_t index;
};

// Compiled interpreter code of one function (defined by the runtime,
// wasm/runtime/). Null until compiled.
struct FunctionCode;

struct Function {
  uint32_t type_index = 0;
  bool imported = false;
  bool declared = false;  // may be referenced by ref.func (exported, in elems, or declared)
  ByteRange body;         // the body in wire_bytes (locals + code); empty for imports
};

struct Table {
  ValueType elem_type = ValueType::FuncRef();
  Limits limits;
  bool imported = false;
  std::optional<ConstExpr> init;  // function-references: table with initializer
};

struct Memory {
  Limits limits;
  bool imported = false;
  uint32_t page_size_log2 = 16;
};

struct Global {
  ValueType type;
  bool mutable_ = false;
  bool imported = false;
  ConstExpr init;  // not for imports
};

struct Tag {
  uint32_t type_index = 0;  // a function type with no results
  bool imported = false;
};

enum class SegmentMode : uint8_t { kActive, kPassive, kDeclarative };

struct ElemSegment {
  SegmentMode mode = SegmentMode::kActive;
  uint32_t table_index = 0;
  ConstExpr offset;                   // kActive only
  ValueType elem_type = ValueType::FuncRef();
  std::vector<ConstExpr> exprs;       // one per element (func indices are encoded as ref.func)
  std::vector<uint32_t> func_indices; // when the segment uses the index encoding
  bool uses_exprs = false;
};

struct DataSegment {
  SegmentMode mode = SegmentMode::kActive;
  uint32_t memory_index = 0;
  ConstExpr offset;  // kActive only
  ByteRange bytes;
};

struct CustomSection {
  std::string name;
  ByteRange payload;  // excluding the name
};

struct Module;

// Compiled code kept in serialized form (a code-cache payload) and loaded a
// function at a time, on its first call, instead of all at once when the
// module loads (wasm/serialization/serializer.h). Load() returns the function's code,
// checked as thoroughly as an eager load checks it (the runtime's verifier),
// or null when those bytes do not make safe code: the runtime then compiles
// the function from the wire bytes instead. Safe to call from any thread.
class DeferredCode {
 public:
  virtual ~DeferredCode() = default;
  virtual std::unique_ptr<FunctionCode> Load(const Module& module, uint32_t func_index) const = 0;
  // The payload holds code for {func_index} (Load may still refuse it).
  virtual bool Has(uint32_t func_index) const = 0;
};

// The code a module's functions get on their first call, shared by every
// instance of the module on any thread (wasm/runtime/module_code_table.h).
class ModuleCodeTable;

// Where a Module keeps its ModuleCodeTable: made by the runtime the first
// time it is asked for. The table is derived state, not part of what the
// Module is, so a copy of a Module starts without one.
class LazyCodeHome {
 public:
  LazyCodeHome() = default;
  LazyCodeHome(const LazyCodeHome&) {}
  LazyCodeHome& operator=(const LazyCodeHome&) { return *this; }

  // The table, or null when none was made yet.
  std::shared_ptr<ModuleCodeTable> Get() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return table_;
  }
  // The table, made by {make} if there is none yet (once, whatever the
  // number of threads asking).
  template <typename Make>
  std::shared_ptr<ModuleCodeTable> GetOrMake(Make&& make) const {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!table_) table_ = make();
    return table_;
  }

 private:
  mutable std::mutex mutex_;
  // Protected by {mutex_}:
  mutable std::shared_ptr<ModuleCodeTable> table_;
};

struct Module {
  Features features = Features::Default();
  WireBytes wire_bytes;  // shared with the stream that delivered them

  std::vector<TypeDef> types;
  std::vector<Import> imports;
  std::vector<Function> functions;  // imported first
  std::vector<Table> tables;
  std::vector<Memory> memories;
  std::vector<Global> globals;
  std::vector<Tag> tags;
  std::vector<Export> exports;
  std::optional<uint32_t> start;
  std::vector<ElemSegment> elems;
  std::vector<DataSegment> data;
  std::optional<uint32_t> data_count;
  std::vector<CustomSection> custom_sections;

  uint32_t num_imported_functions = 0;
  uint32_t num_imported_tables = 0;
  uint32_t num_imported_memories = 0;
  uint32_t num_imported_globals = 0;
  uint32_t num_imported_tags = 0;

  // Compiled code per function index (null for imports). Filled by the
  // compiler; empty or null for a function compiled (or loaded from
  // {deferred_code}) on its first call.
  std::vector<std::shared_ptr<const FunctionCode>> code;
  std::shared_ptr<const DeferredCode> deferred_code;
  // The code of functions without code above, made on their first call.
  LazyCodeHome lazy_code;

  const FuncType& func_type(uint32_t func_index) const {
    return types[functions[func_index].type_index].func;
  }
};

}  // namespace wasmstream::wasm

#endif  // WASMSTREAM_WASM_MODULE_H_
