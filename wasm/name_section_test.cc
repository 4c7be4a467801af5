#include "wasm/name_section.h"

#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace wasmstream::wasm {
namespace {

using Bytes = std::vector<uint8_t>;

Bytes Name(const std::string& s) {
  Bytes b = {static_cast<uint8_t>(s.size())};
  b.insert(b.end(), s.begin(), s.end());
  return b;
}

Bytes Subsection(uint8_t id, const Bytes& payload) {
  Bytes b = {id, static_cast<uint8_t>(payload.size())};
  b.insert(b.end(), payload.begin(), payload.end());
  return b;
}

// Function names {index: name}, in order, as a function-names subsection.
Bytes FunctionNames(const std::vector<std::pair<uint8_t, std::string>>& names) {
  Bytes p = {static_cast<uint8_t>(names.size())};
  for (const auto& [index, name] : names) {
    p.push_back(index);
    Bytes n = Name(name);
    p.insert(p.end(), n.begin(), n.end());
  }
  return Subsection(1, p);
}

// Wire bytes holding each payload after some unrelated bytes, and the custom
// sections that point at them.
struct Wire {
  Bytes bytes = {0xAA, 0xBB, 0xCC};
  std::vector<CustomSection> sections;
  void Add(const std::string& name, const Bytes& payload) {
    sections.push_back({name, ByteRange{static_cast<uint32_t>(bytes.size()),
                                        static_cast<uint32_t>(payload.size())}});
    bytes.insert(bytes.end(), payload.begin(), payload.end());
  }
};

TEST(NameSectionTest, FindsTheNamedFunctionOnly) {
  Wire w;
  Bytes payload = Subsection(0, Name("mod"));  // the module's name comes first
  Bytes functions = FunctionNames({{0, "start"}, {2, "add"}, {7, "caf\xc3\xa9"}});
  payload.insert(payload.end(), functions.begin(), functions.end());
  w.Add("producers", FunctionNames({{2, "not this"}}));
  w.Add("name", payload);
  EXPECT_EQ(FindFunctionName(w.bytes, w.sections, 0), "start");
  EXPECT_EQ(FindFunctionName(w.bytes, w.sections, 2), "add");
  EXPECT_EQ(FindFunctionName(w.bytes, w.sections, 7), "caf\xc3\xa9");
  EXPECT_EQ(FindFunctionName(w.bytes, w.sections, 1), std::nullopt);
  EXPECT_EQ(FindFunctionName(w.bytes, w.sections, 8), std::nullopt);
}

TEST(NameSectionTest, NoNameSection) {
  Wire w;
  w.Add("names", FunctionNames({{0, "f"}}));
  EXPECT_EQ(FindFunctionName(w.bytes, w.sections, 0), std::nullopt);
  EXPECT_EQ(FindFunctionName(w.bytes, {}, 0), std::nullopt);
}

TEST(NameSectionTest, OnlyTheFirstNameSectionCounts) {
  Wire w;
  w.Add("name", FunctionNames({{0, "first"}}));
  w.Add("name", FunctionNames({{0, "second"}, {1, "g"}}));
  EXPECT_EQ(FindFunctionName(w.bytes, w.sections, 0), "first");
  EXPECT_EQ(FindFunctionName(w.bytes, w.sections, 1), std::nullopt);
}

// A malformed section is no error: names before the damage are found, the
// rest are not, whatever the damage.
TEST(NameSectionTest, MalformedSectionsGiveWhatDecodesFirst) {
  Bytes good = FunctionNames({{0, "f"}, {1, "g"}});
  for (size_t cut = 0; cut < good.size(); ++cut) {
    Wire w;
    w.Add("name", Bytes(good.begin(), good.begin() + cut));
    EXPECT_EQ(FindFunctionName(w.bytes, w.sections, 1), std::nullopt) << cut;
  }
  Wire bad_utf8;
  Bytes p = {2, 0, 1, 'f', 1, 2, 0xC3, 0x28};  // function 1's name is not UTF-8
  bad_utf8.Add("name", Subsection(1, p));
  EXPECT_EQ(FindFunctionName(bad_utf8.bytes, bad_utf8.sections, 0), "f");
  EXPECT_EQ(FindFunctionName(bad_utf8.bytes, bad_utf8.sections, 1), std::nullopt);
}

TEST(NameSectionTest, RangeOutsideTheWireBytes) {
  Wire w;
  w.Add("name", FunctionNames({{0, "f"}}));
  w.sections[0].payload.length += 1;
  EXPECT_EQ(FindFunctionName(w.bytes, w.sections, 0), std::nullopt);
  w.sections[0].payload = ByteRange{UINT32_MAX, 4};
  EXPECT_EQ(FindFunctionName(w.bytes, w.sections, 0), std::nullopt);
}

}  // namespace
}  // namespace wasmstream::wasm
