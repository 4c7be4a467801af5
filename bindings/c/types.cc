// Value, function, global, table, memory, tag, extern, import and export
// types of wasm.h, and their mapping to the runtime's types.
#include <cstring>

#include "bindings/c/c_api_internal.h"

namespace wasmstream::capi {

using wasm::AbstractHeap;
using wasm::HeapType;
using wasm::ValueKind;
using wasm::ValueType;

AbstractHeap TopOf(ValueType t) {
  if (t.heap.is_index()) return AbstractHeap::kAny;  // refined below for func types
  switch (t.heap.abstract()) {
    case AbstractHeap::kFunc:
    case AbstractHeap::kNoFunc: return AbstractHeap::kFunc;
    case AbstractHeap::kExtern:
    case AbstractHeap::kNoExtern: return AbstractHeap::kExtern;
    case AbstractHeap::kExn:
    case AbstractHeap::kNoExn: return AbstractHeap::kExn;
    default: return AbstractHeap::kAny;
  }
}

wasm_valkind_t KindOf(ValueType t) {
  switch (t.kind) {
    case ValueKind::kI32: return WASM_I32;
    case ValueKind::kI64: return WASM_I64;
    case ValueKind::kF32: return WASM_F32;
    case ValueKind::kF64: return WASM_F64;
    case ValueKind::kV128: return WASMSTREAM_V128;
    default: break;
  }
  switch (TopOf(t)) {
    case AbstractHeap::kFunc: return WASM_FUNCREF;
    case AbstractHeap::kExtern: return WASM_EXTERNREF;
    case AbstractHeap::kExn: return WASMSTREAM_EXNREF;
    default: return WASMSTREAM_ANYREF;
  }
}

std::optional<ValueType> ValueTypeOf(wasm_valkind_t k) {
  switch (k) {
    case WASM_I32: return ValueType::I32();
    case WASM_I64: return ValueType::I64();
    case WASM_F32: return ValueType::F32();
    case WASM_F64: return ValueType::F64();
    case WASMSTREAM_V128: return ValueType::V128();
    case WASM_EXTERNREF: return ValueType::ExternRef();
    case WASM_FUNCREF: return ValueType::FuncRef();
    case WASMSTREAM_ANYREF: return ValueType::Ref(HeapType::Abstract(AbstractHeap::kAny), true);
    case WASMSTREAM_EXNREF: return ValueType::Ref(HeapType::Abstract(AbstractHeap::kExn), true);
    default: return std::nullopt;
  }
}

wasm_valtype_t* NewValType(ValueType t) { return new wasm_valtype_t{t}; }

TypeObj::~TypeObj() {
  wasm_valtype_vec_delete(&params);
  wasm_valtype_vec_delete(&results);
  delete content;
  delete functype;
}

namespace {

void FillVec(wasm_valtype_vec_t* out, const std::vector<ValueType>& types) {
  wasm_valtype_vec_new_uninitialized(out, types.size());
  for (size_t i = 0; i < types.size(); ++i) out->data[i] = NewValType(types[i]);
}

wasm_limits_t FromLimits(const wasm::Limits& l) {
  wasm_limits_t r;
  r.min = l.min > UINT32_MAX ? UINT32_MAX : static_cast<uint32_t>(l.min);
  r.max = !l.has_max || l.max >= UINT32_MAX ? wasm_limits_max_default : static_cast<uint32_t>(l.max);
  return r;
}

TypeObj* CopyType(const TypeObj& t) {
  auto* c = new TypeObj;
  c->kind = t.kind;
  wasm_valtype_vec_copy(&c->params, &t.params);
  wasm_valtype_vec_copy(&c->results, &t.results);
  c->content = t.content ? NewValType(t.content->type) : nullptr;
  c->mutability = t.mutability;
  c->limits = t.limits;
  c->functype = t.functype ? CopyType(*t.functype) : nullptr;
  return c;
}

}  // namespace

TypeObj* NewFuncType(const wasm::FuncType& f) {
  auto* t = new TypeObj;
  t->kind = WASM_EXTERN_FUNC;
  FillVec(&t->params, f.params);
  FillVec(&t->results, f.results);
  return t;
}

wasm::FuncType ToFuncType(const TypeObj& t) {
  wasm::FuncType f;
  for (size_t i = 0; i < t.params.size; ++i) f.params.push_back(t.params.data[i]->type);
  for (size_t i = 0; i < t.results.size; ++i) f.results.push_back(t.results.data[i]->type);
  return f;
}

TypeObj* NewGlobalType(ValueType t, bool mutable_) {
  auto* g = new TypeObj;
  g->kind = WASM_EXTERN_GLOBAL;
  g->content = NewValType(t);
  g->mutability = mutable_ ? WASM_VAR : WASM_CONST;
  return g;
}

TypeObj* NewTableType(ValueType elem, const wasm::Limits& limits) {
  auto* t = new TypeObj;
  t->kind = WASM_EXTERN_TABLE;
  t->content = NewValType(elem);
  t->limits = FromLimits(limits);
  return t;
}

TypeObj* NewMemoryType(const wasm::Limits& limits) {
  auto* t = new TypeObj;
  t->kind = WASM_EXTERN_MEMORY;
  t->limits = FromLimits(limits);
  return t;
}

TypeObj* NewTagType(const wasm::FuncType& f) {
  auto* t = new TypeObj;
  t->kind = WASM_EXTERN_TAG;
  t->functype = NewFuncType(f);
  return t;
}

wasm::Limits ToLimits(const wasm_limits_t& l) {
  wasm::Limits r;
  r.min = l.min;
  r.has_max = l.max != wasm_limits_max_default;
  r.max = r.has_max ? l.max : 0;
  return r;
}

void CopyName(wasm_name_t* out, std::string_view s) { wasm_byte_vec_new(out, s.size(), s.data()); }

}  // namespace wasmstream::capi

using namespace wasmstream::capi;

extern "C" {

// ---- Value types.

wasm_valtype_t* wasm_valtype_new(wasm_valkind_t kind) {
  auto t = ValueTypeOf(kind);
  WASMSTREAM_CAPI_REQUIRE(t.has_value(), "unknown value kind", nullptr);
  return NewValType(*t);
}
void wasm_valtype_delete(wasm_valtype_t* t) { delete t; }
wasm_valtype_t* wasm_valtype_copy(const wasm_valtype_t* t) {
  WASMSTREAM_CAPI_REQUIRE(t, "null valtype", nullptr);
  return NewValType(t->type);
}
wasm_valkind_t wasm_valtype_kind(const wasm_valtype_t* t) {
  WASMSTREAM_CAPI_REQUIRE(t, "null valtype", WASM_I32);
  return KindOf(t->type);
}

// ---- Function types.

wasm_functype_t* wasm_functype_new(wasm_valtype_vec_t* params, wasm_valtype_vec_t* results) {
  WASMSTREAM_CAPI_REQUIRE(params && results, "null vector", nullptr);
  for (size_t i = 0; i < params->size; ++i) {
    WASMSTREAM_CAPI_REQUIRE(params->data[i], "null parameter type", nullptr);
  }
  for (size_t i = 0; i < results->size; ++i) {
    WASMSTREAM_CAPI_REQUIRE(results->data[i], "null result type", nullptr);
  }
  auto* t = new TypeObj;
  t->kind = WASM_EXTERN_FUNC;
  t->params = *params;  // takes the vectors over
  t->results = *results;
  params->size = results->size = 0;
  params->data = results->data = nullptr;
  return t;
}
const wasm_valtype_vec_t* wasm_functype_params(const wasm_functype_t* t) { return &T_(t)->params; }
const wasm_valtype_vec_t* wasm_functype_results(const wasm_functype_t* t) {
  return &T_(t)->results;
}

// ---- Global types.

wasm_globaltype_t* wasm_globaltype_new(wasm_valtype_t* content, wasm_mutability_t m) {
  WASMSTREAM_CAPI_REQUIRE(content, "null content type", nullptr);
  WASMSTREAM_CAPI_REQUIRE(m == WASM_CONST || m == WASM_VAR, "bad mutability", nullptr);
  auto* t = new TypeObj;
  t->kind = WASM_EXTERN_GLOBAL;
  t->content = content;
  t->mutability = m;
  return t;
}
const wasm_valtype_t* wasm_globaltype_content(const wasm_globaltype_t* t) { return T_(t)->content; }
wasm_mutability_t wasm_globaltype_mutability(const wasm_globaltype_t* t) {
  return T_(t)->mutability;
}

// ---- Table types.

wasm_tabletype_t* wasm_tabletype_new(wasm_valtype_t* elem, const wasm_limits_t* limits) {
  WASMSTREAM_CAPI_REQUIRE(elem && limits, "null element type or limits", nullptr);
  if (!elem->type.is_ref()) {
    SetError("TypeError: a table's element type must be a reference type");
    delete elem;
    return nullptr;
  }
  auto* t = new TypeObj;
  t->kind = WASM_EXTERN_TABLE;
  t->content = elem;
  t->limits = *limits;
  return t;
}
const wasm_valtype_t* wasm_tabletype_element(const wasm_tabletype_t* t) { return T_(t)->content; }
const wasm_limits_t* wasm_tabletype_limits(const wasm_tabletype_t* t) { return &T_(t)->limits; }

// ---- Memory types.

wasm_memorytype_t* wasm_memorytype_new(const wasm_limits_t* limits) {
  WASMSTREAM_CAPI_REQUIRE(limits, "null limits", nullptr);
  auto* t = new TypeObj;
  t->kind = WASM_EXTERN_MEMORY;
  t->limits = *limits;
  return t;
}
const wasm_limits_t* wasm_memorytype_limits(const wasm_memorytype_t* t) { return &T_(t)->limits; }

// ---- Tag types.

wasm_tagtype_t* wasm_tagtype_new(wasm_functype_t* f) {
  WASMSTREAM_CAPI_REQUIRE(f, "null function type", nullptr);
  auto* t = new TypeObj;
  t->kind = WASM_EXTERN_TAG;
  t->functype = T_(f);
  return t;
}
const wasm_functype_t* wasm_tagtype_functype(const wasm_tagtype_t* t) { return T_(t)->functype; }

// ---- Extern types: one object, many views.

wasm_externkind_t wasm_externtype_kind(const wasm_externtype_t* t) { return T_(t)->kind; }

#define WASMSTREAM_TYPE_VIEWS(name, KIND)                                                    \
  void wasm_##name##_delete(wasm_##name##_t* t) { delete T_(t); }                            \
  wasm_##name##_t* wasm_##name##_copy(const wasm_##name##_t* t) {                            \
    WASMSTREAM_CAPI_REQUIRE(t, "null type", nullptr);                                        \
    return CopyType(*T_(t));                                                                 \
  }                                                                                          \
  wasm_externtype_t* wasm_##name##_as_externtype(wasm_##name##_t* t) { return T_(t); }       \
  const wasm_externtype_t* wasm_##name##_as_externtype_const(const wasm_##name##_t* t) {     \
    return T_(t);                                                                            \
  }                                                                                          \
  wasm_##name##_t* wasm_externtype_as_##name(wasm_externtype_t* t) {                         \
    return t && T_(t)->kind == KIND ? T_(t) : nullptr;                                       \
  }                                                                                          \
  const wasm_##name##_t* wasm_externtype_as_##name##_const(const wasm_externtype_t* t) {     \
    return t && T_(t)->kind == KIND ? T_(t) : nullptr;                                       \
  }

WASMSTREAM_TYPE_VIEWS(functype, WASM_EXTERN_FUNC)
WASMSTREAM_TYPE_VIEWS(globaltype, WASM_EXTERN_GLOBAL)
WASMSTREAM_TYPE_VIEWS(tabletype, WASM_EXTERN_TABLE)
WASMSTREAM_TYPE_VIEWS(memorytype, WASM_EXTERN_MEMORY)
WASMSTREAM_TYPE_VIEWS(tagtype, WASM_EXTERN_TAG)

void wasm_externtype_delete(wasm_externtype_t* t) { delete T_(t); }
wasm_externtype_t* wasm_externtype_copy(const wasm_externtype_t* t) {
  WASMSTREAM_CAPI_REQUIRE(t, "null type", nullptr);
  return CopyType(*T_(t));
}

// ---- Import and export types.

wasm_importtype_t* wasm_importtype_new(wasm_name_t* module, wasm_name_t* name,
                                       wasm_externtype_t* type) {
  WASMSTREAM_CAPI_REQUIRE(module && name && type, "null argument", nullptr);
  auto* t = new wasm_importtype_t{*module, *name, type};
  *module = *name = wasm_name_t{0, nullptr};
  return t;
}
void wasm_importtype_delete(wasm_importtype_t* t) {
  if (!t) return;
  wasm_name_delete(&t->module);
  wasm_name_delete(&t->name);
  wasm_externtype_delete(t->type);
  delete t;
}
wasm_importtype_t* wasm_importtype_copy(const wasm_importtype_t* t) {
  WASMSTREAM_CAPI_REQUIRE(t, "null importtype", nullptr);
  auto* c = new wasm_importtype_t{};
  wasm_name_copy(&c->module, &t->module);
  wasm_name_copy(&c->name, &t->name);
  c->type = wasm_externtype_copy(t->type);
  return c;
}
const wasm_name_t* wasm_importtype_module(const wasm_importtype_t* t) { return &t->module; }
const wasm_name_t* wasm_importtype_name(const wasm_importtype_t* t) { return &t->name; }
const wasm_externtype_t* wasm_importtype_type(const wasm_importtype_t* t) { return t->type; }

wasm_exporttype_t* wasm_exporttype_new(wasm_name_t* name, wasm_externtype_t* type) {
  WASMSTREAM_CAPI_REQUIRE(name && type, "null argument", nullptr);
  auto* t = new wasm_exporttype_t{*name, type};
  *name = wasm_name_t{0, nullptr};
  return t;
}
void wasm_exporttype_delete(wasm_exporttype_t* t) {
  if (!t) return;
  wasm_name_delete(&t->name);
  wasm_externtype_delete(t->type);
  delete t;
}
wasm_exporttype_t* wasm_exporttype_copy(const wasm_exporttype_t* t) {
  WASMSTREAM_CAPI_REQUIRE(t, "null exporttype", nullptr);
  auto* c = new wasm_exporttype_t{};
  wasm_name_copy(&c->name, &t->name);
  c->type = wasm_externtype_copy(t->type);
  return c;
}
const wasm_name_t* wasm_exporttype_name(const wasm_exporttype_t* t) { return &t->name; }
const wasm_externtype_t* wasm_exporttype_type(const wasm_exporttype_t* t) { return t->type; }

}  // extern "C"
