// wasmstream validate FILE... [--json] [feature flags]
// One line per file: "FILE: valid" or "FILE: <CompileError> @+offset"; with
// --json one JSON object per line. Exit 0 only when every file is valid.
#include <cstdio>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tools/wasmstream/command.h"
#include "tools/wasmstream/feature_flags.h"
#include "tools/wasmstream/module_file.h"
#include "wasm/features.h"
#include "wasm/module_reflection.h"
#include "wasm/streaming_compiler.h"

namespace wasmstream::cli {
namespace {

using wasm::Features;

constexpr const char kUsage[] = "usage: wasmstream validate FILE... [--json] [feature flags]\n";

int RunValidate(const std::vector<std::string>& args) {
  Features features = Features::Default();
  bool json = false;
  std::vector<std::string> files;
  for (const std::string& a : args) {
    if (a == "--json") {
      json = true;
    } else if (FeatureFlag f = ParseFeatureFlag(a, &features);
               f != FeatureFlag::kNotAFeatureFlag) {
      if (f == FeatureFlag::kUnknownFeature) {
        std::fprintf(stderr, "wasmstream validate: unknown feature in '%s'\n%s%s", a.c_str(),
                     kUsage, FeatureFlagsHelp().c_str());
        return 2;
      }
    } else if (a == "--help" || a == "-h") {
      std::printf("%s%s", kUsage, FeatureFlagsHelp().c_str());
      return 0;
    } else if (a.rfind("--", 0) == 0) {
      std::fprintf(stderr, "wasmstream validate: unknown option '%s'\n%s%s", a.c_str(), kUsage,
                   FeatureFlagsHelp().c_str());
      return 2;
    } else {
      files.push_back(a);
    }
  }
  if (files.empty()) {
    std::fprintf(stderr, "%s%s", kUsage, FeatureFlagsHelp().c_str());
    return 2;
  }
  bool all_valid = true;
  for (const std::string& file : files) {
    ModuleFileResult streamed = CompileModuleFile(file, features);
    if (streamed.file_error) {
      all_valid = false;
      if (json) {
        nlohmann::json j = {{"file", file}, {"valid", false}, {"error", *streamed.file_error}};
        std::printf("%s\n", j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
      } else {
        std::printf("%s: %s\n", file.c_str(), streamed.file_error->c_str());
      }
      continue;
    }
    wasm::CompileResult& r = *streamed.compile;
    all_valid = all_valid && r.ok();
    if (!json) {
      std::printf("%s: %s\n", file.c_str(), r.ok() ? "valid" : r.error().Format().c_str());
      continue;
    }
    nlohmann::json j = {{"file", file}, {"valid", r.ok()}};
    if (r.ok()) {
      nlohmann::json imports = nlohmann::json::array(), exports = nlohmann::json::array();
      for (const auto& i : wasm::ModuleImports(*r.value())) {
        imports.push_back({{"module", i.module}, {"name", i.name}, {"kind", i.kind}});
      }
      for (const auto& e : wasm::ModuleExports(*r.value())) {
        exports.push_back({{"name", e.name}, {"kind", e.kind}});
      }
      j["imports"] = std::move(imports);
      j["exports"] = std::move(exports);
    } else {
      j["error"] = r.error().Format();
      j["offset"] = r.error().offset;
    }
    // Names may hold any UTF-8 (validated); replace rather than throw on odd bytes.
    std::printf("%s\n", j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
  }
  return all_valid ? 0 : 1;
}

Command validate("validate", "FILE...  validate WebAssembly modules ([--json] [feature flags])",
                 RunValidate);

}  // namespace
}  // namespace wasmstream::cli
