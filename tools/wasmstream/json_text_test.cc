#include "tools/wasmstream/json_text.h"

#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace wasmstream::cli {
namespace {

// The output must be the text nlohmann would write, so a record is the same
// whichever way it was produced.
void ExpectSameAsNlohmann(const std::string& s) {
  std::string ours;
  AppendJsonString(ours, s);
  EXPECT_EQ(ours, nlohmann::json(s).dump()) << "for input of " << s.size() << " bytes";
  EXPECT_EQ(nlohmann::json::parse(ours).get<std::string>(), s);
}

TEST(JsonTextTest, PlainNamesPassThrough) {
  ExpectSameAsNlohmann("");
  ExpectSameAsNlohmann("memory");
  ExpectSameAsNlohmann("_ZNSt3__212strstreambuf7seekoffExNS_8ios_base7seekdirEj");
}

TEST(JsonTextTest, QuotesBackslashesAndEveryControlCharacter) {
  ExpectSameAsNlohmann("a\"b\\c");
  ExpectSameAsNlohmann("\"\"\\\\");
  for (int c = 0; c < 0x20; ++c) {
    ExpectSameAsNlohmann(std::string(1, static_cast<char>(c)));
    ExpectSameAsNlohmann("x" + std::string(1, static_cast<char>(c)) + "y");
  }
  ExpectSameAsNlohmann(std::string("nul\0inside", 10));
  ExpectSameAsNlohmann("\x7f");
}

// Plain bytes are skipped eight at a time: an escape at every offset of
// strings that span several words, next to bytes just above and below the
// escaped ranges, must still be found.
TEST(JsonTextTest, EscapeAtEveryOffsetOfLongNames) {
  const std::string kSpecial[] = {"\"", "\\", std::string(1, '\0'), "\x1f", "\n"};
  for (size_t len = 1; len <= 25; ++len) {
    for (size_t at = 0; at < len; ++at) {
      for (const std::string& special : kSpecial) {
        std::string s;  // bytes just outside the escaped ranges: ' ' is 0x20
        for (size_t i = 0; i < len; ++i) s += "! #[]\x7f"[i % 6];
        s.replace(at, 1, special);
        ExpectSameAsNlohmann(s);
      }
    }
  }
}

TEST(JsonTextTest, Utf8PassesThrough) {
  ExpectSameAsNlohmann("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
  ExpectSameAsNlohmann("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\n");
}

TEST(JsonTextTest, AppendsAfterExistingText) {
  std::string out = "[";
  AppendJsonString(out, "a");
  out += ",";
  AppendJsonString(out, "b\n");
  out += "]";
  EXPECT_EQ(out, "[\"a\",\"b\\n\"]");
}

TEST(JsonTextTest, ObjectsOfStringMembersInOrder) {
  std::string out;
  AppendJsonObject(out, {{"kind", "function"}, {"name", "a\"b"}});
  EXPECT_EQ(out, "{\"kind\":\"function\",\"name\":\"a\\\"b\"}");
  nlohmann::ordered_json parsed = nlohmann::ordered_json::parse(out);
  EXPECT_EQ(parsed.dump(), out);
  out.clear();
  AppendJsonObject(out, {});
  EXPECT_EQ(out, "{}");
}

}  // namespace
}  // namespace wasmstream::cli
