// The interpreter.
//
// Design note. We read three designs:
//  - wasm3 (m3_compile.c / m3_exec.h): compiles to threaded code whose
//    operations are C functions chained by tail calls, with operands in
//    "registers" and frame slots. Fast, but the code holds raw function
//    pointers (not position-independent) and relies on tail-call codegen.
//  - WAMR's fast interpreter (wasm_interp_fast.c): a pre-pass rewrites the
//    bytecode so each operation names its operand slots (frame offsets),
//    local.get/const disappear into slot references, constants live in a
//    per-frame area, and branch targets are precomputed.
//  - Wizard's in-place interpreter: runs the original bytes with a side table
//    of branch targets and stack adjustments; no translation at all, but it
//    decodes LEB128 immediates and pushes/pops a value stack at run time.
// We took WAMR's shape: a slot-addressed register form (code.h) built in the
// same walk as validation (compiler.h), with local.get and constants folded
// into operands, results written straight into a local when a local.set
// follows (a one-instruction peephole), precomputed absolute branch targets,
// branch-value moves resolved at compile time, and zero-copy calls (the
// callee's frame starts at the caller's arguments). Unlike WAMR and wasm3 the
// code stores operation numbers and indices only, no pointers, so a compiled
// module serializes as plain words and loads without relocation; dispatch
// is a computed goto through a table indexed by the operation number.
// Wizard's side-table idea is what our try_table regions are: exception
// handlers are looked up by code index only when something is thrown.
// Legacy exceptions (try/catch/catch_all/rethrow/delegate) use the same
// regions: a try's handlers are appended when it ends, a catch body finds the
// caught exnref in the try's base slot (rethrow reads it there), and delegate
// is a handler that resumes the search at an outer region.
//
// GC (compiler_gc.cc, gc_ops.cc): references are one tagged 64-bit word for
// every hierarchy (value.h), so ref.eq is an integer compare and the
// any/extern conversions compile to nothing. Struct and array operations and
// casts are one out-of-line IOp::kGc whose operands sit in consecutive slots;
// br_on_cast(_fail) is IOp::kBrOnCast. Types are canonicalized per Store
// (gc_types.h, iso-recursive), so casts, call_indirect and import matching
// compare canonical ids and walk declared supertypes. Objects live in the
// Store's bounded GC heap (gc_heap.h), collected by mark-sweep
// (gc_collector.cc): operations that allocate first set ExecStack::top to
// their frame's end, so the collector scans exactly the live frames' slots.
//
// Calls between wasm functions do not recurse on the C++ stack: frames live
// in ExecStack, so deep recursion ends in "call stack exhausted" (a
// RangeError), never a crash. Host functions may call back into wasm up to
// kMaxHostReentry levels.
//
// A function whose module holds no code for it (the module was only
// validated) is compiled where a call enters it, on its first call
// (Instance::CompileLazily): one test of the callee's code pointer per call.
#ifndef WASMSTREAM_WASM_RUNTIME_INTERPRETER_H_
#define WASMSTREAM_WASM_RUNTIME_INTERPRETER_H_

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "wasm/runtime/code.h"
#include "wasm/runtime/error.h"
#include "wasm/runtime/function.h"
#include "wasm/runtime/value.h"

namespace wasmstream::wasm {

class Store;

struct CallFrame {
  const uint32_t* pc;  // where to continue in the caller
  uint64_t* fp;
  const FunctionCode* code;
  Instance* instance;
};

// Per-Store execution stacks: 8-byte value slots (mapped lazily) and frames.
struct ExecStack {
  ExecStack();
  ~ExecStack();
  uint64_t* slots = nullptr;
  uint64_t* slots_end = nullptr;
  uint64_t* top = nullptr;  // first slot free for a new activation from the host
  // Call frames (mapped lazily, kMaxCallFrames): [frames, frames_top) in use.
  CallFrame* frames = nullptr;
  CallFrame* frames_top = nullptr;
  CallFrame* frames_end = nullptr;
  uint32_t host_depth = 0;
};
std::unique_ptr<ExecStack> NewExecStack();

// Calls {f} with {args}: TypeError when the arguments do not match its
// parameters, RuntimeError on a trap, RangeError when the call stack is
// exhausted, Exception for an uncaught wasm exception.
Outcome<std::vector<Value>> Invoke(Store& store, const FuncInstance* f,
                                   std::span<const Value> args);

}  // namespace wasmstream::wasm

#endif  // WASMSTREAM_WASM_RUNTIME_INTERPRETER_H_
