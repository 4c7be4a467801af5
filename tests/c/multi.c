/* Multi-value: four parameters and four results across the boundary, in
 * both directions. */
#include "c_test.h"

#define own

static own wasm_trap_t* swap(const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  printf("host got %d %lld %lld %d\n", args->data[0].of.i32, (long long)args->data[1].of.i64,
         (long long)args->data[2].of.i64, args->data[3].of.i32);
  for (int i = 0; i < 4; ++i) wasm_val_copy(&results->data[i], &args->data[3 - i]);
  return NULL;
}

int main(int argc, char** argv) {
  CHECK(argc == 2);
  wasm_engine_t* engine = wasm_engine_new();
  wasm_store_t* store = wasm_store_new(engine);
  wasm_module_t* module = load_module(store, argv[1]);
  wasm_valtype_t* ps[4] = {wasm_valtype_new_i32(), wasm_valtype_new_i64(), wasm_valtype_new_i64(),
                           wasm_valtype_new_i32()};
  wasm_valtype_t* rs[4] = {wasm_valtype_new_i32(), wasm_valtype_new_i64(), wasm_valtype_new_i64(),
                           wasm_valtype_new_i32()};
  wasm_valtype_vec_t params, results;
  wasm_valtype_vec_new(&params, 4, ps);
  wasm_valtype_vec_new(&results, 4, rs);
  wasm_functype_t* ft = wasm_functype_new(&params, &results);
  wasm_func_t* host = wasm_func_new(store, ft, swap);
  wasm_functype_delete(ft);
  wasm_extern_t* externs[] = {wasm_func_as_extern(host)};
  wasm_extern_vec_t imports = WASM_ARRAY_VEC(externs);
  wasm_instance_t* instance = wasm_instance_new(store, module, &imports, NULL);
  CHECK(instance != NULL);
  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);

  wasm_val_t in[4] = {WASM_I32_VAL(1), WASM_I64_VAL(2), WASM_I64_VAL(3), WASM_I32_VAL(4)};
  in[1].kind = WASM_I32;  /* mismatched kinds make the swap's results wrong */
  wasm_val_t out[4] = {WASM_INIT_VAL, WASM_INIT_VAL, WASM_INIT_VAL, WASM_INIT_VAL};
  wasm_val_vec_t args = WASM_ARRAY_VEC(in), res = WASM_ARRAY_VEC(out);
  const wasm_func_t* rt = wasm_extern_as_func(exports.data[0]);
  print_trap("wrong kind", wasm_func_call(rt, &args, &res));
  in[1].kind = WASM_I64;
  CHECK(wasm_func_call(rt, &args, &res) == NULL);
  printf("wasm returned %d %lld %lld %d\n", out[0].of.i32, (long long)out[1].of.i64,
         (long long)out[2].of.i64, out[3].of.i32);
  CHECK(out[0].kind == WASM_I32 && out[1].kind == WASM_I64);

  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  wasm_func_delete(host);
  wasm_module_delete(module);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  return 0;
}
