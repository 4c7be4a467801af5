// Unit tests of the function-body validator, WebAssembly 2.0 families: bytes
// are assembled by hand, each commented; failures check offset and message.
#include "wasm/function_body_decoder.h"

#include <gtest/gtest.h>

#include "wasm/body_test_util.h"
#include "wasm/limits.h"  // kSpecMaxFunctionLocals

namespace wasmstream::wasm::testing {
namespace {

const ValueType kI32 = ValueType::I32();
const ValueType kI64 = ValueType::I64();
const ValueType kF32 = ValueType::F32();
const ValueType kF64 = ValueType::F64();

class FunctionBodyDecoderTest : public BodyTest {
 protected:
  FunctionBodyDecoderTest() {
    v_v_ = AddType({}, {});
    i_v_ = AddType({}, {kI32});
    i_ii_ = AddType({kI32, kI32}, {kI32});
    l_l_ = AddType({kI64}, {kI64});
  }
  uint32_t v_v_, i_v_, i_ii_, l_l_;
};

// ---------------------------------------------------------------- numeric

TEST_F(FunctionBodyDecoderTest, EmptyBody) {
  ExpectValid({0x00,    // no locals
               0x0B},   // end
              v_v_);
}

TEST_F(FunctionBodyDecoderTest, AddParams) {
  ExpectValid({0x00,          // no locals
               0x20, 0x00,    // local.get 0
               0x20, 0x01,    // local.get 1
               0x6A,          // i32.add
               0x0B},         // end
              i_ii_);
}

TEST_F(FunctionBodyDecoderTest, AddWrongOperandType) {
  ExpectInvalid({0x00,                 // no locals
                 0x41, 0x01,           // i32.const 1
                 0x42, 0x02,           // i64.const 2
                 0x6A,                 // i32.add  <- offset 5
                 0x0B},                // end
                i_v_, 5, "type mismatch: instruction requires [i32 i32] but stack has [i32 i64]");
}

TEST_F(FunctionBodyDecoderTest, AddEmptyStack) {
  ExpectInvalid({0x00,     // no locals
                 0x6A,     // i32.add  <- offset 1
                 0x0B},    // end
                i_v_, 1, "type mismatch: instruction requires [i32 i32] but stack has []");
}

TEST_F(FunctionBodyDecoderTest, ConversionsAndComparisons) {
  ExpectValid({0x00,                          // no locals
               0x20, 0x00,                    // local.get 0 (i64)
               0xB9,                          // f64.convert_i64_s
               0xB6,                          // f32.demote_f64
               0xBC,                          // i32.reinterpret_f32
               0xAC,                          // i64.extend_i32_s
               0x20, 0x00,                    // local.get 0
               0x51,                          // i64.eq
               0xAD,                          // i64.extend_i32_u
               0x20, 0x00,                    // local.get 0
               0x7C,                          // i64.add
               0x0B},                         // end
              l_l_);
}

TEST_F(FunctionBodyDecoderTest, FloatConstants) {
  ExpectValid({0x00,                                            // no locals
               0x43, 0x00, 0x00, 0x80, 0x3F,                    // f32.const 1.0
               0x44, 0, 0, 0, 0, 0, 0, 0xF0, 0x3F,              // f64.const 1.0
               0xB6,                                            // f32.demote_f64
               0x5B,                                            // f32.eq
               0x0B},                                           // end
              i_v_);
}

TEST_F(FunctionBodyDecoderTest, SignExtensionGatedByFeature) {
  Bytes body = {0x00,         // no locals
                0x41, 0x01,   // i32.const 1
                0xC0,         // i32.extend8_s  <- offset 3
                0x0B};        // end
  ExpectValid(body, i_v_);
  Disable(Feature::kSignExtension);
  ExpectInvalid(body, i_v_, 3, "illegal opcode c0");
}

TEST_F(FunctionBodyDecoderTest, SaturatingTruncation) {
  ExpectValid({0x00,                            // no locals
               0x43, 0, 0, 0, 0,                // f32.const 0
               0xFC, 0x00,                      // i32.trunc_sat_f32_s
               0x0B},                           // end
              i_v_);
}

TEST_F(FunctionBodyDecoderTest, UnknownOpcode) {
  ExpectInvalid({0x00,    // no locals
                 0xFF,    // not an opcode  <- offset 1
                 0x0B},   // end
                v_v_, 1, "illegal opcode ff");
  ExpectInvalid({0x00,          // no locals
                 0xFC, 0x7F,    // 0xFC 127: not an opcode  <- offset 1
                 0x0B},         // end
                v_v_, 1, "illegal opcode fc 7f");
}

TEST_F(FunctionBodyDecoderTest, ConstLebTooLong) {
  ExpectInvalid({0x00,                                  // no locals
                 0x41, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00,  // i32.const, 6-byte LEB  <- last at 6
                 0x1A, 0x0B},                           // drop, end
                v_v_, 6, "integer representation too long");
}

TEST_F(FunctionBodyDecoderTest, ConstLebUnusedBits) {
  ExpectInvalid({0x00,                                  // no locals
                 0x41, 0xFF, 0xFF, 0xFF, 0xFF, 0x4F,    // i32.const, bad sign bits  <- 5th at 6
                 0x1A, 0x0B},                           // drop, end
                v_v_, 6, "integer too large");
  ExpectValid({0x00,                                    // no locals
               0x41, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F,      // i32.const -1 (5 bytes)
               0x1A, 0x0B},                             // drop, end
              v_v_);
}

// ---------------------------------------------------------------- body framing

TEST_F(FunctionBodyDecoderTest, MissingEnd) {
  ExpectInvalid({0x00,          // no locals
                 0x41, 0x01,    // i32.const 1
                 0x1A},         // drop; no end  <- offset 4
                v_v_, 4, "unexpected end of section or function");
}

TEST_F(FunctionBodyDecoderTest, BytesAfterEnd) {
  ExpectInvalid({0x00,    // no locals
                 0x0B,    // end
                 0x01},   // nop after the end  <- offset 2
                v_v_, 2, "section size mismatch");
}

TEST_F(FunctionBodyDecoderTest, ResultMissing) {
  ExpectInvalid({0x00,    // no locals
                 0x0B},   // end  <- offset 1
                i_v_, 1, "type mismatch: instruction requires [i32] but stack has []");
}

TEST_F(FunctionBodyDecoderTest, ExtraValueAtEnd) {
  ExpectInvalid({0x00,          // no locals
                 0x41, 0x01,    // i32.const 1
                 0x0B},         // end  <- offset 3
                v_v_, 3, "type mismatch: block requires [] but stack has [i32]");
}

// ---------------------------------------------------------------- locals

TEST_F(FunctionBodyDecoderTest, LocalsDeclared) {
  ExpectValid({0x02,          // 2 local entries
               0x01, 0x7E,    // 1 x i64
               0x02, 0x7F,    // 2 x i32
               0x20, 0x03,    // local.get 3 (i32, after param... none: 0=i64,1..2=i32)
               0x0B},         // end
              AddType({kI64}, {kI32}));
}

TEST_F(FunctionBodyDecoderTest, UnknownLocal) {
  ExpectInvalid({0x00,          // no locals
                 0x20, 0x02,    // local.get 2  <- index at 2
                 0x0B},         // end
                i_ii_, 2, "unknown local 2");
}

TEST_F(FunctionBodyDecoderTest, TooManyLocals) {
  uint32_t n = kSpecMaxFunctionLocals;  // with the 2 params, one too many
  ExpectInvalid({0x01,                                            // 1 local entry
                 static_cast<uint8_t>(0x80 | (n & 0x7F)),          // count (LEB)  <- offset 1
                 static_cast<uint8_t>(0x80 | ((n >> 7) & 0x7F)),
                 static_cast<uint8_t>(n >> 14),
                 0x7F,                                            // i32
                 0x41, 0x00,                                      // i32.const 0
                 0x0B},                                           // end
                i_ii_, 1, "too many locals");
}

TEST_F(FunctionBodyDecoderTest, LocalsAtTheLimit) {
  uint32_t n = kSpecMaxFunctionLocals - 2;  // plus the 2 params
  ExpectValid({0x01,                                            // 1 local entry
               static_cast<uint8_t>(0x80 | (n & 0x7F)),          // count (LEB)
               static_cast<uint8_t>(0x80 | ((n >> 7) & 0x7F)),
               static_cast<uint8_t>(n >> 14),
               0x7F,                                            // i32
               0x41, 0x00,                                      // i32.const 0
               0x0B},                                           // end
              i_ii_);
}

TEST_F(FunctionBodyDecoderTest, LocalSetTeeTypes) {
  ExpectValid({0x01, 0x01, 0x7D,       // 1 x f32
               0x43, 0, 0, 0, 0,       // f32.const 0
               0x22, 0x00,             // local.tee 0
               0x21, 0x00,             // local.set 0
               0x0B},                  // end
              v_v_);
  ExpectInvalid({0x01, 0x01, 0x7D,     // 1 x f32
                 0x41, 0x00,           // i32.const 0
                 0x21, 0x00,           // local.set 0  <- offset 5
                 0x0B},                // end
                v_v_, 5, "type mismatch: instruction requires [f32] but stack has [i32]");
}

// ---------------------------------------------------------------- globals

TEST_F(FunctionBodyDecoderTest, Globals) {
  AddGlobal(kI32, /*mutable_=*/false);
  AddGlobal(kF64, /*mutable_=*/true);
  ExpectValid({0x00,                 // no locals
               0x23, 0x01,           // global.get 1
               0x24, 0x01,           // global.set 1
               0x23, 0x00,           // global.get 0
               0x0B},                // end
              i_v_);
  ExpectInvalid({0x00,               // no locals
                 0x41, 0x00,         // i32.const 0
                 0x24, 0x00,         // global.set 0  <- index at 4
                 0x0B},              // end
                v_v_, 4, "global is immutable");
  ExpectInvalid({0x00,               // no locals
                 0x23, 0x02,         // global.get 2  <- index at 2
                 0x0B},              // end
                i_v_, 2, "unknown global 2");
}

// ---------------------------------------------------------------- control

TEST_F(FunctionBodyDecoderTest, BlockWithResult) {
  ExpectValid({0x00,                // no locals
               0x02, 0x7F,          // block (result i32)
               0x41, 0x01,          //   i32.const 1
               0x0B,                // end
               0x0B},               // end
              i_v_);
}

TEST_F(FunctionBodyDecoderTest, BlockResultMismatch) {
  ExpectInvalid({0x00,              // no locals
                 0x02, 0x7F,        // block (result i32)
                 0x42, 0x01,        //   i64.const 1
                 0x0B,              // end  <- offset 5
                 0x0B},             // end
                i_v_, 5, "type mismatch: instruction requires [i32] but stack has [i64]");
}

TEST_F(FunctionBodyDecoderTest, MultiValueBlockWithParams) {
  uint32_t t = AddType({kI32, kI32}, {kI32});
  ExpectValid({0x00,                        // no locals
               0x41, 0x01, 0x41, 0x02,      // i32.const 1, i32.const 2
               0x02, static_cast<uint8_t>(t),  // block (type t): [i32 i32] -> [i32]
               0x6A,                        //   i32.add
               0x0B,                        // end
               0x0B},                       // end
              i_v_);
}

TEST_F(FunctionBodyDecoderTest, BlockTypeIndexUnknown) {
  ExpectInvalid({0x00,          // no locals
                 0x02, 0x30,    // block (type 48)  <- type at 2
                 0x0B, 0x0B},   // end, end
                v_v_, 2, "unknown type 48");
}

TEST_F(FunctionBodyDecoderTest, LoopBranchTakesParams) {
  uint32_t t = AddType({kI32}, {});
  ExpectValid({0x00,                           // no locals
               0x41, 0x00,                     // i32.const 0
               0x03, static_cast<uint8_t>(t),  // loop (type t): [i32] -> []
               0x0C, 0x00,                     //   br 0 (carries [i32])
               0x0B,                           // end
               0x0B},                          // end
              v_v_);
}

TEST_F(FunctionBodyDecoderTest, IfElse) {
  ExpectValid({0x00,              // no locals
               0x41, 0x01,        // i32.const 1
               0x04, 0x7F,        // if (result i32)
               0x41, 0x02,        //   i32.const 2
               0x05,              // else
               0x41, 0x03,        //   i32.const 3
               0x0B,              // end
               0x0B},             // end
              i_v_);
}

TEST_F(FunctionBodyDecoderTest, IfWithoutElseNeedsMatchingTypes) {
  ExpectInvalid({0x00,            // no locals
                 0x41, 0x01,      // i32.const 1
                 0x04, 0x7F,      // if (result i32)
                 0x41, 0x02,      //   i32.const 2
                 0x0B,            // end  <- offset 7 (implicit else yields nothing)
                 0x0B},           // end
                i_v_, 7, "type mismatch: instruction requires [i32] but stack has []");
}

TEST_F(FunctionBodyDecoderTest, ElseWithoutIf) {
  ExpectInvalid({0x00,      // no locals
                 0x05,      // else  <- offset 1
                 0x0B},     // end
                v_v_, 1, "else without matching if");
}

TEST_F(FunctionBodyDecoderTest, BranchUnknownLabel) {
  ExpectInvalid({0x00,          // no locals
                 0x0C, 0x01,    // br 1  <- label at 2
                 0x0B},         // end
                v_v_, 2, "unknown label");
}

TEST_F(FunctionBodyDecoderTest, UnreachableMakesStackPolymorphic) {
  ExpectValid({0x00,      // no locals
               0x00,      // unreachable
               0x6A,      // i32.add (operands of any type)
               0x0B},     // end
              i_v_);
  ExpectInvalid({0x00,            // no locals
                 0x00,            // unreachable
                 0x42, 0x00,      // i64.const 0
                 0x6A,            // i32.add  <- offset 4: a known i64 still mismatches
                 0x0B},           // end
                i_v_, 4, "type mismatch: instruction requires [i32 i32] but stack has [i64]");
}

TEST_F(FunctionBodyDecoderTest, BrIfKeepsValues) {
  ExpectValid({0x00,              // no locals
               0x02, 0x7F,        // block (result i32)
               0x41, 0x01,        //   i32.const 1
               0x41, 0x00,        //   i32.const 0 (condition)
               0x0D, 0x00,        //   br_if 0
               0x0B,              // end
               0x0B},             // end
              i_v_);
}

TEST_F(FunctionBodyDecoderTest, BrTable) {
  ExpectValid({0x00,                    // no locals
               0x02, 0x40,              // block
               0x02, 0x40,              //   block
               0x41, 0x00,              //     i32.const 0
               0x0E, 0x02, 0x00, 0x01, 0x00,  // br_table [0 1] default 0
               0x0B,                    //   end
               0x0B,                    // end
               0x0B},                   // end
              v_v_);
}

TEST_F(FunctionBodyDecoderTest, BrTableArityMismatch) {
  ExpectInvalidPrefix({0x00,                     // no locals
                       0x02, 0x7F,               // block (result i32)
                       0x41, 0x00,               //   i32.const 0
                       0x41, 0x00,               //   i32.const 0
                       0x0E, 0x01, 0x00, 0x01,   //   br_table [0] default 1 ([])  <- offset 7
                       0x0B,                     // end
                       0x1A, 0x0B},              // drop, end
                      v_v_, 7, "type mismatch");
}

TEST_F(FunctionBodyDecoderTest, Return) {
  ExpectValid({0x00,          // no locals
               0x41, 0x07,    // i32.const 7
               0x0F,          // return
               0x0B},         // end
              i_v_);
}

// ---------------------------------------------------------------- calls

TEST_F(FunctionBodyDecoderTest, Call) {
  uint32_t callee = AddFunction(i_ii_);
  ExpectValid({0x00,                                  // no locals
               0x41, 0x01, 0x41, 0x02,                // i32.const 1, i32.const 2
               0x10, static_cast<uint8_t>(callee),    // call callee
               0x0B},                                 // end
              i_v_);
  ExpectInvalid({0x00,            // no locals
                 0x10, 0x09,      // call 9  <- index at 2
                 0x0B},           // end
                v_v_, 2, "unknown function 9");
}

TEST_F(FunctionBodyDecoderTest, CallIndirect) {
  AddTable();
  ExpectValid({0x00,                                      // no locals
               0x41, 0x01, 0x41, 0x02,                    // args
               0x41, 0x00,                                // table slot
               0x11, static_cast<uint8_t>(i_ii_), 0x00,   // call_indirect (type i_ii) table 0
               0x0B},                                     // end
              i_v_);
  ExpectInvalid({0x00,                    // no locals
                 0x41, 0x00,              // table slot
                 0x11, 0x00, 0x01,        // call_indirect type 0 table 1  <- table at 5
                 0x0B},                   // end
                v_v_, 5, "unknown table 1");
}

// ---------------------------------------------------------------- parametric

TEST_F(FunctionBodyDecoderTest, Select) {
  ExpectValid({0x00,                    // no locals
               0x41, 0x01, 0x41, 0x02,  // i32.const 1, i32.const 2
               0x41, 0x00,              // condition
               0x1B,                    // select
               0x0B},                   // end
              i_v_);
  ExpectInvalidPrefix({0x00,                    // no locals
                       0x41, 0x01, 0x42, 0x02,  // i32.const 1, i64.const 2
                       0x41, 0x00,              // condition
                       0x1B,                    // select  <- offset 7
                       0x1A, 0x0B},             // drop, end
                      v_v_, 7, "type mismatch");
}

TEST_F(FunctionBodyDecoderTest, SelectOfReferencesNeedsType) {
  ExpectInvalidPrefix({0x00,                 // no locals
                       0xD0, 0x70,           // ref.null func
                       0xD0, 0x70,           // ref.null func
                       0x41, 0x00,           // condition
                       0x1B,                 // select  <- offset 7
                       0x1A, 0x0B},          // drop, end
                      v_v_, 7, "type mismatch");
  ExpectValid({0x00,                         // no locals
               0xD0, 0x70, 0xD0, 0x70,       // ref.null func x2
               0x41, 0x00,                   // condition
               0x1C, 0x01, 0x70,             // select (result funcref)
               0x1A, 0x0B},                  // drop, end
              v_v_);
  ExpectInvalid({0x00,                       // no locals
                 0x41, 0x00, 0x41, 0x00, 0x41, 0x00,  // three i32
                 0x1C, 0x02, 0x7F, 0x7F,     // select with 2 types  <- count at 8
                 0x1A, 0x0B},                // drop, end
                v_v_, 8, "invalid result arity");
}

TEST_F(FunctionBodyDecoderTest, DropEmptyStack) {
  ExpectInvalidPrefix({0x00,    // no locals
                       0x1A,    // drop  <- offset 1
                       0x0B},   // end
                      v_v_, 1, "type mismatch");
}

// ---------------------------------------------------------------- memory

TEST_F(FunctionBodyDecoderTest, LoadStore) {
  AddMemory();
  ExpectValid({0x00,                    // no locals
               0x41, 0x00,              // i32.const 0 (address)
               0x41, 0x00,              // i32.const 0 (address)
               0x28, 0x02, 0x04,        // i32.load align=4 offset=4
               0x36, 0x02, 0x00,        // i32.store align=4
               0x0B},                   // end
              v_v_);
}

TEST_F(FunctionBodyDecoderTest, LoadWithoutMemory) {
  ExpectInvalid({0x00,                  // no locals
                 0x41, 0x00,            // i32.const 0
                 0x28, 0x02, 0x00,      // i32.load  <- offset 3
                 0x1A, 0x0B},           // drop, end
                v_v_, 3, "unknown memory 0");
}

TEST_F(FunctionBodyDecoderTest, AlignmentLargerThanNatural) {
  AddMemory();
  ExpectInvalid({0x00,                  // no locals
                 0x41, 0x00,            // i32.const 0
                 0x2C, 0x01, 0x00,      // i32.load8_s align=2  <- flags at 4
                 0x1A, 0x0B},           // drop, end
                v_v_, 4, "alignment must not be larger than natural");
  ExpectInvalid({0x00,                  // no locals
                 0x41, 0x00,            // i32.const 0
                 0x28, 0x20, 0x00,      // i32.load align=2**32  <- flags at 4
                 0x1A, 0x0B},           // drop, end
                v_v_, 4, "malformed memop flags");
}

TEST_F(FunctionBodyDecoderTest, MemorySizeGrow) {
  AddMemory();
  ExpectValid({0x00,            // no locals
               0x3F, 0x00,      // memory.size
               0x40, 0x00,      // memory.grow
               0x0B},           // end
              i_v_);
  ExpectInvalid({0x00,          // no locals
                 0x3F, 0x01,    // memory.size with a non-zero reserved byte  <- at 2
                 0x0B},         // end
                i_v_, 2, "zero byte expected");
}

TEST_F(FunctionBodyDecoderTest, BulkMemory) {
  AddMemory();
  module_.data_count = 1;
  ExpectValid({0x00,                          // no locals
               0x41, 0x00, 0x41, 0x00, 0x41, 0x00,
               0xFC, 0x08, 0x00, 0x00,        // memory.init 0 0
               0xFC, 0x09, 0x00,              // data.drop 0
               0x41, 0x00, 0x41, 0x00, 0x41, 0x00,
               0xFC, 0x0A, 0x00, 0x00,        // memory.copy 0 0
               0x41, 0x00, 0x41, 0x00, 0x41, 0x00,
               0xFC, 0x0B, 0x00,              // memory.fill 0
               0x0B},                         // end
              v_v_);
  ExpectInvalid({0x00,                        // no locals
                 0xFC, 0x09, 0x01,            // data.drop 1  <- index at 3
                 0x0B},                       // end
                v_v_, 3, "unknown data segment 1");
  module_.data_count.reset();
  ExpectInvalid({0x00,                        // no locals
                 0xFC, 0x09, 0x00,            // data.drop 0  <- offset 1
                 0x0B},                       // end
                v_v_, 1, "data count section required");
}

// ---------------------------------------------------------------- tables, references

TEST_F(FunctionBodyDecoderTest, TableInstructions) {
  AddTable(ValueType::ExternRef());
  AddElem(ValueType::ExternRef());
  ExpectValid({0x00,                          // no locals
               0x41, 0x00, 0x25, 0x00,        // table.get 0
               0xD1, 0x1A,                    // ref.is_null, drop
               0x41, 0x00, 0xD0, 0x6F,        // i32.const 0, ref.null extern
               0x26, 0x00,                    // table.set 0
               0xD0, 0x6F, 0x41, 0x01,        // ref.null extern, i32.const 1
               0xFC, 0x0F, 0x00, 0x1A,        // table.grow 0, drop
               0xFC, 0x10, 0x00, 0x1A,        // table.size 0, drop
               0x41, 0x00, 0x41, 0x00, 0x41, 0x00,
               0xFC, 0x0C, 0x00, 0x00,        // table.init 0 0
               0xFC, 0x0D, 0x00,              // elem.drop 0
               0x0B},                         // end
              v_v_);
  ExpectInvalidPrefix({0x00,                  // no locals
                       0x41, 0x00, 0xD0, 0x70,  // i32.const 0, ref.null func
                       0x26, 0x00,            // table.set 0 (externref table)  <- offset 5
                       0x0B},                 // end
                      v_v_, 5, "type mismatch");
  ExpectInvalid({0x00,                        // no locals
                 0xFC, 0x0D, 0x03,            // elem.drop 3  <- index at 3
                 0x0B},                       // end
                v_v_, 3, "unknown elem segment 3");
}

TEST_F(FunctionBodyDecoderTest, RefFuncMustBeDeclared) {
  uint32_t f = AddFunction(v_v_, /*declared=*/false);
  uint32_t g = AddFunction(v_v_, /*declared=*/true);
  ExpectValid({0x00,                                // no locals
               0xD2, static_cast<uint8_t>(g),       // ref.func g
               0x1A, 0x0B},                         // drop, end
              v_v_);
  ExpectInvalid({0x00,                              // no locals
                 0xD2, static_cast<uint8_t>(f),     // ref.func f  <- index at 2
                 0x1A, 0x0B},                       // drop, end
                v_v_, 2, "undeclared function reference");
}

// ---------------------------------------------------------------- SIMD

TEST_F(FunctionBodyDecoderTest, SimdLanes) {
  ExpectValid({0x00,                                     // no locals
               0xFD, 0x0C, 0, 0, 0, 0, 0, 0, 0, 0,       // v128.const ...
               0, 0, 0, 0, 0, 0, 0, 0,                   //   16 bytes
               0xFD, 0x15, 0x0F,                         // i8x16.extract_lane_s 15
               0x0B},                                    // end
              i_v_);
  ExpectInvalid({0x00,                                   // no locals
                 0xFD, 0x0C, 0, 0, 0, 0, 0, 0, 0, 0,     // v128.const
                 0, 0, 0, 0, 0, 0, 0, 0,
                 0xFD, 0x1B, 0x04,                       // i32x4.extract_lane 4  <- lane at 21
                 0x0B},                                  // end
                i_v_, 21, "invalid lane index");
}

TEST_F(FunctionBodyDecoderTest, SimdShuffleLaneRange) {
  Bytes body = {0x00,                                    // no locals
                0xFD, 0x0C, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,  // v128.const
                0xFD, 0x0C, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,  // v128.const
                0xFD, 0x0D,                              // i8x16.shuffle
                0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 31,
                0x1A, 0x0B};                             // drop, end
  ExpectValid(body, v_v_);
  body[37 + 15] = 32;  // the last lane index  <- offset 52
  ExpectInvalid(body, v_v_, 52, "invalid lane index");
}

TEST_F(FunctionBodyDecoderTest, SimdLoadLane) {
  AddMemory();
  ExpectInvalid({0x00,                                   // no locals
                 0x41, 0x00,                             // i32.const 0
                 0xFD, 0x0C, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                 0xFD, 0x57, 0x03, 0x00, 0x02,           // v128.load64_lane lane 2  <- at 25
                 0x1A, 0x0B},                            // drop, end
                v_v_, 25, "invalid lane index");
}

TEST_F(FunctionBodyDecoderTest, SimdGatedByFeature) {
  Disable(Feature::kSimd);
  ExpectInvalid({0x00,                                   // no locals
                 0xFD, 0x0F,                             // i8x16.splat  <- offset 1
                 0x0B},                                  // end
                v_v_, 1, "illegal opcode fd 0f");
}

}  // namespace
}  // namespace wasmstream::wasm::testing
