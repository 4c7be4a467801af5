// The code a lazily compiled module's functions get on their first call,
// owned by the Module (Module::lazy_code) and shared by all its instances, on
// any thread, as V8 keeps a module's code in its NativeModule: a second
// instance, or a second Store on another thread, finds a function already
// compiled instead of compiling it again, and a code-cache write-back
// (bindings/cache_write_back.h) can store what was compiled so far.
//
// One slot per function, an atomic pointer: a reader takes a published
// pointer with an acquire load (no lock on the call path). The first caller
// loads the function from the module's cache payload (DeferredCode, checked
// by the code verifier) or compiles it from the wire bytes, then publishes it
// with a release compare-and-swap; when two threads make the same function at
// once, the first swap wins, the loser drops its copy and both use the
// winner's, so every function has one code object for the module's life.
// Code is never removed: a published pointer stays valid as long as the
// table, which every instance of the module holds.
#ifndef WASMSTREAM_WASM_RUNTIME_MODULE_CODE_TABLE_H_
#define WASMSTREAM_WASM_RUNTIME_MODULE_CODE_TABLE_H_

#include <atomic>
#include <cstdint>
#include <memory>

#include "wasm/module.h"
#include "wasm/runtime/code.h"
#include "wasm/runtime/error.h"

namespace wasmstream::wasm {

// How each function of the table got its code (counted once per function:
// a thread that lost the race to publish counts nothing).
struct ModuleCodeStats {
  uint64_t loaded_from_cache = 0;    // from the module's cache payload, verified
  uint64_t refused_from_cache = 0;   // payload code the verifier refused (then compiled)
  uint64_t compiled = 0;             // from the wire bytes (refused ones included)
  // CPU time the first calls spent making the code (thread CPU clock,
  // summed over threads): loading and verifying stored code (refused
  // included), and compiling.
  uint64_t load_ns = 0;
  uint64_t compile_ns = 0;
};

class ModuleCodeTable {
 public:
  // {module}'s table, made on the first call. Thread-safe.
  static std::shared_ptr<ModuleCodeTable> Of(const Module& module);
  // {module}'s table if one was made, else null (nothing compiled lazily yet).
  static std::shared_ptr<ModuleCodeTable> Find(const Module& module) {
    return module.lazy_code.Get();
  }

  explicit ModuleCodeTable(size_t num_functions);
  ~ModuleCodeTable();
  ModuleCodeTable(const ModuleCodeTable&) = delete;
  ModuleCodeTable& operator=(const ModuleCodeTable&) = delete;

  size_t size() const { return size_; }

  // Function {func_index}'s code if it was made, else null.
  const FunctionCode* Get(uint32_t func_index) const {
    return func_index < size_ ? slots_[func_index].load(std::memory_order_acquire) : nullptr;
  }

  // Function {func_index}'s code ({module}'s function, defined there): the
  // published one, else loaded from {module}'s deferred code, else compiled
  // from its wire bytes, then published. Null with {*error} set when the
  // body does not compile (a module that was never validated, or an
  // implementation limit). Thread-safe.
  const FunctionCode* GetOrMake(const Module& module, uint32_t func_index, Error* error);

  ModuleCodeStats stats() const;

 private:
  const size_t size_;
  const std::unique_ptr<std::atomic<const FunctionCode*>[]> slots_;
  std::atomic<uint64_t> loaded_from_cache_{0};
  std::atomic<uint64_t> refused_from_cache_{0};
  std::atomic<uint64_t> compiled_{0};
  std::atomic<uint64_t> load_ns_{0};
  std::atomic<uint64_t> compile_ns_{0};
};

}  // namespace wasmstream::wasm

#endif  // WASMSTREAM_WASM_RUNTIME_MODULE_CODE_TABLE_H_
