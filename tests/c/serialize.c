/* Serialization through the code cache's format: serialize, deserialize in
 * another engine (lazy and eager), run; a damaged copy is refused with a
 * reason; shared modules move between stores. */
#include "c_test.h"

static int32_t run_fib(wasm_store_t* store, const wasm_module_t* module, int32_t n) {
  wasm_globaltype_t* gt = wasm_globaltype_new(wasm_valtype_new_i32(), WASM_CONST);
  wasm_val_t zero = WASM_I32_VAL(0);
  wasm_global_t* g = wasm_global_new(store, gt, &zero);
  wasm_globaltype_delete(gt);
  wasm_extern_t* externs[] = {wasm_global_as_extern(g)};
  wasm_extern_vec_t imports = WASM_ARRAY_VEC(externs);
  wasm_instance_t* instance = wasm_instance_new(store, module, &imports, NULL);
  CHECK(instance != NULL);
  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  wasm_val_t in[1] = {WASM_I32_VAL(n)}, out[1] = {WASM_INIT_VAL};
  wasm_val_vec_t args = WASM_ARRAY_VEC(in), results = WASM_ARRAY_VEC(out);
  CHECK(wasm_func_call(wasm_extern_as_func(exports.data[0]), &args, &results) == NULL);
  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  wasm_global_delete(g);
  return out[0].of.i32;
}

int main(int argc, char** argv) {
  CHECK(argc == 2);
  wasm_config_t* eager_config = wasm_config_new();
  wasmstream_config_set_lazy_compilation(eager_config, false);
  wasm_engine_t* eager = wasm_engine_new_with_config(eager_config);
  wasm_engine_t* lazy = wasm_engine_new();
  wasm_store_t* store = wasm_store_new(eager);
  wasm_module_t* module = load_module(store, argv[1]);
  printf("fib(20) = %d\n", run_fib(store, module, 20));

  wasm_byte_vec_t serialized;
  wasm_module_serialize(module, &serialized);
  CHECK(serialized.size > 8);
  printf("serialized starts with %.4s\n", serialized.data);

  for (int e = 0; e < 2; ++e) {
    wasm_store_t* other = wasm_store_new(e ? lazy : eager);
    wasm_module_t* loaded = wasm_module_deserialize(other, &serialized);
    CHECK(loaded != NULL);
    wasm_exporttype_vec_t exports;
    wasm_module_exports(loaded, &exports);
    printf("%s engine: %zu export(s), fib(20) = %d\n", e ? "lazy" : "eager", exports.size,
           run_fib(other, loaded, 20));
    wasm_exporttype_vec_delete(&exports);
    wasm_module_delete(loaded);
    wasm_store_delete(other);
  }

  /* Damaged and truncated copies are refused, never trusted. */
  wasm_byte_vec_t damaged;
  wasm_byte_vec_copy(&damaged, &serialized);
  damaged.data[4] ^= 0x7f;  /* the format version */
  CHECK(wasm_module_deserialize(store, &damaged) == NULL);
  printf("damaged: refused (%s)\n", strlen(wasmstream_error_message()) ? "with a reason" : "silently");
  wasm_byte_vec_t truncated = {serialized.size / 2, serialized.data};
  CHECK(wasm_module_deserialize(store, &truncated) == NULL);
  printf("truncated: refused (%s)\n", strncmp(wasmstream_error_message(), "CompileError", 12) == 0 ? "CompileError" : "?");
  wasm_byte_vec_delete(&damaged);

  /* Plain wasm bytes are not a serialized module, and the reverse. */
  wasm_byte_vec_t wasm_bytes = read_file(argv[1]);
  CHECK(wasm_module_deserialize(store, &wasm_bytes) == NULL);
  CHECK(!wasm_module_validate(store, &serialized));
  CHECK(wasm_module_validate(store, &wasm_bytes));
  wasm_byte_vec_delete(&wasm_bytes);
  wasm_byte_vec_delete(&serialized);

  /* Share and obtain: the same compiled module in another store. */
  wasm_shared_module_t* shared = wasm_module_share(module);
  wasm_store_t* store2 = wasm_store_new(lazy);
  wasm_module_t* obtained = wasm_module_obtain(store2, shared);
  wasm_shared_module_delete(shared);
  printf("obtained: fib(10) = %d\n", run_fib(store2, obtained, 10));
  wasm_module_delete(obtained);
  wasm_store_delete(store2);

  wasm_module_delete(module);
  wasm_store_delete(store);
  wasm_engine_delete(eager);
  wasm_engine_delete(lazy);
  return 0;
}
