// The GC collector (gc_collector.cc) on real modules: garbage far past the
// heap limit is collected, and every kind of root keeps what it reaches
// (locals and operands on the value stack, globals, tables, arrays, exception
// payloads, constant-expression objects, host results, pins, host function
// arguments across a re-entrant call). Each check runs after enough
// allocation that collections did happen (asserted), so a missed root is a
// wrong sum here, and a use after free under --config=asan.
#include <gtest/gtest.h>

#include <cstring>
#include <optional>

#include "wasm/runtime/gc_object.h"
#include "wasm/runtime/instance.h"
#include "wasm/runtime/interpreter.h"
#include "wasm/runtime/runtime_test_util.h"
#include "wasm/runtime/sink_factory.h"

namespace wasmstream::wasm {
namespace {

#include "wasm/runtime/gc_collector_test_modules.inc"

using testing::CompileBytes;

constexpr uint32_t SumTo(uint32_t n) { return n * (n + 1) / 2; }

class GcCollectorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    module_ = CompileBytes(kCollectWasm);
    ASSERT_NE(module_, nullptr);
    // Module type indices: 3 = $keep_t, 4 = $reenter_t.
    FuncInstance* keep = store_.NewHostFunction(*module_, 3, [this](std::span<const Value> args)
                                                    -> Outcome<std::vector<Value>> {
      kept_ = args[0].u.ref;
      store_.Pin(kept_);
      return std::vector<Value>{};
    });
    FuncInstance* reenter = store_.NewHostFunction(
        *module_, 4, [this](std::span<const Value> args) -> Outcome<std::vector<Value>> {
          // The argument stays valid while this call runs, through a
          // collecting call back into wasm.
          uint64_t before = store_.heap().collections();
          Call("churn", {Value::I32(600), Value::I32(65536)});
          EXPECT_GT(store_.heap().collections(), before);
          return Call("sum", {args[0]});
        });
    Imports imports;
    imports.Add("host", "keep", Extern::Func(keep));
    imports.Add("host", "reenter", Extern::Func(reenter));
    auto inst = Instance::Instantiate(store_, module_, imports);
    ASSERT_TRUE(inst.ok()) << inst.error().Format();
    inst_ = inst.value();
  }

  std::vector<Value> Call(std::string_view name, std::vector<Value> args = {}) {
    auto r = inst_->CallExport(name, args);
    EXPECT_TRUE(r.ok()) << name << ": " << (r.ok() ? "" : r.error().Format());
    return r.ok() ? r.value() : std::vector<Value>{};
  }
  uint32_t CallI32(std::string_view name, std::vector<Value> args = {}) {
    auto r = Call(name, std::move(args));
    return r.size() == 1 ? r[0].u.i32 : 0xDEAD'BEEF;
  }
  // Allocates ~39 MiB of garbage: at least two collections at the 16 MiB trigger.
  void Churn() {
    uint64_t before = store_.heap().collections();
    Call("churn", {Value::I32(600), Value::I32(65536)});
    EXPECT_GE(store_.heap().collections(), before + 2);
  }

  Store store_;
  std::shared_ptr<const Module> module_;
  Instance* inst_ = nullptr;
  RefBits kept_ = kNullRef;
};

TEST_F(GcCollectorTest, GarbageFarPastTheLimitIsCollected) {
  store_.heap().set_limit(8u << 20);
  // 2,000 arrays of 64 KiB: 16 times the limit.
  Call("churn", {Value::I32(2000), Value::I32(65536)});
  EXPECT_GT(store_.heap().collections(), 0u);
  EXPECT_LE(store_.heap().bytes(), store_.heap().limit());
}

TEST_F(GcCollectorTest, WithoutCollectionTheSameChurnExhaustsTheHeap) {
  // The control for the test above: the limit is what it says.
  store_.heap().set_limit(8u << 20);
  GcHeap::NoCollectScope no_collect(store_.heap());
  auto r = inst_->CallExport("churn", std::vector<Value>{Value::I32(2000), Value::I32(65536)});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().Format(), "RangeError: GC heap exhausted");
  EXPECT_EQ(store_.heap().collections(), 0u);
}

TEST_F(GcCollectorTest, ValueStackRootsSurvive) {
  uint64_t before = store_.heap().collections();
  EXPECT_EQ(CallI32("in_local", {Value::I32(1000)}), SumTo(1000));
  EXPECT_EQ(CallI32("on_operand_stack", {Value::I32(1000)}), SumTo(1000));
  EXPECT_GE(store_.heap().collections(), before + 4);
}

TEST_F(GcCollectorTest, GlobalTableArrayAndExceptionRootsSurvive) {
  Call("to_global", {Value::I32(1000)});
  Call("to_table", {Value::I32(500)});
  Call("to_array", {Value::I32(10), Value::I32(100)});
  Call("to_exception", {Value::I32(200)});
  Churn();
  EXPECT_EQ(CallI32("sum_global"), SumTo(1000));
  EXPECT_EQ(CallI32("sum_table"), SumTo(500));
  EXPECT_EQ(CallI32("sum_array"), 10 * SumTo(100));
  EXPECT_EQ(CallI32("sum_exception"), SumTo(200));
}

TEST_F(GcCollectorTest, ConstantExpressionObjectsSurvive) {
  Churn();
  EXPECT_EQ(CallI32("sum_consts"), 7u + 11u + 31u);
}

TEST_F(GcCollectorTest, UnreachableObjectsAreFreed) {
  Call("to_global", {Value::I32(10000)});
  store_.CollectGarbage();
  size_t with_list = store_.heap().objects();
  uint64_t bytes_with_list = store_.heap().bytes();
  EXPECT_GE(with_list, 10000u);
  Call("clear_global");
  store_.CollectGarbage();
  EXPECT_LE(store_.heap().objects(), with_list - 10000);
  EXPECT_LT(store_.heap().bytes(), bytes_with_list);
}

TEST_F(GcCollectorTest, HostResultsStayRootedUntilTheirScopeCloses) {
  std::vector<Value> list = Call("make", {Value::I32(1000)});  // no scope: kept
  ASSERT_EQ(list.size(), 1u);
  Churn();
  EXPECT_EQ(CallI32("sum", {list[0]}), SumTo(1000));

  store_.CollectGarbage();
  size_t baseline = store_.heap().objects();
  {
    HostRootScope scope(store_);
    std::vector<Value> scoped = Call("make", {Value::I32(1000)});
    store_.CollectGarbage();
    EXPECT_EQ(store_.heap().objects(), baseline + 1000);
    EXPECT_EQ(CallI32("sum", {scoped[0]}), SumTo(1000));
  }
  store_.CollectGarbage();
  EXPECT_EQ(store_.heap().objects(), baseline);
}

TEST_F(GcCollectorTest, PinnedReferencesSurviveUntilUnpinned) {
  store_.CollectGarbage();
  size_t baseline = store_.heap().objects();
  Call("give_host", {Value::I32(300)});
  ASSERT_TRUE(IsGcRef(kept_));
  Churn();
  Value list = Value::Ref(ValueType::Ref(HeapType::Abstract(AbstractHeap::kAny), true), kept_);
  EXPECT_EQ(CallI32("sum", {list}), SumTo(300));
  store_.Unpin(kept_);
  store_.CollectGarbage();
  EXPECT_EQ(store_.heap().objects(), baseline);
}

TEST_F(GcCollectorTest, HostFunctionArgumentsLiveThroughAReentrantCollection) {
  EXPECT_EQ(CallI32("host_reenters", {Value::I32(400)}), SumTo(400));
}

TEST_F(GcCollectorTest, ThrownExceptionsAreCollected) {
  // ~48 bytes each: 400,000 pass the 16 MiB trigger.
  Call("throw_loop", {Value::I32(400'000)});
  EXPECT_GT(store_.heap().collections(), 0u);
  EXPECT_LT(store_.live_exceptions(), 400'000u);
  Call("to_exception", {Value::I32(50)});
  Call("throw_loop", {Value::I32(400'000)});
  EXPECT_EQ(CallI32("sum_exception"), SumTo(50));
}

// The heap's address lookup (the collector's conservative stack scan): exact
// object addresses only, small cells and large blocks, none once freed.
TEST(GcHeapTest, FindObjectKnowsExactlyTheLiveObjects) {
  GcHeap heap;
  std::vector<GcObject*> objects;
  for (uint64_t payload : {0u, 8u, 24u, 240u, 241u, 4096u, 100000u}) {
    for (int i = 0; i < 3; ++i) {
      objects.push_back(heap.Allocate(0, true, 0, payload));
      ASSERT_NE(objects.back(), nullptr);
    }
  }
  for (GcObject* o : objects) {
    auto addr = reinterpret_cast<uintptr_t>(o);
    EXPECT_EQ(heap.FindObject(addr), o);
    EXPECT_EQ(heap.FindObject(addr + 8), nullptr);
    EXPECT_EQ(heap.FindObject(addr - 8), nullptr);
  }
  EXPECT_EQ(heap.FindObject(0), nullptr);
  EXPECT_EQ(heap.FindObject(UINTPTR_MAX & ~uintptr_t{7}), nullptr);
  // Keep every other object; the rest are freed and no longer found.
  for (size_t i = 0; i < objects.size(); i += 2) objects[i]->marked = 1;
  heap.Sweep();
  EXPECT_EQ(heap.objects(), (objects.size() + 1) / 2);
  for (size_t i = 0; i < objects.size(); ++i) {
    auto addr = reinterpret_cast<uintptr_t>(objects[i]);
    if (i % 2 == 0) {
      EXPECT_EQ(heap.FindObject(addr), objects[i]) << i;
      EXPECT_EQ(objects[i]->marked, 0) << "Sweep clears the marks";
    } else {
      EXPECT_EQ(heap.FindObject(addr), nullptr) << i;
    }
  }
}

TEST(GcHeapTest, ObjectsAreZeroedAndFreedCellsAreReused) {
  GcHeap heap;
  GcObject* a = heap.Allocate(3, false, 0, 16);
  ASSERT_NE(a, nullptr);
  std::memset(a->data(), 0xAB, 16);
  heap.Sweep();  // unmarked: freed
  EXPECT_EQ(heap.objects(), 0u);
  EXPECT_EQ(heap.bytes(), 0u);
  GcObject* b = heap.Allocate(4, false, 0, 16);
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->type, 4u);
  for (int i = 0; i < 16; ++i) EXPECT_EQ(b->data()[i], 0) << i;
  EXPECT_EQ(heap.bytes(), 32u);
}

TEST(GcCollectorStartTest, StartFunctionCollectsWhileConstantObjectsLive) {
  Store store;
  store.heap().set_limit(8u << 20);  // the start function churns ~39 MiB
  auto module = CompileBytes(kStartChurnWasm);
  ASSERT_NE(module, nullptr);
  auto inst = Instance::Instantiate(store, module, Imports{});
  ASSERT_TRUE(inst.ok()) << inst.error().Format();
  EXPECT_GT(store.heap().collections(), 0u);
  auto r = inst.value()->CallExport("get", {});
  ASSERT_TRUE(r.ok()) << r.error().Format();
  EXPECT_EQ(r.value()[0].u.i32, 42u);
}

}  // namespace
}  // namespace wasmstream::wasm
