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

// Loads a converted script ({json_path}, its modules in the same folder).
std::optional<WastScript> LoadWastJson(const std::string& wast_path, const std::string& json_path,
                                       std::string* error);

// The second converter, for the scripts wabt 1.0.32 cannot parse (GC, typed
// function references, exnref): tools/wast2json-wasmtools.mjs under node,
// which encodes modules with wasm-tools' text parser (npm, installed by
// tools/fetch-test-tools). It writes wast2json's JSON shape, plus the command
// types module_definition / module_instance and the GC value types described
// in the script's header.
class WasmToolsConverter {
 public:
  // Finds the script in the test's runfiles and checks that node and the npm
  // package are there; when not, available() is false and why() says so.
  WasmToolsConverter();
  bool available() const { return why_.empty(); }
  const std::string& why() const { return why_; }

  // Converts {wast_paths} (one node process for all) into
  // {out_dir}/<stem>.json each. Returns one entry per input: the script, or
  // nullopt with the converter's message for it in {errors}[i].
  std::vector<std::optional<WastScript>> Convert(const std::vector<std::string>& wast_paths,
                                                 const std::string& out_dir,
                                                 std::vector<std::string>* errors) const;

 private:
  std::string script_;
  std::string why_;
};

// Converts {wast_paths} with wast2json ({flags}) and, for the scripts it
// refuses, with {fallback} (when available). {converter}[i] says which one
// converted script i ("wast2json", "wasm-tools") or is empty when neither
// could; then {errors}[i] says why.
std::vector<std::optional<WastScript>> ConvertAll(const std::vector<std::string>& wast_paths,
                                                  const std::string& out_dir,
                                                  const std::vector<std::string>& flags,
                                                  const WasmToolsConverter& fallback,
                                                  std::vector<std::string>* converter,
                                                  std::vector<std::string>* errors);

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

// Proposal folders of the testsuite that are not run, because the validator
// does not implement the proposal: {dir relative to the root, why}.
std::vector<std::pair<std::string, std::string>> SuitesNotRun();

// The testsuite root: $WASM_TESTSUITE_DIR, or empty when unset or absent.
std::string TestsuiteRoot();

// The .wast files of {dir}, sorted by name (not recursive).
std::vector<std::string> WastFiles(const std::string& dir);

}  // namespace wasmstream::spectest

#endif  // WASMSTREAM_TESTS_SPECTEST_WAST_LOADER_H_
