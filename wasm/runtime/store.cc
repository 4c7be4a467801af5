#include "wasm/runtime/store.h"

#include "wasm/runtime/gc_object.h"
#include "wasm/runtime/instance.h"
#include "wasm/runtime/interpreter.h"
#include "wasm/runtime/watchdog.h"

namespace wasmstream::wasm {

Store::Store() = default;
Store::~Store() {
  if (deadline_) Watchdog::Get().Disarm(this);
}

void Store::SetDeadline(std::optional<std::chrono::steady_clock::time_point> deadline) {
  deadline_ = deadline;
  interrupt_.fetch_and(~kDeadlineReached, std::memory_order_relaxed);
  if (deadline) {
    Watchdog::Get().Arm(this, *deadline);
  } else {
    Watchdog::Get().Disarm(this);
  }
}

Store::CallerClaim::CallerClaim(Store& store) : store_(store) {
  std::thread::id me = std::this_thread::get_id();
  std::thread::id holder{};
  if (store.calling_thread_.compare_exchange_strong(holder, me, std::memory_order_acquire)) {
    ok_ = outermost_ = true;
  } else {
    ok_ = holder == me;
  }
}

Store::CallerClaim::~CallerClaim() {
  if (outermost_) store_.calling_thread_.store(std::thread::id{}, std::memory_order_release);
}

TrapKind Store::InterruptTrap() const {
  return interrupt_.load(std::memory_order_relaxed) & kInterruptRequested
             ? TrapKind::kInterrupted
             : TrapKind::kDeadlineExceeded;
}

bool Store::DeadlinePassed() const {
  return deadline_ && std::chrono::steady_clock::now() >= *deadline_;
}

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
  if (limiter_) {
    std::optional<uint64_t> max;
    if (limits.has_max && limits.max <= (UINT64_MAX >> page_size_log2)) {
      max = limits.max << page_size_log2;
    }
    if (limits.min > (UINT64_MAX >> page_size_log2) ||
        !limiter_->MemoryGrowing(0, limits.min << page_size_log2, max)) {
      return nullptr;
    }
  }
  auto m = std::make_unique<MemoryInstance>(limits, page_size_log2);
  if (!m->ok()) return nullptr;
  memory_bytes_since_collection_ += m->size();
  memories_.push_back(std::move(m));
  return memories_.back().get();
}

TableInstance* Store::NewTable(ValueType elem, const Limits& limits, RefBits init) {
  if (limiter_ && !limiter_->TableGrowing(0, limits.min, limits.has_max
                                                            ? std::optional<uint64_t>(limits.max)
                                                            : std::nullopt)) {
    return nullptr;
  }
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
  bool funcref = ref != kNullRef && (ref & kRefTagMask) == 0;
  if (IsGcRef(ref) || IsExnRef(ref) || funcref) host_roots_.push_back(ref);
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

int64_t Store::GrowMemory(MemoryInstance* memory, uint64_t delta_pages) {
  if (limiter_ && delta_pages > 0) {
    uint32_t shift = memory->page_size_log2();
    Limits type = memory->type();
    uint64_t pages = memory->pages();
    if (delta_pages > (UINT64_MAX >> shift) - pages) return -1;
    std::optional<uint64_t> max;
    if (type.has_max && type.max <= (UINT64_MAX >> shift)) max = type.max << shift;
    if (!limiter_->MemoryGrowing(memory->size(), (pages + delta_pages) << shift, max)) return -1;
  }
  return memory->Grow(delta_pages);
}

int64_t Store::GrowTable(TableInstance* table, uint64_t delta, RefBits init) {
  if (limiter_ && delta > 0) {
    Limits type = table->type();
    if (delta > UINT64_MAX - table->size()) return -1;
    std::optional<uint64_t> max;
    if (type.has_max) max = type.max;
    if (!limiter_->TableGrowing(table->size(), table->size() + delta, max)) return -1;
  }
  return table->Grow(delta, init);
}

size_t Store::object_count() const {
  return instances_.size() + funcs_.size() + memories_.size() + tables_.size() + globals_.size() +
         tags_.size();
}

void Store::MaybeCollect() {
  if (object_count() >= next_collection_objects_ ||
      memory_bytes_since_collection_ >= kCollectionMemoryBytes) {
    Collect();
  }
}

ExecStack& Store::stack() {
  if (!stack_) stack_ = NewExecStack();
  return *stack_;
}

}  // namespace wasmstream::wasm
