// compileStreaming / compile / validate on synthetic Responses (no network):
// the WPT wasm/webapi and content-security-policy/wasm-unsafe-eval cases
// that need no server, and the check order (docs/compile-streaming.md).
// Loopback-server cases are in compile_streaming_http_test.cc.
#include "bindings/wasm_namespace.h"

#include <thread>

#include <gtest/gtest.h>

#include "bindings/test_modules.h"
#include "bindings/test_util.h"

namespace wasmstream::bindings {
namespace {

using testing::kEmptyModule;
using testing::kIncrementer;
using testing::kSimple;
using testing::NullBodyResponse;
using testing::SyntheticResponse;

class WasmNamespaceTest : public ::testing::Test {
 protected:
  WasmNamespaceTest() {
    loop_.SetUnhandledRejectionHook([this](const Error& e) { unhandled_.push_back(e); });
    realm_.csp_observer = [this](const CspViolation& v) { violations_.push_back(v); };
    realm_.record_observer = [this](const StreamRecord& r) { records_.push_back(r); };
  }

  // Settles {p} and returns it; fails the test if it stays pending.
  Promise<Module> Run(Promise<Module> p) {
    // The caller handles the result, so any unhandled rejection reported is
    // an internal promise the controller forgot.
    p.Then([](const Module&) {}, [](const Error&) {});
    EXPECT_TRUE(testing::Settle(loop_, p));
    return p;
  }
  Module ExpectModule(Promise<Module> p) {
    Run(p);
    EXPECT_TRUE(p.is_fulfilled()) << (p.is_rejected() ? p.reason().ToString() : "pending");
    if (!p.is_fulfilled()) return Module(nullptr);
    return p.value();
  }
  Error ExpectError(Promise<Module> p, ErrorKind kind) {
    Run(p);
    EXPECT_TRUE(p.is_rejected());
    if (!p.is_rejected()) return Error{};
    EXPECT_EQ(p.reason().kind, kind) << p.reason().ToString();
    return p.reason();
  }
  void Block(std::string_view policy, CspDisposition d = CspDisposition::kEnforce) {
    realm_.csp.AddHeader(policy, d);
  }

  EventLoop loop_;
  Realm realm_{loop_};
  WebAssembly wasm_{realm_};
  std::vector<Error> unhandled_;
  std::vector<CspViolation> violations_;
  std::vector<StreamRecord> records_;
};

// ---- success paths

TEST_F(WasmNamespaceTest, ResolvedResponseCompiles) {  // wasm_stream_compile_test
  Module m = ExpectModule(wasm_.CompileStreaming(SyntheticResponse(kIncrementer)));
  ASSERT_TRUE(m.module());
  ASSERT_EQ(m.Exports().size(), 1u);
  EXPECT_EQ(m.Exports()[0], (ModuleExportDescriptor{"increment", "function"}));
  EXPECT_TRUE(m.Imports().empty());
  EXPECT_EQ(m.module()->wire_bytes, kIncrementer);  // the Module keeps every byte
  EXPECT_TRUE(unhandled_.empty());
}

// A GC module: (struct.get (struct.new (i32.const 42))) exported as "f".
constexpr uint8_t kGcModule[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x09, 0x02, 0x5f, 0x01, 0x7f, 0x00,
    0x60, 0x00, 0x01, 0x7f, 0x03, 0x02, 0x01, 0x01, 0x07, 0x05, 0x01, 0x01, 0x66, 0x00, 0x00,
    0x0a, 0x0d, 0x01, 0x0b, 0x00, 0x41, 0x2a, 0xfb, 0x00, 0x00, 0xfb, 0x02, 0x00, 0x00, 0x0b};

TEST_F(WasmNamespaceTest, WebAssembly30IsOnByDefaultAsInV8) {
  EXPECT_TRUE(wasm_.Validate(kGcModule));
  std::vector<uint8_t> bytes(std::begin(kGcModule), std::end(kGcModule));
  ExpectModule(wasm_.CompileStreaming(SyntheticResponse(bytes)));
  // A realm restricted to WebAssembly 2.0 rejects the same bytes.
  Realm v2(loop_);
  v2.features = wasm::Features::Wasm20();
  WebAssembly wasm_v2(v2);
  EXPECT_FALSE(wasm_v2.Validate(kGcModule));
  ExpectError(wasm_v2.CompileStreaming(SyntheticResponse(bytes)), ErrorKind::kCompileError);
}

TEST_F(WasmNamespaceTest, PromiseOfResponseCompiles) {
  Promise<fetch::Response> p(loop_);
  auto result = wasm_.CompileStreaming(p);
  loop_.PostTask([&] { p.Resolve(SyntheticResponse(kIncrementer)); });
  ExpectModule(result);
}

TEST_F(WasmNamespaceTest, ModuleReflection) {
  Module m = ExpectModule(wasm_.CompileStreaming(SyntheticResponse(kSimple)));
  ASSERT_TRUE(m.module());
  EXPECT_EQ(m.Imports(),
            (std::vector<ModuleImportDescriptor>{{"my_namespace", "imported_func", "function"}}));
  EXPECT_EQ(m.Exports(), (std::vector<ModuleExportDescriptor>{{"mem", "memory"},
                                                              {"exported_func", "function"}}));
  auto meta = m.CustomSections("meta");  // J-4: payloads only, in order
  ASSERT_EQ(meta.size(), 2u);
  EXPECT_EQ(std::string(meta[0].begin(), meta[0].end()), "hello");
  EXPECT_EQ(std::string(meta[1].begin(), meta[1].end()), "world!");
  EXPECT_EQ(m.CustomSections("other").size(), 1u);
  EXPECT_TRUE(m.CustomSections("Meta").empty());
}

TEST_F(WasmNamespaceTest, EveryCompileGivesANewModuleObject) {
  Module a = ExpectModule(wasm_.CompileStreaming(SyntheticResponse(kIncrementer)));
  Module b = ExpectModule(wasm_.CompileStreaming(SyntheticResponse(kIncrementer)));
  EXPECT_FALSE(a.SameObject(b));
  EXPECT_TRUE(a.SameObject(a));
}

// WPT wasm_stream_compile_test: a ReadableStream of chunks split at 20 bytes,
// enqueued asynchronously.
TEST_F(WasmNamespaceTest, StreamOfChunksCompiles) {
  auto body = fetch::BodyStream::Create();
  auto result = wasm_.CompileStreaming(testing::OpenBodyResponse(body));
  std::thread producer([body] {
    for (size_t i = 0; i < kSimple.size(); i += 20) {
      size_t n = std::min<size_t>(20, kSimple.size() - i);
      body->Push(std::vector<uint8_t>(kSimple.begin() + i, kSimple.begin() + i + n));
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    body->Close();
  });
  Module m = ExpectModule(result);
  producer.join();
  ASSERT_TRUE(m.record());
  EXPECT_EQ(m.record()->bytes, kSimple.size());
  EXPECT_EQ(m.record()->cache, "off");
}

// ---- the source argument: any value becomes a promise; a rejection passes
// through; a non-Response is a TypeError

TEST_F(WasmNamespaceTest, RejectedSourcePropagatesTheSameObject) {  // rejected-arg.any.js
  Error reason = Error::Make(ErrorKind::kError, "my reason");
  auto p = Promise<fetch::Response>::Rejected(loop_, reason);
  Error e = ExpectError(wasm_.CompileStreaming(p), ErrorKind::kError);
  EXPECT_TRUE(e.SameObject(reason));
  EXPECT_TRUE(unhandled_.empty());
}

TEST_F(WasmNamespaceTest, NonResponseIsTypeError) {  // invalid-args.any.js
  for (const char* what : {"undefined", "null", "true", "\"test\"", "Symbol()", "0", "0.1", "NaN",
                           "{}", "Response", "Response.prototype"}) {
    SCOPED_TRACE(what);
    Error direct = ExpectError(wasm_.CompileStreaming(NotAResponse{what}), ErrorKind::kTypeError);
    EXPECT_EQ(direct.message, kNotAResponseMessage);
    auto in_promise = Promise<SourceValue>::Resolved(loop_, NotAResponse{what});
    ExpectError(wasm_.CompileStreaming(in_promise), ErrorKind::kTypeError);  // not a Response
  }
  EXPECT_TRUE(unhandled_.empty());
}

// body.any.js: nothing is checked or locked inside the call.
TEST_F(WasmNamespaceTest, ResponseIsNotTouchedSynchronously) {
  fetch::Response r = SyntheticResponse(kIncrementer);
  auto result = wasm_.CompileStreaming(r);
  EXPECT_TRUE(result.is_pending());
  EXPECT_FALSE(r.body()->locked());
  EXPECT_FALSE(r.body_used());
  ExpectModule(result);
  EXPECT_TRUE(r.body_used());  // consumed by the reaction
}

TEST_F(WasmNamespaceTest, BodyReadBeforeCallIsTypeError) {  // body.any.js
  fetch::Response r = SyntheticResponse(kIncrementer);
  ASSERT_TRUE(r.BytesBlocking().ok());
  Error e = ExpectError(wasm_.CompileStreaming(r), ErrorKind::kTypeError);
  EXPECT_EQ(e.message, kUsedMessage);
}

TEST_F(WasmNamespaceTest, BodyReadRightAfterCallIsTypeError) {  // body.any.js
  fetch::Response r = SyntheticResponse(kIncrementer);
  auto result = wasm_.CompileStreaming(r);
  ASSERT_TRUE(r.BytesBlocking().ok());  // arrayBuffer() in the same job wins
  ExpectError(result, ErrorKind::kTypeError);
}

// A locked body is unusable too, not only a used one.
TEST_F(WasmNamespaceTest, LockedBodyIsTypeError) {
  fetch::Response r = SyntheticResponse(kIncrementer);
  auto reader = r.body()->GetReader();
  ASSERT_TRUE(reader.ok());
  EXPECT_FALSE(r.body_used());
  Error e = ExpectError(wasm_.CompileStreaming(r), ErrorKind::kTypeError);
  EXPECT_EQ(e.message, kLockedMessage);
}

// modified-contenttype.any.js, adapted: the response is what the reaction
// sees, and once compiled its body is consumed.
TEST_F(WasmNamespaceTest, BodyIsConsumedAfterCompile) {
  fetch::Response r = SyntheticResponse(kIncrementer);
  ExpectModule(wasm_.CompileStreaming(r));
  auto again = r.BytesBlocking();
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().kind, fetch::ErrorKind::kTypeError);
}

// ---- Content-Type (contenttype.any.js)

TEST_F(WasmNamespaceTest, MissingContentTypeIsTypeError) {
  Error e = ExpectError(wasm_.CompileStreaming(SyntheticResponse(kIncrementer, {})),
                        ErrorKind::kTypeError);
  EXPECT_EQ(e.message, kMimeMessage);
}

TEST_F(WasmNamespaceTest, InvalidContentTypesAreTypeErrors) {
  for (const char* ct : {"", "application/javascript", "application/octet-stream", "text/wasm",
                         "application/\"wasm\"", "\"application/wasm\"", "application/wasm;",
                         "application/wasm;x", "application/wasm;charset=UTF-8",
                         "\fapplication/wasm\f", "text/css"}) {
    SCOPED_TRACE(ct);
    ExpectError(wasm_.CompileStreaming(SyntheticResponse(kIncrementer, {{"Content-Type", ct}})),
                ErrorKind::kTypeError);
  }
}

TEST_F(WasmNamespaceTest, ValidContentTypesCompile) {
  for (const char* ct : {"application/wasm", "APPLICATION/wasm", "APPLICATION/WASM",
                         "APPLICATION/WASM ", "\tAPPLICATION/WASM\t"}) {
    SCOPED_TRACE(ct);
    ExpectModule(wasm_.CompileStreaming(SyntheticResponse(kIncrementer, {{"Content-Type", ct}})));
  }
}

// Two Content-Type headers combine to "a, b", which is no match.
TEST_F(WasmNamespaceTest, TwoContentTypeHeadersAreTypeError) {
  ExpectError(wasm_.CompileStreaming(SyntheticResponse(
                  kIncrementer, {{"Content-Type", "application/wasm"},
                                 {"content-type", "application/wasm"}})),
              ErrorKind::kTypeError);
}

// ---- CORS-same-origin, ok status

TEST_F(WasmNamespaceTest, NotOkStatusIsTypeError) {  // status.any.js
  for (int status : {0, 300, 400, 404, 500, 600, 700, 999}) {
    SCOPED_TRACE(status);
    Error e = ExpectError(wasm_.CompileStreaming(SyntheticResponse(kEmptyModule, {{"Content-Type", "application/wasm"}}, status)),
                          ErrorKind::kTypeError);
    EXPECT_NE(e.message.find(kStatusMessage), std::string::npos);
  }
  for (int status : {200, 201, 299}) {
    SCOPED_TRACE(status);
    ExpectModule(wasm_.CompileStreaming(
        SyntheticResponse(kEmptyModule, {{"Content-Type", "application/wasm"}}, status)));
  }
}

TEST_F(WasmNamespaceTest, OpaqueAndErrorResponsesAreTypeErrors) {  // origin.sub.any.js
  for (auto type : {fetch::ResponseType::kOpaque, fetch::ResponseType::kOpaqueRedirect,
                    fetch::ResponseType::kError}) {
    fetch::Response::Parts parts;
    parts.type = type;
    parts.status = 200;  // even with an ok status and a wasm type
    parts.headers = testing::MakeHeaders({{"Content-Type", "application/wasm"}});
    parts.body = fetch::BodyStream::FromBytes(kEmptyModule);
    Error e = ExpectError(wasm_.CompileStreaming(fetch::Response::FromParts(std::move(parts))),
                         ErrorKind::kTypeError);
    EXPECT_EQ(e.message, kCorsMessage);
  }
}

// ---- check order

TEST_F(WasmNamespaceTest, MimeIsCheckedBeforeStatus) {
  Error e = ExpectError(
      wasm_.CompileStreaming(SyntheticResponse(kIncrementer, {{"Content-Type", "text/html"}}, 404)),
      ErrorKind::kTypeError);
  EXPECT_EQ(e.message, kMimeMessage);
}

TEST_F(WasmNamespaceTest, StatusIsCheckedBeforeUsedBody) {
  fetch::Response r = SyntheticResponse(kIncrementer, {{"Content-Type", "application/wasm"}}, 500);
  ASSERT_TRUE(r.BytesBlocking().ok());
  Error e = ExpectError(wasm_.CompileStreaming(r), ErrorKind::kTypeError);
  EXPECT_NE(e.message.find(kStatusMessage), std::string::npos);
}

TEST_F(WasmNamespaceTest, ResponseChecksComeBeforeCsp) {
  Block("default-src 'self'");
  Error e = ExpectError(
      wasm_.CompileStreaming(SyntheticResponse(kIncrementer, {{"Content-Type", "text/plain"}})),
      ErrorKind::kTypeError);
  EXPECT_EQ(e.message, kMimeMessage);
  EXPECT_TRUE(violations_.empty());  // the compile never started
}

TEST_F(WasmNamespaceTest, CspComesBeforeDecoding) {  // script-src-spv-asynch.any.js
  Block("default-src 'self' 'unsafe-inline'");
  std::vector<uint8_t> sample = {'S', 'a', 'm', 'p', 'l', 'e', 0};
  ExpectError(wasm_.CompileStreaming(SyntheticResponse(sample)), ErrorKind::kCompileError);
  ExpectError(wasm_.Compile(sample), ErrorKind::kCompileError);
  ASSERT_EQ(violations_.size(), 2u);
  EXPECT_EQ(violations_[0].violated_directive, "script-src");
  EXPECT_EQ(violations_[0].blocked_uri, "wasm-eval");
  EXPECT_EQ(violations_[0].original_policy, "default-src 'self' 'unsafe-inline'");
}

// ---- empty and invalid bodies: CompileError

TEST_F(WasmNamespaceTest, EmptyBodyIsCompileError) {  // empty-body.any.js
  Error a = ExpectError(wasm_.CompileStreaming(NullBodyResponse()), ErrorKind::kCompileError);
  EXPECT_EQ(a.message, kEmptyMessage);
  ExpectError(wasm_.CompileStreaming(SyntheticResponse({})), ErrorKind::kCompileError);
  ExpectError(wasm_.CompileStreaming(Promise<fetch::Response>::Resolved(loop_, NullBodyResponse())),
              ErrorKind::kCompileError);
  ExpectError(wasm_.CompileStreaming(Promise<fetch::Response>::Resolved(loop_, SyntheticResponse({}))),
              ErrorKind::kCompileError);
}

TEST_F(WasmNamespaceTest, InvalidCodeIsCompileError) {  // invalid-code.any.js
  for (std::vector<uint8_t> trailer : {std::vector<uint8_t>{0x00, 0x00}, {0xCA, 0xFE}}) {
    std::vector<uint8_t> bytes = kEmptyModule;
    bytes.insert(bytes.end(), trailer.begin(), trailer.end());
    Error e = ExpectError(wasm_.CompileStreaming(SyntheticResponse(bytes)), ErrorKind::kCompileError);
    EXPECT_NE(e.message.find("@+"), std::string::npos) << e.message;
  }
}

TEST_F(WasmNamespaceTest, FormDataBodyIsCompileError) {  // wasm_stream_compile_test
  std::string multipart =
      "------boundary\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\nvalue\r\n"
      "------boundary--\r\n";
  ExpectError(wasm_.CompileStreaming(
                  SyntheticResponse(std::vector<uint8_t>(multipart.begin(), multipart.end()))),
              ErrorKind::kCompileError);
}

// A stream erroring (like the ArrayBuffer-chunk case of
// wasm_stream_compile_test): the stream's error, not a CompileError.
TEST_F(WasmNamespaceTest, BodyStreamErrorRejectsWithThatError) {
  auto body = fetch::BodyStream::Create();
  body->Push(std::vector<uint8_t>(kIncrementer.begin(), kIncrementer.begin() + 10));
  body->Error(fetch::FetchError::Type("chunk is not a Uint8Array"));
  Error e = ExpectError(wasm_.CompileStreaming(testing::OpenBodyResponse(body)),
                        ErrorKind::kTypeError);
  EXPECT_EQ(e.message, "chunk is not a Uint8Array");
  ASSERT_FALSE(records_.empty());
  ASSERT_TRUE(records_.back().error.has_value());
}

TEST_F(WasmNamespaceTest, BodyAbortIsAbortError) {
  auto body = fetch::BodyStream::Create();
  auto result = wasm_.CompileStreaming(testing::OpenBodyResponse(body, fetch::ResponseType::kBasic));
  body->Push(std::vector<uint8_t>(kIncrementer.begin(), kIncrementer.begin() + 10));
  loop_.PostTask([body] { body->Error(fetch::FetchError::Abort()); });
  ExpectError(result, ErrorKind::kAbortError);
}

// ---- CSP (content-security-policy/wasm-unsafe-eval/)

TEST_F(WasmNamespaceTest, DefaultSrcBlocksStreaming) {  // default-src-blocks-wasm-streaming
  Block("default-src 'self' 'unsafe-inline'");
  ExpectError(wasm_.CompileStreaming(SyntheticResponse(kEmptyModule)), ErrorKind::kCompileError);
  ExpectError(wasm_.Compile(kEmptyModule), ErrorKind::kCompileError);  // default-src-blocks-wasm
  ASSERT_EQ(violations_.size(), 2u);
  EXPECT_EQ(violations_[0].effective_directive, "script-src");
  EXPECT_EQ(violations_[0].sample, "");
  EXPECT_EQ(violations_[0].disposition, CspDisposition::kEnforce);
}

TEST_F(WasmNamespaceTest, ScriptSrcBlocksStreaming) {  // script-src-blocks-wasm-streaming
  Block("script-src 'self' 'unsafe-inline'");
  ExpectError(wasm_.CompileStreaming(SyntheticResponse(kEmptyModule)), ErrorKind::kCompileError);
  ExpectError(wasm_.Compile(kEmptyModule), ErrorKind::kCompileError);
}

TEST_F(WasmNamespaceTest, UnsafeEvalKeywordsAllow) {
  for (const char* policy : {"default-src 'self' 'unsafe-inline' 'unsafe-eval'",
                             "default-src 'self' 'unsafe-inline' 'wasm-unsafe-eval'",
                             "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
                             "script-src 'self' 'unsafe-inline' 'wasm-unsafe-eval'"}) {
    SCOPED_TRACE(policy);
    realm_.csp = CspList();
    Block(policy);
    ExpectModule(wasm_.CompileStreaming(SyntheticResponse(kEmptyModule)));
    ExpectModule(wasm_.Compile(kEmptyModule));
  }
  EXPECT_TRUE(violations_.empty());
}

TEST_F(WasmNamespaceTest, ReportOnlyReportsAndAllows) {
  Block("script-src 'none'", CspDisposition::kReport);
  ExpectModule(wasm_.CompileStreaming(SyntheticResponse(kEmptyModule)));
  ASSERT_EQ(violations_.size(), 1u);
  EXPECT_EQ(violations_[0].disposition, CspDisposition::kReport);
}

TEST_F(WasmNamespaceTest, MultiplePoliciesOneEnforcingBlocks) {
  Block("script-src 'wasm-unsafe-eval'");
  Block("script-src 'none'", CspDisposition::kReport);
  Block("default-src 'self'");
  ExpectError(wasm_.CompileStreaming(SyntheticResponse(kEmptyModule)), ErrorKind::kCompileError);
  ASSERT_EQ(violations_.size(), 2u);
  EXPECT_EQ(violations_[0].original_policy, "script-src 'none'");
  EXPECT_EQ(violations_[1].original_policy, "default-src 'self'");
}

// CSP gates compiling, not validating.
TEST_F(WasmNamespaceTest, ValidateIsNotGatedByCsp) {
  Block("default-src 'none'");
  EXPECT_TRUE(wasm_.Validate(kIncrementer));
  EXPECT_TRUE(violations_.empty());
}

// ---- validate / compile

TEST_F(WasmNamespaceTest, Validate) {
  EXPECT_TRUE(wasm_.Validate(kEmptyModule));
  EXPECT_TRUE(wasm_.Validate(kSimple));
  EXPECT_FALSE(wasm_.Validate({}));
  std::vector<uint8_t> bad = kIncrementer;
  bad[bad.size() - 2] = 0x7c;  // i32.add -> f64.add: type mismatch
  EXPECT_FALSE(wasm_.Validate(bad));
}

TEST_F(WasmNamespaceTest, CompileBytes) {
  std::vector<uint8_t> bytes = kIncrementer;
  auto result = wasm_.Compile(bytes);
  bytes.assign(bytes.size(), 0);  // J-1: compile() copied them already
  EXPECT_TRUE(result.is_pending());
  Module m = ExpectModule(result);
  EXPECT_EQ(m.Exports().size(), 1u);
  std::vector<uint8_t> bad = kIncrementer;
  bad[bad.size() - 2] = 0x7c;
  Error e = ExpectError(wasm_.Compile(bad), ErrorKind::kCompileError);
  EXPECT_NE(e.message.find("@+"), std::string::npos);
  ExpectError(wasm_.Compile({}), ErrorKind::kCompileError);
}

TEST_F(WasmNamespaceTest, RecordObserverSeesEveryRequest) {
  ExpectModule(wasm_.CompileStreaming(SyntheticResponse(kIncrementer)));
  ExpectError(wasm_.CompileStreaming(NotAResponse{}), ErrorKind::kTypeError);
  ASSERT_EQ(records_.size(), 2u);
  EXPECT_EQ(records_[0].bytes, kIncrementer.size());
  EXPECT_EQ(records_[0].cache, "off");
  EXPECT_EQ(records_[0].consumer, "compile");
  EXPECT_TRUE(records_[0].time_to_module_ms.has_value());
  EXPECT_TRUE(records_[0].compile_ms.has_value());
  EXPECT_FALSE(records_[0].error.has_value());
  ASSERT_TRUE(records_[1].error.has_value());
  EXPECT_EQ(records_[1].error->kind, ErrorKind::kTypeError);
}

}  // namespace
}  // namespace wasmstream::bindings
