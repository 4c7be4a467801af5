/* Reflection: a module's imports and exports with their types, and the same
 * types read back from an instance's exports. */
#include "c_test.h"

static void print_valtypes(const wasm_valtype_vec_t* v) {
  printf("(");
  for (size_t i = 0; i < v->size; ++i) {
    wasm_valkind_t k = wasm_valtype_kind(v->data[i]);
    const char* name = k == WASM_I32 ? "i32" : k == WASM_I64 ? "i64" : k == WASM_F32 ? "f32"
                     : k == WASM_F64 ? "f64" : k == WASM_EXTERNREF ? "externref"
                     : k == WASM_FUNCREF ? "funcref" : k == WASMSTREAM_V128 ? "v128" : "?";
    printf("%s%s", i ? " " : "", name);
  }
  printf(")");
}

static void print_externtype(const wasm_externtype_t* t) {
  switch (wasm_externtype_kind(t)) {
    case WASM_EXTERN_FUNC: {
      const wasm_functype_t* f = wasm_externtype_as_functype_const(t);
      printf("func ");
      print_valtypes(wasm_functype_params(f));
      printf(" -> ");
      print_valtypes(wasm_functype_results(f));
      break;
    }
    case WASM_EXTERN_GLOBAL: {
      const wasm_globaltype_t* g = wasm_externtype_as_globaltype_const(t);
      printf("global %s kind %d", wasm_globaltype_mutability(g) == WASM_VAR ? "var" : "const",
             wasm_valtype_kind(wasm_globaltype_content(g)));
      break;
    }
    case WASM_EXTERN_TABLE: {
      const wasm_tabletype_t* tt = wasm_externtype_as_tabletype_const(t);
      const wasm_limits_t* l = wasm_tabletype_limits(tt);
      printf("table kind %d min %u max %u", wasm_valtype_kind(wasm_tabletype_element(tt)), l->min,
             l->max);
      break;
    }
    case WASM_EXTERN_MEMORY: {
      const wasm_limits_t* l = wasm_memorytype_limits(wasm_externtype_as_memorytype_const(t));
      printf("memory min %u max %u", l->min, l->max);
      break;
    }
    case WASM_EXTERN_TAG: {
      printf("tag ");
      print_valtypes(wasm_functype_params(wasm_tagtype_functype(wasm_externtype_as_tagtype_const(t))));
      break;
    }
  }
  /* Views of another kind are NULL. */
  if (wasm_externtype_kind(t) != WASM_EXTERN_FUNC) CHECK(wasm_externtype_as_functype_const(t) == NULL);
}

static void print_name(const wasm_name_t* n) { printf("%.*s", (int)n->size, n->data); }

int main(int argc, char** argv) {
  CHECK(argc == 2);
  wasm_engine_t* engine = wasm_engine_new();
  wasm_store_t* store = wasm_store_new(engine);
  wasm_module_t* module = load_module(store, argv[1]);

  wasm_importtype_vec_t imports;
  wasm_module_imports(module, &imports);
  for (size_t i = 0; i < imports.size; ++i) {
    printf("import ");
    print_name(wasm_importtype_module(imports.data[i]));
    printf(".");
    print_name(wasm_importtype_name(imports.data[i]));
    printf(": ");
    print_externtype(wasm_importtype_type(imports.data[i]));
    printf("\n");
  }
  wasm_exporttype_vec_t exports;
  wasm_module_exports(module, &exports);
  wasm_exporttype_vec_t copy;
  wasm_exporttype_vec_copy(&copy, &exports);  /* deep copies read the same */
  for (size_t i = 0; i < copy.size; ++i) {
    printf("export ");
    print_name(wasm_exporttype_name(copy.data[i]));
    printf(": ");
    print_externtype(wasm_exporttype_type(copy.data[i]));
    printf("\n");
  }
  wasm_exporttype_vec_delete(&copy);

  /* Instantiate with host objects of the imported types, then read the
   * exports' types from the instance. */
  wasm_extern_t* host[4];
  for (size_t i = 0; i < imports.size; ++i) {
    const wasm_externtype_t* t = wasm_importtype_type(imports.data[i]);
    switch (wasm_externtype_kind(t)) {
      case WASM_EXTERN_GLOBAL: {
        wasm_val_t v = WASM_F64_VAL(0);
        host[i] = wasm_global_as_extern(wasm_global_new(store, wasm_externtype_as_globaltype_const(t), &v));
        break;
      }
      case WASM_EXTERN_TABLE:
        host[i] = wasm_table_as_extern(wasm_table_new(store, wasm_externtype_as_tabletype_const(t), NULL));
        break;
      case WASM_EXTERN_MEMORY:
        host[i] = wasm_memory_as_extern(wasm_memory_new(store, wasm_externtype_as_memorytype_const(t)));
        break;
      default:
        host[i] = NULL;
    }
  }
  /* The function import is missing: instantiation says so. */
  wasm_extern_vec_t given = {4, host};
  wasm_trap_t* trap = NULL;
  CHECK(wasm_instance_new(store, module, &given, &trap) == NULL && trap != NULL);
  print_trap("missing import", trap);
  wasm_extern_vec_t too_few = {2, host};
  CHECK(wasm_instance_new(store, module, &too_few, &trap) == NULL);
  print_trap("too few imports", trap);

  for (size_t i = 0; i < 4; ++i) {
    if (host[i]) wasm_extern_delete(host[i]);
  }
  wasm_importtype_vec_delete(&imports);
  wasm_exporttype_vec_delete(&exports);
  wasm_module_delete(module);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  return 0;
}
