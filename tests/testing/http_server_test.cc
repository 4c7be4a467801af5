// Checks the loopback test server with plain libcurl (independent of fetch/).
#include "tests/testing/http_server.h"

#include <curl/curl.h>
#include <gtest/gtest.h>

#include <string>

namespace wasmstream::testserver {
namespace {

struct Got {
  CURLcode code = CURLE_OK;
  long status = 0;
  std::string body;
  std::string headers;
  int writes = 0;
};

Got CurlGet(const std::string& url, bool decode = false) {
  Got got;
  CURL* c = curl_easy_init();
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  if (decode) curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, +[](char* p, size_t, size_t n, void* u) {
    auto* g = static_cast<Got*>(u);
    g->body.append(p, n);
    ++g->writes;
    return n;
  });
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &got);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, +[](char* p, size_t, size_t n, void* u) {
    static_cast<Got*>(u)->headers.append(p, n);
    return n;
  });
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &got);
  got.code = curl_easy_perform(c);
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &got.status);
  curl_easy_cleanup(c);
  return got;
}

TEST(HttpServerTest, FixedBodyWithArbitraryStatusAndHeaders) {
  HttpServer server;
  server.Fixed("/x", 418, {{"X-Test", "yes"}}, "teapot");
  Got got = CurlGet(server.Url("/x?q=1"));
  EXPECT_EQ(got.code, CURLE_OK);
  EXPECT_EQ(got.status, 418);
  EXPECT_EQ(got.body, "teapot");
  EXPECT_NE(got.headers.find("X-Test: yes"), std::string::npos);
  ASSERT_TRUE(server.LastRequest("/x"));
  EXPECT_EQ(server.LastRequest("/x")->query, "q=1");
}

TEST(HttpServerTest, UnknownPathIs404) {
  HttpServer server;
  EXPECT_EQ(CurlGet(server.Url("/nope")).status, 404);
}

TEST(HttpServerTest, TrickledBodyArrivesInManyWrites) {
  HttpServer server;
  server.Trickle("/t", "abcdefgh", 1, std::chrono::milliseconds(5));
  Got got = CurlGet(server.Url("/t"));
  EXPECT_EQ(got.body, "abcdefgh");
  EXPECT_EQ(got.writes, 8);  // one byte per packet, each delivered separately
}

TEST(HttpServerTest, CutOffBodyIsAPartialFile) {
  HttpServer server;
  server.CutOff("/c", "half", 100);
  Got got = CurlGet(server.Url("/c"));
  EXPECT_EQ(got.code, CURLE_PARTIAL_FILE);
  EXPECT_EQ(got.body, "half");
}

TEST(HttpServerTest, ResetMidBodyFailsTheTransfer) {
  HttpServer server;
  server.ResetMidBody("/r", "prefix");
  Got got = CurlGet(server.Url("/r"));
  EXPECT_NE(got.code, CURLE_OK);
  EXPECT_EQ(got.body, "prefix");
}

TEST(HttpServerTest, ResetBeforeHeadFailsTheTransfer) {
  HttpServer server;
  server.ResetBeforeHead("/r");
  EXPECT_NE(CurlGet(server.Url("/r")).code, CURLE_OK);
}

TEST(HttpServerTest, EncodedBodiesDecodeToTheOriginal) {
  HttpServer server;
  std::string text(10000, 'a');
  server.Encoded("/gz", text, Coding::kGzip);
  server.Encoded("/br", text, Coding::kBrotli);
  server.Encoded("/df", text, Coding::kDeflate);
  for (const char* p : {"/gz", "/br", "/df"}) {
    SCOPED_TRACE(p);
    EXPECT_LT(CurlGet(server.Url(p)).body.size(), 1000u);
    EXPECT_EQ(CurlGet(server.Url(p), /*decode=*/true).body, text);
  }
}

TEST(HttpServerTest, RedirectSendsLocation) {
  HttpServer server;
  server.Redirect("/from", 302, "/to");
  Got got = CurlGet(server.Url("/from"));
  EXPECT_EQ(got.status, 302);
  EXPECT_NE(got.headers.find("Location: /to"), std::string::npos);
}

TEST(HttpServerTest, EndlessBodyStopsWhenTheClientLeaves) {
  HttpServer server;
  server.Endless("/e", 1000);
  CURL* c = curl_easy_init();
  curl_easy_setopt(c, CURLOPT_URL, server.Url("/e").c_str());
  size_t total = 0;
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, +[](char*, size_t, size_t n, void* u) -> size_t {
    size_t& t = *static_cast<size_t*>(u);
    t += n;
    return t > 1'000'000 ? 0 : n;  // leave after 1 MB
  });
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &total);
  EXPECT_EQ(curl_easy_perform(c), CURLE_WRITE_ERROR);
  curl_easy_cleanup(c);
  EXPECT_GT(total, 1'000'000u);
}

TEST(HttpServerTest, DestructorEndsAHangingConnection) {
  auto server = std::make_unique<HttpServer>();
  server->Hang("/h");
  Got got;
  std::thread client([&] { got = CurlGet(server->Url("/h")); });
  while (server->request_count() == 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  server.reset();  // must return: shuts the connection down
  client.join();
  // The client saw the head, then the connection end before the body did.
  EXPECT_EQ(got.status, 200);
  EXPECT_NE(got.code, CURLE_OK);
  EXPECT_EQ(got.body, "");
}

TEST(HttpServerTest, TlsWithSelfSignedCert) {
  std::string cert, key;
  ASSERT_TRUE(MakeSelfSignedCert(::testing::TempDir(), &cert, &key));
  HttpServer::Options options;
  options.tls = true;
  options.cert_file = cert;
  options.key_file = key;
  HttpServer server(options);
  server.Fixed("/s", 200, {}, "secure");
  CURL* c = curl_easy_init();
  curl_easy_setopt(c, CURLOPT_URL, server.Url("/s").c_str());
  curl_easy_setopt(c, CURLOPT_CAINFO, cert.c_str());
  std::string body;
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, +[](char* p, size_t, size_t n, void* u) {
    static_cast<std::string*>(u)->append(p, n);
    return n;
  });
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &body);
  EXPECT_EQ(curl_easy_perform(c), CURLE_OK);
  curl_easy_cleanup(c);
  EXPECT_EQ(body, "secure");
}

}  // namespace
}  // namespace wasmstream::testserver
