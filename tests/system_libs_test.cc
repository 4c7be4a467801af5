// Links SQLite, libcurl and xxHash through //third_party and uses each for real.
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>

#include <curl/curl.h>
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>
#include <xxhash.h>

TEST(SystemLibsTest, SqliteRoundTripsThroughAFile) {
  std::string path = ::testing::TempDir() + "/system_libs_test.db";
  std::remove(path.c_str());
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "CREATE TABLE t(v BLOB); INSERT INTO t VALUES (x'0061736d')",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT v FROM t", -1, &stmt, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  ASSERT_EQ(sqlite3_column_bytes(stmt, 0), 4);
  EXPECT_EQ(std::memcmp(sqlite3_column_blob(stmt, 0), "\0asm", 4), 0);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
}

TEST(SystemLibsTest, Xxh3StreamingEqualsOneShot) {
  const char data[] = "\0asm\x01\0\0\0 some module bytes";
  XXH128_hash_t whole = XXH3_128bits(data, sizeof data);
  XXH3_state_t* st = XXH3_createState();
  XXH3_128bits_reset(st);
  for (size_t i = 0; i < sizeof data; ++i) XXH3_128bits_update(st, data + i, 1);
  XXH128_hash_t streamed = XXH3_128bits_digest(st);
  XXH3_freeState(st);
  EXPECT_TRUE(XXH128_isEqual(whole, streamed));
  EXPECT_FALSE(whole.low64 == 0 && whole.high64 == 0);
}

static size_t Append(char* p, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(p, size * n);
  return size * n;
}

TEST(SystemLibsTest, CurlReadsAFileUrl) {
  std::string path = ::testing::TempDir() + "/system_libs_test.txt";
  std::ofstream(path) << "hello from a file";
  CURL* curl = curl_easy_init();
  ASSERT_NE(curl, nullptr);
  std::string body;
  std::string url = "file://" + path;
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, Append);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
  EXPECT_EQ(curl_easy_perform(curl), CURLE_OK);
  curl_easy_cleanup(curl);
  EXPECT_EQ(body, "hello from a file");
}
