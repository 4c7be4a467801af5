#include "bindings/csp.h"

#include <vector>

#include <gtest/gtest.h>

namespace wasmstream::bindings {
namespace {

struct Outcome {
  std::optional<Error> error;
  std::vector<CspViolation> violations;
};

Outcome Check(const CspList& list) {
  Outcome out;
  out.error = list.EnsureCanCompileWasmBytes(
      [&](const CspViolation& v) { out.violations.push_back(v); }, "http://page.test/");
  return out;
}

CspList Enforce(std::string_view header) {
  CspList l;
  l.AddHeader(header, CspDisposition::kEnforce);
  return l;
}

TEST(CspParseTest, DirectivesLowercasedFirstRepeatWins) {
  CspPolicy p = ParseCspPolicy(" Script-SRC 'self'  'wasm-unsafe-eval' ; script-src 'none';;img-src *",
                               CspDisposition::kEnforce);
  ASSERT_EQ(p.directives.size(), 2u);
  EXPECT_EQ(p.directives[0].name, "script-src");
  EXPECT_EQ(p.directives[0].values, (std::vector<std::string>{"'self'", "'wasm-unsafe-eval'"}));
  EXPECT_EQ(p.directives[1].name, "img-src");
  EXPECT_EQ(p.serialized, "Script-SRC 'self'  'wasm-unsafe-eval' ; script-src 'none';;img-src *");
}

TEST(CspParseTest, CommaSeparatesPoliciesAndEmptyOnesAreDropped) {
  auto list = ParseCspList("default-src 'self', , script-src 'unsafe-eval'", CspDisposition::kReport);
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].serialized, "default-src 'self'");
  EXPECT_EQ(list[1].serialized, "script-src 'unsafe-eval'");
  EXPECT_EQ(list[1].disposition, CspDisposition::kReport);
}

TEST(CspParseTest, InvalidDirectiveNameIsSkipped) {
  CspPolicy p = ParseCspPolicy("scr!pt-src 'none'; default-src 'self'", CspDisposition::kEnforce);
  ASSERT_EQ(p.directives.size(), 1u);
  EXPECT_EQ(p.directives[0].name, "default-src");
}

TEST(CspWasmTest, NoPolicyAllows) {
  auto out = Check(CspList());
  EXPECT_FALSE(out.error);
  EXPECT_TRUE(out.violations.empty());
}

TEST(CspWasmTest, PolicyWithoutScriptOrDefaultSrcAllows) {
  auto out = Check(Enforce("img-src 'none'; script-src-elem 'none'"));
  EXPECT_FALSE(out.error);
  EXPECT_TRUE(out.violations.empty());
}

// WPT content-security-policy/wasm-unsafe-eval/default-src-blocks-wasm.any.js
TEST(CspWasmTest, DefaultSrcBlocksWithScriptSrcViolation) {
  auto out = Check(Enforce("default-src 'self' 'unsafe-inline'"));
  ASSERT_TRUE(out.error);
  EXPECT_EQ(out.error->kind, ErrorKind::kCompileError);  // not EvalError
  ASSERT_EQ(out.violations.size(), 1u);
  const CspViolation& v = out.violations[0];
  EXPECT_EQ(v.effective_directive, "script-src");  // even though default-src blocked
  EXPECT_EQ(v.violated_directive, "script-src");
  EXPECT_EQ(v.blocked_uri, "wasm-eval");
  EXPECT_EQ(v.sample, "");
  EXPECT_EQ(v.original_policy, "default-src 'self' 'unsafe-inline'");
  EXPECT_EQ(v.disposition, CspDisposition::kEnforce);
  EXPECT_EQ(v.document_uri, "http://page.test/");
}

// WPT script-src-blocks-wasm.any.js
TEST(CspWasmTest, ScriptSrcBlocks) {
  auto out = Check(Enforce("script-src 'self' 'unsafe-inline'"));
  ASSERT_TRUE(out.error);
  EXPECT_EQ(out.error->kind, ErrorKind::kCompileError);
  EXPECT_NE(out.error->message.find("script-src 'self' 'unsafe-inline'"), std::string::npos);
}

// WPT *-unsafe-eval-allows-wasm.any.js and *-wasm-unsafe-eval-allows-wasm.any.js
TEST(CspWasmTest, UnsafeEvalAndWasmUnsafeEvalAllow) {
  for (const char* policy : {"default-src 'self' 'unsafe-inline' 'unsafe-eval'",
                             "default-src 'self' 'unsafe-inline' 'wasm-unsafe-eval'",
                             "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
                             "script-src 'self' 'unsafe-inline' 'wasm-unsafe-eval'",
                             "script-src 'WASM-Unsafe-Eval'"}) {
    SCOPED_TRACE(policy);
    auto out = Check(Enforce(policy));
    EXPECT_FALSE(out.error);
    EXPECT_TRUE(out.violations.empty());
  }
}

TEST(CspWasmTest, ScriptSrcOverridesDefaultSrc) {
  EXPECT_FALSE(Check(Enforce("default-src 'none'; script-src 'wasm-unsafe-eval'")).error);
  EXPECT_TRUE(Check(Enforce("default-src 'unsafe-eval'; script-src 'self'")).error);
}

TEST(CspWasmTest, OtherSourcesDoNotAllow) {
  for (const char* policy : {"script-src", "script-src 'none'", "script-src 'wasm-eval'",
                             "script-src 'strict-dynamic' 'nonce-abc' https://x.test *",
                             "script-src unsafe-eval"}) {
    SCOPED_TRACE(policy);
    EXPECT_TRUE(Check(Enforce(policy)).error);
  }
}

TEST(CspWasmTest, ReportOnlyReportsButAllows) {
  CspList list;
  list.AddHeader("script-src 'self'", CspDisposition::kReport);
  auto out = Check(list);
  EXPECT_FALSE(out.error);
  ASSERT_EQ(out.violations.size(), 1u);
  EXPECT_EQ(out.violations[0].disposition, CspDisposition::kReport);
}

TEST(CspWasmTest, EveryViolatingPolicyIsReportedAndOneEnforcerBlocks) {
  CspList list;
  list.AddHeader("script-src 'wasm-unsafe-eval', default-src 'self'", CspDisposition::kEnforce);
  list.AddHeader("script-src 'none'", CspDisposition::kReport);
  auto out = Check(list);
  ASSERT_TRUE(out.error);
  ASSERT_EQ(out.violations.size(), 2u);
  EXPECT_EQ(out.violations[0].original_policy, "default-src 'self'");
  EXPECT_EQ(out.violations[0].disposition, CspDisposition::kEnforce);
  EXPECT_EQ(out.violations[1].original_policy, "script-src 'none'");
  EXPECT_EQ(out.violations[1].disposition, CspDisposition::kReport);
}

TEST(CspWasmTest, AllowingPolicyDoesNotOverrideBlockingOne) {
  CspList list;
  list.AddHeader("script-src 'unsafe-eval'", CspDisposition::kEnforce);
  list.AddHeader("default-src 'self'", CspDisposition::kEnforce);
  EXPECT_TRUE(Check(list).error);
}

TEST(CspWasmTest, NoObserverStillBlocks) {
  EXPECT_TRUE(Enforce("script-src 'self'").EnsureCanCompileWasmBytes(nullptr));
}

}  // namespace
}  // namespace wasmstream::bindings
