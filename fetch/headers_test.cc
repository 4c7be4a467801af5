#include "fetch/headers.h"

#include <gtest/gtest.h>

namespace wasmstream::fetch {
namespace {

TEST(HeadersTest, GetCombinesRepeatedValuesCaseInsensitively) {
  Headers h;
  ASSERT_FALSE(h.Append("Accept", "a"));
  ASSERT_FALSE(h.Append("X-Other", "o"));
  ASSERT_FALSE(h.Append("accept", "b"));
  EXPECT_EQ(h.Get("ACCEPT"), "a, b");
  EXPECT_EQ(h.Get("x-other"), "o");
  EXPECT_FALSE(h.Get("missing").has_value());
  EXPECT_TRUE(h.Has("aCCept"));
  EXPECT_EQ(h.size(), 3u);
}

TEST(HeadersTest, SetReplacesAllAtTheFirstPlace) {
  Headers h;
  ASSERT_FALSE(h.Append("A", "1"));
  ASSERT_FALSE(h.Append("B", "2"));
  ASSERT_FALSE(h.Append("a", "3"));
  ASSERT_FALSE(h.Set("A", "x"));
  ASSERT_EQ(h.entries().size(), 2u);
  EXPECT_EQ(h.entries()[0], (Headers::Entry{"A", "x"}));
  EXPECT_EQ(h.entries()[1], (Headers::Entry{"B", "2"}));
  ASSERT_FALSE(h.Set("C", "new"));
  EXPECT_EQ(h.Get("c"), "new");
}

TEST(HeadersTest, DeleteRemovesEveryEntry) {
  Headers h;
  ASSERT_FALSE(h.Append("A", "1"));
  ASSERT_FALSE(h.Append("a", "2"));
  ASSERT_FALSE(h.Delete("A"));
  EXPECT_FALSE(h.Has("a"));
}

TEST(HeadersTest, ValuesAreNormalized) {
  Headers h;
  ASSERT_FALSE(h.Append("A", "  \t v  \r\n"));
  EXPECT_EQ(h.Get("A"), "v");
}

TEST(HeadersTest, InvalidNamesAndValuesAreTypeErrors) {
  Headers h;
  for (const char* name : {"", "a b", "a:b", "é", "a\r"}) {
    SCOPED_TRACE(name);
    auto err = h.Append(name, "v");
    ASSERT_TRUE(err);
    EXPECT_EQ(err->kind, ErrorKind::kTypeError);
  }
  EXPECT_TRUE(h.Append("A", std::string("a\0b", 3)));
  EXPECT_TRUE(h.Append("A", "a\nb"));
  EXPECT_TRUE(h.Set("A", "a\rb"));
  EXPECT_EQ(h.size(), 0u);
}

TEST(HeadersTest, ImmutableHeadersRejectChanges) {
  Headers h;
  ASSERT_FALSE(h.Append("A", "1"));
  h.MakeImmutable();
  for (auto err : {h.Append("B", "2"), h.Set("A", "3"), h.Delete("A")}) {
    ASSERT_TRUE(err);
    EXPECT_EQ(err->message, "Headers are immutable");
  }
  EXPECT_EQ(h.Get("A"), "1");
}

TEST(HeadersTest, SetCookieIsNeverCombined) {
  Headers h;
  ASSERT_FALSE(h.Append("Set-Cookie", "a=1"));
  ASSERT_FALSE(h.Append("Set-Cookie", "b=2"));
  ASSERT_FALSE(h.Append("Z", "z"));
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
