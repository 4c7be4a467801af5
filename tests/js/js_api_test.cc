// Runs each tests/js/*.any.js file with WPT's testharness.js (npm wpt-runner,
// installed by tools/fetch-test-tools; the test skips and says so when it is
// missing) in a JsRuntime whose page is a loopback HTTP server serving the
// modules of tests/js/modules and a few broken responses; a second server
// is a cross-origin one. Each harness result is printed and every result
// that is not PASS fails the test, named.
//
// What a test file sees besides the harness: wasmBytes(name) (a fresh
// Uint8Array of modules/<name>.wasm), CROSS_ORIGIN (the other server's
// origin), and location = the page server's origin. A line
// `// META: csp=POLICY` gives the page that Content-Security-Policy.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "bindings/event_loop.h"
#include "bindings/js/js_runtime.h"
#include "bindings/realm.h"
#include "fetch/fetcher.h"
#include "tests/testing/http_server.h"

namespace wasmstream::bindings::js {
namespace {

namespace fs = std::filesystem;
using testserver::HeaderList;
using testserver::HttpServer;

constexpr char kHarness[] = "node_modules/wpt-runner/testharness/testharness.js";

fs::path Runfile(const std::string& rel) {
  const char* srcdir = std::getenv("TEST_SRCDIR");
  const char* workspace = std::getenv("TEST_WORKSPACE");
  if (srcdir && workspace) return fs::path(srcdir) / workspace / rel;
  return fs::path(rel);
}

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// testharness.js: in $WASMSTREAM_TEST_TOOLS_DIR, else in test-tools/ of the
// source tree (found through the runfiles' symlinks, as
// tools/wast2json-wasmtools.mjs finds it).
std::optional<fs::path> HarnessPath() {
  std::error_code ec;
  if (const char* dir = std::getenv("WASMSTREAM_TEST_TOOLS_DIR")) {
    fs::path p = fs::path(dir) / kHarness;
    if (fs::exists(p, ec)) return p;
  }
  fs::path report = fs::canonical(Runfile("tests/js/harness/report.js"), ec);
  if (ec) return std::nullopt;
  fs::path p = report.parent_path().parent_path().parent_path().parent_path() / "test-tools" / kHarness;
  if (fs::exists(p, ec)) return p;
  return std::nullopt;
}

std::vector<std::string> TestFiles() {
  std::vector<std::string> files;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(Runfile("tests/js"), ec)) {
    std::string name = e.path().filename().string();
    if (name.size() > 7 && name.ends_with(".any.js")) files.push_back(name);
  }
  std::sort(files.begin(), files.end());
  return files;
}

// wasmBytes(name) over the compiled modules.
std::string ModulesScript() {
  std::string js = "const WASM_MODULES = {";
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(Runfile("tests/js/modules"), ec)) {
    if (e.path().extension() != ".wasm") continue;
    std::string bytes = ReadFile(e.path());
    js += "'" + e.path().stem().string() + "': [";
    for (unsigned char c : bytes) js += std::to_string(c) + ",";
    js += "],";
  }
  js += "};\nfunction wasmBytes(name) {\n"
        "  if (!(name in WASM_MODULES)) throw new Error('no module ' + name);\n"
        "  return new Uint8Array(WASM_MODULES[name]);\n}\n";
  return js;
}

class JsApiTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    const HeaderList wasm = {{"Content-Type", "application/wasm"}};
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(Runfile("tests/js/modules"), ec)) {
      if (e.path().extension() != ".wasm") continue;
      std::string bytes = ReadFile(e.path());
      std::string path = "/" + e.path().filename().string();
      server_.Fixed(path, 200, wasm, bytes);
      cross_.Fixed(path, 200, wasm, bytes);
      cross_.Fixed("/cors" + path, 200,
                   {{"Content-Type", "application/wasm"}, {"Access-Control-Allow-Origin", "*"}},
                   bytes);
      if (e.path().stem() == "simple") {
        server_.Fixed("/wrong-mime.wasm", 200, {{"Content-Type", "text/plain"}}, bytes);
        server_.Fixed("/mime-params.wasm", 200,
                      {{"Content-Type", "application/wasm; charset=utf-8"}}, bytes);
        server_.Fixed("/not-found.wasm", 404, wasm, bytes);
        server_.Trickle("/slow.wasm", bytes, 8, std::chrono::milliseconds(5), wasm);
        server_.Redirect("/redirect.wasm", 302, "/simple.wasm");
        server_.Redirect("/redirect-cross.wasm", 302, cross_.Url("/simple.wasm"));
      }
    }
    server_.Fixed("/invalid.wasm", 200, wasm, std::string("\0asm\1\0\0\0\1\5", 10));
    server_.Fixed("/empty.wasm", 200, wasm, "");
    server_.Hang("/hang.wasm", {{"Content-Type", "application/wasm"}, {"Content-Length", "100"}});
    server_.Fixed("/data.json", 200, {{"Content-Type", "application/json"}, {"X-Test", "yes"}},
                  "{\"answer\": 42, \"list\": [1, 2]}");
  }

  HttpServer server_;
  HttpServer cross_;
};

TEST_P(JsApiTest, File) {
  std::optional<fs::path> harness = HarnessPath();
  if (!harness) {
    GTEST_SKIP() << "testharness.js is not installed (run tools/fetch-test-tools)";
  }
  const std::string file = GetParam();
  std::string source = ReadFile(Runfile("tests/js/" + file));
  ASSERT_FALSE(source.empty()) << file;

  EventLoop loop;
  fetch::Fetcher fetcher;
  Realm realm(loop);
  realm.fetcher = &fetcher;
  ASSERT_TRUE(realm.SetPageUrl(server_.Url("/")));
  std::istringstream lines(source);
  for (std::string line; std::getline(lines, line);) {
    constexpr std::string_view kCsp = "// META: csp=";
    if (line.starts_with(kCsp)) realm.csp.AddHeader(line.substr(kCsp.size()), CspDisposition::kEnforce);
  }

  std::vector<nlohmann::json> results;
  std::optional<nlohmann::json> done;
  std::vector<std::string> errors;  // anything printed on stderr
  {
    JsRuntime runtime(realm, [&](int stream, std::string_view line) {
      if (line.starts_with("\x01RESULT ")) {
        results.push_back(nlohmann::json::parse(line.substr(8)));
      } else if (line.starts_with("\x01" "DONE ")) {
        done = nlohmann::json::parse(line.substr(6));
      } else if (stream == 2) {
        errors.emplace_back(line);
      } else {
        std::printf("  console: %.*s\n", static_cast<int>(line.size()), line.data());
      }
    });
    ASSERT_TRUE(runtime.Evaluate(ReadFile(*harness), "testharness.js"));
    ASSERT_TRUE(runtime.Evaluate(ReadFile(Runfile("tests/js/harness/report.js")), "report.js"));
    ASSERT_TRUE(runtime.Evaluate(ModulesScript() + "const CROSS_ORIGIN = '" + cross_.origin() + "';\n",
                                 "resources.js"));
    runtime.Evaluate(source, file);
    runtime.Evaluate("done();", "done.js");
    runtime.RunUntilIdle(std::chrono::seconds(60));
  }

  static const char* kStatus[] = {"PASS", "FAIL", "TIMEOUT", "NOTRUN", "PRECONDITION_FAILED"};
  for (const nlohmann::json& r : results) {
    int status = r.value("status", 1);
    std::string name = r.value("name", "");
    std::string message = r["message"].is_string() ? r["message"].get<std::string>() : "";
    std::printf("[%s] %s%s%s\n", kStatus[status < 5 ? status : 1], name.c_str(),
                message.empty() ? "" : ": ", message.c_str());
    if (status != 0) ADD_FAILURE() << file << ": " << kStatus[status < 5 ? status : 1] << " " << name << ": " << message;
  }
  for (const std::string& e : errors) ADD_FAILURE() << file << " printed: " << e;
  ASSERT_TRUE(done.has_value()) << file << ": the harness did not complete (" << results.size()
                                << " results)";
  EXPECT_EQ((*done)["status"], 0) << file << ": harness status: " << (*done)["message"];
  EXPECT_FALSE(results.empty()) << file << " has no tests";
}

INSTANTIATE_TEST_SUITE_P(AnyJs, JsApiTest, ::testing::ValuesIn(TestFiles()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string name;
                           for (char c : info.param.substr(0, info.param.size() - 7)) {
                             name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
                           }
                           return name;
                         });

}  // namespace
}  // namespace wasmstream::bindings::js
