#include "bindings/host_function.h"

#include "wasm/runtime/instance.h"

namespace wasmstream::bindings {

std::optional<wasm::Extern> Caller::GetExport(std::string_view name) const {
  wasm::Instance* inst = instance();
  if (!inst) return std::nullopt;
  return inst->GetExport(name);
}

wasm::MemoryInstance* Caller::memory(std::string_view name) const {
  auto e = GetExport(name);
  return e && e->kind == wasm::ExternalKind::kMemory ? e->memory : nullptr;
}

std::optional<std::span<uint8_t>> Caller::Bytes(uint64_t ptr, uint64_t len,
                                                std::string_view memory_name) const {
  wasm::MemoryInstance* m = memory(memory_name);
  if (!m || !m->InBounds(ptr, len)) return std::nullopt;
  return std::span<uint8_t>(m->data() + ptr, len);
}

std::optional<std::string> Caller::ReadString(uint64_t ptr, uint64_t len,
                                              std::string_view memory_name) const {
  auto bytes = Bytes(ptr, len, memory_name);
  if (!bytes) return std::nullopt;
  return std::string(reinterpret_cast<const char*>(bytes->data()), bytes->size());
}

}  // namespace wasmstream::bindings
