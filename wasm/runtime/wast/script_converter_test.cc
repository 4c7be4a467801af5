// tools/wast2json-wasmtools.mjs and the script runner together, on small
// scripts in testdata/: every command and value form converts to
// wast2json's JSON shape and runs; the reference patterns reject what they
// should; bad scripts give a clear error naming the line. Skips when node or
// the npm package (tools/fetch-test-tools) is missing.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "tests/spectest/wast_loader.h"
#include "wasm/runtime/wast/script_runner.h"

namespace wasmstream::wasm {
namespace {

namespace fs = std::filesystem;
using spectest::WasmToolsConverter;
using spectest::WastScript;

std::string TestData(const std::string& name) {
  const char* srcdir = std::getenv("TEST_SRCDIR");
  const char* workspace = std::getenv("TEST_WORKSPACE");
  std::string rel = "wasm/runtime/wast/testdata/" + name;
  return srcdir && workspace ? std::string(srcdir) + "/" + workspace + "/" + rel : rel;
}

std::string TmpDir(const std::string& sub) {
  const char* tmp = std::getenv("TEST_TMPDIR");
  std::string dir = std::string(tmp ? tmp : "/tmp") + "/" + sub;
  fs::create_directories(dir);
  return dir;
}

class ScriptConverterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!converter_.available()) GTEST_SKIP() << "converter unavailable: " << converter_.why();
  }

  // Converts one script into {out}; fails the test when it does not convert.
  std::optional<WastScript> Convert(const std::string& wast, const std::string& out) {
    std::vector<std::string> errors;
    auto scripts = converter_.Convert({wast}, out, &errors);
    EXPECT_TRUE(scripts[0].has_value()) << errors[0];
    return scripts[0];
  }

  WasmToolsConverter converter_;
};

TEST_F(ScriptConverterTest, EveryCommandFormConvertsAndRuns) {
  std::string out = TmpDir("pass");
  std::optional<WastScript> script = Convert(TestData("converter_pass.wast"), out);
  ASSERT_TRUE(script);
  std::vector<std::string> types;
  for (const spectest::WastCommand& c : script->commands) types.push_back(c.type);
  std::vector<std::string> want = {"module", "register"};
  want.insert(want.end(), 20, "assert_return");
  for (const char* t : {"assert_trap", "assert_exhaustion", "assert_exception", "action",
                        "module_definition", "module_instance", "assert_return", "module",
                        "module", "assert_return", "assert_invalid", "assert_malformed",
                        "assert_malformed", "assert_unlinkable", "assert_uninstantiable"}) {
    want.push_back(t);
  }
  EXPECT_EQ(types, want);

  const auto& c = script->commands;
  EXPECT_EQ(c[0].json["name"], "$M");
  EXPECT_EQ(c[0].line, 5);
  EXPECT_EQ(c[1].json["as"], "M");
  // (ref.host 7) argument and result; (ref.struct) pattern; (ref.null).
  EXPECT_EQ(c[9].json["action"]["args"][0], (nlohmann::json{{"type", "anyref"}, {"value", "7"}}));
  EXPECT_EQ(c[2].json["expected"][0], (nlohmann::json{{"type", "structref"}}));
  EXPECT_EQ(c[7].json["expected"][0], (nlohmann::json{{"type", "refnull"}, {"value", "null"}}));
  // Literals as wast2json writes them: unsigned decimal bits.
  EXPECT_EQ(c[15].json["action"]["args"][0]["value"], "1077936128");  // f32 0x1.8p1
  EXPECT_EQ(c[19].json["action"]["args"][0]["value"], "4294967295");  // i32 0xffff_ffff
  EXPECT_EQ(c[18].json["expected"][0]["value"][0], "nan:canonical");
  EXPECT_EQ(c[18].json["expected"][0]["value"][2], "3221225472");  // f32 -0x1p+1
  EXPECT_EQ(c[20].json["action"]["field"], "\xC3\xA9t\xC3\xA9");  // "ét\u{e9}" as UTF-8
  EXPECT_EQ(c[27].json["module"], "$D");
  EXPECT_EQ(c[27].json["instance"], "$I");
  EXPECT_EQ(c[33].module_type, "text");  // assert_malformed (module quote ...)
  EXPECT_EQ(c[34].module_type, "binary");

  WastOptions options;
  options.features = Features::All();
  WastResult r = RunWastJson(out + "/converter_pass.json", options);
  EXPECT_EQ(r.error, "");
  EXPECT_EQ(r.failed, 0u);
  for (const std::string& f : r.failures) ADD_FAILURE() << f;
  EXPECT_EQ(r.passed, 30u);
  EXPECT_EQ(r.skipped, 1u);  // the text-format assert_malformed
}

TEST_F(ScriptConverterTest, ReferencePatternsRejectOtherValues) {
  std::string out = TmpDir("fail");
  ASSERT_TRUE(Convert(TestData("converter_fail.wast"), out));
  WastOptions options;
  options.features = Features::All();
  WastResult r = RunWastJson(out + "/converter_fail.json", options);
  EXPECT_EQ(r.error, "");
  EXPECT_EQ(r.passed, 0u);
  EXPECT_EQ(r.failed, 12u);  // every assertion of the script
}

TEST_F(ScriptConverterTest, BadScriptsNameTheLine) {
  std::string dir = TmpDir("bad");
  struct Case {
    const char* name;
    std::string text;
    const char* error;
  };
  std::vector<Case> cases = {
      {"unclosed", "\n(module (func)", "line 2: unclosed \"(\""},
      {"deep", "(module " + std::string(1001, '(') + std::string(1002, ')'),
       "line 1: lists nested deeper than 1000"},
      {"command", "(module)\n\n(frobnicate)", "line 3: unsupported command frobnicate"},
      {"literal", "(module)\n(assert_return (invoke \"f\" (i32.const 0xg)))",
       "line 2: bad i32 literal \"0xg\""},
      {"operator", "(module (func (i32.adx)))", "line 1: wasm-tools cannot encode the module"},
      {"pattern", "(module)\n(invoke \"f\" (f32.const nan:canonical))",
       "line 2: nan:canonical is only a result pattern"},
      {"good", "(module)\n(assert_return (invoke \"f\"))", nullptr},
  };
  std::vector<std::string> paths;
  for (const Case& c : cases) {
    paths.push_back(dir + "/" + c.name + ".wast");
    std::ofstream(paths.back()) << c.text;
  }
  std::vector<std::string> errors;
  auto scripts = converter_.Convert(paths, dir + "/out", &errors);
  for (size_t i = 0; i < cases.size(); ++i) {
    if (!cases[i].error) {
      EXPECT_TRUE(scripts[i].has_value()) << cases[i].name << ": " << errors[i];
      continue;
    }
    EXPECT_FALSE(scripts[i].has_value()) << cases[i].name;
    EXPECT_NE(errors[i].find(cases[i].error), std::string::npos)
        << cases[i].name << ": " << errors[i];
  }
}

}  // namespace
}  // namespace wasmstream::wasm
