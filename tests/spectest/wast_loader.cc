#include "tests/spectest/wast_loader.h"

#include <sys/stat.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>

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
  return LoadWastJson(wast_path, json_path, error);
}

std::optional<WastScript> LoadWastJson(const std::string& wast_path, const std::string& json_path,
                                       std::string* error) {
  std::string out_dir = fs::path(json_path).parent_path().string();
  std::ifstream in(json_path);
  nlohmann::json j = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.contains("commands") || !j["commands"].is_array()) {
    *error = "the converter wrote no readable JSON (" + json_path + ")";
    return std::nullopt;
  }
  WastScript script;
  script.wast_path = wast_path;
  for (const nlohmann::json& c : j["commands"]) {
    WastCommand cmd_out;
    if (!c.is_object()) {
      *error = json_path + ": a command is not an object";
      return std::nullopt;
    }
    cmd_out.type = c.value("type", "");
    cmd_out.line = c.value("line", 0);
    if (c.contains("filename") && c["filename"].is_string()) {
      cmd_out.module_path = (fs::path(out_dir) / c["filename"].get<std::string>()).string();
    }
    cmd_out.module_type = c.value("module_type", "binary");
    cmd_out.text = c.value("text", "");
    cmd_out.json = c;
    script.commands.push_back(std::move(cmd_out));
  }
  return script;
}

namespace {

// Runs {cmd} (stdout and stderr captured); returns the exit status (-1 when
// it did not exit normally).
int RunCommand(const std::string& cmd, std::string* output) {
  FILE* p = popen((cmd + " 2>&1").c_str(), "r");
  if (!p) return -1;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) output->append(buf, n);
  int status = pclose(p);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

constexpr char kConverterScript[] = "tools/wast2json-wasmtools.mjs";
constexpr int kConverterToolsMissing = 3;  // the script's exit status

}  // namespace

WasmToolsConverter::WasmToolsConverter() {
  // In a Bazel test the script is a data file in the runfiles; elsewhere the
  // working directory is the repository root.
  const char* srcdir = std::getenv("TEST_SRCDIR");
  const char* workspace = std::getenv("TEST_WORKSPACE");
  std::error_code ec;
  if (srcdir && workspace) {
    fs::path p = fs::path(srcdir) / workspace / kConverterScript;
    if (fs::exists(p, ec)) script_ = p.string();
  }
  if (script_.empty() && fs::exists(kConverterScript, ec)) script_ = kConverterScript;
  if (script_.empty()) {
    why_ = std::string(kConverterScript) + " is not in the runfiles";
    return;
  }
  std::string output;
  int status = RunCommand("node " + ShellQuote(script_) + " --check", &output);
  if (status == 0) return;
  if (status == kConverterToolsMissing) {
    why_ = output.substr(0, output.find('\n'));
  } else if (status == 127) {
    why_ = "node is not installed (tools/setup installs nodejs)";
  } else {
    why_ = "the converter does not run: " + output.substr(0, output.find('\n'));
  }
}

std::vector<std::optional<WastScript>> WasmToolsConverter::Convert(
    const std::vector<std::string>& wast_paths, const std::string& out_dir,
    std::vector<std::string>* errors) const {
  std::vector<std::optional<WastScript>> out(wast_paths.size());
  errors->assign(wast_paths.size(), "");
  if (wast_paths.empty()) return out;
  if (!available()) {
    errors->assign(wast_paths.size(), why_);
    return out;
  }
  std::error_code ec;
  fs::create_directories(out_dir, ec);
  std::string cmd = "node " + ShellQuote(script_) + " --out-dir " + ShellQuote(out_dir);
  for (const std::string& w : wast_paths) cmd += " " + ShellQuote(w);
  std::string output;
  RunCommand(cmd, &output);
  // Failures are reported one per line as "<input>:<line>: <message>".
  std::map<std::string, std::string> failed;
  std::istringstream lines(output);
  for (std::string l; std::getline(lines, l);) {
    for (const std::string& w : wast_paths) {
      if (l.rfind(w + ":", 0) == 0 && !failed.count(w)) failed[w] = l.substr(w.size() + 1);
    }
  }
  for (size_t i = 0; i < wast_paths.size(); ++i) {
    const std::string& w = wast_paths[i];
    if (auto it = failed.find(w); it != failed.end()) {
      (*errors)[i] = "line " + it->second;
      continue;
    }
    std::string json = (fs::path(out_dir) / (fs::path(w).stem().string() + ".json")).string();
    out[i] = LoadWastJson(w, json, &(*errors)[i]);
  }
  return out;
}

std::vector<std::optional<WastScript>> ConvertAll(const std::vector<std::string>& wast_paths,
                                                  const std::string& out_dir,
                                                  const std::vector<std::string>& flags,
                                                  const WasmToolsConverter& fallback,
                                                  std::vector<std::string>* converter,
                                                  std::vector<std::string>* errors) {
  std::vector<std::optional<WastScript>> out(wast_paths.size());
  converter->assign(wast_paths.size(), "");
  errors->assign(wast_paths.size(), "");
  std::vector<std::string> refused;
  std::vector<size_t> refused_at;
  for (size_t i = 0; i < wast_paths.size(); ++i) {
    out[i] = ConvertWast(wast_paths[i], out_dir, flags, &(*errors)[i]);
    if (out[i]) {
      (*converter)[i] = "wast2json";
    } else {
      refused.push_back(wast_paths[i]);
      refused_at.push_back(i);
    }
  }
  if (refused.empty() || !fallback.available()) return out;
  std::vector<std::string> fallback_errors;
  std::vector<std::optional<WastScript>> converted =
      fallback.Convert(refused, out_dir + "/wasm-tools", &fallback_errors);
  for (size_t k = 0; k < refused.size(); ++k) {
    size_t i = refused_at[k];
    if (converted[k]) {
      out[i] = std::move(converted[k]);
      (*converter)[i] = "wasm-tools";
      (*errors)[i].clear();
    } else {
      (*errors)[i] = "wast2json: " + (*errors)[i] + "; wasm-tools: " + fallback_errors[k];
    }
  }
  return out;
}

std::vector<Suite> Suites() {
  using wasm::Feature;
  using wasm::Features;
  Features v2 = Features::Wasm20();
  Features all = Features::All().disable(Feature::kLegacyExceptions);
  return {
      {"2.0", "2.0", {}, v2},
      // The threads proposal's scripts predate reference types ("multiple tables").
      {"2.0/threads", "2.0/proposals/threads", {"--enable-threads"},
       Features(v2).enable(Feature::kThreads).disable(Feature::kReferenceTypes)},
      {"2.0/relaxed-simd", "2.0/proposals/relaxed-simd", {"--enable-relaxed-simd"},
       Features(v2).enable(Feature::kRelaxedSimd)},
      {"3.0", "3.0", {"--enable-all"}, all},
      // --enable-all: wabt parses try_catch/try_delegate only so (their return_call).
      {"3.0/legacy", "3.0/legacy", {"--enable-all"},
       Features(v2).enable(Feature::kExceptions).enable(Feature::kLegacyExceptions)
           .enable(Feature::kTailCall)},
      {"3.0/threads", "3.0/proposals/threads", {"--enable-threads"},
       Features(v2).enable(Feature::kThreads).disable(Feature::kReferenceTypes)},
  };
}

std::vector<std::pair<std::string, std::string>> SuitesNotRun() {
  return {
      {"3.0/proposals/wide-arithmetic", "wide-arithmetic is not implemented"},
      {"3.0/proposals/custom-page-sizes", "custom-page-sizes is not implemented"},
      {"3.0/proposals/custom-descriptors", "custom-descriptors is not implemented"},
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
