// wasmstream wast FILE.json...: runs spec test scripts converted by wabt's
// wast2json and ends with "N passed, N failed".
#include <cstdio>
#include <string>
#include <vector>

#include "tools/wasmstream/command.h"
#include "wasm/runtime/wast/script_runner.h"

namespace wasmstream::cli {
namespace {

int RunWast(const std::vector<std::string>& args) {
  wasm::WastOptions options;
  std::vector<std::string> files;
  bool verbose = false;
  for (const std::string& a : args) {
    if (a == "--enable-all") {
      options.features = wasm::Features::All();
    } else if (a.rfind("--enable-", 0) == 0) {
      auto f = wasm::Features::FromName(a.substr(9));
      if (!f) {
        std::fprintf(stderr, "wasmstream wast: unknown feature '%s'\n", a.c_str() + 9);
        return 2;
      }
      options.features.enable(*f);
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
    std::fprintf(stderr,
                 "usage: wasmstream wast [--enable-FEATURE|--enable-all] [-v] FILE.json...\n");
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
