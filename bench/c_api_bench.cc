// Host-call and export-call overhead: the C API (wasm.h) against the C++
// API it wraps, in one run on one module (bench/c_api_bench.wat).
//
//   bench/c_api.sh [CALLS]    (bazel run //bench:c_api_bench -- [CALLS])
//
// Host calls: the module loops CALLS times calling an imported host
// function (i32) -> i32; the host is a wasm_func_new callback, or a
// wasm::HostFunction lambda. Export calls: the host calls the export
// (i32) -> i32 CALLS times, with wasm_func_call, or wasm::Invoke.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "bindings/c/wasm.h"
#include "wasm/runtime/instance.h"
#include "wasm/runtime/interpreter.h"
#include "wasm/runtime/sink_factory.h"
#include "wasm/runtime/store.h"

namespace {

#include "bench/c_api_bench_module.inc"

using Clock = std::chrono::steady_clock;

double NsPerCall(Clock::time_point start, uint32_t calls) {
  return std::chrono::duration<double, std::nano>(Clock::now() - start).count() / calls;
}

wasm_trap_t* Inc(const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  results->data[0].kind = WASM_I32;
  results->data[0].of.i32 = args->data[0].of.i32 + 1;
  return nullptr;
}

struct Figures {
  double host_ns;
  double export_ns;
};

Figures RunCApi(uint32_t calls) {
  wasm_engine_t* engine = wasm_engine_new();
  wasm_store_t* store = wasm_store_new(engine);
  wasm_byte_vec_t bytes;
  wasm_byte_vec_new(&bytes, sizeof(kBenchModule), reinterpret_cast<const char*>(kBenchModule));
  wasm_module_t* module = wasm_module_new(store, &bytes);
  wasm_byte_vec_delete(&bytes);
  wasm_functype_t* ft = wasm_functype_new_1_1(wasm_valtype_new_i32(), wasm_valtype_new_i32());
  wasm_func_t* inc = wasm_func_new(store, ft, Inc);
  wasm_functype_delete(ft);
  wasm_extern_t* externs[] = {wasm_func_as_extern(inc)};
  wasm_extern_vec_t imports = WASM_ARRAY_VEC(externs);
  wasm_instance_t* instance = wasm_instance_new(store, module, &imports, nullptr);
  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  const wasm_func_t* call_host = wasm_extern_as_func(exports.data[0]);
  const wasm_func_t* id = wasm_extern_as_func(exports.data[1]);

  Figures f;
  wasm_val_t in[1] = {WASM_I32_VAL(static_cast<int32_t>(calls))};
  wasm_val_t out[1] = {WASM_INIT_VAL};
  wasm_val_vec_t args = WASM_ARRAY_VEC(in), results = WASM_ARRAY_VEC(out);
  auto start = Clock::now();
  if (wasm_func_call(call_host, &args, &results) || out[0].of.i32 != static_cast<int32_t>(calls)) {
    std::fprintf(stderr, "C API host loop failed\n");
    std::exit(1);
  }
  f.host_ns = NsPerCall(start, calls);

  start = Clock::now();
  int64_t sum = 0;
  for (uint32_t i = 0; i < calls; ++i) {
    in[0].of.i32 = static_cast<int32_t>(i);
    if (wasm_func_call(id, &args, &results)) std::exit(1);
    sum += out[0].of.i32;
  }
  f.export_ns = NsPerCall(start, calls);
  if (sum != int64_t{calls} * (calls - 1) / 2) std::exit(1);

  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  wasm_func_delete(inc);
  wasm_module_delete(module);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  return f;
}

Figures RunCppApi(uint32_t calls) {
  using namespace wasmstream::wasm;
  auto compiled = CompileRunnable(std::span<const uint8_t>(kBenchModule, sizeof(kBenchModule)));
  if (!compiled.ok()) std::exit(1);
  Store store;
  FuncType ft{{ValueType::I32()}, {ValueType::I32()}};
  FuncInstance* inc = store.NewHostFunction(ft, [](std::span<const Value> a) -> Outcome<std::vector<Value>> {
    return std::vector<Value>{Value::I32(a[0].u.i32 + 1)};
  });
  Imports imports;
  imports.Add("host", "inc", Extern::Func(inc));
  auto inst = Instance::Instantiate(store, compiled.value(), imports);
  if (!inst.ok()) std::exit(1);
  const FuncInstance* call_host = inst.value()->GetExport("call_host")->func;
  const FuncInstance* id = inst.value()->GetExport("id")->func;

  Figures f;
  Value arg = Value::I32(calls);
  auto start = Clock::now();
  auto r = Invoke(store, call_host, std::span<const Value>(&arg, 1));
  if (!r.ok() || r.value()[0].u.i32 != calls) std::exit(1);
  f.host_ns = NsPerCall(start, calls);

  start = Clock::now();
  int64_t sum = 0;
  for (uint32_t i = 0; i < calls; ++i) {
    arg = Value::I32(i);
    auto res = Invoke(store, id, std::span<const Value>(&arg, 1));
    if (!res.ok()) std::exit(1);
    sum += static_cast<int32_t>(res.value()[0].u.i32);
  }
  f.export_ns = NsPerCall(start, calls);
  if (sum != int64_t{calls} * (calls - 1) / 2) std::exit(1);
  return f;
}

}  // namespace

int main(int argc, char** argv) {
  uint32_t calls = argc > 1 ? static_cast<uint32_t>(std::strtoul(argv[1], nullptr, 10)) : 10'000'000;
  // Alternate the two, twice, so neither always runs on a cold machine.
  Figures c = RunCApi(calls), cpp = RunCppApi(calls);
  Figures c2 = RunCApi(calls), cpp2 = RunCppApi(calls);
  auto best = [](double a, double b) { return a < b ? a : b; };
  double ch = best(c.host_ns, c2.host_ns), cph = best(cpp.host_ns, cpp2.host_ns);
  double ce = best(c.export_ns, c2.export_ns), cpe = best(cpp.export_ns, cpp2.export_ns);
  std::printf("calls per measurement: %u (best of 2)\n", calls);
  std::printf("host calls (wasm -> host):   C API %6.1f ns/call   C++ API %6.1f ns/call   ratio %.2f\n",
              ch, cph, ch / cph);
  std::printf("export calls (host -> wasm): C API %6.1f ns/call   C++ API %6.1f ns/call   ratio %.2f\n",
              ce, cpe, ce / cpe);
  return 0;
}
