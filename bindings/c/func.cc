// Functions: host functions made from C callbacks, and calls into wasm.
//
// A host call converts the wasm arguments to wasm_val_t (new handles for
// references, deleted after the callback), gives the callback result slots
// preset to the declared kinds, and takes back the results it wrote (their
// handles are ours to delete). A trap the callback returns fails the wasm
// call with its message. Small arities use stack buffers, so a call costs no
// allocation on this side.
#include <cstring>
#include <new>
#include <type_traits>

#include "bindings/c/c_api_internal.h"
#include "wasm/runtime/interpreter.h"

namespace wasmstream::capi {
namespace {

constexpr size_t kInlineValues = 8;

// Up to kInlineValues on the stack, more on the heap; only the {n} values
// in use are constructed (T must be trivially destructible).
template <typename T>
class SmallBuffer {
  static_assert(std::is_trivially_destructible_v<T>);

 public:
  explicit SmallBuffer(size_t n) : n_(n) {
    if (n > kInlineValues) heap_ = std::make_unique<T[]>(n);
    else for (size_t i = 0; i < n; ++i) new (&inline_[i * sizeof(T)]) T();
  }
  T* data() { return heap_ ? heap_.get() : std::launder(reinterpret_cast<T*>(inline_)); }
  size_t size() const { return n_; }

 private:
  size_t n_;
  alignas(T) unsigned char inline_[kInlineValues * sizeof(T)];
  std::unique_ptr<T[]> heap_;
};

void DeleteRefs(wasm_val_t* vals, size_t n) {
  for (size_t i = 0; i < n; ++i) wasm_val_delete(&vals[i]);
}

struct Callback {
  wasm_func_callback_t plain = nullptr;
  wasm_func_callback_with_env_t with_env = nullptr;
  void* env = nullptr;
};

wasm::Outcome<std::vector<wasm::Value>> CallHost(StoreCtx& store, const wasm::FuncType& type,
                                                 const Callback& cb,
                                                 std::span<const wasm::Value> args) {
  SmallBuffer<wasm_val_t> in(args.size());
  std::string error;
  for (size_t i = 0; i < args.size(); ++i) {
    if (!FromValue(args[i], store, &in.data()[i], &error)) {
      DeleteRefs(in.data(), i);
      return wasm::Error::Type("host function argument " + std::to_string(i) + ": " + error);
    }
  }
  SmallBuffer<wasm_val_t> out(type.results.size());
  for (size_t i = 0; i < out.size(); ++i) {
    out.data()[i].kind = KindOf(type.results[i]);
    out.data()[i].of.i64 = 0;
  }
  wasm_val_vec_t in_vec{in.size(), in.data()};
  wasm_val_vec_t out_vec{out.size(), out.data()};
  wasm_trap_t* trap = cb.with_env ? cb.with_env(cb.env, &in_vec, &out_vec)
                                  : cb.plain(&in_vec, &out_vec);
  DeleteRefs(in.data(), in.size());
  if (trap) {
    wasm::Error e;
    e.kind = wasm::ErrorKind::kRuntimeError;
    e.trap = wasm::TrapKind::kHostError;
    e.message = H(trap)->trap()->message;
    wasm_trap_delete(trap);
    DeleteRefs(out.data(), out.size());
    return e;
  }
  std::vector<wasm::Value> results(out.size());
  for (size_t i = 0; i < out.size(); ++i) {
    if (!ToValue(out.data()[i], type.results[i], store, &results[i], &error)) {
      DeleteRefs(out.data(), out.size());
      return wasm::Error::Type("host function result " + std::to_string(i) + ": " + error);
    }
  }
  DeleteRefs(out.data(), out.size());
  return results;
}

wasm_func_t* NewHostFunc(wasm_store_t* store, const wasm_functype_t* type, Callback cb) {
  StoreCtx* ctx = store->ctx.get();
  wasm::FuncType ft = ToFuncType(*T_(type));
  for (const wasm::ValueType& t : ft.params) {
    if (t.kind == wasm::ValueKind::kV128) {
      SetError("TypeError: a host function cannot take v128 values through the C API");
      return nullptr;
    }
  }
  for (const wasm::ValueType& t : ft.results) {
    if (t.kind == wasm::ValueKind::kV128) {
      SetError("TypeError: a host function cannot return v128 values through the C API");
      return nullptr;
    }
  }
  // {ctx} owns the function, so it outlives every call of it.
  wasm::FuncInstance* f = ctx->store->NewHostFunction(
      ft, [ctx, ft, cb](std::span<const wasm::Value> args) { return CallHost(*ctx, ft, cb, args); });
  return NewHandle(Kind::kFunc, store->ctx, f);
}

}  // namespace
}  // namespace wasmstream::capi

using namespace wasmstream;
using namespace wasmstream::capi;

extern "C" {

wasm_func_t* wasm_func_new(wasm_store_t* store, const wasm_functype_t* type,
                           wasm_func_callback_t callback) {
  WASMSTREAM_CAPI_REQUIRE(store && type && callback, "null argument", nullptr);
  Callback cb;
  cb.plain = callback;
  return NewHostFunc(store, type, cb);
}

wasm_func_t* wasm_func_new_with_env(wasm_store_t* store, const wasm_functype_t* type,
                                    wasm_func_callback_with_env_t callback, void* env,
                                    void (*finalizer)(void*)) {
  WASMSTREAM_CAPI_REQUIRE(store && type && callback, "null argument", nullptr);
  Callback cb;
  cb.with_env = callback;
  cb.env = env;
  wasm_func_t* f = NewHostFunc(store, type, cb);
  if (f && finalizer) store->ctx->env_finalizers.emplace_back(finalizer, env);
  return f;
}

wasm_functype_t* wasm_func_type(const wasm_func_t* func) {
  WASMSTREAM_CAPI_REQUIRE(func, "null func", nullptr);
  const wasm::FuncInstance* f = H(func)->func();
  if (f->instance) {
    const wasm::Module& m = f->instance->module();
    wasm::FuncType t;
    for (auto v : f->type.params) t.params.push_back(Abstracted(m, v));
    for (auto v : f->type.results) t.results.push_back(Abstracted(m, v));
    return NewFuncType(t);
  }
  return NewFuncType(f->type);
}

size_t wasm_func_param_arity(const wasm_func_t* func) {
  WASMSTREAM_CAPI_REQUIRE(func, "null func", 0);
  return H(func)->func()->type.params.size();
}

size_t wasm_func_result_arity(const wasm_func_t* func) {
  WASMSTREAM_CAPI_REQUIRE(func, "null func", 0);
  return H(func)->func()->type.results.size();
}

wasm_trap_t* wasm_func_call(const wasm_func_t* func, const wasm_val_vec_t* args,
                            wasm_val_vec_t* results) {
  WASMSTREAM_CAPI_REQUIRE(func, "null func", NewTrapHandle("TypeError", "null function"));
  const Handle* h = H(func);
  StoreCtx& store = *h->store;
  const wasm::FuncInstance* f = h->func();
  size_t nargs = args ? args->size : 0;
  size_t nresults = results ? results->size : 0;
  if (nargs != f->type.params.size()) {
    return NewTrapHandle("TypeError", "expected " + std::to_string(f->type.params.size()) +
                                          " arguments, got " + std::to_string(nargs));
  }
  if (nresults != f->type.results.size()) {
    return NewTrapHandle("TypeError", "expected room for " +
                                          std::to_string(f->type.results.size()) +
                                          " results, got " + std::to_string(nresults));
  }
  SmallBuffer<wasm::Value> in(nargs);
  std::string error;
  for (size_t i = 0; i < nargs; ++i) {
    if (!ToValue(args->data[i], f->type.params[i], store, &in.data()[i], &error)) {
      return NewTrapHandle("TypeError", "argument " + std::to_string(i) + ": " + error);
    }
  }
  // Results are rooted for this scope only; the handles made below pin what
  // they keep.
  wasm::HostRootScope roots(*store.store);
  auto r = wasm::Invoke(*store.store, f, std::span<const wasm::Value>(in.data(), nargs));
  if (!r.ok()) return TrapFromError(r.error());
  for (size_t i = 0; i < nresults; ++i) {
    if (!FromValue(r.value()[i], store, &results->data[i], &error)) {
      DeleteRefs(results->data, i);
      return NewTrapHandle("TypeError", "result " + std::to_string(i) + ": " + error);
    }
  }
  return nullptr;
}

}  // extern "C"
