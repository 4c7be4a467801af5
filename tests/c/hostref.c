/* Host references: foreign objects (and other host objects) passed to wasm
 * as externref come back as the same object; funcrefs come back as
 * functions; null is NULL. */
#include "c_test.h"

#define own

static own wasm_trap_t* check(const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  printf("host check: %s\n", args->data[0].of.ref ? "a reference" : "null");
  wasm_val_copy(&results->data[0], &args->data[0]);
  return NULL;
}

static wasm_ref_t* call_ref(const wasm_func_t* f, wasm_val_t* in, size_t n) {
  wasm_val_t out[1] = {WASM_INIT_VAL};
  wasm_val_vec_t args = {n, in}, results = WASM_ARRAY_VEC(out);
  CHECK(wasm_func_call(f, &args, &results) == NULL);
  return out[0].of.ref;
}

int main(int argc, char** argv) {
  CHECK(argc == 2);
  wasm_engine_t* engine = wasm_engine_new();
  wasm_store_t* store = wasm_store_new(engine);
  wasm_module_t* module = load_module(store, argv[1]);
  wasm_functype_t* ft =
      wasm_functype_new_1_1(wasm_valtype_new_externref(), wasm_valtype_new_externref());
  wasm_func_t* checkf = wasm_func_new(store, ft, check);
  wasm_functype_delete(ft);
  wasm_extern_t* externs[] = {wasm_func_as_extern(checkf)};
  wasm_extern_vec_t imports = WASM_ARRAY_VEC(externs);
  wasm_instance_t* instance = wasm_instance_new(store, module, &imports, NULL);
  CHECK(instance != NULL);
  wasm_extern_vec_t ex;
  wasm_instance_exports(instance, &ex);
  wasm_global_t* global = wasm_extern_as_global(ex.data[0]);
  wasm_table_t* table = wasm_extern_as_table(ex.data[1]);
  const wasm_func_t* identity = wasm_extern_as_func(ex.data[2]);
  const wasm_func_t* store_f = wasm_extern_as_func(ex.data[3]);
  const wasm_func_t* load_f = wasm_extern_as_func(ex.data[4]);
  const wasm_func_t* funcref_f = wasm_extern_as_func(ex.data[6]);
  const wasm_func_t* is_null = wasm_extern_as_func(ex.data[7]);

  wasm_foreign_t* a = wasm_foreign_new(store);
  wasm_foreign_t* b = wasm_foreign_new(store);
  CHECK(!wasm_foreign_same(a, b));

  /* Through a call and back. */
  wasm_val_t in[2] = {WASM_REF_VAL(wasm_foreign_as_ref(a))};
  wasm_ref_t* r = call_ref(identity, in, 1);
  CHECK(r && wasm_ref_as_foreign(r) && wasm_foreign_same(wasm_ref_as_foreign(r), a));
  printf("identity(a) is a: %d, is b: %d\n", wasm_foreign_same(wasm_ref_as_foreign(r), a),
         wasm_foreign_same(wasm_ref_as_foreign(r), b));
  wasm_ref_delete(r);
  in[0].of.ref = NULL;
  CHECK(call_ref(identity, in, 1) == NULL);

  /* Through a table written by wasm, read by C; and the reverse. */
  wasm_val_t st[2] = {WASM_I32_VAL(1), WASM_REF_VAL(wasm_foreign_as_ref(b))};
  wasm_val_vec_t st_args = WASM_ARRAY_VEC(st), none = WASM_EMPTY_VEC;
  CHECK(wasm_func_call(store_f, &st_args, &none) == NULL);
  r = wasm_table_get(table, 1);
  printf("table[1] from C is b: %d\n", r && wasm_foreign_same(wasm_ref_as_foreign(r), b));
  wasm_ref_delete(r);
  CHECK(wasm_table_set(table, 0, wasm_foreign_as_ref(a)));
  wasm_val_t ld[1] = {WASM_I32_VAL(0)};
  r = call_ref(load_f, ld, 1);
  printf("table[0] from wasm is a: %d\n", r && wasm_foreign_same(wasm_ref_as_foreign(r), a));
  wasm_ref_delete(r);

  /* Through a global; a global handle is a host object too. */
  wasm_val_t gv = WASM_REF_VAL(wasm_global_as_ref(global));
  wasm_global_set(global, &gv);
  wasm_val_t got;
  wasm_global_get(global, &got);
  printf("global holds itself: %d\n",
         got.of.ref && wasm_global_same(wasm_ref_as_global(got.of.ref), global));
  wasm_val_delete(&got);

  /* is_null sees NULL as null and a foreign object as not. */
  wasm_val_t nin[1] = {WASM_REF_VAL(NULL)}, nout[1] = {WASM_INIT_VAL};
  wasm_val_vec_t nargs = WASM_ARRAY_VEC(nin), nres = WASM_ARRAY_VEC(nout);
  CHECK(wasm_func_call(is_null, &nargs, &nres) == NULL);
  printf("is_null(NULL) = %d", nout[0].of.i32);
  nin[0].of.ref = wasm_foreign_as_ref(a);
  CHECK(wasm_func_call(is_null, &nargs, &nres) == NULL);
  printf(", is_null(a) = %d\n", nout[0].of.i32);

  /* A funcref from wasm is a callable function. */
  r = call_ref(funcref_f, NULL, 0);
  wasm_func_t* f = wasm_ref_as_func(r);
  CHECK(f != NULL);
  wasm_val_t fo[1] = {WASM_INIT_VAL};
  wasm_val_vec_t fres = WASM_ARRAY_VEC(fo);
  CHECK(wasm_func_call(f, &none, &fres) == NULL);
  printf("funcref() returns a function returning %d\n", fo[0].of.i32);
  CHECK(wasm_func_same(f, wasm_extern_as_func(ex.data[5])));
  wasm_ref_delete(r);

  /* A function is not a foreign object, and the views say so. */
  CHECK(wasm_ref_as_foreign(wasm_func_as_ref(checkf)) == NULL);
  CHECK(wasm_ref_as_func(wasm_foreign_as_ref(a)) == NULL);

  wasm_foreign_delete(a);
  wasm_foreign_delete(b);
  wasm_extern_vec_delete(&ex);
  wasm_instance_delete(instance);
  wasm_func_delete(checkf);
  wasm_module_delete(module);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  return 0;
}
