/* Misuse the header forbids, one case per run (the first argument): a debug
 * build stops with "wasm C API misuse in FUNCTION: ..." on stderr; a release
 * build returns the error value and records the same text, which this
 * program then prints before exiting with 3. misuse_test.sh accepts either,
 * never a crash or silence. */
#include "c_test.h"

int main(int argc, char** argv) {
  CHECK(argc == 2);
  const char* what = argv[1];
  wasm_engine_t* engine = wasm_engine_new();
  wasm_store_t* store = wasm_store_new(engine);
  wasm_store_t* other = wasm_store_new(engine);
  if (strcmp(what, "immutable-global") == 0) {
    wasm_globaltype_t* gt = wasm_globaltype_new(wasm_valtype_new_i32(), WASM_CONST);
    wasm_val_t v = WASM_I32_VAL(1);
    wasm_global_t* g = wasm_global_new(store, gt, &v);
    wasm_global_set(g, &v);
  } else if (strcmp(what, "cross-store") == 0) {
    wasm_globaltype_t* gt = wasm_globaltype_new(wasm_valtype_new_externref(), WASM_VAR);
    wasm_val_t null_ref = WASM_REF_VAL(NULL);
    wasm_global_t* g = wasm_global_new(store, gt, &null_ref);
    wasm_foreign_t* foreign = wasm_foreign_new(other);
    wasm_val_t v = WASM_REF_VAL(wasm_foreign_as_ref(foreign));
    wasm_global_set(g, &v);
  } else if (strcmp(what, "null-store") == 0) {
    wasm_byte_vec_t bytes = WASM_EMPTY_VEC;
    wasm_module_new(NULL, &bytes);
  } else {
    fprintf(stderr, "unknown case %s\n", what);
    return 2;
  }
  fprintf(stderr, "%s\n", wasmstream_error_message());
  return 3;
}
