#include "tools/wasmstream/cache_flags.h"

#include <gtest/gtest.h>

namespace wasmstream::cli {
namespace {

bool Parse(std::vector<std::string> args, CacheFlags& flags, std::string* error) {
  for (size_t i = 0; i < args.size(); ++i) {
    if (!ParseCacheFlag(args, i, flags, error)) return false;
    if (!error->empty()) return false;
  }
  return true;
}

TEST(CacheFlagsTest, ParsesEveryFlag) {
  CacheFlags f;
  std::string error;
  ASSERT_TRUE(Parse({"--cache", "/tmp/x.db", "--cache-policy", "url-hint", "--cache-min-bytes",
                     "4096"},
                    f, &error))
      << error;
  EXPECT_EQ(f.path, "/tmp/x.db");
  EXPECT_EQ(f.policy, bindings::CachePolicy::kUrlHint);
  EXPECT_EQ(f.min_bytes, 4096u);
  EXPECT_FALSE(f.no_cache);
}

TEST(CacheFlagsTest, BadValuesAreErrors) {
  for (auto args : std::vector<std::vector<std::string>>{
           {"--cache-policy", "sometimes"}, {"--cache-min-bytes", "-1"},
           {"--cache-min-bytes", "12k"}, {"--cache"}}) {
    CacheFlags f;
    std::string error;
    EXPECT_FALSE(Parse(args, f, &error));
    EXPECT_FALSE(error.empty()) << args[0];
  }
}

TEST(CacheFlagsTest, OtherArgumentsAreLeftAlone) {
  CacheFlags f;
  std::string error;
  std::vector<std::string> args = {"--json"};
  size_t i = 0;
  EXPECT_FALSE(ParseCacheFlag(args, i, f, &error));
  EXPECT_EQ(i, 0u);
}

TEST(CacheFlagsTest, NoCacheAndOffGiveNoFactory) {
  CacheFlags f;
  f.no_cache = true;
  EXPECT_EQ(MakeCacheConsumerFactory(f, nullptr), nullptr);
  CacheFlags g;
  g.policy = bindings::CachePolicy::kOff;
  EXPECT_EQ(MakeCacheConsumerFactory(g, nullptr), nullptr);
  CacheFlags h;
  h.path = ::testing::TempDir() + "/cache_flags_test.db";
  auto factory = MakeCacheConsumerFactory(h, nullptr);
  ASSERT_NE(factory, nullptr);
  EXPECT_EQ(factory->name(), "cache:content");
}

}  // namespace
}  // namespace wasmstream::cli
