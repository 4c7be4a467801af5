#include "wasm/runtime/module_code_table.h"

#include <time.h>

#include <string>

#include "wasm/runtime/compiler.h"

namespace wasmstream::wasm {
namespace {

// CPU time of the calling thread: what a first call costs, whatever else
// the machine runs.
uint64_t ThreadCpuNs() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<uint64_t>(t.tv_sec) * 1'000'000'000u + static_cast<uint64_t>(t.tv_nsec);
}

}  // namespace

std::shared_ptr<ModuleCodeTable> ModuleCodeTable::Of(const Module& module) {
  return module.lazy_code.GetOrMake(
      [&] { return std::make_shared<ModuleCodeTable>(module.functions.size()); });
}

ModuleCodeTable::ModuleCodeTable(size_t num_functions)
    : size_(num_functions), slots_(new std::atomic<const FunctionCode*>[num_functions]) {
  for (size_t i = 0; i < size_; ++i) slots_[i].store(nullptr, std::memory_order_relaxed);
}

ModuleCodeTable::~ModuleCodeTable() {
  for (size_t i = 0; i < size_; ++i) delete slots_[i].load(std::memory_order_relaxed);
}

const FunctionCode* ModuleCodeTable::GetOrMake(const Module& module, uint32_t func_index,
                                               Error* error) {
  if (func_index >= size_) {
    *error = Error{ErrorKind::kCompileError,
                   "Compiling function #" + std::to_string(func_index) + " failed: no such function"};
    return nullptr;
  }
  if (const FunctionCode* done = Get(func_index)) return done;
  // Code kept in a cache payload, checked as it loads; else compile.
  std::unique_ptr<FunctionCode> code;
  bool from_cache = false, refused = false;
  if (module.deferred_code && module.deferred_code->Has(func_index)) {
    const uint64_t start = ThreadCpuNs();
    code = module.deferred_code->Load(module, func_index);
    load_ns_.fetch_add(ThreadCpuNs() - start, std::memory_order_relaxed);
    from_cache = code != nullptr;
    refused = !from_cache;
  }
  if (!code) {
    const uint64_t start = ThreadCpuNs();
    auto compiled = CompileFunction(module, func_index);
    compile_ns_.fetch_add(ThreadCpuNs() - start, std::memory_order_relaxed);
    if (!compiled.ok()) {
      *error = Error{ErrorKind::kCompileError, "Compiling function #" + std::to_string(func_index) +
                                                   " failed: " + compiled.error().Format()};
      return nullptr;
    }
    code = std::move(compiled.value());
  }
  const FunctionCode* expected = nullptr;
  if (!slots_[func_index].compare_exchange_strong(expected, code.get(), std::memory_order_acq_rel,
                                                  std::memory_order_acquire)) {
    return expected;  // another thread published first: its code, ours goes
  }
  if (from_cache) loaded_from_cache_.fetch_add(1, std::memory_order_relaxed);
  if (refused) refused_from_cache_.fetch_add(1, std::memory_order_relaxed);
  if (!from_cache) compiled_.fetch_add(1, std::memory_order_relaxed);
  return code.release();
}

ModuleCodeStats ModuleCodeTable::stats() const {
  ModuleCodeStats s;
  s.loaded_from_cache = loaded_from_cache_.load(std::memory_order_relaxed);
  s.refused_from_cache = refused_from_cache_.load(std::memory_order_relaxed);
  s.compiled = compiled_.load(std::memory_order_relaxed);
  s.load_ns = load_ns_.load(std::memory_order_relaxed);
  s.compile_ns = compile_ns_.load(std::memory_order_relaxed);
  return s;
}

}  // namespace wasmstream::wasm
