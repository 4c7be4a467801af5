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

TEST(JsonTextTest, Utf8PassesThrough) {
  ExpectSameAsNlohmann("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
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
