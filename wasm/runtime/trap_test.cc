// One test per trap kind, each through a real module: compiled by the
// StreamingCompiler with the interpreter's CodeSink, run by the interpreter.
#include <gtest/gtest.h>

#include <cmath>

#include "wasm/runtime/instance.h"
#include "wasm/runtime/interpreter.h"
#include "wasm/runtime/limits.h"
#include "wasm/runtime/runtime_test_util.h"

namespace wasmstream::wasm {
namespace {

class TrapTest : public ::testing::Test {
 protected:
  Instance* Load(const std::string& wat) {
    auto m = testing::Compile(wat);
    EXPECT_NE(m, nullptr);
    if (!m) return nullptr;
    auto inst = Instance::Instantiate(store_, m, Imports());
    EXPECT_TRUE(inst.ok()) << inst.error().Format();
    return inst.ok() ? inst.value() : nullptr;
  }
  Instance* LoadBytes(const std::vector<uint8_t>& bytes) {
    auto m = CompileRunnable(bytes, Features::All());
    EXPECT_TRUE(m.ok()) << m.error().Format();
    if (!m.ok()) return nullptr;
    auto inst = Instance::Instantiate(store_, m.value(), Imports());
    EXPECT_TRUE(inst.ok()) << inst.error().Format();
    return inst.ok() ? inst.value() : nullptr;
  }
  // Calls {name} and returns the error's message ("" when it returned).
  std::string Trap(Instance* inst, const char* name, std::vector<Value> args = {},
                   ErrorKind kind = ErrorKind::kRuntimeError) {
    auto r = inst->CallExport(name, args);
    if (r.ok()) return "";
    EXPECT_EQ(r.error().kind, kind) << r.error().Format();
    return r.error().message;
  }
  Store store_;
};

TEST_F(TrapTest, Unreachable) {
  Instance* i = Load(R"((module (func (export "f") unreachable)))");
  ASSERT_NE(i, nullptr);
  EXPECT_EQ(Trap(i, "f"), "unreachable");
}

TEST_F(TrapTest, IntegerDivideByZero) {
  Instance* i = Load(R"((module
    (func (export "div32") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
    (func (export "rem64") (param i64 i64) (result i64) (i64.rem_u (local.get 0) (local.get 1)))))");
  ASSERT_NE(i, nullptr);
  EXPECT_EQ(Trap(i, "div32", {Value::I32(7), Value::I32(0)}), "integer divide by zero");
  EXPECT_EQ(Trap(i, "rem64", {Value::I64(7), Value::I64(0)}), "integer divide by zero");
  auto ok = i->CallExport("div32", std::vector<Value>{Value::I32(-7), Value::I32(2)});
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(static_cast<int32_t>(ok.value()[0].u.i32), -3);
}

TEST_F(TrapTest, IntegerOverflow) {
  Instance* i = Load(R"((module
    (func (export "f") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
    (func (export "r") (param i32 i32) (result i32) (i32.rem_s (local.get 0) (local.get 1)))))");
  ASSERT_NE(i, nullptr);
  EXPECT_EQ(Trap(i, "f", {Value::I32(0x8000'0000u), Value::I32(-1)}), "integer overflow");
  // rem_s of the same operands is 0, not a trap.
  auto r = i->CallExport("r", std::vector<Value>{Value::I32(0x8000'0000u), Value::I32(-1)});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value()[0].u.i32, 0u);
}

TEST_F(TrapTest, InvalidConversionAndOverflowOnTrunc) {
  Instance* i = Load(R"((module
    (func (export "t") (param f64) (result i32) (i32.trunc_f64_s (local.get 0)))
    (func (export "sat") (param f64) (result i32) (i32.trunc_sat_f64_s (local.get 0)))))");
  ASSERT_NE(i, nullptr);
  EXPECT_EQ(Trap(i, "t", {Value::F64(NAN)}), "invalid conversion to integer");
  EXPECT_EQ(Trap(i, "t", {Value::F64(3e9)}), "integer overflow");
  auto r = i->CallExport("t", std::vector<Value>{Value::F64(-2147483648.9)});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(static_cast<int32_t>(r.value()[0].u.i32), INT32_MIN);
  auto s = i->CallExport("sat", std::vector<Value>{Value::F64(3e9)});
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s.value()[0].u.i32, 0x7FFF'FFFFu);
}

TEST_F(TrapTest, MemoryOutOfBounds) {
  Instance* i = Load(R"((module (memory 1)
    (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
    (func (export "store") (param i32) (i64.store offset=8 (local.get 0) (i64.const 1)))
    (func (export "fill") (param i32 i32) (memory.fill (local.get 0) (i32.const 0) (local.get 1)))))");
  ASSERT_NE(i, nullptr);
  EXPECT_EQ(Trap(i, "load", {Value::I32(65532)}), "");
  EXPECT_EQ(Trap(i, "load", {Value::I32(65533)}), "out of bounds memory access");
  EXPECT_EQ(Trap(i, "load", {Value::I32(0xFFFF'FFFFu)}), "out of bounds memory access");
  EXPECT_EQ(Trap(i, "store", {Value::I32(65528)}), "out of bounds memory access");
  EXPECT_EQ(Trap(i, "fill", {Value::I32(65000), Value::I32(537)}), "out of bounds memory access");
  EXPECT_EQ(Trap(i, "fill", {Value::I32(65000), Value::I32(536)}), "");
}

TEST_F(TrapTest, TableOutOfBounds) {
  Instance* i = Load(R"((module (table 2 funcref)
    (func (export "get") (param i32) (result funcref) (table.get 0 (local.get 0)))))");
  ASSERT_NE(i, nullptr);
  EXPECT_EQ(Trap(i, "get", {Value::I32(1)}), "");
  EXPECT_EQ(Trap(i, "get", {Value::I32(2)}), "out of bounds table access");
}

TEST_F(TrapTest, CallIndirectFailures) {
  Instance* i = Load(R"((module
    (type $v (func))
    (type $i (func (result i32)))
    (table 3 funcref)
    (elem (i32.const 0) $f)
    (func $f (result i32) (i32.const 42))
    (func (export "call_i") (param i32) (result i32) (call_indirect (type $i) (local.get 0)))
    (func (export "call_v") (param i32) (call_indirect (type $v) (local.get 0)))))");
  ASSERT_NE(i, nullptr);
  auto r = i->CallExport("call_i", std::vector<Value>{Value::I32(0)});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value()[0].u.i32, 42u);
  EXPECT_EQ(Trap(i, "call_v", {Value::I32(0)}), "indirect call type mismatch");
  EXPECT_EQ(Trap(i, "call_i", {Value::I32(1)}), "uninitialized element");
  EXPECT_EQ(Trap(i, "call_i", {Value::I32(3)}), "undefined element");
}

TEST_F(TrapTest, NullFunctionReference) {
  // wabt 1.0.32 cannot assemble call_ref: (func (export "f") (call_ref $t (ref.null $t)))
  const std::vector<uint8_t> bytes = {
      0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,  // preamble
      0x01, 0x04, 0x01, 0x60, 0x00, 0x00,              // type: (func)
      0x03, 0x02, 0x01, 0x00,                          // function: type 0
      0x07, 0x05, 0x01, 0x01, 'f', 0x00, 0x00,         // export "f"
      0x0a, 0x08, 0x01, 0x06, 0x00,                    // code: one body, no locals
      0xd0, 0x00, 0x14, 0x00, 0x0b,                    // ref.null 0, call_ref 0, end
  };
  Instance* i = LoadBytes(bytes);
  ASSERT_NE(i, nullptr);
  EXPECT_EQ(Trap(i, "f"), "null function reference");
}

TEST_F(TrapTest, CallStackExhaustedIsARangeError) {
  Instance* i = Load(R"((module
    (func $r (export "r") (param i32) (result i32) (i32.add (call $r (local.get 0)) (i32.const 1)))))");
  ASSERT_NE(i, nullptr);
  EXPECT_EQ(Trap(i, "r", {Value::I32(0)}, ErrorKind::kRangeError), "call stack exhausted");
  // The stack is usable again afterwards.
  EXPECT_EQ(Trap(i, "r", {Value::I32(0)}, ErrorKind::kRangeError), "call stack exhausted");
}

// Big frames exhaust the value stack (kValueStackSlots) long before the call
// depth limit: the same RangeError, and the stack works again afterwards.
TEST_F(TrapTest, ValueStackExhaustionIsARangeError) {
  // (module (func $r (export "r") (param i32) (result i32) (local i64 × 40000)
  //   (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
  //     (else (i32.add (call $r (i32.sub (local.get 0) (i32.const 1))) (i32.const 1))))))
  // 320 KB of slots per frame; in bytes, since the binary format says
  // "40000 × i64" in one local entry where the text needs 40000 words.
  Instance* i = LoadBytes({
      0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,  // magic, version
      0x01, 0x06, 0x01, 0x60, 0x01, 0x7f, 0x01, 0x7f,  // type 0: (i32) -> (i32)
      0x03, 0x02, 0x01, 0x00,                          // func 0: type 0
      0x07, 0x05, 0x01, 0x01, 'r', 0x00, 0x00,         // export "r": func 0
      0x0a, 0x1b, 0x01, 0x19,                          // code: one body of 25 bytes
      0x01, 0xc0, 0xb8, 0x02, 0x7e,                    //   locals: 40000 × i64
      0x20, 0x00, 0x45, 0x04, 0x7f,                    //   local.get 0, i32.eqz, if (result i32)
      0x41, 0x00, 0x05,                                //     i32.const 0, else
      0x20, 0x00, 0x41, 0x01, 0x6b, 0x10, 0x00,        //     local.get 0, i32.const 1, i32.sub, call 0
      0x41, 0x01, 0x6a, 0x0b, 0x0b,                    //     i32.const 1, i32.add, end, end
  });
  ASSERT_NE(i, nullptr);
  constexpr uint32_t kFrames = kValueStackSlots / 40'000;  // about 200
  static_assert(kFrames < kMaxCallDepth);
  EXPECT_EQ(Trap(i, "r", {Value::I32(kFrames + 10)}, ErrorKind::kRangeError), "call stack exhausted");
  auto r = i->CallExport("r", std::vector<Value>{Value::I32(kFrames / 2)});
  ASSERT_TRUE(r.ok()) << r.error().Format();
  EXPECT_EQ(r.value()[0].u.i32, kFrames / 2);
}

TEST_F(TrapTest, DeepRecursionBelowTheLimitWorks) {
  Instance* i = Load(R"((module
    (func $d (export "d") (param i32) (result i32)
      (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
        (else (i32.add (call $d (i32.sub (local.get 0) (i32.const 1))) (i32.const 1)))))))");
  ASSERT_NE(i, nullptr);
  uint32_t depth = kMaxCallDepth - 10;
  auto r = i->CallExport("d", std::vector<Value>{Value::I32(depth)});
  ASSERT_TRUE(r.ok()) << r.error().Format();
  EXPECT_EQ(r.value()[0].u.i32, depth);
  EXPECT_EQ(Trap(i, "d", {Value::I32(kMaxCallDepth + 10)}, ErrorKind::kRangeError),
            "call stack exhausted");
}

// wasm -> host -> wasm -> … : each host re-entry starts a new activation
// whose frames sit above the ones below it. Deep recursion at every level
// (more frames in all than kMaxCallDepth) works; more than kMaxHostReentry
// levels is a RangeError, after which the Store runs calls as before.
TEST_F(TrapTest, HostReentryNestsActivationsUpToItsLimit) {
  auto m = testing::Compile(R"((module
    (import "env" "reenter" (func $reenter (param i32 i32) (result i32)))
    ;; {n} nested calls, then the host with (n, k); returns n * (levels below + 1).
    (func $down (export "down") (param $n i32) (param $k i32) (result i32)
      (if (result i32) (i32.eqz (local.get $n))
        (then (call $reenter (local.get $n) (local.get $k)))
        (else (i32.add (i32.const 1)
                       (call $down (i32.sub (local.get $n) (i32.const 1)) (local.get $k))))))))");
  ASSERT_NE(m, nullptr);
  Instance* inst = nullptr;
  uint32_t depth = 0;
  FuncInstance* reenter = store_.NewHostFunction(
      FuncType{{ValueType::I32(), ValueType::I32()}, {ValueType::I32()}},
      [&](std::span<const Value> args) -> Outcome<std::vector<Value>> {
        uint32_t k = args[1].u.i32;
        if (k == 0) return std::vector<Value>{Value::I32(0)};
        return inst->CallExport("down", std::vector<Value>{Value::I32(depth), Value::I32(k - 1)});
      });
  Imports imports;
  imports.Add("env", "reenter", Extern::Func(reenter));
  auto made = Instance::Instantiate(store_, m, imports);
  ASSERT_TRUE(made.ok()) << made.error().Format();
  inst = made.value();

  depth = kMaxCallDepth - 10;  // four levels of it: ~80,000 frames
  auto r = inst->CallExport("down", std::vector<Value>{Value::I32(depth), Value::I32(3)});
  ASSERT_TRUE(r.ok()) << r.error().Format();
  EXPECT_EQ(r.value()[0].u.i32, depth * 4);

  depth = 100;
  EXPECT_EQ(Trap(inst, "down", {Value::I32(depth), Value::I32(kMaxHostReentry + 5)},
                 ErrorKind::kRangeError),
            "call stack exhausted");
  r = inst->CallExport("down", std::vector<Value>{Value::I32(depth), Value::I32(2)});
  ASSERT_TRUE(r.ok()) << r.error().Format();
  EXPECT_EQ(r.value()[0].u.i32, depth * 3);
  EXPECT_EQ(store_.stack().frames_top, store_.stack().frames);
  EXPECT_EQ(store_.stack().top, store_.stack().slots);
}

TEST_F(TrapTest, UncaughtExceptionAndCatch) {
  // wabt 1.0.32 cannot assemble try_table, so the bytes are written out:
  //   (tag $e (param i32))
  //   (func $thrower (param i32) (throw $e (local.get 0)))
  //   (func (export "uncaught") (call $thrower (i32.const 5)))
  //   (func (export "caught") (param i32) (result i32)
  //     (block $h (result i32)
  //       (try_table (catch $e $h) (call $thrower (local.get 0)))
  //       (i32.const -1)))
  const std::vector<uint8_t> bytes = {
      0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,  // preamble
      0x01, 0x0d, 0x03,                                // type section, 3 types
      0x60, 0x01, 0x7f, 0x00,                          // 0: [i32] -> []
      0x60, 0x01, 0x7f, 0x01, 0x7f,                    // 1: [i32] -> [i32]
      0x60, 0x00, 0x00,                                // 2: [] -> []
      0x03, 0x04, 0x03, 0x00, 0x02, 0x01,              // function section
      0x0d, 0x03, 0x01, 0x00, 0x00,                    // tag section: tag of type 0
      0x07, 0x15, 0x02,                                // export section, 2 exports
      0x08, 'u', 'n', 'c', 'a', 'u', 'g', 'h', 't', 0x00, 0x01,
      0x06, 'c', 'a', 'u', 'g', 'h', 't', 0x00, 0x02,
      0x0a, 0x22, 0x03,                                // code section, 3 bodies
      0x06, 0x00, 0x20, 0x00, 0x08, 0x00, 0x0b,        // thrower
      0x06, 0x00, 0x41, 0x05, 0x10, 0x00, 0x0b,        // uncaught
      0x12, 0x00,                                      // caught: 18 bytes, no locals
      0x02, 0x7f,                                      //   block (result i32)
      0x1f, 0x40, 0x01, 0x00, 0x00, 0x00,              //   try_table (catch tag 0 label 0)
      0x20, 0x00, 0x10, 0x00,                          //     local.get 0, call 0
      0x0b,                                            //   end
      0x41, 0x7f,                                      //   i32.const -1
      0x0b, 0x0b,                                      // end, end
  };
  Instance* i = LoadBytes(bytes);
  ASSERT_NE(i, nullptr);
  EXPECT_EQ(Trap(i, "uncaught", {}, ErrorKind::kException), "uncaught wasm exception");
  auto r = i->CallExport("caught", std::vector<Value>{Value::I32(77)});
  ASSERT_TRUE(r.ok()) << r.error().Format();
  EXPECT_EQ(r.value()[0].u.i32, 77u);
}

TEST_F(TrapTest, LegacyCatchCatchAllRethrowDelegate) {
  auto m = testing::Compile(R"((module
    (tag $e (param i32))
    (tag $f)
    (func $thrower (param i32) (if (local.get 0) (then (throw $e (local.get 0))) (else (throw $f))))
    ;; catch $e pushes the payload; catch_all gets everything else.
    (func (export "catch") (param i32) (result i32)
      (try (result i32)
        (do (call $thrower (local.get 0)) (i32.const -1))
        (catch $e (i32.const 100) (i32.add))
        (catch_all (i32.const 7))))
    ;; rethrow 0 from inside a catch_all, caught by the outer catch.
    (func (export "rethrow") (param i32) (result i32)
      (try (result i32)
        (do (try (do (call $thrower (local.get 0))) (catch_all (rethrow 0))) (i32.const -1))
        (catch $e)
        (catch $f (i32.const 42))))
    ;; rethrow 1 from a block nested in a catch body reaches the try's catch label.
    (func (export "rethrow1") (result i32)
      (try (result i32)
        (do (try (do (throw $e (i32.const 9))) (catch $e (drop) (block (rethrow 1)))) (i32.const -1))
        (catch $e)))
    ;; delegate 1 skips the catch_all of the enclosing try.
    (func (export "delegate") (param i32) (result i32)
      (try (result i32)
        (do
          (try (result i32)
            (do (try (do (call $thrower (local.get 0))) (delegate 1)) (i32.const -1))
            (catch_all (i32.const -2))))
        (catch $e (i32.const 1000) (i32.add))))
    ;; delegate to the function label: uncaught here.
    (func (export "delegate_out")
      (try (do (call $thrower (i32.const 3))) (delegate 0)))))",
                            Features::All().enable(Feature::kLegacyExceptions));
  ASSERT_NE(m, nullptr);
  auto inst = Instance::Instantiate(store_, m, Imports());
  ASSERT_TRUE(inst.ok()) << inst.error().Format();
  Instance* i = inst.value();
  auto call = [&](const char* name, std::vector<Value> args) -> int32_t {
    auto r = i->CallExport(name, args);
    EXPECT_TRUE(r.ok()) << name << ": " << r.error().Format();
    return r.ok() ? static_cast<int32_t>(r.value()[0].u.i32) : INT32_MIN;
  };
  EXPECT_EQ(call("catch", {Value::I32(5)}), 105);
  EXPECT_EQ(call("catch", {Value::I32(0)}), 7);
  EXPECT_EQ(call("rethrow", {Value::I32(6)}), 6);
  EXPECT_EQ(call("rethrow", {Value::I32(0)}), 42);
  EXPECT_EQ(call("rethrow1", {}), 9);
  EXPECT_EQ(call("delegate", {Value::I32(4)}), 1004);
  EXPECT_EQ(Trap(i, "delegate", {Value::I32(0)}, ErrorKind::kException), "uncaught wasm exception");
  EXPECT_EQ(Trap(i, "delegate_out", {}, ErrorKind::kException), "uncaught wasm exception");
}

// One agent per Store: a matching wait sleeps out its timeout and reports
// "timed-out" (2); an infinite one could never return, so it traps.
TEST_F(TrapTest, AtomicWaitHonoursItsTimeoutAndRefusesToWaitForever) {
  Instance* i = Load(R"((module
    (memory 1 1 shared)
    (func (export "wait32") (param i32 i64) (result i32)
      (memory.atomic.wait32 (i32.const 8) (local.get 0) (local.get 1)))
    (func (export "wait64") (param i64 i64) (result i32)
      (memory.atomic.wait64 (i32.const 8) (local.get 0) (local.get 1)))))");
  ASSERT_NE(i, nullptr);
  auto call = [&](const char* name, Value v, int64_t timeout) -> int64_t {
    auto r = i->CallExport(name, std::vector<Value>{v, Value::I64(static_cast<uint64_t>(timeout))});
    EXPECT_TRUE(r.ok()) << name << ": " << (r.ok() ? "" : r.error().Format());
    return r.ok() ? static_cast<int64_t>(r.value()[0].u.i32) : -1;
  };
  EXPECT_EQ(call("wait32", Value::I32(1), -1), 1);  // not-equal: returns at once
  EXPECT_EQ(call("wait32", Value::I32(0), 0), 2);
  EXPECT_EQ(call("wait32", Value::I32(0), 1'000'000), 2);  // 1 ms
  EXPECT_EQ(call("wait64", Value::I64(0), 1'000), 2);
  EXPECT_EQ(Trap(i, "wait32", {Value::I32(0), Value::I64(static_cast<uint64_t>(-1))}),
            "atomic wait would never return (no other agent can notify)");
  EXPECT_EQ(Trap(i, "wait64", {Value::I64(0), Value::I64(static_cast<uint64_t>(-5))}),
            "atomic wait would never return (no other agent can notify)");
}

TEST_F(TrapTest, AtomicWaitOnUnsharedMemoryTraps) {
  Instance* i = Load(R"((module
    (memory 1 1)
    (func (export "wait32") (result i32)
      (memory.atomic.wait32 (i32.const 0) (i32.const 0) (i64.const 0)))
    (func (export "notify") (result i32)
      (memory.atomic.notify (i32.const 0) (i32.const 1)))))");
  ASSERT_NE(i, nullptr);
  EXPECT_EQ(Trap(i, "wait32", {}), "expected shared memory");
  auto r = i->CallExport("notify", {});  // notify on an unshared memory is fine: 0 woken
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value()[0].u.i32, 0u);
}

TEST_F(TrapTest, TrapInStartFunctionFailsInstantiation) {
  auto m = testing::Compile(R"((module (func $s unreachable) (start $s)))");
  ASSERT_NE(m, nullptr);
  auto inst = Instance::Instantiate(store_, m, Imports());
  ASSERT_FALSE(inst.ok());
  EXPECT_EQ(inst.error().kind, ErrorKind::kRuntimeError);
  EXPECT_EQ(inst.error().message, "unreachable");
}

TEST_F(TrapTest, DataSegmentOutOfBoundsAtInstantiation) {
  auto m = testing::Compile(R"((module (memory 1) (data (i32.const 65535) "ab")))");
  ASSERT_NE(m, nullptr);
  auto inst = Instance::Instantiate(store_, m, Imports());
  ASSERT_FALSE(inst.ok());
  EXPECT_EQ(inst.error().message, "out of bounds memory access");
}

}  // namespace
}  // namespace wasmstream::wasm
