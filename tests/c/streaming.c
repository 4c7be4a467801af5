/* wasmstream.h: compileStreaming from a URL with the Web's checks (status,
 * MIME type, CORS, CSP), the code cache, its statistics and write-back,
 * feature flags.
 *   streaming BASE_URL CACHE_FILE SIMD_WASM
 * BASE_URL serves add.wasm, add.bin (same bytes, another MIME type) and
 * garbage.wasm (not a module) from a loopback server. */
#include "c_test.h"

#define own

struct outcome {
  wasm_module_t* module;
  char kind[64];
  char message[256];
};

static void on_compiled(void* env, own wasm_module_t* module, const char* kind,
                        const char* message) {
  struct outcome* o = env;
  o->module = module;
  snprintf(o->kind, sizeof o->kind, "%s", kind ? kind : "");
  snprintf(o->message, sizeof o->message, "%s", message ? message : "");
}

static int32_t call_add(wasm_store_t* store, const wasm_module_t* module) {
  wasm_extern_vec_t none = WASM_EMPTY_VEC;
  wasm_instance_t* instance = wasm_instance_new(store, module, &none, NULL);
  CHECK(instance != NULL);
  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  wasm_val_t in[2] = {WASM_I32_VAL(40), WASM_I32_VAL(2)}, out[1] = {WASM_INIT_VAL};
  wasm_val_vec_t args = WASM_ARRAY_VEC(in), results = WASM_ARRAY_VEC(out);
  CHECK(wasm_func_call(wasm_extern_as_func(exports.data[0]), &args, &results) == NULL);
  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  return out[0].of.i32;
}

static void compile(wasm_store_t* store, const char* label, const char* base, const char* file,
                    const wasmstream_streaming_options_t* options) {
  char url[512];
  snprintf(url, sizeof url, "%s%s", base, file);
  struct outcome o = {0};
  wasmstream_module_compile_streaming(store, url, options, on_compiled, &o);
  if (o.module) {
    printf("%s: module, add(40, 2) = %d\n", label, call_add(store, o.module));
    wasm_module_delete(o.module);
  } else {
    /* The server's port changes between runs: print it as BASE/. */
    char* at = strstr(o.message, base);
    if (at) {
      printf("%s: %s: %.*sBASE/%s\n", label, o.kind, (int)(at - o.message), o.message,
             at + strlen(base));
    } else {
      printf("%s: %s: %s\n", label, o.kind, o.message);
    }
  }
}

static void print_stats(const char* label, wasm_engine_t* engine) {
  wasmstream_cache_stats_t s;
  wasmstream_engine_cache_stats(engine, &s);
  printf("%s: usable %d, compiles %llu, hits %llu, misses %llu, stores %llu, entries %llu\n", label,
         s.usable, (unsigned long long)s.compiles, (unsigned long long)s.hits,
         (unsigned long long)s.misses, (unsigned long long)s.stores,
         (unsigned long long)s.entries);
}

int main(int argc, char** argv) {
  CHECK(argc == 4);
  const char* base = argv[1];

  /* The Web's rules. */
  wasm_engine_t* engine = wasm_engine_new();
  wasm_store_t* store = wasm_store_new(engine);
  compile(store, "add.wasm", base, "add.wasm", NULL);
  compile(store, "wrong MIME type", base, "add.bin", NULL);
  compile(store, "404 (an HTML page)", base, "missing.wasm", NULL);
  compile(store, "not a module", base, "garbage.wasm", NULL);
  wasmstream_streaming_options_t csp = {NULL, "script-src 'self'"};
  compile(store, "CSP without wasm-unsafe-eval", base, "add.wasm", &csp);
  wasmstream_streaming_options_t csp_ok = {NULL, "script-src 'self' 'wasm-unsafe-eval'"};
  compile(store, "CSP with wasm-unsafe-eval", base, "add.wasm", &csp_ok);
  wasmstream_streaming_options_t other_origin = {"http://other.example/page", NULL};
  compile(store, "cross-origin without CORS", base, "add.wasm", &other_origin);
  wasmstream_streaming_options_t bad_page = {"not a url", NULL};
  compile(store, "bad page URL", base, "add.wasm", &bad_page);
  wasm_store_delete(store);
  wasm_engine_delete(engine);

  /* The code cache: a second compile of the same bytes is a hit, in this
   * engine from memory, in a new engine from the file. */
  wasm_config_t* config = wasm_config_new();
  wasmstream_config_set_cache(config, argv[2], WASMSTREAM_CACHE_CONTENT, 0, 0);
  engine = wasm_engine_new_with_config(config);
  store = wasm_store_new(engine);
  compile(store, "cached engine, first", base, "add.wasm", NULL);
  compile(store, "cached engine, second", base, "add.wasm", NULL);
  print_stats("stats", engine);
  wasm_store_delete(store);
  wasm_engine_delete(engine);

  config = wasm_config_new();
  wasmstream_config_set_cache(config, argv[2], WASMSTREAM_CACHE_CONTENT, 0, 0);
  engine = wasm_engine_new_with_config(config);
  store = wasm_store_new(engine);
  compile(store, "new engine, same file", base, "add.wasm", NULL);
  print_stats("stats", engine);
  wasm_store_delete(store);
  wasm_engine_delete(engine);

  /* Write-back: add's code, compiled on its first call, goes into the entry;
   * the next engine loads it from there instead of compiling it. */
  for (int round = 1; round <= 2; ++round) {
    config = wasm_config_new();
    wasmstream_config_set_cache(config, argv[2], WASMSTREAM_CACHE_CONTENT, 0, 0);
    wasmstream_config_set_cache_write_back(config, true);
    engine = wasm_engine_new_with_config(config);
    store = wasm_store_new(engine);
    char url[512];
    snprintf(url, sizeof url, "%sadd.wasm", base);
    struct outcome o = {0};
    wasmstream_module_compile_streaming(store, url, NULL, on_compiled, &o);
    CHECK(o.module != NULL);
    printf("write-back engine %d: add(40, 2) = %d\n", round, call_add(store, o.module));
    wasmstream_write_back_t wb;
    wasmstream_engine_cache_write_back(engine, &wb);
    printf("write-back %d: queued %llu, unchanged %llu, functions compiled %llu, loaded %llu\n",
           round, (unsigned long long)wb.queued, (unsigned long long)wb.unchanged,
           (unsigned long long)wb.functions_compiled, (unsigned long long)wb.functions_loaded);
    wasmstream_engine_cache_write_back(engine, &wb);  /* nothing compiled since */
    printf("write-back %d again: queued %llu, unchanged %llu\n", round,
           (unsigned long long)wb.queued, (unsigned long long)wb.unchanged);
    wasm_module_delete(o.module);
    wasm_store_delete(store);
    wasm_engine_delete(engine);
  }
  /* Without write-back on, the call writes nothing. */
  engine = wasm_engine_new();
  wasmstream_write_back_t none;
  wasmstream_engine_cache_write_back(engine, &none);
  wasmstream_engine_cache_write_back(engine, NULL);
  printf("write-back off: queued %llu\n", (unsigned long long)none.queued);
  wasm_engine_delete(engine);

  /* Feature flags. */
  config = wasm_config_new();
  CHECK(!wasmstream_config_set_feature(config, "no-such-feature", true));
  printf("unknown feature: %s\n", wasmstream_error_message());
  CHECK(wasmstream_config_set_feature(config, "simd", false));
  engine = wasm_engine_new_with_config(config);
  store = wasm_store_new(engine);
  wasm_byte_vec_t simd = read_file(argv[3]);
  CHECK(wasm_module_new(store, &simd) == NULL);
  printf("simd off: %s\n", wasmstream_error_message());
  CHECK(!wasm_module_validate(store, &simd));
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  engine = wasm_engine_new();
  store = wasm_store_new(engine);
  wasm_module_t* m = wasm_module_new(store, &simd);
  CHECK(m != NULL);
  printf("simd on: compiles\n");
  wasm_module_delete(m);
  wasm_byte_vec_delete(&simd);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  return 0;
}
