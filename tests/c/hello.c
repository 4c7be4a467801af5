/* A host function called from wasm, called from C. */
#include "c_test.h"

#define own

static int calls = 0;

static own wasm_trap_t* hello_callback(const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  CHECK(args->size == 0 && results->size == 0);
  printf("hello from the host\n");
  ++calls;
  return NULL;
}

int main(int argc, char** argv) {
  CHECK(argc == 2);
  wasm_engine_t* engine = wasm_engine_new();
  wasm_store_t* store = wasm_store_new(engine);
  wasm_module_t* module = load_module(store, argv[1]);

  wasm_functype_t* hello_type = wasm_functype_new_0_0();
  wasm_func_t* hello = wasm_func_new(store, hello_type, hello_callback);
  wasm_functype_delete(hello_type);

  wasm_extern_t* externs[] = {wasm_func_as_extern(hello)};
  wasm_extern_vec_t imports = WASM_ARRAY_VEC(externs);
  wasm_trap_t* trap = NULL;
  wasm_instance_t* instance = wasm_instance_new(store, module, &imports, &trap);
  CHECK(instance != NULL && trap == NULL);

  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  CHECK(exports.size == 1);
  wasm_func_t* run = wasm_extern_as_func(exports.data[0]);
  CHECK(run != NULL);

  wasm_val_vec_t args = WASM_EMPTY_VEC;
  wasm_val_vec_t results = WASM_EMPTY_VEC;
  for (int i = 0; i < 2; ++i) CHECK(wasm_func_call(run, &args, &results) == NULL);
  printf("calls: %d\n", calls);

  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  wasm_func_delete(hello);
  wasm_module_delete(module);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  printf("done\n");
  return 0;
}
