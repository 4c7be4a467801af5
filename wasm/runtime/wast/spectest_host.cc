#include "wasm/runtime/wast/spectest_host.h"

#include <cstdio>

namespace wasmstream::wasm {

void AddSpectestHost(Store& store, Imports& imports, bool quiet) {
  auto print = [&](const char* name, std::vector<ValueType> params) {
    FuncType t{params, {}};
    FuncInstance* f = store.NewHostFunction(t, [quiet](std::span<const Value> args)
                                                   -> Outcome<std::vector<Value>> {
      if (!quiet) {
        for (const Value& v : args) std::printf("%s ", ToString(v).c_str());
        std::printf("\n");
      }
      return std::vector<Value>{};
    });
    imports.Add("spectest", name, Extern::Func(f));
  };
  print("print", {});
  print("print_i32", {ValueType::I32()});
  print("print_i64", {ValueType::I64()});
  print("print_f32", {ValueType::F32()});
  print("print_f64", {ValueType::F64()});
  print("print_i32_f32", {ValueType::I32(), ValueType::F32()});
  print("print_f64_f64", {ValueType::F64(), ValueType::F64()});
  imports.Add("spectest", "global_i32",
              Extern::Global(store.NewGlobal(ValueType::I32(), false, Value::I32(666))));
  imports.Add("spectest", "global_i64",
              Extern::Global(store.NewGlobal(ValueType::I64(), false, Value::I64(666))));
  imports.Add("spectest", "global_f32",
              Extern::Global(store.NewGlobal(ValueType::F32(), false, Value::F32(666.6f))));
  imports.Add("spectest", "global_f64",
              Extern::Global(store.NewGlobal(ValueType::F64(), false, Value::F64(666.6))));
  Limits tl;
  tl.min = 10;
  tl.has_max = true;
  tl.max = 20;
  imports.Add("spectest", "table",
              Extern::Table(store.NewTable(ValueType::FuncRef(), tl, kNullRef)));
  Limits tl64 = tl;  // the same, with i64 addresses (memory64's table64)
  tl64.is64 = true;
  imports.Add("spectest", "table64",
              Extern::Table(store.NewTable(ValueType::FuncRef(), tl64, kNullRef)));
  Limits ml;
  ml.min = 1;
  ml.has_max = true;
  ml.max = 2;
  imports.Add("spectest", "memory", Extern::Memory(store.NewMemory(ml)));
  Limits sl = ml;  // the threads proposal's host memory: (memory 1 2 shared)
  sl.shared = true;
  imports.Add("spectest", "shared_memory", Extern::Memory(store.NewMemory(sl)));
}

}  // namespace wasmstream::wasm
