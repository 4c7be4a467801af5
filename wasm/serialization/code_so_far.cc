#include "wasm/serialization/code_so_far.h"

#include "wasm/runtime/module_code_table.h"

namespace wasmstream::wasm::serialization {

CodeSoFar CollectCodeSoFar(const Module& m) {
  CodeSoFar s;
  s.code.assign(m.functions.size(), nullptr);
  std::shared_ptr<ModuleCodeTable> table = ModuleCodeTable::Find(m);
  for (uint32_t i = 0; i < m.functions.size(); ++i) {
    if (m.functions[i].imported) continue;
    const FunctionCode* c = i < m.code.size() ? m.code[i].get() : nullptr;
    if (!c && table) c = table->Get(i);
    if (!c && m.deferred_code && m.deferred_code->Has(i)) {
      if (std::unique_ptr<FunctionCode> loaded = m.deferred_code->Load(m, i)) {
        c = loaded.get();
        s.loaded.push_back(std::move(loaded));
      }
    }
    s.code[i] = c;
    s.functions_with_code += c != nullptr;
  }
  return s;
}

}  // namespace wasmstream::wasm::serialization
