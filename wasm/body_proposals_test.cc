// Unit tests of the function-body validator for the WebAssembly 3.0 features:
// tail calls, extended constant expressions, multi-memory, memory64, threads,
// exceptions (legacy and exnref), typed function references, GC, relaxed SIMD.
#include <gtest/gtest.h>

#include "wasm/body_test_util.h"
#include "wasm/function_body_decoder.h"

namespace wasmstream::wasm::testing {
namespace {

const ValueType kI32 = ValueType::I32();
const ValueType kI64 = ValueType::I64();

ValueType RefTo(uint32_t index, bool nullable) {
  return ValueType::Ref(HeapType::Index(index), nullable);
}
ValueType AbstractRef(AbstractHeap h, bool nullable) {
  return ValueType::Ref(HeapType::Abstract(h), nullable);
}

class BodyProposalsTest : public BodyTest {
 protected:
  BodyProposalsTest() {
    module_.features = Features::All();
    v_v_ = AddType({}, {});
    i_v_ = AddType({}, {kI32});
    i_i_ = AddType({kI32}, {kI32});
    l_v_ = AddType({}, {kI64});
  }
  uint32_t v_v_, i_v_, i_i_, l_v_;
};

// ---------------------------------------------------------------- tail calls

TEST_F(BodyProposalsTest, ReturnCall) {
  uint32_t callee = AddFunction(i_i_);
  ExpectValid({0x00,                                   // no locals
               0x41, 0x01,                             // i32.const 1
               0x12, static_cast<uint8_t>(callee),     // return_call callee
               0x0B},                                  // end
              i_v_);
  ExpectInvalidPrefix({0x00,                           // no locals
                       0x41, 0x01,                     // i32.const 1
                       0x12, static_cast<uint8_t>(callee),  // return_call: returns i32  <- 3
                       0x0B},                          // end
                      l_v_, 3, "type mismatch");
}

TEST_F(BodyProposalsTest, ReturnCallGatedByFeature) {
  Disable(Feature::kTailCall);
  ExpectInvalid({0x00,            // no locals
                 0x12, 0x00,      // return_call 0  <- offset 1
                 0x0B},           // end
                v_v_, 1, "illegal opcode 12");
}

// ---------------------------------------------------------------- constant expressions

TEST_F(BodyProposalsTest, ExtendedConstExpr) {
  Bytes expr = {0x41, 0x02,   // i32.const 2
                0x41, 0x03,   // i32.const 3
                0x6A,         // i32.add
                0x0B,         // end
                0xAA};        // (the next section's bytes: not read)
  Result<uint32_t> r = DecodeConstExpr(module_, expr, 50, kI32, 0);
  ASSERT_TRUE(r.ok()) << r.error().Format();
  EXPECT_EQ(r.value(), 6u);
  Disable(Feature::kExtendedConst);
  Result<uint32_t> bad = DecodeConstExpr(module_, expr, 50, kI32, 0);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error(), (CompileError{54, "constant expression required"}));
}

TEST_F(BodyProposalsTest, ConstExprRejectsOtherInstructions) {
  Bytes expr = {0x41, 0x02,   // i32.const 2
                0x45,         // i32.eqz  <- offset 2
                0x0B};        // end
  Result<uint32_t> r = DecodeConstExpr(module_, expr, 0, kI32, 0);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error(), (CompileError{2, "constant expression required"}));
}

TEST_F(BodyProposalsTest, ConstExprGlobals) {
  AddGlobal(kI32, /*mutable_=*/false, /*imported=*/true);
  AddGlobal(kI32, /*mutable_=*/true, /*imported=*/true);
  Bytes get0 = {0x23, 0x00, 0x0B};  // global.get 0, end
  Bytes get1 = {0x23, 0x01, 0x0B};  // global.get 1 (mutable), end
  EXPECT_TRUE(DecodeConstExpr(module_, get0, 0, kI32, 2).ok());
  Result<uint32_t> r = DecodeConstExpr(module_, get1, 0, kI32, 2);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "constant expression required");
  Result<uint32_t> unknown = DecodeConstExpr(module_, get0, 0, kI32, 0);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error(), (CompileError{1, "unknown global 0"}));
}

TEST_F(BodyProposalsTest, ConstExprTypeMismatchAndMissingEnd) {
  Bytes wrong = {0x42, 0x00, 0x0B};  // i64.const 0, end  <- end at 2
  Result<uint32_t> r = DecodeConstExpr(module_, wrong, 0, kI32, 0);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error(),
            (CompileError{2, "type mismatch: instruction requires [i32] but stack has [i64]"}));
  Bytes truncated = {0x41, 0x00};  // i32.const 0, no end
  Result<uint32_t> t = DecodeConstExpr(module_, truncated, 0, kI32, 0);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error(), (CompileError{2, "unexpected end of section or function"}));
}

// ---------------------------------------------------------------- multi-memory, memory64

TEST_F(BodyProposalsTest, MultiMemoryIndex) {
  AddMemory();
  AddMemory(/*is64=*/true);
  ExpectValid({0x00,                      // no locals
               0x42, 0x00,                // i64.const 0 (address in memory 1)
               0x28, 0x42, 0x01, 0x00,    // i32.load align=4 memory=1 offset=0
               0x0B},                     // end
              i_v_);
  ExpectInvalid({0x00,                    // no locals
                 0x41, 0x00,              // i32.const 0
                 0x28, 0x42, 0x02, 0x00,  // i32.load memory=2  <- memory at 5
                 0x0B},                   // end
                i_v_, 5, "unknown memory 2");
  ExpectValid({0x00,                      // no locals
               0x3F, 0x01,                // memory.size 1 (i64)
               0x0B},                     // end
              l_v_);
}

TEST_F(BodyProposalsTest, Memory64Offset) {
  AddMemory();
  ExpectInvalid({0x00,                                      // no locals
                 0x41, 0x00,                                // i32.const 0
                 0x28, 0x02,                                // i32.load align=4
                 0x80, 0x80, 0x80, 0x80, 0x10,              // offset 2^32  <- at 5
                 0x0B},                                     // end
                i_v_, 5, "offset out of range");
}

TEST_F(BodyProposalsTest, MemoryCopyBetweenIndexTypes) {
  AddMemory(/*is64=*/true);
  AddMemory(/*is64=*/false);
  ExpectValid({0x00,                      // no locals
               0x42, 0x00,                // i64.const 0 (dst in memory 0, i64)
               0x41, 0x00,                // i32.const 0 (src in memory 1, i32)
               0x41, 0x00,                // i32.const 0 (n: the smaller index type)
               0xFC, 0x0A, 0x00, 0x01,    // memory.copy 0 1
               0x0B},                     // end
              v_v_);
}

// ---------------------------------------------------------------- threads

TEST_F(BodyProposalsTest, Atomics) {
  AddMemory(false, /*shared=*/true);
  ExpectValid({0x00,                          // no locals
               0x41, 0x00, 0x41, 0x01,        // address, value
               0xFE, 0x1E, 0x02, 0x00,        // i32.atomic.rmw.add align=4
               0x41, 0x00, 0x41, 0x00, 0x42, 0x00,  // address, expected, timeout
               0xFE, 0x01, 0x02, 0x00,        // memory.atomic.wait32
               0x6A,                          // i32.add
               0xFE, 0x03, 0x00,              // atomic.fence
               0x0B},                         // end
              i_v_);
  ExpectInvalid({0x00,                        // no locals
                 0x41, 0x00,                  // address
                 0xFE, 0x10, 0x01, 0x00,      // i32.atomic.load align=2  <- flags at 5
                 0x0B},                       // end
                i_v_, 5, "atomic alignment must be natural");
  ExpectInvalid({0x00,                        // no locals
                 0xFE, 0x03, 0x01,            // atomic.fence with a non-zero byte  <- at 3
                 0x0B},                       // end
                v_v_, 3, "zero byte expected");
}

// ---------------------------------------------------------------- exceptions

TEST_F(BodyProposalsTest, LegacyTryCatch) {
  uint32_t tag_type = AddType({kI32}, {});
  AddTag(tag_type);
  ExpectValid({0x00,              // no locals
               0x06, 0x7F,        // try (result i32)
               0x41, 0x01,        //   i32.const 1
               0x07, 0x00,        // catch 0: pushes [i32]
               0x19,              // catch_all
               0x41, 0x02,        //   i32.const 2
               0x0B,              // end
               0x0B},             // end
              i_v_);
  ExpectInvalid({0x00,            // no locals
                 0x02, 0x40,      // block
                 0x09, 0x00,      //   rethrow 0  <- label at 4
                 0x0B, 0x0B},     // end, end
                v_v_, 4, "invalid rethrow label");
  ExpectInvalid({0x00,            // no locals
                 0x08, 0x00,      // throw 0: needs [i32]  <- offset 1
                 0x0B},           // end
                v_v_, 1, "type mismatch: instruction requires [i32] but stack has []");
  ExpectInvalid({0x00,            // no locals
                 0x08, 0x05,      // throw 5  <- tag at 2
                 0x0B},           // end
                v_v_, 2, "unknown tag 5");
}

TEST_F(BodyProposalsTest, Delegate) {
  ExpectValid({0x00,              // no locals
               0x06, 0x40,        // try
               0x18, 0x00,        // delegate 0 (to the function)
               0x0B},             // end
              v_v_);
  ExpectInvalid({0x00,            // no locals
                 0x06, 0x40,      // try
                 0x18, 0x01,      // delegate 1  <- label at 4
                 0x0B},           // end
                v_v_, 4, "unknown label");
}

TEST_F(BodyProposalsTest, TryTable) {
  uint32_t tag_type = AddType({kI32}, {});
  AddTag(tag_type);
  ExpectValid({0x00,                      // no locals
               0x02, 0x7F,                // block (result i32)
               0x1F, 0x40,                //   try_table
               0x01, 0x00, 0x00, 0x00,    //     1 catch: catch tag 0 -> label 0 ([i32])
               0x0B,                      //   end
               0x41, 0x07,                //   i32.const 7
               0x0B,                      // end
               0x0B},                     // end
              i_v_);
  ExpectInvalid({0x00,                    // no locals
                 0x1F, 0x40,              // try_table
                 0x01, 0x02, 0x00,        //   catch_all -> label 0 (the function: [i32]) <- 4
                 0x0B,                    // end
                 0x41, 0x00,              // i32.const 0
                 0x0B},                   // end
                i_v_, 4, "type mismatch: catch clause does not match its label's types");
  ExpectValid({0x00,                      // no locals
               0x02, 0x69,                // block (result exnref)
               0x1F, 0x40,                //   try_table
               0x01, 0x03, 0x00,          //     catch_all_ref -> label 0
               0x0B,                      //   end
               0xD0, 0x69,                //   ref.null exn
               0x0B,                      // end
               0x0A,                      // throw_ref
               0x0B},                     // end
              v_v_);
}

// ---------------------------------------------------------------- typed function references

TEST_F(BodyProposalsTest, CallRef) {
  uint32_t f = AddFunction(i_i_, /*declared=*/true);
  ExpectValid({0x00,                                 // no locals
               0x41, 0x05,                           // i32.const 5
               0xD2, static_cast<uint8_t>(f),        // ref.func f: (ref i_i)
               0x14, static_cast<uint8_t>(i_i_),     // call_ref i_i
               0x0B},                                // end
              i_v_);
  ExpectInvalidPrefix({0x00,                         // no locals
                       0x41, 0x05,                   // i32.const 5
                       0xD2, static_cast<uint8_t>(f),  // ref.func f
                       0x14, static_cast<uint8_t>(v_v_),  // call_ref v_v: wrong type  <- 5
                       0x0B},                        // end
                      i_v_, 5, "type mismatch");
}

TEST_F(BodyProposalsTest, RefAsNonNullAndBrOnNull) {
  uint32_t t = AddType({RefTo(i_i_, true)}, {RefTo(i_i_, false)});
  ExpectValid({0x00,                        // no locals
               0x20, 0x00,                  // local.get 0 (ref null i_i)
               0xD4,                        // ref.as_non_null
               0x0B},                       // end
              t);
  ExpectValid({0x00,                        // no locals
               0x02, 0x40,                  // block
               0x20, 0x00,                  //   local.get 0
               0xD5, 0x00,                  //   br_on_null 0 -> (ref i_i)
               0x0F,                        //   return
               0x0B,                        // end
               0x00,                        // unreachable
               0x0B},                       // end
              t);
  ExpectInvalidPrefix({0x00,                // no locals
                       0x20, 0x00,          // local.get 0 (nullable)
                       0x0B},               // end: (ref null) is not (ref)  <- 3
                      t, 3, "type mismatch");
}

TEST_F(BodyProposalsTest, BrOnNonNull) {
  uint32_t t = AddType({RefTo(i_i_, true)}, {RefTo(i_i_, false)});
  ExpectValid({0x00,                        // no locals
               0x20, 0x00,                  // local.get 0
               0xD6, 0x00,                  // br_on_non_null 0 (function returns (ref i_i))
               0x00,                        // unreachable
               0x0B},                       // end
              t);
  ExpectInvalidPrefix({0x00,                // no locals
                       0x20, 0x00,          // local.get 0
                       0xD6, 0x00,          // br_on_non_null 0: label [] has no ref  <- 3
                       0x0B},               // end
                      AddType({RefTo(i_i_, true)}, {}), 3, "type mismatch");
}

TEST_F(BodyProposalsTest, NonDefaultableLocalsMustBeSet) {
  uint32_t t = AddType({RefTo(i_i_, false)}, {});
  ExpectInvalid({0x01, 0x01, 0x64, static_cast<uint8_t>(i_i_),  // 1 x (ref i_i)
                 0x20, 0x01,                // local.get 1 (unset)  <- index at 5
                 0x1A, 0x0B},               // drop, end
                t, 5, "uninitialized local 1");
  ExpectValid({0x01, 0x01, 0x64, static_cast<uint8_t>(i_i_),    // 1 x (ref i_i)
               0x20, 0x00, 0x21, 0x01,      // local.set 1 (local.get 0)
               0x20, 0x01, 0x1A,            // local.get 1, drop
               0x0B},                       // end
              t);
  // Set inside a block: unset again after its end.
  ExpectInvalid({0x01, 0x01, 0x64, static_cast<uint8_t>(i_i_),  // 1 x (ref i_i)
                 0x02, 0x40,                // block
                 0x20, 0x00, 0x21, 0x01,    //   local.set 1 (local.get 0)
                 0x0B,                      // end
                 0x20, 0x01,                // local.get 1  <- index at 12
                 0x1A, 0x0B},               // drop, end
                t, 12, "uninitialized local 1");
}

// ---------------------------------------------------------------- GC

TEST_F(BodyProposalsTest, StructNewGetSet) {
  uint32_t s = AddStruct({FieldType{kI32, Packed::kNone, true},
                          FieldType{kI32, Packed::kI8, false}});
  uint8_t si = static_cast<uint8_t>(s);
  ExpectValid({0x00,                          // no locals
               0x41, 0x01, 0x41, 0x02,        // field values
               0xFB, 0x00, si,                // struct.new s
               0xFB, 0x03, si, 0x01,          // struct.get_s s 1
               0x0B},                         // end
              i_v_);
  ExpectInvalid({0x00,                        // no locals
                 0x41, 0x01, 0x41, 0x02,
                 0xFB, 0x00, si,              // struct.new s
                 0x41, 0x03,
                 0xFB, 0x05, si, 0x01,        // struct.set s 1 (immutable)  <- field at 13
                 0x0B},                       // end
                v_v_, 13, "immutable field");
  ExpectInvalidPrefix({0x00,                  // no locals
                       0x41, 0x01, 0x41, 0x02,
                       0xFB, 0x00, si,        // struct.new s
                       0xFB, 0x02, si, 0x01,  // struct.get s 1: packed  <- offset 8
                       0x0B},                 // end
                      i_v_, 8, "type mismatch");
}

TEST_F(BodyProposalsTest, Arrays) {
  uint32_t a = AddArray(FieldType{kI32, Packed::kNone, true});
  uint32_t b = AddArray(FieldType{kI32, Packed::kNone, false});
  uint8_t ai = static_cast<uint8_t>(a), bi = static_cast<uint8_t>(b);
  ExpectValid({0x00,                          // no locals
               0x41, 0x00, 0x41, 0x04,        // value, length
               0xFB, 0x06, ai,                // array.new a
               0xFB, 0x0F,                    // array.len
               0x0B},                         // end
              i_v_);
  ExpectValid({0x00,                          // no locals
               0x41, 0x01, 0x41, 0x02, 0x41, 0x03,
               0xFB, 0x08, ai, 0x03,          // array.new_fixed a 3
               0x41, 0x00,
               0xFB, 0x0B, ai,                // array.get a
               0x0B},                         // end
              i_v_);
  ExpectInvalid({0x00,                        // no locals
                 0x41, 0x00, 0x41, 0x04,
                 0xFB, 0x06, bi,              // array.new b
                 0x41, 0x00, 0x41, 0x01,
                 0xFB, 0x0E, bi,              // array.set b: immutable  <- offset 12
                 0x0B},                       // end
                v_v_, 12, "immutable array");
}

TEST_F(BodyProposalsTest, ArrayNewFixedLengthLimit) {
  uint32_t a = AddArray(FieldType{kI32, Packed::kNone, true});
  ExpectInvalid({0x00,                                  // no locals
                 0x00,                                  // unreachable (pops are free)
                 0xFB, 0x08, static_cast<uint8_t>(a),   // array.new_fixed a
                 0x91, 0x4E,                            //   10001  <- at 5
                 0x1A, 0x0B},                           // drop, end
                v_v_, 5, "array.new_fixed length 10001 exceeds internal limit of 10000");
  ExpectValid({0x00,                                    // no locals
               0x00,                                    // unreachable
               0xFB, 0x08, static_cast<uint8_t>(a),     // array.new_fixed a
               0x90, 0x4E,                              //   10000
               0x1A, 0x0B},                             // drop, end
              v_v_);
}

TEST_F(BodyProposalsTest, I31AndConversions) {
  ExpectValid({0x00,                          // no locals
               0x41, 0x05,                    // i32.const 5
               0xFB, 0x1C,                    // ref.i31
               0xFB, 0x1B,                    // extern.convert_any
               0xFB, 0x1A,                    // any.convert_extern
               0xFB, 0x17, 0x6C,              // ref.cast (ref null i31)
               0xFB, 0x1D,                    // i31.get_s
               0x0B},                         // end
              i_v_);
}

TEST_F(BodyProposalsTest, RefTestAcrossHierarchiesIsInvalid) {
  ExpectInvalidPrefix({0x00,                  // no locals
                       0xD0, 0x70,            // ref.null func
                       0xFB, 0x14, 0x6E,      // ref.test (ref any)  <- offset 3
                       0x0B},                 // end
                      i_v_, 3, "type mismatch");
}

TEST_F(BodyProposalsTest, BrOnCast) {
  uint32_t s = AddStruct({});
  uint32_t t = AddType({AbstractRef(AbstractHeap::kAny, true)}, {RefTo(s, false)});
  ExpectValid({0x00,                              // no locals
               0x20, 0x00,                        // local.get 0 (anyref)
               0xFB, 0x18, 0x01, 0x00, 0x6E, static_cast<uint8_t>(s),  // br_on_cast 0 anyref (ref s)
               0x00,                              // unreachable
               0x0B},                             // end
              t);
  ExpectInvalidPrefix({0x00,                      // no locals
                       0x20, 0x00,                // local.get 0
                       0xFB, 0x18, 0x01, 0x00, 0x70, 0x6E,  // br_on_cast: any is not <: func  <- 3
                       0x00, 0x0B},               // unreachable, end
                      t, 3, "type mismatch");
}

TEST_F(BodyProposalsTest, GcGatedByFeature) {
  Disable(Feature::kGc);
  ExpectInvalid({0x00,                            // no locals
                 0xFB, 0x1C,                      // ref.i31  <- offset 1
                 0x0B},                           // end
                v_v_, 1, "illegal opcode fb 1c");
}

// ---------------------------------------------------------------- relaxed SIMD

TEST_F(BodyProposalsTest, RelaxedSimd) {
  Bytes body = {0x00,                                                // no locals
                0xFD, 0x0C, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                0xFD, 0x0C, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                0xFD, 0x0C, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                0xFD, 0x85, 0x02,                                    // f32x4.relaxed_madd  <- 55
                0x1A, 0x0B};                                         // drop, end
  ExpectValid(body, v_v_);
  Disable(Feature::kRelaxedSimd);
  ExpectInvalid(body, v_v_, 55, "illegal opcode fd 105");
}

}  // namespace
}  // namespace wasmstream::wasm::testing
