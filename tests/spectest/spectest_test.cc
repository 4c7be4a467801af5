// The spec testsuite's validation commands, for every .wast of every suite in
// Suites() (wast_loader.h) under $WASM_TESTSUITE_DIR:
//   module, assert_unlinkable, assert_uninstantiable, assert_trap (module)
//                                 -> must validate
//   assert_invalid, assert_malformed (binary)  -> must be rejected
// (assert_malformed on text is about the text format: wabt's job, skipped.)
// Every module is also compiled in random chunks and one byte at a time, and
// must give the identical result. Prints a per-file table (markdown).
//
// Scripts wast2json cannot convert (wabt 1.0.32's text parser lacks GC, typed
// references, exnref…) are converted by tools/wast2json-wasmtools.mjs
// (wasm-tools' parser); when node or its npm package is missing, or neither
// converter can read a script, the script is reported, not failed.
// Known gaps are listed in kExpectedFailures with a reason; anything else
// failing fails the test.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <string>

#include "tests/spectest/wast_loader.h"
#include "wasm/streaming_compiler.h"
#include "wasm/testing/module_builder.h"

namespace wasmstream::spectest {
namespace {

namespace fs = std::filesystem;
using wasm::CompileResult;

// "suite/file.wast:line" -> why it is expected to fail.
const std::map<std::string, std::string>& ExpectedFailures() {
  // The JS API's implementation limits (the JS API spec's "Limits"), which
  // V8 applies at compile time too, as this validator does: these module
  // definitions are valid but never instantiable.
  static const std::string kJsLimit = "exceeds the JS API's implementation limit";
  static const std::map<std::string, std::string> m = {
      {"3.0/memory64.wast:8", "memory of 2^48 pages " + kJsLimit},
      {"3.0/table.wast:9", "table of 2^32-1 elements " + kJsLimit},
      {"3.0/table64.wast:9", "table of 2^64-1 elements " + kJsLimit},
  };
  return m;
}

struct Row {
  std::string suite, file;
  int checked = 0, passed = 0, messages = 0, text_skipped = 0, expected_fail = 0;
  std::string note;
};

bool MessageMatches(const std::string& ours, const std::string& expected) {
  if (expected.empty()) return true;
  // Ours may carry a "Compiling function #N failed: " prefix and detail.
  return ours.find(expected) != std::string::npos;
}

std::string Describe(const CompileResult& r) { return r.ok() ? "valid" : r.error().Format(); }

bool SameOutcome(const CompileResult& a, const CompileResult& b) {
  if (a.ok() != b.ok()) return false;
  return a.ok() || a.error() == b.error();
}

TEST(SpecTestsuiteTest, ValidationCommands) {
  std::string root = TestsuiteRoot();
  if (root.empty()) {
    GTEST_SKIP() << "WASM_TESTSUITE_DIR is unset or not a directory: spec testsuite skipped";
  }
  const char* tmp_env = std::getenv("TEST_TMPDIR");
  std::string tmp = tmp_env ? tmp_env : fs::temp_directory_path().string();
  WasmToolsConverter fallback;
  if (!fallback.available()) {
    std::printf("scripts wast2json refuses are not run: %s\n", fallback.why().c_str());
  }
  std::mt19937 rng(20261125);
  std::vector<Row> rows;
  int total_checked = 0, total_passed = 0, total_msgs = 0, not_converted = 0, by_wasm_tools = 0;

  for (const Suite& suite : Suites()) {
    fs::path dir = fs::path(root) / suite.dir;
    if (!fs::is_directory(dir)) {
      rows.push_back({suite.name, "(folder absent)", 0, 0, 0, 0, 0, ""});
      continue;
    }
    std::vector<std::string> files = WastFiles(dir.string());
    std::vector<std::string> converter, errors;
    std::string out_dir = (fs::path(tmp) / suite.name).string();
    std::vector<std::optional<WastScript>> scripts =
        ConvertAll(files, out_dir, suite.wast2json_flags, fallback, &converter, &errors);
    for (size_t f = 0; f < files.size(); ++f) {
      const std::string& wast = files[f];
      Row row;
      row.suite = suite.name;
      row.file = fs::path(wast).filename().string();
      const std::optional<WastScript>& script = scripts[f];
      if (!script) {
        row.note = "not converted: " + errors[f].substr(0, 100);
        ++not_converted;
        rows.push_back(row);
        continue;
      }
      if (converter[f] == "wasm-tools") {
        row.note = "wasm-tools";
        ++by_wasm_tools;
      }
      for (const WastCommand& c : script->commands) {
        bool must_validate = c.type == "module" || c.type == "module_definition" ||
                             c.type == "assert_unlinkable" ||
                             c.type == "assert_uninstantiable" ||
                             (c.type == "assert_trap" && !c.module_path.empty());
        bool must_fail = c.type == "assert_invalid" || c.type == "assert_malformed";
        if (!must_validate && !must_fail) continue;
        if (c.module_type == "text") {
          ++row.text_skipped;
          continue;
        }
        std::optional<std::vector<uint8_t>> bytes = ReadFileBytes(c.module_path);
        if (!bytes) {
          ADD_FAILURE() << wast << ":" << c.line << ": cannot read " << c.module_path;
          continue;
        }
        ++row.checked;
        std::string where = suite.name + "/" + row.file + ":" + std::to_string(c.line);
        CompileResult whole = wasm::testing::CompileInChunks(*bytes, 0, suite.features);
        // The same bytes in random chunks, and one byte at a time.
        size_t chunk = 1 + rng() % std::max<size_t>(1, bytes->size() / 3 + 1);
        CompileResult chunked = wasm::testing::CompileInChunks(*bytes, chunk, suite.features, true);
        CompileResult bytewise = wasm::testing::CompileInChunks(*bytes, 1, suite.features);
        EXPECT_TRUE(SameOutcome(whole, chunked))
            << where << ": whole " << Describe(whole) << " vs chunks of " << chunk << " "
            << Describe(chunked);
        EXPECT_TRUE(SameOutcome(whole, bytewise))
            << where << ": whole " << Describe(whole) << " vs 1-byte " << Describe(bytewise);
        bool pass = must_validate ? whole.ok() : !whole.ok();
        if (pass) {
          ++row.passed;
          if (must_fail && MessageMatches(whole.error().message, c.text)) {
            ++row.messages;
          } else if (must_fail && std::getenv("SPECTEST_VERBOSE")) {
            std::printf("message differs: %s: expected \"%s\", got %s\n", where.c_str(),
                        c.text.c_str(), Describe(whole).c_str());
          }
          if (must_validate) ++row.messages;
          continue;
        }
        auto expected = ExpectedFailures().find(where);
        if (expected != ExpectedFailures().end()) {
          ++row.expected_fail;
          continue;
        }
        ADD_FAILURE() << where << ": " << c.type << " expected "
                      << (must_validate ? "valid" : "\"" + c.text + "\"") << ", got "
                      << Describe(whole);
      }
      total_checked += row.checked;
      total_passed += row.passed;
      total_msgs += row.messages;
      rows.push_back(row);
    }
  }

  for (const auto& [dir, why] : SuitesNotRun()) {
    if (!fs::is_directory(fs::path(root) / dir)) continue;
    Row row;
    row.suite = dir;  // "3.0/proposals/x" is shown as "3.0/x", as in Suites()
    if (size_t at = dir.find("/proposals/"); at != std::string::npos) {
      row.suite = dir.substr(0, at) + "/" + dir.substr(at + 11);
    }
    row.file = "(" + std::to_string(WastFiles((fs::path(root) / dir).string()).size()) + " files)";
    row.note = "not run: " + why;
    rows.push_back(row);
  }

  // The table for README.md ("Spec testsuite").
  std::string table =
      "| suite | file | checked | passed | message matches | text-only skipped | note |\n"
      "|---|---|---:|---:|---:|---:|---|\n";
  for (const Row& r : rows) {
    std::string note = r.note;
    if (r.expected_fail) {
      note += (note.empty() ? "" : "; ") + std::to_string(r.expected_fail) + " expected failure(s)";
    }
    table += "| " + r.suite + " | " + r.file + " | " + std::to_string(r.checked) + " | " +
             std::to_string(r.passed) + " | " + std::to_string(r.messages) + " | " +
             std::to_string(r.text_skipped) + " | " + note + " |\n";
  }
  table += "\nTotal: " + std::to_string(total_passed) + " of " + std::to_string(total_checked) +
           " commands pass (" + std::to_string(total_msgs) + " with the spec's message text); " +
           std::to_string(by_wasm_tools) + " scripts converted by wasm-tools (wast2json refuses them), " +
           std::to_string(not_converted) + " not converted.\n";
  std::printf("%s", table.c_str());
  if (const char* out = std::getenv("TEST_UNDECLARED_OUTPUTS_DIR")) {
    std::ofstream(fs::path(out) / "spectest.md") << table;
  }
}

}  // namespace
}  // namespace wasmstream::spectest
