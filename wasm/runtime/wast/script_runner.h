// Runs a spec test script converted by wabt's wast2json or by
// tools/wast2json-wasmtools.mjs (a JSON command list plus one .wasm file per
// module): module, module_definition, module_instance, register, action,
// assert_return, assert_trap, assert_exhaustion, assert_exception,
// assert_invalid, assert_malformed (binary), assert_unlinkable,
// assert_uninstantiable. Text-format modules (assert_malformed/invalid of
// .wat) are skipped. Values include the GC reference forms (refnull, anyref
// host values, structref/arrayref/i31ref/eqref/exnref patterns), checked with
// ref_class.h.
#ifndef WASMSTREAM_WASM_RUNTIME_WAST_SCRIPT_RUNNER_H_
#define WASMSTREAM_WASM_RUNTIME_WAST_SCRIPT_RUNNER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "wasm/features.h"

namespace wasmstream::wasm {

struct WastOptions {
  Features features = Features::Wasm20();
  bool print = false;  // let spectest.print_* print
  bool lazy = false;   // validate modules only; functions compile on first call
  // Check every compiled function with the code verifier, as a code cache
  // load does: a module whose fresh code it refuses fails to compile.
  bool verify_code = false;
};

struct WastResult {
  uint32_t passed = 0;
  uint32_t failed = 0;
  uint32_t skipped = 0;
  std::vector<std::string> failures;  // "file:line: what went wrong"
  std::string error;                  // the script itself could not be read
};

WastResult RunWastJson(const std::string& json_path, const WastOptions& options);

}  // namespace wasmstream::wasm

#endif  // WASMSTREAM_WASM_RUNTIME_WAST_SCRIPT_RUNNER_H_
