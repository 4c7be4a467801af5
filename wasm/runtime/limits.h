// The runtime's own limits, in one place. Each is checked at one place.
// Tests: trap_test (call depth, value stack, host re-entry), gc_test and
// gc_collector_test (GC heap, array length, collection trigger), the spec
// testsuite (memory and table sizes).
#ifndef WASMSTREAM_WASM_RUNTIME_LIMITS_H_
#define WASMSTREAM_WASM_RUNTIME_LIMITS_H_

#include <cstdint>

#include "wasm/limits.h"

namespace wasmstream::wasm {

// Nested wasm calls on one thread before "call stack exhausted" (a RangeError).
// V8 allows roughly 10-20k frames of a small function with its 1 MiB stack.
constexpr uint32_t kMaxCallDepth = 20'000;

// 8-byte slots of the interpreter's value stack per thread (locals, constants
// and operands of every active frame): 64 MiB. A call whose frame does not fit
// traps with "call stack exhausted" as deep recursion does.
constexpr uint32_t kValueStackSlots = 8 * 1024 * 1024;

// Host (C++) -> wasm -> host re-entry depth; each costs C++ stack.
constexpr uint32_t kMaxHostReentry = 200;

// Call frames of one thread, every activation together: each of the
// kMaxHostReentry nested activations may hold kMaxCallDepth (reserved lazily
// with mmap, 32 bytes each).
constexpr uint32_t kMaxCallFrames = kMaxCallDepth * kMaxHostReentry;

// A linear memory never grows past these (the JS API's limits): bytes are
// reserved lazily with mmap, so the bound is on address space, not RAM.
constexpr uint64_t kMaxMemory32Pages = kSpecMaxMemory32Pages;
constexpr uint64_t kMaxMemory64Pages = kSpecMaxMemory64Pages;

// Elements of one table, initial or grown.
constexpr uint64_t kMaxTableElements = kSpecMaxTableSize;

// Elements of every table of one Store together (8 bytes each: 1 GiB, as the
// GC heap). One table may hold kMaxTableElements, yet a 6 KB module can
// declare a thousand of them; past this budget a new table is a RangeError at
// instantiation and table.grow returns -1. Store::table_budget() can lower
// it. Test: table_budget_test.
constexpr uint64_t kMaxStoreTableElements = uint64_t{1} << 27;
static_assert(kMaxStoreTableElements >= kMaxTableElements, "one table of the largest size fits");

// Bytes of GC objects (headers included) one Store may hold at once. The
// collector runs before the heap would pass it; when the live objects alone
// would, the allocation traps with "GC heap exhausted" (a RangeError).
// Store::heap() can lower it.
constexpr uint64_t kMaxGcHeapBytes = uint64_t{1} << 30;

// The collector runs when this many bytes (GC objects and thrown exceptions)
// were allocated since the last collection, or as many as were live after it
// if that is more: the heap at most doubles between collections, and a small
// program never pays for one.
constexpr uint64_t kGcMinTriggerBytes = uint64_t{16} << 20;

// Elements of one GC array: array.new* with more traps with "requested new
// array is too large" (V8's wording) before allocating anything.
constexpr uint64_t kMaxArrayLength = uint64_t{1} << 27;

// Code words of one compiled function: uint32 branch targets must fit.
constexpr uint32_t kMaxCodeWords = 1u << 30;

}  // namespace wasmstream::wasm

#endif  // WASMSTREAM_WASM_RUNTIME_LIMITS_H_
