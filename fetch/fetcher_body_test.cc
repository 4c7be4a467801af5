// How the Fetcher cuts a body into chunks, network and file: bytes arrive
// byte-identical whatever the sender's write sizes or the file's size, no
// chunk is bigger than kMaxBodyChunkBytes, a slow reader keeps the buffer
// bounded, and the body-size limit fires at the exact byte.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <future>
#include <string>
#include <thread>

#include "fetch/fetcher.h"
#include "tests/testing/http_server.h"

namespace wasmstream::fetch {
namespace {

using testserver::Connection;
using testserver::HttpRequest;
using testserver::HttpServer;
using namespace std::chrono_literals;

Request Req(const std::string& url) {
  auto r = Request::Create(url);
  EXPECT_TRUE(r.ok()) << url;
  return std::move(r.value());
}

// Bytes that do not repeat with any power-of-two period, so a chunk lost,
// doubled or swapped anywhere changes the result.
std::string Pattern(size_t n) {
  std::string s(n, '\0');
  uint32_t x = 12345;
  for (size_t i = 0; i < n; ++i) {
    x = x * 1103515245 + 12345;
    s[i] = static_cast<char>(x >> 23);
  }
  return s;
}

struct ReadOutcome {
  std::string bytes;
  size_t chunks = 0;
  size_t largest_chunk = 0;
  std::string error;  // empty when the body ended normally
};

// Reads {r}'s body with a blocking reader; sleeps {pause} after each of the
// first {slow_chunks} chunks (a slow reader).
ReadOutcome ReadAll(const Response& r, std::chrono::milliseconds pause = 0ms,
                    size_t slow_chunks = 0) {
  ReadOutcome out;
  auto reader = std::move(r.body()->GetReader().value());
  for (;;) {
    ReadResult got = reader->ReadBlocking();
    if (got.is_done()) return out;
    if (got.is_error()) {
      out.error = got.error.Format();
      return out;
    }
    EXPECT_FALSE(got.chunk.empty());
    out.bytes.append(got.chunk.begin(), got.chunk.end());
    out.largest_chunk = std::max(out.largest_chunk, got.chunk.size());
    if (out.chunks++ < slow_chunks) std::this_thread::sleep_for(pause);
  }
}

// A route sending {body} with Content-Length in writes of {write_bytes}.
void ServeInWrites(HttpServer& server, const std::string& path, const std::string& body,
                   size_t write_bytes) {
  server.Route(path, [body, write_bytes](const HttpRequest&, Connection& c) {
    if (!c.WriteHead(200, {{"Content-Length", std::to_string(body.size())}})) return;
    for (size_t at = 0; at < body.size(); at += write_bytes)
      if (!c.Write(std::string_view(body).substr(at, write_bytes))) return;
  });
}

// ---------------------------------------------------------------- network

TEST(FetcherBodyTest, NetworkBodyIsByteIdenticalAtEveryWriteSize) {
  HttpServer server;
  Fetcher fetcher;
  const std::string body = Pattern(3 * kMaxBodyChunkBytes + 12345);
  for (size_t write_bytes : {size_t{1000}, size_t{16383}, size_t{16385}, kMaxBodyChunkBytes - 1,
                             kMaxBodyChunkBytes, kMaxBodyChunkBytes + 1, size_t{1} << 20,
                             body.size()}) {
    SCOPED_TRACE(write_bytes);
    const std::string path = "/w" + std::to_string(write_bytes);
    ServeInWrites(server, path, body, write_bytes);
    Response blocking = fetcher.FetchBlocking(Req(server.Url(path)));
    ASSERT_FALSE(blocking.is_network_error()) << blocking.error().message;
    ReadOutcome out = ReadAll(blocking);
    EXPECT_EQ(out.error, "");
    EXPECT_EQ(out.bytes.size(), body.size());
    EXPECT_TRUE(out.bytes == body);
    EXPECT_LE(out.largest_chunk, kMaxBodyChunkBytes);

    // The same through the asynchronous reader (callbacks on the network thread).
    Response async = fetcher.FetchBlocking(Req(server.Url(path)));
    auto all = async.BytesBlocking();
    ASSERT_TRUE(all.ok()) << all.error().message;
    EXPECT_TRUE(std::string(all.value().begin(), all.value().end()) == body);
  }
}

TEST(FetcherBodyTest, ChunkedBodyIsByteIdentical) {
  HttpServer server;
  const std::string body = Pattern(2 * kMaxBodyChunkBytes + 777);
  server.Route("/chunked", [&](const HttpRequest&, Connection& c) {
    if (!c.WriteHead(200, {{"Transfer-Encoding", "chunked"}})) return;
    size_t sizes[] = {1, 100, 20000, 70000, 300000};
    size_t at = 0;
    for (size_t i = 0; at < body.size(); ++i) {
      size_t n = std::min(sizes[i % 5], body.size() - at);
      if (!c.WriteChunk(std::string_view(body).substr(at, n))) return;
      at += n;
    }
    c.EndChunks();
  });
  Fetcher fetcher;
  ReadOutcome out = ReadAll(fetcher.FetchBlocking(Req(server.Url("/chunked"))));
  EXPECT_EQ(out.error, "");
  EXPECT_TRUE(out.bytes == body);
}

// Backpressure with turns gathered into chunks: a chunk that fills the
// stream pauses libcurl mid-turn; the bytes it then holds back must come
// again exactly once.
TEST(FetcherBodyTest, SlowReaderKeepsTheBufferBoundedAndTheBodyIntact) {
  HttpServer server;
  const std::string body = Pattern(6 << 20);
  ServeInWrites(server, "/big", body, 1 << 20);
  FetcherOptions options;
  options.body_buffer_bytes = 100'000;  // below one chunk: every push pauses
  Fetcher fetcher(options);
  Response r = fetcher.FetchBlocking(Req(server.Url("/big")));
  ReadOutcome out = ReadAll(r, 2ms, 40);
  EXPECT_EQ(out.error, "");
  EXPECT_EQ(out.bytes.size(), body.size());
  EXPECT_TRUE(out.bytes == body);
  EXPECT_LE(r.body()->peak_buffered_bytes(), options.body_buffer_bytes + kMaxBodyChunkBytes);
}

TEST(FetcherBodyTest, BodyLimitFiresAtTheExactByte) {
  HttpServer server;
  constexpr uint64_t kLimit = 3 * kMaxBodyChunkBytes + 10;  // not on a chunk boundary
  const std::string at_limit = Pattern(kLimit);
  const std::string over = Pattern(kLimit + 1);
  ServeInWrites(server, "/at", at_limit, 50'000);
  ServeInWrites(server, "/over", over, 50'000);
  FetcherOptions options;
  options.max_body_bytes = kLimit;
  Fetcher fetcher(options);

  ReadOutcome ok = ReadAll(fetcher.FetchBlocking(Req(server.Url("/at"))));
  EXPECT_EQ(ok.error, "");
  EXPECT_TRUE(ok.bytes == at_limit);

  ReadOutcome too_big = ReadAll(fetcher.FetchBlocking(Req(server.Url("/over"))));
  EXPECT_NE(too_big.error.find("exceeds the maximum size of " + std::to_string(kLimit)),
            std::string::npos)
      << too_big.error;
  EXPECT_LE(too_big.bytes.size(), kLimit);
}

// ---------------------------------------------------------------- file:

std::string WriteFile(const std::string& name, const std::string& data) {
  std::string path = ::testing::TempDir() + "/" + name;
  std::ofstream(path, std::ios::binary | std::ios::trunc) << data;
  return path;
}

TEST(FetcherFileTest, FileIsByteIdenticalAtEverySizeAroundTheChunkSize) {
  Fetcher fetcher;
  for (size_t size : {size_t{1}, kMaxBodyChunkBytes - 1, kMaxBodyChunkBytes,
                      kMaxBodyChunkBytes + 1, 3 * kMaxBodyChunkBytes,
                      size_t{5 << 20} + 123}) {
    SCOPED_TRACE(size);
    const std::string data = Pattern(size);
    const std::string path = WriteFile("sized.bin", data);
    Response r = fetcher.FetchBlocking(Req("file://" + path));
    ASSERT_FALSE(r.is_network_error()) << r.error().message;
    EXPECT_EQ(r.headers().Get("Content-Length"), std::to_string(size));
    ReadOutcome out = ReadAll(r);
    EXPECT_EQ(out.error, "");
    EXPECT_EQ(out.bytes.size(), size);
    EXPECT_TRUE(out.bytes == data);
    EXPECT_LE(out.largest_chunk, kMaxBodyChunkBytes);
    EXPECT_EQ(out.chunks, (size + kMaxBodyChunkBytes - 1) / kMaxBodyChunkBytes);

    auto all = fetcher.FetchBlocking(Req("file://" + path)).BytesBlocking();
    ASSERT_TRUE(all.ok()) << all.error().message;
    EXPECT_TRUE(std::string(all.value().begin(), all.value().end()) == data);
  }
}

TEST(FetcherFileTest, EmptyFileIsAnEmptyBody) {
  Fetcher fetcher;
  Response r = fetcher.FetchBlocking(Req("file://" + WriteFile("empty.wasm", "")));
  ASSERT_FALSE(r.is_network_error()) << r.error().message;
  EXPECT_EQ(r.status(), 200);
  EXPECT_EQ(r.headers().Get("Content-Length"), "0");
  ReadOutcome out = ReadAll(r);
  EXPECT_EQ(out.error, "");
  EXPECT_EQ(out.chunks, 0u);
}

TEST(FetcherFileTest, MissingFileIsANetworkErrorWithTheReason) {
  Fetcher fetcher;
  const std::string url = "file://" + ::testing::TempDir() + "/no-such-file.wasm";
  Response r = fetcher.FetchBlocking(Req(url));
  ASSERT_TRUE(r.is_network_error());
  EXPECT_EQ(r.error().message, "Failed to fetch " + Url::Parse(url).value().href() +
                                   ": No such file or directory");
}

TEST(FetcherFileTest, FileOverTheLimitFailsBeforeReading) {
  FetcherOptions options;
  options.max_body_bytes = 1000;
  Fetcher fetcher(options);
  Response r = fetcher.FetchBlocking(Req("file://" + WriteFile("big.bin", Pattern(1001))));
  ASSERT_TRUE(r.is_network_error());
  EXPECT_NE(r.error().message.find("exceeds the maximum size of 1000"), std::string::npos)
      << r.error().message;
  EXPECT_FALSE(fetcher.FetchBlocking(Req("file://" + WriteFile("ok.bin", Pattern(1000))))
                   .is_network_error());
}

// The size checked at open is not the last word: a file that grows while
// it is read stops at the limit.
TEST(FetcherFileTest, FileThatGrowsPastTheLimitWhileReadErrors) {
  constexpr size_t kLimit = 4 * kMaxBodyChunkBytes;
  FetcherOptions options;
  options.max_body_bytes = kLimit;
  options.body_buffer_bytes = 1;  // the reader holds the file back after one chunk
  Fetcher fetcher(options);
  const std::string path = WriteFile("growing.bin", Pattern(kLimit));
  Response r = fetcher.FetchBlocking(Req("file://" + path));
  ASSERT_FALSE(r.is_network_error()) << r.error().message;
  std::ofstream(path, std::ios::binary | std::ios::app) << "one byte too many";
  ReadOutcome out = ReadAll(r);
  EXPECT_NE(out.error.find("exceeds the maximum size of " + std::to_string(kLimit)),
            std::string::npos)
      << out.error;
  EXPECT_LE(out.bytes.size(), kLimit);
}

TEST(FetcherFileTest, FileThatShrinksWhileReadEndsEarly) {
  FetcherOptions options;
  options.body_buffer_bytes = 1;
  Fetcher fetcher(options);
  const std::string data = Pattern(4 * kMaxBodyChunkBytes);
  const std::string path = WriteFile("shrinking.bin", data);
  Response r = fetcher.FetchBlocking(Req("file://" + path));
  ASSERT_FALSE(r.is_network_error()) << r.error().message;
  ASSERT_EQ(::truncate(path.c_str(), kMaxBodyChunkBytes + 10), 0);
  ReadOutcome out = ReadAll(r);
  EXPECT_EQ(out.error, "");
  // Whatever was read before the truncation, then the file as it is now.
  ASSERT_GE(out.bytes.size(), kMaxBodyChunkBytes + 10);
  EXPECT_TRUE(out.bytes == data.substr(0, out.bytes.size()));
}

TEST(FetcherFileTest, SlowReaderKeepsAFileBodyBounded) {
  FetcherOptions options;
  options.body_buffer_bytes = 300'000;
  Fetcher fetcher(options);
  const std::string data = Pattern(4 << 20);
  Response r = fetcher.FetchBlocking(Req("file://" + WriteFile("slow.bin", data)));
  ReadOutcome out = ReadAll(r, 2ms, 8);
  EXPECT_TRUE(out.bytes == data);
  EXPECT_LE(r.body()->peak_buffered_bytes(), options.body_buffer_bytes + kMaxBodyChunkBytes);
}

TEST(FetcherFileTest, CancellingAFileBodyStopsTheRead) {
  FetcherOptions options;
  options.body_buffer_bytes = 1;
  Fetcher fetcher(options);
  Response r = fetcher.FetchBlocking(Req("file://" + WriteFile("cancel.bin", Pattern(4 << 20))));
  auto reader = std::move(r.body()->GetReader().value());
  ASSERT_TRUE(reader->ReadBlocking().is_chunk());
  reader->Cancel();
  EXPECT_TRUE(reader->ReadBlocking().is_done());
  // The job ends on the network thread; wait for it (bounded).
  for (int i = 0; i < 1000 && fetcher.active_transfers() > 0; ++i)
    std::this_thread::sleep_for(10ms);
  EXPECT_EQ(fetcher.active_transfers(), 0u);
  EXPECT_LT(r.body()->total_pushed_bytes(), uint64_t{4} << 20);
}

}  // namespace
}  // namespace wasmstream::fetch
