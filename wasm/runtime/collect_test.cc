// Store::Collect: runtime objects nothing reaches from the host are freed;
// what a handle, a creation reference, an import object, another instance,
// a table, a global or a GC object reaches is kept (and still works).
#include <gtest/gtest.h>

#include "wasm/runtime/instance.h"
#include "wasm/runtime/interpreter.h"
#include "wasm/runtime/runtime_test_util.h"

namespace wasmstream::wasm {
namespace {

// Own memory, table (holding its own function: a cycle), a global, a tag.
constexpr char kSelfContained[] = R"((module
  (memory (export "mem") 1)
  (data (i32.const 0) "hello")
  (table (export "tab") 2 funcref)
  (elem (i32.const 0) $get)
  (global $g (export "g") (mut i32) (i32.const 7))
  (tag (export "t") (param i32))
  (func $get (export "get") (result i32) (global.get $g))))";

class CollectTest : public ::testing::Test {
 protected:
  std::shared_ptr<const Module> Compile(const char* wat) {
    auto m = testing::Compile(wat);
    EXPECT_NE(m, nullptr);
    return m;
  }
  Handle<Instance> Make(const std::shared_ptr<const Module>& m, const Imports& imports = {}) {
    auto r = Instance::Instantiate(store_, m, imports);
    EXPECT_TRUE(r.ok()) << r.error().Format();
    return r.ok() ? Handle<Instance>::Adopt(r.value()) : Handle<Instance>();
  }
  static int32_t CallI32(Store& store, FuncInstance* f) {
    auto r = Invoke(store, f, {});
    EXPECT_TRUE(r.ok()) << r.error().Format();
    return r.ok() ? static_cast<int32_t>(r.value()[0].u.i32) : -1;
  }
  Store store_;
};

TEST_F(CollectTest, DroppedInstancesAndTheirObjectsAreFreed) {
  auto m = Compile(kSelfContained);
  ASSERT_NE(m, nullptr);
  size_t before = store_.object_count();
  {
    std::vector<Handle<Instance>> held;
    for (int i = 0; i < 50; ++i) held.push_back(Make(m));
    ASSERT_TRUE(store_.Collect());
    EXPECT_EQ(store_.instance_count(), 50u);  // all held
  }
  ASSERT_TRUE(store_.Collect());
  EXPECT_EQ(store_.instance_count(), 0u);
  EXPECT_EQ(store_.object_count(), before);
}

TEST_F(CollectTest, CreationReferenceKeepsAnInstanceForTheStoresLife) {
  auto m = Compile(kSelfContained);
  ASSERT_NE(m, nullptr);
  auto raw = Instance::Instantiate(store_, m, {});
  ASSERT_TRUE(raw.ok());
  ASSERT_TRUE(store_.Collect());
  EXPECT_EQ(store_.instance_count(), 1u);
  EXPECT_EQ(CallI32(store_, raw.value()->GetExport("get")->func), 7);
  Store::Release(raw.value());
  ASSERT_TRUE(store_.Collect());
  EXPECT_EQ(store_.instance_count(), 0u);
}

TEST_F(CollectTest, ExportHeldAloneKeepsWhatItNeeds) {
  auto m = Compile(kSelfContained);
  ASSERT_NE(m, nullptr);
  ExternRef get, mem;
  {
    Handle<Instance> inst = Make(m);
    get = *inst->GetExport("get");
    mem = *inst->GetExport("mem");
  }
  ASSERT_TRUE(store_.Collect());
  // The function keeps its instance (its global, its code) alive.
  EXPECT_EQ(store_.instance_count(), 1u);
  EXPECT_EQ(CallI32(store_, get.func), 7);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(mem.memory->data()), 5), "hello");
  get = ExternRef();
  ASSERT_TRUE(store_.Collect());
  EXPECT_EQ(store_.instance_count(), 0u);  // a memory does not keep its instance
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(mem.memory->data()), 5), "hello");
}

TEST_F(CollectTest, FunctionInAnotherInstancesTableKeepsItsInstance) {
  auto provider = Compile(kSelfContained);
  auto user = Compile(R"((module
    (import "p" "get" (func $get (result i32)))
    (table $t 1 funcref)
    (elem (i32.const 0) $get)
    (type $r (func (result i32)))
    (func (export "call0") (result i32) (call_indirect (type $r) (i32.const 0)))))");
  ASSERT_NE(provider, nullptr);
  ASSERT_NE(user, nullptr);
  Handle<Instance> u;
  {
    Handle<Instance> p = Make(provider);
    Imports imports;
    imports.AddInstance("p", *p);
    u = Make(user, imports);
  }
  ASSERT_TRUE(store_.Collect());
  EXPECT_EQ(store_.instance_count(), 2u);
  EXPECT_EQ(CallI32(store_, u->GetExport("call0")->func), 7);
  u = Handle<Instance>();
  ASSERT_TRUE(store_.Collect());
  EXPECT_EQ(store_.instance_count(), 0u);
}

TEST_F(CollectTest, FuncrefInAnotherInstancesGlobalKeepsItsInstance) {
  auto holder_module = Compile(R"((module
    (global (export "slot") (mut funcref) (ref.null func))
    (type $r (func (result i32)))
    (table $t 1 funcref)
    (func (export "call") (result i32)
      (table.set $t (i32.const 0) (global.get 0))
      (call_indirect $t (type $r) (i32.const 0))
      (table.set $t (i32.const 0) (ref.null func)))))");
  auto provider = Compile(kSelfContained);
  ASSERT_NE(holder_module, nullptr);
  ASSERT_NE(provider, nullptr);
  Handle<Instance> holder = Make(holder_module);
  {
    Handle<Instance> p = Make(provider);
    holder->GetExport("slot")->global->Set(Value::Func(p->GetExport("get")->func));
  }
  ASSERT_TRUE(store_.Collect());
  EXPECT_EQ(store_.instance_count(), 2u);
  EXPECT_EQ(CallI32(store_, holder->GetExport("call")->func), 7);
  holder->GetExport("slot")->global->Set(Value::NullFunc());
  ASSERT_TRUE(store_.Collect());
  EXPECT_EQ(store_.instance_count(), 1u);
}

TEST_F(CollectTest, NoCollectionWhileWasmRuns) {
  auto m = Compile(R"((module (import "env" "cb" (func $cb)) (func (export "f") (call $cb))))");
  ASSERT_NE(m, nullptr);
  bool collected = true;
  FuncInstance* cb = store_.NewHostFunction(FuncType{}, [&](std::span<const Value>) {
    collected = store_.Collect();
    return Outcome<std::vector<Value>>(std::vector<Value>{});
  });
  Imports imports;
  imports.Add("env", "cb", Extern::Func(cb));
  Handle<Instance> inst = Make(m, imports);
  ASSERT_TRUE(Invoke(store_, inst->GetExport("f")->func, {}).ok());
  EXPECT_FALSE(collected);
}

TEST_F(CollectTest, InstantiationCollectsOnItsOwn) {
  // No explicit Collect: the object count stays bounded over many
  // instantiations whose handles are dropped at once.
  auto m = Compile(kSelfContained);
  ASSERT_NE(m, nullptr);
  size_t peak = 0;
  for (int i = 0; i < 5000; ++i) {
    Make(m);
    peak = std::max(peak, store_.object_count());
  }
  EXPECT_LT(peak, 3 * Store::kMinCollectionObjects);
}

}  // namespace
}  // namespace wasmstream::wasm
