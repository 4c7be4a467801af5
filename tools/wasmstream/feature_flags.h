// The WebAssembly feature flags of every command that compiles (compile, run,
// validate, wast), in wabt's spelling:
//   --enable-all          every feature wasmstream knows
//   --enable-FEATURE      one feature on (names: wasm/features.h)
//   --disable-FEATURE     one feature off
//   --wasm20              WebAssembly 2.0 alone
// and the older spelling --all-features (same as --enable-all). Flags apply
// in order, so `--wasm20 --enable-threads` is 2.0 plus threads.
#ifndef WASMSTREAM_TOOLS_WASMSTREAM_FEATURE_FLAGS_H_
#define WASMSTREAM_TOOLS_WASMSTREAM_FEATURE_FLAGS_H_

#include <string>

#include "wasm/features.h"

namespace wasmstream::cli {

// The help lines for the flags, with the list of feature names.
std::string FeatureFlagsHelp();

enum class FeatureFlag {
  kNotAFeatureFlag,  // {arg} is some other argument
  kApplied,          // {arg} changed *features
  kUnknownFeature,   // --enable-X / --disable-X with an X wasmstream does not know
};

FeatureFlag ParseFeatureFlag(const std::string& arg, wasm::Features* features);

}  // namespace wasmstream::cli

#endif  // WASMSTREAM_TOOLS_WASMSTREAM_FEATURE_FLAGS_H_
