#include "wasm/module_reflection.h"

#include <gtest/gtest.h>

#include "wasm/streaming_compiler.h"
#include "wasm/testing/module_builder.h"

namespace wasmstream::wasm {
namespace {

using testing::Bytes;
using testing::Cat;
using testing::Name;
using testing::Preamble;
using testing::Section;

TEST(ModuleReflectionTest, ImportsExportsAndCustomSections) {
  Bytes imports = Cat({{0x04},
                       Name("env"), Name("f"), {0x00, 0x00},        // function
                       Name("env"), Name("t"), {0x01, 0x70, 0x00, 0x00},  // table
                       Name("env"), Name("m"), {0x02, 0x00, 0x01},  // memory
                       Name("env"), Name("g"), {0x03, 0x7F, 0x00}}); // global
  Bytes exports = Cat({{0x03},
                       Name("run"), {0x00, 0x00},
                       Name("mem"), {0x02, 0x00},
                       Name("glob"), {0x03, 0x00}});
  Bytes m = Cat({Preamble(), Section(0, Cat({Name("meta"), {0x01, 0x02}})),
                 Section(1, {0x01, 0x60, 0x00, 0x00}), Section(2, imports), Section(7, exports),
                 Section(0, Cat({Name("meta"), {0x03}})), Section(0, Cat({Name("other"), {}}))});
  CompileResult r = CompileModule(m);
  ASSERT_TRUE(r.ok()) << r.error().Format();
  const Module& mod = *r.value();
  EXPECT_EQ(ModuleImports(mod), (std::vector<ImportDescriptor>{{"env", "f", "function"},
                                                               {"env", "t", "table"},
                                                               {"env", "m", "memory"},
                                                               {"env", "g", "global"}}));
  EXPECT_EQ(ModuleExports(mod), (std::vector<ExportDescriptor>{{"run", "function"},
                                                               {"mem", "memory"},
                                                               {"glob", "global"}}));
  auto meta = ModuleCustomSections(mod, "meta");
  ASSERT_EQ(meta.size(), 2u);
  EXPECT_EQ(Bytes(meta[0].begin(), meta[0].end()), (Bytes{0x01, 0x02}));
  EXPECT_EQ(Bytes(meta[1].begin(), meta[1].end()), (Bytes{0x03}));
  EXPECT_EQ(ModuleCustomSections(mod, "other").size(), 1u);
  EXPECT_TRUE(ModuleCustomSections(mod, "absent").empty());
}

TEST(ModuleReflectionTest, TagKind) {
  Features eh = Features::Wasm20().enable(Feature::kExceptions);
  Bytes m = Cat({Preamble(), Section(1, {0x01, 0x60, 0x01, 0x7F, 0x00}),
                 Section(2, Cat({{0x01}, Name("env"), Name("e"), {0x04, 0x00, 0x00}})),
                 Section(13, {0x01, 0x00, 0x00}),
                 Section(7, Cat({{0x01}, Name("e2"), {0x04, 0x01}}))});
  CompileResult r = CompileModule(m, eh);
  ASSERT_TRUE(r.ok()) << r.error().Format();
  EXPECT_EQ(ModuleImports(*r.value())[0].kind, "tag");
  EXPECT_EQ(ModuleExports(*r.value())[0].kind, "tag");
}

}  // namespace
}  // namespace wasmstream::wasm
