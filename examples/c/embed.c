/* The smallest C embedder of wasmstream, the C twin of examples/embed.cc:
 *
 *   const { instance } = await WebAssembly.instantiateStreaming(fetch(url), {
 *     env: { log: (x) => console.log("log:", x) } });
 *   console.log(instance.exports[name](...args));
 *
 *   bazel run //examples/c:embed -- URL EXPORT [I32-ARGS...]
 *
 * It uses only wasm.h and wasmstream.h and links libwasmstream.so. Exit 0
 * when the export returns, 1 on any error (printed as "Kind: message"). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wasm.h"
#include "wasmstream.h"

static wasm_trap_t* log_i32(const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  (void)results;
  printf("log: %d\n", args->data[0].of.i32);
  return NULL;
}

static void on_compiled(void* env, wasm_module_t* module, const char* kind, const char* message) {
  if (!module) fprintf(stderr, "%s: %s\n", kind, message);
  *(wasm_module_t**)env = module;
}

/* The import list for {module}: env.log is ours, anything else is missing. */
static int make_imports(wasm_store_t* store, const wasm_module_t* module, wasm_extern_vec_t* out) {
  wasm_importtype_vec_t types;
  wasm_module_imports(module, &types);
  wasm_extern_vec_new_uninitialized(out, types.size);
  int ok = 1;
  for (size_t i = 0; i < types.size; ++i) {
    const wasm_name_t* mod = wasm_importtype_module(types.data[i]);
    const wasm_name_t* name = wasm_importtype_name(types.data[i]);
    if (mod->size == 3 && memcmp(mod->data, "env", 3) == 0 && name->size == 3 &&
        memcmp(name->data, "log", 3) == 0) {
      wasm_functype_t* ft = wasm_functype_new_1_0(wasm_valtype_new_i32());
      out->data[i] = wasm_func_as_extern(wasm_func_new(store, ft, log_i32));
      wasm_functype_delete(ft);
    } else {
      fprintf(stderr, "LinkError: no import %.*s.%.*s\n", (int)mod->size, mod->data,
              (int)name->size, name->data);
      ok = 0;
    }
  }
  wasm_importtype_vec_delete(&types);
  return ok;
}

int main(int argc, char** argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: embed URL EXPORT [I32-ARGS...]\n");
    return 2;
  }
  /* README:begin (README.md shows the lines up to README:end; //examples:readme_snippets_test) */
  wasm_engine_t* engine = wasm_engine_new();
  wasm_store_t* store = wasm_store_new(engine);
  int status = 1;
  wasm_module_t* module = NULL;
  wasmstream_module_compile_streaming(store, argv[1], NULL, on_compiled, &module);
  wasm_extern_vec_t imports = WASM_EMPTY_VEC;
  wasm_instance_t* instance = NULL;
  wasm_extern_vec_t exports = WASM_EMPTY_VEC;
  if (!module || !make_imports(store, module, &imports)) goto done;

  wasm_trap_t* trap = NULL;
  instance = wasm_instance_new(store, module, &imports, &trap);
  /* README:end */
  if (!instance) {
    fprintf(stderr, "%s\n", wasmstream_error_message());
    if (trap) wasm_trap_delete(trap);
    goto done;
  }
  wasm_exporttype_vec_t types;
  wasm_module_exports(module, &types);
  wasm_instance_exports(instance, &exports);
  const wasm_func_t* func = NULL;
  for (size_t i = 0; i < types.size; ++i) {
    const wasm_name_t* name = wasm_exporttype_name(types.data[i]);
    if (name->size == strlen(argv[2]) && memcmp(name->data, argv[2], name->size) == 0) {
      func = wasm_extern_as_func(exports.data[i]);
    }
  }
  wasm_exporttype_vec_delete(&types);
  if (!func) {
    fprintf(stderr, "TypeError: no exported function '%s'\n", argv[2]);
    goto done;
  }

  wasm_val_vec_t args, results;
  wasm_val_vec_new_uninitialized(&args, (size_t)(argc - 3));
  for (int i = 3; i < argc; ++i) {
    args.data[i - 3].kind = WASM_I32;
    args.data[i - 3].of.i32 = (int32_t)strtol(argv[i], NULL, 0);
  }
  wasm_val_vec_new_uninitialized(&results, wasm_func_result_arity(func));
  trap = wasm_func_call(func, &args, &results);
  if (trap) {
    wasm_message_t message;
    wasm_trap_message(trap, &message);
    fprintf(stderr, "%s: %s\n", wasmstream_trap_kind(trap), message.data);
    wasm_byte_vec_delete(&message);
    wasm_trap_delete(trap);
  } else {
    for (size_t i = 0; i < results.size; ++i) {
      if (results.data[i].kind == WASM_I32) printf("i32:%d\n", results.data[i].of.i32);
      else if (results.data[i].kind == WASM_I64) printf("i64:%lld\n", (long long)results.data[i].of.i64);
      else if (results.data[i].kind == WASM_F32) printf("f32:%g\n", results.data[i].of.f32);
      else if (results.data[i].kind == WASM_F64) printf("f64:%g\n", results.data[i].of.f64);
      else printf("ref\n");
    }
    status = 0;
  }
  wasm_val_vec_delete(&args);
  wasm_val_vec_delete(&results);

done:
  wasm_extern_vec_delete(&exports);
  wasm_extern_vec_delete(&imports);
  if (instance) wasm_instance_delete(instance);
  if (module) wasm_module_delete(module);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  return status;
}
