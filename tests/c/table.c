/* Tables: get, set, grow and size from C, host and wasm functions in one
 * table, call_indirect through what C put there, host-made tables. */
#include "c_test.h"

#define own

static own wasm_trap_t* times_ten(const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  results->data[0].kind = WASM_I32;
  results->data[0].of.i32 = args->data[0].of.i32 * 10;
  return NULL;
}

static void call_indirect(const wasm_func_t* f, int32_t arg, int32_t index) {
  wasm_val_t vals[2] = {WASM_I32_VAL(arg), WASM_I32_VAL(index)};
  wasm_val_t out[1] = {WASM_INIT_VAL};
  wasm_val_vec_t args = WASM_ARRAY_VEC(vals), results = WASM_ARRAY_VEC(out);
  wasm_trap_t* trap = wasm_func_call(f, &args, &results);
  if (trap) {
    print_trap("call_indirect", trap);
  } else {
    printf("call_indirect(%d, %d) = %d\n", arg, index, out[0].of.i32);
  }
}

int main(int argc, char** argv) {
  CHECK(argc == 2);
  wasm_engine_t* engine = wasm_engine_new();
  wasm_store_t* store = wasm_store_new(engine);
  wasm_module_t* module = load_module(store, argv[1]);
  wasm_extern_vec_t none = WASM_EMPTY_VEC;
  wasm_instance_t* instance = wasm_instance_new(store, module, &none, NULL);
  CHECK(instance != NULL);
  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  wasm_table_t* table = wasm_extern_as_table(exports.data[0]);
  const wasm_func_t* ci = wasm_extern_as_func(exports.data[1]);
  CHECK(table && ci);

  wasm_tabletype_t* tt = wasm_table_type(table);
  const wasm_limits_t* l = wasm_tabletype_limits(tt);
  printf("table: kind %d, min %u, max %u, size %u\n",
         wasm_valtype_kind(wasm_tabletype_element(tt)), l->min, l->max, wasm_table_size(table));
  wasm_tabletype_delete(tt);

  wasm_ref_t* r0 = wasm_table_get(table, 0);
  wasm_ref_t* r1 = wasm_table_get(table, 1);
  CHECK(r0 == NULL && r1 != NULL && wasm_ref_as_func(r1) != NULL);
  CHECK(wasm_table_get(table, 99) == NULL);
  call_indirect(ci, 5, 1);
  call_indirect(ci, 5, 0);
  call_indirect(ci, 5, 2);

  /* A host function into slot 0, the wasm function copied to slot 2 of a
   * grown table. */
  wasm_functype_t* ft = wasm_functype_new_1_1(wasm_valtype_new_i32(), wasm_valtype_new_i32());
  wasm_func_t* host = wasm_func_new(store, ft, times_ten);
  wasm_functype_delete(ft);
  CHECK(wasm_table_set(table, 0, wasm_func_as_ref(host)));
  CHECK(wasm_table_grow(table, 3, r1));
  printf("size after grow: %u\n", wasm_table_size(table));
  call_indirect(ci, 5, 0);
  call_indirect(ci, 5, 4);
  CHECK(!wasm_table_set(table, 5, NULL));
  printf("set out of bounds: %s\n", wasmstream_error_message());
  CHECK(!wasm_table_grow(table, 6, NULL));
  printf("grow past max: %s\n", wasmstream_error_message());
  CHECK(wasm_table_set(table, 4, NULL));
  call_indirect(ci, 5, 4);

  wasm_ref_t* back = wasm_table_get(table, 0);
  CHECK(back && wasm_ref_same(back, wasm_func_as_ref(host)));
  wasm_ref_delete(back);

  /* A table made by the host. */
  wasm_limits_t limits = {1, 4};
  wasm_tabletype_t* htt = wasm_tabletype_new(wasm_valtype_new_funcref(), &limits);
  wasm_table_t* htable = wasm_table_new(store, htt, wasm_func_as_ref(host));
  wasm_tabletype_delete(htt);
  CHECK(htable && wasm_table_size(htable) == 1);
  wasm_ref_t* first = wasm_table_get(htable, 0);
  CHECK(first && wasm_ref_same(first, wasm_func_as_ref(host)));
  printf("host table: size %u, slot 0 is the host function\n", wasm_table_size(htable));
  wasm_ref_delete(first);
  wasm_table_delete(htable);

  wasm_ref_delete(r1);
  wasm_func_delete(host);
  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  wasm_module_delete(module);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  return 0;
}
