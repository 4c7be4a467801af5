// compileStreaming(fetch(url)) against a real loopback HTTP server
// (tests/testing): the WPT wasm/webapi cases that need a server (MIME over the
// wire, status, CORS, redirects), aborts, bodies cut off or reset, a module
// trickled one byte per packet, and CSP on the network path.
#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include <gtest/gtest.h>

#include "bindings/test_modules.h"
#include "bindings/test_util.h"
#include "bindings/wasm_namespace.h"
#include "fetch/abort.h"
#include "fetch/fetcher.h"
#include "tests/testing/http_server.h"

namespace wasmstream::bindings {
namespace {

using testing::AsString;
using testing::kEmptyModule;
using testing::kIncrementer;
using testing::kManyFunctions;
using testserver::Connection;
using testserver::HttpRequest;
using testserver::HttpServer;

const testserver::HeaderList kWasmHeaders = {{"Content-Type", "application/wasm"}};

class CompileStreamingHttpTest : public ::testing::Test {
 protected:
  CompileStreamingHttpTest() {
    realm_.fetcher = &fetcher_;
    EXPECT_TRUE(realm_.SetPageUrl(server_.Url("/index.html")));
    loop_.SetUnhandledRejectionHook([this](const Error& e) { unhandled_.push_back(e); });
    realm_.csp_observer = [this](const CspViolation& v) { violations_.push_back(v); };
    server_.Fixed("/incrementer.wasm", 200, kWasmHeaders, AsString(kIncrementer));
  }
  ~CompileStreamingHttpTest() override { EXPECT_TRUE(unhandled_.empty()); }

  Promise<Module> Stream(const std::string& url, FetchInit init = {}) {
    return wasm_.CompileStreaming(realm_.Fetch(url, std::move(init)));
  }
  Promise<Module> Run(Promise<Module> p) {
    p.Then([](const Module&) {}, [](const Error&) {});
    EXPECT_TRUE(testing::Settle(loop_, p));
    return p;
  }
  Module ExpectModule(Promise<Module> p) {
    Run(p);
    EXPECT_TRUE(p.is_fulfilled()) << (p.is_rejected() ? p.reason().ToString() : "pending");
    return p.is_fulfilled() ? p.value() : Module(nullptr);
  }
  Error ExpectError(Promise<Module> p, ErrorKind kind) {
    Run(p);
    EXPECT_TRUE(p.is_rejected());
    if (!p.is_rejected()) return Error{};
    EXPECT_EQ(p.reason().kind, kind) << p.reason().ToString();
    return p.reason();
  }

  // Declared in this order so that the fetcher (whose callbacks post to the
  // loop) goes before the server and the loop.
  EventLoop loop_;
  HttpServer server_;
  fetch::Fetcher fetcher_;
  Realm realm_{loop_};
  WebAssembly wasm_{realm_};
  std::vector<Error> unhandled_;
  std::vector<CspViolation> violations_;
};

// ---- wasm_stream_compile_test.any.js

TEST_F(CompileStreamingHttpTest, FetchPromiseCompiles) {
  Module m = ExpectModule(Stream(server_.Url("/incrementer.wasm")));
  ASSERT_TRUE(m.module());
  EXPECT_EQ(m.Exports()[0].name, "increment");
  const StreamRecord& r = *m.record();
  EXPECT_EQ(r.url, server_.Url("/incrementer.wasm"));
  EXPECT_EQ(r.bytes, kIncrementer.size());
  EXPECT_TRUE(r.time_to_first_byte_ms && r.time_to_last_byte_ms && r.time_to_module_ms);
  EXPECT_LE(*r.time_to_first_byte_ms, *r.time_to_last_byte_ms);
  EXPECT_LE(*r.time_to_last_byte_ms, *r.time_to_module_ms);
  EXPECT_EQ(r.cache, "off");
}

TEST_F(CompileStreamingHttpTest, ResolvedResponseFromFetchCompiles) {
  auto response = realm_.Fetch(server_.Url("/incrementer.wasm"));
  ASSERT_TRUE(testing::Settle(loop_, response));
  ASSERT_TRUE(response.is_fulfilled());
  ExpectModule(wasm_.CompileStreaming(response.value()));
}

TEST_F(CompileStreamingHttpTest, WrongMimeTypeIsTypeError) {  // incrementer.wrong_mime_type.wasm
  server_.Fixed("/wrong.wasm", 200, {{"Content-Type", "text/css"}}, AsString(kIncrementer));
  Error e = ExpectError(Stream(server_.Url("/wrong.wasm")), ErrorKind::kTypeError);
  EXPECT_EQ(e.message, kMimeMessage);
}

TEST_F(CompileStreamingHttpTest, NoOrEmptyMimeTypeIsTypeError) {  // incrementer.no_mime_type.wasm
  server_.Fixed("/none.wasm", 200, {}, AsString(kIncrementer));
  server_.Fixed("/empty.wasm", 200, {{"Content-Type", ""}}, AsString(kIncrementer));
  ExpectError(Stream(server_.Url("/none.wasm")), ErrorKind::kTypeError);
  ExpectError(Stream(server_.Url("/empty.wasm")), ErrorKind::kTypeError);
}

TEST_F(CompileStreamingHttpTest, ContentTypeListsOverTheWire) {  // contenttype.any.js
  int i = 0;
  for (const char* ct : {"application/wasm", "APPLICATION/wasm", "APPLICATION/WASM",
                         "APPLICATION/WASM ", "\tAPPLICATION/WASM\t"}) {
    SCOPED_TRACE(ct);
    std::string path = "/ok" + std::to_string(i++) + ".wasm";
    server_.Fixed(path, 200, {{"Content-Type", ct}}, AsString(kIncrementer));
    ExpectModule(Stream(server_.Url(path)));
  }
  for (const char* ct : {"application/javascript", "application/octet-stream", "text/wasm",
                         "application/\"wasm\"", "\"application/wasm\"", "application/wasm;",
                         "application/wasm;x", "application/wasm;charset=UTF-8",
                         "\fapplication/wasm\f"}) {
    SCOPED_TRACE(ct);
    std::string path = "/bad" + std::to_string(i++) + ".wasm";
    server_.Fixed(path, 200, {{"Content-Type", ct}}, AsString(kIncrementer));
    ExpectError(Stream(server_.Url(path)), ErrorKind::kTypeError);
  }
}

TEST_F(CompileStreamingHttpTest, DuplicateContentTypeHeadersAreTypeError) {
  server_.Fixed("/twice.wasm", 200,
                {{"Content-Type", "application/wasm"}, {"Content-Type", "application/wasm"}},
                AsString(kIncrementer));
  ExpectError(Stream(server_.Url("/twice.wasm")), ErrorKind::kTypeError);
}

TEST_F(CompileStreamingHttpTest, NotFoundPageIsTypeError) {  // the "404" case
  Error e = ExpectError(Stream(server_.Url("/wasm/webapi/status.py")), ErrorKind::kTypeError);
  EXPECT_FALSE(e.message.empty());
}

TEST_F(CompileStreamingHttpTest, BadStatusWithWasmTypeIsTypeError) {  // status.py
  for (int status : {300, 400, 404, 500, 599}) {
    SCOPED_TRACE(status);
    std::string path = "/status" + std::to_string(status);
    server_.Fixed(path, status, kWasmHeaders, AsString(kEmptyModule));
    Error e = ExpectError(Stream(server_.Url(path)), ErrorKind::kTypeError);
    EXPECT_NE(e.message.find(kStatusMessage), std::string::npos) << e.message;
  }
}

TEST_F(CompileStreamingHttpTest, CrossOriginCorsWithAllowOriginCompiles) {
  HttpServer other;  // another port: another origin
  other.Fixed("/incrementer.wasm", 200,
              {{"Content-Type", "application/wasm"}, {"Access-Control-Allow-Origin", "*"}},
              AsString(kIncrementer));
  ExpectModule(Stream(other.Url("/incrementer.wasm")));
}

TEST_F(CompileStreamingHttpTest, CrossOriginCorsWithoutAllowOriginRejectsFromFetch) {
  HttpServer other;
  other.Fixed("/incrementer.wasm", 200, kWasmHeaders, AsString(kIncrementer));
  // fetch() itself rejects (CORS); compileStreaming passes that rejection on.
  ExpectError(Stream(other.Url("/incrementer.wasm")), ErrorKind::kTypeError);
}

TEST_F(CompileStreamingHttpTest, NoCorsCrossOriginIsTypeError) {  // origin.sub.any.js
  HttpServer other;
  other.Fixed("/incrementer.wasm", 200, kWasmHeaders, AsString(kIncrementer));
  FetchInit init;
  init.mode = fetch::RequestMode::kNoCors;
  ExpectError(Stream(other.Url("/incrementer.wasm"), init), ErrorKind::kTypeError);
}

TEST_F(CompileStreamingHttpTest, OpaqueRedirectIsTypeError) {  // origin.sub.any.js
  server_.Redirect("/redirect", 301, server_.Url("/incrementer.wasm"), kWasmHeaders);
  FetchInit init;
  init.redirect = fetch::RedirectMode::kManual;
  ExpectError(Stream(server_.Url("/redirect"), init), ErrorKind::kTypeError);
}

TEST_F(CompileStreamingHttpTest, FollowedRedirectCompiles) {
  server_.Redirect("/redirect", 302, "/incrementer.wasm");
  Module m = ExpectModule(Stream(server_.Url("/redirect")));
  ASSERT_TRUE(m.record());
  EXPECT_EQ(m.record()->url, server_.Url("/incrementer.wasm"));  // the response's URL
}

// ---- abort.any.js

TEST_F(CompileStreamingHttpTest, AbortBeforeCallIsAbortError) {
  fetch::AbortController controller;
  controller.Abort();
  FetchInit init;
  init.signal = controller.signal();
  ExpectError(Stream(server_.Url("/incrementer.wasm"), init), ErrorKind::kAbortError);
}

TEST_F(CompileStreamingHttpTest, AbortRightAfterCallIsAbortError) {
  fetch::AbortController controller;
  FetchInit init;
  init.signal = controller.signal();
  auto result = Stream(server_.Url("/incrementer.wasm"), init);
  controller.Abort();
  Run(result);
  // The race may let the response through first (abort.any.js allows both).
  if (result.is_rejected()) {
    EXPECT_EQ(result.reason().kind, ErrorKind::kAbortError);
  } else {
    EXPECT_TRUE(result.is_fulfilled());
  }
}

TEST_F(CompileStreamingHttpTest, AbortDuringBodyIsAbortError) {
  server_.Hang("/hang.wasm", {{"Content-Type", "application/wasm"}, {"Content-Length", "100"}});
  fetch::AbortController controller;
  FetchInit init;
  init.signal = controller.signal();
  auto response = realm_.Fetch(server_.Url("/hang.wasm"), init);
  auto result = wasm_.CompileStreaming(response);
  ASSERT_TRUE(testing::Settle(loop_, response));
  ASSERT_TRUE(response.is_fulfilled());
  loop_.RunPending();  // the controller's checks ran and it is reading
  EXPECT_TRUE(result.is_pending());
  controller.Abort();
  ExpectError(result, ErrorKind::kAbortError);
}

// ---- bodies that end badly: the body stream's error rejects the promise

TEST_F(CompileStreamingHttpTest, BodyCutOffMidwayIsTypeError) {
  std::string body = AsString(kManyFunctions).substr(0, 60);
  server_.Route("/cut.wasm", [body](const HttpRequest&, Connection& c) {
    c.CloseAfterResponse();
    if (!c.WriteHead(200, {{"Content-Type", "application/wasm"},
                           {"Content-Length", std::to_string(kManyFunctions.size())}})) {
      return;
    }
    c.Write(body);
  });
  ExpectError(Stream(server_.Url("/cut.wasm")), ErrorKind::kTypeError);
}

TEST_F(CompileStreamingHttpTest, ConnectionResetMidBodyIsTypeError) {
  std::string prefix = AsString(kManyFunctions).substr(0, 40);
  server_.Route("/reset.wasm", [prefix](const HttpRequest&, Connection& c) {
    if (!c.WriteHead(200, {{"Content-Type", "application/wasm"}, {"Transfer-Encoding", "chunked"}})) {
      return;
    }
    c.WriteChunk(prefix);
    c.Sleep(std::chrono::milliseconds(30));
    c.Reset();
  });
  ExpectError(Stream(server_.Url("/reset.wasm")), ErrorKind::kTypeError);
}

// The specification's model reads the whole body first, so strictly a
// body error would win over a compile error found before it. Like V8 (and the
// browsers on it), a CompileError that the bytes already received prove
// rejects at once and cancels the download: nothing later can make the module
// valid, and reading on would only cost time and bandwidth.
TEST_F(CompileStreamingHttpTest, CompileErrorFoundBeforeABodyErrorWins) {
  auto settled = std::make_shared<std::atomic<bool>>(false);
  server_.Route("/bad-then-cut.wasm", [settled](const HttpRequest&, Connection& c) {
    c.CloseAfterResponse();
    if (!c.WriteHead(200, {{"Content-Type", "application/wasm"}, {"Content-Length", "1000"}})) {
      return;
    }
    c.Write(std::string("\0asm\x02\0\0\0garbage", 15));  // bad version...
    // ...then cut off, but only after the client had time to see the bytes
    // (a stream error discards the chunks still queued before it).
    for (int i = 0; i < 100 && !*settled; ++i) c.Sleep(std::chrono::milliseconds(50));
  });
  Error e = ExpectError(Stream(server_.Url("/bad-then-cut.wasm")), ErrorKind::kCompileError);
  *settled = true;
  EXPECT_NE(e.message.find("@+4"), std::string::npos) << e.message;
}

// A body error that comes while the bytes so far are still a valid prefix
// wins, as the specification says.
TEST_F(CompileStreamingHttpTest, BodyErrorBeforeAnyCompileErrorWins) {
  server_.Route("/good-then-cut.wasm", [](const HttpRequest&, Connection& c) {
    c.CloseAfterResponse();
    if (!c.WriteHead(200, {{"Content-Type", "application/wasm"}, {"Content-Length", "1000"}})) {
      return;
    }
    c.Write(std::string("\0asm\x01\0\0\0", 8));
  });
  ExpectError(Stream(server_.Url("/good-then-cut.wasm")), ErrorKind::kTypeError);
}

// An endless body of zeros: the CompileError comes at +0 from the first
// chunk, and the download is cancelled instead of running into the 1 GiB
// body limit (a TypeError, after a gigabyte).
TEST_F(CompileStreamingHttpTest, EndlessInvalidBodyRejectsAtOnceAndStopsTheDownload) {
  // Shared with the handler, which may still run after the test body ends.
  auto sent = std::make_shared<std::atomic<uint64_t>>(0);
  server_.Route("/zeros.wasm", [sent](const HttpRequest&, Connection& c) {
    c.CloseAfterResponse();
    if (!c.WriteHead(200, {{"Content-Type", "application/wasm"},
                           {"Transfer-Encoding", "chunked"}})) {
      return;
    }
    const std::string zeros(64 * 1024, '\0');
    for (uint64_t total = 0; total < (uint64_t{2} << 30); total += zeros.size()) {
      if (!c.WriteChunk(zeros)) return;  // the client went away
      *sent = total + zeros.size();
    }
    c.EndChunks();
  });
  Error e = ExpectError(Stream(server_.Url("/zeros.wasm")), ErrorKind::kCompileError);
  EXPECT_NE(e.message.find("@+0"), std::string::npos) << e.message;
  // Socket buffers hold a few MiB at most; the rest of the 2 GiB never left.
  EXPECT_LT(sent->load(), uint64_t{256} << 20);
}

// A 4 KiB module whose defect is in its first section, trickled 64 bytes at a
// time: it rejects when the defect arrives, before the rest is sent.
TEST_F(CompileStreamingHttpTest, TrickledInvalidModuleRejectsWhenTheDefectArrives) {
  std::string module("\0asm\x01\0\0\0", 8);
  module += std::string("\x01\x04\x01\x60\x00\x09", 6);  // type section: bad result count
  module.resize(4096, '\0');
  auto sent = std::make_shared<std::atomic<size_t>>(0);
  auto client_done = std::make_shared<std::atomic<bool>>(false);
  server_.Route("/slow-bad.wasm", [module, sent, client_done](const HttpRequest&,
                                                              Connection& c) {
    c.CloseAfterResponse();
    if (!c.WriteHead(200, {{"Content-Type", "application/wasm"},
                           {"Content-Length", std::to_string(module.size())}})) {
      return;
    }
    for (size_t at = 0; at < module.size(); at += 64) {
      if (*client_done) return;
      if (!c.Write(std::string_view(module).substr(at, 64))) return;
      *sent = at + 64;
      if (!c.Sleep(std::chrono::milliseconds(20))) return;
    }
  });
  Promise<Module> p = Stream(server_.Url("/slow-bad.wasm"));
  Error e = ExpectError(p, ErrorKind::kCompileError);
  *client_done = true;
  EXPECT_NE(e.message.find("@+"), std::string::npos) << e.message;
  EXPECT_LT(sent->load(), module.size()) << "the error waited for the whole body";
}

// A gzip bomb of zeros (64 MiB decoded from ~64 KiB on the wire): the first
// decoded chunk is already invalid, so decoding stops there.
TEST_F(CompileStreamingHttpTest, GzipBombOfZerosRejectsOnItsFirstChunk) {
  std::string zeros(64 << 20, '\0');
  server_.Fixed("/bomb.wasm", 200,
                {{"Content-Type", "application/wasm"}, {"Content-Encoding", "gzip"}},
                testserver::Encode(testserver::Coding::kGzip, zeros));
  std::optional<StreamRecord> record;
  realm_.record_observer = [&](const StreamRecord& r) { record = r; };
  Error e = ExpectError(Stream(server_.Url("/bomb.wasm")), ErrorKind::kCompileError);
  EXPECT_NE(e.message.find("@+0"), std::string::npos) << e.message;
  ASSERT_TRUE(record.has_value());
  EXPECT_TRUE(record->stopped_early);
  EXPECT_LT(record->bytes, zeros.size() / 4);
}

TEST_F(CompileStreamingHttpTest, HtmlServedAsWasmIsCompileError) {
  server_.Fixed("/page.wasm", 200, kWasmHeaders, "<!DOCTYPE html><html></html>");
  Error e = ExpectError(Stream(server_.Url("/page.wasm")), ErrorKind::kCompileError);
  EXPECT_NE(e.message.find("@+0"), std::string::npos) << e.message;
}

// ---- streaming: compile starts with the first chunk

TEST_F(CompileStreamingHttpTest, OneBytePerPacketCompilesAndStartsBeforeLastByte) {
  server_.Trickle("/trickle.wasm", AsString(kManyFunctions), 1, std::chrono::milliseconds(2),
                  kWasmHeaders);
  Module m = ExpectModule(Stream(server_.Url("/trickle.wasm")));
  ASSERT_TRUE(m.module());
  EXPECT_EQ(m.Exports().size(), 5u);
  const StreamRecord& r = *m.record();
  EXPECT_EQ(r.bytes, kManyFunctions.size());
  ASSERT_TRUE(r.time_to_compile_start_ms && r.time_to_last_byte_ms);
  EXPECT_LT(*r.time_to_compile_start_ms, *r.time_to_last_byte_ms);
  // All but the last chunk were with the compiler before the end arrived.
  EXPECT_GT(r.bytes_compiled_before_last_chunk, kManyFunctions.size() / 2);
  EXPECT_LT(r.bytes_compiled_before_last_chunk, kManyFunctions.size());
}

// ---- CSP on the network path (…-blocks-wasm-streaming.any.js)

TEST_F(CompileStreamingHttpTest, CspBlocksFetchedModuleAndReports) {
  realm_.csp.AddHeader("default-src 'self' 'unsafe-inline'", CspDisposition::kEnforce);
  ExpectError(Stream(server_.Url("/incrementer.wasm")), ErrorKind::kCompileError);
  ASSERT_EQ(violations_.size(), 1u);
  EXPECT_EQ(violations_[0].effective_directive, "script-src");
  EXPECT_EQ(violations_[0].blocked_uri, "wasm-eval");
  EXPECT_EQ(violations_[0].document_uri, server_.Url("/index.html"));
}

TEST_F(CompileStreamingHttpTest, CspWasmUnsafeEvalAllowsFetchedModule) {
  realm_.csp.AddHeader("default-src 'self' 'wasm-unsafe-eval'", CspDisposition::kEnforce);
  ExpectModule(Stream(server_.Url("/incrementer.wasm")));
  EXPECT_TRUE(violations_.empty());
}

TEST_F(CompileStreamingHttpTest, NetworkErrorIsTypeError) {
  HttpServer* gone = new HttpServer();
  std::string url = gone->Url("/x.wasm");
  delete gone;  // nothing listens on that port any more
  ExpectError(Stream(url), ErrorKind::kTypeError);
}

TEST_F(CompileStreamingHttpTest, ManyConcurrentStreams) {
  constexpr int kStreams = 16;
  std::vector<Promise<Module>> results;
  for (int i = 0; i < kStreams; ++i) results.push_back(Stream(server_.Url("/incrementer.wasm")));
  for (auto& p : results) p.Then([](const Module&) {}, [](const Error&) {});
  ASSERT_TRUE(loop_.RunUntil([&] {
    for (auto& p : results) {
      if (p.is_pending()) return false;
    }
    return true;
  }));
  for (auto& p : results) EXPECT_TRUE(p.is_fulfilled());
}

}  // namespace
}  // namespace wasmstream::bindings
