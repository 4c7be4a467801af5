// wasmstream wast FILE.json...: runs spec test scripts converted by wabt's
// wast2json and ends with "N passed, N failed".
#include <cstdio>
#include <string>
#include <vector>

#include "tools/wasmstream/command.h"
#include "tools/wasmstream/feature_flags.h"
#include "wasm/runtime/wast/script_runner.h"

namespace wasmstream::cli {
namespace {

int RunWast(const std::vector<std::string>& args) {
  wasm::WastOptions options;
  std::vector<std::string> files;
  bool verbose = false;
  for (const std::string& a : args) {
    if (FeatureFlag f = ParseFeatureFlag(a, &options.features);
        f != FeatureFlag::kNotAFeatureFlag) {
      if (f == FeatureFlag::kUnknownFeature) {
        std::fprintf(stderr, "wasmstream wast: unknown feature in '%s'\n%s", a.c_str(),
                     FeatureFlagsHelp().c_str());
        return 2;
      }
    } else if (a == "-v" || a == "--verbose") {
      verbose = true;
    } else if (a == "--print") {
      options.print = true;
    } else if (!a.empty() && a[0] == '-') {
      std::fprintf(stderr, "wasmstream wast: unknown option '%s'\n", a.c_str());
      return 2;
    } else {
      files.push_back(a);
    }
  }
  if (files.empty()) {
    std::fprintf(stderr, "usage: wasmstream wast [feature flags] [-v] FILE.json...\n%s",
                 FeatureFlagsHelp().c_str());
    return 2;
  }
  uint32_t passed = 0, failed = 0, skipped = 0;
  for (const std::string& file : files) {
    wasm::WastResult r = wasm::RunWastJson(file, options);
    if (!r.error.empty()) {
      std::fprintf(stderr, "wasmstream wast: %s\n", r.error.c_str());
      ++failed;
      continue;
    }
    for (const std::string& f : r.failures) std::printf("FAIL %s\n", f.c_str());
    if (verbose || files.size() > 1) {
      std::printf("%s: %u passed, %u failed, %u skipped\n", file.c_str(), r.passed, r.failed,
                  r.skipped);
    }
    passed += r.passed;
    failed += r.failed;
    skipped += r.skipped;
  }
  std::printf("%u passed, %u failed, %u skipped\n", passed, failed, skipped);
  return failed ? 1 : 0;
}

Command wast("wast", "FILE.json...  run wast2json spec test scripts", RunWast);

}  // namespace
}  // namespace wasmstream::cli
