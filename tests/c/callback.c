/* Host functions made with and without an environment; the environment's
 * finalizer runs when the store goes away. */
#include "c_test.h"

#define own

static own wasm_trap_t* print_callback(const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  CHECK(args->size == 1 && args->data[0].kind == WASM_I32);
  CHECK(results->size == 1 && results->data[0].kind == WASM_I32);
  printf("print(%d)\n", args->data[0].of.i32);
  results->data[0].of.i32 = args->data[0].of.i32;  /* echo it back */
  return NULL;
}

static own wasm_trap_t* closure_callback(void* env, const wasm_val_vec_t* args,
                                         wasm_val_vec_t* results) {
  CHECK(args->size == 0);
  int* counter = (int*)env;
  ++*counter;
  printf("closure #%d\n", *counter);
  results->data[0].kind = WASM_I32;
  results->data[0].of.i32 = 1000 * *counter;
  return NULL;
}

static int finalized = 0;
static void finalize_counter(void* env) {
  printf("finalizer sees counter %d\n", *(int*)env);
  ++finalized;
}

int main(int argc, char** argv) {
  CHECK(argc == 2);
  wasm_engine_t* engine = wasm_engine_new();
  wasm_store_t* store = wasm_store_new(engine);
  wasm_module_t* module = load_module(store, argv[1]);

  wasm_functype_t* print_type = wasm_functype_new_1_1(wasm_valtype_new_i32(), wasm_valtype_new_i32());
  wasm_func_t* print = wasm_func_new(store, print_type, print_callback);
  wasm_functype_t* closure_type = wasm_functype_new_0_1(wasm_valtype_new_i32());
  int counter = 0;
  wasm_func_t* closure = wasm_func_new_with_env(store, closure_type, closure_callback, &counter,
                                                finalize_counter);
  CHECK(wasm_func_param_arity(print) == 1 && wasm_func_result_arity(print) == 1);
  CHECK(wasm_func_param_arity(closure) == 0 && wasm_func_result_arity(closure) == 1);
  wasm_functype_delete(print_type);
  wasm_functype_delete(closure_type);

  wasm_extern_t* externs[] = {wasm_func_as_extern(print), wasm_func_as_extern(closure)};
  wasm_extern_vec_t imports = WASM_ARRAY_VEC(externs);
  wasm_instance_t* instance = wasm_instance_new(store, module, &imports, NULL);
  CHECK(instance != NULL);
  wasm_func_delete(print);

  /* A host function called from C directly. */
  wasm_val_t direct[1] = {WASM_INIT_VAL};
  wasm_val_vec_t no_args = WASM_EMPTY_VEC;
  wasm_val_vec_t direct_results = WASM_ARRAY_VEC(direct);
  CHECK(wasm_func_call(closure, &no_args, &direct_results) == NULL);
  printf("closure() from C = %d\n", direct[0].of.i32);
  wasm_func_delete(closure);

  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  const wasm_func_t* run = wasm_extern_as_func_const(exports.data[0]);

  for (int i = 1; i <= 2; ++i) {
    wasm_val_t vals[2] = {WASM_I32_VAL(3 * i), WASM_I32_VAL(4)};
    wasm_val_t out[1] = {WASM_INIT_VAL};
    wasm_val_vec_t args = WASM_ARRAY_VEC(vals);
    wasm_val_vec_t results = WASM_ARRAY_VEC(out);
    CHECK(wasm_func_call(run, &args, &results) == NULL);
    CHECK(out[0].kind == WASM_I32);
    printf("run(%d, 4) = %d\n", 3 * i, out[0].of.i32);
  }

  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  wasm_module_delete(module);
  CHECK(finalized == 0);
  wasm_store_delete(store);
  printf("finalized: %d\n", finalized);
  wasm_engine_delete(engine);
  return 0;
}
