#include "bindings/cache_write_back.h"

#include <algorithm>
#include <optional>

#include "bindings/cached_consumer.h"
#include "wasm/runtime/module_code_table.h"
#include "wasm/serialization/serializer.h"

namespace wasmstream::bindings {
namespace {

// Functions compiled from wire bytes so far: what a write-back adds.
uint64_t CompiledSoFar(const wasm::Module& m) {
  std::shared_ptr<wasm::ModuleCodeTable> table = wasm::ModuleCodeTable::Find(m);
  return table ? table->stats().compiled : 0;
}

}  // namespace

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
    const uint64_t compiled = CompiledSoFar(*module);
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
