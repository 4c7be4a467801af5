#include "wasm/serialization/serializer.h"

#include "wasm/runtime/code.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace wasmstream::wasm {
namespace {

// A module with every kind of field filled (consistent, as the decoder would
// build it); its wire bytes are arbitrary since the serializer never parses them.
Module SampleModule() {
  Module m;
  m.features = Features::Wasm20().enable(Feature::kTailCall);
  std::vector<uint8_t> wire(200);
  for (size_t i = 0; i < wire.size(); ++i) wire[i] = static_cast<uint8_t>(i);
  // The constant expressions the ranges below name (the loader decodes them).
  auto put = [&](size_t at, std::initializer_list<uint8_t> bytes) {
    std::copy(bytes.begin(), bytes.end(), wire.begin() + at);
  };
  put(10, {0xD2, 0x01, 0x0B});        // table init: ref.func 1
  put(20, {0x41, 0x07, 0x0B});        // global: i32.const 7
  put(30, {0x41, 0x00, 0x0B});        // elem offset: i32.const 0
  put(40, {0xD2, 0x82, 0x00, 0x0B});  // passive elem: ref.func 2 (padded LEB)
  put(50, {0x41, 0x00, 0x0B});        // data offset: i32.const 0
  m.wire_bytes = std::move(wire);
  TypeDef f0;
  f0.func.params = {ValueType::I32(), ValueType::I64()};
  f0.func.results = {ValueType::F64()};
  TypeDef f1;
  f1.func.params = {ValueType::Ref(HeapType::Index(0), false)};
  f1.rec_group_start = 1;
  TypeDef s2;
  s2.kind = CompositeKind::kStruct;
  s2.fields = {{ValueType::I32(), Packed::kI8, true}, {ValueType::ExternRef(), Packed::kNone, false}};
  s2.is_final = false;
  s2.rec_group_start = 2;
  m.types = {f0, f1, s2};
  m.imports = {{"env", "f", ExternalKind::kFunction, 0}, {"env", "mem", ExternalKind::kMemory, 0}};
  m.functions = {{0, true, false, {}}, {1, false, true, {100, 20}}, {0, false, false, {120, 30}}};
  m.num_imported_functions = 1;
  m.num_imported_memories = 1;
  m.memories = {{Limits{1, true, 10, false, false}, true, 16}};
  m.tables = {{ValueType::FuncRef(), Limits{2, false, 0, false, false}, false, ConstExpr{{10, 3}}}};
  m.globals = {{ValueType::I32(), true, false, ConstExpr{{20, 3}}}};
  m.tags = {{0, false}};
  m.exports = {{"run", ExternalKind::kFunction, 2}, {"t", ExternalKind::kTable, 0},
               {"g", ExternalKind::kGlobal, 0}};
  m.start = 1;
  ElemSegment e;
  e.offset = ConstExpr{{30, 3}};
  e.func_indices = {1, 2};
  ElemSegment p;
  p.mode = SegmentMode::kPassive;
  p.uses_exprs = true;
  p.exprs = {ConstExpr{{40, 4}}};
  m.elems = {e, p};
  m.data = {{SegmentMode::kActive, 0, ConstExpr{{50, 3}}, {60, 10}},
            {SegmentMode::kPassive, 0, {}, {70, 5}}};
  m.data_count = 2;
  m.custom_sections = {{"name", {150, 20}}, {"producers", {180, 10}}};
  return m;
}

void ExpectSameModule(const Module& a, const Module& b) {
  EXPECT_EQ(a.features, b.features);
  EXPECT_EQ(a.wire_bytes, b.wire_bytes);
  ASSERT_EQ(a.types.size(), b.types.size());
  for (size_t i = 0; i < a.types.size(); ++i) {
    EXPECT_EQ(a.types[i].kind, b.types[i].kind);
    EXPECT_EQ(a.types[i].func, b.types[i].func);
    EXPECT_EQ(a.types[i].fields, b.types[i].fields);
    EXPECT_EQ(a.types[i].is_final, b.types[i].is_final);
    EXPECT_EQ(a.types[i].rec_group_start, b.types[i].rec_group_start);
  }
  ASSERT_EQ(a.imports.size(), b.imports.size());
  for (size_t i = 0; i < a.imports.size(); ++i) {
    EXPECT_EQ(a.imports[i].module, b.imports[i].module);
    EXPECT_EQ(a.imports[i].name, b.imports[i].name);
    EXPECT_EQ(a.imports[i].kind, b.imports[i].kind);
  }
  ASSERT_EQ(a.exports.size(), b.exports.size());
  for (size_t i = 0; i < a.exports.size(); ++i) {
    EXPECT_EQ(a.exports[i].name, b.exports[i].name);
    EXPECT_EQ(a.exports[i].index, b.exports[i].index);
  }
  ASSERT_EQ(a.functions.size(), b.functions.size());
  for (size_t i = 0; i < a.functions.size(); ++i) {
    EXPECT_EQ(a.functions[i].body.offset, b.functions[i].body.offset);
    EXPECT_EQ(a.functions[i].declared, b.functions[i].declared);
  }
  EXPECT_EQ(a.start, b.start);
  EXPECT_EQ(a.data_count, b.data_count);
  ASSERT_EQ(a.custom_sections.size(), b.custom_sections.size());
  EXPECT_EQ(a.custom_sections[1].name, b.custom_sections[1].name);
  EXPECT_EQ(a.tables[0].init.has_value(), b.tables[0].init.has_value());
  EXPECT_EQ(a.memories[0].limits, b.memories[0].limits);
  EXPECT_EQ(a.elems[1].exprs.size(), b.elems[1].exprs.size());
  EXPECT_EQ(a.num_imported_functions, b.num_imported_functions);
  // And byte for byte: serializing the loaded module gives the same bytes.
  EXPECT_EQ(SerializeModule(a), SerializeModule(b));
}

TEST(SerializerTest, RoundTripsEveryField) {
  Module m = SampleModule();
  std::vector<uint8_t> bytes = SerializeModule(m);
  auto loaded = DeserializeModule(bytes);
  ASSERT_TRUE(loaded.ok()) << loaded.error().Format();
  ExpectSameModule(m, *loaded.value());
}

TEST(SerializerTest, WireBytesCanLiveOutsideThePayload) {
  Module m = SampleModule();
  std::vector<uint8_t> bytes = SerializeModule(m, {.omit_wire_bytes = true});
  EXPECT_LT(bytes.size(), SerializeModule(m).size() - 150);
  auto missing = DeserializeModule(bytes);
  ASSERT_FALSE(missing.ok());
  auto loaded = DeserializeModule(bytes, m.wire_bytes);
  ASSERT_TRUE(loaded.ok()) << loaded.error().Format();
  ExpectSameModule(m, *loaded.value());
}

TEST(SerializerTest, EmbeddedWireBytesMustEqualTheStreamedOnes) {
  Module m = SampleModule();
  std::vector<uint8_t> bytes = SerializeModule(m);
  std::vector<uint8_t> other = m.wire_bytes.ToVector();
  other[5] ^= 1;
  auto r = DeserializeModule(bytes, wasm::WireBytes(other));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("wire bytes differ"), std::string::npos);
}

TEST(SerializerTest, EmptyModuleRoundTrips) {
  Module m;
  m.wire_bytes = std::vector<uint8_t>{0, 'a', 's', 'm', 1, 0, 0, 0};
  auto r = DeserializeModule(SerializeModule(m));
  ASSERT_TRUE(r.ok()) << r.error().Format();
  EXPECT_EQ(r.value()->wire_bytes, m.wire_bytes);
}

TEST(SerializerTest, WrongMagicVersionOrFlagsAreRejected) {
  std::vector<uint8_t> good = SerializeModule(SampleModule());
  for (size_t at : {0u, 4u, 8u}) {
    SCOPED_TRACE(at);
    std::vector<uint8_t> bad = good;
    bad[at + 1] ^= 0x40;
    auto r = DeserializeModule(bad);
    ASSERT_FALSE(r.ok());
  }
  std::vector<uint8_t> v2 = good;
  v2[4] = static_cast<uint8_t>(kSerializationFormatVersion + 1);
  auto r = DeserializeModule(v2);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "serialized format version " +
                                   std::to_string(kSerializationFormatVersion + 1) + ", expected " +
                                   std::to_string(kSerializationFormatVersion));
}

TEST(SerializerTest, EveryTruncationFailsCleanly) {
  std::vector<uint8_t> good = SerializeModule(SampleModule());
  for (size_t n = 0; n < good.size(); ++n) {
    SCOPED_TRACE(n);
    auto r = DeserializeModule(std::span(good).first(n));
    EXPECT_FALSE(r.ok());
  }
}

TEST(SerializerTest, TrailingBytesAreRejected) {
  std::vector<uint8_t> bytes = SerializeModule(SampleModule());
  bytes.push_back(0);
  auto r = DeserializeModule(bytes);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("trailing"), std::string::npos);
}

TEST(SerializerTest, EverySingleByteChangeLoadsConsistentlyOrFails) {
  // Any byte may be hostile: the loader either fails or returns a module that
  // passed the consistency checks (run under ASan to catch any stray read).
  std::vector<uint8_t> good = SerializeModule(SampleModule());
  for (size_t i = 0; i < good.size(); ++i) {
    for (uint8_t x : {0x01, 0x80, 0xff}) {
      std::vector<uint8_t> bad = good;
      bad[i] ^= x;
      auto r = DeserializeModule(bad);
      if (r.ok()) {
        const Module& m = *r.value();
        for (const Function& f : m.functions) {
          ASSERT_LE(uint64_t{f.body.offset} + f.body.length, m.wire_bytes.size());
          ASSERT_LT(f.type_index, m.types.size());
        }
        for (const Export& e : m.exports) ASSERT_LT(e.index, 8u);
      }
    }
  }
}

// The two-step load (the entry read while the stream still arrives, the wire
// bytes checked once in) gives the module the one-step load gives.
TEST(SerializerTest, PreparedThenFinishedIsTheOneStepLoad) {
  Module m = SampleModule();
  auto payload = std::make_shared<const std::vector<uint8_t>>(
      SerializeModule(m, {.omit_wire_bytes = true}));
  auto prepared = PrepareModuleDeferred(payload, m.wire_bytes.size());
  ASSERT_TRUE(prepared.ok()) << prepared.error().Format();
  EXPECT_EQ(prepared.value().wire_size(), m.wire_bytes.size());
  auto loaded = FinishPreparedModule(std::move(prepared).value(), m.wire_bytes);
  ASSERT_TRUE(loaded.ok()) << loaded.error().Format();
  ExpectSameModule(m, *loaded.value());
}

TEST(SerializerTest, PreparedModuleTakesOnlyWireBytesOfItsSize) {
  Module m = SampleModule();
  auto payload = std::make_shared<const std::vector<uint8_t>>(
      SerializeModule(m, {.omit_wire_bytes = true}));
  for (size_t size : {m.wire_bytes.size() - 1, m.wire_bytes.size() + 1}) {
    auto prepared = PrepareModuleDeferred(payload, m.wire_bytes.size());
    ASSERT_TRUE(prepared.ok());
    std::vector<uint8_t> other(size);
    std::copy_n(m.wire_bytes.data(), std::min(size, m.wire_bytes.size()), other.begin());
    auto r = FinishPreparedModule(std::move(prepared).value(), WireBytes(std::move(other)));
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message.find("the entry was made from"), std::string::npos);
  }
  // Ranges are checked against the announced size before any byte is in.
  auto small = PrepareModuleDeferred(payload, 100);
  ASSERT_FALSE(small.ok());
  EXPECT_NE(small.error().message.find("outside the wire bytes"), std::string::npos)
      << small.error().message;
  // A payload that holds its wire bytes is not for the two-step load.
  auto whole = PrepareModuleDeferred(
      std::make_shared<const std::vector<uint8_t>>(SerializeModule(m)), m.wire_bytes.size());
  EXPECT_FALSE(whole.ok());
}

// What lies in the wire bytes is checked when they are in: an entry naming
// the bytes of an i64.const as an i32 global's initializer prepares (its
// ranges are fine) and is refused at the finish.
TEST(SerializerTest, PreparedModuleChecksConstantExpressionsAtTheFinish) {
  Module m = SampleModule();
  std::vector<uint8_t> wire = m.wire_bytes.ToVector();
  wire[20] = 0x42;  // i64.const 7 where the global's i32.const was
  auto payload = std::make_shared<const std::vector<uint8_t>>(
      SerializeModule(m, {.omit_wire_bytes = true}));
  auto prepared = PrepareModuleDeferred(payload, wire.size());
  ASSERT_TRUE(prepared.ok()) << prepared.error().Format();
  auto r = FinishPreparedModule(std::move(prepared).value(), WireBytes(wire));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("bad global initializer"), std::string::npos) << r.error().message;
}

// Every hostile byte: the two steps accept exactly what the one-step load
// accepts.
TEST(SerializerTest, EveryByteChangeIsJudgedAsTheOneStepLoadJudgesIt) {
  Module m = SampleModule();
  std::vector<uint8_t> good = SerializeModule(m, {.omit_wire_bytes = true});
  for (size_t i = 0; i < good.size(); ++i) {
    for (uint8_t x : {0x01, 0x80, 0xff}) {
      SCOPED_TRACE(i);
      auto bad = std::make_shared<std::vector<uint8_t>>(good);
      (*bad)[i] ^= x;
      bool one_step = DeserializeModuleDeferred(bad, m.wire_bytes).ok();
      auto prepared = PrepareModuleDeferred(bad, m.wire_bytes.size());
      bool two_steps =
          prepared.ok() && FinishPreparedModule(std::move(prepared).value(), m.wire_bytes).ok();
      ASSERT_EQ(one_step, two_steps);
    }
  }
  for (size_t n = 0; n < good.size(); ++n) {
    auto cut = std::make_shared<const std::vector<uint8_t>>(good.begin(), good.begin() + n);
    EXPECT_FALSE(PrepareModuleDeferred(cut, m.wire_bytes.size()).ok()) << n;
  }
}

TEST(SerializerTest, HugeCountsAreRejectedBeforeAllocating) {
  std::vector<uint8_t> bytes = SerializeModule(SampleModule(), {.omit_wire_bytes = true});
  // The types count sits right after the 20-byte header.
  bytes[20] = bytes[21] = bytes[22] = bytes[23] = 0xff;
  auto r = DeserializeModule(bytes, SampleModule().wire_bytes);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("exceeds the bytes left"), std::string::npos);
}

TEST(SerializerTest, InconsistentIndicesAreRejected) {
  Module m = SampleModule();
  m.exports[0].index = 99;
  auto r = DeserializeModule(SerializeModule(m));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("export index out of range"), std::string::npos);
  Module m2 = SampleModule();
  m2.functions[1].body = {190, 20};  // past the 200 wire bytes
  auto r2 = DeserializeModule(SerializeModule(m2));
  ASSERT_FALSE(r2.ok());
  EXPECT_NE(r2.error().message.find("outside the wire bytes"), std::string::npos);
}

// Compiled code as the runtime's compiler leaves it in module.code.
Module SampleWithCode() {
  Module m = SampleModule();
  m.code.resize(m.functions.size());
  for (uint32_t i = 1; i < m.functions.size(); ++i) {
    auto c = std::make_shared<FunctionCode>();
    c->func_index = i;
    const FuncType& ft = m.func_type(i);
    c->num_param_slots = static_cast<uint32_t>(ft.params.size());
    c->num_result_slots = static_cast<uint32_t>(ft.results.size());
    c->num_local_slots = c->num_param_slots + 2;
    c->frame_slots = c->num_local_slots + 6;
    // i32.add of the two constants into a temporary, then the second
    // constant (a valid f64) as the result, over the parameters.
    const uint32_t c0 = c->num_local_slots, c1 = c0 + 1, temp = c0 + 2;
    c->code = {static_cast<uint32_t>(IOp::kI32Add), temp, c0, c1,
               static_cast<uint32_t>(IOp::kCopy),   0,    c1,
               static_cast<uint32_t>(IOp::kReturn)};
    c->consts = {42, 0xffff'ffff'ffff'ffffull};
    c->try_regions = {{0, 4, 0, 1}};
    c->handlers = {{0, 0, 4, 3}};
    m.code[i] = std::move(c);
  }
  return m;
}

TEST(SerializerTest, CompiledCodeRoundTrips) {
  Module m = SampleWithCode();
  auto r = DeserializeModule(SerializeModule(m));
  ASSERT_TRUE(r.ok()) << r.error().Format();
  const Module& l = *r.value();
  ASSERT_EQ(l.code.size(), m.code.size());
  EXPECT_EQ(l.code[0], nullptr);  // the import
  for (size_t i = 1; i < m.code.size(); ++i) {
    EXPECT_EQ(l.code[i]->code, m.code[i]->code);
    EXPECT_EQ(l.code[i]->consts, m.code[i]->consts);
    EXPECT_EQ(l.code[i]->frame_slots, m.code[i]->frame_slots);
    EXPECT_EQ(l.code[i]->handlers[0].target, 4u);
  }
  EXPECT_EQ(SerializeModule(l), SerializeModule(m));
}

// Many functions of similar code, as a real module has: the code area is
// compressed (several chunks), and every function comes back the same,
// eagerly and on its first call.
TEST(SerializerTest, CompressedCodeChunksRoundTrip) {
  Module m = SampleWithCode();
  const Function copy = m.functions[1];
  const auto code = m.code[1];
  const uint32_t n = 40000;
  for (uint32_t i = 0; i < n; ++i) {
    m.functions.push_back(copy);
    auto c = std::make_shared<FunctionCode>(*code);
    c->func_index = static_cast<uint32_t>(m.functions.size() - 1);
    c->consts[0] = i;  // not all alike
    m.code.push_back(std::move(c));
  }
  std::vector<uint8_t> bytes = SerializeModule(m);
  size_t raw_code = 0;
  for (const auto& c : m.code) {
    if (c) raw_code += 4 * c->code.size() + 8 * c->consts.size() + 16 * 2 + 5 * 4 + 4 * 4;
  }
  EXPECT_LT(bytes.size(), raw_code / 2);  // compressed, tables included
  auto eager = DeserializeModule(bytes);
  ASSERT_TRUE(eager.ok()) << eager.error().Format();
  auto deferred = DeserializeModuleDeferred(std::make_shared<const std::vector<uint8_t>>(bytes));
  ASSERT_TRUE(deferred.ok()) << deferred.error().Format();
  const Module& l = *deferred.value();
  for (uint32_t i = 1; i < m.functions.size(); ++i) {
    ASSERT_NE(eager.value()->code[i], nullptr) << i;
    EXPECT_EQ(eager.value()->code[i]->consts, m.code[i]->consts);
    auto c = l.deferred_code->Load(l, i);
    ASSERT_NE(c, nullptr) << i;
    ASSERT_EQ(c->consts, m.code[i]->consts);
    ASSERT_EQ(c->code, m.code[i]->code);
  }
}

TEST(SerializerTest, BadCodeLayoutIsRejected) {
  {
    Module m = SampleWithCode();
    auto c = std::make_shared<FunctionCode>(*m.code[1]);
    c->handlers[0].target = 99;  // past the code
    m.code[1] = c;
    auto r = DeserializeModule(SerializeModule(m));
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message.find("catch handler"), std::string::npos);
  }
  {
    Module m = SampleWithCode();
    auto c = std::make_shared<FunctionCode>(*m.code[2]);
    c->num_local_slots = c->frame_slots + 1;
    m.code[2] = c;
    auto r = DeserializeModule(SerializeModule(m));
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message.find("frame layout"), std::string::npos);
  }
  {
    // A defined function without code loads: the runtime compiles it from
    // the wire bytes, validating them, on its first call (lazy compilation).
    Module m = SampleWithCode();
    m.code[2] = nullptr;
    auto r = DeserializeModule(SerializeModule(m));
    ASSERT_TRUE(r.ok()) << r.error().Format();
    EXPECT_EQ(r.value()->code[2], nullptr);
    EXPECT_NE(r.value()->code[1], nullptr);
  }
}

TEST(SerializerTest, EveryByteChangeOfCompiledCodeLoadsConsistentlyOrFails) {
  std::vector<uint8_t> good = SerializeModule(SampleWithCode());
  for (size_t i = 0; i < good.size(); ++i) {
    std::vector<uint8_t> bad = good;
    bad[i] ^= 0xa5;
    auto r = DeserializeModule(bad);
    if (!r.ok()) continue;
    for (const auto& c : r.value()->code) {
      if (!c) continue;
      ASSERT_LE(c->num_local_slots, c->frame_slots);
      for (const CatchHandler& h : c->handlers) ASSERT_LT(h.target, c->code.size());
    }
  }
}

// Deferred code (the code cache's way of loading): nothing of the code is
// read until the runtime asks for a function, and then it is exactly what an
// eager load gives.
TEST(SerializerTest, DeferredCodeLoadsEachFunctionLikeAnEagerLoad) {
  Module m = SampleWithCode();
  auto payload = std::make_shared<const std::vector<uint8_t>>(SerializeModule(m));
  auto r = DeserializeModuleDeferred(payload);
  ASSERT_TRUE(r.ok()) << r.error().Format();
  const Module& l = *r.value();
  EXPECT_TRUE(l.code.empty());
  ASSERT_NE(l.deferred_code, nullptr);
  EXPECT_EQ(l.deferred_code->Load(l, 0), nullptr);  // the import has none
  for (uint32_t i = 1; i < m.functions.size(); ++i) {
    auto c = l.deferred_code->Load(l, i);
    ASSERT_NE(c, nullptr) << i;
    EXPECT_EQ(c->code, m.code[i]->code);
    EXPECT_EQ(c->consts, m.code[i]->consts);
    EXPECT_EQ(c->handlers[0].target, 4u);
  }
  EXPECT_EQ(l.deferred_code->Load(l, static_cast<uint32_t>(m.functions.size())), nullptr);
}

TEST(SerializerTest, DeferredCodeThatFailsItsChecksIsNotLoaded) {
  Module m = SampleWithCode();
  auto c = std::make_shared<FunctionCode>(*m.code[2]);
  c->handlers[0].target = 99;  // past the code
  m.code[2] = c;
  auto r = DeserializeModuleDeferred(std::make_shared<const std::vector<uint8_t>>(SerializeModule(m)));
  ASSERT_TRUE(r.ok()) << r.error().Format();  // the code is not looked at yet
  const Module& l = *r.value();
  EXPECT_EQ(l.deferred_code->Load(l, 2), nullptr);
  EXPECT_NE(l.deferred_code->Load(l, 1), nullptr);
}

TEST(SerializerTest, EveryByteChangeLoadsDeferredCodeSafelyOrFails) {
  std::vector<uint8_t> good = SerializeModule(SampleWithCode());
  for (size_t i = 0; i < good.size(); ++i) {
    auto bad = std::make_shared<std::vector<uint8_t>>(good);
    (*bad)[i] ^= 0xa5;
    auto r = DeserializeModuleDeferred(bad);
    if (!r.ok()) continue;
    const Module& l = *r.value();
    for (uint32_t f = 0; f < l.functions.size(); ++f) {
      auto c = l.deferred_code ? l.deferred_code->Load(l, f) : nullptr;
      if (!c) continue;
      ASSERT_EQ(c->func_index, f);
      ASSERT_LE(c->num_local_slots, c->frame_slots);
      for (const CatchHandler& h : c->handlers) ASSERT_LT(h.target, c->code.size());
    }
  }
}

}  // namespace
}  // namespace wasmstream::wasm
