#include "wasm/runtime/store.h"

#include "wasm/runtime/gc_object.h"
#include "wasm/runtime/instance.h"
#include "wasm/runtime/interpreter.h"

namespace wasmstream::wasm {

Store::Store() = default;
Store::~Store() = default;

FuncInstance* Store::NewHostFunction(FuncType type, HostFunction fn) {
  auto f = std::make_unique<FuncInstance>();
  f->sig_id = types_.InternFunc(type);
  f->type = std::move(type);
  f->host = std::move(fn);
  funcs_.push_back(std::move(f));
  return funcs_.back().get();
}

FuncInstance* Store::NewHostFunction(const Module& module, uint32_t type_index,
                                     HostFunction fn) {
  std::vector<uint32_t> canon = types_.Canonicalize(module);
  auto f = std::make_unique<FuncInstance>();
  f->sig_id = canon[type_index];
  f->type = CanonFuncType(module.types[type_index].func, canon);
  f->host = std::move(fn);
  funcs_.push_back(std::move(f));
  return funcs_.back().get();
}

FuncInstance* Store::NewFunction() {
  funcs_.push_back(std::make_unique<FuncInstance>());
  return funcs_.back().get();
}

MemoryInstance* Store::NewMemory(const Limits& limits, uint32_t page_size_log2) {
  auto m = std::make_unique<MemoryInstance>(limits, page_size_log2);
  if (!m->ok()) return nullptr;
  memories_.push_back(std::move(m));
  return memories_.back().get();
}

TableInstance* Store::NewTable(ValueType elem, const Limits& limits, RefBits init) {
  auto t = std::make_unique<TableInstance>(elem, limits, init, &table_budget_);
  if (!t->ok()) return nullptr;
  tables_.push_back(std::move(t));
  return tables_.back().get();
}

GlobalInstance* Store::NewGlobal(ValueType type, bool mutable_, const Value& init) {
  globals_.push_back(std::make_unique<GlobalInstance>(type, mutable_, init));
  return globals_.back().get();
}

TagInstance* Store::NewTag(FuncType type) {
  uint32_t id = types_.InternFunc(type);
  return NewTag(std::move(type), id);
}

TagInstance* Store::NewTag(FuncType type, uint32_t type_id) {
  tags_.push_back(std::make_unique<TagInstance>(std::move(type), type_id));
  return tags_.back().get();
}

Exception* Store::NewException(const TagInstance* tag, std::vector<uint64_t> payload) {
  auto e = std::make_unique<Exception>();
  e->tag = tag;
  e->payload = std::move(payload);
  heap_.NoteAllocation(sizeof(Exception) + e->payload.size() * sizeof(uint64_t));
  if (heap_.WantsCollection()) CollectGarbage();
  exceptions_.push_back(std::move(e));
  return exceptions_.back().get();
}

GcObject* Store::AllocateGc(uint32_t type, bool is_array, uint32_t length,
                            uint64_t payload_bytes) {
  if (heap_.WantsCollection()) CollectGarbage();
  GcObject* o = heap_.Allocate(type, is_array, length, payload_bytes);
  // At the limit: collect once, unless nothing was allocated since the last
  // collection (then nothing more could be freed).
  if (!o && heap_.CanCollect() && heap_.allocated_since_collection() > 0) {
    CollectGarbage();
    o = heap_.Allocate(type, is_array, length, payload_bytes);
  }
  return o;
}

void Store::RootForHost(RefBits ref) {
  if (IsGcRef(ref) || IsExnRef(ref)) host_roots_.push_back(ref);
}

void Store::Unpin(RefBits ref) {
  for (size_t i = pinned_.size(); i-- > 0;) {
    if (pinned_[i] == ref) {
      pinned_.erase(pinned_.begin() + static_cast<ptrdiff_t>(i));
      return;
    }
  }
}

Instance* Store::AddInstance(std::unique_ptr<Instance> instance) {
  instances_.push_back(std::move(instance));
  return instances_.back().get();
}

ExecStack& Store::stack() {
  if (!stack_) stack_ = NewExecStack();
  return *stack_;
}

}  // namespace wasmstream::wasm
