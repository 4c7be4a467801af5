#include "fetch/url.h"

#include <gtest/gtest.h>

#include "fetch/limits.h"

namespace wasmstream::fetch {
namespace {

std::string Href(std::string_view input, std::string_view base = "") {
  auto r = base.empty() ? Url::Parse(input) : Url::Parse(input, base);
  return r.ok() ? r.value().href() : "ERROR: " + r.error().message;
}

TEST(UrlTest, SerializesAbsoluteHttpUrls) {
  EXPECT_EQ(Href("HTTP://Example.COM"), "http://example.com/");
  EXPECT_EQ(Href("http://example.com:80/a"), "http://example.com/a");
  EXPECT_EQ(Href("https://example.com:443/"), "https://example.com/");
  EXPECT_EQ(Href("https://example.com:8443/x?y#z"), "https://example.com:8443/x?y#z");
  EXPECT_EQ(Href("http://user:pw@h/"), "http://user:pw@h/");
  EXPECT_EQ(Href("  http://h/a b\t\n "), "http://h/a%20b");
  EXPECT_EQ(Href("http:\\\\h\\a\\b"), "http://h/a/b");
}

TEST(UrlTest, RemovesDotSegments) {
  EXPECT_EQ(Href("http://h/a/b/../c/./d"), "http://h/a/c/d");
  EXPECT_EQ(Href("http://h/a/%2e%2E/b"), "http://h/b");
  EXPECT_EQ(Href("http://h/.."), "http://h/");
  EXPECT_EQ(Href("http://h/a/.."), "http://h/");
}

TEST(UrlTest, PercentEncodesOutsideTheEncodeSets) {
  EXPECT_EQ(Href("http://h/\xc3\xa9?q=\"x\"#f g"), "http://h/%C3%A9?q=%22x%22#f%20g");
  EXPECT_EQ(Href("http://h/?a='b'"), "http://h/?a=%27b%27");
}

TEST(UrlTest, ParsesHosts) {
  EXPECT_EQ(Href("http://[::1]:8080/"), "http://[::1]:8080/");
  EXPECT_EQ(Href("http://[0:0:0:0:0:0:0:1]/"), "http://[::1]/");
  EXPECT_EQ(Href("http://127.0.0.1/"), "http://127.0.0.1/");
  EXPECT_EQ(Href("http://ex%41mple.com/"), "http://example.com/");
}

TEST(UrlTest, InvalidUrlsAreTypeErrors) {
  for (const char* bad : {"", "nope", "http://", "http://h:99999/", "http://h:1x/", "http://[::1/",
                          "http://a b/", "http://256.1.1.1/", "http://1.2.3/", "//h/x",
                          "http://\xc3\xa9.com/", "http://h^/"}) {
    SCOPED_TRACE(bad);
    auto r = Url::Parse(bad);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, ErrorKind::kTypeError);
    EXPECT_NE(r.error().message.find("Invalid URL"), std::string::npos);
  }
}

TEST(UrlTest, ResolvesRelativeReferences) {
  const char* base = "http://h/a/b/c?q#f";
  EXPECT_EQ(Href("d", base), "http://h/a/b/d");
  EXPECT_EQ(Href("./d", base), "http://h/a/b/d");
  EXPECT_EQ(Href("../d", base), "http://h/a/d");
  EXPECT_EQ(Href("../../../../d", base), "http://h/d");
  EXPECT_EQ(Href("/d", base), "http://h/d");
  EXPECT_EQ(Href("//other/x", base), "http://other/x");
  EXPECT_EQ(Href("?z", base), "http://h/a/b/c?z");
  EXPECT_EQ(Href("#g", base), "http://h/a/b/c?q#g");
  EXPECT_EQ(Href("", base), "http://h/a/b/c?q");
  EXPECT_EQ(Href("https://x/y", base), "https://x/y");
  EXPECT_EQ(Href("http:d", base), "http://h/a/b/d");
}

TEST(UrlTest, FileUrls) {
  EXPECT_EQ(Href("file:///tmp/x.wasm"), "file:///tmp/x.wasm");
  EXPECT_EQ(Href("file:/tmp/x"), "file:///tmp/x");
  EXPECT_EQ(Href("file://localhost/tmp/x"), "file:///tmp/x");
  EXPECT_EQ(Href("y.wasm", "file:///tmp/x.wasm"), "file:///tmp/y.wasm");
  EXPECT_EQ(Url::Parse("file:///a%20b").value().path(), "/a%20b");
  EXPECT_FALSE(Url::Parse("file://h:80/x").ok());
}

TEST(UrlTest, DataUrlsHaveOpaquePaths) {
  auto u = Url::Parse("data:text/plain;base64,SGk=#frag");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u.value().scheme(), "data");
  EXPECT_EQ(u.value().path(), "text/plain;base64,SGk=");
  EXPECT_EQ(u.value().WithoutFragment(), "data:text/plain;base64,SGk=");
  EXPECT_FALSE(Url::Parse("x", "data:,hello").ok());
  EXPECT_EQ(Href("#y", "data:,hello"), "data:,hello#y");
}

TEST(UrlTest, AccessorsAndEffectivePort) {
  auto u = Url::Parse("https://u:p@Host.example:8443/p/q?x=1#frag").value();
  EXPECT_EQ(u.scheme(), "https");
  EXPECT_EQ(u.username(), "u");
  EXPECT_EQ(u.password(), "p");
  EXPECT_EQ(u.host(), "host.example");
  EXPECT_EQ(u.port(), 8443);
  EXPECT_EQ(u.EffectivePort(), 8443);
  EXPECT_EQ(u.path(), "/p/q");
  EXPECT_EQ(u.query(), "x=1");
  EXPECT_EQ(u.fragment(), "frag");
  EXPECT_TRUE(u.has_credentials());
  EXPECT_EQ(Url::Parse("http://h/").value().EffectivePort(), 80);
  EXPECT_FALSE(Url::Parse("http://h/").value().port().has_value());
}

TEST(UrlTest, OriginsDecideSameOrigin) {
  auto a = Url::Parse("http://h:8080/x").value().origin();
  auto b = Url::Parse("http://h:8080/y?z").value().origin();
  auto c = Url::Parse("http://h:8081/x").value().origin();
  auto d = Url::Parse("https://h:8080/x").value().origin();
  EXPECT_TRUE(a.SameOrigin(b));
  EXPECT_FALSE(a.SameOrigin(c));
  EXPECT_FALSE(a.SameOrigin(d));
  EXPECT_EQ(a.Serialize(), "http://h:8080");
  EXPECT_EQ(Url::Parse("https://h:443/").value().origin().Serialize(), "https://h");
  auto f = Url::Parse("file:///x").value().origin();
  EXPECT_TRUE(f.opaque());
  EXPECT_EQ(f.Serialize(), "null");
  EXPECT_TRUE(f.SameOrigin(f));
  EXPECT_FALSE(f.SameOrigin(Url::Parse("file:///x").value().origin()));
}

TEST(UrlTest, OverlongUrlIsRejected) {
  std::string huge = "http://h/" + std::string(kMaxUrlBytes, 'a');
  EXPECT_FALSE(Url::Parse(huge).ok());
}

}  // namespace
}  // namespace wasmstream::fetch
