#include "tools/wasmstream/cache_flags.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdio>

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

TEST(CacheFlagsTest, SigningKeyIsReadFromAnOwnerOnlyFile) {
  std::string good = ::testing::TempDir() + "/cache_flags_key", loose = good + "_loose";
  for (const std::string& p : {good, loose}) {
    std::FILE* f = std::fopen(p.c_str(), "w");
    ASSERT_TRUE(f);
    std::fputs("0123456789abcdef0123456789abcdef", f);
    std::fclose(f);
  }
  ::chmod(good.c_str(), 0600);
  ::chmod(loose.c_str(), 0644);
  CacheFlags f;
  std::string error;
  ASSERT_TRUE(Parse({"--cache-signing-key", good}, f, &error)) << error;
  EXPECT_EQ(f.signing_key.size(), 32u);
  CacheFlags g;
  EXPECT_FALSE(Parse({"--cache-signing-key", loose}, g, &error));
  EXPECT_NE(error.find("chmod 600"), std::string::npos) << error;
  EXPECT_TRUE(g.signing_key.empty());
}

TEST(CacheFlagsTest, ParsesTheSharedTierFlags) {
  CacheFlags f;
  std::string error;
  ASSERT_TRUE(Parse({"--cache-remote", "redis://h:7000/2", "--cache-remote-read-only",
                     "--cache-remote-no-single-flight", "--cache-remote-connect-timeout", "50",
                     "--cache-remote-timeout", "700", "--cache-remote-wait", "900",
                     "--cache-remote-prefix", "ci:", "--cache-remote-compress", "none"},
                    f, &error))
      << error;
  EXPECT_EQ(f.remote, "redis://h:7000/2");
  EXPECT_TRUE(f.remote_options.read_only);
  EXPECT_FALSE(f.remote_options.single_flight);
  EXPECT_EQ(f.remote_options.connect_timeout_ms, 50);
  EXPECT_EQ(f.remote_options.op_timeout_ms, 700);
  EXPECT_EQ(f.remote_options.wait_ms, 900);
  EXPECT_EQ(f.remote_options.prefix, "ci:");
  EXPECT_EQ(f.remote_options.encode.compression, cache::RecordCompression::kNone);
}

TEST(CacheFlagsTest, BadSharedTierValuesAreErrors) {
  for (auto args : std::vector<std::vector<std::string>>{
           {"--cache-remote"}, {"--cache-remote-timeout", "0"},
           {"--cache-remote-timeout", "5s"}, {"--cache-remote-connect-timeout", "-1"},
           {"--cache-remote-wait", "99999999"}, {"--cache-remote-compress", "gzip"}}) {
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
