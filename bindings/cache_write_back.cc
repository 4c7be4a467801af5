#include "bindings/cache_write_back.h"

#include <algorithm>
#include <cstdio>
#include <optional>

#include "bindings/cached_consumer.h"
#include "wasm/runtime/module_code_table.h"
#include "wasm/serialization/serializer.h"

namespace wasmstream::bindings {
namespace {

wasm::ModuleCodeStats CodeStats(const wasm::Module& m) {
  std::shared_ptr<wasm::ModuleCodeTable> table = wasm::ModuleCodeTable::Find(m);
  return table ? table->stats() : wasm::ModuleCodeStats{};
}

}  // namespace

std::string Describe(const WriteBackOutcome& o) {
  std::string s = "write-back: " + std::to_string(o.queued) +
                  (o.queued == 1 ? " entry" : " entries") + " queued";
  if (o.unchanged) s += ", " + std::to_string(o.unchanged) + " unchanged";
  if (o.gone) s += ", " + std::to_string(o.gone) + " modules gone";
  if (o.refused) s += ", " + std::to_string(o.refused) + " refused by the store";
  auto ms = [](uint64_t ns) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f ms", static_cast<double>(ns) / 1e6);
    return std::string(buf);
  };
  return s + " (" + std::to_string(o.functions_compiled) +
         (o.functions_compiled == 1 ? " function" : " functions") + " compiled in " +
         ms(o.compile_ns) + ", " + std::to_string(o.functions_loaded) +
         " loaded from the cache in " + ms(o.load_ns) + ")";
}

void WriteBackList::Track(const std::shared_ptr<const wasm::Module>& module,
                          const cache::CacheKey& key, std::string fingerprint,
                          const cache::ContentDigest& content) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto same = std::find_if(tracked_.begin(), tracked_.end(),
                           [&](const Tracked& t) { return t.key == key; });
  if (same != tracked_.end()) {
    if (same->module.lock() == module) return;
    tracked_.erase(same);
  }
  // Code compiled before the entry was written is not in it (a lazily
  // compiled entry holds none): the baseline is what it does hold.
  tracked_.push_back({module, key, std::move(fingerprint), content, 0});
}

WriteBackOutcome WriteBackList::WriteBack(cache::SqliteStore& store) {
  std::lock_guard<std::mutex> write_lock(write_mutex_);
  std::vector<Tracked> todo;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    todo = tracked_;
  }
  WriteBackOutcome out;
  for (Tracked& t : todo) {
    std::shared_ptr<const wasm::Module> module = t.module.lock();
    if (!module) {
      ++out.gone;
      continue;
    }
    // Counted before serializing: a function compiled meanwhile makes the
    // next write-back write again, never the reverse.
    const wasm::ModuleCodeStats stats = CodeStats(*module);
    const uint64_t compiled = stats.compiled;
    out.functions_compiled += stats.compiled;
    out.functions_loaded += stats.loaded_from_cache;
    out.compile_ns += stats.compile_ns;
    out.load_ns += stats.load_ns;
    if (compiled <= t.compiled_when_written) {
      ++out.unchanged;
      continue;
    }
    std::vector<uint8_t> payload =
        wasm::SerializeModule(*module, {.omit_wire_bytes = true, .with_code_so_far = true});
    if (!store.ReplaceAsync(t.key, t.fingerprint, t.content, std::move(payload))) {
      ++out.refused;
      continue;
    }
    ++out.queued;
    std::lock_guard<std::mutex> lock(mutex_);
    for (Tracked& now : tracked_) {
      if (now.key == t.key && now.module.lock() == module) now.compiled_when_written = compiled;
    }
  }
  return out;
}

void CodeCache::EnableWriteBack() {
  if (!write_back_) write_back_ = std::make_unique<WriteBackList>();
}

void CodeCache::TrackForWriteBack(const std::shared_ptr<const wasm::Module>& module,
                                  const cache::CacheKey& key, const std::string& fingerprint,
                                  const cache::ContentDigest& content) {
  if (write_back_ && store_) write_back_->Track(module, key, fingerprint, content);
}

WriteBackOutcome CodeCache::WriteBack() {
  if (!write_back_ || !store_) return {};
  return write_back_->WriteBack(*store_);
}

}  // namespace wasmstream::bindings
