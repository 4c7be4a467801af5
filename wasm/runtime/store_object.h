// What every object a Store owns carries for its collection: the references
// the host holds on it and the collector's mark.
//
// Store::New* and Instance::Instantiate hand the caller one reference (the
// creation reference). A caller that never releases it keeps the object for
// the Store's whole life (the simple model: Wasmtime's store-per-task); a
// Handle adopts it and releases it when the last copy goes, after which the
// object lives exactly as long as something reaches it (another instance,
// a table, a global, a GC object, a handle). Store::Collect frees the rest.
#ifndef WASMSTREAM_WASM_RUNTIME_STORE_OBJECT_H_
#define WASMSTREAM_WASM_RUNTIME_STORE_OBJECT_H_

#include <atomic>
#include <cstdint>
#include <utility>

namespace wasmstream::wasm {

struct StoreObject {
  StoreObject() = default;
  StoreObject(const StoreObject&) = delete;
  StoreObject& operator=(const StoreObject&) = delete;

  // Atomic so that a handle may be dropped on any thread; collection itself
  // runs on the Store's thread.
  std::atomic<uint32_t> host_refs{1};
  bool marked = false;  // the collector's

  void AddHostRef() { host_refs.fetch_add(1, std::memory_order_relaxed); }
  void ReleaseHostRef() { host_refs.fetch_sub(1, std::memory_order_acq_rel); }
};

// A host reference to a Store object: copies share it, the last one gone
// lets the collector free the object. Drop every Handle before the Store.
template <typename T>
class Handle {
 public:
  Handle() = default;
  // Takes a new reference on {p}.
  explicit Handle(T* p) : p_(p) {
    if (p_) p_->AddHostRef();
  }
  // Takes over a reference the caller holds (the creation reference).
  static Handle Adopt(T* p) {
    Handle h;
    h.p_ = p;
    return h;
  }
  Handle(const Handle& o) : Handle(o.p_) {}
  Handle(Handle&& o) noexcept : p_(std::exchange(o.p_, nullptr)) {}
  Handle& operator=(Handle o) noexcept {
    std::swap(p_, o.p_);
    return *this;
  }
  ~Handle() {
    if (p_) p_->ReleaseHostRef();
  }

  T* get() const { return p_; }
  T* operator->() const { return p_; }
  T& operator*() const { return *p_; }
  explicit operator bool() const { return p_ != nullptr; }

 private:
  T* p_ = nullptr;
};

}  // namespace wasmstream::wasm

#endif  // WASMSTREAM_WASM_RUNTIME_STORE_OBJECT_H_
