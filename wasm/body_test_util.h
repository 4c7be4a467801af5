// Test helpers for the function-body decoder: a Module built by hand and
// bodies as commented bytes, so a reader can check each one by hand.
#ifndef WASMSTREAM_WASM_BODY_TEST_UTIL_H_
#define WASMSTREAM_WASM_BODY_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "wasm/function_body_decoder.h"
#include "wasm/module.h"

namespace wasmstream::wasm::testing {

using Bytes = std::vector<uint8_t>;

// The module offset the test bodies pretend to start at, so tests check that
// error offsets are module offsets, not body offsets.
constexpr uint32_t kBodyOffset = 1000;

class BodyTest : public ::testing::Test {
 protected:
  BodyTest() { module_.features = Features::Wasm20(); }

  uint32_t AddType(std::vector<ValueType> params, std::vector<ValueType> results) {
    TypeDef t;
    t.func.params = std::move(params);
    t.func.results = std::move(results);
    t.rec_group_start = static_cast<uint32_t>(module_.types.size());
    module_.types.push_back(std::move(t));
    return static_cast<uint32_t>(module_.types.size() - 1);
  }
  uint32_t AddStruct(std::vector<FieldType> fields) {
    TypeDef t;
    t.kind = CompositeKind::kStruct;
    t.fields = std::move(fields);
    t.rec_group_start = static_cast<uint32_t>(module_.types.size());
    module_.types.push_back(std::move(t));
    return static_cast<uint32_t>(module_.types.size() - 1);
  }
  uint32_t AddArray(FieldType elem) {
    TypeDef t;
    t.kind = CompositeKind::kArray;
    t.fields = {elem};
    t.rec_group_start = static_cast<uint32_t>(module_.types.size());
    module_.types.push_back(std::move(t));
    return static_cast<uint32_t>(module_.types.size() - 1);
  }
  uint32_t AddFunction(uint32_t type_index, bool declared = false) {
    Function f;
    f.type_index = type_index;
    f.declared = declared;
    module_.functions.push_back(f);
    return static_cast<uint32_t>(module_.functions.size() - 1);
  }
  void AddMemory(bool is64 = false, bool shared = false) {
    Memory m;
    m.limits.is64 = is64;
    m.limits.shared = shared;
    m.limits.has_max = shared;
    module_.memories.push_back(m);
  }
  void AddTable(ValueType elem = ValueType::FuncRef(), bool is64 = false) {
    Table t;
    t.elem_type = elem;
    t.limits.is64 = is64;
    module_.tables.push_back(t);
  }
  void AddGlobal(ValueType type, bool mutable_, bool imported = false) {
    Global g;
    g.type = type;
    g.mutable_ = mutable_;
    g.imported = imported;
    if (imported) ++module_.num_imported_globals;
    module_.globals.push_back(g);
  }
  void AddElem(ValueType type = ValueType::FuncRef()) {
    ElemSegment e;
    e.elem_type = type;
    module_.elems.push_back(e);
  }
  void AddTag(uint32_t type_index) { module_.tags.push_back(Tag{type_index, false}); }
  void Enable(Feature f) { module_.features.enable(f); }
  void Disable(Feature f) { module_.features.disable(f); }

  // Validates {body} (locals + code + end) as a function of type {type_index}.
  Status Validate(const Bytes& body, uint32_t type_index, CodeSink* sink = nullptr) {
    uint32_t f = AddFunction(type_index);
    Status s = DecodeFunctionBody(module_, f, body, kBodyOffset, sink);
    module_.functions.pop_back();
    return s;
  }

  void ExpectValid(const Bytes& body, uint32_t type_index) {
    Status s = Validate(body, type_index);
    EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().Format());
  }
  // {offset} counts from the body's first byte; {message} is the whole message.
  void ExpectInvalid(const Bytes& body, uint32_t type_index, uint32_t offset,
                     const std::string& message) {
    Status s = Validate(body, type_index);
    ASSERT_FALSE(s.ok()) << "expected: " << message;
    EXPECT_EQ(s.error().message, message);
    EXPECT_EQ(s.error().offset, kBodyOffset + offset) << s.error().message;
  }
  // As above, checking only that the message starts with {prefix} (the spec
  // testsuite's rule).
  void ExpectInvalidPrefix(const Bytes& body, uint32_t type_index, uint32_t offset,
                           const std::string& prefix) {
    Status s = Validate(body, type_index);
    ASSERT_FALSE(s.ok()) << "expected: " << prefix;
    EXPECT_EQ(s.error().message.substr(0, prefix.size()), prefix) << s.error().message;
    EXPECT_EQ(s.error().offset, kBodyOffset + offset) << s.error().message;
  }

  Module module_;
};

}  // namespace wasmstream::wasm::testing

#endif  // WASMSTREAM_WASM_BODY_TEST_UTIL_H_
