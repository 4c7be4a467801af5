// Test helpers: WAT text -> runnable Module through Debian's wat2wasm (run at
// test time into TEST_TMPDIR) and the real StreamingCompiler.
#ifndef WASMSTREAM_WASM_RUNTIME_RUNTIME_TEST_UTIL_H_
#define WASMSTREAM_WASM_RUNTIME_RUNTIME_TEST_UTIL_H_

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "wasm/module.h"
#include "wasm/runtime/sink_factory.h"

namespace wasmstream::wasm::testing {

inline std::string TempDir() {
  const char* d = std::getenv("TEST_TMPDIR");
  return d ? d : "/tmp";
}

// Assembles {wat} with wat2wasm (all features on); empty on failure.
inline std::vector<uint8_t> Assemble(const std::string& wat) {
  static int counter = 0;
  std::string base = TempDir() + "/m" + std::to_string(++counter);
  {
    std::ofstream f(base + ".wat");
    f << wat;
  }
  std::string cmd = "wat2wasm --enable-all " + base + ".wat -o " + base + ".wasm 2>" + base + ".err";
  if (std::system(cmd.c_str()) != 0) {
    std::ifstream e(base + ".err");
    std::fprintf(stderr, "wat2wasm failed: %s\n",
                 std::string(std::istreambuf_iterator<char>(e), {}).c_str());
    return {};
  }
  std::ifstream f(base + ".wasm", std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(f), {});
}

// Compiles module bytes embedded in a test (all features on); null, with a
// message on stderr, when they do not compile.
inline std::shared_ptr<const Module> CompileBytes(std::span<const uint8_t> bytes,
                                                  Features features = Features::All()) {
  auto r = CompileRunnable(std::vector<uint8_t>(bytes.begin(), bytes.end()), features);
  if (!r.ok()) {
    std::fprintf(stderr, "compile failed: %s\n", r.error().Format().c_str());
    return nullptr;
  }
  return r.value();
}

inline std::shared_ptr<const Module> Compile(const std::string& wat,
                                             Features features = Features::All()) {
  std::vector<uint8_t> bytes = Assemble(wat);
  if (bytes.empty()) return nullptr;
  auto r = CompileRunnable(bytes, features);
  if (!r.ok()) {
    std::fprintf(stderr, "compile failed: %s\n", r.error().Format().c_str());
    return nullptr;
  }
  return r.value();
}

}  // namespace wasmstream::wasm::testing

#endif  // WASMSTREAM_WASM_RUNTIME_RUNTIME_TEST_UTIL_H_
