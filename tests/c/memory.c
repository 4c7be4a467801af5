/* Memories: the data pointer and size, grow to the maximum and past it,
 * bounds traps, a memory made by the host. */
#include "c_test.h"

static wasm_trap_t* call(const wasm_func_t* f, wasm_val_t* in, size_t nin, wasm_val_t* out,
                         size_t nout) {
  wasm_val_vec_t args = {nin, in}, results = {nout, out};
  return wasm_func_call(f, &args, &results);
}

static void load(const wasm_func_t* f, int32_t addr) {
  wasm_val_t in[1] = {WASM_I32_VAL(addr)};
  wasm_val_t out[1] = {WASM_INIT_VAL};
  wasm_trap_t* trap = call(f, in, 1, out, 1);
  if (trap) print_trap("load", trap);
  else printf("load(0x%x) = %d\n", addr, out[0].of.i32);
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
  wasm_memory_t* memory = wasm_extern_as_memory(exports.data[0]);
  const wasm_func_t* size = wasm_extern_as_func(exports.data[1]);
  const wasm_func_t* loadf = wasm_extern_as_func(exports.data[2]);
  const wasm_func_t* storef = wasm_extern_as_func(exports.data[3]);
  CHECK(memory && size && loadf && storef);

  printf("pages %u, bytes %zu\n", wasm_memory_size(memory), wasm_memory_data_size(memory));
  byte_t* data = wasm_memory_data(memory);
  printf("data at 0x1000: %d %d %d %d\n", data[0x1000], data[0x1001], data[0x1002], data[0x1003]);
  load(loadf, 0x1002);
  load(loadf, 0x20000);

  /* C writes, wasm reads; wasm writes, C reads. */
  data[0x1ffff] = 77;
  load(loadf, 0x1ffff);
  wasm_val_t st[2] = {WASM_I32_VAL(0x10), WASM_I32_VAL(-5)};
  CHECK(call(storef, st, 2, NULL, 0) == NULL);
  printf("C reads byte 0x10: %d\n", (int)(signed char)wasm_memory_data(memory)[0x10]);

  CHECK(wasm_memory_grow(memory, 1));
  wasm_val_t out[1] = {WASM_INIT_VAL};
  CHECK(call(size, NULL, 0, out, 1) == NULL);
  printf("after grow: pages %u, wasm sees %d, bytes %zu\n", wasm_memory_size(memory),
         out[0].of.i32, wasm_memory_data_size(memory));
  data = wasm_memory_data(memory);
  printf("grown page reads %d; old data kept: %d\n", data[0x20000], data[0x1001]);
  load(loadf, 0x20000);
  CHECK(!wasm_memory_grow(memory, 1));
  printf("grow past max: %s\n", wasmstream_error_message());
  CHECK(wasm_memory_grow(memory, 0));

  wasm_val_t bad[2] = {WASM_I32_VAL(0x30000), WASM_I32_VAL(1)};
  wasm_trap_t* trap = call(storef, bad, 2, NULL, 0);
  CHECK(trap != NULL);
  print_trap("store", trap);

  /* A memory made by the host. */
  wasm_limits_t limits = {1, 2};
  wasm_memorytype_t* mt = wasm_memorytype_new(&limits);
  wasm_memory_t* hmem = wasm_memory_new(store, mt);
  wasm_memorytype_delete(mt);
  CHECK(hmem != NULL);
  wasm_memory_data(hmem)[65535] = 9;
  CHECK(wasm_memory_grow(hmem, 1) && !wasm_memory_grow(hmem, 1));
  wasm_memorytype_t* ht = wasm_memory_type(hmem);
  printf("host memory: pages %u, limits %u..%u, last byte of page 0: %d\n",
         wasm_memory_size(hmem), wasm_memorytype_limits(ht)->min, wasm_memorytype_limits(ht)->max,
         wasm_memory_data(hmem)[65535]);
  wasm_memorytype_delete(ht);
  wasm_memory_delete(hmem);
  wasm_limits_t inverted = {3, 1};
  mt = wasm_memorytype_new(&inverted);
  CHECK(wasm_memory_new(store, mt) == NULL);
  printf("inverted limits: %s\n", wasmstream_error_message());
  wasm_memorytype_delete(mt);

  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  wasm_module_delete(module);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  return 0;
}
