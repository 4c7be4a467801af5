// Realm::EnableCodeCache: one call turns the code cache on; a second realm on
// the same file hits; CodeCacheStats counts after every write is done.
#include <gtest/gtest.h>

#include <cstdlib>

#include "bindings/test_modules.h"
#include "bindings/test_util.h"
#include "bindings/wasm_namespace.h"

namespace wasmstream::bindings {
namespace {

std::string CachePath() {
  const char* d = std::getenv("TEST_TMPDIR");
  return std::string(d ? d : "/tmp") + "/realm_cache_test.db";
}

// Compiles kIncrementer by compileStreaming in a fresh realm with the cache
// on, and returns that realm's statistics.
cache::StoreStats CompileOnce(const std::string& path, uint64_t min_bytes = 0) {
  EventLoop loop;
  Realm realm(loop);
  CodeCacheOptions options;
  options.path = path;
  options.min_module_bytes = min_bytes;
  realm.EnableCodeCache(options);
  WebAssembly wasm(realm);
  auto p = wasm.CompileStreaming(testing::SyntheticResponse(testing::kIncrementer));
  p.Then([](const Module&) {}, [](const Error&) {});
  EXPECT_TRUE(testing::Settle(loop, p));
  EXPECT_TRUE(p.is_fulfilled());
  auto stats = realm.CodeCacheStats();
  EXPECT_TRUE(stats.has_value());
  return stats.value_or(cache::StoreStats{});
}

TEST(RealmCacheTest, OneCallTurnsTheCacheOnAndStatsCountAfterTheWrites) {
  std::string path = CachePath();
  std::remove(path.c_str());
  cache::StoreStats first = CompileOnce(path);
  EXPECT_TRUE(first.usable) << first.unusable_reason;
  EXPECT_EQ(first.entries, 1u);
  EXPECT_EQ(first.session.stores, 1u);  // counted after the flush, beside its entry
  EXPECT_EQ(first.session.misses, 1u);
  cache::StoreStats second = CompileOnce(path);
  EXPECT_EQ(second.session.hits, 1u);
  EXPECT_EQ(second.entries, 1u);
}

TEST(RealmCacheTest, PolicyOffLeavesTheDefaultCompiler) {
  EventLoop loop;
  Realm realm(loop);
  CodeCacheOptions options;
  options.policy = CachePolicy::kOff;
  realm.EnableCodeCache(options);
  EXPECT_EQ(realm.consumer_factory, nullptr);
  EXPECT_FALSE(realm.CodeCacheStats().has_value());
}

TEST(RealmCacheTest, UnopenableFileWarnsOnceAndCompilesStill) {
  EventLoop loop;
  Realm realm(loop);
  CodeCacheOptions options;
  options.path = "/proc/no/such/dir/cache.db";
  std::vector<std::string> warnings;
  options.warn = [&](const std::string& w) { warnings.push_back(w); };
  realm.EnableCodeCache(options);
  WebAssembly wasm(realm);
  auto p = wasm.CompileStreaming(testing::SyntheticResponse(testing::kIncrementer));
  p.Then([](const Module&) {}, [](const Error&) {});
  EXPECT_TRUE(testing::Settle(loop, p));
  EXPECT_TRUE(p.is_fulfilled());
  EXPECT_EQ(warnings.size(), 1u);
}

}  // namespace
}  // namespace wasmstream::bindings
