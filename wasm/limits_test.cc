// Every limit of wasm/limits.h has its own CompileError: one past the limit
// fails at the count's offset with "<name> count of <n> exceeds internal
// limit of <max>", without reading (or allocating for) the entries.
#include "wasm/limits.h"

#include <gtest/gtest.h>

#include <string>

#include "wasm/testing/module_builder.h"

namespace wasmstream::wasm {
namespace {

using testing::Bytes;
using testing::Cat;
using testing::ExpectFailure;
using testing::Preamble;
using testing::Section;
using testing::U32Leb;

std::string Exceeds(const char* name, uint64_t n, uint64_t max) {
  return std::string(name) + " count of " + std::to_string(n) + " exceeds internal limit of " +
         std::to_string(max);
}

// A section whose payload is just a count one past {max} (payload at 10).
void ExpectCountLimit(uint8_t section, const char* name, uint32_t max,
                      Features f = Features::Wasm20()) {
  SCOPED_TRACE(name);
  Bytes m = Cat({Preamble(), Section(section, U32Leb(max + 1))});
  ExpectFailure(m, 10, Exceeds(name, max + 1, max), f);
}

TEST(LimitsTest, Types) { ExpectCountLimit(1, "types", kSpecMaxTypes); }
TEST(LimitsTest, Imports) { ExpectCountLimit(2, "imports", kSpecMaxImports); }
TEST(LimitsTest, Functions) { ExpectCountLimit(3, "functions", kSpecMaxFunctions); }
TEST(LimitsTest, Tables) { ExpectCountLimit(4, "tables", kSpecMaxTables); }
TEST(LimitsTest, Memories) { ExpectCountLimit(5, "memories", kSpecMaxMemories); }
TEST(LimitsTest, Globals) { ExpectCountLimit(6, "globals", kSpecMaxGlobals); }
TEST(LimitsTest, Exports) { ExpectCountLimit(7, "exports", kSpecMaxExports); }
TEST(LimitsTest, ElemSegments) { ExpectCountLimit(9, "elem segments", kSpecMaxElemSegments); }
TEST(LimitsTest, DataSegments) { ExpectCountLimit(11, "data segments", kSpecMaxDataSegments); }
TEST(LimitsTest, DataCount) { ExpectCountLimit(12, "data segments", kSpecMaxDataSegments); }
TEST(LimitsTest, Tags) {
  ExpectCountLimit(13, "tags", kSpecMaxTags, Features::Wasm20().enable(Feature::kExceptions));
}

TEST(LimitsTest, ImportedAndDefinedFunctionsTogether) {
  // One imported function plus kSpecMaxFunctions defined ones: one too many.
  Bytes imports = Cat({{0x01}, testing::Name("m"), testing::Name("f"), {0x00, 0x00}});
  Bytes m = Cat({Preamble(), Section(1, {0x01, 0x60, 0x00, 0x00}), Section(2, imports),
                 Section(3, U32Leb(kSpecMaxFunctions))});
  uint32_t count_at = static_cast<uint32_t>(m.size() - U32Leb(kSpecMaxFunctions).size());
  ExpectFailure(m, count_at, Exceeds("functions", kSpecMaxFunctions + 1ull, kSpecMaxFunctions));
}

TEST(LimitsTest, Params) {
  Bytes m = Cat({Preamble(), Section(1, Cat({{0x01, 0x60}, U32Leb(kSpecMaxFunctionParams + 1)}))});
  ExpectFailure(m, 12, Exceeds("param", kSpecMaxFunctionParams + 1, kSpecMaxFunctionParams));
}

TEST(LimitsTest, Returns) {
  Bytes m = Cat({Preamble(),
                 Section(1, Cat({{0x01, 0x60, 0x00}, U32Leb(kSpecMaxFunctionReturns + 1)}))});
  ExpectFailure(m, 13, Exceeds("return", kSpecMaxFunctionReturns + 1, kSpecMaxFunctionReturns));
}

TEST(LimitsTest, ParamsAtLimitAccepted) {
  Bytes payload = Cat({{0x01, 0x60}, U32Leb(kSpecMaxFunctionParams)});
  payload.insert(payload.end(), kSpecMaxFunctionParams, 0x7F);
  payload.push_back(0x00);
  CompileResult r = CompileModule(Cat({Preamble(), Section(1, payload)}));
  EXPECT_TRUE(r.ok()) << r.error().Format();
}

TEST(LimitsTest, StructFields) {
  Features gc = Features::Wasm20().enable(Feature::kGc);
  Bytes m = Cat({Preamble(), Section(1, Cat({{0x01, 0x5F}, U32Leb(kSpecMaxStructFields + 1)}))});
  ExpectFailure(m, 12, Exceeds("struct field", kSpecMaxStructFields + 1, kSpecMaxStructFields), gc);
}

TEST(LimitsTest, TableInitialSize) {
  Bytes m = Cat({Preamble(), Section(4, Cat({{0x01, 0x70, 0x00}, U32Leb(kSpecMaxTableSize + 1)}))});
  ExpectFailure(m, 11, "initial table size (10000001 elements) is larger than implementation limit");
  Bytes at_limit = Cat({Preamble(), Section(4, Cat({{0x01, 0x70, 0x00}, U32Leb(kSpecMaxTableSize)}))});
  EXPECT_TRUE(CompileModule(at_limit).ok());
}

TEST(LimitsTest, Memory32InitialSize) {
  Bytes m = Cat({Preamble(), Section(5, Cat({{0x01, 0x00}, U32Leb(kSpecMaxMemory32Pages + 1)}))});
  ExpectFailure(m, 11, "memory size must be at most 65536 pages (4GiB)");
}

TEST(LimitsTest, Memory64InitialSize) {
  Features m64 = Features::Wasm20().enable(Feature::kMemory64);
  Bytes m = Cat({Preamble(), Section(5, Cat({{0x01, 0x04},
                                             U32Leb(static_cast<uint32_t>(kSpecMaxMemory64Pages + 1))}))});
  ExpectFailure(m, 11, "initial memory size (262145 pages) is larger than implementation limit",
                m64);
}

TEST(LimitsTest, FunctionBodySize) {
  // Code section claiming one body of kSpecMaxFunctionSize + 1 bytes.
  Bytes code = Cat({{0x01}, U32Leb(kSpecMaxFunctionSize + 1)});
  Bytes m = Cat({Preamble(), Section(1, {0x01, 0x60, 0x00, 0x00}), Section(3, {0x01, 0x00}),
                 {0x0A}, U32Leb(kSpecMaxFunctionSize + 10), code});
  uint32_t size_at = static_cast<uint32_t>(m.size() - U32Leb(kSpecMaxFunctionSize + 1).size());
  ExpectFailure(m, size_at, "size of function body #0 (7654322 bytes) exceeds internal limit");
}

TEST(LimitsTest, ModuleSize) {
  // A custom section claiming to reach past 1 GiB fails at its length.
  Bytes m = Cat({Preamble(), {0x00}, U32Leb(static_cast<uint32_t>(kSpecMaxModuleSize))});
  ExpectFailure(m, 9, "section of 1073741824 bytes makes the module exceed the internal limit");
}

}  // namespace
}  // namespace wasmstream::wasm

namespace wasmstream::wasm {
namespace {

TEST(LimitsTest, FunctionLocals) {
  // One local declaration of kSpecMaxFunctionLocals + 1 i32s (the body decoder's check).
  Bytes body = Cat({{0x01}, U32Leb(kSpecMaxFunctionLocals + 1), {0x7F, 0x0B}});
  Bytes m = testing::ModuleWithBodies({body});
  CompileResult r = CompileModule(m);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "Compiling function #0 failed: too many locals");
  Bytes at_limit = Cat({{0x01}, U32Leb(kSpecMaxFunctionLocals), {0x7F, 0x0B}});
  CompileResult ok = CompileModule(testing::ModuleWithBodies({at_limit}));
  EXPECT_TRUE(ok.ok()) << ok.error().Format();
}

}  // namespace
}  // namespace wasmstream::wasm

namespace wasmstream::wasm {
namespace {

TEST(LimitsTest, SubtypingDepth) {
  Features gc = Features::Wasm20().enable(Feature::kGc);
  // Types 0..N, each an open function type declaring the previous as super.
  auto chain = [](uint32_t n, uint32_t* last_at) {
    Bytes payload = U32Leb(n + 1);
    payload.insert(payload.end(), {0x50, 0x00, 0x60, 0x00, 0x00});  // type 0: no super
    for (uint32_t i = 1; i <= n; ++i) {
      *last_at = static_cast<uint32_t>(payload.size());
      payload = Cat({payload, {0x50, 0x01}, U32Leb(i - 1), {0x60, 0x00, 0x00}});
    }
    return payload;
  };
  uint32_t last_at = 0;
  Bytes over = chain(kSpecMaxSubtypingDepth + 1, &last_at);
  Bytes m = Cat({Preamble(), Section(1, over)});
  uint32_t section_payload = static_cast<uint32_t>(m.size() - over.size());
  CompileResult r = CompileModule(m, gc);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().offset, section_payload + last_at);
  EXPECT_EQ(r.error().message, "subtyping depth of type 64 exceeds internal limit of 63");
  Bytes at_limit = chain(kSpecMaxSubtypingDepth, &last_at);
  CompileResult ok = CompileModule(Cat({Preamble(), Section(1, at_limit)}), gc);
  EXPECT_TRUE(ok.ok()) << ok.error().Format();
}

}  // namespace
}  // namespace wasmstream::wasm
