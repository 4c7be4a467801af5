// Signed entries (entry_signature.h) through real SQLite files: a store with
// a key refuses what it did not sign, and entries move between stores only
// through the same checks.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "cache/entry_signature.h"
#include "cache/sqlite_store.h"

namespace wasmstream::cache {
namespace {

EngineFingerprint Fp() { return {1, 0x7f, "test"}; }

std::vector<uint8_t> Bytes(size_t n, uint8_t seed) {
  std::vector<uint8_t> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = static_cast<uint8_t>(i * 31 + seed);
  return v;
}

class SignedStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = ::testing::TempDir() + "/signed_store_test_" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }

  std::unique_ptr<SqliteStore> Open(const std::string& name, std::vector<uint8_t> key) {
    StoreOptions o;
    o.path = dir_ + "/" + name;
    o.min_module_bytes = 16;
    o.signing_key = std::move(key);
    o.warn = [](const std::string&) {};
    return SqliteStore::Open(o);
  }

  CacheKey Put(SqliteStore& s, const std::vector<uint8_t>& wire) {
    CacheKey k = KeyFor(wire, Fp());
    EXPECT_TRUE(s.StoreAsync(k, Fp().ToString(), DigestOf(wire), Bytes(500, wire[0])));
    s.Flush();
    return k;
  }

  // Rewrites one payload byte and its checksum, as someone with write access
  // to the file (and no key) could.
  void Tamper(const std::string& name) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((dir_ + "/" + name).c_str(), &db), SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT id, payload FROM blobs", -1, &st, nullptr), SQLITE_OK);
    ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
    int64_t id = sqlite3_column_int64(st, 0);
    const uint8_t* p = static_cast<const uint8_t*>(sqlite3_column_blob(st, 1));
    std::vector<uint8_t> payload(p, p + sqlite3_column_bytes(st, 1));
    sqlite3_finalize(st);
    payload[10] ^= 0x5a;
    ASSERT_EQ(sqlite3_prepare_v2(db, "UPDATE blobs SET payload = ? WHERE id = ?", -1, &st, nullptr),
              SQLITE_OK);
    sqlite3_bind_blob(st, 1, payload.data(), static_cast<int>(payload.size()), SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, id);
    ASSERT_EQ(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
    ASSERT_EQ(sqlite3_prepare_v2(db, "UPDATE entries SET checksum = ? WHERE id = ?", -1, &st, nullptr),
              SQLITE_OK);
    sqlite3_bind_int64(st, 1, static_cast<int64_t>(PayloadChecksum(payload)));
    sqlite3_bind_int64(st, 2, id);
    ASSERT_EQ(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
    sqlite3_close(db);
  }

  std::string dir_;
  const std::vector<uint8_t> key_ = Bytes(32, 7);
  const std::vector<uint8_t> other_key_ = Bytes(32, 8);
};

TEST_F(SignedStoreTest, SignedEntryHits) {
  auto s = Open("c.db", key_);
  auto wire = Bytes(1000, 1);
  CacheKey k = Put(*s, wire);
  LookupResult r = s->Lookup(k, DigestOf(wire));
  ASSERT_TRUE(r.hit()) << ToString(r.reason);
  EXPECT_EQ(r.payload, Bytes(500, wire[0]));
}

TEST_F(SignedStoreTest, EditedPayloadWithRecomputedChecksumIsRefused) {
  auto wire = Bytes(1000, 1);
  CacheKey k;
  {
    auto s = Open("c.db", key_);
    k = Put(*s, wire);
  }
  Tamper("c.db");
  // The checksum alone is fooled (which is why signing exists)...
  {
    auto plain = Open("c.db", {});
    EXPECT_TRUE(plain->Lookup(k, DigestOf(wire)).hit());
  }
  // ...the signature is not; the entry is deleted and counted.
  auto s = Open("c.db", key_);
  EXPECT_EQ(s->Lookup(k, DigestOf(wire)).reason, MissReason::kBadSignature);
  StoreStats st = s->Stats();
  EXPECT_EQ(st.session.bad_signature, 1u);
  EXPECT_EQ(st.session.rejected, 1u);
  EXPECT_EQ(st.entries, 0u);
}

// A preload checks the signature over the digest it reports: the stored
// digest cannot be re-pointed at other bytes, nor the payload edited.
TEST_F(SignedStoreTest, PreloadVerifiesTheSignatureOverTheStoredDigest) {
  auto wire = Bytes(1000, 1);
  CacheKey k;
  {
    auto s = Open("c.db", key_);
    k = Put(*s, wire);
    ContentDigest stored;
    LookupResult r = s->Preload(k, &stored);
    ASSERT_TRUE(r.hit()) << ToString(r.reason);
    EXPECT_EQ(stored, DigestOf(wire));
  }
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((dir_ + "/c.db").c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, "UPDATE entries SET sha256 = zeroblob(32)", nullptr, nullptr,
                           nullptr),
              SQLITE_OK);
    sqlite3_close(db);
  }
  auto s = Open("c.db", key_);
  ContentDigest stored;
  EXPECT_EQ(s->Preload(k, &stored).reason, MissReason::kBadSignature);
  s->Flush();
  EXPECT_EQ(s->Stats().entries, 0u);
  EXPECT_EQ(s->Stats().session.bad_signature, 1u);
}

TEST_F(SignedStoreTest, UnsignedAndOtherKeyEntriesAreRefused) {
  auto wire1 = Bytes(1000, 1), wire2 = Bytes(1000, 2);
  CacheKey k1, k2;
  {
    auto unsigned_store = Open("c.db", {});
    k1 = Put(*unsigned_store, wire1);
  }
  {
    auto other = Open("c.db", other_key_);
    k2 = Put(*other, wire2);
  }
  auto s = Open("c.db", key_);
  EXPECT_EQ(s->Lookup(k1, DigestOf(wire1)).reason, MissReason::kUnsigned);
  EXPECT_EQ(s->Lookup(k2, DigestOf(wire2)).reason, MissReason::kBadSignature);
  EXPECT_EQ(s->Stats().session.bad_signature, 2u);
}

TEST_F(SignedStoreTest, ExportImportCarriesTheSignature) {
  auto a = Open("a.db", key_);
  auto b = Open("b.db", key_);
  auto wire = Bytes(1000, 3);
  CacheKey k = Put(*a, wire);
  std::optional<EntryRecord> rec = a->ExportEntry(k);
  ASSERT_TRUE(rec);
  EXPECT_EQ(rec->signature.size(), kSignatureBytes);
  EXPECT_EQ(rec->content, DigestOf(wire));
  EXPECT_EQ(b->Lookup(k, DigestOf(wire)).reason, MissReason::kNotFound);
  EXPECT_EQ(b->ImportEntry(*rec), MissReason::kHit);
  LookupResult r = b->Lookup(k, DigestOf(wire));
  ASSERT_TRUE(r.hit()) << ToString(r.reason);
  EXPECT_EQ(r.payload, rec->payload);
}

TEST_F(SignedStoreTest, ImportRefusesForgedUnsignedAndOtherKeyRecords) {
  auto a = Open("a.db", key_);
  auto b = Open("b.db", key_);
  auto wire = Bytes(1000, 4);
  CacheKey k = Put(*a, wire);
  EntryRecord rec = *a->ExportEntry(k);

  EntryRecord forged = rec;
  forged.payload[0] ^= 1;
  EXPECT_EQ(b->ImportEntry(forged), MissReason::kBadSignature);
  EntryRecord renamed = rec;
  renamed.fingerprint += "x";
  EXPECT_EQ(b->ImportEntry(renamed), MissReason::kBadSignature);
  EntryRecord other_content = rec;
  other_content.content.sha256[0] ^= 1;
  EXPECT_EQ(b->ImportEntry(other_content), MissReason::kBadSignature);
  EntryRecord bare = rec;
  bare.signature.clear();
  EXPECT_EQ(b->ImportEntry(bare), MissReason::kUnsigned);
  auto c = Open("c.db", other_key_);
  EXPECT_EQ(c->ImportEntry(rec), MissReason::kBadSignature);
  EXPECT_EQ(b->Stats().entries, 0u);
  EXPECT_EQ(b->Stats().session.bad_signature, 4u);

  // An unsigned store takes the record, checked like any entry at lookup.
  auto plain = Open("plain.db", {});
  EXPECT_EQ(plain->ImportEntry(bare), MissReason::kHit);
  EXPECT_TRUE(plain->Lookup(k, DigestOf(wire)).hit());
}

TEST_F(SignedStoreTest, FindByPrefixPredictsTheStoredModule) {
  auto s = Open("c.db", {});
  auto wire = Bytes(200000, 5);  // longer than the prefix
  CacheKey k = Put(*s, wire);
  ContentDigest d = DigestOf(wire);
  const std::string fp = Fp().ToString();
  EXPECT_EQ(s->FindByPrefix(d.prefix, d.size, fp), k);
  EXPECT_EQ(s->FindByPrefix(d.prefix, std::nullopt, fp), k);
  EXPECT_EQ(s->FindByPrefix(d.prefix, d.size + 1, fp), std::nullopt);
  EXPECT_EQ(s->FindByPrefix(d.prefix ^ 1, d.size, fp), std::nullopt);
  EXPECT_EQ(s->FindByPrefix(d.prefix, d.size, fp + "+lazy"), std::nullopt);
  // The streamed prefix digest is the one-shot one, whatever the chunking.
  KeyHasher h;
  for (size_t i = 0; i < wire.size(); i += 1000) {
    EXPECT_EQ(h.Prefix().has_value(), i >= kPrefixBytes);
    h.Update(std::span(wire).subspan(i, std::min<size_t>(1000, wire.size() - i)));
  }
  EXPECT_EQ(h.Prefix(), d.prefix);
  EXPECT_EQ(h.Digest(), d);
}

TEST(SigningKeyTest, LoadsOwnerOnlyKeysOnly) {
  std::string dir = ::testing::TempDir() + "/signing_key_test";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  auto write = [&](const std::string& name, size_t n, mode_t mode) {
    std::string p = dir + "/" + name;
    std::ofstream(p) << std::string(n, 'k');
    ::chmod(p.c_str(), mode);
    return p;
  };
  std::string error;
  auto key = LoadSigningKey(write("good", 32, 0600), &error);
  ASSERT_TRUE(key) << error;
  EXPECT_EQ(key->size(), 32u);
  EXPECT_FALSE(LoadSigningKey(write("loose", 32, 0644), &error));
  EXPECT_NE(error.find("chmod 600"), std::string::npos) << error;
  EXPECT_FALSE(LoadSigningKey(write("short", 8, 0600), &error));
  EXPECT_NE(error.find("16 to 4096 bytes"), std::string::npos) << error;
  EXPECT_FALSE(LoadSigningKey(dir, &error));
  EXPECT_FALSE(LoadSigningKey(dir + "/absent", &error));
}

TEST(SigningKeyTest, SignatureCoversEveryField) {
  auto key = Bytes(32, 1);
  CacheKey k;
  k.bytes[0] = 1;
  ContentDigest d{100, {}, 5};
  auto payload = Bytes(64, 2);
  Signature sig = SignEntry(key, k, "fp", d, payload);
  EXPECT_TRUE(VerifyEntry(key, k, "fp", d, payload, sig));
  CacheKey k2 = k;
  k2.bytes[15] = 9;
  EXPECT_FALSE(VerifyEntry(key, k2, "fp", d, payload, sig));
  EXPECT_FALSE(VerifyEntry(key, k, "fq", d, payload, sig));
  ContentDigest d2 = d;
  d2.size = 101;
  EXPECT_FALSE(VerifyEntry(key, k, "fp", d2, payload, sig));
  auto p2 = payload;
  p2.push_back(0);
  EXPECT_FALSE(VerifyEntry(key, k, "fp", d, p2, sig));
  EXPECT_FALSE(VerifyEntry(Bytes(32, 3), k, "fp", d, payload, sig));
  EXPECT_FALSE(VerifyEntry(key, k, "fp", d, payload, std::span(sig).first(31)));
}

}  // namespace
}  // namespace wasmstream::cache
