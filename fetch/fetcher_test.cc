// The Fetcher against a real HTTP server on loopback (tests/testing).
#include "fetch/fetcher.h"

#include <gtest/gtest.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <condition_variable>
#include <fstream>
#include <future>
#include <thread>

#include "tests/testing/http_server.h"

namespace wasmstream::fetch {
namespace {

using testserver::Coding;
using testserver::Connection;
using testserver::HttpRequest;
using testserver::HttpServer;
using namespace std::chrono_literals;

Request Req(const std::string& url) {
  auto r = Request::Create(url);
  EXPECT_TRUE(r.ok()) << url;
  return std::move(r.value());
}

std::string Text(const Response& r) {
  auto t = r.TextBlocking();
  return t.ok() ? t.value() : "<" + t.error().Format() + ">";
}

// Reads the body chunk by chunk; returns the chunks (and an error marker).
std::vector<std::string> Chunks(const Response& r) {
  auto reader = std::move(r.body()->GetReader().value());
  std::vector<std::string> out;
  for (;;) {
    auto got = reader->ReadBlocking();
    if (got.is_done()) return out;
    if (got.is_error()) {
      out.push_back("<" + got.error.Format() + ">");
      return out;
    }
    out.emplace_back(got.chunk.begin(), got.chunk.end());
  }
}

class FetcherTest : public ::testing::Test {
 protected:
  HttpServer server_;
  Fetcher fetcher_;
};

TEST_F(FetcherTest, FetchesStatusHeadersAndBody) {
  server_.Fixed("/hello", 201, {{"X-A", "1"}, {"Content-Type", "text/plain"}, {"x-a", "2"}},
                "hello world");
  Response r = fetcher_.FetchBlocking(Req(server_.Url("/hello?x=1#frag")));
  ASSERT_FALSE(r.is_network_error()) << r.error().message;
  EXPECT_EQ(r.type(), ResponseType::kBasic);
  EXPECT_EQ(r.status(), 201);
  EXPECT_EQ(r.status_text(), "Created");
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r.url(), server_.Url("/hello?x=1"));
  EXPECT_FALSE(r.redirected());
  EXPECT_EQ(r.headers().Get("x-a"), "1, 2");
  EXPECT_EQ(r.headers().Get("content-type"), "text/plain");
  EXPECT_TRUE(r.headers().immutable());
  EXPECT_FALSE(r.body_used());
  EXPECT_EQ(Text(r), "hello world");
  EXPECT_TRUE(r.body_used());
  EXPECT_EQ(r.TextBlocking().error().message, "Response body is already used");
  auto req = server_.LastRequest("/hello");
  ASSERT_TRUE(req);
  EXPECT_EQ(req->query, "x=1");  // the fragment never goes on the wire
}

TEST_F(FetcherTest, ErrorStatusIsAResponseNotANetworkError) {
  server_.Fixed("/missing", 404, {}, "gone");
  Response r = fetcher_.FetchBlocking(Req(server_.Url("/missing")));
  ASSERT_FALSE(r.is_network_error());
  EXPECT_EQ(r.status(), 404);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(Text(r), "gone");
}

TEST_F(FetcherTest, ChunksReachTheReaderBeforeTheBodyIsComplete) {
  // The server sends one chunk, then waits until the test has read it.
  std::promise<void> first_chunk_read;
  auto read_future = first_chunk_read.get_future().share();
  std::atomic<bool> server_finished{false};
  server_.Route("/progressive", [&](const HttpRequest&, Connection& c) {
    c.WriteHead(200, {{"Transfer-Encoding", "chunked"}});
    c.WriteChunk("first");
    read_future.wait_for(20s);  // bounded; the test fails if it waits this out
    c.WriteChunk("second");
    c.EndChunks();
    server_finished = true;
  });
  Response r = fetcher_.FetchBlocking(Req(server_.Url("/progressive")));
  auto reader = std::move(r.body()->GetReader().value());
  auto first = reader->ReadBlocking();
  ASSERT_TRUE(first.is_chunk());
  EXPECT_EQ(std::string(first.chunk.begin(), first.chunk.end()), "first");
  EXPECT_FALSE(server_finished.load());  // the body was still being written
  first_chunk_read.set_value();
  std::string rest;
  for (auto got = reader->ReadBlocking(); got.is_chunk(); got = reader->ReadBlocking())
    rest.append(got.chunk.begin(), got.chunk.end());
  EXPECT_EQ(rest, "second");
}

TEST_F(FetcherTest, TrickledBodyArrivesIntactInManyChunks) {
  std::string body = "0123456789abcdefghij";
  server_.Trickle("/trickle", body, 1, 5ms);
  Response r = fetcher_.FetchBlocking(Req(server_.Url("/trickle")));
  auto chunks = Chunks(r);
  std::string joined;
  for (auto& c : chunks) joined += c;
  EXPECT_EQ(joined, body);
  EXPECT_GT(chunks.size(), 1u);
}

TEST_F(FetcherTest, BodyCutOffMidWayErrorsTheStreamWithTypeError) {
  server_.CutOff("/cut", std::string(1000, 'a'), 5000);
  Response r = fetcher_.FetchBlocking(Req(server_.Url("/cut")));
  ASSERT_FALSE(r.is_network_error());
  auto all = r.BytesBlocking();
  ASSERT_FALSE(all.ok());
  EXPECT_EQ(all.error().kind, ErrorKind::kTypeError);
  EXPECT_NE(all.error().message.find("Error reading the body"), std::string::npos)
      << all.error().message;
}

TEST_F(FetcherTest, ConnectionResetMidBodyErrorsTheStreamWithTypeError) {
  server_.ResetMidBody("/reset", "partial");
  Response r = fetcher_.FetchBlocking(Req(server_.Url("/reset")));
  ASSERT_FALSE(r.is_network_error());
  auto chunks = Chunks(r);
  ASSERT_FALSE(chunks.empty());
  EXPECT_NE(chunks.back().find("TypeError"), std::string::npos) << chunks.back();
}

TEST_F(FetcherTest, ResetBeforeHeadIsANetworkError) {
  server_.ResetBeforeHead("/rst");
  Response r = fetcher_.FetchBlocking(Req(server_.Url("/rst")));
  ASSERT_TRUE(r.is_network_error());
  EXPECT_EQ(r.type(), ResponseType::kError);
  EXPECT_EQ(r.status(), 0);
  EXPECT_EQ(r.body(), nullptr);
  EXPECT_EQ(r.error().kind, ErrorKind::kTypeError);
  EXPECT_NE(r.error().message.find("Failed to fetch"), std::string::npos);
}

TEST_F(FetcherTest, ConnectionRefusedIsANetworkErrorWithCurlsReason) {
  std::string url;
  {
    HttpServer gone;
    url = gone.Url("/x");
  }
  Response r = fetcher_.FetchBlocking(Req(url));
  ASSERT_TRUE(r.is_network_error());
  EXPECT_NE(r.error().message.find("onnect"), std::string::npos) << r.error().message;
}

TEST_F(FetcherTest, FollowsSameOriginRedirects) {
  server_.Redirect("/r1", 301, "/r2");
  server_.Redirect("/r2", 302, server_.Url("/r3"));
  server_.Redirect("/r3", 307, "final?q");
  server_.Fixed("/final", 200, {}, "done");
  Response r = fetcher_.FetchBlocking(Req(server_.Url("/r1")));
  ASSERT_FALSE(r.is_network_error()) << r.error().message;
  EXPECT_TRUE(r.redirected());
  ASSERT_EQ(r.url_list().size(), 4u);
  EXPECT_EQ(r.url_list()[0].href(), server_.Url("/r1"));
  EXPECT_EQ(r.url(), server_.Url("/final?q"));
  EXPECT_EQ(r.type(), ResponseType::kBasic);
  EXPECT_EQ(Text(r), "done");
}

TEST_F(FetcherTest, TwentyRedirectsAreFollowedButNotTwentyOne) {
  for (int i = 0; i < 21; ++i)
    server_.Redirect("/hop" + std::to_string(i), 302, "/hop" + std::to_string(i + 1));
  server_.Fixed("/hop20", 200, {}, "twenty");
  server_.Fixed("/hop21", 200, {}, "twenty-one");
  Response ok = fetcher_.FetchBlocking(Req(server_.Url("/hop0")));
  ASSERT_FALSE(ok.is_network_error()) << ok.error().message;
  EXPECT_EQ(ok.url_list().size(), 21u);
  EXPECT_EQ(Text(ok), "twenty");
  server_.Redirect("/hop20", 302, "/hop21");
  Response too_many = fetcher_.FetchBlocking(Req(server_.Url("/hop0")));
  ASSERT_TRUE(too_many.is_network_error());
  EXPECT_NE(too_many.error().message.find("Too many redirects"), std::string::npos);
}

TEST_F(FetcherTest, RedirectModes) {
  server_.Redirect("/r", 302, "/target");
  server_.Fixed("/target", 200, {}, "t");
  Request error_mode = Req(server_.Url("/r"));
  error_mode.redirect = RedirectMode::kError;
  Response e = fetcher_.FetchBlocking(std::move(error_mode));
  ASSERT_TRUE(e.is_network_error());
  EXPECT_NE(e.error().message.find("redirect mode 'error'"), std::string::npos);

  Request manual = Req(server_.Url("/r"));
  manual.redirect = RedirectMode::kManual;
  Response m = fetcher_.FetchBlocking(std::move(manual));
  EXPECT_EQ(m.type(), ResponseType::kOpaqueRedirect);
  EXPECT_EQ(m.status(), 0);
  EXPECT_EQ(m.body(), nullptr);
  EXPECT_EQ(m.headers().size(), 0u);
}

TEST_F(FetcherTest, SeeOtherTurnsPostIntoGetAndTemporaryRedirectKeepsIt) {
  server_.Redirect("/see-other", 303, "/target");
  server_.Redirect("/temporary", 307, "/target");
  server_.Route("/target", [](const HttpRequest& req, Connection& c) {
    std::string body = req.method + ":" + req.body;
    c.WriteHead(200, {{"Content-Length", std::to_string(body.size())}});
    c.Write(body);
  });
  for (auto [path, expected] : {std::pair{"/see-other", "GET:"}, {"/temporary", "POST:payload"}}) {
    SCOPED_TRACE(path);
    Request post = Req(server_.Url(path));
    post.method = "post";
    post.body = Bytes{'p', 'a', 'y', 'l', 'o', 'a', 'd'};
    Response r = fetcher_.FetchBlocking(std::move(post));
    ASSERT_FALSE(r.is_network_error()) << r.error().message;
    EXPECT_EQ(Text(r), expected);
  }
}

TEST_F(FetcherTest, RedirectToAnInvalidOrNonHttpUrlIsANetworkError) {
  server_.Redirect("/bad", 302, "http://[::1");
  server_.Redirect("/data", 302, "data:,x");
  EXPECT_TRUE(fetcher_.FetchBlocking(Req(server_.Url("/bad"))).is_network_error());
  EXPECT_TRUE(fetcher_.FetchBlocking(Req(server_.Url("/data"))).is_network_error());
}

TEST_F(FetcherTest, ContentCodingsAreDecoded) {
  std::string text;
  for (int i = 0; i < 2000; ++i) text += "line " + std::to_string(i) + "\n";
  server_.Encoded("/gzip", text, Coding::kGzip);
  server_.Encoded("/deflate", text, Coding::kDeflate);
  server_.Encoded("/br", text, Coding::kBrotli);
  for (const char* path : {"/gzip", "/deflate", "/br"}) {
    SCOPED_TRACE(path);
    Response r = fetcher_.FetchBlocking(Req(server_.Url(path)));
    ASSERT_FALSE(r.is_network_error()) << r.error().message;
    EXPECT_TRUE(r.headers().Get("Content-Encoding").has_value());
    EXPECT_EQ(Text(r), text);
    auto sent = server_.LastRequest(path);
    ASSERT_TRUE(sent && sent->Header("Accept-Encoding"));
    EXPECT_NE(sent->Header("Accept-Encoding")->find("br"), std::string::npos);
  }
}

TEST_F(FetcherTest, CorruptGzipErrorsTheBody) {
  server_.Fixed("/badgz", 200, {{"Content-Encoding", "gzip"}}, "this is not gzip at all");
  Response r = fetcher_.FetchBlocking(Req(server_.Url("/badgz")));
  if (r.is_network_error()) {
    EXPECT_EQ(r.error().kind, ErrorKind::kTypeError);
  } else {
    auto bytes = r.BytesBlocking();
    ASSERT_FALSE(bytes.ok());
    EXPECT_EQ(bytes.error().kind, ErrorKind::kTypeError);
  }
}

TEST_F(FetcherTest, HeadAndNoContentHaveNullBodies) {
  server_.Fixed("/page", 200, {{"Content-Type", "text/html"}}, "<p>");
  server_.Fixed("/empty", 204, {}, "");
  Request head = Req(server_.Url("/page"));
  head.method = "HEAD";
  Response h = fetcher_.FetchBlocking(std::move(head));
  ASSERT_FALSE(h.is_network_error()) << h.error().message;
  EXPECT_EQ(h.body(), nullptr);
  EXPECT_EQ(h.headers().Get("Content-Type"), "text/html");
  Response n = fetcher_.FetchBlocking(Req(server_.Url("/empty")));
  EXPECT_EQ(n.status(), 204);
  EXPECT_EQ(n.body(), nullptr);
}

TEST_F(FetcherTest, SendsRequestHeadersAndBody) {
  server_.Fixed("/echo", 200, {}, "ok");
  Request req = Req(server_.Url("/echo"));
  req.method = "PUT";
  ASSERT_TRUE(req.headers.Append("X-Custom", "value").ok());
  ASSERT_TRUE(req.headers.Append("Content-Type", "application/octet-stream").ok());
  req.body = Bytes(1000, 7);
  Response r = fetcher_.FetchBlocking(std::move(req));
  ASSERT_FALSE(r.is_network_error()) << r.error().message;
  auto got = server_.LastRequest("/echo");
  ASSERT_TRUE(got);
  EXPECT_EQ(got->method, "PUT");
  EXPECT_EQ(got->Header("X-Custom"), "value");
  EXPECT_EQ(got->body, std::string(1000, '\x07'));
  EXPECT_FALSE(got->Header("Origin"));  // no requester origin: no Origin header
}

TEST_F(FetcherTest, InvalidRequestsAreTypeErrors) {
  server_.Fixed("/x", 200, {}, "");
  Request trace = Req(server_.Url("/x"));
  trace.method = "TRACE";
  EXPECT_NE(fetcher_.FetchBlocking(std::move(trace)).error().message.find("unsupported"),
            std::string::npos);
  Request get_with_body = Req(server_.Url("/x"));
  get_with_body.body = Bytes{1};
  EXPECT_TRUE(fetcher_.FetchBlocking(std::move(get_with_body)).is_network_error());
  Request bad_method = Req(server_.Url("/x"));
  bad_method.method = "G T";
  EXPECT_TRUE(fetcher_.FetchBlocking(std::move(bad_method)).is_network_error());
  EXPECT_FALSE(Request::Create("http://user:pw@127.0.0.1/").ok());
  EXPECT_FALSE(Request::Create("not a url").ok());
  EXPECT_TRUE(fetcher_.FetchBlocking(Req("ftp://127.0.0.1/x")).is_network_error());
}

TEST_F(FetcherTest, BasicResponsesHideSetCookie) {
  server_.Fixed("/cookie", 200, {{"Set-Cookie", "a=1"}, {"X-Y", "z"}}, "");
  Response r = fetcher_.FetchBlocking(Req(server_.Url("/cookie")));
  EXPECT_FALSE(r.headers().Has("Set-Cookie"));
  EXPECT_EQ(r.headers().Get("X-Y"), "z");
}

TEST(FetcherLimitsTest, BodyOverTheMaximumSizeErrors) {
  HttpServer server;
  server.Fixed("/big", 200, {}, std::string(100'000, 'b'));
  server.Encoded("/bomb", std::string(1'000'000, 'z'), Coding::kGzip);  // small on the wire
  FetcherOptions options;
  options.max_body_bytes = 10'000;
  Fetcher fetcher(options);
  for (const char* path : {"/big", "/bomb"}) {
    SCOPED_TRACE(path);
    Response r = fetcher.FetchBlocking(Req(server.Url(path)));
    ASSERT_FALSE(r.is_network_error()) << r.error().message;
    auto bytes = r.BytesBlocking();
    ASSERT_FALSE(bytes.ok());
    EXPECT_NE(bytes.error().message.find("exceeds the maximum size of 10000"), std::string::npos)
        << bytes.error().message;
  }
}

TEST(FetcherLimitsTest, IdleBodyTimesOut) {
  HttpServer server;
  server.Hang("/hang");
  FetcherOptions options;
  options.idle_timeout_ms = 1000;
  Fetcher fetcher(options);
  Response r = fetcher.FetchBlocking(Req(server.Url("/hang")));
  ASSERT_FALSE(r.is_network_error()) << r.error().message;
  auto bytes = r.BytesBlocking();
  ASSERT_FALSE(bytes.ok());
  EXPECT_EQ(bytes.error().kind, ErrorKind::kTypeError);
  EXPECT_NE(bytes.error().message.find("too slow"), std::string::npos) << bytes.error().message;
}

TEST(FetcherLimitsTest, IdleHeadTimesOut) {
  HttpServer server;
  server.Route("/silent", [](const HttpRequest&, Connection& c) {
    while (c.Sleep(100ms)) {
    }
  });
  FetcherOptions options;
  options.idle_timeout_ms = 1000;
  Fetcher fetcher(options);
  Response r = fetcher.FetchBlocking(Req(server.Url("/silent")));
  ASSERT_TRUE(r.is_network_error());
  EXPECT_EQ(r.error().kind, ErrorKind::kTypeError);
}

TEST(FetcherLimitsTest, ConnectTimesOut) {
  // A listener that never accepts, with its accept queue already full: the
  // kernel drops further SYNs, so a new connection can only time out.
  int listener = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(listener, 0), 0);
  socklen_t len = sizeof addr;
  ::getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len);
  std::vector<int> fillers;
  for (int i = 0; i < 4; ++i) {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    fillers.push_back(fd);
  }
  std::this_thread::sleep_for(100ms);  // let the handshakes settle
  FetcherOptions options;
  options.connect_timeout_ms = 500;
  Fetcher fetcher(options);
  Response r = fetcher.FetchBlocking(
      Req("http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port)) + "/x"));
  ASSERT_TRUE(r.is_network_error());
  EXPECT_NE(r.error().message.find("Timeout was reached"), std::string::npos) << r.error().message;
  for (int fd : fillers) ::close(fd);
  ::close(listener);
}

// ---------------------------------------------------------------- abort, cancel, clone

TEST_F(FetcherTest, AbortBeforeTheResponseIsAnAbortError) {
  std::atomic<bool> arrived{false};
  server_.Route("/slow", [&](const HttpRequest&, Connection& c) {
    arrived = true;
    while (c.Sleep(50ms)) {
    }
  });
  AbortController controller;
  Request req = Req(server_.Url("/slow"));
  req.signal = controller.signal();
  std::promise<Response> promise;
  fetcher_.Fetch(std::move(req), [&](Response r) { promise.set_value(std::move(r)); });
  while (!arrived) std::this_thread::sleep_for(5ms);
  controller.Abort();
  Response r = promise.get_future().get();
  ASSERT_TRUE(r.is_network_error());
  EXPECT_EQ(r.error().kind, ErrorKind::kAbortError);
}

TEST_F(FetcherTest, AlreadyAbortedSignalFailsAtOnce) {
  server_.Fixed("/x", 200, {}, "x");
  AbortController controller;
  controller.Abort("stop it");
  Request req = Req(server_.Url("/x"));
  req.signal = controller.signal();
  Response r = fetcher_.FetchBlocking(std::move(req));
  ASSERT_TRUE(r.is_network_error());
  EXPECT_EQ(r.error(), FetchError::Abort("stop it"));
  EXPECT_EQ(server_.request_count(), 0u);
}

TEST_F(FetcherTest, AbortMidBodyErrorsTheStreamWithAbortError) {
  server_.Endless("/endless", 1000);
  AbortController controller;
  Request req = Req(server_.Url("/endless"));
  req.signal = controller.signal();
  Response r = fetcher_.FetchBlocking(std::move(req));
  ASSERT_FALSE(r.is_network_error());
  auto reader = std::move(r.body()->GetReader().value());
  ASSERT_TRUE(reader->ReadBlocking().is_chunk());
  controller.Abort();
  ReadResult last;
  do last = reader->ReadBlocking();
  while (last.is_chunk());
  ASSERT_TRUE(last.is_error());
  EXPECT_EQ(last.error.kind, ErrorKind::kAbortError);
  controller.Abort();  // idempotent
}

TEST_F(FetcherTest, CancellingTheBodyEndsTheTransfer) {
  server_.Endless("/endless", 1000);
  Response r = fetcher_.FetchBlocking(Req(server_.Url("/endless")));
  auto reader = std::move(r.body()->GetReader().value());
  ASSERT_TRUE(reader->ReadBlocking().is_chunk());
  EXPECT_EQ(fetcher_.active_transfers(), 1u);
  reader->Cancel();
  EXPECT_TRUE(reader->ReadBlocking().is_done());
  for (int i = 0; i < 1000 && fetcher_.active_transfers() != 0; ++i) std::this_thread::sleep_for(5ms);
  EXPECT_EQ(fetcher_.active_transfers(), 0u);
}

TEST_F(FetcherTest, CloneTeesTheBody) {
  std::string body(300'000, 'c');
  server_.Fixed("/clone", 200, {{"X-K", "v"}}, body);
  Response r = fetcher_.FetchBlocking(Req(server_.Url("/clone")));
  auto clone = r.Clone();
  ASSERT_TRUE(clone.ok());
  EXPECT_EQ(clone.value().headers().Get("X-K"), "v");
  EXPECT_EQ(clone.value().status(), 200);
  std::string a, b;
  std::thread other([&] { b = Text(clone.value()); });
  a = Text(r);
  other.join();
  EXPECT_EQ(a, body);
  EXPECT_EQ(b, body);
  auto again = r.Clone();
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().message, "Response body is already used");
}

TEST_F(FetcherTest, DestroyingTheFetcherErrorsOpenBodies) {
  server_.Endless("/endless", 1000);
  std::shared_ptr<BodyStream> body;
  {
    Fetcher local;
    Response r = local.FetchBlocking(Req(server_.Url("/endless")));
    body = r.body();
  }
  auto reader = std::move(body->GetReader().value());
  ReadResult last;
  do last = reader->ReadBlocking();
  while (last.is_chunk());
  ASSERT_TRUE(last.is_error());
  EXPECT_EQ(last.error.message, "Fetcher shut down");
}

TEST_F(FetcherTest, CallbackRunsOnTheNetworkThread) {
  server_.Fixed("/x", 200, {}, "x");
  std::promise<std::thread::id> where;
  fetcher_.Fetch(Req(server_.Url("/x")), [&](Response) { where.set_value(std::this_thread::get_id()); });
  EXPECT_NE(where.get_future().get(), std::this_thread::get_id());
}

// ---------------------------------------------------------------- CORS

class CorsTest : public ::testing::Test {
 protected:
  // {page_} is the requester's origin; {other_} a different origin (port).
  HttpServer page_, other_;
  Fetcher fetcher_;

  Request FromPage(const std::string& url, RequestMode mode = RequestMode::kCors) {
    Request r = Req(url);
    r.origin = Url::Parse(page_.origin()).value().origin();
    r.mode = mode;
    return r;
  }
};

TEST_F(CorsTest, SameOriginIsBasic) {
  page_.Fixed("/same", 200, {{"X-Secret", "s"}}, "same");
  Response r = fetcher_.FetchBlocking(FromPage(page_.Url("/same")));
  EXPECT_EQ(r.type(), ResponseType::kBasic);
  EXPECT_EQ(r.headers().Get("X-Secret"), "s");
  EXPECT_FALSE(page_.LastRequest("/same")->Header("Origin"));
}

TEST_F(CorsTest, CrossOriginWithoutAllowOriginIsANetworkError) {
  other_.Fixed("/data", 200, {}, "secret");
  Response r = fetcher_.FetchBlocking(FromPage(other_.Url("/data")));
  ASSERT_TRUE(r.is_network_error());
  EXPECT_EQ(r.error().kind, ErrorKind::kTypeError);
  EXPECT_NE(r.error().message.find("No 'Access-Control-Allow-Origin' header"), std::string::npos);
  EXPECT_EQ(other_.LastRequest("/data")->Header("Origin"), page_.origin());
}

TEST_F(CorsTest, AllowOriginMatchingOrStarGivesACorsResponse) {
  other_.Fixed("/exact", 200,
               {{"Access-Control-Allow-Origin", page_.origin()}, {"Content-Type", "application/wasm"},
                {"X-Hidden", "h"}, {"X-Shown", "s"}, {"Access-Control-Expose-Headers", "x-shown"}},
               "ok");
  other_.Fixed("/star", 200, {{"Access-Control-Allow-Origin", "*"}}, "ok");
  other_.Fixed("/wrong", 200, {{"Access-Control-Allow-Origin", "http://elsewhere"}}, "no");
  Response exact = fetcher_.FetchBlocking(FromPage(other_.Url("/exact")));
  ASSERT_FALSE(exact.is_network_error()) << exact.error().message;
  EXPECT_EQ(exact.type(), ResponseType::kCors);
  EXPECT_TRUE(exact.cors_same_origin());
  EXPECT_EQ(exact.headers().Get("Content-Type"), "application/wasm");
  EXPECT_EQ(exact.headers().Get("X-Shown"), "s");
  EXPECT_FALSE(exact.headers().Has("X-Hidden"));
  EXPECT_EQ(Text(exact), "ok");
  EXPECT_EQ(fetcher_.FetchBlocking(FromPage(other_.Url("/star"))).type(), ResponseType::kCors);
  Response wrong = fetcher_.FetchBlocking(FromPage(other_.Url("/wrong")));
  ASSERT_TRUE(wrong.is_network_error());
  EXPECT_NE(wrong.error().message.find("not equal to the supplied origin"), std::string::npos);
}

TEST_F(CorsTest, CredentialsIncludeNeedsExactOriginAndAllowCredentials) {
  other_.Fixed("/star", 200, {{"Access-Control-Allow-Origin", "*"}}, "");
  other_.Fixed("/nocred", 200, {{"Access-Control-Allow-Origin", page_.origin()}}, "");
  other_.Fixed("/cred", 200,
               {{"Access-Control-Allow-Origin", page_.origin()},
                {"Access-Control-Allow-Credentials", "true"}},
               "");
  auto with_credentials = [&](const char* path) {
    Request r = FromPage(other_.Url(path));
    r.credentials = CredentialsMode::kInclude;
    return fetcher_.FetchBlocking(std::move(r));
  };
  EXPECT_TRUE(with_credentials("/star").is_network_error());
  EXPECT_TRUE(with_credentials("/nocred").is_network_error());
  EXPECT_EQ(with_credentials("/cred").type(), ResponseType::kCors);
}

TEST_F(CorsTest, NoCorsGivesAnOpaqueResponse) {
  other_.Fixed("/data", 200, {{"X-A", "a"}}, "secret");
  Response r = fetcher_.FetchBlocking(FromPage(other_.Url("/data"), RequestMode::kNoCors));
  ASSERT_FALSE(r.is_network_error());
  EXPECT_EQ(r.type(), ResponseType::kOpaque);
  EXPECT_FALSE(r.cors_same_origin());
  EXPECT_EQ(r.status(), 0);
  EXPECT_EQ(r.body(), nullptr);
  EXPECT_EQ(r.headers().size(), 0u);
  EXPECT_TRUE(r.url_list().empty());
}

TEST_F(CorsTest, SameOriginModeRejectsCrossOrigin) {
  other_.Fixed("/data", 200, {{"Access-Control-Allow-Origin", "*"}}, "x");
  Response r = fetcher_.FetchBlocking(FromPage(other_.Url("/data"), RequestMode::kSameOrigin));
  ASSERT_TRUE(r.is_network_error());
  EXPECT_NE(r.error().message.find("same-origin"), std::string::npos);
}

TEST_F(CorsTest, CrossOriginRedirectTaintsTheResponse) {
  page_.Redirect("/go", 302, other_.Url("/target"));
  other_.Fixed("/target", 200, {{"Access-Control-Allow-Origin", "*"}}, "there");
  Response r = fetcher_.FetchBlocking(FromPage(page_.Url("/go")));
  ASSERT_FALSE(r.is_network_error()) << r.error().message;
  EXPECT_EQ(r.type(), ResponseType::kCors);
  EXPECT_TRUE(r.redirected());
  EXPECT_EQ(r.url(), other_.Url("/target"));
  EXPECT_EQ(Text(r), "there");

  other_.Fixed("/closed", 200, {}, "no");
  page_.Redirect("/go-closed", 302, other_.Url("/closed"));
  EXPECT_TRUE(fetcher_.FetchBlocking(FromPage(page_.Url("/go-closed"))).is_network_error());
}

TEST_F(CorsTest, RedirectBackToTheOriginUsesTheNullOrigin) {
  // page -> other -> page: the last hop comes from another origin, so the
  // request's origin is tainted and serialized as "null".
  page_.Redirect("/start", 302, other_.Url("/bounce"));
  other_.Redirect("/bounce", 302, page_.Url("/back"), {{"Access-Control-Allow-Origin", "*"}});
  page_.Fixed("/back", 200, {{"Access-Control-Allow-Origin", "null"}}, "back");
  Response r = fetcher_.FetchBlocking(FromPage(page_.Url("/start")));
  ASSERT_FALSE(r.is_network_error()) << r.error().message;
  EXPECT_EQ(r.type(), ResponseType::kCors);
  EXPECT_EQ(page_.LastRequest("/back")->Header("Origin"), "null");
  // A redirect hop without Access-Control-Allow-Origin fails the CORS check.
  other_.Redirect("/bounce", 302, page_.Url("/back"));
  EXPECT_TRUE(fetcher_.FetchBlocking(FromPage(page_.Url("/start"))).is_network_error());
}

TEST_F(CorsTest, NonSimpleCrossOriginRequestNeedsAPreflightWhichIsUnsupported) {
  other_.Fixed("/x", 200, {{"Access-Control-Allow-Origin", "*"}}, "");
  Request r = FromPage(other_.Url("/x"));
  r.method = "PUT";
  Response resp = fetcher_.FetchBlocking(std::move(r));
  ASSERT_TRUE(resp.is_network_error());
  EXPECT_NE(resp.error().message.find("preflight"), std::string::npos);
}

// ---------------------------------------------------------------- file: and data:

TEST(FetcherSchemesTest, FileUrls) {
  std::string dir = ::testing::TempDir();
  std::string path = dir + "/module.wasm";
  {
    std::ofstream out(path, std::ios::binary);
    out << std::string("\0asm\1\0\0\0", 8);
  }
  Fetcher fetcher;
  Response r = fetcher.FetchBlocking(Req("file://" + path));
  ASSERT_FALSE(r.is_network_error()) << r.error().message;
  EXPECT_EQ(r.type(), ResponseType::kBasic);
  EXPECT_EQ(r.status(), 200);
  EXPECT_EQ(r.headers().Get("Content-Type"), "application/wasm");
  EXPECT_EQ(r.headers().Get("Content-Length"), "8");
  EXPECT_EQ(Text(r), std::string("\0asm\1\0\0\0", 8));

  Response missing = fetcher.FetchBlocking(Req("file://" + dir + "/nope.wasm"));
  ASSERT_TRUE(missing.is_network_error());
  EXPECT_NE(missing.error().message.find("No such file"), std::string::npos);
  EXPECT_TRUE(fetcher.FetchBlocking(Req("file://" + dir)).is_network_error());

  // With an http requester origin, file: is cross-origin and not allowed.
  Request from_web = Req("file://" + path);
  from_web.origin = Url::Parse("http://127.0.0.1:1").value().origin();
  EXPECT_TRUE(fetcher.FetchBlocking(std::move(from_web)).is_network_error());
}

TEST(FetcherSchemesTest, LargeFileStreamsInChunks) {
  std::string path = ::testing::TempDir() + "/large.bin";
  std::string data(3'000'000, 'L');
  std::ofstream(path, std::ios::binary) << data;
  Fetcher fetcher;
  Response r = fetcher.FetchBlocking(Req("file://" + path));
  auto chunks = Chunks(r);
  EXPECT_GT(chunks.size(), 1u);
  std::string joined;
  for (auto& c : chunks) joined += c;
  EXPECT_EQ(joined.size(), data.size());
  EXPECT_TRUE(joined == data);
}

TEST(FetcherSchemesTest, DataUrls) {
  Fetcher fetcher;
  Response r = fetcher.FetchBlocking(Req("data:application/wasm;base64,AGFzbQEAAAA="));
  ASSERT_FALSE(r.is_network_error()) << r.error().message;
  EXPECT_EQ(r.type(), ResponseType::kBasic);
  EXPECT_EQ(r.status(), 200);
  EXPECT_EQ(r.status_text(), "OK");
  EXPECT_EQ(r.headers().Get("Content-Type"), "application/wasm");
  EXPECT_EQ(Text(r), std::string("\0asm\1\0\0\0", 8));
  // data: is basic even for a requester with an origin.
  Request with_origin = Req("data:,x");
  with_origin.origin = Url::Parse("http://example.com").value().origin();
  EXPECT_EQ(fetcher.FetchBlocking(std::move(with_origin)).type(), ResponseType::kBasic);
  EXPECT_TRUE(fetcher.FetchBlocking(Req("data:;base64,%%%")).is_network_error());
}

// ---------------------------------------------------------------- constructors

TEST(ResponseTest, FromBytesAndNetworkError) {
  Headers h;
  ASSERT_TRUE(h.Append("Content-Type", "application/wasm").ok());
  auto r = Response::FromBytes(Bytes{1, 2, 3}, 200, "OK", h);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value().type(), ResponseType::kDefault);
  EXPECT_TRUE(r.value().cors_same_origin());
  EXPECT_TRUE(r.value().headers().immutable());
  EXPECT_EQ(r.value().url(), "");
  EXPECT_EQ(r.value().BytesBlocking().value(), (Bytes{1, 2, 3}));
  EXPECT_FALSE(Response::FromBytes({}, 99).ok());
  EXPECT_FALSE(Response::FromBytes({}, 600).ok());
  Response e = Response::NetworkError("boom");
  EXPECT_EQ(e.type(), ResponseType::kError);
  EXPECT_EQ(e.error(), FetchError::Type("boom"));
  EXPECT_EQ(e.status(), 0);
  EXPECT_EQ(e.body(), nullptr);
  EXPECT_EQ(ResponseTypeName(ResponseType::kOpaqueRedirect), "opaqueredirect");
}

// ---------------------------------------------------------------- TLS

TEST(FetcherTlsTest, SelfSignedCertNeedsTheExtraCaFile) {
  std::string cert, key;
  ASSERT_TRUE(testserver::MakeSelfSignedCert(::testing::TempDir(), &cert, &key));
  HttpServer::Options tls;
  tls.tls = true;
  tls.cert_file = cert;
  tls.key_file = key;
  HttpServer server(tls);
  server.Fixed("/s", 200, {}, "over tls");
  {
    Fetcher untrusting;
    Response r = untrusting.FetchBlocking(Req(server.Url("/s")));
    ASSERT_TRUE(r.is_network_error());
    EXPECT_NE(r.error().message.find("certificate"), std::string::npos) << r.error().message;
  }
  FetcherOptions options;
  options.extra_ca_file = cert;
  Fetcher trusting(options);
  Response r = trusting.FetchBlocking(Req(server.Url("/s")));
  ASSERT_FALSE(r.is_network_error()) << r.error().message;
  EXPECT_EQ(Text(r), "over tls");
}

}  // namespace
}  // namespace wasmstream::fetch
