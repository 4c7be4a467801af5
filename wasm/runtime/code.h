// The compiled form of one function body: what the compiler (compiler.h)
// produces, the interpreter (interpreter.h) runs and the cache serializes.
//
// Layout (position-independent: indices only, no pointers, so it serializes
// as plain bytes and loads without relocation):
//
//   code    uint32 words. An instruction is one opcode word (an IOp) followed
//           by its operand words. A slot operand is an index into the frame
//           (8-byte slots, relative to the frame pointer); a branch target is
//           an absolute index into {code}. 64-bit immediates take two words,
//           low first.
//   consts  8-byte constants copied into the frame at entry, after the locals.
//
// A frame is laid out as
//   [params | declared locals | consts | operand temporaries]
//    0        num_param_slots  num_local_slots  +consts.size()  ... frame_slots
// v128 values take two consecutive slots. A call puts the arguments in
// consecutive temporaries of the caller; the callee's frame starts there
// (zero-copy), and its results come back at the same place.
#ifndef WASMSTREAM_WASM_RUNTIME_CODE_H_
#define WASMSTREAM_WASM_RUNTIME_CODE_H_

#include <cstdint>
#include <vector>

namespace wasmstream::wasm {

// The numeric instructions whose operands are plain slots: [dst, a] or
// [dst, a, b]; each has an IOp of the same name as its wasm Opcode.
#define WASMSTREAM_FOREACH_NUMERIC_IOP(V)                                                          \
  V(I32Eqz) V(I32Eq) V(I32Ne) V(I32LtS) V(I32LtU) V(I32GtS) V(I32GtU) V(I32LeS) V(I32LeU)          \
  V(I32GeS) V(I32GeU) V(I64Eqz) V(I64Eq) V(I64Ne) V(I64LtS) V(I64LtU) V(I64GtS) V(I64GtU)          \
  V(I64LeS) V(I64LeU) V(I64GeS) V(I64GeU) V(F32Eq) V(F32Ne) V(F32Lt) V(F32Gt) V(F32Le) V(F32Ge)    \
  V(F64Eq) V(F64Ne) V(F64Lt) V(F64Gt) V(F64Le) V(F64Ge) V(I32Clz) V(I32Ctz) V(I32Popcnt)           \
  V(I32Add) V(I32Sub) V(I32Mul) V(I32DivS) V(I32DivU) V(I32RemS) V(I32RemU) V(I32And) V(I32Or)     \
  V(I32Xor) V(I32Shl) V(I32ShrS) V(I32ShrU) V(I32Rotl) V(I32Rotr) V(I64Clz) V(I64Ctz)              \
  V(I64Popcnt) V(I64Add) V(I64Sub) V(I64Mul) V(I64DivS) V(I64DivU) V(I64RemS) V(I64RemU)           \
  V(I64And) V(I64Or) V(I64Xor) V(I64Shl) V(I64ShrS) V(I64ShrU) V(I64Rotl) V(I64Rotr) V(F32Abs)     \
  V(F32Neg) V(F32Ceil) V(F32Floor) V(F32Trunc) V(F32Nearest) V(F32Sqrt) V(F32Add) V(F32Sub)        \
  V(F32Mul) V(F32Div) V(F32Min) V(F32Max) V(F32Copysign) V(F64Abs) V(F64Neg) V(F64Ceil)            \
  V(F64Floor) V(F64Trunc) V(F64Nearest) V(F64Sqrt) V(F64Add) V(F64Sub) V(F64Mul) V(F64Div)         \
  V(F64Min) V(F64Max) V(F64Copysign) V(I32WrapI64) V(I32TruncF32S) V(I32TruncF32U)                 \
  V(I32TruncF64S) V(I32TruncF64U) V(I64ExtendI32S) V(I64ExtendI32U) V(I64TruncF32S)                \
  V(I64TruncF32U) V(I64TruncF64S) V(I64TruncF64U) V(F32ConvertI32S) V(F32ConvertI32U)              \
  V(F32ConvertI64S) V(F32ConvertI64U) V(F32DemoteF64) V(F64ConvertI32S) V(F64ConvertI32U)          \
  V(F64ConvertI64S) V(F64ConvertI64U) V(F64PromoteF32) V(I32ReinterpretF32) V(I64ReinterpretF64)   \
  V(F32ReinterpretI32) V(F64ReinterpretI64) V(I32Extend8S) V(I32Extend16S) V(I64Extend8S)          \
  V(I64Extend16S) V(I64Extend32S) V(I32TruncSatF32S) V(I32TruncSatF32U) V(I32TruncSatF64S)         \
  V(I32TruncSatF64U) V(I64TruncSatF32S) V(I64TruncSatF32U) V(I64TruncSatF64S) V(I64TruncSatF64U)

// Loads and stores of memory 0 with a 32-bit address and offset:
// load [dst, addr, offset], store [addr, value, offset].
#define WASMSTREAM_FOREACH_LOAD_IOP(V)                                                    \
  V(I32Load) V(I64Load) V(F32Load) V(F64Load) V(I32Load8S) V(I32Load8U) V(I32Load16S)     \
  V(I32Load16U) V(I64Load8S) V(I64Load8U) V(I64Load16S) V(I64Load16U) V(I64Load32S)       \
  V(I64Load32U)
#define WASMSTREAM_FOREACH_STORE_IOP(V)                                                          \
  V(I32Store) V(I64Store) V(F32Store) V(F64Store) V(I32Store8) V(I32Store16) V(I64Store8)        \
  V(I64Store16) V(I64Store32)

// Everything else, with its operand words.
#define WASMSTREAM_FOREACH_OTHER_IOP(V)                                                      \
  V(Unreachable)         /* */                                                             \
  V(Copy)                /* dst src */                                                     \
  V(Copy2)               /* dst src: a v128 (two slots) */                                 \
  V(Br)                  /* target */                                                      \
  V(BrIf)                /* cond target */                                                 \
  V(BrUnless)            /* cond target */                                                 \
  V(BrTable)             /* index n target*(n+1): the last is the default */               \
  V(BrIfI32Eq)           /* a b target: an i32 compare fused with br_if / if */           \
  V(BrIfI32Ne)           /* a b target */                                                  \
  V(BrIfI32LtS)          /* a b target */                                                  \
  V(BrIfI32LtU)          /* a b target */                                                  \
  V(BrIfI32GtS)          /* a b target */                                                  \
  V(BrIfI32GtU)          /* a b target */                                                  \
  V(BrIfI32LeS)          /* a b target */                                                  \
  V(BrIfI32LeU)          /* a b target */                                                  \
  V(BrIfI32GeS)          /* a b target */                                                  \
  V(BrIfI32GeU)          /* a b target */                                                  \
  V(Return)              /* */                                                             \
  V(Call)                /* func arg_base */                                               \
  V(CallIndirect)        /* type table index arg_base */                                   \
  V(CallRef)             /* ref arg_base */                                                \
  V(ReturnCall)          /* func arg_base nslots: args moved to slot 0 first */            \
  V(ReturnCallIndirect)  /* type table index arg_base nslots */                            \
  V(ReturnCallRef)       /* ref arg_base nslots */                                         \
  V(Select)              /* dst a b cond */                                                \
  V(Select2)             /* dst a b cond (v128) */                                         \
  V(GlobalGet)           /* dst global */                                                  \
  V(GlobalGet2)          /* dst global (v128) */                                           \
  V(GlobalSet)           /* global src */                                                  \
  V(GlobalSet2)          /* global src (v128) */                                           \
  V(TableGet)            /* dst table index */                                             \
  V(TableSet)            /* table index value */                                           \
  V(TableSize)           /* dst table */                                                   \
  V(TableGrow)           /* dst table init delta */                                        \
  V(TableFill)           /* table index value n */                                         \
  V(TableCopy)           /* dst_table src_table dst src n */                               \
  V(TableInit)           /* table elem dst src n */                                        \
  V(ElemDrop)            /* elem */                                                        \
  V(RefIsNull)           /* dst ref */                                                     \
  V(RefFunc)             /* dst func */                                                    \
  V(RefAsNonNull)        /* dst ref */                                                     \
  V(BrOnNull)            /* ref target */                                                  \
  V(BrOnNonNull)         /* ref target */                                                  \
  V(MemorySize)          /* dst memory */                                                  \
  V(MemoryGrow)          /* dst memory delta */                                            \
  V(MemoryFill)          /* memory dst value n */                                          \
  V(MemoryCopy)          /* dst_memory src_memory dst src n */                             \
  V(MemoryInit)          /* memory data dst src n */                                       \
  V(DataDrop)            /* data */                                                        \
  V(LoadX)               /* opcode dst addr memory offset_lo offset_hi: any memory */      \
  V(StoreX)              /* opcode addr value memory offset_lo offset_hi */                \
  V(Simd)                /* opcode dst a b c imm: register-only SIMD (simd.cc) */          \
  V(SimdMem)             /* opcode dst addr value memory offset_lo offset_hi lane */       \
  V(Atomic)              /* opcode dst addr a b memory offset_lo offset_hi */              \
  V(Throw)               /* tag arg_base */                                                \
  V(ThrowRef)            /* ref */                                                         \
  V(Gc)                  /* opcode dst base imm1 imm2: GC operations (gc_ops.cc) */        \
  V(BrOnCast)            /* ref heap nullable when target: branch if the cast's result is when */

enum class IOp : uint32_t {
#define WASMSTREAM_IOP_ENUM(name) k##name,
  WASMSTREAM_FOREACH_NUMERIC_IOP(WASMSTREAM_IOP_ENUM)
  WASMSTREAM_FOREACH_LOAD_IOP(WASMSTREAM_IOP_ENUM)
  WASMSTREAM_FOREACH_STORE_IOP(WASMSTREAM_IOP_ENUM)
  WASMSTREAM_FOREACH_OTHER_IOP(WASMSTREAM_IOP_ENUM)
#undef WASMSTREAM_IOP_ENUM
  kCount
};

const char* NameOf(IOp op);

// A try_table handler: where a caught exception goes.
struct CatchHandler {
  uint32_t kind = 0;        // CatchKind
  uint32_t tag = 0;         // tag index (kCatch, kCatchRef)
  uint32_t target = 0;      // code index of the landing pad
  uint32_t dst_slot = 0;    // where the payload (and/or exnref) is written
};
// Handler kinds beyond CatchKind (0..3), for legacy exceptions:
//   kHandlerLegacyCatch     the exnref at dst_slot, the tag's payload after it
//   kHandlerLegacyCatchAll  the exnref at dst_slot
//   kHandlerDelegate        no landing pad: the search goes on at region tag-1
//                           and below (tag 0: out of the function)
inline constexpr uint32_t kHandlerLegacyCatch = 4;
inline constexpr uint32_t kHandlerLegacyCatchAll = 5;
inline constexpr uint32_t kHandlerDelegate = 6;
// A try_table (or legacy try) block: [begin, end) of code covered, and its handlers.
struct TryRegion {
  uint32_t begin = 0;
  uint32_t end = 0;
  uint32_t first_handler = 0;
  uint32_t num_handlers = 0;
};

// The version of the code layout above and of what the compiler emits for a
// given body. Bump it when either changes meaning: it is part of the code
// cache's engine fingerprint, so entries of an older compiler are never read.
inline constexpr char kCompilerVersion[] = "wasmstream-interp-3";

struct FunctionCode {
  uint32_t func_index = 0;
  uint32_t num_param_slots = 0;
  uint32_t num_result_slots = 0;
  uint32_t num_local_slots = 0;  // params + declared locals
  uint32_t frame_slots = 0;      // locals + consts + the deepest operand stack
  std::vector<uint32_t> code;
  std::vector<uint64_t> consts;
  // Exception handling: regions innermost first for equal begins.
  std::vector<TryRegion> try_regions;
  std::vector<CatchHandler> handlers;
};

}  // namespace wasmstream::wasm

#endif  // WASMSTREAM_WASM_RUNTIME_CODE_H_
