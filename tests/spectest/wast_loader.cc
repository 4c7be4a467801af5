#include "tests/spectest/wast_loader.h"

#include <sys/stat.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>

namespace wasmstream::spectest {

namespace fs = std::filesystem;

namespace {

std::string ShellQuote(const std::string& s) {
  std::string q = "'";
  for (char c : s) {
    if (c == '\'') q += "'\\''";
    else q += c;
  }
  return q + "'";
}

}  // namespace

std::optional<std::vector<uint8_t>> ReadFileBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::optional<WastScript> ConvertWast(const std::string& wast_path, const std::string& out_dir,
                                      const std::vector<std::string>& flags, std::string* error) {
  std::error_code ec;
  fs::create_directories(out_dir, ec);
  std::string stem = fs::path(wast_path).stem().string();
  std::string json_path = (fs::path(out_dir) / (stem + ".json")).string();
  std::string cmd = "wast2json";
  for (const std::string& f : flags) cmd += " " + ShellQuote(f);
  cmd += " " + ShellQuote(wast_path) + " -o " + ShellQuote(json_path) + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) {
    *error = "cannot run wast2json";
    return std::nullopt;
  }
  std::string output;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) output.append(buf, n);
  int status = pclose(p);
  if (status != 0) {
    // The first line says why (wabt's text parser lacks a feature, …).
    *error = output.substr(0, output.find('\n'));
    if (error->empty()) *error = "wast2json failed (status " + std::to_string(status) + ")";
    return std::nullopt;
  }
  std::ifstream in(json_path);
  nlohmann::json j = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.contains("commands")) {
    *error = "wast2json wrote no readable JSON";
    return std::nullopt;
  }
  WastScript script;
  script.wast_path = wast_path;
  for (const nlohmann::json& c : j["commands"]) {
    WastCommand cmd_out;
    cmd_out.type = c.value("type", "");
    cmd_out.line = c.value("line", 0);
    if (c.contains("filename")) {
      cmd_out.module_path = (fs::path(out_dir) / c["filename"].get<std::string>()).string();
    }
    cmd_out.module_type = c.value("module_type", "binary");
    cmd_out.text = c.value("text", "");
    cmd_out.json = c;
    script.commands.push_back(std::move(cmd_out));
  }
  return script;
}

std::vector<Suite> Suites() {
  using wasm::Feature;
  using wasm::Features;
  Features v2 = Features::Default();
  Features all = Features::All().disable(Feature::kLegacyExceptions);
  return {
      {"2.0", "2.0", {}, v2},
      // The threads proposal's scripts predate reference types ("multiple tables").
      {"2.0/threads", "2.0/proposals/threads", {"--enable-threads"},
       Features(v2).enable(Feature::kThreads).disable(Feature::kReferenceTypes)},
      {"2.0/relaxed-simd", "2.0/proposals/relaxed-simd", {"--enable-relaxed-simd"},
       Features(v2).enable(Feature::kRelaxedSimd)},
      {"3.0", "3.0", {"--enable-all"}, all},
      {"3.0/legacy", "3.0/legacy", {"--enable-exceptions"},
       Features(v2).enable(Feature::kExceptions).enable(Feature::kLegacyExceptions)},
      {"3.0/threads", "3.0/proposals/threads", {"--enable-threads"},
       Features(v2).enable(Feature::kThreads).disable(Feature::kReferenceTypes)},
  };
}

std::string TestsuiteRoot() {
  const char* env = std::getenv("WASM_TESTSUITE_DIR");
  if (!env || !*env) return {};
  std::error_code ec;
  if (!fs::is_directory(env, ec)) return {};
  return env;
}

std::vector<std::string> WastFiles(const std::string& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (e.is_regular_file() && e.path().extension() == ".wast") out.push_back(e.path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace wasmstream::spectest
