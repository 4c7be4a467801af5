#include "bindings/cached_consumer.h"

#include <atomic>
#include <chrono>
#include <cstring>
#include <future>

#include "wasm/limits.h"
#include "wasm/runtime/code.h"
#include "wasm/serialization/serializer.h"
#include "wasm/wire_bytes.h"

namespace wasmstream::bindings {
namespace {

using Clock = std::chrono::steady_clock;
using ModulePtr = std::shared_ptr<const wasm::Module>;


// One stream's state, shared with the callbacks on other threads.
class Stream : public std::enable_shared_from_this<Stream> {
 public:
  Stream(std::shared_ptr<CodeCache> cache, CachePolicy policy, ModuleStreamConsumerFactory* factory,
         const StreamInfo& info)
      : cache_(std::move(cache)),
        policy_(policy),
        factory_(factory),
        info_(info),
        fp_(EngineFingerprintFor(info.features, info.sink_factory != nullptr)) {
    // The stream's bytes live here once: hashed as they land, compiled in
    // place by the inner consumer, kept for a restart and for the store.
    buffer_ = wasm::WireBuffer::Create(wasm::kSpecMaxModuleSize);
    info_.wire_buffer = buffer_;
    cache::SqliteStore* store = cache_->store();
    if (policy_ == CachePolicy::kUrlHint) {
      validators_ = HintValidators(info_);
      if (!validators_.empty() && store && store->usable()) {
        hint_ = store->FindHint(info_.url, validators_);
      }
    }
    // With a matching hint, only hash while streaming; otherwise compile too.
    if (hint_) return;
    if (policy_ == CachePolicy::kContent && store && store->usable() &&
        info_.body_size.value_or(UINT64_MAX) >= store->options().min_module_bytes) {
      probing_ = true;  // the first kPrefixBytes decide (Probe)
      return;
    }
    inner_ = factory_->Create(info_);
  }

  // Loop thread, once the prefix digest is known (or the body ended first):
  // an entry with the same prefix, size and fingerprint predicts a hit, and
  // then the stream only hashes, as V8 does when it holds cached code for a
  // script, and the entry is confirmed at the end. Otherwise the compile
  // starts on the bytes so far, in place. A wrong prediction costs the
  // compile's overlap with the download, never a wrong module.
  void Probe(std::optional<uint64_t> prefix) {
    probing_ = false;
    cache::SqliteStore* store = cache_->store();
    if (prefix && store) {
      predicted_ = store->FindByPrefix(*prefix, info_.body_size, fp_.ToString());
    }
    if (predicted_) {
      StartPreload(*predicted_);
      return;
    }
    std::lock_guard<std::mutex> lock(inner_mutex_);
    inner_ = factory_->Create(info_);
    if (buffer_ && !overflow_ && buffer_->size()) inner_->OnBytes(buffer_->span());
  }

  // Loop thread.
  void OnBytes(std::span<const uint8_t> chunk) {
    if (hint_ && !preload_started_) StartPreload(*hint_);
    bool in_buffer = false;
    if (!overflow_) {
      size_t at = buffer_ ? buffer_->size() : 0;
      if (buffer_ && buffer_->Append(chunk)) {
        chunk = buffer_->span().subspan(at);  // in place from now on
        in_buffer = true;
      } else {
        // Past what the buffer could reserve (the module size limit): the
        // compile fails on its size; nothing to cache.
        overflow_ = true;
        info_.wire_buffer = nullptr;
      }
    }
    // Bytes in the buffer stay put until the hasher is gone (it is declared
    // after {buffer_}), so their leaves are hashed on other cores.
    hasher_.Update(chunk, in_buffer);
    if (probing_) {
      std::optional<uint64_t> prefix = overflow_ ? std::nullopt : hasher_.Prefix();
      if (!overflow_ && !prefix) return;  // still gathering the prefix
      Probe(prefix);
      if (!overflow_) return;  // Probe() fed the compile every byte so far, this chunk included
    }
    std::lock_guard<std::mutex> lock(inner_mutex_);
    if (inner_) inner_->OnBytes(chunk);
  }

  size_t size() const { return buffer_ ? buffer_->size() : 0; }

  // Loop thread.
  bool failed() {
    std::lock_guard<std::mutex> lock(inner_mutex_);
    return inner_ && inner_->failed();
  }

  // Loop thread.
  void Finish(ModuleStreamConsumer::FinishCallback done) {
    finish_time_ = Clock::now();
    {
      std::lock_guard<std::mutex> lock(done_mutex_);
      done_ = std::move(done);
    }
    // A body shorter than the prefix: its digest covers all of it.
    if (probing_) Probe(overflow_ ? std::nullopt : std::optional(hasher_.Digest().prefix));
    if (hint_ && !preload_started_) StartPreload(*hint_);
    if (overflow_) {
      CompileInner("module too large to cache");
      return;
    }
    if (failed()) {  // invalid: nothing to look up or store
      CompileInner("invalid module");
      return;
    }
    digest_ = hasher_.Digest();
    key_ = cache::KeyOf(digest_, fp_);
    std::string prefix;
    if (hint_) prefix = *hint_ == key_ ? "hint matched; " : "hint stale; ";
    if (predicted_) prefix = *predicted_ == key_ ? "prefix matched; " : "prefix mispredicted; ";
    prefix_ = prefix;

    auto self = shared_from_this();
    std::unique_lock<std::mutex> lock(inner_mutex_);  // orders OnWaited after the abort below
    auto claim = cache_->map().ClaimKey(key_, [self](ModulePtr p) { self->OnWaited(std::move(p)); });
    switch (claim.outcome) {
      case cache::ModuleMap<wasm::Module>::Outcome::kFound:
        lock.unlock();
        if (claim.value->wire_bytes == buffer_->span()) {
          AbortInner();
          Hit(claim.value, "in-process map");
        } else {
          CompileInner("key collision with an in-process module");
        }
        return;
      case cache::ModuleMap<wasm::Module>::Outcome::kWait:
        // Another stream of the same bytes is producing the module: stop our
        // own compile and take its result (OnWaited).
        if (inner_) inner_->Abort();
        inner_.reset();
        return;
      case cache::ModuleMap<wasm::Module>::Outcome::kProduce:
        producing_ = true;
        break;
    }
    lock.unlock();
    cache::SqliteStore* store = cache_->store();
    if (!store) {
      CompileInner("not in memory (no persistent cache)");
    } else if (!store->usable()) {
      CompileInner("not in memory; persistent cache unusable");
    } else if (size() < store->options().min_module_bytes) {
      CompileInner("module below the cache's minimum size (" +
                   std::to_string(store->options().min_module_bytes) + ")");
    } else {
      cache_->PostIo([self] { self->LookupStore(); });
    }
  }

  // Loop thread. Idempotent.
  void Abort() {
    {
      std::lock_guard<std::mutex> lock(inner_mutex_);
      aborted_ = true;
      if (inner_) inner_->Abort();
    }
    if (producing_.exchange(false)) cache_->map().Publish(key_, nullptr);
  }

 private:
  std::string Detail(const std::string& what) const {
    return std::string("policy=") + CachePolicyName(policy_) + "; " + prefix_ + what;
  }

  double MsSinceFinish() const {
    return std::chrono::duration<double, std::milli>(Clock::now() - finish_time_).count();
  }

  void Complete(ModuleResult result, ConsumerReport report) {
    ModuleStreamConsumer::FinishCallback done;
    {
      std::lock_guard<std::mutex> lock(done_mutex_);
      if (completed_) return;
      completed_ = true;
      done = std::move(done_);
    }
    if (done) done(std::move(result), std::move(report));
  }

  void Hit(ModulePtr module, const std::string& where) {
    ConsumerReport report;
    report.cache = "hit";
    report.cache_detail = Detail("hit: " + where);
    report.compile_ms = MsSinceFinish();
    Complete(ModuleResult(std::move(module)), std::move(report));
  }

  void AbortInner() {
    std::lock_guard<std::mutex> lock(inner_mutex_);
    if (inner_) inner_->Abort();
  }

  // Loop thread: a hint or a prefix names the entry these bytes probably
  // have. Read and prepare it on the I/O thread while the rest of the bytes
  // arrive, so a hit costs only its confirmation after the last byte.
  void StartPreload(const cache::CacheKey& candidate) {
    preload_started_ = true;
    if (overflow_) return;
    auto self = shared_from_this();
    cache_->PostIo([self, candidate] { self->Preload(candidate); });
  }

  // I/O thread, before LookupStore (the thread runs its tasks in order).
  void Preload(const cache::CacheKey& candidate) {
    cache::SqliteStore* store = cache_->store();
    {
      std::lock_guard<std::mutex> lock(inner_mutex_);
      if (aborted_ || !store || !store->usable()) return;
    }
    cache::ContentDigest stored;
    cache::LookupResult r = store->Preload(candidate, &stored);
    if (!r.hit()) {
      if (r.reason != cache::MissReason::kNotFound) {
        std::lock_guard<std::mutex> lock(preload_mutex_);
        preload_refusal_ = {candidate, cache::ToString(r.reason)};
      }
      return;
    }
    auto prepared = wasm::PrepareModuleDeferred(
        std::make_shared<const std::vector<uint8_t>>(std::move(r.payload)), stored.size);
    if (!prepared.ok()) store->Reject(candidate, prepared.error().Format());
    std::lock_guard<std::mutex> lock(preload_mutex_);
    if (!prepared.ok()) {
      preload_refusal_ = {candidate, "cached entry rejected: " + prepared.error().message};
      return;
    }
    preloaded_ = Preloaded{candidate, stored, std::move(prepared).value()};
  }

  // I/O thread: the preloaded entry, when it is these bytes' (true: the
  // stream is answered, or the entry was refused and the compile started).
  bool ConfirmPreloaded() {
    std::optional<Preloaded> p;
    std::optional<std::pair<cache::CacheKey, std::string>> refusal;
    {
      std::lock_guard<std::mutex> lock(preload_mutex_);
      p = std::move(preloaded_);
      preloaded_.reset();
      refusal = preload_refusal_;
    }
    if (refusal && refusal->first == key_) {
      CompileInner(refusal->second);  // already rejected and counted
      return true;
    }
    if (!p || p->key != key_ || p->content.size != digest_.size ||
        p->content.sha256 != digest_.sha256) {
      return false;  // the lookup of the bytes' own key decides
    }
    auto loaded = wasm::FinishPreparedModule(std::move(p->module),
                                             wasm::WireBytes(buffer_, buffer_->size()));
    if (loaded.ok()) cache_->store()->CountPreloadHit(key_);
    TakeLoaded(std::move(loaded), "sqlite, read while streaming");
    return true;
  }

  // I/O thread: the SQLite tier.
  void LookupStore() {
    if (ConfirmPreloaded()) return;
    // An entry of these bytes exists: stop compiling now, so the load does not
    // share the cores with a compile a hit makes useless. If the entry then
    // fails its checks, CompileInner starts over from the retained bytes.
    auto stop_compiling = [this] {
      std::lock_guard<std::mutex> lock(inner_mutex_);
      if (inner_) inner_->Abort();
      inner_.reset();
    };
    std::string where;
    cache::LookupResult r = cache_->Lookup(key_, digest_, stop_compiling, &where);
    if (r.hit()) {
      // The code stays in the payload until each function's first call.
      auto loaded = wasm::DeserializeModuleDeferred(
          std::make_shared<const std::vector<uint8_t>>(std::move(r.payload)),
          wasm::WireBytes(buffer_, buffer_->size()));
      TakeLoaded(std::move(loaded), where);
      return;
    }
    CompileInner(cache::ToString(r.reason));
  }

  // I/O thread: an entry of these bytes was loaded ({loaded}: the Module, or
  // why the loader refused the entry, which then goes).
  void TakeLoaded(wasm::Result<ModulePtr> loaded, const std::string& where) {
    if (!loaded.ok()) {
      cache_->store()->Reject(key_, loaded.error().Format());
      CompileInner("cached entry rejected: " + loaded.error().message);
      return;
    }
    AbortInner();
    ModulePtr module = std::move(loaded).value();
    cache_->TrackForWriteBack(module, key_, fp_.ToString(), digest_);
    if (producing_.exchange(false)) cache_->map().Publish(key_, module);
    Hit(std::move(module), where);
  }

  // Producer's thread: a concurrent identical stream finished.
  void OnWaited(ModulePtr module) {
    if (module && !overflow_ && module->wire_bytes == buffer_->span()) {
      Hit(std::move(module), "in-process map (waited for a concurrent compile)");
      return;
    }
    CompileInner("the concurrent compile of these bytes failed");
  }

  // Any thread: compile (or finish compiling) and report a miss for {reason}.
  void CompileInner(const std::string& reason) {
    std::lock_guard<std::mutex> lock(inner_mutex_);
    if (aborted_) return;
    if (!inner_) {
      // Hash-only (a url hint or a prefix prediction) or after waiting:
      // compile from the retained bytes.
      if (overflow_ || !buffer_) {
        ConsumerReport report;
        report.cache = "miss";
        report.cache_detail = Detail("miss: " + reason);
        Complete(wasm::CompileError{0, "module size exceeds internal limit of " +
                                           std::to_string(wasm::kSpecMaxModuleSize) + " bytes"},
                 std::move(report));
        return;
      }
      inner_ = factory_->Create(info_);
      inner_->OnBytes(buffer_->span());
    }
    auto self = shared_from_this();
    inner_->Finish([self, reason](ModuleResult result, ConsumerReport report) {
      self->OnCompiled(std::move(result), std::move(report), reason);
    });
  }

  // Compile worker (or the thread that called Finish on the inner consumer).
  void OnCompiled(ModuleResult result, ConsumerReport report, const std::string& reason) {
    if (result.ok()) {
      const ModulePtr& module = result.value();
      if (producing_.exchange(false)) cache_->map().Publish(key_, module);
      cache::SqliteStore* store = cache_->store();
      if (store && store->usable() && !overflow_ &&
          module->wire_bytes.size() >= store->options().min_module_bytes) {
        // Serialized on the I/O thread, so the promise does not wait for it;
        // the shutdown order runs queued I/O tasks before the store closes.
        // The task holds the CodeCache: the stream's last reference may go
        // before the task runs (a CodeCache released inside its own I/O task
        // shuts down without joining itself).
        std::shared_ptr<CodeCache> cache = cache_;
        cache_->TrackForWriteBack(module, key_, fp_.ToString(), digest_);
        cache_->PostIo([cache, module, key = key_, fp = fp_.ToString(), digest = digest_] {
          cache->Store(key, fp, digest, wasm::SerializeModule(*module, {.omit_wire_bytes = true}));
        });
      }
      if (store && policy_ == CachePolicy::kUrlHint && !validators_.empty() && !overflow_) {
        store->PutHintAsync(info_.url, validators_, key_);
      }
    } else if (producing_.exchange(false)) {
      cache_->map().Publish(key_, nullptr);
    }
    report.cache = "miss";
    report.cache_detail = Detail("miss: " + reason);
    Complete(std::move(result), std::move(report));
  }

  const std::shared_ptr<CodeCache> cache_;
  const CachePolicy policy_;
  ModuleStreamConsumerFactory* const factory_;
  StreamInfo info_;  // written in the constructor and OnBytes only
  const cache::EngineFingerprint fp_;
  std::string validators_;
  std::optional<cache::CacheKey> hint_;
  bool probing_ = false;  // content policy: no compile until Probe() decides
  std::optional<cache::CacheKey> predicted_;  // Probe() found an entry: hash only
  bool preload_started_ = false;              // loop thread

  // Preload's result for LookupStore. Both run on the I/O thread, except
  // during shutdown, when PostIo runs a task in the caller's thread.
  struct Preloaded {
    cache::CacheKey key;
    cache::ContentDigest content;  // what the entry was made from
    wasm::PreparedModule module;
  };
  std::mutex preload_mutex_;
  // Protected by {preload_mutex_}:
  std::optional<Preloaded> preloaded_;
  std::optional<std::pair<cache::CacheKey, std::string>> preload_refusal_;  // key, why

  // Written on the loop thread before Finish; read-only afterwards.
  std::shared_ptr<wasm::WireBuffer> buffer_;
  cache::KeyHasher hasher_;  // after {buffer_}: destroyed (waiting for its leaves) first
  bool overflow_ = false;
  cache::CacheKey key_;
  cache::ContentDigest digest_;
  std::string prefix_;
  Clock::time_point finish_time_;

  std::atomic<bool> producing_{false};  // we hold the map's claim on {key_}

  std::mutex inner_mutex_;
  // Protected by {inner_mutex_}:
  std::unique_ptr<ModuleStreamConsumer> inner_;
  bool aborted_ = false;

  std::mutex done_mutex_;
  // Protected by {done_mutex_}:
  ModuleStreamConsumer::FinishCallback done_;
  bool completed_ = false;
};

class CachedConsumer final : public ModuleStreamConsumer {
 public:
  explicit CachedConsumer(std::shared_ptr<Stream> stream) : stream_(std::move(stream)) {}
  ~CachedConsumer() override = default;
  void OnBytes(std::span<const uint8_t> bytes) override { stream_->OnBytes(bytes); }
  bool failed() const override { return stream_->failed(); }
  void Finish(FinishCallback done) override { stream_->Finish(std::move(done)); }
  void Abort() override { stream_->Abort(); }

 private:
  std::shared_ptr<Stream> stream_;
};

}  // namespace

std::optional<CachePolicy> CachePolicyFromName(std::string_view name) {
  if (name == "off") return CachePolicy::kOff;
  if (name == "content") return CachePolicy::kContent;
  if (name == "url-hint") return CachePolicy::kUrlHint;
  return std::nullopt;
}

const char* CachePolicyName(CachePolicy p) {
  switch (p) {
    case CachePolicy::kOff: return "off";
    case CachePolicy::kContent: return "content";
    case CachePolicy::kUrlHint: return "url-hint";
  }
  return "?";
}

cache::EngineFingerprint EngineFingerprintFor(const wasm::Features& features, bool with_code) {
  return {wasm::kSerializationFormatVersion, features.Bits(),
          with_code ? wasm::kCompilerVersion : std::string(wasm::kCompilerVersion) + "+lazy"};
}

std::string HintValidators(const StreamInfo& info) {
  if (!info.etag && !info.last_modified) return "";
  std::string v;
  if (info.etag) v += "etag=" + *info.etag + ";";
  if (info.last_modified) v += "last-modified=" + *info.last_modified + ";";
  if (info.content_length) v += "length=" + std::to_string(*info.content_length) + ";";
  return v;
}

CodeCache::CodeCache(std::unique_ptr<cache::SqliteStore> store)
    : store_(std::move(store)), io_([queue = queue_] { IoLoop(queue); }) {}

CodeCache::~CodeCache() { Shutdown(); }

void CodeCache::Shutdown(std::chrono::milliseconds max_wait) {
  std::lock_guard<std::mutex> join_lock(join_mutex_);
  {
    std::lock_guard<std::mutex> lock(queue_->mutex);
    queue_->stopping = true;
  }
  queue_->cv.notify_all();
  if (io_.joinable()) {
    // On the I/O thread (the last reference dropped inside a task): the
    // thread ends by itself once its queue is empty, touching only {queue_}.
    if (io_.get_id() == std::this_thread::get_id()) {
      io_.detach();
    } else {
      io_.join();
    }
  }
  if (remote_) remote_->Shutdown(max_wait);
  if (store_) store_->Shutdown(max_wait);
}

cache::LookupResult CodeCache::Lookup(const cache::CacheKey& key,
                                      const cache::ContentDigest& content,
                                      const std::function<void()>& on_found, std::string* where) {
  if (remote_) return remote_->Lookup(key, content, on_found, where);
  *where = "sqlite";
  return store_->Lookup(key, content, on_found);
}

void CodeCache::Store(const cache::CacheKey& key, std::string fingerprint,
                      const cache::ContentDigest& content, std::vector<uint8_t> payload) {
  if (remote_) {
    remote_->Store(key, std::move(fingerprint), content, std::move(payload));
  } else {
    store_->StoreAsync(key, std::move(fingerprint), content, std::move(payload));
  }
}

void CodeCache::Flush() {
  // The I/O thread runs tasks in order: once this one ran, every task queued
  // before it has, and their stores have reached the store's queue.
  std::promise<void> drained;
  PostIo([&drained] { drained.set_value(); });
  drained.get_future().wait();
  if (remote_) remote_->Flush();
  if (store_) store_->Flush();
}

void CodeCache::PostIo(std::function<void()> task) {
  {
    std::lock_guard<std::mutex> lock(queue_->mutex);
    if (!queue_->stopping) {
      queue_->tasks.push_back(std::move(task));
      queue_->cv.notify_one();
      return;
    }
  }
  task();
}

void CodeCache::IoLoop(const std::shared_ptr<IoQueue>& queue) {
  std::unique_lock<std::mutex> lock(queue->mutex);
  for (;;) {
    queue->cv.wait(lock, [&] { return queue->stopping || !queue->tasks.empty(); });
    if (queue->tasks.empty()) return;  // stopping, nothing left
    auto task = std::move(queue->tasks.front());
    queue->tasks.pop_front();
    lock.unlock();
    task();
    task = nullptr;  // may drop the last reference to the CodeCache
    lock.lock();
  }
}

CachedConsumerFactory::CachedConsumerFactory(std::shared_ptr<CodeCache> cache, CachePolicy policy,
                                             ModuleStreamConsumerFactory* inner)
    : cache_(std::move(cache)),
      policy_(policy),
      inner_(inner),
      name_(std::string("cache:") + CachePolicyName(policy)) {}

std::unique_ptr<ModuleStreamConsumer> CachedConsumerFactory::Create(const StreamInfo& info) {
  if (policy_ == CachePolicy::kOff || !cache_) return inner_->Create(info);
  return std::make_unique<CachedConsumer>(std::make_shared<Stream>(cache_, policy_, inner_, info));
}

}  // namespace wasmstream::bindings
