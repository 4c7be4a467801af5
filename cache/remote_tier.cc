#include "cache/remote_tier.h"

#include "cache/entry_signature.h"

#include <unistd.h>

#include <cstdio>
#include <random>

namespace wasmstream::cache {

using Clock = std::chrono::steady_clock;

namespace {

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             Clock::now().time_since_epoch())
      .count();
}

std::span<const uint8_t> Bytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

// A lease's value: who holds it, so only the holder deletes it.
std::string NewToken() {
  std::random_device rd;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%d-%08x%08x", static_cast<int>(getpid()), rd(), rd());
  return buf;
}

// Deletes KEYS[1] only while it still holds ARGV[1] (our lease, not a later
// holder's after ours expired).
constexpr char kReleaseScript[] =
    "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) "
    "else return 0 end";

}  // namespace

// A job of the publisher thread: publish {key}'s entry from L1 to Redis, or
// (with {import}) write an entry that came from Redis into L1.
struct RemoteTier::Publish {
  CacheKey key;
  uint64_t bytes = 0;  // of the payload, for the queue's cap
  std::optional<EntryRecord> import;
};

std::vector<std::pair<const char*, uint64_t>> CounterFields(const RemoteCounters& c) {
  return {{"hits", c.hits},         {"misses", c.misses},
          {"publishes", c.publishes}, {"publish_failures", c.publish_failures},
          {"errors", c.errors},     {"refused", c.refused},
          {"leases", c.leases},     {"waits", c.waits},
          {"wait_hits", c.wait_hits}, {"bytes_in", c.bytes_in},
          {"bytes_out", c.bytes_out}};
}

std::unique_ptr<RemoteTier> RemoteTier::Open(RemoteOptions options, SqliteStore* l1,
                                             std::string* error) {
  std::optional<RedisAddress> address = ParseRedisUrl(options.url, error);
  if (!address) return nullptr;
  if (!l1) {
    *error = "the shared cache tier needs a local cache file";
    return nullptr;
  }
  if (options.connect_timeout_ms <= 0 || options.op_timeout_ms <= 0 || options.lease_ms <= 0 ||
      options.wait_ms < 0 || options.poll_ms <= 0) {
    *error = "the shared cache tier's timeouts must be positive";
    return nullptr;
  }
  return std::unique_ptr<RemoteTier>(new RemoteTier(std::move(options), *address, l1));
}

RemoteTier::RemoteTier(RemoteOptions options, RedisAddress address, SqliteStore* l1)
    : options_(std::move(options)),
      address_(address),
      l1_(l1),
      lookup_client_(address, options_.connect_timeout_ms, options_.op_timeout_ms),
      publish_client_(address, options_.connect_timeout_ms, options_.op_timeout_ms),
      publisher_([this] { PublisherLoop(); }) {}

RemoteTier::~RemoteTier() { Shutdown(); }

std::string RemoteTier::EntryKey(const CacheKey& key) const {
  return options_.prefix + "e:" + key.ToHex();
}

std::string RemoteTier::LeaseKey(const CacheKey& key) const {
  return options_.prefix + "l:" + key.ToHex();
}

void RemoteTier::Warn(const std::string& message) {
  if (warned_.exchange(true)) return;
  if (options_.warn) {
    options_.warn(message);
  } else {
    std::fprintf(stderr, "wasmstream: warning: %s\n", message.c_str());
  }
}

void RemoteTier::Count(uint64_t RemoteCounters::*field, uint64_t n) {
  std::lock_guard<std::mutex> lock(counters_mutex_);
  counters_.*field += n;
}

RemoteCounters RemoteTier::counters() {
  std::lock_guard<std::mutex> lock(counters_mutex_);
  return counters_;
}

bool RemoteTier::Resting() { return NowMs() < rest_until_ms_.load(); }

void RemoteTier::Failed(const std::string& what) {
  Count(&RemoteCounters::errors);
  rest_until_ms_.store(NowMs() + kRemoteRetryAfterMs);
  Warn("shared code cache " + address_.ToString() + " unavailable (" + what +
       "); compiling without it");
}

std::optional<EntryRecord> RemoteTier::Fetch(const CacheKey& key, bool* found) {
  *found = false;
  RedisReply reply;
  {
    std::lock_guard<std::mutex> lock(lookup_mutex_);
    reply = lookup_client_.Run({"GET", EntryKey(key)});
  }
  if (reply.kind == RedisReply::Kind::kNil) return std::nullopt;
  if (reply.kind != RedisReply::Kind::kString) {
    Failed(reply.failed() ? reply.str : "GET answered something other than a string");
    return std::nullopt;
  }
  *found = true;
  Count(&RemoteCounters::bytes_in, reply.str.size());
  DecodeResult decoded = DecodeRecord(Bytes(reply.str));
  if (!decoded.ok) {
    Count(&RemoteCounters::refused);
    Warn("shared code cache entry " + key.ToHex() + " refused: " + decoded.error);
    return std::nullopt;
  }
  return std::move(decoded.record);
}

bool RemoteTier::Accept(const CacheKey& key, const ContentDigest& content,
                        const EntryRecord& record) {
  const StoreOptions& l1 = l1_->options();
  std::string why;
  if (record.key != key) {
    why = "it is stored under another key";
  } else if (record.content != content) {
    why = "it was made from other bytes";
  } else if (record.fingerprint.size() > kMaxHintStringBytes ||
             (!record.signature.empty() && record.signature.size() != kSignatureBytes)) {
    why = "malformed fingerprint or signature";
  } else if (record.payload.size() > l1.max_entry_bytes) {
    why = "larger than this machine's entry limit";
  } else if (!l1.signing_key.empty() &&
             (record.signature.empty() ||
              !VerifyEntry(l1.signing_key, record.key, record.fingerprint, record.content,
                           record.payload, record.signature))) {
    // L1 judges and counts it too (unsigned / bad_signature); it writes
    // nothing it refuses.
    MissReason r = l1_->ImportEntry(record);
    why = r == MissReason::kHit ? "" : ToString(r);
    if (why.empty()) return true;
  }
  if (why.empty()) return true;
  Count(&RemoteCounters::refused);
  Warn("shared code cache entry " + key.ToHex() + " refused: " + why);
  return false;
}

void RemoteTier::ImportAsync(EntryRecord record) {
  auto job = std::make_unique<Publish>();
  job->key = record.key;
  job->bytes = record.payload.size();
  job->import = std::move(record);
  std::lock_guard<std::mutex> lock(queue_mutex_);
  if (!stopping_ && queued_bytes_ + job->bytes <= kMaxPendingPublishBytes) {
    queued_bytes_ += job->bytes;
    queue_.push_back(std::move(job));
    queue_cv_.notify_one();
  }
}

RemoteTier::LeaseState RemoteTier::TakeLease(const CacheKey& key) {
  std::string lease = LeaseKey(key);
  std::lock_guard<std::mutex> lock(lookup_mutex_);
  if (options_.read_only) {
    // A read-only machine takes no lease but still waits for another's.
    RedisReply r = lookup_client_.Run({"EXISTS", lease});
    if (r.kind != RedisReply::Kind::kInteger) {
      Failed(r.failed() ? r.str : "EXISTS answered something other than an integer");
      return LeaseState::kNone;
    }
    return r.integer ? LeaseState::kHeld : LeaseState::kNone;
  }
  std::string token = NewToken();
  RedisReply r = lookup_client_.Run(
      {"SET", lease, token, "NX", "PX", std::to_string(options_.lease_ms)});
  if (r.kind == RedisReply::Kind::kStatus) {
    {
      std::lock_guard<std::mutex> qlock(queue_mutex_);
      leases_[key] = token;
    }
    Count(&RemoteCounters::leases);
    return LeaseState::kWon;
  }
  if (r.kind == RedisReply::Kind::kNil) return LeaseState::kHeld;
  Failed(r.failed() ? r.str : "SET NX answered something unexpected");
  return LeaseState::kNone;
}

std::optional<EntryRecord> RemoteTier::WaitForEntry(const CacheKey& key) {
  auto deadline = Clock::now() + std::chrono::milliseconds(options_.wait_ms);
  std::string lease = LeaseKey(key);
  bool last = false;
  while (!last) {
    std::this_thread::sleep_for(std::chrono::milliseconds(options_.poll_ms));
    // After the lease is gone (published, given up or expired) or the time is
    // up, one last look.
    if (Clock::now() >= deadline) {
      last = true;
    } else {
      RedisReply r;
      {
        std::lock_guard<std::mutex> lock(lookup_mutex_);
        r = lookup_client_.Run({"EXISTS", lease});
      }
      if (r.kind != RedisReply::Kind::kInteger) {
        Failed(r.failed() ? r.str : "EXISTS answered something other than an integer");
        return std::nullopt;
      }
      if (r.integer != 0) continue;
      last = true;
    }
    bool found = false;
    std::optional<EntryRecord> record = Fetch(key, &found);
    if (record || Resting()) return record;
  }
  return std::nullopt;
}

LookupResult RemoteTier::Lookup(const CacheKey& key, const ContentDigest& content,
                                const std::function<void()>& on_found, std::string* where) {
  *where = "sqlite";
  LookupResult local = l1_->Lookup(key, content, on_found);
  if (local.reason != MissReason::kNotFound) return local;
  if (Resting()) {
    Count(&RemoteCounters::misses);
    return local;
  }
  bool found = false;
  bool waited = false;
  std::optional<EntryRecord> record = Fetch(key, &found);
  if (!found && !Resting() && options_.single_flight) {
    LeaseState lease = TakeLease(key);
    if (lease == LeaseState::kWon) {
      // A holder that published and released between our GET and our SET NX
      // left its entry: look again, so the fleet compiles once.
      record = Fetch(key, &found);
      if (found) ReleaseOwnLease(key);
    } else if (lease == LeaseState::kHeld) {
      // Another machine compiles these bytes: stop ours and wait for its entry.
      if (on_found) on_found();
      Count(&RemoteCounters::waits);
      waited = true;
      record = WaitForEntry(key);
      if (record) Count(&RemoteCounters::wait_hits);
    }
  }
  if (!record) {
    if (!found) Count(&RemoteCounters::misses);
    return local;
  }
  if (on_found) on_found();
  if (!Accept(key, content, *record)) return local;
  // A hit now; L1's own import (ImportEntry: its checks once more, then the
  // write) runs on the publisher thread, so the hit waits for neither.
  LookupResult hit;
  hit.reason = MissReason::kHit;
  hit.payload = record->payload;
  ImportAsync(std::move(*record));
  Count(&RemoteCounters::hits);
  *where = waited ? "redis (waited for a fleet compile)" : "redis";
  return hit;
}

void RemoteTier::Store(const CacheKey& key, std::string fingerprint, const ContentDigest& content,
                       std::vector<uint8_t> payload) {
  if (options_.read_only) {
    l1_->StoreAsync(key, std::move(fingerprint), content, std::move(payload));
    return;
  }
  // The record is read back from L1 on the publisher thread: the entry as
  // L1 wrote it, signed with L1's key when it has one.
  auto job = std::make_unique<Publish>();
  job->key = key;
  job->bytes = payload.size();
  // Queued even when L1 refuses it: the publisher then finds nothing to
  // export and only releases this machine's lease.
  l1_->StoreAsync(key, std::move(fingerprint), content, std::move(payload));
  {
    std::lock_guard<std::mutex> lock(queue_mutex_);
    if (!stopping_ && queued_bytes_ + job->bytes <= kMaxPendingPublishBytes) {
      queued_bytes_ += job->bytes;
      queue_.push_back(std::move(job));
      queue_cv_.notify_one();
      return;
    }
  }
  Count(&RemoteCounters::publish_failures);
}

void RemoteTier::ReleaseOwnLease(const CacheKey& key) {
  std::lock_guard<std::mutex> lock(lookup_mutex_);
  ReleaseLease(lookup_client_, key);
}

void RemoteTier::Flush() {
  std::unique_lock<std::mutex> lock(queue_mutex_);
  idle_cv_.wait(lock, [this] { return queue_.empty() && !busy_; });
}

void RemoteTier::PublisherLoop() {
  std::unique_lock<std::mutex> lock(queue_mutex_);
  for (;;) {
    queue_cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;
    if (stopping_ && Clock::now() >= drain_deadline_) {
      Count(&RemoteCounters::publish_failures, queue_.size());
      queue_.clear();
      queued_bytes_ = 0;
      idle_cv_.notify_all();
      return;
    }
    std::unique_ptr<Publish> job = std::move(queue_.front());
    queue_.pop_front();
    queued_bytes_ -= job->bytes;
    busy_ = true;
    lock.unlock();
    RunPublish(*job);
    lock.lock();
    busy_ = false;
    if (queue_.empty()) idle_cv_.notify_all();
  }
}

void RemoteTier::RunPublish(Publish& job) {
  if (job.import) {
    MissReason r = l1_->ImportEntry(std::move(*job.import));
    if (r != MissReason::kHit && r != MissReason::kTooSmall) {
      Count(&RemoteCounters::refused);
      Warn("shared code cache entry " + job.key.ToHex() + " not kept: " + ToString(r));
    }
    return;
  }
  l1_->Flush();  // the entry is written (or refused) by now
  std::optional<EntryRecord> record = l1_->ExportEntry(job.key);
  if (!record) {
    // L1 did not keep it (a write failure, counted there): nothing to share.
  } else if (Resting()) {
    Count(&RemoteCounters::publish_failures);
  } else {
    std::vector<uint8_t> bytes = EncodeRecord(*record, options_.encode);
    RedisReply r = publish_client_.Run(
        {Bytes("SET"), Bytes(EntryKey(job.key)), std::span<const uint8_t>(bytes)});
    if (r.kind == RedisReply::Kind::kStatus) {
      Count(&RemoteCounters::publishes);
      Count(&RemoteCounters::bytes_out, bytes.size());
    } else {
      Count(&RemoteCounters::publish_failures);
      Failed(r.failed() ? r.str : "SET answered something unexpected");
    }
  }
  ReleaseLease(publish_client_, job.key);
}

void RemoteTier::ReleaseLease(RedisClient& client, const CacheKey& key) {
  std::string token;
  {
    std::lock_guard<std::mutex> lock(queue_mutex_);
    auto it = leases_.find(key);
    if (it == leases_.end()) return;
    token = it->second;
    leases_.erase(it);
  }
  if (Resting()) return;  // it expires by itself
  RedisReply r = client.Run({"EVAL", kReleaseScript, "1", LeaseKey(key), token});
  if (r.failed()) Failed(r.str);
}

void RemoteTier::Shutdown(std::chrono::milliseconds max_wait) {
  std::lock_guard<std::mutex> join_lock(join_mutex_);
  {
    std::lock_guard<std::mutex> lock(queue_mutex_);
    if (stopping_ && !publisher_.joinable()) return;
    stopping_ = true;
    drain_deadline_ = Clock::now() + max_wait;
  }
  queue_cv_.notify_all();
  if (publisher_.joinable()) publisher_.join();
  std::vector<CacheKey> held;
  {
    std::lock_guard<std::mutex> lock(queue_mutex_);
    for (const auto& [key, token] : leases_) held.push_back(key);
  }
  for (const CacheKey& key : held) ReleaseLease(publish_client_, key);
  if (options_.read_only || Resting()) return;
  for (const auto& [name, value] : CounterFields(counters())) {
    if (value == 0) continue;
    RedisReply r = publish_client_.Run(
        {"HINCRBY", options_.prefix + "counters", name, std::to_string(value)});
    if (r.failed()) break;  // the counters are a report; their loss is harmless
  }
}

std::optional<FleetStats> RemoteTier::ReadFleetStats(const RemoteOptions& options,
                                                     std::string* error) {
  std::optional<RedisAddress> address = ParseRedisUrl(options.url, error);
  if (!address) return std::nullopt;
  RedisClient client(*address, options.connect_timeout_ms, options.op_timeout_ms);
  FleetStats st;
  st.address = address->ToString();
  RedisReply h = client.Run({"HGETALL", options.prefix + "counters"});
  if (h.kind != RedisReply::Kind::kArray) {
    *error = h.failed() ? h.str : "HGETALL answered something other than an array";
    return std::nullopt;
  }
  for (size_t i = 0; i + 1 < h.elements.size(); i += 2) {
    st.counters.emplace_back(h.elements[i].str,
                             std::strtoull(h.elements[i + 1].str.c_str(), nullptr, 10));
  }
  std::string cursor = "0";
  do {
    RedisReply s = client.Run(
        {"SCAN", cursor, "MATCH", options.prefix + "e:*", "COUNT", "1000"});
    if (s.kind != RedisReply::Kind::kArray || s.elements.size() != 2 ||
        s.elements[1].kind != RedisReply::Kind::kArray) {
      *error = s.failed() ? s.str : "SCAN answered something unexpected";
      return std::nullopt;
    }
    cursor = s.elements[0].str;
    st.entries += s.elements[1].elements.size();
  } while (cursor != "0");
  RedisReply info = client.Run({"INFO", "memory"});
  if (info.kind == RedisReply::Kind::kString) {
    auto field = [&](const std::string& name) -> std::string {
      size_t at = info.str.find("\n" + name + ":");
      if (at == std::string::npos) return "";
      at += name.size() + 2;
      return info.str.substr(at, info.str.find_first_of("\r\n", at) - at);
    };
    st.used_memory = std::strtoull(field("used_memory").c_str(), nullptr, 10);
    st.maxmemory = std::strtoull(field("maxmemory").c_str(), nullptr, 10);
    st.maxmemory_policy = field("maxmemory_policy");
  }
  return st;
}

}  // namespace wasmstream::cache
