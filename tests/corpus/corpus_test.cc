// Every module of the real-module corpus (tools/fetch-corpus: npm packages
// built with Emscripten, Rust/wasm-bindgen and Go) must validate, node's
// WebAssembly.validate must agree, and random chunkings (including one byte at
// a time for the smaller modules) must give the identical result.
//
// The corpus folder comes from $WASMSTREAM_CORPUS_DIR (tools/test passes it);
// without it the test skips and says so.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <random>
#include <string>

#include "tests/spectest/wast_loader.h"
#include "wasm/streaming_compiler.h"
#include "wasm/testing/module_builder.h"

namespace wasmstream {
namespace {

namespace fs = std::filesystem;

// One-byte chunking for modules up to this size (bigger ones get random
// chunks only): keeps the test within minutes under ASan on two cores.
constexpr size_t kMaxBytewiseSize = 512 * 1024;

std::vector<std::string> CorpusFiles(std::string* dir_out) {
  const char* env = std::getenv("WASMSTREAM_CORPUS_DIR");
  std::vector<std::string> files;
  if (!env || !fs::is_directory(env)) return files;
  *dir_out = env;
  for (const auto& e : fs::directory_iterator(env)) {
    if (e.path().extension() == ".wasm") files.push_back(e.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

// Node's verdict per file, or an empty map when node cannot run.
std::map<std::string, bool> NodeVerdicts(const std::vector<std::string>& files) {
  std::map<std::string, bool> out;
  const char* script = "tests/corpus/node_validate.js";
  std::string cmd = std::string("node ") + script;
  for (const std::string& f : files) cmd += " '" + f + "'";
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return out;
  char line[4096];
  while (fgets(line, sizeof line, p)) {
    std::string s(line);
    size_t tab = s.rfind('\t');
    if (tab == std::string::npos) continue;
    out[s.substr(0, tab)] = s.compare(tab + 1, 4, "true") == 0;
  }
  pclose(p);
  return out;
}

TEST(CorpusTest, EveryModuleValidatesLikeNode) {
  std::string dir;
  std::vector<std::string> files = CorpusFiles(&dir);
  if (files.empty()) {
    GTEST_SKIP() << "WASMSTREAM_CORPUS_DIR unset or empty (run tools/fetch-corpus)";
  }
  std::map<std::string, bool> node = NodeVerdicts(files);
  EXPECT_EQ(node.size(), files.size()) << "node did not answer for every file";
  std::mt19937 rng(42);
  for (const std::string& f : files) {
    SCOPED_TRACE(f);
    std::optional<std::vector<uint8_t>> bytes = spectest::ReadFileBytes(f);
    ASSERT_TRUE(bytes);
    wasm::CompileResult whole = wasm::CompileModule(*bytes);
    EXPECT_TRUE(whole.ok()) << whole.error().Format();
    if (node.count(f)) {
      EXPECT_EQ(node[f], whole.ok()) << "node disagrees";
    }
    size_t chunk = 1 + rng() % 65536;
    wasm::CompileResult chunked =
        wasm::testing::CompileInChunks(*bytes, chunk, wasm::Features::Wasm20());
    EXPECT_EQ(chunked.ok(), whole.ok());
    if (bytes->size() <= kMaxBytewiseSize) {
      wasm::CompileResult bytewise =
          wasm::testing::CompileInChunks(*bytes, 1, wasm::Features::Wasm20());
      EXPECT_EQ(bytewise.ok(), whole.ok());
    }
    std::printf("%-60s %9zu bytes  %s  node: %s\n", fs::path(f).filename().c_str(), bytes->size(),
                whole.ok() ? "valid" : whole.error().Format().c_str(),
                node.count(f) ? (node[f] ? "valid" : "invalid") : "?");
  }
}

}  // namespace
}  // namespace wasmstream
