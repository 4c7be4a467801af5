/* Start functions: one that traps fails the instantiation with its trap,
 * one that calls the host runs inside wasm_instance_new. */
#include "c_test.h"

#define own

static own wasm_trap_t* started(const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  (void)results;
  printf("start function called the host with %d\n", args->data[0].of.i32);
  return NULL;
}

int main(int argc, char** argv) {
  CHECK(argc == 3);
  wasm_engine_t* engine = wasm_engine_new();
  wasm_store_t* store = wasm_store_new(engine);

  wasm_module_t* trapping = load_module(store, argv[1]);
  wasm_extern_vec_t none = WASM_EMPTY_VEC;
  wasm_trap_t* trap = NULL;
  CHECK(wasm_instance_new(store, trapping, &none, &trap) == NULL);
  CHECK(trap != NULL);
  print_trap("start", trap);
  printf("error message: %s\n", wasmstream_error_message());
  /* Without a trap pointer the reason is still recorded. */
  CHECK(wasm_instance_new(store, trapping, &none, NULL) == NULL);
  printf("again: %s\n", wasmstream_error_message());
  wasm_module_delete(trapping);

  wasm_module_t* ok = load_module(store, argv[2]);
  wasm_functype_t* ft = wasm_functype_new_1_0(wasm_valtype_new_i32());
  wasm_func_t* f = wasm_func_new(store, ft, started);
  wasm_functype_delete(ft);
  wasm_extern_t* externs[] = {wasm_func_as_extern(f)};
  wasm_extern_vec_t imports = WASM_ARRAY_VEC(externs);
  printf("instantiating\n");
  wasm_instance_t* instance = wasm_instance_new(store, ok, &imports, &trap);
  CHECK(instance != NULL && trap == NULL);
  printf("instantiated\n");

  wasm_instance_delete(instance);
  wasm_func_delete(f);
  wasm_module_delete(ok);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  return 0;
}
