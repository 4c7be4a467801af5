// Test helpers: WAT text -> runnable Module through the real
// StreamingCompiler. The texts are assembled at build time: every inline
// R"((module ...))" literal of the tests listed in the genrule
// //wasm/runtime:assembled_wat is turned into bytes by wat2wasm there.
#ifndef WASMSTREAM_WASM_RUNTIME_RUNTIME_TEST_UTIL_H_
#define WASMSTREAM_WASM_RUNTIME_RUNTIME_TEST_UTIL_H_

#include <cstdio>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "wasm/module.h"
#include "wasm/runtime/assembled_wat.h"
#include "wasm/runtime/sink_factory.h"

namespace wasmstream::wasm::testing {

// The bytes of {wat}, assembled at build time; empty (with a message) when
// the text is not among the literals the genrule assembled.
inline std::vector<uint8_t> Assemble(const std::string& wat) {
  for (const auto& [text, bytes] : kAssembledWat) {
    if (text == wat) return std::vector<uint8_t>(bytes.begin(), bytes.end());
  }
  std::fprintf(stderr,
               "module text not assembled at build time: write it as an R\"((module ...))\" "
               "literal in a source listed in //wasm/runtime:assembled_wat\n%.200s\n",
               wat.c_str());
  return {};
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
