// Subtyping and type equivalence (core spec 3.0, "Matching"): value types,
// heap types and defined types, with iso-recursive equivalence of recursion
// groups. Used by the body validator and by the type section's sub type checks.
//
// All functions take the module whose type section defines the indices; the
// types must already be in {module.types} (forward references inside a rec
// group are fine, as the group is complete once decoded).
#ifndef WASMSTREAM_WASM_TYPE_RELATIONS_H_
#define WASMSTREAM_WASM_TYPE_RELATIONS_H_

#include <cstdint>

#include "wasm/module.h"
#include "wasm/types.h"

namespace wasmstream::wasm {

// Defined types {a} and {b} are equivalent: same position in structurally
// identical recursion groups (iso-recursive equivalence).
bool TypesEquivalent(const Module& module, uint32_t a, uint32_t b);

// {a} is {b} or a declared (transitive) sub type of a type equivalent to {b}.
bool IsDefinedSubtype(const Module& module, uint32_t a, uint32_t b);

bool IsHeapSubtype(const Module& module, HeapType a, HeapType b);

// a <: b. kBottom (an unknown operand in unreachable code) is a sub type of
// every type; numeric and vector types match only themselves.
bool IsSubtype(const Module& module, ValueType a, ValueType b);

// The top of {h}'s hierarchy: func, extern, any or exn.
AbstractHeap TopOf(const Module& module, HeapType h);
// The bottom of {h}'s hierarchy: nofunc, noextern, none or noexn.
AbstractHeap BottomOf(const Module& module, HeapType h);

// Field types {sub} <: {super} (struct fields / array elements): mutability
// equal; immutable fields covariant, mutable ones invariant.
bool IsFieldSubtype(const Module& module, const FieldType& sub, const FieldType& super);

// The composite type of {sub} matches that of its declared super type {super}
// (function contravariant params / covariant results, struct width and depth,
// array element). Used by the type section to check "sub type N does not
// match super type M".
bool CompositeMatches(const Module& module, uint32_t sub, uint32_t super);

}  // namespace wasmstream::wasm

#endif  // WASMSTREAM_WASM_TYPE_RELATIONS_H_
