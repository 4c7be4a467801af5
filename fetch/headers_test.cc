#include "fetch/headers.h"

#include <gtest/gtest.h>

namespace wasmstream::fetch {
namespace {

TEST(HeadersTest, GetCombinesRepeatedValuesCaseInsensitively) {
  Headers h;
  ASSERT_TRUE(h.Append("Accept", "a").ok());
  ASSERT_TRUE(h.Append("X-Other", "o").ok());
  ASSERT_TRUE(h.Append("accept", "b").ok());
  EXPECT_EQ(h.Get("ACCEPT"), "a, b");
  EXPECT_EQ(h.Get("x-other"), "o");
  EXPECT_FALSE(h.Get("missing").has_value());
  EXPECT_TRUE(h.Has("aCCept"));
  EXPECT_EQ(h.size(), 3u);
}

TEST(HeadersTest, SetReplacesAllAtTheFirstPlace) {
  Headers h;
  ASSERT_TRUE(h.Append("A", "1").ok());
  ASSERT_TRUE(h.Append("B", "2").ok());
  ASSERT_TRUE(h.Append("a", "3").ok());
  ASSERT_TRUE(h.Set("A", "x").ok());
  ASSERT_EQ(h.entries().size(), 2u);
  EXPECT_EQ(h.entries()[0], (Headers::Entry{"A", "x"}));
  EXPECT_EQ(h.entries()[1], (Headers::Entry{"B", "2"}));
  ASSERT_TRUE(h.Set("C", "new").ok());
  EXPECT_EQ(h.Get("c"), "new");
}

TEST(HeadersTest, DeleteRemovesEveryEntry) {
  Headers h;
  ASSERT_TRUE(h.Append("A", "1").ok());
  ASSERT_TRUE(h.Append("a", "2").ok());
  ASSERT_TRUE(h.Delete("A").ok());
  EXPECT_FALSE(h.Has("a"));
}

TEST(HeadersTest, ValuesAreNormalized) {
  Headers h;
  ASSERT_TRUE(h.Append("A", "  \t v  \r\n").ok());
  EXPECT_EQ(h.Get("A"), "v");
}

TEST(HeadersTest, InvalidNamesAndValuesAreTypeErrors) {
  Headers h;
  for (const char* name : {"", "a b", "a:b", "é", "a\r"}) {
    SCOPED_TRACE(name);
    FetchStatus s = h.Append(name, "v");
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().kind, ErrorKind::kTypeError);
  }
  EXPECT_FALSE(h.Append("A", std::string("a\0b", 3)).ok());
  EXPECT_FALSE(h.Append("A", "a\nb").ok());
  EXPECT_FALSE(h.Set("A", "a\rb").ok());
  EXPECT_EQ(h.size(), 0u);
}

TEST(HeadersTest, ImmutableHeadersRejectChanges) {
  Headers h;
  ASSERT_TRUE(h.Append("A", "1").ok());
  h.MakeImmutable();
  for (const FetchStatus& s : {h.Append("B", "2"), h.Set("A", "3"), h.Delete("A")}) {
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().message, "Headers are immutable");
  }
  EXPECT_EQ(h.Get("A"), "1");
}

TEST(HeadersTest, SetCookieIsNeverCombined) {
  Headers h;
  ASSERT_TRUE(h.Append("Set-Cookie", "a=1").ok());
  ASSERT_TRUE(h.Append("Set-Cookie", "b=2").ok());
  ASSERT_TRUE(h.Append("Z", "z").ok());
  EXPECT_EQ(h.GetSetCookie(), (std::vector<std::string>{"a=1", "b=2"}));
  auto sorted = h.SortedAndCombined();
  ASSERT_EQ(sorted.size(), 3u);
  EXPECT_EQ(sorted[0], (Headers::Entry{"set-cookie", "a=1"}));
  EXPECT_EQ(sorted[2], (Headers::Entry{"z", "z"}));
}

TEST(HeadersTest, FromPairsStopsAtTheFirstInvalidPair) {
  EXPECT_TRUE(Headers::From({{"A", "1"}, {"B", "2"}}).ok());
  auto bad = Headers::From({{"A", "1"}, {"B C", "2"}});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("B C"), std::string::npos);
}

}  // namespace
}  // namespace wasmstream::fetch
