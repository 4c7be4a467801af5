/* Globals: host-made and module-made, const and var, read and written from
 * C and from wasm; the same global seen through two handles. */
#include "c_test.h"

static wasm_func_t* export_func(const wasm_extern_vec_t* exports, size_t i) {
  wasm_func_t* f = wasm_extern_as_func(exports->data[i]);
  CHECK(f != NULL);
  return f;
}

static wasm_val_t call0(const wasm_func_t* f) {
  wasm_val_t out[1] = {WASM_INIT_VAL};
  wasm_val_vec_t args = WASM_EMPTY_VEC, results = WASM_ARRAY_VEC(out);
  CHECK(wasm_func_call(f, &args, &results) == NULL);
  return out[0];
}

int main(int argc, char** argv) {
  CHECK(argc == 2);
  wasm_engine_t* engine = wasm_engine_new();
  wasm_store_t* store = wasm_store_new(engine);
  wasm_module_t* module = load_module(store, argv[1]);

  wasm_globaltype_t* f32_const = wasm_globaltype_new(wasm_valtype_new_f32(), WASM_CONST);
  wasm_globaltype_t* i64_var = wasm_globaltype_new(wasm_valtype_new_i64(), WASM_VAR);
  wasm_val_t v1 = WASM_F32_VAL(1.5f), v2 = WASM_I64_VAL(-3);
  wasm_global_t* cf32 = wasm_global_new(store, f32_const, &v1);
  wasm_global_t* vi64 = wasm_global_new(store, i64_var, &v2);
  CHECK(cf32 && vi64);
  /* A value of the wrong kind is refused with a reason. */
  wasm_val_t wrong = WASM_I32_VAL(1);
  CHECK(wasm_global_new(store, f32_const, &wrong) == NULL);
  printf("refused: %s\n", wasmstream_error_message());
  wasm_globaltype_delete(f32_const);
  wasm_globaltype_delete(i64_var);

  wasm_extern_t* externs[] = {wasm_global_as_extern(cf32), wasm_global_as_extern(vi64)};
  wasm_extern_vec_t imports = WASM_ARRAY_VEC(externs);
  wasm_instance_t* instance = wasm_instance_new(store, module, &imports, NULL);
  CHECK(instance != NULL);

  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  CHECK(exports.size == 7);
  wasm_global_t* own_var = wasm_extern_as_global(exports.data[0]);
  wasm_global_t* own_const = wasm_extern_as_global(exports.data[1]);
  wasm_global_t* var_i64 = wasm_extern_as_global(exports.data[2]);
  CHECK(own_var && own_const && var_i64);
  CHECK(wasm_global_same(var_i64, vi64));
  CHECK(!wasm_global_same(var_i64, cf32));

  wasm_globaltype_t* t = wasm_global_type(own_var);
  printf("own_var: kind %d, %s\n", wasm_valtype_kind(wasm_globaltype_content(t)),
         wasm_globaltype_mutability(t) == WASM_VAR ? "var" : "const");
  wasm_globaltype_delete(t);
  t = wasm_global_type(own_const);
  printf("own_const: kind %d, %s\n", wasm_valtype_kind(wasm_globaltype_content(t)),
         wasm_globaltype_mutability(t) == WASM_VAR ? "var" : "const");
  wasm_globaltype_delete(t);

  wasm_val_t v;
  wasm_global_get(cf32, &v);
  printf("const_f32 = %.2f, from wasm %.2f\n", v.of.f32, call0(export_func(&exports, 3)).of.f32);
  wasm_global_get(own_const, &v);
  printf("own_const = %.2f\n", v.of.f64);

  /* Written from C, read from wasm; written from wasm, read from C. */
  wasm_val_t nv = WASM_I64_VAL(42);
  wasm_global_set(vi64, &nv);
  printf("var_i64 after C set: %lld\n", (long long)call0(export_func(&exports, 4)).of.i64);
  wasm_val_t arg[1] = {WASM_I64_VAL(-99)};
  wasm_val_vec_t args = WASM_ARRAY_VEC(arg), none = WASM_EMPTY_VEC;
  CHECK(wasm_func_call(export_func(&exports, 5), &args, &none) == NULL);
  wasm_global_get(var_i64, &v);
  printf("var_i64 after wasm set: %lld\n", (long long)v.of.i64);
  wasm_val_t seven = WASM_I32_VAL(8);
  wasm_global_set(own_var, &seven);
  printf("own_var from wasm: %d\n", call0(export_func(&exports, 6)).of.i32);

  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  wasm_global_delete(cf32);
  wasm_global_delete(vi64);
  wasm_module_delete(module);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  return 0;
}
