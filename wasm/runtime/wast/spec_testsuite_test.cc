// Runs the spec testsuite's scripts (assert_return, assert_trap,
// assert_exhaustion, assert_exception, assert_unlinkable, register, invoke, …)
// through wast2json (run here, into TEST_TMPDIR) and the interpreter.
//   WASM_TESTSUITE_DIR/2.0/*.wast    with the 2.0 features
//   WASM_TESTSUITE_DIR/3.0/*.wast    with every feature (the files wabt converts)
//   WASM_TESTSUITE_DIR/3.0/legacy/*.wast  with every feature plus legacy-exceptions
// Skips, saying so, when WASM_TESTSUITE_DIR is not set or absent. Prints one
// line per file: "name: N passed, N failed, N skipped".
#include <dirent.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <string>
#include <vector>

#include "wasm/runtime/wast/script_runner.h"

namespace wasmstream::wasm {
namespace {

std::vector<std::string> WastFiles(const std::string& dir) {
  std::vector<std::string> files;
  if (DIR* d = opendir(dir.c_str())) {
    while (dirent* e = readdir(d)) {
      std::string n = e->d_name;
      if (n.size() > 5 && n.substr(n.size() - 5) == ".wast") files.push_back(n);
    }
    closedir(d);
  }
  std::sort(files.begin(), files.end());
  return files;
}

void RunSuite(const std::string& sub, const char* wast2json_flags, Features features) {
  const char* root = std::getenv("WASM_TESTSUITE_DIR");
  if (!root || !*root) GTEST_SKIP() << "WASM_TESTSUITE_DIR is not set";
  std::string dir = std::string(root) + "/" + sub;
  std::vector<std::string> files = WastFiles(dir);
  if (files.empty()) GTEST_SKIP() << "no .wast files in " << dir;
  const char* tmp = std::getenv("TEST_TMPDIR");
  std::string out = std::string(tmp ? tmp : "/tmp") + "/spec-" + sub;
  std::system(("mkdir -p '" + out + "'").c_str());
  uint32_t passed = 0, failed = 0, skipped = 0, not_converted = 0;
  for (const std::string& f : files) {
    std::string name = f.substr(0, f.size() - 5);
    std::string json = out + "/" + name + ".json";
    std::string cmd = std::string("wast2json ") + wast2json_flags + " '" + dir + "/" + f + "' -o '" +
                      json + "' >/dev/null 2>&1";
    if (std::system(cmd.c_str()) != 0) {
      std::printf("%s: not converted by wast2json\n", name.c_str());
      ++not_converted;
      continue;
    }
    WastOptions options;
    options.features = features;
    WastResult r = RunWastJson(json, options);
    EXPECT_EQ(r.error, "") << name;
    EXPECT_EQ(r.failed, 0u) << name;
    for (size_t i = 0; i < r.failures.size() && i < 5; ++i) ADD_FAILURE() << r.failures[i];
    std::printf("%s: %u passed, %u failed, %u skipped\n", name.c_str(), r.passed, r.failed,
                r.skipped);
    passed += r.passed;
    failed += r.failed;
    skipped += r.skipped;
  }
  std::printf("%s total: %zu files (%u not converted), %u passed, %u failed, %u skipped\n",
              sub.c_str(), files.size(), not_converted, passed, failed, skipped);
}

TEST(SpecTestsuiteTest, WebAssembly20) { RunSuite("2.0", "", Features::Default()); }

TEST(SpecTestsuiteTest, WebAssembly30) { RunSuite("3.0", "--enable-all", Features::All()); }

// The legacy exception-handling scripts (try / catch / catch_all / rethrow /
// delegate), with every feature plus legacy-exceptions (they use return_call).
TEST(SpecTestsuiteTest, LegacyExceptions) {
  RunSuite("3.0/legacy", "--enable-all",
           Features::All().enable(Feature::kLegacyExceptions));
}

}  // namespace
}  // namespace wasmstream::wasm
