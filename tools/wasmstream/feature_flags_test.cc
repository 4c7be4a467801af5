// The one feature-flag parser: wabt's spelling, the old aliases, order, and
// unknown names.
#include "tools/wasmstream/feature_flags.h"

#include <gtest/gtest.h>

namespace wasmstream::cli {
namespace {

using wasm::Feature;
using wasm::Features;

Features Parse(std::initializer_list<const char*> args) {
  Features f = Features::Default();
  for (const char* a : args) EXPECT_EQ(ParseFeatureFlag(a, &f), FeatureFlag::kApplied) << a;
  return f;
}

TEST(FeatureFlagsTest, EnableAllAndItsAlias) {
  Features all = Features::All();
  EXPECT_EQ(Parse({"--enable-all"}), all);
  EXPECT_EQ(Parse({"--all-features"}), all);
}

TEST(FeatureFlagsTest, EnableAndDisableOneFeatureInOrder) {
  Features f = Parse({"--wasm20", "--enable-threads"});
  EXPECT_TRUE(f.has(Feature::kThreads));
  EXPECT_TRUE(f.has(Feature::kSimd));
  EXPECT_FALSE(f.has(Feature::kGc));
  Features g = Parse({"--enable-all", "--disable-simd", "--disable-gc"});
  EXPECT_FALSE(g.has(Feature::kSimd));
  EXPECT_FALSE(g.has(Feature::kGc));
  EXPECT_TRUE(g.has(Feature::kMemory64));
  Features h = Parse({"--disable-simd", "--enable-simd"});
  EXPECT_TRUE(h.has(Feature::kSimd));
}

TEST(FeatureFlagsTest, Wasm20IsWasm20) { EXPECT_EQ(Parse({"--wasm20"}), Features::Wasm20()); }

TEST(FeatureFlagsTest, UnknownFeatureLeavesFeaturesAlone) {
  Features f = Features::Default();
  EXPECT_EQ(ParseFeatureFlag("--enable-teleport", &f), FeatureFlag::kUnknownFeature);
  EXPECT_EQ(ParseFeatureFlag("--disable-", &f), FeatureFlag::kUnknownFeature);
  EXPECT_EQ(f, Features::Default());
}

TEST(FeatureFlagsTest, OtherArgumentsAreNotFeatureFlags) {
  Features f = Features::Default();
  for (const char* a : {"--json", "--eager", "--cache", "module.wasm", "-v", "--enable"}) {
    EXPECT_EQ(ParseFeatureFlag(a, &f), FeatureFlag::kNotAFeatureFlag) << a;
  }
  EXPECT_EQ(f, Features::Default());
}

TEST(FeatureFlagsTest, HelpNamesEveryFeature) {
  std::string help = FeatureFlagsHelp();
  for (const char* name : {"mutable-globals", "simd", "threads", "gc", "legacy-exceptions"}) {
    EXPECT_NE(help.find(name), std::string::npos) << name;
  }
  EXPECT_NE(help.find("--enable-all"), std::string::npos);
  EXPECT_NE(help.find("--disable-FEATURE"), std::string::npos);
}

}  // namespace
}  // namespace wasmstream::cli
