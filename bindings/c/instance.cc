// Instances: imports matched by position, exports in module order.
#include "bindings/c/c_api_internal.h"

using namespace wasmstream;
using namespace wasmstream::capi;

namespace {

wasm::Extern ToExtern(const Handle* h) {
  switch (h->kind) {
    case Kind::kFunc: return wasm::Extern::Func(h->func());
    case Kind::kGlobal: return wasm::Extern::Global(h->global());
    case Kind::kTable: return wasm::Extern::Table(h->table());
    case Kind::kMemory: return wasm::Extern::Memory(h->memory());
    default: return wasm::Extern::Tag(h->tag());
  }
}

Kind KindOfExtern(wasm::ExternalKind k) {
  switch (k) {
    case wasm::ExternalKind::kFunction: return Kind::kFunc;
    case wasm::ExternalKind::kTable: return Kind::kTable;
    case wasm::ExternalKind::kMemory: return Kind::kMemory;
    case wasm::ExternalKind::kGlobal: return Kind::kGlobal;
    case wasm::ExternalKind::kTag: return Kind::kTag;
  }
  return Kind::kFunc;
}

const void* EntityOf(const wasm::Extern& e) {
  switch (e.kind) {
    case wasm::ExternalKind::kFunction: return e.func;
    case wasm::ExternalKind::kTable: return e.table;
    case wasm::ExternalKind::kMemory: return e.memory;
    case wasm::ExternalKind::kGlobal: return e.global;
    case wasm::ExternalKind::kTag: return e.tag;
  }
  return nullptr;
}

wasm_instance_t* Fail(wasm_trap_t** trap, Handle* t) {
  SetError(t->trap()->kind + ": " + t->trap()->message);
  if (trap) *trap = t;
  else wasm_trap_delete(t);
  return nullptr;
}

}  // namespace

extern "C" {

wasm_instance_t* wasm_instance_new(wasm_store_t* store, const wasm_module_t* module,
                                   const wasm_extern_vec_t* imports, wasm_trap_t** trap) {
  if (trap) *trap = nullptr;
  WASMSTREAM_CAPI_REQUIRE(store && module, "null argument", nullptr);
  const std::shared_ptr<const wasm::Module>& m = H(module)->module()->module;
  size_t given = imports ? imports->size : 0;
  if (given < m->imports.size()) {
    return Fail(trap, NewTrapHandle("LinkError", "the module has " +
                                                     std::to_string(m->imports.size()) +
                                                     " imports, " + std::to_string(given) +
                                                     " were given"));
  }
  // The runtime links by name; a module importing one name twice gets the
  // first extern given for it.
  wasm::Imports linked;
  for (size_t i = m->imports.size(); i-- > 0;) {
    const wasm::Import& im = m->imports[i];
    const Handle* h = H(imports->data[i]);
    if (!h) {
      return Fail(trap, NewTrapHandle("LinkError", "import #" + std::to_string(i) + " \"" +
                                                       im.module + "\" \"" + im.name +
                                                       "\" is null"));
    }
    WASMSTREAM_CAPI_REQUIRE(h->store.get() == store->ctx.get(),
                            "an import belongs to another store", nullptr);
    linked.Add(im.module, im.name, ToExtern(h));
  }
  auto r = wasm::Instance::Instantiate(*store->ctx->store, m, linked);
  if (!r.ok()) return Fail(trap, TrapFromError(r.error()));
  return NewHandle(Kind::kInstance, store->ctx, r.value());
}

void wasm_instance_exports(const wasm_instance_t* instance, wasm_extern_vec_t* out) {
  WASMSTREAM_CAPI_REQUIRE(instance && out, "null argument", );
  const Handle* h = H(instance);
  const wasm::Instance* inst = h->instance();
  const auto& exports = inst->module().exports;
  wasm_extern_vec_new_uninitialized(out, exports.size());
  for (size_t i = 0; i < exports.size(); ++i) {
    std::optional<wasm::Extern> e = inst->GetExport(exports[i].name);
    out->data[i] = NewHandle(KindOfExtern(exports[i].kind), h->store, e ? EntityOf(*e) : nullptr);
  }
}

}  // extern "C"
