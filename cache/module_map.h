// The in-process module map: cache key → the shared compiled module, held
// weakly (a module nobody uses is freed). The same bytes in one process yield
// the same compiled object; callers wrap it in a new JS-visible Module each
// time, as the JS API requires distinct objects.
//
// When several identical streams run at once, the first to ask becomes the
// producer and the others wait for its result instead of compiling too. The
// waiting is a callback, so no thread (least of all the loop thread) blocks:
//
//   auto claim = map.Claim(key, [](std::shared_ptr<const T> m) { ...post to loop... });
//   switch (claim.outcome) {
//     case kFound:   use claim.value;                       // no compile work
//     case kProduce: compile; map.Publish(key, module_or_null);
//     case kWait:    the callback will run (on the producer's thread) with the
//                    module, or with null if the producer failed or gave up:
//                    then compile yourself.
//   }
//
// cache/ knows compiled modules only as T (bindings uses wasm::Module).
// Thread-safety: every method may be called from any thread. Callbacks run
// without the map's lock held.
#ifndef WASMSTREAM_CACHE_MODULE_MAP_H_
#define WASMSTREAM_CACHE_MODULE_MAP_H_

#include <functional>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <utility>
#include <vector>

#include "cache/cache_key.h"

namespace wasmstream::cache {

template <typename T>
class ModuleMap {
 public:
  using Ptr = std::shared_ptr<const T>;
  using Waiter = std::function<void(Ptr)>;

  enum class Outcome { kFound, kProduce, kWait };
  struct Claim {
    Outcome outcome;
    Ptr value;  // kFound only
  };

  // See the file comment. {on_ready} is kept only when the outcome is kWait.
  Claim ClaimKey(const CacheKey& key, Waiter on_ready) {
    std::lock_guard<std::mutex> lock(mutex_);
    Slot& slot = slots_[key];
    if (Ptr p = slot.module.lock()) return {Outcome::kFound, std::move(p)};
    if (slot.producing) {
      slot.waiters.push_back(std::move(on_ready));
      return {Outcome::kWait, nullptr};
    }
    slot.producing = true;
    return {Outcome::kProduce, nullptr};
  }

  // The live module for {key}, if any (never makes the caller a producer).
  Ptr Find(const CacheKey& key) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = slots_.find(key);
    return it == slots_.end() ? nullptr : it->second.module.lock();
  }

  // The producer's result (null: it failed or gave up). Wakes the waiters.
  void Publish(const CacheKey& key, Ptr value) {
    std::vector<Waiter> waiters;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      Slot& slot = slots_[key];
      slot.producing = false;
      if (value) slot.module = value;
      waiters.swap(slot.waiters);
      Prune();
    }
    for (Waiter& w : waiters) w(value);
  }

  // Puts a module in without a claim (e.g. loaded from the SQLite store).
  void Insert(const CacheKey& key, const Ptr& value) {
    std::lock_guard<std::mutex> lock(mutex_);
    slots_[key].module = value;
    Prune();
  }

  // Slots held, live or not (bounded by pruning).
  size_t slot_count() {
    std::lock_guard<std::mutex> lock(mutex_);
    return slots_.size();
  }

  // Live modules (entries whose module is still referenced somewhere).
  size_t live_size() {
    std::lock_guard<std::mutex> lock(mutex_);
    size_t n = 0;
    for (auto& [k, s] : slots_) n += !s.module.expired();
    return n;
  }

 private:
  struct Slot {
    std::weak_ptr<const T> module;
    bool producing = false;
    std::vector<Waiter> waiters;
  };

  // Drops slots of freed modules nobody is producing, so the map does not grow
  // with every module ever seen. Amortized: runs when the map doubled.
  void Prune() {
    if (slots_.size() < prune_at_) return;
    for (auto it = slots_.begin(); it != slots_.end();) {
      if (!it->second.producing && it->second.module.expired()) {
        it = slots_.erase(it);
      } else {
        ++it;
      }
    }
    prune_at_ = std::max<size_t>(kMinPruneSize, 2 * slots_.size());
  }

  static constexpr size_t kMinPruneSize = 64;

  std::mutex mutex_;
  // Protected by {mutex_}:
  std::unordered_map<CacheKey, Slot, CacheKeyHash> slots_;
  size_t prune_at_ = kMinPruneSize;
};

}  // namespace wasmstream::cache

#endif  // WASMSTREAM_CACHE_MODULE_MAP_H_
