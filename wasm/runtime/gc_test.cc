// WebAssembly GC in the interpreter, end to end on real modules: structs
// (packed fields, mutability), arrays (every array.* instruction, v128
// elements), i31, ref.eq, casts and br_on_cast against declared subtypes,
// any/extern conversions, GC constant expressions, canonical types across
// modules (casts and import linking), the traps, and the heap limits.
//
// wabt 1.0.32 cannot assemble GC text, so the modules were assembled with
// wasm-tools' parser (npm @bytecodealliance/jco-transpile 0.15.0) and are
// embedded as bytes; the .wat text of each is in gc_test_modules.inc.
#include <gtest/gtest.h>

#include <cstring>

#include "wasm/runtime/gc_object.h"
#include "wasm/runtime/instance.h"
#include "wasm/runtime/interpreter.h"
#include "wasm/runtime/ref_class.h"
#include "wasm/runtime/runtime_test_util.h"
#include "wasm/runtime/sink_factory.h"

namespace wasmstream::wasm {
namespace {

#include "wasm/runtime/gc_test_modules.inc"

using testing::CompileBytes;

ValueType AnyRef() { return ValueType::Ref(HeapType::Abstract(AbstractHeap::kAny), true); }

class GcTest : public ::testing::Test {
 protected:
  void SetUp() override {
    module_ = CompileBytes(kBasicWasm);
    ASSERT_NE(module_, nullptr);
    auto inst = Instance::Instantiate(store_, module_, Imports{});
    ASSERT_TRUE(inst.ok()) << inst.error().Format();
    inst_ = inst.value();
  }
  std::vector<Value> Call(std::string_view name, std::vector<Value> args = {}) {
    auto r = inst_->CallExport(name, args);
    EXPECT_TRUE(r.ok()) << name << ": " << (r.ok() ? "" : r.error().Format());
    return r.ok() ? r.value() : std::vector<Value>{};
  }
  std::vector<uint32_t> CallI32s(std::string_view name, std::vector<Value> args = {}) {
    std::vector<uint32_t> out;
    for (const Value& v : Call(name, std::move(args))) out.push_back(v.u.i32);
    return out;
  }
  std::string Trap(std::string_view name, std::vector<Value> args = {}) {
    auto r = inst_->CallExport(name, args);
    EXPECT_FALSE(r.ok()) << name << " did not trap";
    return r.ok() ? "" : r.error().Format();
  }

  Store store_;
  std::shared_ptr<const Module> module_;
  Instance* inst_ = nullptr;
};

TEST_F(GcTest, PackedStructFieldsExtendAndTruncate) {
  // 0x1FF stored in an i8 is 0xFF, in an i16 0x1FF.
  EXPECT_EQ(CallI32s("packed", {Value::I32(0x1FF)}),
            (std::vector<uint32_t>{0xFFFF'FFFF, 0xFF, 0x1FF, 0x1FF}));
  EXPECT_EQ(CallI32s("packed", {Value::I32(0x8080)}),
            (std::vector<uint32_t>{0xFFFF'FF80, 0x80, 0xFFFF'8080, 0x8080}));
}

TEST_F(GcTest, StructSetAndDefaultsInASubtype) {
  auto r = Call("struct_set", {Value::I64(0x1234'5678'9ABC'DEF0)});
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].u.i64, 0x1234'5678'9ABC'DEF0u);
  EXPECT_EQ(r[1].f64(), 2.5);
}

TEST_F(GcTest, GlobalsInitialisedByGcConstantExpressions) {
  auto r = Call("global_struct");
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0].u.i32, 300u & 0xFF);
  EXPECT_EQ(r[1].u.i32, 0xFFFF'FFFEu);
  EXPECT_EQ(r[2].u.i64, 9u);
  EXPECT_EQ(CallI32s("i31", {Value::I32(0x7FFF'FFFF)}),
            (std::vector<uint32_t>{0xFFFF'FFFF, 0x7FFF'FFFF, 42}));
  EXPECT_EQ(CallI32s("i31", {Value::I32(0x8000'0001)}), (std::vector<uint32_t>{1, 1, 42}));
}

TEST_F(GcTest, NullDereferencesTrapWithTheSpecMessages) {
  EXPECT_EQ(Trap("null_struct"), "RuntimeError: null structure reference");
  EXPECT_EQ(Trap("array_null"), "RuntimeError: null array reference");
  EXPECT_EQ(Trap("i31_null"), "RuntimeError: null i31 reference");
}

TEST_F(GcTest, ArrayBasicsAndBounds) {
  EXPECT_EQ(CallI32s("array_basics", {Value::I32(3)}), (std::vector<uint32_t>{3, 0xFFFF'FFC8, 1}));
  EXPECT_EQ(CallI32s("array_oob", {Value::I32(3)}), (std::vector<uint32_t>{0}));
  EXPECT_EQ(Trap("array_oob", {Value::I32(4)}), "RuntimeError: out of bounds array access");
  EXPECT_EQ(Trap("array_oob", {Value::I32(0xFFFF'FFFF)}), "RuntimeError: out of bounds array access");
  EXPECT_EQ(Trap("array_fill_oob"), "RuntimeError: out of bounds array access");
}

TEST_F(GcTest, ArraysFromSegments) {
  // Data "\01\02\03\04\ff": 2 bytes from offset 3 are 04 ff.
  EXPECT_EQ(CallI32s("array_data", {Value::I32(3), Value::I32(2)}), (std::vector<uint32_t>{2255}));
  EXPECT_EQ(CallI32s("array_data", {Value::I32(0), Value::I32(1)}), (std::vector<uint32_t>{1001}));
  EXPECT_EQ(Trap("array_data", {Value::I32(4), Value::I32(2)}),
            "RuntimeError: out of bounds memory access");
  EXPECT_EQ(Trap("array_new_data_oob"), "RuntimeError: out of bounds memory access");
  EXPECT_EQ(CallI32s("array_elem", {Value::I32(3)}), (std::vector<uint32_t>{7}));
  EXPECT_EQ(Trap("array_elem", {Value::I32(4)}), "RuntimeError: out of bounds table access");
  EXPECT_EQ(Trap("array_init_elem_oob"), "RuntimeError: out of bounds table access");
}

TEST_F(GcTest, ArrayFillCopyInit) {
  // a = [0 0 5 5 5 0 0 0]; copy b[1..4] = 20 30 40 to a[5..8]; init a[0..2]
  // from data offset 3: 04 ff.
  EXPECT_EQ(CallI32s("array_fill_copy"), (std::vector<uint32_t>{0xFF04, 5, 40}));
  EXPECT_EQ(CallI32s("array_copy_overlap"), (std::vector<uint32_t>{1, 4}));
}

TEST_F(GcTest, V128Elements) { EXPECT_EQ(CallI32s("vec_array"), (std::vector<uint32_t>{4 + 6})); }

TEST_F(GcTest, RefEqComparesIdentityAndI31Values) {
  EXPECT_EQ(CallI32s("eq"), (std::vector<uint32_t>{1, 0, 1, 1}));
  EXPECT_EQ(CallI32s("roundtrip_eq"), (std::vector<uint32_t>{1}));
}

TEST_F(GcTest, BrOnCastFollowsDeclaredSubtyping) {
  auto classify = [&](uint32_t kind) {
    std::vector<Value> made = Call("make", {Value::I32(kind)});
    EXPECT_EQ(made.size(), 1u);
    return CallI32s("classify", {made[0]})[0];
  };
  EXPECT_EQ(classify(0), 0u);
  EXPECT_EQ(classify(1), 1u);
  EXPECT_EQ(classify(2), 2u);  // $pt3 <: $pt: the first matching branch wins
  EXPECT_EQ(classify(3), 3u);
  EXPECT_EQ(classify(5), 5u);
  Value host = Value::Ref(AnyRef(), Value::Extern(3).u.ref);
  EXPECT_EQ(CallI32s("classify", {host})[0], 6u);
}

TEST_F(GcTest, RefTestAndCast) {
  Value pt3 = Call("make", {Value::I32(2)})[0];
  Value pt = Call("make", {Value::I32(3)})[0];
  Value i31 = Call("make", {Value::I32(1)})[0];
  Value null = Value::Ref(AnyRef(), kNullRef);
  Value host = Value::Ref(AnyRef(), Value::Extern(3).u.ref);
  EXPECT_EQ(CallI32s("tests", {pt3}), (std::vector<uint32_t>{1, 1, 1, 1, 0}));
  EXPECT_EQ(CallI32s("tests", {pt}), (std::vector<uint32_t>{1, 0, 1, 1, 0}));
  EXPECT_EQ(CallI32s("tests", {i31}), (std::vector<uint32_t>{0, 0, 1, 1, 0}));
  EXPECT_EQ(CallI32s("tests", {null}), (std::vector<uint32_t>{0, 1, 1, 0, 1}));  // eqref is nullable
  EXPECT_EQ(CallI32s("tests", {host}), (std::vector<uint32_t>{0, 0, 0, 1, 0}));
  EXPECT_EQ(Trap("cast_fail"), "RuntimeError: cast failure");
  EXPECT_EQ(CallI32s("br_on_cast_fail", {pt}), (std::vector<uint32_t>{1}));
  EXPECT_EQ(CallI32s("br_on_cast_fail", {i31}), (std::vector<uint32_t>{0}));
  EXPECT_EQ(CallI32s("br_on_cast_fail", {null}), (std::vector<uint32_t>{0}));
  EXPECT_EQ(CallI32s("funcref_test"), (std::vector<uint32_t>{1, 7}));
}

TEST_F(GcTest, HostValuesKeepTheirIdentityThroughConversions) {
  std::vector<Value> any = Call("internalize", {Value::Extern(5)});
  ASSERT_EQ(any.size(), 1u);
  EXPECT_EQ(ClassifyRef(any[0].u.ref), RefClass::kHost);
  EXPECT_EQ(HostValueOf(any[0].u.ref), 5u);
  EXPECT_EQ(ToString(any[0]), "ref.host 5");
  std::vector<Value> ext = Call("externalize", {any[0]});
  ASSERT_EQ(ext.size(), 1u);
  EXPECT_EQ(ext[0].u.ref, Value::Extern(5).u.ref);
  // A struct externalized is still a struct underneath.
  Value pt = Call("make", {Value::I32(3)})[0];
  EXPECT_EQ(ClassifyRef(pt.u.ref), RefClass::kStruct);
  Value ext_pt = Call("externalize", {pt})[0];
  EXPECT_EQ(ClassifyRef(ext_pt.u.ref), RefClass::kStruct);
  EXPECT_FALSE(HostValueOf(ext_pt.u.ref).has_value());
  EXPECT_EQ(ToString(ext_pt), "ref.extern");
  EXPECT_EQ(ClassifyRef(Call("make", {Value::I32(5)})[0].u.ref), RefClass::kArray);
  EXPECT_EQ(ClassifyRef(Call("make", {Value::I32(1)})[0].u.ref), RefClass::kI31);
}

// The host cannot hand wasm a reference of the wrong kind (the JS API's
// ToWebAssemblyValue): a TypeError, not bits the interpreter would misread.
TEST_F(GcTest, HostArgumentsAreTypeChecked) {
  Value host = Value::Ref(AnyRef(), Value::Extern(3).u.ref);
  ValueType externref = ValueType::ExternRef();
  auto r = inst_->CallExport("internalize", std::vector<Value>{Value::Ref(externref, I31Ref(4))});
  EXPECT_TRUE(r.ok());  // an externalized i31 is a fine externref
  r = inst_->CallExport("externalize", std::vector<Value>{Value::Func(inst_->funcs[0])});
  ASSERT_FALSE(r.ok());  // a funcref is not an anyref
  EXPECT_EQ(r.error().kind, ErrorKind::kTypeError);
  EXPECT_NE(r.error().message.find("does not match the parameter type anyref"), std::string::npos)
      << r.error().message;
  r = inst_->CallExport("tests", std::vector<Value>{host});
  EXPECT_TRUE(r.ok());
}

TEST_F(GcTest, ArrayLengthLimitTrapsBeforeAllocating) {
  static_assert(kMaxArrayLength == 0x0800'0000, "array_too_large asks for kMaxArrayLength + 1");
  uint64_t before = store_.heap().bytes();
  EXPECT_EQ(Trap("array_too_large"), "RuntimeError: requested new array is too large");
  EXPECT_EQ(store_.heap().bytes(), before);
}

TEST_F(GcTest, HeapLimitIsARangeErrorNotACrash) {
  EXPECT_EQ(store_.heap().limit(), kMaxGcHeapBytes);
  store_.heap().set_limit(store_.heap().bytes() + (1u << 20));  // room for ~15 64 KiB arrays
  EXPECT_EQ(Trap("alloc_loop", {Value::I32(100)}), "RangeError: GC heap exhausted");
  EXPECT_LE(store_.heap().bytes(), store_.heap().limit());
  // Below the limit allocation still works.
  store_.heap().set_limit(kMaxGcHeapBytes);
  Call("alloc_loop", {Value::I32(2)});
}

TEST(GcLinkTest, EqualRecGroupsInTwoModulesAreOneType) {
  Store store;
  auto a = CompileBytes(kAWasm);
  auto b = CompileBytes(kBWasm);
  auto c = CompileBytes(kCWasm);
  ASSERT_TRUE(a && b && c);
  auto ia = Instance::Instantiate(store, a, Imports{});
  ASSERT_TRUE(ia.ok()) << ia.error().Format();
  Imports imports;
  imports.AddInstance("a", *ia.value());
  auto ib = Instance::Instantiate(store, b, imports);
  ASSERT_TRUE(ib.ok()) << ib.error().Format();
  auto r = ib.value()->CallExport("test", {});
  ASSERT_TRUE(r.ok()) << r.error().Format();
  ASSERT_EQ(r.value().size(), 3u);
  EXPECT_EQ(r.value()[0].u.i32, 11u);
  EXPECT_EQ(r.value()[1].u.i32, 1u);  // same rec group: same canonical type
  EXPECT_EQ(r.value()[2].u.i32, 0u);  // same structure, other rec group: another type
  // A function returning (ref $s) does not match an import returning (ref $other).
  auto ic = Instance::Instantiate(store, c, imports);
  ASSERT_FALSE(ic.ok());
  EXPECT_EQ(ic.error().kind, ErrorKind::kLinkError);
  EXPECT_NE(ic.error().message.find("function type"), std::string::npos);
}

// A host function given a module's import type (as bindings/ does for a JS
// callable) links to that import even when the signature names GC types,
// and its results are checked against them.
TEST(GcLinkTest, HostFunctionOfAModulesTypeLinksAndIsChecked) {
  Store store;
  auto b = CompileBytes(kBWasm);  // imports "a" "mk": (func (result (ref $s)))
  auto a = CompileBytes(kAWasm);
  ASSERT_TRUE(a && b);
  auto ia = Instance::Instantiate(store, a, Imports{});
  ASSERT_TRUE(ia.ok());
  Extern real_mk = *ia.value()->GetExport("mk");
  int calls = 0;
  bool give_wrong = false;
  FuncInstance* host = store.NewHostFunction(
      *b, b->functions[0].type_index, [&](std::span<const Value>) -> Outcome<std::vector<Value>> {
        ++calls;
        if (give_wrong) return std::vector<Value>{Value::Ref(AnyRef(), I31Ref(1))};
        return Invoke(store, real_mk.func, {});
      });
  Imports imports;
  imports.Add("a", "mk", Extern::Func(host));
  auto ib = Instance::Instantiate(store, b, imports);
  ASSERT_TRUE(ib.ok()) << ib.error().Format();
  auto r = ib.value()->CallExport("test", {});
  ASSERT_TRUE(r.ok()) << r.error().Format();
  EXPECT_EQ(r.value()[0].u.i32, 11u);
  EXPECT_EQ(calls, 3);
  give_wrong = true;  // an i31 where (ref $s) is due
  r = ib.value()->CallExport("test", {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kTypeError);
}

// Tags match by canonical type: $t1 and $t2 of one rec group are distinct.
TEST(GcLinkTest, TagImportsMatchByCanonicalType) {
  Store store;
  auto m = CompileBytes(kTagMWasm);
  auto ok = CompileBytes(kTagOkWasm);
  auto bad = CompileBytes(kTagBadWasm);
  ASSERT_TRUE(m && ok && bad);
  auto im = Instance::Instantiate(store, m, Imports{});
  ASSERT_TRUE(im.ok()) << im.error().Format();
  Imports imports;
  imports.AddInstance("M", *im.value());
  auto iok = Instance::Instantiate(store, ok, imports);
  EXPECT_TRUE(iok.ok()) << iok.error().Format();
  auto ibad = Instance::Instantiate(store, bad, imports);
  ASSERT_FALSE(ibad.ok());
  EXPECT_EQ(ibad.error().kind, ErrorKind::kLinkError);
  EXPECT_NE(ibad.error().message.find("tag type"), std::string::npos);
}

}  // namespace
}  // namespace wasmstream::wasm
