#include "tools/wasmstream/feature_flags.h"

#include <optional>
#include <string_view>

namespace wasmstream::cli {

using wasm::Feature;
using wasm::Features;

std::string FeatureFlagsHelp() {
  std::string names;
#define WASMSTREAM_FEATURE_NAME(name, bit, str, v2, dflt) names += names.empty() ? str : ", " str;
  WASMSTREAM_FOREACH_FEATURE(WASMSTREAM_FEATURE_NAME)
#undef WASMSTREAM_FEATURE_NAME
  return "  features (default: what V8 ships: WebAssembly 3.0, threads, legacy exceptions):\n"
         "  --enable-all          every feature (--all-features is the same)\n"
         "  --enable-FEATURE      turn FEATURE on\n"
         "  --disable-FEATURE     turn FEATURE off\n"
         "  --wasm20              WebAssembly 2.0 alone\n"
         "  FEATURE: " + names + "\n";
}

FeatureFlag ParseFeatureFlag(const std::string& arg, Features* features) {
  std::string_view a = arg;
  if (a == "--enable-all" || a == "--all-features") {
    *features = Features::All();
    return FeatureFlag::kApplied;
  }
  if (a == "--wasm20") {
    *features = Features::Wasm20();
    return FeatureFlag::kApplied;
  }
  bool enable = a.starts_with("--enable-");
  if (!enable && !a.starts_with("--disable-")) return FeatureFlag::kNotAFeatureFlag;
  std::optional<Feature> f = Features::FromName(a.substr(enable ? 9 : 10));
  if (!f) return FeatureFlag::kUnknownFeature;
  if (enable) features->enable(*f); else features->disable(*f);
  return FeatureFlag::kApplied;
}

}  // namespace wasmstream::cli
