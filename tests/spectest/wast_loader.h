// The WebAssembly spec testsuite, converted at test time with wabt's
// wast2json (Debian's wabt): a .wast script becomes a JSON list of commands
// plus one .wasm file per module. This loader is shared: the validation test
// here uses module / assert_invalid / assert_malformed; the runtime's script
// runner reads the same commands' actions and expectations from {json}.
#ifndef WASMSTREAM_TESTS_SPECTEST_WAST_LOADER_H_
#define WASMSTREAM_TESTS_SPECTEST_WAST_LOADER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "wasm/features.h"

namespace wasmstream::spectest {

struct WastCommand {
  std::string type;         // "module", "assert_invalid", "assert_return", …
  int line = 0;             // in the .wast
  std::string module_path;  // absolute path of the command's .wasm, if any
  std::string module_type;  // "binary" or "text" (assert_malformed/invalid)
  std::string text;         // the expected error text (assert_*)
  nlohmann::json json;      // the whole command, for runners that need more
};

struct WastScript {
  std::string wast_path;
  std::vector<WastCommand> commands;
};

// Runs `wast2json {flags} {wast_path} -o {out_dir}/<stem>.json` and loads the
// result. On failure returns nullopt and sets {error} (wast2json's message).
std::optional<WastScript> ConvertWast(const std::string& wast_path, const std::string& out_dir,
                                      const std::vector<std::string>& flags, std::string* error);

// The whole file, or nullopt when it cannot be read.
std::optional<std::vector<uint8_t>> ReadFileBytes(const std::string& path);

// A folder of the testsuite, with the wast2json flags and the features its
// scripts need.
struct Suite {
  std::string name;          // as shown in the README table
  std::string dir;           // relative to the testsuite root
  std::vector<std::string> wast2json_flags;
  wasm::Features features;
};

// The suites the project runs, WebAssembly 2.0 first.
std::vector<Suite> Suites();

// The testsuite root: $WASM_TESTSUITE_DIR, or empty when unset or absent.
std::string TestsuiteRoot();

// The .wast files of {dir}, sorted by name (not recursive).
std::vector<std::string> WastFiles(const std::string& dir);

}  // namespace wasmstream::spectest

#endif  // WASMSTREAM_TESTS_SPECTEST_WAST_LOADER_H_
