// Globals, tables, memories and the extern views of them.
#include <cstring>

#include "bindings/c/c_api_internal.h"

namespace wasmstream::capi {
namespace {

StoreCtx& Ctx(const Handle* h) { return *h->store; }

}  // namespace
}  // namespace wasmstream::capi

using namespace wasmstream;
using namespace wasmstream::capi;

extern "C" {

// ---- Globals.

wasm_global_t* wasm_global_new(wasm_store_t* store, const wasm_globaltype_t* type,
                               const wasm_val_t* val) {
  WASMSTREAM_CAPI_REQUIRE(store && type && val, "null argument", nullptr);
  const TypeObj* t = T_(type);
  wasm::Value v;
  std::string error;
  if (!ToValue(*val, t->content->type, *store->ctx, &v, &error)) {
    SetError("TypeError: " + error);
    return nullptr;
  }
  wasm::GlobalInstance* g =
      store->ctx->store->NewGlobal(t->content->type, t->mutability == WASM_VAR, v);
  return NewHandle(Kind::kGlobal, store->ctx, g);
}

wasm_globaltype_t* wasm_global_type(const wasm_global_t* global) {
  WASMSTREAM_CAPI_REQUIRE(global, "null global", nullptr);
  const wasm::GlobalInstance* g = H(global)->global();
  return NewGlobalType(g->type(), g->is_mutable());
}

void wasm_global_get(const wasm_global_t* global, wasm_val_t* out) {
  WASMSTREAM_CAPI_REQUIRE(global && out, "null argument", );
  const Handle* h = H(global);
  std::string error;
  if (!FromValue(h->global()->Get(), Ctx(h), out, &error)) SetError("TypeError: " + error);
}

void wasm_global_set(wasm_global_t* global, const wasm_val_t* val) {
  WASMSTREAM_CAPI_REQUIRE(global && val, "null argument", );
  Handle* h = H(global);
  wasm::GlobalInstance* g = h->global();
  WASMSTREAM_CAPI_REQUIRE(g->is_mutable(), "the global is immutable", );
  wasm::Value v;
  std::string error;
  bool ok = ToValue(*val, g->type(), Ctx(h), &v, &error);
  WASMSTREAM_CAPI_REQUIRE(ok, "the value does not match the global's type", );
  g->Set(v);
}

// ---- Tables.

wasm_table_t* wasm_table_new(wasm_store_t* store, const wasm_tabletype_t* type, wasm_ref_t* init) {
  WASMSTREAM_CAPI_REQUIRE(store && type, "null argument", nullptr);
  const TypeObj* t = T_(type);
  wasm::RefBits bits;
  std::string error;
  if (!RefToBits(init, t->content->type, *store->ctx, &bits, &error)) {
    SetError("TypeError: " + error);
    return nullptr;
  }
  wasm::TableInstance* table =
      store->ctx->store->NewTable(t->content->type, ToLimits(t->limits), bits);
  if (!table || !table->ok()) {
    SetError("RangeError: the table's limits pass the engine's");
    return nullptr;
  }
  return NewHandle(Kind::kTable, store->ctx, table);
}

wasm_tabletype_t* wasm_table_type(const wasm_table_t* table) {
  WASMSTREAM_CAPI_REQUIRE(table, "null table", nullptr);
  const wasm::TableInstance* t = H(table)->table();
  return NewTableType(t->elem_type(), t->type());
}

wasm_ref_t* wasm_table_get(const wasm_table_t* table, wasm_table_size_t index) {
  WASMSTREAM_CAPI_REQUIRE(table, "null table", nullptr);
  const Handle* h = H(table);
  const wasm::TableInstance* t = h->table();
  if (index >= t->size()) return nullptr;
  return BitsToRef(t->Get(index), t->elem_type(), Ctx(h));
}

bool wasm_table_set(wasm_table_t* table, wasm_table_size_t index, wasm_ref_t* ref) {
  WASMSTREAM_CAPI_REQUIRE(table, "null table", false);
  Handle* h = H(table);
  wasm::TableInstance* t = h->table();
  if (index >= t->size()) {
    SetError("RangeError: table index " + std::to_string(index) + " is out of bounds");
    return false;
  }
  wasm::RefBits bits;
  std::string error;
  if (!RefToBits(ref, t->elem_type(), Ctx(h), &bits, &error)) {
    SetError("TypeError: " + error);
    return false;
  }
  if (bits == wasm::kNullRef && !t->elem_type().nullable) {
    SetError("TypeError: the table's elements are not nullable");
    return false;
  }
  t->Set(index, bits);
  return true;
}

wasm_table_size_t wasm_table_size(const wasm_table_t* table) {
  WASMSTREAM_CAPI_REQUIRE(table, "null table", 0);
  uint64_t n = H(table)->table()->size();
  return n > UINT32_MAX ? UINT32_MAX : static_cast<wasm_table_size_t>(n);
}

bool wasm_table_grow(wasm_table_t* table, wasm_table_size_t delta, wasm_ref_t* init) {
  WASMSTREAM_CAPI_REQUIRE(table, "null table", false);
  Handle* h = H(table);
  wasm::TableInstance* t = h->table();
  wasm::RefBits bits;
  std::string error;
  if (!RefToBits(init, t->elem_type(), Ctx(h), &bits, &error)) {
    SetError("TypeError: " + error);
    return false;
  }
  if (t->Grow(delta, bits) < 0) {
    SetError("RangeError: the table cannot grow by " + std::to_string(delta));
    return false;
  }
  return true;
}

// ---- Memories.

wasm_memory_t* wasm_memory_new(wasm_store_t* store, const wasm_memorytype_t* type) {
  WASMSTREAM_CAPI_REQUIRE(store && type, "null argument", nullptr);
  wasm::Limits limits = ToLimits(T_(type)->limits);
  if (limits.has_max && limits.max < limits.min) {
    SetError("RangeError: the memory's maximum is below its minimum");
    return nullptr;
  }
  wasm::MemoryInstance* m = store->ctx->store->NewMemory(limits);
  if (!m || !m->ok()) {
    SetError("RangeError: could not allocate the memory");
    return nullptr;
  }
  return NewHandle(Kind::kMemory, store->ctx, m);
}

wasm_memorytype_t* wasm_memory_type(const wasm_memory_t* memory) {
  WASMSTREAM_CAPI_REQUIRE(memory, "null memory", nullptr);
  return NewMemoryType(H(memory)->memory()->type());
}

byte_t* wasm_memory_data(wasm_memory_t* memory) {
  WASMSTREAM_CAPI_REQUIRE(memory, "null memory", nullptr);
  return reinterpret_cast<byte_t*>(H(memory)->memory()->data());
}

size_t wasm_memory_data_size(const wasm_memory_t* memory) {
  WASMSTREAM_CAPI_REQUIRE(memory, "null memory", 0);
  return H(memory)->memory()->size();
}

wasm_memory_pages_t wasm_memory_size(const wasm_memory_t* memory) {
  WASMSTREAM_CAPI_REQUIRE(memory, "null memory", 0);
  uint64_t pages = H(memory)->memory()->pages();
  return pages > UINT32_MAX ? UINT32_MAX : static_cast<wasm_memory_pages_t>(pages);
}

bool wasm_memory_grow(wasm_memory_t* memory, wasm_memory_pages_t delta) {
  WASMSTREAM_CAPI_REQUIRE(memory, "null memory", false);
  if (H(memory)->memory()->Grow(delta) < 0) {
    SetError("RangeError: the memory cannot grow by " + std::to_string(delta) + " pages");
    return false;
  }
  return true;
}

// ---- Externs: the same handle, another view.

wasm_externkind_t wasm_extern_kind(const wasm_extern_t* e) {
  WASMSTREAM_CAPI_REQUIRE(e, "null extern", WASM_EXTERN_FUNC);
  switch (H(e)->kind) {
    case Kind::kGlobal: return WASM_EXTERN_GLOBAL;
    case Kind::kTable: return WASM_EXTERN_TABLE;
    case Kind::kMemory: return WASM_EXTERN_MEMORY;
    case Kind::kTag: return WASM_EXTERN_TAG;
    default: return WASM_EXTERN_FUNC;
  }
}

wasm_externtype_t* wasm_extern_type(const wasm_extern_t* e) {
  WASMSTREAM_CAPI_REQUIRE(e, "null extern", nullptr);
  const Handle* h = H(e);
  switch (h->kind) {
    case Kind::kFunc: return T_(wasm_func_type(h));
    case Kind::kGlobal: return T_(wasm_global_type(h));
    case Kind::kTable: return T_(wasm_table_type(h));
    case Kind::kMemory: return T_(wasm_memory_type(h));
    case Kind::kTag: return NewTagType(h->tag()->type());
    default: return nullptr;
  }
}

#define WASMSTREAM_EXTERN_VIEWS(name, KIND)                                                 \
  wasm_extern_t* wasm_##name##_as_extern(wasm_##name##_t* x) { return H(x); }               \
  const wasm_extern_t* wasm_##name##_as_extern_const(const wasm_##name##_t* x) { return H(x); } \
  wasm_##name##_t* wasm_extern_as_##name(wasm_extern_t* e) {                                \
    Handle* h = H(e);                                                                       \
    return h && h->kind == KIND ? h : nullptr;                                              \
  }                                                                                         \
  const wasm_##name##_t* wasm_extern_as_##name##_const(const wasm_extern_t* e) {            \
    const Handle* h = H(e);                                                                 \
    return h && h->kind == KIND ? h : nullptr;                                              \
  }

WASMSTREAM_EXTERN_VIEWS(func, Kind::kFunc)
WASMSTREAM_EXTERN_VIEWS(global, Kind::kGlobal)
WASMSTREAM_EXTERN_VIEWS(table, Kind::kTable)
WASMSTREAM_EXTERN_VIEWS(memory, Kind::kMemory)

}  // extern "C"
