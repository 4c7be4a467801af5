#include "wasm/runtime/ref_class.h"

#include <gtest/gtest.h>

#include "wasm/runtime/gc_object.h"
#include "wasm/runtime/store.h"

namespace wasmstream::wasm {
namespace {

TEST(RefClassTest, NullIsNullInEveryHierarchy) {
  EXPECT_EQ(ClassifyRef(kNullRef), RefClass::kNull);
  EXPECT_EQ(ClassifyRef(Value::NullExtern().u.ref), RefClass::kNull);
  EXPECT_FALSE(HostValueOf(kNullRef).has_value());
}

TEST(RefClassTest, HostValuesRoundTripIncludingZeroAndMax) {
  for (uint64_t n : {uint64_t{0}, uint64_t{1}, uint64_t{42}, kMaxHostValue}) {
    Value v = Value::Extern(n);
    EXPECT_FALSE(v.is_null());
    EXPECT_EQ(ClassifyRef(v.u.ref), RefClass::kHost);
    ASSERT_TRUE(HostValueOf(v.u.ref).has_value());
    EXPECT_EQ(*HostValueOf(v.u.ref), n);
  }
  EXPECT_NE(Value::Extern(1).u.ref, Value::Extern(2).u.ref);
  EXPECT_EQ(ToString(Value::Extern(7)), "ref.extern 7");
  Value host = Value::Ref(ValueType::Ref(HeapType::Abstract(AbstractHeap::kAny), true),
                          Value::Extern(7).u.ref);
  EXPECT_EQ(ToString(host), "ref.host 7");
}

TEST(RefClassTest, FunctionsExceptionsI31AndObjects) {
  Store store;
  FuncInstance* f = store.NewHostFunction(FuncType{}, [](std::span<const Value>) {
    return Outcome<std::vector<Value>>(std::vector<Value>{});
  });
  EXPECT_EQ(ClassifyRef(Value::Func(f).u.ref), RefClass::kFunc);
  EXPECT_FALSE(HostValueOf(Value::Func(f).u.ref).has_value());

  Exception* e = store.NewException(nullptr, {});
  EXPECT_EQ(ClassifyRef(reinterpret_cast<RefBits>(e) | kRefTagExn), RefClass::kExn);

  for (uint32_t v : {0u, 1u, 0x3FFF'FFFFu, 0x4000'0000u, 0x7FFF'FFFFu, 0xFFFF'FFFFu}) {
    RefBits r = I31Ref(v);
    EXPECT_EQ(ClassifyRef(r), RefClass::kI31) << v;
    EXPECT_EQ(I31GetU(r), v & 0x7FFF'FFFFu);
    EXPECT_EQ(I31GetS(r), static_cast<int32_t>(v << 1) >> 1);
    EXPECT_FALSE(HostValueOf(r).has_value());
  }

  alignas(16) GcObject objs[2];
  objs[1].is_array = 1;
  EXPECT_EQ(ClassifyRef(GcRef(&objs[0])), RefClass::kStruct);
  EXPECT_EQ(ClassifyRef(GcRef(&objs[1])), RefClass::kArray);
  EXPECT_EQ(GcObjectOf(GcRef(&objs[1])), &objs[1]);
}

}  // namespace
}  // namespace wasmstream::wasm
