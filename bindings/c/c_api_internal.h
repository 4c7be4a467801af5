// The C API's objects behind the opaque types of wasm.h, shared by the
// bindings/c/*.cc files (not installed, not for embedders).
//
// Handles. Every reference type of wasm.h (func, global, table, memory,
// extern, instance, module, trap, foreign, ref) is one C++ object, Handle,
// which derives from all of those empty structs: wasm_func_as_extern and
// wasm_ref_as_func are then static casts through Handle, never
// reinterpretations. A handle names an object that its store owns (or, for
// modules and traps, a shared object); deleting a handle never deletes the
// object. Host info belongs to the object, so every handle of one object
// sees the same.
//
// Types use the same trick: TypeObj derives from wasm_externtype_t and the
// five kinds of type an extern type can be.
#ifndef WASMSTREAM_BINDINGS_C_C_API_INTERNAL_H_
#define WASMSTREAM_BINDINGS_C_C_API_INTERNAL_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "bindings/c/wasm.h"
#include "bindings/c/wasmstream.h"
#include "bindings/cached_consumer.h"
#include "bindings/module_stream_consumer.h"
#include "fetch/fetcher.h"
#include "wasm/features.h"
#include "wasm/module.h"
#include "wasm/runtime/error.h"
#include "wasm/runtime/instance.h"
#include "wasm/runtime/store.h"
#include "wasm/runtime/value.h"

// The opaque structs, completed as empty bases (see above).
struct wasm_ref_t {};
struct wasm_extern_t {};
struct wasm_func_t {};
struct wasm_global_t {};
struct wasm_table_t {};
struct wasm_memory_t {};
struct wasm_instance_t {};
struct wasm_module_t {};
struct wasm_trap_t {};
struct wasm_foreign_t {};
struct wasm_externtype_t {};
struct wasm_functype_t {};
struct wasm_globaltype_t {};
struct wasm_tabletype_t {};
struct wasm_memorytype_t {};
struct wasm_tagtype_t {};

struct wasm_valtype_t {
  wasmstream::wasm::ValueType type;
};

struct wasm_importtype_t {
  wasm_name_t module;
  wasm_name_t name;
  wasm_externtype_t* type;
};

struct wasm_exporttype_t {
  wasm_name_t name;
  wasm_externtype_t* type;
};

struct wasm_frame_t {
  wasm_instance_t* instance;
  uint32_t func_index;
  size_t func_offset;
  size_t module_offset;
};

namespace wasmstream::capi {

// ---- Errors at the boundary.

// Records why the current call fails (wasmstream_error_message()).
void SetError(std::string message);

// A misuse the header forbids: a debug build prints {what} and aborts; a
// release build records it as the call's error and the caller returns its
// error value.
void Misuse(const char* function, const char* what);

#define WASMSTREAM_CAPI_REQUIRE(cond, what, ret)                       \
  do {                                                                 \
    if (!(cond)) {                                                     \
      ::wasmstream::capi::Misuse(__func__, what);                      \
      return ret;                                                      \
    }                                                                  \
  } while (0)

// ---- Host info: a pointer and its finalizer, attached to an object.

struct HostInfo {
  void* info = nullptr;
  void (*finalizer)(void*) = nullptr;
  // Replacing info finalizes the old one.
  void Set(void* i, void (*f)(void*)) {
    Finalize();
    info = i;
    finalizer = f;
  }
  void Finalize() {
    auto f = finalizer;
    void* i = info;
    finalizer = nullptr;
    info = nullptr;
    if (f) f(i);
  }
};

// ---- Engine: compile settings, the code cache, the fetcher.

struct Settings {
  wasm::Features features = wasm::Features::Default();
  bool lazy = true;
  wasmstream_cache_policy_t cache_policy = WASMSTREAM_CACHE_OFF;
  std::string cache_path;  // empty: the default path
  uint64_t cache_max_bytes = 0;
  uint64_t cache_min_module_bytes = 0;
  bool cache_write_back = false;
};

struct EngineCtx {
  Settings settings;

  // Made in wasm_engine_new_with_config when the cache is on.
  std::shared_ptr<bindings::CodeCache> code_cache;
  std::shared_ptr<bindings::ModuleStreamConsumerFactory> cache_factory;
  // Compiles through the cache one at a time (the consumer factory is made
  // for one loop thread).
  std::mutex cache_mutex;

  std::atomic<uint64_t> compiles{0}, hits{0}, misses{0};

  // Made on the first streaming compile.
  std::mutex fetcher_mutex;
  std::unique_ptr<fetch::Fetcher> fetcher;
  fetch::Fetcher& Fetcher();
};

// ---- Store: the runtime store plus what the C API attaches to it.

enum class Kind : uint8_t {
  kFunc, kGlobal, kTable, kMemory, kTag, kInstance, kModule, kTrap, kForeign,
  kOpaque,  // a reference wasm made that is none of the above (a GC object, an i31)
};

struct Foreign {
  char unused = 0;  // identity is the address
};

struct StoreCtx : std::enable_shared_from_this<StoreCtx> {
  explicit StoreCtx(std::shared_ptr<EngineCtx> e);
  // Runs every finalizer (host info, function environments), then frees the
  // runtime objects.
  ~StoreCtx();

  std::shared_ptr<EngineCtx> engine;
  std::shared_ptr<wasm::Store> store;
  std::unordered_map<const void*, HostInfo> host_info;  // by object address
  std::vector<std::unique_ptr<Foreign>> foreigns;
  std::vector<std::pair<void (*)(void*), void*>> env_finalizers;

  // Objects passed to wasm as externref become host value n: the n-th
  // interned object (the same object, the same n).
  struct Interned {
    Kind kind;
    const void* entity;
  };
  std::unordered_map<const void*, uint64_t> extern_ids;
  std::vector<Interned> interned;
  uint64_t Intern(Kind kind, const void* entity);
};

// Objects shared between handles without a store: modules and traps.
struct SharedObj {
  virtual ~SharedObj() { info.Finalize(); }
  HostInfo info;
};

struct ModuleObj final : SharedObj {
  std::shared_ptr<const wasm::Module> module;
};

struct TrapObj final : SharedObj {
  std::string kind;     // wasmstream_trap_kind()
  std::string message;  // without the terminating NUL
};

struct Handle final : wasm_ref_t, wasm_extern_t, wasm_func_t, wasm_global_t, wasm_table_t,
                      wasm_memory_t, wasm_instance_t, wasm_module_t, wasm_trap_t,
                      wasm_foreign_t {
  Handle(Kind k, std::shared_ptr<StoreCtx> s, const void* e) : kind(k), store(std::move(s)), entity(e) {}
  ~Handle();

  Kind kind;
  std::shared_ptr<StoreCtx> store;  // null for modules and traps
  const void* entity;               // the store's object; for kOpaque, the reference bits
  std::shared_ptr<SharedObj> shared;  // kModule, kTrap
  bool pinned = false;                // kOpaque: a GC reference pinned in the store

  wasm::FuncInstance* func() const { return const_cast<wasm::FuncInstance*>(static_cast<const wasm::FuncInstance*>(entity)); }
  wasm::GlobalInstance* global() const { return const_cast<wasm::GlobalInstance*>(static_cast<const wasm::GlobalInstance*>(entity)); }
  wasm::TableInstance* table() const { return const_cast<wasm::TableInstance*>(static_cast<const wasm::TableInstance*>(entity)); }
  wasm::MemoryInstance* memory() const { return const_cast<wasm::MemoryInstance*>(static_cast<const wasm::MemoryInstance*>(entity)); }
  wasm::TagInstance* tag() const { return const_cast<wasm::TagInstance*>(static_cast<const wasm::TagInstance*>(entity)); }
  wasm::Instance* instance() const { return const_cast<wasm::Instance*>(static_cast<const wasm::Instance*>(entity)); }
  ModuleObj* module() const { return static_cast<ModuleObj*>(shared.get()); }
  TrapObj* trap() const { return static_cast<TrapObj*>(shared.get()); }
  wasm::RefBits bits() const { return reinterpret_cast<wasm::RefBits>(entity); }
  bool is_extern() const { return kind <= Kind::kTag; }
  // The object host info and identity are about.
  const void* identity() const { return shared ? shared.get() : entity; }
};

Handle* NewHandle(Kind kind, std::shared_ptr<StoreCtx> store, const void* entity);
Handle* NewTrapHandle(std::string kind, std::string message);
Handle* TrapFromError(const wasm::Error& e);

// Handle views of the public pointer types.
template <typename T>
Handle* H(T* p) { return p ? static_cast<Handle*>(p) : nullptr; }
template <typename T>
const Handle* H(const T* p) { return p ? static_cast<const Handle*>(p) : nullptr; }

// ---- Types.

struct TypeObj final : wasm_externtype_t, wasm_functype_t, wasm_globaltype_t, wasm_tabletype_t,
                       wasm_memorytype_t, wasm_tagtype_t {
  TypeObj() = default;
  TypeObj(const TypeObj&) = delete;
  ~TypeObj();

  wasm_externkind_t kind = WASM_EXTERN_FUNC;
  // kind FUNC: the vectors own their valtypes.
  wasm_valtype_vec_t params = {0, nullptr};
  wasm_valtype_vec_t results = {0, nullptr};
  // GLOBAL: content + mutability; TABLE: content is the element type.
  wasm_valtype_t* content = nullptr;
  wasm_mutability_t mutability = WASM_CONST;
  wasm_limits_t limits = {0, wasm_limits_max_default};  // TABLE, MEMORY
  TypeObj* functype = nullptr;                          // TAG
};

template <typename T>
TypeObj* T_(T* p) { return p ? static_cast<TypeObj*>(p) : nullptr; }
template <typename T>
const TypeObj* T_(const T* p) { return p ? static_cast<const TypeObj*>(p) : nullptr; }

// The hierarchy of a reference type: kFunc, kExtern, kExn or kAny.
wasm::AbstractHeap TopOf(wasm::ValueType t);
wasm_valtype_t* NewValType(wasm::ValueType t);
wasm_valkind_t KindOf(wasm::ValueType t);
// The runtime's form of a wasm.h kind; nullopt for an unknown kind.
std::optional<wasm::ValueType> ValueTypeOf(wasm_valkind_t k);
TypeObj* NewFuncType(const wasm::FuncType& f);
wasm::FuncType ToFuncType(const TypeObj& t);
TypeObj* NewGlobalType(wasm::ValueType t, bool mutable_);
TypeObj* NewTableType(wasm::ValueType elem, const wasm::Limits& limits);
TypeObj* NewMemoryType(const wasm::Limits& limits);
TypeObj* NewTagType(const wasm::FuncType& f);
wasm::Limits ToLimits(const wasm_limits_t& l);
void CopyName(wasm_name_t* out, std::string_view s);

// ---- Values.

// wasm.h value -> runtime value of type {want}; false with *error set when
// the kinds differ or the reference does not belong to {store}.
bool ToValue(const wasm_val_t& v, wasm::ValueType want, StoreCtx& store, wasm::Value* out,
             std::string* error);
// Runtime value -> wasm.h value (a new handle for a non-null reference);
// false with *error set for a v128, which wasm_val_t cannot hold.
bool FromValue(const wasm::Value& v, StoreCtx& store, wasm_val_t* out, std::string* error);
// A reference handle (or NULL) as the runtime reference of type {want}.
bool RefToBits(const wasm_ref_t* ref, wasm::ValueType want, StoreCtx& store, wasm::RefBits* out,
               std::string* error);
// A runtime reference as a new handle (NULL for null).
wasm_ref_t* BitsToRef(wasm::RefBits bits, wasm::ValueType type, StoreCtx& store);

// ---- Compiling (engine.cc): wasm_module_new and the streaming extension.

// Compiles {bytes} with the engine's settings (and its cache): the module or
// null with the error's text set (SetError).
std::shared_ptr<const wasm::Module> CompileBytes(EngineCtx& engine, std::span<const uint8_t> bytes);
Handle* NewModuleHandle(std::shared_ptr<const wasm::Module> module);

// The type of a module's import or export {kind} {index}, with concrete
// type indices replaced by their abstract heap types.
TypeObj* ExternTypeOf(const wasm::Module& module, wasm::ExternalKind kind, uint32_t index);
wasm::ValueType Abstracted(const wasm::Module& module, wasm::ValueType t);

}  // namespace wasmstream::capi

struct wasm_config_t {
  wasmstream::capi::Settings settings;
};
struct wasm_engine_t {
  std::shared_ptr<wasmstream::capi::EngineCtx> ctx;
};
// The user's handle; the StoreCtx lives on while handles of its objects do.
struct wasm_store_t {
  std::shared_ptr<wasmstream::capi::StoreCtx> ctx;
};
struct wasm_shared_module_t {
  std::shared_ptr<const wasmstream::wasm::Module> module;
};

#endif  // WASMSTREAM_BINDINGS_C_C_API_INTERNAL_H_
