// The one opcode table (no other list of instructions exists): a row per instruction of
// WebAssembly 2.0 and of the 3.0 features, driving the body decoder, the
// validator and the compiler (wasm/runtime/).
//
// Row: V(Name, prefix, code, "text name", ImmKind, Sig, mem, Gate)
//  - prefix 0x00 for one-byte opcodes, else 0xFB (GC), 0xFC (misc), 0xFD
//    (SIMD), 0xFE (atomics), followed by the code as a u32 LEB128;
//  - ImmKind: the immediates that follow (see ImmKind below);
//  - Sig: [params] -> [results] for instructions the validator checks
//    generically (kSpecial: their own case in the decoder). For memory
//    instructions the first param stands for the address, whose type is the
//    memory's index type (i32, or i64 with memory64);
//  - mem: for memory accesses, log2 of the natural alignment; for SIMD lane
//    instructions (kLane), log2 of the lane count;
//  - Gate: the feature that must be enabled.
#ifndef WASMSTREAM_WASM_OPCODES_H_
#define WASMSTREAM_WASM_OPCODES_H_

#include <array>
#include <cstdint>
#include <span>

#include "wasm/features.h"
#include "wasm/types.h"

namespace wasmstream::wasm {

constexpr uint8_t kGcPrefix = 0xFB;
constexpr uint8_t kMiscPrefix = 0xFC;
constexpr uint8_t kSimdPrefix = 0xFD;
constexpr uint8_t kAtomicPrefix = 0xFE;

// The immediates after the opcode.
enum class ImmKind : uint8_t {
  kNone,
  kBlockType,     // s33 block type
  kLabel,         // u32 label depth
  kBrTable,       // vec(label) label
  kFunc,          // function index
  kCallIndirect,  // type index, table index
  kLocal,
  kGlobal,
  kTable,
  kMemArg,        // align flags (bit 6: memory index follows), [memory], offset
  kMemory,        // memory index
  kI32,
  kI64,
  kF32,
  kF64,
  kV128,          // 16 bytes
  kLane,          // one lane byte
  kMemArgLane,    // memarg then lane byte
  kShuffle,       // 16 lane bytes
  kSelectT,       // vec(valtype)
  kHeapType,      // s33 heap type
  kData,          // data segment index
  kMemoryInit,    // data index, memory index
  kMemoryCopy,    // destination memory, source memory
  kElem,          // elem segment index
  kTableInit,     // elem index, table index
  kTableCopy,     // destination table, source table
  kTag,
  kTryTable,      // block type, vec(catch)
  kType,          // type index
  kTypeField,     // type index, field index
  kTypeType,      // destination type, source type
  kTypeData,      // type index, data index
  kTypeElem,      // type index, elem index
  kTypeLen,       // type index, u32 count
  kRefTest,       // heap type (non-null target)
  kRefTestNull,   // heap type (nullable target)
  kBrOnCast,      // flags byte, label, heap type, heap type
  kAtomicFence,   // one reserved zero byte
};

// Instruction signatures checked generically. Letters: i i32, l i64, f f32,
// d f64, s v128, v none; kX_YZ is [Y Z] -> [X].
enum class Sig : uint8_t {
  kSpecial,
  kD_D,
  kD_DD,
  kD_F,
  kD_I,
  kD_L,
  kD_S,
  kF_D,
  kF_F,
  kF_FF,
  kF_I,
  kF_L,
  kF_S,
  kI_D,
  kI_DD,
  kI_F,
  kI_FF,
  kI_I,
  kI_II,
  kI_III,
  kI_IIL,
  kI_ILL,
  kI_L,
  kI_LL,
  kI_S,
  kL_D,
  kL_F,
  kL_I,
  kL_IL,
  kL_ILL,
  kL_L,
  kL_LL,
  kL_S,
  kS_D,
  kS_F,
  kS_I,
  kS_IS,
  kS_L,
  kS_S,
  kS_SD,
  kS_SF,
  kS_SI,
  kS_SL,
  kS_SS,
  kS_SSS,
  kV_ID,
  kV_IF,
  kV_II,
  kV_IL,
  kV_IS,
  kV_V,
};

// The feature an instruction needs (composite gates for the few shared ones).
enum class Gate : uint8_t {
  kMvp,
  kSignExtension,
  kSaturatingFloatToInt,
  kBulkMemory,
  kReferenceTypes,
  kSimd,
  kRelaxedSimd,
  kThreads,
  kExceptions,        // try_table, throw_ref
  kLegacyExceptions,  // try, catch, catch_all, rethrow, delegate
  kAnyExceptions,     // throw: either exception feature
  kTailCall,
  kTailCallRef,       // return_call_ref: tail calls and function references
  kFunctionReferences,
  kGc,
};

bool GateOpen(Gate gate, const Features& features);

#define WASMSTREAM_FOREACH_OPCODE(V) \
  V(Unreachable, 0x00, 0x00, "unreachable", kNone, kSpecial, 0, kMvp) \
  V(Nop, 0x00, 0x01, "nop", kNone, kV_V, 0, kMvp) \
  V(Block, 0x00, 0x02, "block", kBlockType, kSpecial, 0, kMvp) \
  V(Loop, 0x00, 0x03, "loop", kBlockType, kSpecial, 0, kMvp) \
  V(If, 0x00, 0x04, "if", kBlockType, kSpecial, 0, kMvp) \
  V(Else, 0x00, 0x05, "else", kNone, kSpecial, 0, kMvp) \
  V(Try, 0x00, 0x06, "try", kBlockType, kSpecial, 0, kLegacyExceptions) \
  V(Catch, 0x00, 0x07, "catch", kTag, kSpecial, 0, kLegacyExceptions) \
  V(Throw, 0x00, 0x08, "throw", kTag, kSpecial, 0, kAnyExceptions) \
  V(Rethrow, 0x00, 0x09, "rethrow", kLabel, kSpecial, 0, kLegacyExceptions) \
  V(ThrowRef, 0x00, 0x0a, "throw_ref", kNone, kSpecial, 0, kExceptions) \
  V(End, 0x00, 0x0b, "end", kNone, kSpecial, 0, kMvp) \
  V(Br, 0x00, 0x0c, "br", kLabel, kSpecial, 0, kMvp) \
  V(BrIf, 0x00, 0x0d, "br_if", kLabel, kSpecial, 0, kMvp) \
  V(BrTable, 0x00, 0x0e, "br_table", kBrTable, kSpecial, 0, kMvp) \
  V(Return, 0x00, 0x0f, "return", kNone, kSpecial, 0, kMvp) \
  V(Call, 0x00, 0x10, "call", kFunc, kSpecial, 0, kMvp) \
  V(CallIndirect, 0x00, 0x11, "call_indirect", kCallIndirect, kSpecial, 0, kMvp) \
  V(ReturnCall, 0x00, 0x12, "return_call", kFunc, kSpecial, 0, kTailCall) \
  V(ReturnCallIndirect, 0x00, 0x13, "return_call_indirect", kCallIndirect, kSpecial, 0, kTailCall) \
  V(CallRef, 0x00, 0x14, "call_ref", kType, kSpecial, 0, kFunctionReferences) \
  V(ReturnCallRef, 0x00, 0x15, "return_call_ref", kType, kSpecial, 0, kTailCallRef) \
  V(Delegate, 0x00, 0x18, "delegate", kLabel, kSpecial, 0, kLegacyExceptions) \
  V(CatchAll, 0x00, 0x19, "catch_all", kNone, kSpecial, 0, kLegacyExceptions) \
  V(Drop, 0x00, 0x1a, "drop", kNone, kSpecial, 0, kMvp) \
  V(Select, 0x00, 0x1b, "select", kNone, kSpecial, 0, kMvp) \
  V(SelectT, 0x00, 0x1c, "select", kSelectT, kSpecial, 0, kReferenceTypes) \
  V(TryTable, 0x00, 0x1f, "try_table", kTryTable, kSpecial, 0, kExceptions) \
  V(LocalGet, 0x00, 0x20, "local.get", kLocal, kSpecial, 0, kMvp) \
  V(LocalSet, 0x00, 0x21, "local.set", kLocal, kSpecial, 0, kMvp) \
  V(LocalTee, 0x00, 0x22, "local.tee", kLocal, kSpecial, 0, kMvp) \
  V(GlobalGet, 0x00, 0x23, "global.get", kGlobal, kSpecial, 0, kMvp) \
  V(GlobalSet, 0x00, 0x24, "global.set", kGlobal, kSpecial, 0, kMvp) \
  V(TableGet, 0x00, 0x25, "table.get", kTable, kSpecial, 0, kReferenceTypes) \
  V(TableSet, 0x00, 0x26, "table.set", kTable, kSpecial, 0, kReferenceTypes) \
  V(I32Load, 0x00, 0x28, "i32.load", kMemArg, kI_I, 2, kMvp) \
  V(I64Load, 0x00, 0x29, "i64.load", kMemArg, kL_I, 3, kMvp) \
  V(F32Load, 0x00, 0x2a, "f32.load", kMemArg, kF_I, 2, kMvp) \
  V(F64Load, 0x00, 0x2b, "f64.load", kMemArg, kD_I, 3, kMvp) \
  V(I32Load8S, 0x00, 0x2c, "i32.load8_s", kMemArg, kI_I, 0, kMvp) \
  V(I32Load8U, 0x00, 0x2d, "i32.load8_u", kMemArg, kI_I, 0, kMvp) \
  V(I32Load16S, 0x00, 0x2e, "i32.load16_s", kMemArg, kI_I, 1, kMvp) \
  V(I32Load16U, 0x00, 0x2f, "i32.load16_u", kMemArg, kI_I, 1, kMvp) \
  V(I64Load8S, 0x00, 0x30, "i64.load8_s", kMemArg, kL_I, 0, kMvp) \
  V(I64Load8U, 0x00, 0x31, "i64.load8_u", kMemArg, kL_I, 0, kMvp) \
  V(I64Load16S, 0x00, 0x32, "i64.load16_s", kMemArg, kL_I, 1, kMvp) \
  V(I64Load16U, 0x00, 0x33, "i64.load16_u", kMemArg, kL_I, 1, kMvp) \
  V(I64Load32S, 0x00, 0x34, "i64.load32_s", kMemArg, kL_I, 2, kMvp) \
  V(I64Load32U, 0x00, 0x35, "i64.load32_u", kMemArg, kL_I, 2, kMvp) \
  V(I32Store, 0x00, 0x36, "i32.store", kMemArg, kV_II, 2, kMvp) \
  V(I64Store, 0x00, 0x37, "i64.store", kMemArg, kV_IL, 3, kMvp) \
  V(F32Store, 0x00, 0x38, "f32.store", kMemArg, kV_IF, 2, kMvp) \
  V(F64Store, 0x00, 0x39, "f64.store", kMemArg, kV_ID, 3, kMvp) \
  V(I32Store8, 0x00, 0x3a, "i32.store8", kMemArg, kV_II, 0, kMvp) \
  V(I32Store16, 0x00, 0x3b, "i32.store16", kMemArg, kV_II, 1, kMvp) \
  V(I64Store8, 0x00, 0x3c, "i64.store8", kMemArg, kV_IL, 0, kMvp) \
  V(I64Store16, 0x00, 0x3d, "i64.store16", kMemArg, kV_IL, 1, kMvp) \
  V(I64Store32, 0x00, 0x3e, "i64.store32", kMemArg, kV_IL, 2, kMvp) \
  V(MemorySize, 0x00, 0x3f, "memory.size", kMemory, kSpecial, 0, kMvp) \
  V(MemoryGrow, 0x00, 0x40, "memory.grow", kMemory, kSpecial, 0, kMvp) \
  V(I32Const, 0x00, 0x41, "i32.const", kI32, kSpecial, 0, kMvp) \
  V(I64Const, 0x00, 0x42, "i64.const", kI64, kSpecial, 0, kMvp) \
  V(F32Const, 0x00, 0x43, "f32.const", kF32, kSpecial, 0, kMvp) \
  V(F64Const, 0x00, 0x44, "f64.const", kF64, kSpecial, 0, kMvp) \
  V(I32Eqz, 0x00, 0x45, "i32.eqz", kNone, kI_I, 0, kMvp) \
  V(I32Eq, 0x00, 0x46, "i32.eq", kNone, kI_II, 0, kMvp) \
  V(I32Ne, 0x00, 0x47, "i32.ne", kNone, kI_II, 0, kMvp) \
  V(I32LtS, 0x00, 0x48, "i32.lt_s", kNone, kI_II, 0, kMvp) \
  V(I32LtU, 0x00, 0x49, "i32.lt_u", kNone, kI_II, 0, kMvp) \
  V(I32GtS, 0x00, 0x4a, "i32.gt_s", kNone, kI_II, 0, kMvp) \
  V(I32GtU, 0x00, 0x4b, "i32.gt_u", kNone, kI_II, 0, kMvp) \
  V(I32LeS, 0x00, 0x4c, "i32.le_s", kNone, kI_II, 0, kMvp) \
  V(I32LeU, 0x00, 0x4d, "i32.le_u", kNone, kI_II, 0, kMvp) \
  V(I32GeS, 0x00, 0x4e, "i32.ge_s", kNone, kI_II, 0, kMvp) \
  V(I32GeU, 0x00, 0x4f, "i32.ge_u", kNone, kI_II, 0, kMvp) \
  V(I64Eqz, 0x00, 0x50, "i64.eqz", kNone, kI_L, 0, kMvp) \
  V(I64Eq, 0x00, 0x51, "i64.eq", kNone, kI_LL, 0, kMvp) \
  V(I64Ne, 0x00, 0x52, "i64.ne", kNone, kI_LL, 0, kMvp) \
  V(I64LtS, 0x00, 0x53, "i64.lt_s", kNone, kI_LL, 0, kMvp) \
  V(I64LtU, 0x00, 0x54, "i64.lt_u", kNone, kI_LL, 0, kMvp) \
  V(I64GtS, 0x00, 0x55, "i64.gt_s", kNone, kI_LL, 0, kMvp) \
  V(I64GtU, 0x00, 0x56, "i64.gt_u", kNone, kI_LL, 0, kMvp) \
  V(I64LeS, 0x00, 0x57, "i64.le_s", kNone, kI_LL, 0, kMvp) \
  V(I64LeU, 0x00, 0x58, "i64.le_u", kNone, kI_LL, 0, kMvp) \
  V(I64GeS, 0x00, 0x59, "i64.ge_s", kNone, kI_LL, 0, kMvp) \
  V(I64GeU, 0x00, 0x5a, "i64.ge_u", kNone, kI_LL, 0, kMvp) \
  V(F32Eq, 0x00, 0x5b, "f32.eq", kNone, kI_FF, 0, kMvp) \
  V(F32Ne, 0x00, 0x5c, "f32.ne", kNone, kI_FF, 0, kMvp) \
  V(F32Lt, 0x00, 0x5d, "f32.lt", kNone, kI_FF, 0, kMvp) \
  V(F32Gt, 0x00, 0x5e, "f32.gt", kNone, kI_FF, 0, kMvp) \
  V(F32Le, 0x00, 0x5f, "f32.le", kNone, kI_FF, 0, kMvp) \
  V(F32Ge, 0x00, 0x60, "f32.ge", kNone, kI_FF, 0, kMvp) \
  V(F64Eq, 0x00, 0x61, "f64.eq", kNone, kI_DD, 0, kMvp) \
  V(F64Ne, 0x00, 0x62, "f64.ne", kNone, kI_DD, 0, kMvp) \
  V(F64Lt, 0x00, 0x63, "f64.lt", kNone, kI_DD, 0, kMvp) \
  V(F64Gt, 0x00, 0x64, "f64.gt", kNone, kI_DD, 0, kMvp) \
  V(F64Le, 0x00, 0x65, "f64.le", kNone, kI_DD, 0, kMvp) \
  V(F64Ge, 0x00, 0x66, "f64.ge", kNone, kI_DD, 0, kMvp) \
  V(I32Clz, 0x00, 0x67, "i32.clz", kNone, kI_I, 0, kMvp) \
  V(I32Ctz, 0x00, 0x68, "i32.ctz", kNone, kI_I, 0, kMvp) \
  V(I32Popcnt, 0x00, 0x69, "i32.popcnt", kNone, kI_I, 0, kMvp) \
  V(I32Add, 0x00, 0x6a, "i32.add", kNone, kI_II, 0, kMvp) \
  V(I32Sub, 0x00, 0x6b, "i32.sub", kNone, kI_II, 0, kMvp) \
  V(I32Mul, 0x00, 0x6c, "i32.mul", kNone, kI_II, 0, kMvp) \
  V(I32DivS, 0x00, 0x6d, "i32.div_s", kNone, kI_II, 0, kMvp) \
  V(I32DivU, 0x00, 0x6e, "i32.div_u", kNone, kI_II, 0, kMvp) \
  V(I32RemS, 0x00, 0x6f, "i32.rem_s", kNone, kI_II, 0, kMvp) \
  V(I32RemU, 0x00, 0x70, "i32.rem_u", kNone, kI_II, 0, kMvp) \
  V(I32And, 0x00, 0x71, "i32.and", kNone, kI_II, 0, kMvp) \
  V(I32Or, 0x00, 0x72, "i32.or", kNone, kI_II, 0, kMvp) \
  V(I32Xor, 0x00, 0x73, "i32.xor", kNone, kI_II, 0, kMvp) \
  V(I32Shl, 0x00, 0x74, "i32.shl", kNone, kI_II, 0, kMvp) \
  V(I32ShrS, 0x00, 0x75, "i32.shr_s", kNone, kI_II, 0, kMvp) \
  V(I32ShrU, 0x00, 0x76, "i32.shr_u", kNone, kI_II, 0, kMvp) \
  V(I32Rotl, 0x00, 0x77, "i32.rotl", kNone, kI_II, 0, kMvp) \
  V(I32Rotr, 0x00, 0x78, "i32.rotr", kNone, kI_II, 0, kMvp) \
  V(I64Clz, 0x00, 0x79, "i64.clz", kNone, kL_L, 0, kMvp) \
  V(I64Ctz, 0x00, 0x7a, "i64.ctz", kNone, kL_L, 0, kMvp) \
  V(I64Popcnt, 0x00, 0x7b, "i64.popcnt", kNone, kL_L, 0, kMvp) \
  V(I64Add, 0x00, 0x7c, "i64.add", kNone, kL_LL, 0, kMvp) \
  V(I64Sub, 0x00, 0x7d, "i64.sub", kNone, kL_LL, 0, kMvp) \
  V(I64Mul, 0x00, 0x7e, "i64.mul", kNone, kL_LL, 0, kMvp) \
  V(I64DivS, 0x00, 0x7f, "i64.div_s", kNone, kL_LL, 0, kMvp) \
  V(I64DivU, 0x00, 0x80, "i64.div_u", kNone, kL_LL, 0, kMvp) \
  V(I64RemS, 0x00, 0x81, "i64.rem_s", kNone, kL_LL, 0, kMvp) \
  V(I64RemU, 0x00, 0x82, "i64.rem_u", kNone, kL_LL, 0, kMvp) \
  V(I64And, 0x00, 0x83, "i64.and", kNone, kL_LL, 0, kMvp) \
  V(I64Or, 0x00, 0x84, "i64.or", kNone, kL_LL, 0, kMvp) \
  V(I64Xor, 0x00, 0x85, "i64.xor", kNone, kL_LL, 0, kMvp) \
  V(I64Shl, 0x00, 0x86, "i64.shl", kNone, kL_LL, 0, kMvp) \
  V(I64ShrS, 0x00, 0x87, "i64.shr_s", kNone, kL_LL, 0, kMvp) \
  V(I64ShrU, 0x00, 0x88, "i64.shr_u", kNone, kL_LL, 0, kMvp) \
  V(I64Rotl, 0x00, 0x89, "i64.rotl", kNone, kL_LL, 0, kMvp) \
  V(I64Rotr, 0x00, 0x8a, "i64.rotr", kNone, kL_LL, 0, kMvp) \
  V(F32Abs, 0x00, 0x8b, "f32.abs", kNone, kF_F, 0, kMvp) \
  V(F32Neg, 0x00, 0x8c, "f32.neg", kNone, kF_F, 0, kMvp) \
  V(F32Ceil, 0x00, 0x8d, "f32.ceil", kNone, kF_F, 0, kMvp) \
  V(F32Floor, 0x00, 0x8e, "f32.floor", kNone, kF_F, 0, kMvp) \
  V(F32Trunc, 0x00, 0x8f, "f32.trunc", kNone, kF_F, 0, kMvp) \
  V(F32Nearest, 0x00, 0x90, "f32.nearest", kNone, kF_F, 0, kMvp) \
  V(F32Sqrt, 0x00, 0x91, "f32.sqrt", kNone, kF_F, 0, kMvp) \
  V(F32Add, 0x00, 0x92, "f32.add", kNone, kF_FF, 0, kMvp) \
  V(F32Sub, 0x00, 0x93, "f32.sub", kNone, kF_FF, 0, kMvp) \
  V(F32Mul, 0x00, 0x94, "f32.mul", kNone, kF_FF, 0, kMvp) \
  V(F32Div, 0x00, 0x95, "f32.div", kNone, kF_FF, 0, kMvp) \
  V(F32Min, 0x00, 0x96, "f32.min", kNone, kF_FF, 0, kMvp) \
  V(F32Max, 0x00, 0x97, "f32.max", kNone, kF_FF, 0, kMvp) \
  V(F32Copysign, 0x00, 0x98, "f32.copysign", kNone, kF_FF, 0, kMvp) \
  V(F64Abs, 0x00, 0x99, "f64.abs", kNone, kD_D, 0, kMvp) \
  V(F64Neg, 0x00, 0x9a, "f64.neg", kNone, kD_D, 0, kMvp) \
  V(F64Ceil, 0x00, 0x9b, "f64.ceil", kNone, kD_D, 0, kMvp) \
  V(F64Floor, 0x00, 0x9c, "f64.floor", kNone, kD_D, 0, kMvp) \
  V(F64Trunc, 0x00, 0x9d, "f64.trunc", kNone, kD_D, 0, kMvp) \
  V(F64Nearest, 0x00, 0x9e, "f64.nearest", kNone, kD_D, 0, kMvp) \
  V(F64Sqrt, 0x00, 0x9f, "f64.sqrt", kNone, kD_D, 0, kMvp) \
  V(F64Add, 0x00, 0xa0, "f64.add", kNone, kD_DD, 0, kMvp) \
  V(F64Sub, 0x00, 0xa1, "f64.sub", kNone, kD_DD, 0, kMvp) \
  V(F64Mul, 0x00, 0xa2, "f64.mul", kNone, kD_DD, 0, kMvp) \
  V(F64Div, 0x00, 0xa3, "f64.div", kNone, kD_DD, 0, kMvp) \
  V(F64Min, 0x00, 0xa4, "f64.min", kNone, kD_DD, 0, kMvp) \
  V(F64Max, 0x00, 0xa5, "f64.max", kNone, kD_DD, 0, kMvp) \
  V(F64Copysign, 0x00, 0xa6, "f64.copysign", kNone, kD_DD, 0, kMvp) \
  V(I32WrapI64, 0x00, 0xa7, "i32.wrap_i64", kNone, kI_L, 0, kMvp) \
  V(I32TruncF32S, 0x00, 0xa8, "i32.trunc_f32_s", kNone, kI_F, 0, kMvp) \
  V(I32TruncF32U, 0x00, 0xa9, "i32.trunc_f32_u", kNone, kI_F, 0, kMvp) \
  V(I32TruncF64S, 0x00, 0xaa, "i32.trunc_f64_s", kNone, kI_D, 0, kMvp) \
  V(I32TruncF64U, 0x00, 0xab, "i32.trunc_f64_u", kNone, kI_D, 0, kMvp) \
  V(I64ExtendI32S, 0x00, 0xac, "i64.extend_i32_s", kNone, kL_I, 0, kMvp) \
  V(I64ExtendI32U, 0x00, 0xad, "i64.extend_i32_u", kNone, kL_I, 0, kMvp) \
  V(I64TruncF32S, 0x00, 0xae, "i64.trunc_f32_s", kNone, kL_F, 0, kMvp) \
  V(I64TruncF32U, 0x00, 0xaf, "i64.trunc_f32_u", kNone, kL_F, 0, kMvp) \
  V(I64TruncF64S, 0x00, 0xb0, "i64.trunc_f64_s", kNone, kL_D, 0, kMvp) \
  V(I64TruncF64U, 0x00, 0xb1, "i64.trunc_f64_u", kNone, kL_D, 0, kMvp) \
  V(F32ConvertI32S, 0x00, 0xb2, "f32.convert_i32_s", kNone, kF_I, 0, kMvp) \
  V(F32ConvertI32U, 0x00, 0xb3, "f32.convert_i32_u", kNone, kF_I, 0, kMvp) \
  V(F32ConvertI64S, 0x00, 0xb4, "f32.convert_i64_s", kNone, kF_L, 0, kMvp) \
  V(F32ConvertI64U, 0x00, 0xb5, "f32.convert_i64_u", kNone, kF_L, 0, kMvp) \
  V(F32DemoteF64, 0x00, 0xb6, "f32.demote_f64", kNone, kF_D, 0, kMvp) \
  V(F64ConvertI32S, 0x00, 0xb7, "f64.convert_i32_s", kNone, kD_I, 0, kMvp) \
  V(F64ConvertI32U, 0x00, 0xb8, "f64.convert_i32_u", kNone, kD_I, 0, kMvp) \
  V(F64ConvertI64S, 0x00, 0xb9, "f64.convert_i64_s", kNone, kD_L, 0, kMvp) \
  V(F64ConvertI64U, 0x00, 0xba, "f64.convert_i64_u", kNone, kD_L, 0, kMvp) \
  V(F64PromoteF32, 0x00, 0xbb, "f64.promote_f32", kNone, kD_F, 0, kMvp) \
  V(I32ReinterpretF32, 0x00, 0xbc, "i32.reinterpret_f32", kNone, kI_F, 0, kMvp) \
  V(I64ReinterpretF64, 0x00, 0xbd, "i64.reinterpret_f64", kNone, kL_D, 0, kMvp) \
  V(F32ReinterpretI32, 0x00, 0xbe, "f32.reinterpret_i32", kNone, kF_I, 0, kMvp) \
  V(F64ReinterpretI64, 0x00, 0xbf, "f64.reinterpret_i64", kNone, kD_L, 0, kMvp) \
  V(I32Extend8S, 0x00, 0xc0, "i32.extend8_s", kNone, kI_I, 0, kSignExtension) \
  V(I32Extend16S, 0x00, 0xc1, "i32.extend16_s", kNone, kI_I, 0, kSignExtension) \
  V(I64Extend8S, 0x00, 0xc2, "i64.extend8_s", kNone, kL_L, 0, kSignExtension) \
  V(I64Extend16S, 0x00, 0xc3, "i64.extend16_s", kNone, kL_L, 0, kSignExtension) \
  V(I64Extend32S, 0x00, 0xc4, "i64.extend32_s", kNone, kL_L, 0, kSignExtension) \
  V(RefNull, 0x00, 0xd0, "ref.null", kHeapType, kSpecial, 0, kReferenceTypes) \
  V(RefIsNull, 0x00, 0xd1, "ref.is_null", kNone, kSpecial, 0, kReferenceTypes) \
  V(RefFunc, 0x00, 0xd2, "ref.func", kFunc, kSpecial, 0, kReferenceTypes) \
  V(RefEq, 0x00, 0xd3, "ref.eq", kNone, kSpecial, 0, kGc) \
  V(RefAsNonNull, 0x00, 0xd4, "ref.as_non_null", kNone, kSpecial, 0, kFunctionReferences) \
  V(BrOnNull, 0x00, 0xd5, "br_on_null", kLabel, kSpecial, 0, kFunctionReferences) \
  V(BrOnNonNull, 0x00, 0xd6, "br_on_non_null", kLabel, kSpecial, 0, kFunctionReferences) \
  V(StructNew, 0xfb, 0x00, "struct.new", kType, kSpecial, 0, kGc) \
  V(StructNewDefault, 0xfb, 0x01, "struct.new_default", kType, kSpecial, 0, kGc) \
  V(StructGet, 0xfb, 0x02, "struct.get", kTypeField, kSpecial, 0, kGc) \
  V(StructGetS, 0xfb, 0x03, "struct.get_s", kTypeField, kSpecial, 0, kGc) \
  V(StructGetU, 0xfb, 0x04, "struct.get_u", kTypeField, kSpecial, 0, kGc) \
  V(StructSet, 0xfb, 0x05, "struct.set", kTypeField, kSpecial, 0, kGc) \
  V(ArrayNew, 0xfb, 0x06, "array.new", kType, kSpecial, 0, kGc) \
  V(ArrayNewDefault, 0xfb, 0x07, "array.new_default", kType, kSpecial, 0, kGc) \
  V(ArrayNewFixed, 0xfb, 0x08, "array.new_fixed", kTypeLen, kSpecial, 0, kGc) \
  V(ArrayNewData, 0xfb, 0x09, "array.new_data", kTypeData, kSpecial, 0, kGc) \
  V(ArrayNewElem, 0xfb, 0x0a, "array.new_elem", kTypeElem, kSpecial, 0, kGc) \
  V(ArrayGet, 0xfb, 0x0b, "array.get", kType, kSpecial, 0, kGc) \
  V(ArrayGetS, 0xfb, 0x0c, "array.get_s", kType, kSpecial, 0, kGc) \
  V(ArrayGetU, 0xfb, 0x0d, "array.get_u", kType, kSpecial, 0, kGc) \
  V(ArraySet, 0xfb, 0x0e, "array.set", kType, kSpecial, 0, kGc) \
  V(ArrayLen, 0xfb, 0x0f, "array.len", kNone, kSpecial, 0, kGc) \
  V(ArrayFill, 0xfb, 0x10, "array.fill", kType, kSpecial, 0, kGc) \
  V(ArrayCopy, 0xfb, 0x11, "array.copy", kTypeType, kSpecial, 0, kGc) \
  V(ArrayInitData, 0xfb, 0x12, "array.init_data", kTypeData, kSpecial, 0, kGc) \
  V(ArrayInitElem, 0xfb, 0x13, "array.init_elem", kTypeElem, kSpecial, 0, kGc) \
  V(RefTest, 0xfb, 0x14, "ref.test", kRefTest, kSpecial, 0, kGc) \
  V(RefTestNull, 0xfb, 0x15, "ref.test", kRefTestNull, kSpecial, 0, kGc) \
  V(RefCast, 0xfb, 0x16, "ref.cast", kRefTest, kSpecial, 0, kGc) \
  V(RefCastNull, 0xfb, 0x17, "ref.cast", kRefTestNull, kSpecial, 0, kGc) \
  V(BrOnCast, 0xfb, 0x18, "br_on_cast", kBrOnCast, kSpecial, 0, kGc) \
  V(BrOnCastFail, 0xfb, 0x19, "br_on_cast_fail", kBrOnCast, kSpecial, 0, kGc) \
  V(AnyConvertExtern, 0xfb, 0x1a, "any.convert_extern", kNone, kSpecial, 0, kGc) \
  V(ExternConvertAny, 0xfb, 0x1b, "extern.convert_any", kNone, kSpecial, 0, kGc) \
  V(RefI31, 0xfb, 0x1c, "ref.i31", kNone, kSpecial, 0, kGc) \
  V(I31GetS, 0xfb, 0x1d, "i31.get_s", kNone, kSpecial, 0, kGc) \
  V(I31GetU, 0xfb, 0x1e, "i31.get_u", kNone, kSpecial, 0, kGc) \
  V(I32TruncSatF32S, 0xfc, 0x00, "i32.trunc_sat_f32_s", kNone, kI_F, 0, kSaturatingFloatToInt) \
  V(I32TruncSatF32U, 0xfc, 0x01, "i32.trunc_sat_f32_u", kNone, kI_F, 0, kSaturatingFloatToInt) \
  V(I32TruncSatF64S, 0xfc, 0x02, "i32.trunc_sat_f64_s", kNone, kI_D, 0, kSaturatingFloatToInt) \
  V(I32TruncSatF64U, 0xfc, 0x03, "i32.trunc_sat_f64_u", kNone, kI_D, 0, kSaturatingFloatToInt) \
  V(I64TruncSatF32S, 0xfc, 0x04, "i64.trunc_sat_f32_s", kNone, kL_F, 0, kSaturatingFloatToInt) \
  V(I64TruncSatF32U, 0xfc, 0x05, "i64.trunc_sat_f32_u", kNone, kL_F, 0, kSaturatingFloatToInt) \
  V(I64TruncSatF64S, 0xfc, 0x06, "i64.trunc_sat_f64_s", kNone, kL_D, 0, kSaturatingFloatToInt) \
  V(I64TruncSatF64U, 0xfc, 0x07, "i64.trunc_sat_f64_u", kNone, kL_D, 0, kSaturatingFloatToInt) \
  V(MemoryInit, 0xfc, 0x08, "memory.init", kMemoryInit, kSpecial, 0, kBulkMemory) \
  V(DataDrop, 0xfc, 0x09, "data.drop", kData, kSpecial, 0, kBulkMemory) \
  V(MemoryCopy, 0xfc, 0x0a, "memory.copy", kMemoryCopy, kSpecial, 0, kBulkMemory) \
  V(MemoryFill, 0xfc, 0x0b, "memory.fill", kMemory, kSpecial, 0, kBulkMemory) \
  V(TableInit, 0xfc, 0x0c, "table.init", kTableInit, kSpecial, 0, kBulkMemory) \
  V(ElemDrop, 0xfc, 0x0d, "elem.drop", kElem, kSpecial, 0, kBulkMemory) \
  V(TableCopy, 0xfc, 0x0e, "table.copy", kTableCopy, kSpecial, 0, kBulkMemory) \
  V(TableGrow, 0xfc, 0x0f, "table.grow", kTable, kSpecial, 0, kReferenceTypes) \
  V(TableSize, 0xfc, 0x10, "table.size", kTable, kSpecial, 0, kReferenceTypes) \
  V(TableFill, 0xfc, 0x11, "table.fill", kTable, kSpecial, 0, kReferenceTypes) \
  V(MemoryAtomicNotify, 0xfe, 0x00, "memory.atomic.notify", kMemArg, kI_II, 2, kThreads) \
  V(MemoryAtomicWait32, 0xfe, 0x01, "memory.atomic.wait32", kMemArg, kI_IIL, 2, kThreads) \
  V(MemoryAtomicWait64, 0xfe, 0x02, "memory.atomic.wait64", kMemArg, kI_ILL, 3, kThreads) \
  V(AtomicFence, 0xfe, 0x03, "atomic.fence", kAtomicFence, kV_V, 0, kThreads) \
  V(I32AtomicLoad, 0xfe, 0x10, "i32.atomic.load", kMemArg, kI_I, 2, kThreads) \
  V(I64AtomicLoad, 0xfe, 0x11, "i64.atomic.load", kMemArg, kL_I, 3, kThreads) \
  V(I32AtomicLoad8U, 0xfe, 0x12, "i32.atomic.load8_u", kMemArg, kI_I, 0, kThreads) \
  V(I32AtomicLoad16U, 0xfe, 0x13, "i32.atomic.load16_u", kMemArg, kI_I, 1, kThreads) \
  V(I64AtomicLoad8U, 0xfe, 0x14, "i64.atomic.load8_u", kMemArg, kL_I, 0, kThreads) \
  V(I64AtomicLoad16U, 0xfe, 0x15, "i64.atomic.load16_u", kMemArg, kL_I, 1, kThreads) \
  V(I64AtomicLoad32U, 0xfe, 0x16, "i64.atomic.load32_u", kMemArg, kL_I, 2, kThreads) \
  V(I32AtomicStore, 0xfe, 0x17, "i32.atomic.store", kMemArg, kV_II, 2, kThreads) \
  V(I64AtomicStore, 0xfe, 0x18, "i64.atomic.store", kMemArg, kV_IL, 3, kThreads) \
  V(I32AtomicStore8, 0xfe, 0x19, "i32.atomic.store8", kMemArg, kV_II, 0, kThreads) \
  V(I32AtomicStore16, 0xfe, 0x1a, "i32.atomic.store16", kMemArg, kV_II, 1, kThreads) \
  V(I64AtomicStore8, 0xfe, 0x1b, "i64.atomic.store8", kMemArg, kV_IL, 0, kThreads) \
  V(I64AtomicStore16, 0xfe, 0x1c, "i64.atomic.store16", kMemArg, kV_IL, 1, kThreads) \
  V(I64AtomicStore32, 0xfe, 0x1d, "i64.atomic.store32", kMemArg, kV_IL, 2, kThreads) \
  V(I32AtomicRmwAdd, 0xfe, 0x1e, "i32.atomic.rmw.add", kMemArg, kI_II, 2, kThreads) \
  V(I64AtomicRmwAdd, 0xfe, 0x1f, "i64.atomic.rmw.add", kMemArg, kL_IL, 3, kThreads) \
  V(I32AtomicRmw8AddU, 0xfe, 0x20, "i32.atomic.rmw8.add_u", kMemArg, kI_II, 0, kThreads) \
  V(I32AtomicRmw16AddU, 0xfe, 0x21, "i32.atomic.rmw16.add_u", kMemArg, kI_II, 1, kThreads) \
  V(I64AtomicRmw8AddU, 0xfe, 0x22, "i64.atomic.rmw8.add_u", kMemArg, kL_IL, 0, kThreads) \
  V(I64AtomicRmw16AddU, 0xfe, 0x23, "i64.atomic.rmw16.add_u", kMemArg, kL_IL, 1, kThreads) \
  V(I64AtomicRmw32AddU, 0xfe, 0x24, "i64.atomic.rmw32.add_u", kMemArg, kL_IL, 2, kThreads) \
  V(I32AtomicRmwSub, 0xfe, 0x25, "i32.atomic.rmw.sub", kMemArg, kI_II, 2, kThreads) \
  V(I64AtomicRmwSub, 0xfe, 0x26, "i64.atomic.rmw.sub", kMemArg, kL_IL, 3, kThreads) \
  V(I32AtomicRmw8SubU, 0xfe, 0x27, "i32.atomic.rmw8.sub_u", kMemArg, kI_II, 0, kThreads) \
  V(I32AtomicRmw16SubU, 0xfe, 0x28, "i32.atomic.rmw16.sub_u", kMemArg, kI_II, 1, kThreads) \
  V(I64AtomicRmw8SubU, 0xfe, 0x29, "i64.atomic.rmw8.sub_u", kMemArg, kL_IL, 0, kThreads) \
  V(I64AtomicRmw16SubU, 0xfe, 0x2a, "i64.atomic.rmw16.sub_u", kMemArg, kL_IL, 1, kThreads) \
  V(I64AtomicRmw32SubU, 0xfe, 0x2b, "i64.atomic.rmw32.sub_u", kMemArg, kL_IL, 2, kThreads) \
  V(I32AtomicRmwAnd, 0xfe, 0x2c, "i32.atomic.rmw.and", kMemArg, kI_II, 2, kThreads) \
  V(I64AtomicRmwAnd, 0xfe, 0x2d, "i64.atomic.rmw.and", kMemArg, kL_IL, 3, kThreads) \
  V(I32AtomicRmw8AndU, 0xfe, 0x2e, "i32.atomic.rmw8.and_u", kMemArg, kI_II, 0, kThreads) \
  V(I32AtomicRmw16AndU, 0xfe, 0x2f, "i32.atomic.rmw16.and_u", kMemArg, kI_II, 1, kThreads) \
  V(I64AtomicRmw8AndU, 0xfe, 0x30, "i64.atomic.rmw8.and_u", kMemArg, kL_IL, 0, kThreads) \
  V(I64AtomicRmw16AndU, 0xfe, 0x31, "i64.atomic.rmw16.and_u", kMemArg, kL_IL, 1, kThreads) \
  V(I64AtomicRmw32AndU, 0xfe, 0x32, "i64.atomic.rmw32.and_u", kMemArg, kL_IL, 2, kThreads) \
  V(I32AtomicRmwOr, 0xfe, 0x33, "i32.atomic.rmw.or", kMemArg, kI_II, 2, kThreads) \
  V(I64AtomicRmwOr, 0xfe, 0x34, "i64.atomic.rmw.or", kMemArg, kL_IL, 3, kThreads) \
  V(I32AtomicRmw8OrU, 0xfe, 0x35, "i32.atomic.rmw8.or_u", kMemArg, kI_II, 0, kThreads) \
  V(I32AtomicRmw16OrU, 0xfe, 0x36, "i32.atomic.rmw16.or_u", kMemArg, kI_II, 1, kThreads) \
  V(I64AtomicRmw8OrU, 0xfe, 0x37, "i64.atomic.rmw8.or_u", kMemArg, kL_IL, 0, kThreads) \
  V(I64AtomicRmw16OrU, 0xfe, 0x38, "i64.atomic.rmw16.or_u", kMemArg, kL_IL, 1, kThreads) \
  V(I64AtomicRmw32OrU, 0xfe, 0x39, "i64.atomic.rmw32.or_u", kMemArg, kL_IL, 2, kThreads) \
  V(I32AtomicRmwXor, 0xfe, 0x3a, "i32.atomic.rmw.xor", kMemArg, kI_II, 2, kThreads) \
  V(I64AtomicRmwXor, 0xfe, 0x3b, "i64.atomic.rmw.xor", kMemArg, kL_IL, 3, kThreads) \
  V(I32AtomicRmw8XorU, 0xfe, 0x3c, "i32.atomic.rmw8.xor_u", kMemArg, kI_II, 0, kThreads) \
  V(I32AtomicRmw16XorU, 0xfe, 0x3d, "i32.atomic.rmw16.xor_u", kMemArg, kI_II, 1, kThreads) \
  V(I64AtomicRmw8XorU, 0xfe, 0x3e, "i64.atomic.rmw8.xor_u", kMemArg, kL_IL, 0, kThreads) \
  V(I64AtomicRmw16XorU, 0xfe, 0x3f, "i64.atomic.rmw16.xor_u", kMemArg, kL_IL, 1, kThreads) \
  V(I64AtomicRmw32XorU, 0xfe, 0x40, "i64.atomic.rmw32.xor_u", kMemArg, kL_IL, 2, kThreads) \
  V(I32AtomicRmwXchg, 0xfe, 0x41, "i32.atomic.rmw.xchg", kMemArg, kI_II, 2, kThreads) \
  V(I64AtomicRmwXchg, 0xfe, 0x42, "i64.atomic.rmw.xchg", kMemArg, kL_IL, 3, kThreads) \
  V(I32AtomicRmw8XchgU, 0xfe, 0x43, "i32.atomic.rmw8.xchg_u", kMemArg, kI_II, 0, kThreads) \
  V(I32AtomicRmw16XchgU, 0xfe, 0x44, "i32.atomic.rmw16.xchg_u", kMemArg, kI_II, 1, kThreads) \
  V(I64AtomicRmw8XchgU, 0xfe, 0x45, "i64.atomic.rmw8.xchg_u", kMemArg, kL_IL, 0, kThreads) \
  V(I64AtomicRmw16XchgU, 0xfe, 0x46, "i64.atomic.rmw16.xchg_u", kMemArg, kL_IL, 1, kThreads) \
  V(I64AtomicRmw32XchgU, 0xfe, 0x47, "i64.atomic.rmw32.xchg_u", kMemArg, kL_IL, 2, kThreads) \
  V(I32AtomicRmwCmpxchg, 0xfe, 0x48, "i32.atomic.rmw.cmpxchg", kMemArg, kI_III, 2, kThreads) \
  V(I64AtomicRmwCmpxchg, 0xfe, 0x49, "i64.atomic.rmw.cmpxchg", kMemArg, kL_ILL, 3, kThreads) \
  V(I32AtomicRmw8CmpxchgU, 0xfe, 0x4a, "i32.atomic.rmw8.cmpxchg_u", kMemArg, kI_III, 0, kThreads) \
  V(I32AtomicRmw16CmpxchgU, 0xfe, 0x4b, "i32.atomic.rmw16.cmpxchg_u", kMemArg, kI_III, 1, kThreads) \
  V(I64AtomicRmw8CmpxchgU, 0xfe, 0x4c, "i64.atomic.rmw8.cmpxchg_u", kMemArg, kL_ILL, 0, kThreads) \
  V(I64AtomicRmw16CmpxchgU, 0xfe, 0x4d, "i64.atomic.rmw16.cmpxchg_u", kMemArg, kL_ILL, 1, kThreads) \
  V(I64AtomicRmw32CmpxchgU, 0xfe, 0x4e, "i64.atomic.rmw32.cmpxchg_u", kMemArg, kL_ILL, 2, kThreads) \
  V(V128Load, 0xfd, 0x00, "v128.load", kMemArg, kS_I, 4, kSimd) \
  V(V128Load8x8S, 0xfd, 0x01, "v128.load8x8_s", kMemArg, kS_I, 3, kSimd) \
  V(V128Load8x8U, 0xfd, 0x02, "v128.load8x8_u", kMemArg, kS_I, 3, kSimd) \
  V(V128Load16x4S, 0xfd, 0x03, "v128.load16x4_s", kMemArg, kS_I, 3, kSimd) \
  V(V128Load16x4U, 0xfd, 0x04, "v128.load16x4_u", kMemArg, kS_I, 3, kSimd) \
  V(V128Load32x2S, 0xfd, 0x05, "v128.load32x2_s", kMemArg, kS_I, 3, kSimd) \
  V(V128Load32x2U, 0xfd, 0x06, "v128.load32x2_u", kMemArg, kS_I, 3, kSimd) \
  V(V128Load8Splat, 0xfd, 0x07, "v128.load8_splat", kMemArg, kS_I, 0, kSimd) \
  V(V128Load16Splat, 0xfd, 0x08, "v128.load16_splat", kMemArg, kS_I, 1, kSimd) \
  V(V128Load32Splat, 0xfd, 0x09, "v128.load32_splat", kMemArg, kS_I, 2, kSimd) \
  V(V128Load64Splat, 0xfd, 0x0a, "v128.load64_splat", kMemArg, kS_I, 3, kSimd) \
  V(V128Store, 0xfd, 0x0b, "v128.store", kMemArg, kV_IS, 4, kSimd) \
  V(V128Const, 0xfd, 0x0c, "v128.const", kV128, kSpecial, 0, kSimd) \
  V(I8x16Shuffle, 0xfd, 0x0d, "i8x16.shuffle", kShuffle, kS_SS, 0, kSimd) \
  V(I8x16Swizzle, 0xfd, 0x0e, "i8x16.swizzle", kNone, kS_SS, 0, kSimd) \
  V(I8x16Splat, 0xfd, 0x0f, "i8x16.splat", kNone, kS_I, 0, kSimd) \
  V(I16x8Splat, 0xfd, 0x10, "i16x8.splat", kNone, kS_I, 0, kSimd) \
  V(I32x4Splat, 0xfd, 0x11, "i32x4.splat", kNone, kS_I, 0, kSimd) \
  V(I64x2Splat, 0xfd, 0x12, "i64x2.splat", kNone, kS_L, 0, kSimd) \
  V(F32x4Splat, 0xfd, 0x13, "f32x4.splat", kNone, kS_F, 0, kSimd) \
  V(F64x2Splat, 0xfd, 0x14, "f64x2.splat", kNone, kS_D, 0, kSimd) \
  V(I8x16ExtractLaneS, 0xfd, 0x15, "i8x16.extract_lane_s", kLane, kI_S, 4, kSimd) \
  V(I8x16ExtractLaneU, 0xfd, 0x16, "i8x16.extract_lane_u", kLane, kI_S, 4, kSimd) \
  V(I8x16ReplaceLane, 0xfd, 0x17, "i8x16.replace_lane", kLane, kS_SI, 4, kSimd) \
  V(I16x8ExtractLaneS, 0xfd, 0x18, "i16x8.extract_lane_s", kLane, kI_S, 3, kSimd) \
  V(I16x8ExtractLaneU, 0xfd, 0x19, "i16x8.extract_lane_u", kLane, kI_S, 3, kSimd) \
  V(I16x8ReplaceLane, 0xfd, 0x1a, "i16x8.replace_lane", kLane, kS_SI, 3, kSimd) \
  V(I32x4ExtractLane, 0xfd, 0x1b, "i32x4.extract_lane", kLane, kI_S, 2, kSimd) \
  V(I32x4ReplaceLane, 0xfd, 0x1c, "i32x4.replace_lane", kLane, kS_SI, 2, kSimd) \
  V(I64x2ExtractLane, 0xfd, 0x1d, "i64x2.extract_lane", kLane, kL_S, 1, kSimd) \
  V(I64x2ReplaceLane, 0xfd, 0x1e, "i64x2.replace_lane", kLane, kS_SL, 1, kSimd) \
  V(F32x4ExtractLane, 0xfd, 0x1f, "f32x4.extract_lane", kLane, kF_S, 2, kSimd) \
  V(F32x4ReplaceLane, 0xfd, 0x20, "f32x4.replace_lane", kLane, kS_SF, 2, kSimd) \
  V(F64x2ExtractLane, 0xfd, 0x21, "f64x2.extract_lane", kLane, kD_S, 1, kSimd) \
  V(F64x2ReplaceLane, 0xfd, 0x22, "f64x2.replace_lane", kLane, kS_SD, 1, kSimd) \
  V(I8x16Eq, 0xfd, 0x23, "i8x16.eq", kNone, kS_SS, 0, kSimd) \
  V(I8x16Ne, 0xfd, 0x24, "i8x16.ne", kNone, kS_SS, 0, kSimd) \
  V(I8x16LtS, 0xfd, 0x25, "i8x16.lt_s", kNone, kS_SS, 0, kSimd) \
  V(I8x16LtU, 0xfd, 0x26, "i8x16.lt_u", kNone, kS_SS, 0, kSimd) \
  V(I8x16GtS, 0xfd, 0x27, "i8x16.gt_s", kNone, kS_SS, 0, kSimd) \
  V(I8x16GtU, 0xfd, 0x28, "i8x16.gt_u", kNone, kS_SS, 0, kSimd) \
  V(I8x16LeS, 0xfd, 0x29, "i8x16.le_s", kNone, kS_SS, 0, kSimd) \
  V(I8x16LeU, 0xfd, 0x2a, "i8x16.le_u", kNone, kS_SS, 0, kSimd) \
  V(I8x16GeS, 0xfd, 0x2b, "i8x16.ge_s", kNone, kS_SS, 0, kSimd) \
  V(I8x16GeU, 0xfd, 0x2c, "i8x16.ge_u", kNone, kS_SS, 0, kSimd) \
  V(I16x8Eq, 0xfd, 0x2d, "i16x8.eq", kNone, kS_SS, 0, kSimd) \
  V(I16x8Ne, 0xfd, 0x2e, "i16x8.ne", kNone, kS_SS, 0, kSimd) \
  V(I16x8LtS, 0xfd, 0x2f, "i16x8.lt_s", kNone, kS_SS, 0, kSimd) \
  V(I16x8LtU, 0xfd, 0x30, "i16x8.lt_u", kNone, kS_SS, 0, kSimd) \
  V(I16x8GtS, 0xfd, 0x31, "i16x8.gt_s", kNone, kS_SS, 0, kSimd) \
  V(I16x8GtU, 0xfd, 0x32, "i16x8.gt_u", kNone, kS_SS, 0, kSimd) \
  V(I16x8LeS, 0xfd, 0x33, "i16x8.le_s", kNone, kS_SS, 0, kSimd) \
  V(I16x8LeU, 0xfd, 0x34, "i16x8.le_u", kNone, kS_SS, 0, kSimd) \
  V(I16x8GeS, 0xfd, 0x35, "i16x8.ge_s", kNone, kS_SS, 0, kSimd) \
  V(I16x8GeU, 0xfd, 0x36, "i16x8.ge_u", kNone, kS_SS, 0, kSimd) \
  V(I32x4Eq, 0xfd, 0x37, "i32x4.eq", kNone, kS_SS, 0, kSimd) \
  V(I32x4Ne, 0xfd, 0x38, "i32x4.ne", kNone, kS_SS, 0, kSimd) \
  V(I32x4LtS, 0xfd, 0x39, "i32x4.lt_s", kNone, kS_SS, 0, kSimd) \
  V(I32x4LtU, 0xfd, 0x3a, "i32x4.lt_u", kNone, kS_SS, 0, kSimd) \
  V(I32x4GtS, 0xfd, 0x3b, "i32x4.gt_s", kNone, kS_SS, 0, kSimd) \
  V(I32x4GtU, 0xfd, 0x3c, "i32x4.gt_u", kNone, kS_SS, 0, kSimd) \
  V(I32x4LeS, 0xfd, 0x3d, "i32x4.le_s", kNone, kS_SS, 0, kSimd) \
  V(I32x4LeU, 0xfd, 0x3e, "i32x4.le_u", kNone, kS_SS, 0, kSimd) \
  V(I32x4GeS, 0xfd, 0x3f, "i32x4.ge_s", kNone, kS_SS, 0, kSimd) \
  V(I32x4GeU, 0xfd, 0x40, "i32x4.ge_u", kNone, kS_SS, 0, kSimd) \
  V(F32x4Eq, 0xfd, 0x41, "f32x4.eq", kNone, kS_SS, 0, kSimd) \
  V(F32x4Ne, 0xfd, 0x42, "f32x4.ne", kNone, kS_SS, 0, kSimd) \
  V(F32x4Lt, 0xfd, 0x43, "f32x4.lt", kNone, kS_SS, 0, kSimd) \
  V(F32x4Gt, 0xfd, 0x44, "f32x4.gt", kNone, kS_SS, 0, kSimd) \
  V(F32x4Le, 0xfd, 0x45, "f32x4.le", kNone, kS_SS, 0, kSimd) \
  V(F32x4Ge, 0xfd, 0x46, "f32x4.ge", kNone, kS_SS, 0, kSimd) \
  V(F64x2Eq, 0xfd, 0x47, "f64x2.eq", kNone, kS_SS, 0, kSimd) \
  V(F64x2Ne, 0xfd, 0x48, "f64x2.ne", kNone, kS_SS, 0, kSimd) \
  V(F64x2Lt, 0xfd, 0x49, "f64x2.lt", kNone, kS_SS, 0, kSimd) \
  V(F64x2Gt, 0xfd, 0x4a, "f64x2.gt", kNone, kS_SS, 0, kSimd) \
  V(F64x2Le, 0xfd, 0x4b, "f64x2.le", kNone, kS_SS, 0, kSimd) \
  V(F64x2Ge, 0xfd, 0x4c, "f64x2.ge", kNone, kS_SS, 0, kSimd) \
  V(V128Not, 0xfd, 0x4d, "v128.not", kNone, kS_S, 0, kSimd) \
  V(V128And, 0xfd, 0x4e, "v128.and", kNone, kS_SS, 0, kSimd) \
  V(V128Andnot, 0xfd, 0x4f, "v128.andnot", kNone, kS_SS, 0, kSimd) \
  V(V128Or, 0xfd, 0x50, "v128.or", kNone, kS_SS, 0, kSimd) \
  V(V128Xor, 0xfd, 0x51, "v128.xor", kNone, kS_SS, 0, kSimd) \
  V(V128Bitselect, 0xfd, 0x52, "v128.bitselect", kNone, kS_SSS, 0, kSimd) \
  V(V128AnyTrue, 0xfd, 0x53, "v128.any_true", kNone, kI_S, 0, kSimd) \
  V(V128Load8Lane, 0xfd, 0x54, "v128.load8_lane", kMemArgLane, kS_IS, 0, kSimd) \
  V(V128Load16Lane, 0xfd, 0x55, "v128.load16_lane", kMemArgLane, kS_IS, 1, kSimd) \
  V(V128Load32Lane, 0xfd, 0x56, "v128.load32_lane", kMemArgLane, kS_IS, 2, kSimd) \
  V(V128Load64Lane, 0xfd, 0x57, "v128.load64_lane", kMemArgLane, kS_IS, 3, kSimd) \
  V(V128Store8Lane, 0xfd, 0x58, "v128.store8_lane", kMemArgLane, kV_IS, 0, kSimd) \
  V(V128Store16Lane, 0xfd, 0x59, "v128.store16_lane", kMemArgLane, kV_IS, 1, kSimd) \
  V(V128Store32Lane, 0xfd, 0x5a, "v128.store32_lane", kMemArgLane, kV_IS, 2, kSimd) \
  V(V128Store64Lane, 0xfd, 0x5b, "v128.store64_lane", kMemArgLane, kV_IS, 3, kSimd) \
  V(V128Load32Zero, 0xfd, 0x5c, "v128.load32_zero", kMemArg, kS_I, 2, kSimd) \
  V(V128Load64Zero, 0xfd, 0x5d, "v128.load64_zero", kMemArg, kS_I, 3, kSimd) \
  V(F32x4DemoteF64x2Zero, 0xfd, 0x5e, "f32x4.demote_f64x2_zero", kNone, kS_S, 0, kSimd) \
  V(F64x2PromoteLowF32x4, 0xfd, 0x5f, "f64x2.promote_low_f32x4", kNone, kS_S, 0, kSimd) \
  V(I8x16Abs, 0xfd, 0x60, "i8x16.abs", kNone, kS_S, 0, kSimd) \
  V(I8x16Neg, 0xfd, 0x61, "i8x16.neg", kNone, kS_S, 0, kSimd) \
  V(I8x16Popcnt, 0xfd, 0x62, "i8x16.popcnt", kNone, kS_S, 0, kSimd) \
  V(I8x16AllTrue, 0xfd, 0x63, "i8x16.all_true", kNone, kI_S, 0, kSimd) \
  V(I8x16Bitmask, 0xfd, 0x64, "i8x16.bitmask", kNone, kI_S, 0, kSimd) \
  V(I8x16NarrowI16x8S, 0xfd, 0x65, "i8x16.narrow_i16x8_s", kNone, kS_SS, 0, kSimd) \
  V(I8x16NarrowI16x8U, 0xfd, 0x66, "i8x16.narrow_i16x8_u", kNone, kS_SS, 0, kSimd) \
  V(F32x4Ceil, 0xfd, 0x67, "f32x4.ceil", kNone, kS_S, 0, kSimd) \
  V(F32x4Floor, 0xfd, 0x68, "f32x4.floor", kNone, kS_S, 0, kSimd) \
  V(F32x4Trunc, 0xfd, 0x69, "f32x4.trunc", kNone, kS_S, 0, kSimd) \
  V(F32x4Nearest, 0xfd, 0x6a, "f32x4.nearest", kNone, kS_S, 0, kSimd) \
  V(I8x16Shl, 0xfd, 0x6b, "i8x16.shl", kNone, kS_SI, 0, kSimd) \
  V(I8x16ShrS, 0xfd, 0x6c, "i8x16.shr_s", kNone, kS_SI, 0, kSimd) \
  V(I8x16ShrU, 0xfd, 0x6d, "i8x16.shr_u", kNone, kS_SI, 0, kSimd) \
  V(I8x16Add, 0xfd, 0x6e, "i8x16.add", kNone, kS_SS, 0, kSimd) \
  V(I8x16AddSatS, 0xfd, 0x6f, "i8x16.add_sat_s", kNone, kS_SS, 0, kSimd) \
  V(I8x16AddSatU, 0xfd, 0x70, "i8x16.add_sat_u", kNone, kS_SS, 0, kSimd) \
  V(I8x16Sub, 0xfd, 0x71, "i8x16.sub", kNone, kS_SS, 0, kSimd) \
  V(I8x16SubSatS, 0xfd, 0x72, "i8x16.sub_sat_s", kNone, kS_SS, 0, kSimd) \
  V(I8x16SubSatU, 0xfd, 0x73, "i8x16.sub_sat_u", kNone, kS_SS, 0, kSimd) \
  V(F64x2Ceil, 0xfd, 0x74, "f64x2.ceil", kNone, kS_S, 0, kSimd) \
  V(F64x2Floor, 0xfd, 0x75, "f64x2.floor", kNone, kS_S, 0, kSimd) \
  V(I8x16MinS, 0xfd, 0x76, "i8x16.min_s", kNone, kS_SS, 0, kSimd) \
  V(I8x16MinU, 0xfd, 0x77, "i8x16.min_u", kNone, kS_SS, 0, kSimd) \
  V(I8x16MaxS, 0xfd, 0x78, "i8x16.max_s", kNone, kS_SS, 0, kSimd) \
  V(I8x16MaxU, 0xfd, 0x79, "i8x16.max_u", kNone, kS_SS, 0, kSimd) \
  V(F64x2Trunc, 0xfd, 0x7a, "f64x2.trunc", kNone, kS_S, 0, kSimd) \
  V(I8x16AvgrU, 0xfd, 0x7b, "i8x16.avgr_u", kNone, kS_SS, 0, kSimd) \
  V(I16x8ExtaddPairwiseI8x16S, 0xfd, 0x7c, "i16x8.extadd_pairwise_i8x16_s", kNone, kS_S, 0, kSimd) \
  V(I16x8ExtaddPairwiseI8x16U, 0xfd, 0x7d, "i16x8.extadd_pairwise_i8x16_u", kNone, kS_S, 0, kSimd) \
  V(I32x4ExtaddPairwiseI16x8S, 0xfd, 0x7e, "i32x4.extadd_pairwise_i16x8_s", kNone, kS_S, 0, kSimd) \
  V(I32x4ExtaddPairwiseI16x8U, 0xfd, 0x7f, "i32x4.extadd_pairwise_i16x8_u", kNone, kS_S, 0, kSimd) \
  V(I16x8Abs, 0xfd, 0x80, "i16x8.abs", kNone, kS_S, 0, kSimd) \
  V(I16x8Neg, 0xfd, 0x81, "i16x8.neg", kNone, kS_S, 0, kSimd) \
  V(I16x8Q15mulrSatS, 0xfd, 0x82, "i16x8.q15mulr_sat_s", kNone, kS_SS, 0, kSimd) \
  V(I16x8AllTrue, 0xfd, 0x83, "i16x8.all_true", kNone, kI_S, 0, kSimd) \
  V(I16x8Bitmask, 0xfd, 0x84, "i16x8.bitmask", kNone, kI_S, 0, kSimd) \
  V(I16x8NarrowI32x4S, 0xfd, 0x85, "i16x8.narrow_i32x4_s", kNone, kS_SS, 0, kSimd) \
  V(I16x8NarrowI32x4U, 0xfd, 0x86, "i16x8.narrow_i32x4_u", kNone, kS_SS, 0, kSimd) \
  V(I16x8ExtendLowI8x16S, 0xfd, 0x87, "i16x8.extend_low_i8x16_s", kNone, kS_S, 0, kSimd) \
  V(I16x8ExtendHighI8x16S, 0xfd, 0x88, "i16x8.extend_high_i8x16_s", kNone, kS_S, 0, kSimd) \
  V(I16x8ExtendLowI8x16U, 0xfd, 0x89, "i16x8.extend_low_i8x16_u", kNone, kS_S, 0, kSimd) \
  V(I16x8ExtendHighI8x16U, 0xfd, 0x8a, "i16x8.extend_high_i8x16_u", kNone, kS_S, 0, kSimd) \
  V(I16x8Shl, 0xfd, 0x8b, "i16x8.shl", kNone, kS_SI, 0, kSimd) \
  V(I16x8ShrS, 0xfd, 0x8c, "i16x8.shr_s", kNone, kS_SI, 0, kSimd) \
  V(I16x8ShrU, 0xfd, 0x8d, "i16x8.shr_u", kNone, kS_SI, 0, kSimd) \
  V(I16x8Add, 0xfd, 0x8e, "i16x8.add", kNone, kS_SS, 0, kSimd) \
  V(I16x8AddSatS, 0xfd, 0x8f, "i16x8.add_sat_s", kNone, kS_SS, 0, kSimd) \
  V(I16x8AddSatU, 0xfd, 0x90, "i16x8.add_sat_u", kNone, kS_SS, 0, kSimd) \
  V(I16x8Sub, 0xfd, 0x91, "i16x8.sub", kNone, kS_SS, 0, kSimd) \
  V(I16x8SubSatS, 0xfd, 0x92, "i16x8.sub_sat_s", kNone, kS_SS, 0, kSimd) \
  V(I16x8SubSatU, 0xfd, 0x93, "i16x8.sub_sat_u", kNone, kS_SS, 0, kSimd) \
  V(F64x2Nearest, 0xfd, 0x94, "f64x2.nearest", kNone, kS_S, 0, kSimd) \
  V(I16x8Mul, 0xfd, 0x95, "i16x8.mul", kNone, kS_SS, 0, kSimd) \
  V(I16x8MinS, 0xfd, 0x96, "i16x8.min_s", kNone, kS_SS, 0, kSimd) \
  V(I16x8MinU, 0xfd, 0x97, "i16x8.min_u", kNone, kS_SS, 0, kSimd) \
  V(I16x8MaxS, 0xfd, 0x98, "i16x8.max_s", kNone, kS_SS, 0, kSimd) \
  V(I16x8MaxU, 0xfd, 0x99, "i16x8.max_u", kNone, kS_SS, 0, kSimd) \
  V(I16x8AvgrU, 0xfd, 0x9b, "i16x8.avgr_u", kNone, kS_SS, 0, kSimd) \
  V(I16x8ExtmulLowI8x16S, 0xfd, 0x9c, "i16x8.extmul_low_i8x16_s", kNone, kS_SS, 0, kSimd) \
  V(I16x8ExtmulHighI8x16S, 0xfd, 0x9d, "i16x8.extmul_high_i8x16_s", kNone, kS_SS, 0, kSimd) \
  V(I16x8ExtmulLowI8x16U, 0xfd, 0x9e, "i16x8.extmul_low_i8x16_u", kNone, kS_SS, 0, kSimd) \
  V(I16x8ExtmulHighI8x16U, 0xfd, 0x9f, "i16x8.extmul_high_i8x16_u", kNone, kS_SS, 0, kSimd) \
  V(I32x4Abs, 0xfd, 0xa0, "i32x4.abs", kNone, kS_S, 0, kSimd) \
  V(I32x4Neg, 0xfd, 0xa1, "i32x4.neg", kNone, kS_S, 0, kSimd) \
  V(I32x4AllTrue, 0xfd, 0xa3, "i32x4.all_true", kNone, kI_S, 0, kSimd) \
  V(I32x4Bitmask, 0xfd, 0xa4, "i32x4.bitmask", kNone, kI_S, 0, kSimd) \
  V(I32x4ExtendLowI16x8S, 0xfd, 0xa7, "i32x4.extend_low_i16x8_s", kNone, kS_S, 0, kSimd) \
  V(I32x4ExtendHighI16x8S, 0xfd, 0xa8, "i32x4.extend_high_i16x8_s", kNone, kS_S, 0, kSimd) \
  V(I32x4ExtendLowI16x8U, 0xfd, 0xa9, "i32x4.extend_low_i16x8_u", kNone, kS_S, 0, kSimd) \
  V(I32x4ExtendHighI16x8U, 0xfd, 0xaa, "i32x4.extend_high_i16x8_u", kNone, kS_S, 0, kSimd) \
  V(I32x4Shl, 0xfd, 0xab, "i32x4.shl", kNone, kS_SI, 0, kSimd) \
  V(I32x4ShrS, 0xfd, 0xac, "i32x4.shr_s", kNone, kS_SI, 0, kSimd) \
  V(I32x4ShrU, 0xfd, 0xad, "i32x4.shr_u", kNone, kS_SI, 0, kSimd) \
  V(I32x4Add, 0xfd, 0xae, "i32x4.add", kNone, kS_SS, 0, kSimd) \
  V(I32x4Sub, 0xfd, 0xb1, "i32x4.sub", kNone, kS_SS, 0, kSimd) \
  V(I32x4Mul, 0xfd, 0xb5, "i32x4.mul", kNone, kS_SS, 0, kSimd) \
  V(I32x4MinS, 0xfd, 0xb6, "i32x4.min_s", kNone, kS_SS, 0, kSimd) \
  V(I32x4MinU, 0xfd, 0xb7, "i32x4.min_u", kNone, kS_SS, 0, kSimd) \
  V(I32x4MaxS, 0xfd, 0xb8, "i32x4.max_s", kNone, kS_SS, 0, kSimd) \
  V(I32x4MaxU, 0xfd, 0xb9, "i32x4.max_u", kNone, kS_SS, 0, kSimd) \
  V(I32x4DotI16x8S, 0xfd, 0xba, "i32x4.dot_i16x8_s", kNone, kS_SS, 0, kSimd) \
  V(I32x4ExtmulLowI16x8S, 0xfd, 0xbc, "i32x4.extmul_low_i16x8_s", kNone, kS_SS, 0, kSimd) \
  V(I32x4ExtmulHighI16x8S, 0xfd, 0xbd, "i32x4.extmul_high_i16x8_s", kNone, kS_SS, 0, kSimd) \
  V(I32x4ExtmulLowI16x8U, 0xfd, 0xbe, "i32x4.extmul_low_i16x8_u", kNone, kS_SS, 0, kSimd) \
  V(I32x4ExtmulHighI16x8U, 0xfd, 0xbf, "i32x4.extmul_high_i16x8_u", kNone, kS_SS, 0, kSimd) \
  V(I64x2Abs, 0xfd, 0xc0, "i64x2.abs", kNone, kS_S, 0, kSimd) \
  V(I64x2Neg, 0xfd, 0xc1, "i64x2.neg", kNone, kS_S, 0, kSimd) \
  V(I64x2AllTrue, 0xfd, 0xc3, "i64x2.all_true", kNone, kI_S, 0, kSimd) \
  V(I64x2Bitmask, 0xfd, 0xc4, "i64x2.bitmask", kNone, kI_S, 0, kSimd) \
  V(I64x2ExtendLowI32x4S, 0xfd, 0xc7, "i64x2.extend_low_i32x4_s", kNone, kS_S, 0, kSimd) \
  V(I64x2ExtendHighI32x4S, 0xfd, 0xc8, "i64x2.extend_high_i32x4_s", kNone, kS_S, 0, kSimd) \
  V(I64x2ExtendLowI32x4U, 0xfd, 0xc9, "i64x2.extend_low_i32x4_u", kNone, kS_S, 0, kSimd) \
  V(I64x2ExtendHighI32x4U, 0xfd, 0xca, "i64x2.extend_high_i32x4_u", kNone, kS_S, 0, kSimd) \
  V(I64x2Shl, 0xfd, 0xcb, "i64x2.shl", kNone, kS_SI, 0, kSimd) \
  V(I64x2ShrS, 0xfd, 0xcc, "i64x2.shr_s", kNone, kS_SI, 0, kSimd) \
  V(I64x2ShrU, 0xfd, 0xcd, "i64x2.shr_u", kNone, kS_SI, 0, kSimd) \
  V(I64x2Add, 0xfd, 0xce, "i64x2.add", kNone, kS_SS, 0, kSimd) \
  V(I64x2Sub, 0xfd, 0xd1, "i64x2.sub", kNone, kS_SS, 0, kSimd) \
  V(I64x2Mul, 0xfd, 0xd5, "i64x2.mul", kNone, kS_SS, 0, kSimd) \
  V(I64x2Eq, 0xfd, 0xd6, "i64x2.eq", kNone, kS_SS, 0, kSimd) \
  V(I64x2Ne, 0xfd, 0xd7, "i64x2.ne", kNone, kS_SS, 0, kSimd) \
  V(I64x2LtS, 0xfd, 0xd8, "i64x2.lt_s", kNone, kS_SS, 0, kSimd) \
  V(I64x2GtS, 0xfd, 0xd9, "i64x2.gt_s", kNone, kS_SS, 0, kSimd) \
  V(I64x2LeS, 0xfd, 0xda, "i64x2.le_s", kNone, kS_SS, 0, kSimd) \
  V(I64x2GeS, 0xfd, 0xdb, "i64x2.ge_s", kNone, kS_SS, 0, kSimd) \
  V(I64x2ExtmulLowI32x4S, 0xfd, 0xdc, "i64x2.extmul_low_i32x4_s", kNone, kS_SS, 0, kSimd) \
  V(I64x2ExtmulHighI32x4S, 0xfd, 0xdd, "i64x2.extmul_high_i32x4_s", kNone, kS_SS, 0, kSimd) \
  V(I64x2ExtmulLowI32x4U, 0xfd, 0xde, "i64x2.extmul_low_i32x4_u", kNone, kS_SS, 0, kSimd) \
  V(I64x2ExtmulHighI32x4U, 0xfd, 0xdf, "i64x2.extmul_high_i32x4_u", kNone, kS_SS, 0, kSimd) \
  V(F32x4Abs, 0xfd, 0xe0, "f32x4.abs", kNone, kS_S, 0, kSimd) \
  V(F32x4Neg, 0xfd, 0xe1, "f32x4.neg", kNone, kS_S, 0, kSimd) \
  V(F32x4Sqrt, 0xfd, 0xe3, "f32x4.sqrt", kNone, kS_S, 0, kSimd) \
  V(F32x4Add, 0xfd, 0xe4, "f32x4.add", kNone, kS_SS, 0, kSimd) \
  V(F32x4Sub, 0xfd, 0xe5, "f32x4.sub", kNone, kS_SS, 0, kSimd) \
  V(F32x4Mul, 0xfd, 0xe6, "f32x4.mul", kNone, kS_SS, 0, kSimd) \
  V(F32x4Div, 0xfd, 0xe7, "f32x4.div", kNone, kS_SS, 0, kSimd) \
  V(F32x4Min, 0xfd, 0xe8, "f32x4.min", kNone, kS_SS, 0, kSimd) \
  V(F32x4Max, 0xfd, 0xe9, "f32x4.max", kNone, kS_SS, 0, kSimd) \
  V(F32x4Pmin, 0xfd, 0xea, "f32x4.pmin", kNone, kS_SS, 0, kSimd) \
  V(F32x4Pmax, 0xfd, 0xeb, "f32x4.pmax", kNone, kS_SS, 0, kSimd) \
  V(F64x2Abs, 0xfd, 0xec, "f64x2.abs", kNone, kS_S, 0, kSimd) \
  V(F64x2Neg, 0xfd, 0xed, "f64x2.neg", kNone, kS_S, 0, kSimd) \
  V(F64x2Sqrt, 0xfd, 0xef, "f64x2.sqrt", kNone, kS_S, 0, kSimd) \
  V(F64x2Add, 0xfd, 0xf0, "f64x2.add", kNone, kS_SS, 0, kSimd) \
  V(F64x2Sub, 0xfd, 0xf1, "f64x2.sub", kNone, kS_SS, 0, kSimd) \
  V(F64x2Mul, 0xfd, 0xf2, "f64x2.mul", kNone, kS_SS, 0, kSimd) \
  V(F64x2Div, 0xfd, 0xf3, "f64x2.div", kNone, kS_SS, 0, kSimd) \
  V(F64x2Min, 0xfd, 0xf4, "f64x2.min", kNone, kS_SS, 0, kSimd) \
  V(F64x2Max, 0xfd, 0xf5, "f64x2.max", kNone, kS_SS, 0, kSimd) \
  V(F64x2Pmin, 0xfd, 0xf6, "f64x2.pmin", kNone, kS_SS, 0, kSimd) \
  V(F64x2Pmax, 0xfd, 0xf7, "f64x2.pmax", kNone, kS_SS, 0, kSimd) \
  V(I32x4TruncSatF32x4S, 0xfd, 0xf8, "i32x4.trunc_sat_f32x4_s", kNone, kS_S, 0, kSimd) \
  V(I32x4TruncSatF32x4U, 0xfd, 0xf9, "i32x4.trunc_sat_f32x4_u", kNone, kS_S, 0, kSimd) \
  V(F32x4ConvertI32x4S, 0xfd, 0xfa, "f32x4.convert_i32x4_s", kNone, kS_S, 0, kSimd) \
  V(F32x4ConvertI32x4U, 0xfd, 0xfb, "f32x4.convert_i32x4_u", kNone, kS_S, 0, kSimd) \
  V(I32x4TruncSatF64x2SZero, 0xfd, 0xfc, "i32x4.trunc_sat_f64x2_s_zero", kNone, kS_S, 0, kSimd) \
  V(I32x4TruncSatF64x2UZero, 0xfd, 0xfd, "i32x4.trunc_sat_f64x2_u_zero", kNone, kS_S, 0, kSimd) \
  V(F64x2ConvertLowI32x4S, 0xfd, 0xfe, "f64x2.convert_low_i32x4_s", kNone, kS_S, 0, kSimd) \
  V(F64x2ConvertLowI32x4U, 0xfd, 0xff, "f64x2.convert_low_i32x4_u", kNone, kS_S, 0, kSimd) \
  V(I8x16RelaxedSwizzle, 0xfd, 0x100, "i8x16.relaxed_swizzle", kNone, kS_SS, 0, kRelaxedSimd) \
  V(I32x4RelaxedTruncF32x4S, 0xfd, 0x101, "i32x4.relaxed_trunc_f32x4_s", kNone, kS_S, 0, kRelaxedSimd) \
  V(I32x4RelaxedTruncF32x4U, 0xfd, 0x102, "i32x4.relaxed_trunc_f32x4_u", kNone, kS_S, 0, kRelaxedSimd) \
  V(I32x4RelaxedTruncF64x2SZero, 0xfd, 0x103, "i32x4.relaxed_trunc_f64x2_s_zero", kNone, kS_S, 0, kRelaxedSimd) \
  V(I32x4RelaxedTruncF64x2UZero, 0xfd, 0x104, "i32x4.relaxed_trunc_f64x2_u_zero", kNone, kS_S, 0, kRelaxedSimd) \
  V(F32x4RelaxedMadd, 0xfd, 0x105, "f32x4.relaxed_madd", kNone, kS_SSS, 0, kRelaxedSimd) \
  V(F32x4RelaxedNmadd, 0xfd, 0x106, "f32x4.relaxed_nmadd", kNone, kS_SSS, 0, kRelaxedSimd) \
  V(F64x2RelaxedMadd, 0xfd, 0x107, "f64x2.relaxed_madd", kNone, kS_SSS, 0, kRelaxedSimd) \
  V(F64x2RelaxedNmadd, 0xfd, 0x108, "f64x2.relaxed_nmadd", kNone, kS_SSS, 0, kRelaxedSimd) \
  V(I8x16RelaxedLaneselect, 0xfd, 0x109, "i8x16.relaxed_laneselect", kNone, kS_SSS, 0, kRelaxedSimd) \
  V(I16x8RelaxedLaneselect, 0xfd, 0x10a, "i16x8.relaxed_laneselect", kNone, kS_SSS, 0, kRelaxedSimd) \
  V(I32x4RelaxedLaneselect, 0xfd, 0x10b, "i32x4.relaxed_laneselect", kNone, kS_SSS, 0, kRelaxedSimd) \
  V(I64x2RelaxedLaneselect, 0xfd, 0x10c, "i64x2.relaxed_laneselect", kNone, kS_SSS, 0, kRelaxedSimd) \
  V(F32x4RelaxedMin, 0xfd, 0x10d, "f32x4.relaxed_min", kNone, kS_SS, 0, kRelaxedSimd) \
  V(F32x4RelaxedMax, 0xfd, 0x10e, "f32x4.relaxed_max", kNone, kS_SS, 0, kRelaxedSimd) \
  V(F64x2RelaxedMin, 0xfd, 0x10f, "f64x2.relaxed_min", kNone, kS_SS, 0, kRelaxedSimd) \
  V(F64x2RelaxedMax, 0xfd, 0x110, "f64x2.relaxed_max", kNone, kS_SS, 0, kRelaxedSimd) \
  V(I16x8RelaxedQ15mulrS, 0xfd, 0x111, "i16x8.relaxed_q15mulr_s", kNone, kS_SS, 0, kRelaxedSimd) \
  V(I16x8RelaxedDotI8x16I7x16S, 0xfd, 0x112, "i16x8.relaxed_dot_i8x16_i7x16_s", kNone, kS_SS, 0, kRelaxedSimd) \
  V(I32x4RelaxedDotI8x16I7x16AddS, 0xfd, 0x113, "i32x4.relaxed_dot_i8x16_i7x16_add_s", kNone, kS_SSS, 0, kRelaxedSimd)

// Opcode values: (prefix << 16) | code, e.g. 0x6a (i32.add), 0xFC000A (memory.copy).
enum class Opcode : uint32_t {
#define WASMSTREAM_OPCODE_ENUM(name, prefix, code, text, imm, sig, mem, gate) \
  k##name = (uint32_t{prefix} << 16) | code,
  WASMSTREAM_FOREACH_OPCODE(WASMSTREAM_OPCODE_ENUM)
#undef WASMSTREAM_OPCODE_ENUM
};

constexpr uint8_t PrefixOf(Opcode op) { return static_cast<uint32_t>(op) >> 16; }
constexpr uint32_t CodeOf(Opcode op) { return static_cast<uint32_t>(op) & 0xFFFF; }

struct OpcodeInfo {
  Opcode opcode;
  const char* name;  // text format name, e.g. "i32.add"
  ImmKind imm;
  Sig sig;
  uint8_t mem;  // natural alignment log2, or lane count log2 (see above)
  Gate gate;
};

// The row for (prefix, code), or null when there is none. {prefix} is 0 for
// one-byte opcodes. Does not check the gate.
const OpcodeInfo* LookupOpcode(uint8_t prefix, uint32_t code);
// The row of a known opcode.
const OpcodeInfo& InfoOf(Opcode op);
inline const char* NameOf(Opcode op) { return InfoOf(op).name; }
// Every row, in table order.
std::span<const OpcodeInfo> AllOpcodes();

std::span<const ValueType> SigParams(Sig sig);
std::span<const ValueType> SigResults(Sig sig);

// A generic signature: up to three params, at most one result.
struct SigRow {
  Sig sig;
  ValueType params[3];
  uint8_t num_params;
  ValueType results[1];
  uint8_t num_results;
};
// A bit per Gate, set when {features} open it.
uint32_t GateMask(const Features& features);

}  // namespace wasmstream::wasm

#endif  // WASMSTREAM_WASM_OPCODES_H_
