/* Host info and finalizers: info belongs to the object (every handle sees
 * it), replacing it finalizes the old info, and store objects are finalized
 * when their store goes; modules and traps when their last handle does. */
#include "c_test.h"

enum { kInstances = 100 };

static int finalized[4];  /* instances, funcs, foreigns, replaced */
static int module_finalized = 0;

static void finalize_instance(void* info) { finalized[0] += (int)(intptr_t)info > 0; }
static void finalize_func(void* info) { finalized[1] += (int)(intptr_t)info > 0; }
static void finalize_foreign(void* info) { finalized[2] += (int)(intptr_t)info > 0; }
static void finalize_replaced(void* info) { finalized[3] += (int)(intptr_t)info > 0; }
static void finalize_module(void* info) { module_finalized += info == &module_finalized; }

int main(int argc, char** argv) {
  CHECK(argc == 2);
  wasm_engine_t* engine = wasm_engine_new();
  wasm_store_t* store = wasm_store_new(engine);
  wasm_module_t* module = load_module(store, argv[1]);
  wasm_module_set_host_info_with_finalizer(module, &module_finalized, finalize_module);
  wasm_module_t* module2 = wasm_module_copy(module);
  CHECK(wasm_module_get_host_info(module2) == &module_finalized);

  wasm_extern_vec_t none = WASM_EMPTY_VEC;
  for (int i = 1; i <= kInstances; ++i) {
    wasm_instance_t* instance = wasm_instance_new(store, module, &none, NULL);
    CHECK(instance != NULL);
    wasm_instance_set_host_info_with_finalizer(instance, (void*)(intptr_t)i, finalize_instance);
    wasm_extern_vec_t exports;
    wasm_instance_exports(instance, &exports);
    wasm_func_t* f = wasm_extern_as_func(exports.data[0]);
    wasm_func_set_host_info_with_finalizer(f, (void*)(intptr_t)i, finalize_func);
    /* A second handle to the same function sees the same info. */
    wasm_extern_vec_t again;
    wasm_instance_exports(instance, &again);
    CHECK(wasm_func_get_host_info(wasm_extern_as_func(again.data[0])) == (void*)(intptr_t)i);
    CHECK(wasm_extern_get_host_info(again.data[0]) == (void*)(intptr_t)i);
    wasm_extern_vec_delete(&again);
    wasm_extern_vec_delete(&exports);
    wasm_instance_delete(instance);

    wasm_foreign_t* foreign = wasm_foreign_new(store);
    wasm_foreign_set_host_info_with_finalizer(foreign, (void*)(intptr_t)-1, finalize_replaced);
    wasm_foreign_set_host_info_with_finalizer(foreign, (void*)(intptr_t)i, finalize_foreign);
    wasm_foreign_delete(foreign);
  }
  /* Replacing ran the first finalizer (with info -1, so not counted as >0)
   * once per foreign object, and nothing else has run yet. */
  printf("before store delete: instances %d, funcs %d, foreigns %d\n", finalized[0], finalized[1],
         finalized[2]);

  wasm_module_delete(module);
  printf("module finalized after first handle: %d\n", module_finalized);
  wasm_module_delete(module2);
  printf("module finalized after last handle: %d\n", module_finalized);

  wasm_store_delete(store);
  printf("after store delete: instances %d, funcs %d, foreigns %d, replaced %d\n", finalized[0],
         finalized[1], finalized[2], finalized[3]);
  wasm_engine_delete(engine);
  return 0;
}
