/* Traps: their kind and message, from wasm, from the host, from bad
 * arguments; a trap made by the host; origins (none: see docs/c-api.md). */
#include "c_test.h"

#define own

static own wasm_trap_t* fail_callback(void* env, const wasm_val_vec_t* args,
                                      wasm_val_vec_t* results) {
  (void)args;
  (void)results;
  wasm_message_t message;
  wasm_name_new_from_string_nt(&message, "the host says no");
  wasm_trap_t* trap = wasm_trap_new((wasm_store_t*)env, &message);
  wasm_name_delete(&message);
  return trap;
}

static void expect_trap(const char* what, wasm_trap_t* trap) {
  CHECK(trap != NULL);
  CHECK(wasm_trap_origin(trap) == NULL);
  wasm_frame_vec_t trace;
  wasm_trap_trace(trap, &trace);
  CHECK(trace.size == 0);
  wasm_frame_vec_delete(&trace);
  print_trap(what, trap);
}

int main(int argc, char** argv) {
  CHECK(argc == 2);
  wasm_engine_t* engine = wasm_engine_new();
  wasm_store_t* store = wasm_store_new(engine);
  wasm_module_t* module = load_module(store, argv[1]);
  wasm_functype_t* ft = wasm_functype_new_0_0();
  wasm_func_t* fail = wasm_func_new_with_env(store, ft, fail_callback, store, NULL);
  wasm_functype_delete(ft);
  wasm_extern_t* externs[] = {wasm_func_as_extern(fail)};
  wasm_extern_vec_t imports = WASM_ARRAY_VEC(externs);
  wasm_instance_t* instance = wasm_instance_new(store, module, &imports, NULL);
  CHECK(instance != NULL);
  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);

  wasm_val_vec_t none = WASM_EMPTY_VEC;
  expect_trap("unreachable", wasm_func_call(wasm_extern_as_func(exports.data[0]), &none, &none));

  wasm_val_t div_args[2] = {WASM_I32_VAL(7), WASM_I32_VAL(0)};
  wasm_val_t out[1] = {WASM_INIT_VAL};
  wasm_val_vec_t args = WASM_ARRAY_VEC(div_args), results = WASM_ARRAY_VEC(out);
  const wasm_func_t* div = wasm_extern_as_func(exports.data[1]);
  expect_trap("div by zero", wasm_func_call(div, &args, &results));
  div_args[0].of.i32 = INT32_MIN;
  div_args[1].of.i32 = -1;
  expect_trap("div overflow", wasm_func_call(div, &args, &results));
  div_args[1].of.i32 = 2;
  CHECK(wasm_func_call(div, &args, &results) == NULL);
  printf("div ok: %d\n", out[0].of.i32);

  expect_trap("host trap through wasm", wasm_func_call(wasm_extern_as_func(exports.data[2]), &none, &none));
  expect_trap("host trap called directly", wasm_func_call(fail, &none, &none));
  expect_trap("recursion", wasm_func_call(wasm_extern_as_func(exports.data[3]), &none, &none));

  /* Wrong calls are traps too, not crashes. */
  expect_trap("too few arguments", wasm_func_call(div, &none, &results));
  wasm_val_t wrong[2] = {WASM_I64_VAL(1), WASM_I32_VAL(1)};
  wasm_val_vec_t wrong_args = WASM_ARRAY_VEC(wrong);
  expect_trap("wrong argument kind", wasm_func_call(div, &wrong_args, &results));
  expect_trap("no room for results", wasm_func_call(div, &args, &none));

  /* A trap's message and identity. */
  wasm_message_t m;
  wasm_name_new_from_string_nt(&m, "made here");
  wasm_trap_t* t = wasm_trap_new(store, &m);
  wasm_name_delete(&m);
  wasm_trap_t* t2 = wasm_trap_copy(t);
  CHECK(wasm_trap_same(t, t2));
  wasm_trap_delete(t2);
  print_trap("host-made trap", t);

  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  wasm_func_delete(fail);
  wasm_module_delete(module);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  return 0;
}
