#include "fetch/data_url.h"

#include <gtest/gtest.h>

namespace wasmstream::fetch {
namespace {

std::string Body(const DataUrl& d) { return std::string(d.body.begin(), d.body.end()); }

FetchResult<DataUrl> Process(const char* url) {
  auto u = Url::Parse(url);
  EXPECT_TRUE(u.ok()) << url;
  return ProcessDataUrl(u.value());
}

TEST(DataUrlTest, PlainTextWithDefaultMimeType) {
  auto d = Process("data:,Hello%2C%20World!");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d.value().mime_type, "text/plain;charset=US-ASCII");
  EXPECT_EQ(Body(d.value()), "Hello, World!");
}

TEST(DataUrlTest, Base64WithMimeType) {
  auto d = Process("data:Application/WASM;base64,AGFzbQEAAAA=");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d.value().mime_type, "application/wasm");
  EXPECT_EQ(d.value().body, (Bytes{0, 'a', 's', 'm', 1, 0, 0, 0}));
}

TEST(DataUrlTest, Base64IsForgiving) {
  auto d = Process("data:;base64, SG Vs bG8");  // spaces, no padding
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(Body(d.value()), "Hello");
  EXPECT_EQ(d.value().mime_type, "text/plain;charset=US-ASCII");  // empty type: default
  auto c = Process("data:;charset=utf-8,x");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c.value().mime_type, "text/plain;charset=utf-8");
  auto e = Process("data:text/plain;BASE64,SGk%3D");  // percent-encoded '='
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(Body(e.value()), "Hi");
}

TEST(DataUrlTest, FragmentIsIgnored) {
  auto d = Process("data:,abc#frag");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(Body(d.value()), "abc");
}

TEST(DataUrlTest, ErrorsAreTypeErrors) {
  for (const char* bad : {"data:text/plain", "data:;base64,A", "data:;base64,AB=C", "data:;base64,!!!!"}) {
    SCOPED_TRACE(bad);
    auto d = Process(bad);
    ASSERT_FALSE(d.ok());
    EXPECT_EQ(d.error().kind, ErrorKind::kTypeError);
  }
  EXPECT_FALSE(ProcessDataUrl(Url::Parse("http://h/").value()).ok());
}

TEST(DataUrlTest, ForgivingBase64) {
  EXPECT_EQ(ForgivingBase64Decode(""), Bytes{});
  EXPECT_EQ(ForgivingBase64Decode("YQ=="), Bytes{'a'});
  EXPECT_EQ(ForgivingBase64Decode("YQ"), Bytes{'a'});
  EXPECT_EQ(ForgivingBase64Decode("YWI="), (Bytes{'a', 'b'}));
  EXPECT_FALSE(ForgivingBase64Decode("Y"));
  EXPECT_FALSE(ForgivingBase64Decode("YQ==="));
  EXPECT_FALSE(ForgivingBase64Decode("Y=Q="));
}

}  // namespace
}  // namespace wasmstream::fetch
