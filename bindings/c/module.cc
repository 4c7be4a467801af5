// Modules: compile, validate, reflect, serialize through the code cache's
// format, and share between stores (a module is immutable, so sharing is
// handing over the same compiled module).
#include <cstring>
#include <memory>

#include "bindings/c/c_api_internal.h"
#include "wasm/serialization/serializer.h"
#include "wasm/streaming_compiler.h"

namespace wasmstream::capi {

using wasm::AbstractHeap;
using wasm::HeapType;
using wasm::ValueType;

ValueType Abstracted(const wasm::Module& module, ValueType t) {
  if (!t.is_ref() || !t.heap.is_index()) return t;
  bool is_func = t.heap.index() < module.types.size() &&
                 module.types[t.heap.index()].kind == wasm::CompositeKind::kFunc;
  return ValueType::Ref(HeapType::Abstract(is_func ? AbstractHeap::kFunc : AbstractHeap::kAny),
                        t.nullable);
}

namespace {

wasm::FuncType AbstractedFunc(const wasm::Module& module, const wasm::FuncType& f) {
  wasm::FuncType r;
  for (ValueType t : f.params) r.params.push_back(Abstracted(module, t));
  for (ValueType t : f.results) r.results.push_back(Abstracted(module, t));
  return r;
}

std::span<const uint8_t> Bytes(const wasm_byte_vec_t* v) {
  return {reinterpret_cast<const uint8_t*>(v->data), v->size};
}

}  // namespace

TypeObj* ExternTypeOf(const wasm::Module& m, wasm::ExternalKind kind, uint32_t index) {
  switch (kind) {
    case wasm::ExternalKind::kFunction: return NewFuncType(AbstractedFunc(m, m.func_type(index)));
    case wasm::ExternalKind::kTable:
      return NewTableType(Abstracted(m, m.tables[index].elem_type), m.tables[index].limits);
    case wasm::ExternalKind::kMemory: return NewMemoryType(m.memories[index].limits);
    case wasm::ExternalKind::kGlobal:
      return NewGlobalType(Abstracted(m, m.globals[index].type), m.globals[index].mutable_);
    case wasm::ExternalKind::kTag:
      return NewTagType(AbstractedFunc(m, m.types[m.tags[index].type_index].func));
  }
  return nullptr;
}

}  // namespace wasmstream::capi

using namespace wasmstream;
using namespace wasmstream::capi;

extern "C" {

wasm_module_t* wasm_module_new(wasm_store_t* store, const wasm_byte_vec_t* binary) {
  WASMSTREAM_CAPI_REQUIRE(store && binary, "null argument", nullptr);
  auto module = CompileBytes(*store->ctx->engine, Bytes(binary));
  return module ? NewModuleHandle(std::move(module)) : nullptr;
}

bool wasm_module_validate(wasm_store_t* store, const wasm_byte_vec_t* binary) {
  WASMSTREAM_CAPI_REQUIRE(store && binary, "null argument", false);
  auto r = wasm::CompileModule(Bytes(binary), store->ctx->engine->settings.features);
  if (!r.ok()) SetError("CompileError: " + r.error().Format());
  return r.ok();
}

void wasm_module_imports(const wasm_module_t* module, wasm_importtype_vec_t* out) {
  WASMSTREAM_CAPI_REQUIRE(module && out, "null argument", );
  const wasm::Module& m = *H(module)->module()->module;
  wasm_importtype_vec_new_uninitialized(out, m.imports.size());
  for (size_t i = 0; i < m.imports.size(); ++i) {
    const wasm::Import& im = m.imports[i];
    wasm_name_t mod, name;
    CopyName(&mod, im.module);
    CopyName(&name, im.name);
    out->data[i] = wasm_importtype_new(&mod, &name, ExternTypeOf(m, im.kind, im.index));
  }
}

void wasm_module_exports(const wasm_module_t* module, wasm_exporttype_vec_t* out) {
  WASMSTREAM_CAPI_REQUIRE(module && out, "null argument", );
  const wasm::Module& m = *H(module)->module()->module;
  wasm_exporttype_vec_new_uninitialized(out, m.exports.size());
  for (size_t i = 0; i < m.exports.size(); ++i) {
    const wasm::Export& ex = m.exports[i];
    wasm_name_t name;
    CopyName(&name, ex.name);
    out->data[i] = wasm_exporttype_new(&name, ExternTypeOf(m, ex.kind, ex.index));
  }
}

void wasm_module_serialize(const wasm_module_t* module, wasm_byte_vec_t* out) {
  WASMSTREAM_CAPI_REQUIRE(module && out, "null argument", );
  std::vector<uint8_t> bytes = wasm::SerializeModule(*H(module)->module()->module);
  wasm_byte_vec_new(out, bytes.size(), reinterpret_cast<const wasm_byte_t*>(bytes.data()));
}

wasm_module_t* wasm_module_deserialize(wasm_store_t* store, const wasm_byte_vec_t* bytes) {
  WASMSTREAM_CAPI_REQUIRE(store && bytes, "null argument", nullptr);
  wasm::Result<std::shared_ptr<const wasm::Module>> r =
      store->ctx->engine->settings.lazy
          ? wasm::DeserializeModuleDeferred(
                std::make_shared<const std::vector<uint8_t>>(Bytes(bytes).begin(), Bytes(bytes).end()))
          : wasm::DeserializeModule(Bytes(bytes));
  if (!r.ok()) {
    SetError("CompileError: " + r.error().Format());
    return nullptr;
  }
  return NewModuleHandle(std::move(r).value());
}

void wasm_shared_module_delete(wasm_shared_module_t* s) { delete s; }

wasm_shared_module_t* wasm_module_share(const wasm_module_t* module) {
  WASMSTREAM_CAPI_REQUIRE(module, "null module", nullptr);
  return new wasm_shared_module_t{H(module)->module()->module};
}

wasm_module_t* wasm_module_obtain(wasm_store_t* store, const wasm_shared_module_t* shared) {
  WASMSTREAM_CAPI_REQUIRE(store && shared, "null argument", nullptr);
  return NewModuleHandle(shared->module);
}

}  // extern "C"
