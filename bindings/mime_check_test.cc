#include "bindings/mime_check.h"

#include <gtest/gtest.h>

namespace wasmstream::bindings {
namespace {

// The accepted and rejected values of WPT wasm/webapi/contenttype.any.js.
TEST(MimeCheckTest, AcceptsCaseInsensitiveAndTrimmed) {
  for (const char* v : {"application/wasm", "APPLICATION/wasm", "APPLICATION/WASM",
                        "APPLICATION/WASM ", "\tAPPLICATION/WASM\t", " \t application/wasm"}) {
    SCOPED_TRACE(v);
    EXPECT_TRUE(IsWasmContentType(std::string(v)));
  }
}

TEST(MimeCheckTest, RejectsEverythingElse) {
  for (const char* v : {"", "application/javascript", "application/octet-stream", "text/wasm",
                        "application/\"wasm\"", "\"application/wasm\"", "application/wasm;",
                        "application/wasm;x", "application/wasm;charset=UTF-8",
                        "\fapplication/wasm\f", "application/wasm\r", "\napplication/wasm",
                        "application/wasm, application/wasm", "application/wasmx",
                        "applic\xC4\xB1tion/wasm"}) {
    SCOPED_TRACE(v);
    EXPECT_FALSE(IsWasmContentType(std::string(v)));
  }
}

TEST(MimeCheckTest, MissingHeaderRejects) { EXPECT_FALSE(IsWasmContentType(std::nullopt)); }

TEST(MimeCheckTest, TrimsOnlyTabAndSpace) {
  EXPECT_EQ(TrimHttpTabOrSpace(" \t x \t "), "x");
  EXPECT_EQ(TrimHttpTabOrSpace("\f x\r"), "\f x\r");
}

}  // namespace
}  // namespace wasmstream::bindings
