// Host functions with typed arguments and their caller (Wasmtime's
// Func::wrap and Caller): instead of a HostCallable over raw values
// (a[0].u.i32), write a C++ function over C++ types, optionally taking the
// Caller first:
//
//   imports->Add("env", "print", bindings::MakeHostFunction(realm,
//       [](bindings::Caller& caller, int32_t ptr, int32_t len) -> bindings::Settled<int32_t> {
//         auto text = caller.ReadString(ptr, len);          // the caller's exported "memory"
//         if (!text) return bindings::Error::Range("print: out of bounds");
//         std::puts(text->c_str());
//         return len;
//       }));
//
// Parameters: int32_t, uint32_t, int64_t, uint64_t, float, double (matching
// the import's i32, i64, f32, f64; checked on every call, a mismatch is a
// TypeError). Result: void, one of those, or Settled<one of those> (an Error
// is a JS exception: a RuntimeError from the call).
#ifndef WASMSTREAM_BINDINGS_HOST_FUNCTION_H_
#define WASMSTREAM_BINDINGS_HOST_FUNCTION_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "bindings/instance_object.h"
#include "bindings/realm.h"
#include "wasm/runtime/store.h"

namespace wasmstream::bindings {

// What a host function sees of its caller, valid during the call.
class Caller {
 public:
  explicit Caller(wasm::Store& store) : store_(store) {}

  // The instance whose wasm code made the call; null when the host called
  // the function itself (then there are no exports either).
  wasm::Instance* instance() const { return store_.caller_instance(); }
  std::optional<wasm::Extern> GetExport(std::string_view name) const;
  // The caller's exported memory {name}, or null.
  wasm::MemoryInstance* memory(std::string_view name = "memory") const;
  // Bytes [ptr, ptr + len) of that memory; nullopt when out of bounds or
  // there is no such memory. Valid until the memory grows.
  std::optional<std::span<uint8_t>> Bytes(uint64_t ptr, uint64_t len,
                                          std::string_view memory_name = "memory") const;
  std::optional<std::string> ReadString(uint64_t ptr, uint64_t len,
                                        std::string_view memory_name = "memory") const;
  wasm::Store& store() const { return store_; }

 private:
  wasm::Store& store_;
};

namespace host_internal {

template <typename T>
struct Val;
template <>
struct Val<int32_t> {
  static constexpr wasm::ValueKind kKind = wasm::ValueKind::kI32;
  static int32_t From(const wasm::Value& v) { return static_cast<int32_t>(v.u.i32); }
  static wasm::Value To(int32_t x) { return wasm::Value::I32(static_cast<uint32_t>(x)); }
};
template <>
struct Val<uint32_t> {
  static constexpr wasm::ValueKind kKind = wasm::ValueKind::kI32;
  static uint32_t From(const wasm::Value& v) { return v.u.i32; }
  static wasm::Value To(uint32_t x) { return wasm::Value::I32(x); }
};
template <>
struct Val<int64_t> {
  static constexpr wasm::ValueKind kKind = wasm::ValueKind::kI64;
  static int64_t From(const wasm::Value& v) { return static_cast<int64_t>(v.u.i64); }
  static wasm::Value To(int64_t x) { return wasm::Value::I64(static_cast<uint64_t>(x)); }
};
template <>
struct Val<uint64_t> {
  static constexpr wasm::ValueKind kKind = wasm::ValueKind::kI64;
  static uint64_t From(const wasm::Value& v) { return v.u.i64; }
  static wasm::Value To(uint64_t x) { return wasm::Value::I64(x); }
};
template <>
struct Val<float> {
  static constexpr wasm::ValueKind kKind = wasm::ValueKind::kF32;
  static float From(const wasm::Value& v) { return v.f32(); }
  static wasm::Value To(float x) { return wasm::Value::F32(x); }
};
template <>
struct Val<double> {
  static constexpr wasm::ValueKind kKind = wasm::ValueKind::kF64;
  static double From(const wasm::Value& v) { return v.f64(); }
  static wasm::Value To(double x) { return wasm::Value::F64(x); }
};

template <typename R>
Settled<std::vector<wasm::Value>> Results(R r) {
  return std::vector<wasm::Value>{Val<R>::To(r)};
}
template <typename T>
Settled<std::vector<wasm::Value>> Results(Settled<T> r) {
  if (!r.ok()) return r.error();
  return std::vector<wasm::Value>{Val<T>::To(r.value())};
}

template <typename R, bool kWithCaller, typename Fn, typename... A, size_t... I>
Settled<std::vector<wasm::Value>> Call(Fn& fn, wasm::Store& store,
                                       std::span<const wasm::Value> args,
                                       std::index_sequence<I...>) {
  if (args.size() != sizeof...(A)) {
    return Error::Type("host function takes " + std::to_string(sizeof...(A)) +
                       " arguments, got " + std::to_string(args.size()));
  }
  if (!((args[I].type.kind == Val<A>::kKind) && ...)) {
    return Error::Type("host function: the import's parameter types differ from the C++ ones");
  }
  auto invoke = [&]() -> R {
    if constexpr (kWithCaller) {
      Caller caller(store);
      return fn(caller, Val<A>::From(args[I])...);
    } else {
      return fn(Val<A>::From(args[I])...);
    }
  };
  if constexpr (std::is_void_v<R>) {
    invoke();
    return std::vector<wasm::Value>{};
  } else {
    return Results(invoke());
  }
}

template <typename Sig>
struct Wrapper;
template <typename R, typename... A>
struct Wrapper<std::function<R(Caller&, A...)>> {
  template <typename Fn>
  static HostCallable Make(wasm::Store* store, Fn fn) {
    return [store, fn = std::move(fn)](std::span<const wasm::Value> args) mutable {
      return Call<R, true, Fn, A...>(fn, *store, args, std::index_sequence_for<A...>{});
    };
  }
};
template <typename R, typename... A>
struct Wrapper<std::function<R(A...)>> {
  template <typename Fn>
  static HostCallable Make(wasm::Store* store, Fn fn) {
    return [store, fn = std::move(fn)](std::span<const wasm::Value> args) mutable {
      return Call<R, false, Fn, A...>(fn, *store, args, std::index_sequence_for<A...>{});
    };
  }
};

}  // namespace host_internal

// A HostCallable for imports in {realm} made from a typed C++ function (see
// the top of this file). The function lives in the realm's Store: it must
// not capture a handle to that Store (a cycle); the Caller gives access.
template <typename Fn>
HostCallable MakeHostFunction(Realm& realm, Fn fn) {
  using Sig = decltype(std::function{fn});
  return host_internal::Wrapper<Sig>::Make(realm.store().get(), std::move(fn));
}

}  // namespace wasmstream::bindings

#endif  // WASMSTREAM_BINDINGS_HOST_FUNCTION_H_
