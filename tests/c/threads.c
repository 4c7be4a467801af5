/* Threads: one engine and one compiled module shared by several threads,
 * each with its own store, host function (with an environment) and global,
 * all running at once. */
#include <pthread.h>

#include "c_test.h"

#define own

enum { kThreads = 8, kCalls = 2000 };

static wasm_engine_t* engine;
static wasm_shared_module_t* shared;

struct thread_state {
  int id;
  int reports;
  int32_t sum;
  int finalized;
};

static own wasm_trap_t* report(void* env, const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  (void)results;
  struct thread_state* s = env;
  if (args->data[0].of.i32 != s->reports) {
    wasm_message_t m;
    wasm_name_new_from_string_nt(&m, "out of order");
    return wasm_trap_new(NULL, &m);
  }
  ++s->reports;
  return NULL;
}

static void finalize(void* env) { ((struct thread_state*)env)->finalized = 1; }

static void* run(void* arg) {
  struct thread_state* s = arg;
  wasm_store_t* store = wasm_store_new(engine);
  wasm_module_t* module = wasm_module_obtain(store, shared);
  CHECK(module != NULL);
  wasm_functype_t* ft = wasm_functype_new_1_0(wasm_valtype_new_i32());
  wasm_func_t* f = wasm_func_new_with_env(store, ft, report, s, finalize);
  wasm_functype_delete(ft);
  wasm_globaltype_t* gt = wasm_globaltype_new(wasm_valtype_new_i32(), WASM_CONST);
  wasm_val_t id = WASM_I32_VAL(s->id);
  wasm_global_t* g = wasm_global_new(store, gt, &id);
  wasm_globaltype_delete(gt);
  wasm_extern_t* externs[] = {wasm_func_as_extern(f), wasm_global_as_extern(g)};
  wasm_extern_vec_t imports = WASM_ARRAY_VEC(externs);
  wasm_instance_t* instance = wasm_instance_new(store, module, &imports, NULL);
  CHECK(instance != NULL);
  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  wasm_val_t in[1] = {WASM_I32_VAL(kCalls)}, out[1] = {WASM_INIT_VAL};
  wasm_val_vec_t args = WASM_ARRAY_VEC(in), results = WASM_ARRAY_VEC(out);
  wasm_trap_t* trap = wasm_func_call(wasm_extern_as_func(exports.data[0]), &args, &results);
  CHECK(trap == NULL);
  s->sum = out[0].of.i32;
  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  wasm_func_delete(f);
  wasm_global_delete(g);
  wasm_module_delete(module);
  wasm_store_delete(store);
  return NULL;
}

int main(int argc, char** argv) {
  CHECK(argc == 2);
  engine = wasm_engine_new();
  wasm_store_t* store = wasm_store_new(engine);
  wasm_module_t* module = load_module(store, argv[1]);
  shared = wasm_module_share(module);
  wasm_module_delete(module);
  wasm_store_delete(store);

  pthread_t threads[kThreads];
  struct thread_state states[kThreads];
  for (int i = 0; i < kThreads; ++i) {
    states[i] = (struct thread_state){.id = i + 1};
    CHECK(pthread_create(&threads[i], NULL, run, &states[i]) == 0);
  }
  int ok = 0;
  for (int i = 0; i < kThreads; ++i) {
    CHECK(pthread_join(threads[i], NULL) == 0);
    ok += states[i].reports == kCalls && states[i].sum == states[i].id * kCalls &&
          states[i].finalized;
  }
  printf("%d of %d threads ran %d host calls each, with their own store and global\n", ok,
         kThreads, kCalls);
  wasm_shared_module_delete(shared);
  wasm_engine_delete(engine);
  return 0;
}
