// Handles and what every reference kind of wasm.h shares: delete, copy,
// same, host info, the views as wasm_ref_t; foreign objects, traps, frames,
// and the errors recorded at the boundary.
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "bindings/c/c_api_internal.h"

namespace wasmstream::capi {

namespace {
thread_local std::string last_error;
}  // namespace

void SetError(std::string message) { last_error = std::move(message); }

void Misuse(const char* function, const char* what) {
#ifndef NDEBUG
  std::fprintf(stderr, "wasm C API misuse in %s: %s\n", function, what);
  std::abort();
#else
  SetError(std::string("TypeError: ") + function + ": " + what);
#endif
}

Handle::~Handle() {
  if (pinned && store) store->store->Unpin(bits());
}

Handle* NewHandle(Kind kind, std::shared_ptr<StoreCtx> store, const void* entity) {
  return new Handle(kind, std::move(store), entity);
}

Handle* NewTrapHandle(std::string kind, std::string message) {
  auto t = std::make_shared<TrapObj>();
  t->kind = std::move(kind);
  t->message = std::move(message);
  Handle* h = NewHandle(Kind::kTrap, nullptr, nullptr);
  h->shared = std::move(t);
  return h;
}

Handle* TrapFromError(const wasm::Error& e) {
  if (e.trap == wasm::TrapKind::kHostError) return NewTrapHandle("HostError", e.message);
  return NewTrapHandle(e.kind == wasm::ErrorKind::kException ? "Exception" : wasm::ToString(e.kind),
                       e.message);
}

StoreCtx::StoreCtx(std::shared_ptr<EngineCtx> e)
    : engine(std::move(e)), store(std::make_shared<wasm::Store>()) {}

StoreCtx::~StoreCtx() {
  for (auto& [object, info] : host_info) info.Finalize();
  for (auto& [finalizer, env] : env_finalizers) finalizer(env);
}

uint64_t StoreCtx::Intern(Kind kind, const void* entity) {
  auto [it, fresh] = extern_ids.try_emplace(entity, interned.size());
  if (fresh) interned.push_back({kind, entity});
  return it->second;
}

namespace {

HostInfo* InfoOf(const Handle* h, bool create) {
  if (h->shared) return &h->shared->info;
  if (!h->store) return nullptr;
  auto& map = h->store->host_info;
  if (!create) {
    auto it = map.find(h->identity());
    return it == map.end() ? nullptr : &it->second;
  }
  return &map[h->identity()];
}

Handle* CopyHandle(const Handle* h) {
  Handle* c = NewHandle(h->kind, h->store, h->entity);
  c->shared = h->shared;
  if (h->pinned) {
    h->store->store->Pin(h->bits());
    c->pinned = true;
  }
  return c;
}

bool Same(const Handle* a, const Handle* b) {
  if (!a || !b) return a == b;
  return a->kind == b->kind && a->identity() == b->identity() && a->store == b->store;
}

}  // namespace
}  // namespace wasmstream::capi

using namespace wasmstream::capi;

extern "C" {

// The functions every reference kind has.
#define WASMSTREAM_REF_BASE(name)                                                         \
  void wasm_##name##_delete(wasm_##name##_t* r) { delete H(r); }                          \
  wasm_##name##_t* wasm_##name##_copy(const wasm_##name##_t* r) {                         \
    return r ? static_cast<wasm_##name##_t*>(CopyHandle(H(r))) : nullptr;                \
  }                                                                                       \
  bool wasm_##name##_same(const wasm_##name##_t* a, const wasm_##name##_t* b) {           \
    return Same(H(a), H(b));                                                              \
  }                                                                                       \
  void* wasm_##name##_get_host_info(const wasm_##name##_t* r) {                           \
    if (!r) return nullptr;                                                               \
    HostInfo* i = InfoOf(H(r), false);                                                    \
    return i ? i->info : nullptr;                                                         \
  }                                                                                       \
  void wasm_##name##_set_host_info(wasm_##name##_t* r, void* info) {                      \
    wasm_##name##_set_host_info_with_finalizer(r, info, nullptr);                         \
  }                                                                                       \
  void wasm_##name##_set_host_info_with_finalizer(wasm_##name##_t* r, void* info,         \
                                                  void (*finalizer)(void*)) {             \
    WASMSTREAM_CAPI_REQUIRE(r, "null reference", );                                       \
    HostInfo* i = InfoOf(H(r), true);                                                     \
    WASMSTREAM_CAPI_REQUIRE(i, "this reference takes no host info", );                    \
    i->Set(info, finalizer);                                                              \
  }

// The views between a kind and wasm_ref_t; {test} says whether a handle is
// of the kind.
#define WASMSTREAM_REF(name, test)                                                    \
  WASMSTREAM_REF_BASE(name)                                                           \
  wasm_ref_t* wasm_##name##_as_ref(wasm_##name##_t* r) { return H(r); }               \
  const wasm_ref_t* wasm_##name##_as_ref_const(const wasm_##name##_t* r) { return H(r); } \
  wasm_##name##_t* wasm_ref_as_##name(wasm_ref_t* r) {                                \
    Handle* h = H(r);                                                                 \
    return h && (test) ? h : nullptr;                                                 \
  }                                                                                   \
  const wasm_##name##_t* wasm_ref_as_##name##_const(const wasm_ref_t* r) {            \
    const Handle* h = H(r);                                                           \
    return h && (test) ? h : nullptr;                                                 \
  }

WASMSTREAM_REF_BASE(ref)
WASMSTREAM_REF(func, h->kind == Kind::kFunc)
WASMSTREAM_REF(global, h->kind == Kind::kGlobal)
WASMSTREAM_REF(table, h->kind == Kind::kTable)
WASMSTREAM_REF(memory, h->kind == Kind::kMemory)
WASMSTREAM_REF(extern, h->is_extern())
WASMSTREAM_REF(instance, h->kind == Kind::kInstance)
WASMSTREAM_REF(module, h->kind == Kind::kModule)
WASMSTREAM_REF(trap, h->kind == Kind::kTrap)
WASMSTREAM_REF(foreign, h->kind == Kind::kForeign)

// ---- Foreign objects.

wasm_foreign_t* wasm_foreign_new(wasm_store_t* store) {
  WASMSTREAM_CAPI_REQUIRE(store, "null store", nullptr);
  auto& ctx = store->ctx;
  ctx->foreigns.push_back(std::make_unique<Foreign>());
  return NewHandle(Kind::kForeign, ctx, ctx->foreigns.back().get());
}

// ---- Traps.

wasm_trap_t* wasm_trap_new(wasm_store_t* store, const wasm_message_t* message) {
  (void)store;  // a trap is plain data here; it may cross stores
  WASMSTREAM_CAPI_REQUIRE(message, "null message", nullptr);
  std::string text(message->data ? message->data : "", message->size);
  if (!text.empty() && text.back() == '\0') text.pop_back();
  return NewTrapHandle("Error", std::move(text));
}

void wasm_trap_message(const wasm_trap_t* trap, wasm_message_t* out) {
  WASMSTREAM_CAPI_REQUIRE(trap && out, "null argument", );
  const std::string& m = H(trap)->trap()->message;
  wasm_byte_vec_new_uninitialized(out, m.size() + 1);
  std::memcpy(out->data, m.c_str(), m.size() + 1);
}

// The interpreter keeps no map from its code back to wasm byte offsets, so
// a trap has no frames to report.
wasm_frame_t* wasm_trap_origin(const wasm_trap_t*) { return nullptr; }
void wasm_trap_trace(const wasm_trap_t*, wasm_frame_vec_t* out) { wasm_frame_vec_new_empty(out); }

const char* wasmstream_trap_kind(const wasm_trap_t* trap) {
  WASMSTREAM_CAPI_REQUIRE(trap, "null trap", "");
  return H(trap)->trap()->kind.c_str();
}

// ---- Frames.

void wasm_frame_delete(wasm_frame_t* f) { delete f; }
wasm_frame_t* wasm_frame_copy(const wasm_frame_t* f) { return f ? new wasm_frame_t(*f) : nullptr; }
wasm_instance_t* wasm_frame_instance(const wasm_frame_t* f) { return f->instance; }
uint32_t wasm_frame_func_index(const wasm_frame_t* f) { return f->func_index; }
size_t wasm_frame_func_offset(const wasm_frame_t* f) { return f->func_offset; }
size_t wasm_frame_module_offset(const wasm_frame_t* f) { return f->module_offset; }

// ---- Errors.

const char* wasmstream_error_message(void) { return last_error.c_str(); }

}  // extern "C"
