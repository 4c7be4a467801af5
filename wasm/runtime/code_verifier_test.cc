// Compiled code survives the code cache: a module written out and read back
// (wasm/serialization/serializer.h) verifies and behaves exactly like the fresh one;
// damaged code is rejected by the verifier, not run. (Truncated payloads:
// //wasm/serialization:serializer_test.)
#include "wasm/runtime/code_verifier.h"

#include <gtest/gtest.h>

#include "wasm/runtime/instance.h"
#include "wasm/runtime/runtime_test_util.h"
#include "wasm/serialization/serializer.h"

namespace wasmstream::wasm {
namespace {

#include "wasm/runtime/gc_test_modules.inc"

constexpr const char* kWat = R"((module
  (memory 1)
  (table 2 funcref)
  (elem (i32.const 0) $sq $fib)
  (global $g (mut i32) (i32.const 10))
  (type $t (func (param i32) (result i32)))
  (func $sq (param i32) (result i32) (i32.mul (local.get 0) (local.get 0)))
  (func $fib (export "fib") (param i32) (result i32)
    (if (result i32) (i32.lt_s (local.get 0) (i32.const 2)) (then (local.get 0))
      (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                     (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
  (func (export "mix") (param i32 f64) (result f64)
    (local $i i32)
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $i) (local.get 0)))
      (i32.store (i32.mul (local.get $i) (i32.const 4)) (call_indirect (type $t) (local.get $i) (local.get $i)))
      (global.set $g (i32.add (global.get $g) (i32.load (i32.mul (local.get $i) (i32.const 4)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l)))
    (f64.add (local.get 1) (f64.convert_i32_s (global.get $g))))
  (func (export "simd") (param i32) (result i32)
    (i32x4.extract_lane 2 (i32x4.add (i32x4.splat (local.get 0)) (v128.const i32x4 1 2 3 4))))))";

// The code cache's round trip: the whole module written out and loaded back
// (the loader verifies every function's code).
std::shared_ptr<const Module> RoundTrip(const Module& fresh) {
  auto loaded = DeserializeModule(SerializeModule(fresh));
  EXPECT_TRUE(loaded.ok()) << (loaded.ok() ? "" : loaded.error().Format());
  return loaded.ok() ? loaded.value() : nullptr;
}

TEST(CodeVerifierTest, LoadedCodeBehavesLikeFreshCode) {
  auto fresh = testing::Compile(kWat);
  ASSERT_NE(fresh, nullptr);
  auto loaded = RoundTrip(*fresh);
  ASSERT_NE(loaded, nullptr);
  Store store;
  auto a = Instance::Instantiate(store, fresh, Imports());
  auto b = Instance::Instantiate(store, loaded, Imports());
  ASSERT_TRUE(a.ok() && b.ok());
  struct Call {
    const char* name;
    std::vector<Value> args;
  } calls[] = {{"fib", {Value::I32(20)}}, {"mix", {Value::I32(2), Value::F64(0.5)}},
               {"simd", {Value::I32(40)}}, {"mix", {Value::I32(3), Value::F64(1)}}};
  for (const Call& c : calls) {
    SCOPED_TRACE(c.name);
    auto ra = a.value()->CallExport(c.name, c.args);
    auto rb = b.value()->CallExport(c.name, c.args);
    ASSERT_EQ(ra.ok(), rb.ok());
    if (!ra.ok()) {
      EXPECT_EQ(ra.error().message, rb.error().message);
      continue;
    }
    ASSERT_EQ(ra.value().size(), rb.value().size());
    for (size_t i = 0; i < ra.value().size(); ++i) {
      EXPECT_EQ(ToString(ra.value()[i]), ToString(rb.value()[i]));
    }
  }
  // mix(3) traps: call_indirect of table slot 2 is out of the table.
  auto trap = b.value()->CallExport("mix", std::vector<Value>{Value::I32(3), Value::F64(1)});
  ASSERT_FALSE(trap.ok());
  EXPECT_EQ(trap.error().message, "undefined element");
}

TEST(CodeVerifierTest, DamagedCodeFailsVerification) {
  auto fresh = testing::Compile(kWat);
  ASSERT_NE(fresh, nullptr);
  const FunctionCode& good = *fresh->code[2];  // mix
  ASSERT_TRUE(VerifyFunctionCode(*fresh, good).ok());
  auto damaged = [&](auto edit) {
    FunctionCode c = good;
    edit(c);
    return !VerifyFunctionCode(*fresh, c).ok();
  };
  EXPECT_TRUE(damaged([](FunctionCode& c) { c.code[0] = static_cast<uint32_t>(IOp::kCount); }));
  EXPECT_TRUE(damaged([](FunctionCode& c) { c.code.pop_back(); }));
  EXPECT_TRUE(damaged([](FunctionCode& c) { c.frame_slots = c.num_local_slots; }));
  EXPECT_TRUE(damaged([](FunctionCode& c) { c.num_param_slots = 7; }));
  EXPECT_TRUE(damaged([](FunctionCode& c) { c.func_index = 99; }));
  // Every single word set to a huge value: each is either rejected or still
  // a valid program (a raw immediate such as an offset), never unchecked.
  for (size_t i = 0; i < good.code.size(); ++i) {
    FunctionCode c = good;
    c.code[i] = 0x7FFF'FFF0u;
    Status s = VerifyFunctionCode(*fresh, c);
    (void)s;  // must not crash; ASan checks the walk stays in bounds
  }
}

TEST(CodeVerifierTest, LegacyExceptionHandlersRoundTrip) {
  auto fresh = testing::Compile(R"((module
    (tag $e (param i32))
    (func $t (param i32) (throw $e (local.get 0)))
    (func (export "f") (param i32) (result i32)
      (try (result i32)
        (do (try (result i32)
              (do (try (do (call $t (local.get 0))) (delegate 1)) (i32.const -1))
              (catch_all (i32.const -2))))
        (catch $e (drop) (try (result i32) (do (rethrow 1)) (catch $e)))))))",
                                Features::All().enable(Feature::kLegacyExceptions));
  ASSERT_NE(fresh, nullptr);
  auto loaded = RoundTrip(*fresh);
  ASSERT_NE(loaded, nullptr);
  Store store;
  auto b = Instance::Instantiate(store, loaded, Imports());
  ASSERT_TRUE(b.ok());
  auto r = b.value()->CallExport("f", std::vector<Value>{Value::I32(31)});
  ASSERT_TRUE(r.ok()) << r.error().Format();
  EXPECT_EQ(r.value()[0].u.i32, 31u);
  const FunctionCode& good = *fresh->code[1];
  ASSERT_TRUE(VerifyFunctionCode(*fresh, good).ok());
  bool has_delegate = false;
  for (size_t h = 0; h < good.handlers.size(); ++h) {
    FunctionCode c = good;
    if (c.handlers[h].kind == kHandlerDelegate) {
      has_delegate = true;
      c.handlers[h].tag = static_cast<uint32_t>(c.try_regions.size()) + 1;
    } else {
      c.handlers[h].kind = kHandlerDelegate + 1;
    }
    EXPECT_FALSE(VerifyFunctionCode(*fresh, c).ok()) << h;
  }
  EXPECT_TRUE(has_delegate);
}

// GC code words (IOp::kGc, IOp::kBrOnCast) survive the round trip, and the
// verifier checks their type, field and segment immediates.
TEST(CodeVerifierTest, GcCodeRoundTripsAndIsVerified) {
  auto r = CompileRunnable(std::vector<uint8_t>(std::begin(kBasicWasm), std::end(kBasicWasm)),
                           Features::All());
  ASSERT_TRUE(r.ok()) << r.error().Format();
  std::shared_ptr<const Module> fresh = r.value();
  auto loaded = RoundTrip(*fresh);
  ASSERT_NE(loaded, nullptr);
  Store store;
  auto a = Instance::Instantiate(store, fresh, Imports());
  auto b = Instance::Instantiate(store, loaded, Imports());
  ASSERT_TRUE(a.ok() && b.ok());
  auto results = [&](Instance* inst, const char* name, std::vector<Value> args) {
    auto out = inst->CallExport(name, args);
    if (!out.ok()) return out.error().Format();
    std::string s;
    for (const Value& v : out.value()) s += ToString(v) + " ";
    return s;
  };
  for (const char* name : {"array_fill_copy", "global_struct", "eq", "vec_array", "cast_fail",
                           "null_struct", "funcref_test", "roundtrip_eq"}) {
    EXPECT_EQ(results(a.value(), name, {}), results(b.value(), name, {})) << name;
  }
  for (uint32_t kind : {0u, 1u, 2u, 3u, 5u}) {
    // Objects made by the fresh module classify the same in the loaded one:
    // both instances share the Store's canonical types.
    auto made = a.value()->CallExport("make", std::vector<Value>{Value::I32(kind)});
    ASSERT_TRUE(made.ok());
    EXPECT_EQ(results(a.value(), "classify", {made.value()[0]}),
              results(b.value(), "classify", {made.value()[0]}))
        << kind;
  }

  // Damage each GC operation's immediates: the verifier must refuse.
  int gc_ops = 0;
  for (size_t f = fresh->num_imported_functions; f < fresh->code.size(); ++f) {
    const FunctionCode& good = *fresh->code[f];
    for (size_t pc = 0; pc + 5 < good.code.size(); ++pc) {
      if (good.code[pc] != static_cast<uint32_t>(IOp::kGc)) continue;
      Opcode op = static_cast<Opcode>(good.code[pc + 1]);
      if (op == Opcode::kArrayLen || op == Opcode::kRefI31 || op == Opcode::kI31GetS ||
          op == Opcode::kI31GetU) {
        continue;  // no immediates
      }
      FunctionCode c = good;
      c.code[pc + 4] = 0x7FFF'FFF0u;  // a type or heap type that does not exist
      if (!VerifyFunctionCode(*fresh, c).ok()) ++gc_ops;
      else ADD_FAILURE() << "damaged " << InfoOf(op).name << " in function " << f << " verified";
    }
  }
  EXPECT_GT(gc_ops, 20);

  // Raw data bytes must never become references: array.new_data retargeted
  // at an array of anyref ($refs, type 3) is refused.
  ASSERT_EQ(fresh->types[3].kind, CompositeKind::kArray);
  ASSERT_TRUE(fresh->types[3].fields[0].type.is_ref());
  bool found = false;
  for (size_t f = fresh->num_imported_functions; f < fresh->code.size(); ++f) {
    const FunctionCode& good = *fresh->code[f];
    for (size_t pc = 0; pc + 5 < good.code.size(); ++pc) {
      if (good.code[pc] != static_cast<uint32_t>(IOp::kGc) ||
          good.code[pc + 1] != static_cast<uint32_t>(Opcode::kArrayNewData)) {
        continue;
      }
      found = true;
      FunctionCode c = good;
      c.code[pc + 4] = 3;
      EXPECT_FALSE(VerifyFunctionCode(*fresh, c).ok());
    }
  }
  EXPECT_TRUE(found);
}

}  // namespace
}  // namespace wasmstream::wasm
