// The shared tier against a real redis-server the test starts on a free
// loopback port (and against fake servers that never answer or answer
// garbage). A "machine" is a SqliteStore file of its own plus a RemoteTier.
#include "cache/remote_tier.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <future>
#include <thread>

#include <gtest/gtest.h>

#include "cache/entry_signature.h"
#include "cache/redis_client.h"
#include "cache/redis_server.h"

namespace wasmstream::cache {
namespace {

const EngineFingerprint kFp{3, 0x7f, "remote-tier-test"};

struct Module {
  std::vector<uint8_t> wire;
  CacheKey key;
  ContentDigest digest;
  std::vector<uint8_t> payload;
};

Module MakeModule(int seed, size_t size = 4096) {
  Module m;
  for (size_t i = 0; i < size; ++i) m.wire.push_back(uint8_t(i * 31 + seed));
  m.key = KeyFor(m.wire, kFp);
  m.digest = DigestOf(m.wire);
  for (size_t i = 0; i < size * 2; ++i) m.payload.push_back(uint8_t(i / 7 + seed));
  return m;
}

// One simulated machine: its own L1 file and a tier on the shared server.
struct Machine {
  Machine(const std::string& name, RemoteOptions options,
          std::vector<uint8_t> signing_key = {}) {
    path = ::testing::TempDir() + "/remote_tier_" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name() + "_" + name + ".db";
    SqliteStore::DestroyFile(path, nullptr);
    StoreOptions so;
    so.path = path;
    so.min_module_bytes = 0;
    so.signing_key = std::move(signing_key);
    so.warn = [this](const std::string& w) { warnings.push_back("l1: " + w); };
    l1 = SqliteStore::Open(so);
    options.warn = [this](const std::string& w) { warnings.push_back(w); };
    std::string error;
    tier = RemoteTier::Open(options, l1.get(), &error);
    EXPECT_NE(tier, nullptr) << error;
  }
  ~Machine() {
    if (tier) tier->Shutdown();
    l1->Shutdown();
  }
  LookupResult Lookup(const Module& m, std::string* where = nullptr,
                      const std::function<void()>& on_found = {}) {
    std::string w;
    LookupResult r = tier->Lookup(m.key, m.digest, on_found, &w);
    if (where) *where = w;
    return r;
  }
  void Store(const Module& m) {
    tier->Store(m.key, kFp.ToString(), m.digest, m.payload);
    tier->Flush();
    l1->Flush();
  }
  std::string path;
  std::unique_ptr<SqliteStore> l1;
  std::unique_ptr<RemoteTier> tier;
  std::vector<std::string> warnings;
};

class RemoteTierTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    server_ = RedisServer::Start({}, &error);
    ASSERT_NE(server_, nullptr) << error;
  }
  RemoteOptions Options() {
    RemoteOptions o;
    o.url = server_->url();
    return o;
  }
  RedisReply Redis(std::initializer_list<std::string_view> args) {
    RedisClient c(*ParseRedisUrl(server_->url(), &error_), 1000, 5000);
    return c.Run(args);
  }
  std::unique_ptr<RedisServer> server_;
  std::string error_;
};

TEST_F(RemoteTierTest, L1MissL2HitImportsIntoL1) {
  Module m = MakeModule(1);
  Machine a("a", Options()), b("b", Options());
  EXPECT_FALSE(a.Lookup(m).hit());  // new everywhere: a compiles
  a.Store(m);
  std::string where;
  LookupResult r = b.Lookup(m, &where);
  ASSERT_TRUE(r.hit()) << ToString(r.reason);
  EXPECT_EQ(where, "redis");
  EXPECT_EQ(r.payload, m.payload);
  // Now in b's own file (written on the tier's thread): the next lookup
  // never leaves the machine.
  b.tier->Flush();
  EXPECT_EQ(b.l1->Stats().entries, 1u);
  r = b.Lookup(m, &where);
  ASSERT_TRUE(r.hit());
  EXPECT_EQ(where, "sqlite");
  RemoteCounters ca = a.tier->counters(), cb = b.tier->counters();
  EXPECT_EQ(ca.misses, 1u);
  EXPECT_EQ(ca.leases, 1u);
  EXPECT_EQ(ca.publishes, 1u);
  EXPECT_GT(ca.bytes_out, 0u);
  EXPECT_EQ(cb.hits, 1u);
  EXPECT_EQ(cb.bytes_in, ca.bytes_out);
  EXPECT_EQ(cb.errors + ca.errors, 0u);
  EXPECT_TRUE(a.warnings.empty() && b.warnings.empty());
  // The lease was released with the publish.
  EXPECT_EQ(Redis({"EXISTS", "wasmstream:l:" + m.key.ToHex()}).integer, 0);
}

TEST_F(RemoteTierTest, CountersReachTheFleetHashAtShutdown) {
  Module m = MakeModule(2);
  {
    Machine a("a", Options()), b("b", Options());
    a.Lookup(m);
    a.Store(m);
    EXPECT_TRUE(b.Lookup(m).hit());
  }
  std::string error;
  RemoteOptions o = Options();
  std::optional<FleetStats> st = RemoteTier::ReadFleetStats(o, &error);
  ASSERT_TRUE(st) << error;
  EXPECT_EQ(st->entries, 1u);
  EXPECT_EQ(st->maxmemory_policy, "allkeys-lru");
  auto get = [&](const std::string& name) {
    for (const auto& [n, v] : st->counters) {
      if (n == name) return v;
    }
    return uint64_t{0};
  };
  EXPECT_EQ(get("hits"), 1u);
  EXPECT_EQ(get("misses"), 1u);
  EXPECT_EQ(get("publishes"), 1u);
}

TEST_F(RemoteTierTest, ReadOnlyPublishesNothing) {
  Module m = MakeModule(3);
  RemoteOptions o = Options();
  o.read_only = true;
  {
    Machine a("a", o);
    EXPECT_FALSE(a.Lookup(m).hit());
    a.Store(m);
    EXPECT_TRUE(a.Lookup(m).hit());  // L1 still works
    EXPECT_EQ(a.tier->counters().publishes, 0u);
  }
  // No entry, no lease, no counters: nothing at all was written.
  EXPECT_EQ(Redis({"DBSIZE"}).integer, 0);
}

TEST_F(RemoteTierTest, ReadOnlyMachineStillReadsTheFleet) {
  Module m = MakeModule(4);
  Machine writer("w", Options());
  writer.Lookup(m);
  writer.Store(m);
  RemoteOptions o = Options();
  o.read_only = true;
  Machine reader("r", o);
  std::string where;
  EXPECT_TRUE(reader.Lookup(m, &where).hit());
  EXPECT_EQ(where, "redis");
}

TEST_F(RemoteTierTest, GarbageEntryIsRefusedAndCounted) {
  Module m = MakeModule(5);
  ASSERT_EQ(Redis({"SET", "wasmstream:e:" + m.key.ToHex(), "not a record at all"}).kind,
            RedisReply::Kind::kStatus);
  Machine a("a", Options());
  EXPECT_FALSE(a.Lookup(m).hit());
  EXPECT_EQ(a.tier->counters().refused, 1u);
  ASSERT_EQ(a.warnings.size(), 1u);
  EXPECT_NE(a.warnings[0].find("refused"), std::string::npos) << a.warnings[0];
  // Its own compile's publish replaces the bad entry.
  a.Store(m);
  Machine b("b", Options());
  EXPECT_TRUE(b.Lookup(m).hit());
}

TEST_F(RemoteTierTest, CraftedEntryForOtherBytesIsRefused) {
  Module m = MakeModule(6), other = MakeModule(7);
  // A well-formed record of other content, stored under m's key.
  EntryRecord forged{m.key, kFp.ToString(), other.digest, other.payload, {}};
  std::vector<uint8_t> bytes = EncodeRecord(forged);
  RedisClient c(*ParseRedisUrl(server_->url(), &error_), 1000, 5000);
  std::string k = "wasmstream:e:" + m.key.ToHex();
  std::string_view set = "SET";
  ASSERT_EQ(c.Run({std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(set.data()), 3),
                   std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(k.data()), k.size()),
                   std::span<const uint8_t>(bytes)})
                .kind,
            RedisReply::Kind::kStatus);
  Machine a("a", Options());
  EXPECT_FALSE(a.Lookup(m).hit());
  EXPECT_EQ(a.tier->counters().refused, 1u);
  // Nothing of it reached the local file.
  EXPECT_EQ(a.l1->Stats().entries, 0u);
  // A record under another key than the one asked for: refused too.
  EntryRecord moved{other.key, kFp.ToString(), m.digest, m.payload, {}};
  bytes = EncodeRecord(moved);
  ASSERT_EQ(c.Run({std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(set.data()), 3),
                   std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(k.data()), k.size()),
                   std::span<const uint8_t>(bytes)})
                .kind,
            RedisReply::Kind::kStatus);
  Machine b("b", Options());
  EXPECT_FALSE(b.Lookup(m).hit());
  EXPECT_EQ(b.tier->counters().refused, 1u);
}

const std::vector<uint8_t> kKey(32, 0x5a), kOtherKey(32, 0xa5);

TEST_F(RemoteTierTest, SignedEntryIsTrustedByAMachineWithTheSameKey) {
  Module m = MakeModule(20);
  Machine a("a", Options(), kKey), b("b", Options(), kKey);
  a.Lookup(m);
  a.Store(m);
  std::string where;
  ASSERT_TRUE(b.Lookup(m, &where).hit());
  EXPECT_EQ(where, "redis");
  EXPECT_EQ(b.tier->counters().refused, 0u);
}

TEST_F(RemoteTierTest, UnsignedEntryIsRefusedWhenAKeyIsSet) {
  Module m = MakeModule(21);
  Machine a("a", Options()), b("b", Options(), kKey);
  a.Lookup(m);
  a.Store(m);
  EXPECT_FALSE(b.Lookup(m).hit());
  EXPECT_EQ(b.tier->counters().refused, 1u);
  EXPECT_EQ(b.l1->Stats().entries, 0u);
  bool said = false;
  for (const std::string& w : b.warnings) said = said || w.find("not signed") != std::string::npos;
  EXPECT_TRUE(said) << ::testing::PrintToString(b.warnings);
}

TEST_F(RemoteTierTest, EntrySignedWithAnotherKeyIsRefused) {
  Module m = MakeModule(22);
  Machine a("a", Options(), kOtherKey), b("b", Options(), kKey);
  a.Lookup(m);
  a.Store(m);
  EXPECT_FALSE(b.Lookup(m).hit());
  EXPECT_EQ(b.tier->counters().refused, 1u);
  EXPECT_EQ(b.l1->Stats().session.bad_signature, 1u);
  EXPECT_EQ(b.l1->Stats().entries, 0u);
}

TEST_F(RemoteTierTest, ForgedSignatureIsRefused) {
  Module m = MakeModule(23);
  // Right shape, right content, a signature made without the key.
  Signature forged = SignEntry(kOtherKey, m.key, kFp.ToString(), m.digest, m.payload);
  EntryRecord r{m.key, kFp.ToString(), m.digest, m.payload,
                std::vector<uint8_t>(forged.begin(), forged.end())};
  std::vector<uint8_t> bytes = EncodeRecord(r);
  std::string k = "wasmstream:e:" + m.key.ToHex();
  RedisClient c(*ParseRedisUrl(server_->url(), &error_), 1000, 5000);
  ASSERT_EQ(c.Run({std::span<const uint8_t>(reinterpret_cast<const uint8_t*>("SET"), 3),
                   std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(k.data()), k.size()),
                   std::span<const uint8_t>(bytes)})
                .kind,
            RedisReply::Kind::kStatus);
  Machine b("b", Options(), kKey);
  EXPECT_FALSE(b.Lookup(m).hit());
  EXPECT_EQ(b.tier->counters().refused, 1u);
  // The same bytes signed with b's key are accepted: the check is the key.
  Signature good = SignEntry(kKey, m.key, kFp.ToString(), m.digest, m.payload);
  r.signature.assign(good.begin(), good.end());
  bytes = EncodeRecord(r);
  ASSERT_EQ(c.Run({std::span<const uint8_t>(reinterpret_cast<const uint8_t*>("SET"), 3),
                   std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(k.data()), k.size()),
                   std::span<const uint8_t>(bytes)})
                .kind,
            RedisReply::Kind::kStatus);
  Machine c2("c", Options(), kKey);
  EXPECT_TRUE(c2.Lookup(m).hit());
}

TEST_F(RemoteTierTest, RedisKilledMidRunIsAMissWithOneWarning) {
  Module m = MakeModule(8), n = MakeModule(9);
  Machine a("a", Options());
  a.Lookup(m);
  a.Store(m);
  server_->Kill();
  Machine b("b", Options());
  EXPECT_FALSE(b.Lookup(m).hit());
  EXPECT_FALSE(b.Lookup(n).hit());  // resting: not asked again
  b.Store(n);                       // L1 still takes it
  EXPECT_TRUE(b.Lookup(n).hit());
  RemoteCounters c = b.tier->counters();
  EXPECT_EQ(c.errors, 1u);
  EXPECT_EQ(c.hits, 0u);
  EXPECT_EQ(c.publishes, 0u);
  EXPECT_EQ(c.publish_failures, 1u);
  ASSERT_EQ(b.warnings.size(), 1u);
  EXPECT_NE(b.warnings[0].find("unavailable"), std::string::npos) << b.warnings[0];
  b.tier->Shutdown();  // no lease to release, no counters sent: returns
}

TEST_F(RemoteTierTest, FullRedisIsAPublishFailureNotAnError) {
  server_->Stop();
  std::string error;
  RedisServerOptions so;
  so.maxmemory = 1024 * 1024;
  so.maxmemory_policy = "noeviction";
  server_ = RedisServer::Start(so, &error);
  ASSERT_NE(server_, nullptr) << error;
  Module big = MakeModule(10, 2 * 1024 * 1024);
  Machine a("a", Options());
  a.Lookup(big);
  a.Store(big);
  RemoteCounters c = a.tier->counters();
  EXPECT_EQ(c.publishes, 0u);
  EXPECT_EQ(c.publish_failures, 1u);
  ASSERT_EQ(a.warnings.size(), 1u);
  EXPECT_NE(a.warnings[0].find("OOM"), std::string::npos) << a.warnings[0];
  EXPECT_TRUE(a.Lookup(big).hit());  // from L1
}

TEST_F(RemoteTierTest, SecondMachineWaitsForTheLeaseHoldersEntry) {
  Module m = MakeModule(11);
  Machine a("a", Options()), b("b", Options());
  EXPECT_FALSE(a.Lookup(m).hit());  // a holds the lease and "compiles"
  EXPECT_EQ(Redis({"EXISTS", "wasmstream:l:" + m.key.ToHex()}).integer, 1);
  std::promise<void> waiting;
  std::string where;
  auto lookup = std::async(std::launch::async, [&] {
    return b.Lookup(m, &where, [&] {
      static std::atomic<bool> once{false};
      if (!once.exchange(true)) waiting.set_value();
    });
  });
  waiting.get_future().wait();  // b found the lease and stopped its compile
  a.Store(m);
  LookupResult r = lookup.get();
  ASSERT_TRUE(r.hit()) << ToString(r.reason);
  EXPECT_EQ(where, "redis (waited for a fleet compile)");
  RemoteCounters cb = b.tier->counters();
  EXPECT_EQ(cb.waits, 1u);
  EXPECT_EQ(cb.wait_hits, 1u);
  EXPECT_EQ(cb.leases, 0u);
}

TEST_F(RemoteTierTest, AWaitEndsAtItsBudget) {
  Module m = MakeModule(12);
  // A lease nobody will honour: the waiter gives up after its wait budget,
  // then compiles itself.
  ASSERT_EQ(Redis({"SET", "wasmstream:l:" + m.key.ToHex(), "ghost", "PX", "600000"}).kind,
            RedisReply::Kind::kStatus);
  RemoteOptions o = Options();
  o.wait_ms = 300;
  Machine b("b", o);
  EXPECT_FALSE(b.Lookup(m).hit());
  RemoteCounters c = b.tier->counters();
  EXPECT_EQ(c.waits, 1u);
  EXPECT_EQ(c.wait_hits, 0u);
  EXPECT_EQ(c.misses, 1u);
}

TEST_F(RemoteTierTest, AWaitEndsWhenTheLeaseGoesWithoutAnEntry) {
  Module m = MakeModule(17);
  std::string lease = "wasmstream:l:" + m.key.ToHex();
  ASSERT_EQ(Redis({"SET", lease, "ghost"}).kind, RedisReply::Kind::kStatus);
  Machine b("b", Options());  // the default 30 s budget: only the lease ends it
  // The holder gives up (its compile failed) as soon as b starts waiting.
  EXPECT_FALSE(b.Lookup(m, nullptr, [&] { Redis({"DEL", lease}); }).hit());
  RemoteCounters c = b.tier->counters();
  EXPECT_EQ(c.waits, 1u);
  EXPECT_EQ(c.wait_hits, 0u);
}

TEST_F(RemoteTierTest, NoSingleFlightTakesNoLease) {
  Module m = MakeModule(13);
  RemoteOptions o = Options();
  o.single_flight = false;
  Machine a("a", o);
  EXPECT_FALSE(a.Lookup(m).hit());
  EXPECT_EQ(a.tier->counters().leases, 0u);
  EXPECT_EQ(Redis({"EXISTS", "wasmstream:l:" + m.key.ToHex()}).integer, 0);
}

// A loopback server that accepts connections and then either says nothing
// or answers every request with {reply}.
class FakeServer {
 public:
  explicit FakeServer(std::string reply) : reply_(std::move(reply)) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    EXPECT_EQ(bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    EXPECT_EQ(listen(fd_, 16), 0);
    getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] {
      for (;;) {
        int c = accept(fd_, nullptr, nullptr);
        if (c < 0 || stop_) {
          if (c >= 0) close(c);
          return;
        }
        clients_.push_back(c);
        char buf[4096];
        if (!reply_.empty() && read(c, buf, sizeof buf) > 0) {
          (void)!write(c, reply_.data(), reply_.size());
        }
      }
    });
  }
  ~FakeServer() {
    stop_ = true;
    shutdown(fd_, SHUT_RDWR);
    close(fd_);
    thread_.join();
    for (int c : clients_) close(c);
  }
  std::string url() const { return "redis://127.0.0.1:" + std::to_string(port_); }

 private:
  std::string reply_;
  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::vector<int> clients_;
  std::thread thread_;
};

TEST(RemoteTierFakeServerTest, ServerThatNeverAnswersTimesOutToAMiss) {
  FakeServer silent("");
  RemoteOptions o;
  o.url = silent.url();
  o.op_timeout_ms = 200;
  Machine a("a", o);
  Module m = MakeModule(14);
  EXPECT_FALSE(a.Lookup(m).hit());
  a.Store(m);  // skipped: the tier rests after the failure
  RemoteCounters c = a.tier->counters();
  EXPECT_EQ(c.errors, 1u);
  EXPECT_EQ(c.publish_failures, 1u);
  ASSERT_EQ(a.warnings.size(), 1u);
  EXPECT_NE(a.warnings[0].find("timed out"), std::string::npos) << a.warnings[0];
}

TEST(RemoteTierFakeServerTest, ServerAnsweringGarbageIsAMiss) {
  for (std::string garbage : {"HTTP/1.1 400 Bad Request\r\n\r\n", ":12\r\n", "+OK\r\n"}) {
    SCOPED_TRACE(garbage);
    FakeServer liar(garbage);
    RemoteOptions o;
    o.url = liar.url();
    o.op_timeout_ms = 500;
    Machine a("a", o);
    EXPECT_FALSE(a.Lookup(MakeModule(15)).hit());
    EXPECT_EQ(a.tier->counters().errors, 1u);
    EXPECT_EQ(a.tier->counters().hits, 0u);
    EXPECT_EQ(a.warnings.size(), 1u);
  }
}

TEST(RemoteTierFakeServerTest, NothingListeningIsAMiss) {
  RemoteOptions o;
  o.url = "redis://127.0.0.1:" + std::to_string(FreeLoopbackPort());
  Machine a("a", o);
  EXPECT_FALSE(a.Lookup(MakeModule(16)).hit());
  EXPECT_EQ(a.tier->counters().errors, 1u);
}

TEST(RemoteTierOpenTest, BadUrlIsRefusedAtOpen) {
  auto l1 = SqliteStore::Open({.path = ::testing::TempDir() + "/remote_tier_open.db"});
  std::string error;
  RemoteOptions o;
  o.url = "http://localhost:6379";
  EXPECT_EQ(RemoteTier::Open(o, l1.get(), &error), nullptr);
  EXPECT_NE(error.find("bad Redis URL"), std::string::npos) << error;
}

}  // namespace
}  // namespace wasmstream::cache
