#include "cache/module_map.h"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

namespace wasmstream::cache {
namespace {

CacheKey Key(uint8_t b) {
  CacheKey k;
  k.bytes.fill(b);
  return k;
}

using Map = ModuleMap<std::string>;

TEST(ModuleMapTest, FirstClaimProducesThenOthersFindTheSameObject) {
  Map map;
  auto c = map.ClaimKey(Key(1), nullptr);
  ASSERT_EQ(c.outcome, Map::Outcome::kProduce);
  auto m = std::make_shared<const std::string>("compiled");
  map.Publish(Key(1), m);
  auto again = map.ClaimKey(Key(1), nullptr);
  EXPECT_EQ(again.outcome, Map::Outcome::kFound);
  EXPECT_EQ(again.value.get(), m.get());
  EXPECT_EQ(map.Find(Key(1)).get(), m.get());
  EXPECT_EQ(map.Find(Key(2)), nullptr);
}

TEST(ModuleMapTest, EntriesAreWeak) {
  Map map;
  auto m = std::make_shared<const std::string>("x");
  map.Insert(Key(1), m);
  EXPECT_EQ(map.live_size(), 1u);
  std::weak_ptr<const std::string> w = m;
  m.reset();
  EXPECT_TRUE(w.expired());
  EXPECT_EQ(map.live_size(), 0u);
  EXPECT_EQ(map.ClaimKey(Key(1), nullptr).outcome, Map::Outcome::kProduce);
}

TEST(ModuleMapTest, WaitersGetTheProducersResult) {
  Map map;
  ASSERT_EQ(map.ClaimKey(Key(1), nullptr).outcome, Map::Outcome::kProduce);
  std::vector<Map::Ptr> got;
  for (int i = 0; i < 3; ++i) {
    auto c = map.ClaimKey(Key(1), [&](Map::Ptr p) { got.push_back(p); });
    EXPECT_EQ(c.outcome, Map::Outcome::kWait);
  }
  auto m = std::make_shared<const std::string>("m");
  map.Publish(Key(1), m);
  ASSERT_EQ(got.size(), 3u);
  for (auto& p : got) EXPECT_EQ(p.get(), m.get());
}

TEST(ModuleMapTest, FailedProducerWakesWaitersWithNullAndFreesTheClaim) {
  Map map;
  ASSERT_EQ(map.ClaimKey(Key(1), nullptr).outcome, Map::Outcome::kProduce);
  bool woke = false;
  map.ClaimKey(Key(1), [&](Map::Ptr p) {
    woke = true;
    EXPECT_EQ(p, nullptr);
  });
  map.Publish(Key(1), nullptr);
  EXPECT_TRUE(woke);
  EXPECT_EQ(map.ClaimKey(Key(1), nullptr).outcome, Map::Outcome::kProduce);
}

TEST(ModuleMapTest, ConcurrentIdenticalClaimsProduceOnce) {
  Map map;
  constexpr int kThreads = 8;
  std::atomic<int> producers{0}, finished{0};
  std::atomic<const std::string*> seen[kThreads];
  auto module = std::make_shared<const std::string>("shared");
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto c = map.ClaimKey(Key(7), [&, t](Map::Ptr p) {
        seen[t] = p.get();
        ++finished;
      });
      if (c.outcome == Map::Outcome::kProduce) {
        ++producers;
        seen[t] = module.get();
        ++finished;
        map.Publish(Key(7), module);
      } else if (c.outcome == Map::Outcome::kFound) {
        seen[t] = c.value.get();
        ++finished;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(producers.load(), 1);
  EXPECT_EQ(finished.load(), kThreads);
  for (auto& s : seen) EXPECT_EQ(s.load(), module.get());
}

TEST(ModuleMapTest, FreedSlotsArePruned) {
  Map map;
  for (int i = 0; i < 1000; ++i) {
    CacheKey k;
    k.bytes[0] = static_cast<uint8_t>(i);
    k.bytes[1] = static_cast<uint8_t>(i >> 8);
    map.Insert(k, std::make_shared<const std::string>("tmp"));  // freed at once
  }
  EXPECT_EQ(map.live_size(), 0u);
  EXPECT_LT(map.slot_count(), 200u);
}

}  // namespace
}  // namespace wasmstream::cache
