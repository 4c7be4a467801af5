// wasmstream validate FILE... [--json] [--enable-F] [--disable-F] [--all-features] [--wasm20]
// One line per file: "FILE: valid" or "FILE: <CompileError> @+offset"; with
// --json one JSON object per line. Exit 0 only when every file is valid.
#include <cstdio>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tools/wasmstream/command.h"
#include "tools/wasmstream/module_file.h"
#include "wasm/features.h"
#include "wasm/module_reflection.h"
#include "wasm/streaming_compiler.h"

namespace wasmstream::cli {
namespace {

using wasm::Feature;
using wasm::Features;

constexpr const char kUsage[] =
    "usage: wasmstream validate FILE... [--json] [--enable-FEATURE] [--disable-FEATURE] "
    "[--all-features] [--wasm20]\n"
    "  default features: what V8 ships (WebAssembly 3.0, threads, legacy exceptions);\n"
    "  --wasm20: WebAssembly 2.0 alone\n";

int RunValidate(const std::vector<std::string>& args) {
  Features features = Features::Default();
  bool json = false;
  std::vector<std::string> files;
  for (const std::string& a : args) {
    if (a == "--json") {
      json = true;
    } else if (a == "--all-features") {
      features = Features::All();
    } else if (a == "--wasm20") {
      features = Features::Wasm20();
    } else if (a.rfind("--enable-", 0) == 0 || a.rfind("--disable-", 0) == 0) {
      bool enable = a[2] == 'e';
      std::string name = a.substr(enable ? 9 : 10);
      std::optional<Feature> f = Features::FromName(name);
      if (!f) {
        std::fprintf(stderr, "wasmstream validate: unknown feature '%s'\n", name.c_str());
        return 2;
      }
      if (enable) features.enable(*f); else features.disable(*f);
    } else if (a == "--help" || a == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    } else if (a.rfind("--", 0) == 0) {
      std::fprintf(stderr, "wasmstream validate: unknown option '%s'\n%s", a.c_str(), kUsage);
      return 2;
    } else {
      files.push_back(a);
    }
  }
  if (files.empty()) {
    std::fputs(kUsage, stderr);
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

Command validate("validate", "FILE...  validate WebAssembly modules ([--json] [--enable-F] ...)",
                 RunValidate);

}  // namespace
}  // namespace wasmstream::cli
