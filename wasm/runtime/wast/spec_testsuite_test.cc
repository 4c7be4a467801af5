// Runs the spec testsuite's scripts (assert_return, assert_trap,
// assert_exhaustion, assert_exception, assert_unlinkable, register, invoke, …)
// through the interpreter, converted at test time into TEST_TMPDIR:
//   WebAssembly20 / WebAssembly30 / LegacyExceptions: the scripts of
//     WASM_TESTSUITE_DIR/{2.0, 3.0, 3.0/legacy} that wabt's wast2json converts;
//   WebAssembly20WasmTools / WebAssembly30WasmTools: the scripts it refuses
//     (GC, typed function references, exnref, newer text syntax), converted by
//     tools/wast2json-wasmtools.mjs (wasm-tools' parser; node + npm package
//     from tools/fetch-test-tools).
// Skips, saying so, when WASM_TESTSUITE_DIR is not set or absent; the
// WasmTools cases skip when node or the npm package is missing. Prints one
// line per file: "name: N passed, N failed, N skipped".
//
// known_failures.txt lists scripts ("3.0/x.wast") or single commands
// ("3.0/x.wast:12", the line of the command) known to fail, with a reason.
// Those may fail; a listed one that now passes fails the test, so the list
// stays true.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "tests/spectest/wast_loader.h"
#include "wasm/runtime/wast/script_runner.h"

namespace wasmstream::wasm {
namespace {

namespace fs = std::filesystem;
using spectest::WasmToolsConverter;
using spectest::WastScript;

enum class Route { kWast2json, kWasmTools };

// "3.0/array.wast" or "3.0/array.wast:12" -> reason, from known_failures.txt
// ("key: reason" lines, '#' comments).
std::map<std::string, std::string> KnownFailures() {
  std::map<std::string, std::string> out;
  const char* srcdir = std::getenv("TEST_SRCDIR");
  const char* workspace = std::getenv("TEST_WORKSPACE");
  std::string rel = "wasm/runtime/wast/known_failures.txt";
  std::string path = srcdir && workspace ? std::string(srcdir) + "/" + workspace + "/" + rel : rel;
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << "cannot read " << path;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    size_t colon = line.find(": ");
    EXPECT_NE(colon, std::string::npos) << "known_failures.txt: no \"path: reason\" in " << line;
    if (colon == std::string::npos) continue;
    out[line.substr(0, colon)] = line.substr(colon + 2);
  }
  return out;
}

void RunSuite(const std::string& sub, const std::vector<std::string>& wast2json_flags,
              Features features, Route route, bool lazy = false) {
  std::string root = spectest::TestsuiteRoot();
  if (root.empty()) GTEST_SKIP() << "WASM_TESTSUITE_DIR is unset or not a directory";
  std::string dir = root + "/" + sub;
  std::vector<std::string> files = spectest::WastFiles(dir);
  if (files.empty()) GTEST_SKIP() << "no .wast files in " << dir;
  const char* tmp = std::getenv("TEST_TMPDIR");
  std::string out = std::string(tmp ? tmp : "/tmp") + "/spec-" + sub;

  // Which scripts go which way: wast2json first; what it refuses, to wasm-tools.
  std::vector<std::string> names, jsons, refused;
  for (const std::string& wast : files) {
    std::string error;
    std::string name = fs::path(wast).stem().string();
    bool converted = spectest::ConvertWast(wast, out, wast2json_flags, &error).has_value();
    if (route == Route::kWast2json && converted) {
      names.push_back(name);
      jsons.push_back(out + "/" + name + ".json");
    } else if (route == Route::kWast2json) {
      std::printf("%s: not converted by wast2json (see the WasmTools test case)\n", name.c_str());
    } else if (!converted) {
      refused.push_back(wast);
    }
  }
  if (route == Route::kWasmTools) {
    if (refused.empty()) GTEST_SKIP() << "wast2json converts every script of " << sub;
    WasmToolsConverter converter;
    if (!converter.available()) GTEST_SKIP() << "scripts wast2json refuses not run: " << converter.why();
    std::vector<std::string> errors;
    std::string wt_out = out + "/wasm-tools";
    auto scripts = converter.Convert(refused, wt_out, &errors);
    for (size_t i = 0; i < refused.size(); ++i) {
      std::string name = fs::path(refused[i]).stem().string();
      if (!scripts[i]) {
        ADD_FAILURE() << name << ": not converted by wasm-tools either: " << errors[i];
        continue;
      }
      names.push_back(name);
      jsons.push_back(wt_out + "/" + name + ".json");
    }
  }

  std::map<std::string, std::string> known = KnownFailures();
  uint32_t passed = 0, failed = 0, skipped = 0, known_failed = 0;
  for (size_t i = 0; i < names.size(); ++i) {
    const std::string& name = names[i];
    std::string key = sub + "/" + name + ".wast";
    WastOptions options;
    options.features = features;
    options.lazy = lazy;
    options.verify_code = true;  // the compiler's code passes the cache's verifier
    WastResult r = RunWastJson(jsons[i], options);
    EXPECT_EQ(r.error, "") << name;
    bool file_listed = known.count(key) > 0;
    // Failures not covered by a "file.wast:line" entry, and those entries.
    std::vector<std::string> unexpected;
    std::set<std::string> failed_lines;
    for (const std::string& f : r.failures) {
      size_t a = f.find(':'), b = f.find(':', a + 1);
      std::string line_key = key + ":" + (b == std::string::npos ? "" : f.substr(a + 1, b - a - 1));
      if (known.count(line_key)) {
        failed_lines.insert(line_key);
      } else {
        unexpected.push_back(f);
      }
    }
    for (auto it = known.lower_bound(key + ":"); it != known.end() && it->first.rfind(key + ":", 0) == 0;
         ++it) {
      EXPECT_TRUE(failed_lines.count(it->first))
          << it->first << " passes now: remove it from known_failures.txt";
    }
    if (file_listed) {
      EXPECT_FALSE(r.error.empty() && unexpected.empty())
          << key << " passes now: remove it from known_failures.txt";
      known_failed += r.failed;
    } else {
      known_failed += r.failed - unexpected.size();
      for (size_t k = 0; k < unexpected.size() && k < 5; ++k) ADD_FAILURE() << unexpected[k];
      EXPECT_EQ(unexpected.size(), 0u) << name << ": failures not in known_failures.txt";
    }
    std::printf("%s: %u passed, %u failed, %u skipped%s\n", name.c_str(), r.passed, r.failed,
                r.skipped, file_listed ? " (known failure)" : "");
    if (file_listed && std::getenv("SPECTEST_VERBOSE")) {
      for (const std::string& f : r.failures) std::printf("  %s\n", f.c_str());
    }
    passed += r.passed;
    failed += r.failed;
    skipped += r.skipped;
  }
  std::printf("%s total (%s): %zu files, %u passed, %u failed (%u known), %u skipped\n",
              sub.c_str(), route == Route::kWast2json ? "wast2json" : "wasm-tools", names.size(),
              passed, failed, known_failed, skipped);
}

TEST(SpecTestsuiteTest, WebAssembly20) {
  RunSuite("2.0", {}, Features::Wasm20(), Route::kWast2json);
}

TEST(SpecTestsuiteTest, WebAssembly30) {
  RunSuite("3.0", {"--enable-all"}, Features::All(), Route::kWast2json);
}

// The legacy exception-handling scripts (try / catch / catch_all / rethrow /
// delegate), with every feature plus legacy-exceptions (they use return_call).
TEST(SpecTestsuiteTest, LegacyExceptions) {
  RunSuite("3.0/legacy", {"--enable-all"}, Features::All().enable(Feature::kLegacyExceptions),
           Route::kWast2json);
}

// The threads proposal's scripts (atomics, shared memories, wait/notify in one
// agent), with 2.0's features plus threads and without reference types, which
// they predate ("multiple tables" is invalid there).
TEST(SpecTestsuiteTest, ThreadsProposal) {
  RunSuite("3.0/proposals/threads", {"--enable-threads"},
           Features::Wasm20().enable(Feature::kThreads).disable(Feature::kReferenceTypes),
           Route::kWast2json);
}

// The same 3.0 scripts with lazy compilation: modules are only validated,
// and each function is compiled on its first call (Instance::CompileLazily).
TEST(SpecTestsuiteTest, WebAssembly30Lazy) {
  RunSuite("3.0", {"--enable-all"}, Features::All(), Route::kWast2json, /*lazy=*/true);
}
TEST(SpecTestsuiteTest, WebAssembly30WasmToolsLazy) {
  RunSuite("3.0", {"--enable-all"}, Features::All(), Route::kWasmTools, /*lazy=*/true);
}

TEST(SpecTestsuiteTest, WebAssembly20WasmTools) {
  RunSuite("2.0", {}, Features::Wasm20(), Route::kWasmTools);
}

TEST(SpecTestsuiteTest, WebAssembly30WasmTools) {
  RunSuite("3.0", {"--enable-all"}, Features::All(), Route::kWasmTools);
}

}  // namespace
}  // namespace wasmstream::wasm
