// The wasm_*_vec_t functions of wasm.h: one template per element shape.
// A vector of pointers owns its elements (new takes them over, copy deep-
// copies them, delete deletes them); a vector of values copies and deletes
// through the element's own copy/delete.
#include <cstring>

#include "bindings/c/c_api_internal.h"

namespace {

template <typename Vec, typename T>
void VecNewUninitialized(Vec* out, size_t n) {
  out->size = n;
  out->data = n ? new T[n]() : nullptr;  // zeroed: deleting it untouched is safe
}

template <typename Vec, typename T>
void VecNew(Vec* out, size_t n, const T* items) {
  VecNewUninitialized<Vec, T>(out, n);
  for (size_t i = 0; i < n; ++i) out->data[i] = items[i];
}

template <typename Vec, typename T, typename Copy>
void VecCopy(Vec* out, const Vec* in, Copy copy) {
  VecNewUninitialized<Vec, T>(out, in->size);
  for (size_t i = 0; i < in->size; ++i) copy(&out->data[i], &in->data[i]);
}

template <typename Vec, typename Del>
void VecDelete(Vec* v, Del del) {
  if (!v) return;
  for (size_t i = 0; i < v->size; ++i) del(&v->data[i]);
  delete[] v->data;
  v->size = 0;
  v->data = nullptr;
}

}  // namespace

extern "C" {

#define WASMSTREAM_DEFINE_VEC(name, T, COPY, DEL)                                     \
  void wasm_##name##_vec_new_empty(wasm_##name##_vec_t* out) {                         \
    out->size = 0;                                                                     \
    out->data = nullptr;                                                               \
  }                                                                                    \
  void wasm_##name##_vec_new_uninitialized(wasm_##name##_vec_t* out, size_t n) {       \
    VecNewUninitialized<wasm_##name##_vec_t, T>(out, n);                               \
  }                                                                                    \
  void wasm_##name##_vec_new(wasm_##name##_vec_t* out, size_t n, T const items[]) {    \
    VecNew<wasm_##name##_vec_t, T>(out, n, items);                                     \
  }                                                                                    \
  void wasm_##name##_vec_copy(wasm_##name##_vec_t* out, const wasm_##name##_vec_t* in) { \
    VecCopy<wasm_##name##_vec_t, T>(out, in, COPY);                                    \
  }                                                                                    \
  void wasm_##name##_vec_delete(wasm_##name##_vec_t* v) { VecDelete(v, DEL); }

#define WASMSTREAM_DEFINE_PTR_VEC(name)                                                   \
  WASMSTREAM_DEFINE_VEC(                                                                  \
      name, wasm_##name##_t*,                                                             \
      [](wasm_##name##_t** o, wasm_##name##_t* const* i) {                                \
        *o = *i ? wasm_##name##_copy(*i) : nullptr;                                       \
      },                                                                                  \
      [](wasm_##name##_t** p) {                                                           \
        if (*p) wasm_##name##_delete(*p);                                                 \
      })

WASMSTREAM_DEFINE_VEC(
    byte, wasm_byte_t, [](wasm_byte_t* o, const wasm_byte_t* i) { *o = *i; },
    [](wasm_byte_t*) {})
WASMSTREAM_DEFINE_VEC(
    val, wasm_val_t, [](wasm_val_t* o, const wasm_val_t* i) { wasm_val_copy(o, i); },
    [](wasm_val_t* v) { wasm_val_delete(v); })
WASMSTREAM_DEFINE_PTR_VEC(frame)
WASMSTREAM_DEFINE_PTR_VEC(extern)
WASMSTREAM_DEFINE_PTR_VEC(valtype)
WASMSTREAM_DEFINE_PTR_VEC(functype)
WASMSTREAM_DEFINE_PTR_VEC(globaltype)
WASMSTREAM_DEFINE_PTR_VEC(tabletype)
WASMSTREAM_DEFINE_PTR_VEC(memorytype)
WASMSTREAM_DEFINE_PTR_VEC(tagtype)
WASMSTREAM_DEFINE_PTR_VEC(externtype)
WASMSTREAM_DEFINE_PTR_VEC(importtype)
WASMSTREAM_DEFINE_PTR_VEC(exporttype)

}  // extern "C"
