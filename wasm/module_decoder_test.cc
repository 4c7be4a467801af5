// Section decoding and module-level validation, valid and invalid, checking
// offset and message over every chunking (wasm/testing/module_builder.h).
// Offsets: the preamble is bytes 0-7, so the first section's id is at 8, its
// one-byte length at 9 and its payload from 10.
#include <gtest/gtest.h>

#include <string>

#include "wasm/streaming_compiler.h"
#include "wasm/testing/module_builder.h"

namespace wasmstream::wasm {
namespace {

using testing::Bytes;
using testing::Cat;
using testing::ExpectFailure;
using testing::ExpectVerifies;
using testing::Name;
using testing::Preamble;
using testing::Section;

const Bytes kEmptyBody = {0x00, 0x0B};  // no locals, end

TEST(PreambleTest, EmptyModuleVerifies) { ExpectVerifies(Preamble()); }

TEST(PreambleTest, EmptyInputIsUnexpectedEnd) { ExpectFailure({}, 0, "unexpected end"); }

TEST(PreambleTest, TruncatedVersion) {
  ExpectFailure({0x00, 0x61, 0x73, 0x6D, 0x01}, 4, "unexpected end");
}

TEST(PreambleTest, BadMagic) {
  ExpectFailure({0x00, 0x41, 0x53, 0x4D, 0x01, 0x00, 0x00, 0x00}, 0, "magic header not detected");
}

TEST(PreambleTest, BadVersion) {
  ExpectFailure({0x00, 0x61, 0x73, 0x6D, 0x02, 0x00, 0x00, 0x00}, 4, "unknown binary version");
}

TEST(SectionTest, UnknownSectionId) {
  ExpectFailure(Cat({Preamble(), {0x0E, 0x00}}), 8, "malformed section id");
}

TEST(SectionTest, TagSectionNeedsExceptions) {
  Bytes m = Cat({Preamble(), Section(13, {0x00})});  // tag section, 0 tags
  ExpectFailure(m, 8, "malformed section id");
  ExpectVerifies(m, Features::Wasm20().enable(Feature::kExceptions));
}

TEST(SectionTest, OutOfOrder) {
  Bytes m = Cat({Preamble(),
                 Section(3, {0x00}),    // function section, 0 functions
                 Section(1, {0x00})});  // type section after it
  ExpectFailure(m, 11, "unexpected content after last section");
}

TEST(SectionTest, Duplicate) {
  Bytes m = Cat({Preamble(), Section(1, {0x00}), Section(1, {0x00})});
  ExpectFailure(m, 11, "unexpected content after last section");
}

TEST(SectionTest, DataCountBeforeCode) {
  Bytes ok = Cat({Preamble(), Section(12, {0x00}), Section(10, {0x00})});
  ExpectVerifies(ok);
  Bytes bad = Cat({Preamble(), Section(10, {0x00}), Section(12, {0x00})});
  ExpectFailure(bad, 11, "unexpected content after last section");
}

TEST(SectionTest, SizeMismatch) {
  // Type section: 1 type declared, payload has 2.
  Bytes m = Cat({Preamble(), Section(1, {0x01, 0x60, 0x00, 0x00, 0x60, 0x00, 0x00})});
  ExpectFailure(m, 14, "section size mismatch");
}

TEST(SectionTest, PastEndOfModule) {
  // Type section claiming 7 bytes, 3 present.
  ExpectFailure(Cat({Preamble(), {0x01, 0x07, 0x01, 0x60, 0x00}}), 13, "length out of bounds");
}

TEST(SectionTest, TruncatedSectionLength) {
  ExpectFailure(Cat({Preamble(), {0x01, 0x80}}), 10, "unexpected end");
}

TEST(SectionTest, SectionLengthTooLong) {
  ExpectFailure(Cat({Preamble(), {0x01, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00}}), 13,
                "integer representation too long");
}

TEST(SectionTest, EntriesPastSectionEnd) {
  // Table section: 1 table declared, none given.
  ExpectFailure(Cat({Preamble(), Section(4, {0x01})}), 10, "unexpected end of section or function");
}

TEST(CustomSectionTest, AnywhereAndKept) {
  Bytes custom = Section(0, Cat({Name("hello"), {0x01, 0x02, 0x03}}));
  Bytes m = Cat({Preamble(), custom, Section(1, {0x00}), custom});
  ExpectVerifies(m);
  CompileResult r = CompileModule(m);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r.value()->custom_sections.size(), 2u);
  EXPECT_EQ(r.value()->custom_sections[0].name, "hello");
  EXPECT_EQ(r.value()->custom_sections[0].payload.offset, 16u);
  EXPECT_EQ(r.value()->custom_sections[0].payload.length, 3u);
}

TEST(CustomSectionTest, MalformedName) {
  ExpectFailure(Cat({Preamble(), Section(0, {0x01, 0xFF})}), 11, "malformed UTF-8 encoding");
  ExpectFailure(Cat({Preamble(), Section(0, {0x05, 'a'})}), 11, "length out of bounds");
}

TEST(CustomSectionTest, MalformedPayloadIgnored) {
  // A "name" section whose payload is garbage does not invalidate the module.
  ExpectVerifies(Cat({Preamble(), Section(0, Cat({Name("name"), {0x01, 0xFF, 0xFF}}))}));
}

TEST(TypeSectionTest, FunctionTypes) {
  ExpectVerifies(Cat({Preamble(), Section(1, {0x02,                          // 2 types
                                              0x60, 0x02, 0x7F, 0x7E, 0x01, 0x7D,  // [i32 i64] -> [f32]
                                              0x60, 0x00, 0x02, 0x7C, 0x7B})}));   // [] -> [f64 v128]
}

TEST(TypeSectionTest, MalformedValueType) {
  ExpectFailure(Cat({Preamble(), Section(1, {0x01, 0x60, 0x01, 0x7A, 0x00})}), 13,
                "malformed value type");
}

TEST(TypeSectionTest, MultiValueSwitch) {
  Bytes m = Cat({Preamble(), Section(1, {0x01, 0x60, 0x00, 0x02, 0x7F, 0x7F})});
  ExpectVerifies(m);
  ExpectFailure(m, 13, "invalid result arity", Features::Wasm20().disable(Feature::kMultiValue));
}

TEST(TypeSectionTest, SimdSwitch) {
  Bytes m = Cat({Preamble(), Section(1, {0x01, 0x60, 0x01, 0x7B, 0x00})});
  ExpectFailure(m, 13, "malformed value type", Features::Wasm20().disable(Feature::kSimd));
}

TEST(TypeSectionTest, GcStructArrayAndRecGroup) {
  Features gc = Features::Wasm20().enable(Feature::kGc).enable(Feature::kFunctionReferences);
  Bytes m = Cat({Preamble(), Section(1, {0x02,                    // 2 entries
                                         0x4E, 0x02,              // rec group of 2
                                         0x5F, 0x01, 0x63, 0x01, 0x01,  // struct (field (mut (ref null 1)))
                                         0x5E, 0x78, 0x00,        // array i8
                                         0x50, 0x00, 0x60, 0x00, 0x00})});  // sub (open) func
  ExpectVerifies(m, gc);
  ExpectFailure(m, 11, "malformed type");  // 0x4E without GC
}

TEST(TypeSectionTest, UnknownTypeInRef) {
  Features gc = Features::Wasm20().enable(Feature::kGc);
  ExpectFailure(Cat({Preamble(), Section(1, {0x01, 0x60, 0x01, 0x63, 0x05, 0x00})}), 14,
                "unknown type 5", gc);
}

TEST(TypeSectionTest, FinalSuperType) {
  Features gc = Features::Wasm20().enable(Feature::kGc);
  Bytes m = Cat({Preamble(), Section(1, {0x02,
                                         0x60, 0x00, 0x00,               // type 0: final func
                                         0x50, 0x01, 0x00, 0x60, 0x00, 0x00})});  // sub of 0
  ExpectFailure(m, 14, "sub type 1 does not match super type 0", gc);
}

// type 0: [] -> [], type 1: [i32] -> [].
Bytes TwoTypes() { return Section(1, {0x02, 0x60, 0x00, 0x00, 0x60, 0x01, 0x7F, 0x00}); }

TEST(ImportSectionTest, AllKinds) {
  Bytes imports = Cat({{0x04},
                       Name("m"), Name("f"), {0x00, 0x01},              // func (type 1)
                       Name("m"), Name("t"), {0x01, 0x70, 0x00, 0x01},  // table funcref 1
                       Name("m"), Name("mem"), {0x02, 0x01, 0x01, 0x02},  // memory 1..2
                       Name("m"), Name("g"), {0x03, 0x7F, 0x01}});        // mut i32
  CompileResult r = CompileModule(Cat({Preamble(), TwoTypes(), Section(2, imports)}));
  ASSERT_TRUE(r.ok()) << r.error().Format();
  const Module& m = *r.value();
  EXPECT_EQ(m.imports.size(), 4u);
  EXPECT_EQ(m.num_imported_functions, 1u);
  EXPECT_EQ(m.functions[0].type_index, 1u);
  EXPECT_EQ(m.memories[0].limits.max, 2u);
  EXPECT_TRUE(m.globals[0].mutable_);
}

TEST(ImportSectionTest, MalformedKind) {
  Bytes imports = Cat({{0x01}, Name("m"), Name("f"), {0x05, 0x00}});
  ExpectFailure(Cat({Preamble(), TwoTypes(), Section(2, imports)}), 25, "malformed import kind");
}

TEST(ImportSectionTest, UnknownType) {
  Bytes imports = Cat({{0x01}, Name("m"), Name("f"), {0x00, 0x07}});
  ExpectFailure(Cat({Preamble(), TwoTypes(), Section(2, imports)}), 26, "unknown type 7");
}

TEST(ImportSectionTest, MalformedMutability) {
  Bytes imports = Cat({{0x01}, Name("m"), Name("g"), {0x03, 0x7F, 0x02}});
  ExpectFailure(Cat({Preamble(), TwoTypes(), Section(2, imports)}), 27, "malformed mutability");
}

TEST(ImportSectionTest, MalformedUtf8Name) {
  Bytes imports = Cat({{0x01}, {0x01, 0xC0}, Name("g"), {0x03, 0x7F, 0x00}});
  ExpectFailure(Cat({Preamble(), TwoTypes(), Section(2, imports)}), 22, "malformed UTF-8 encoding");
}

TEST(FunctionSectionTest, CodeCountMismatch) {
  Bytes m = Cat({Preamble(), TwoTypes(), Section(3, {0x02, 0x00, 0x00}),
                 Section(10, Cat({{0x01, 0x02}, kEmptyBody}))});
  // Code section id at 23, length 24, count 25.
  ExpectFailure(m, 25, "function and code section have inconsistent lengths");
}

TEST(FunctionSectionTest, MissingCodeSection) {
  Bytes m = Cat({Preamble(), TwoTypes(), Section(3, {0x01, 0x00})});
  ExpectFailure(m, static_cast<uint32_t>(m.size()),
                "function and code section have inconsistent lengths");
}

TEST(FunctionSectionTest, UnknownType) {
  ExpectFailure(Cat({Preamble(), TwoTypes(), Section(3, {0x01, 0x09})}), 21, "unknown type 9");
}

TEST(CodeSectionTest, BodiesAndTrailingBytes) {
  ExpectVerifies(testing::ModuleWithBodies({kEmptyBody, kEmptyBody, {0x01, 0x01, 0x7F, 0x0B}}));
  // Code section with 0 bodies but a stray byte.
  Bytes m = Cat({Preamble(), Section(10, {0x00, 0x00})});
  ExpectFailure(m, 11, "section size mismatch");
}

// Body sizes in every LEB length the format allows (padded ones too) and a
// body over 127 bytes: the splitter reads whole bodies in place and falls
// back to reading byte by byte for a size or body that is not all there; both
// must find the same bodies at every split point.
TEST(CodeSectionTest, BodySizesOfEveryLebLength) {
  Bytes long_body = {0x00};  // no locals, 198 nops, end: 200 bytes
  long_body.insert(long_body.end(), 198, 0x01);
  long_body.push_back(0x0B);
  const std::vector<Bytes> sizes = {{0x02}, {0x82, 0x00}, {0x82, 0x80, 0x00},
                                    {0x82, 0x80, 0x80, 0x00}, {0x82, 0x80, 0x80, 0x80, 0x00},
                                    {0xC8, 0x01}};
  Bytes funcs = {0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};
  Bytes code = {0x06};
  std::vector<ByteRange> expected;
  const uint32_t code_payload = 8 + 6 + 9 + 3;  // preamble, type, function sections, code id+len
  for (size_t i = 0; i < sizes.size(); ++i) {
    const Bytes& body = i + 1 == sizes.size() ? long_body : kEmptyBody;
    code = Cat({code, sizes[i]});
    expected.push_back({code_payload + static_cast<uint32_t>(code.size()),
                        static_cast<uint32_t>(body.size())});
    code = Cat({code, body});
  }
  ASSERT_EQ(code.size(), 228u);  // a two-byte section length, as code_payload assumes
  Bytes m = Cat({Preamble(), Section(1, {0x01, 0x60, 0x00, 0x00}), Section(3, funcs),
                 Section(10, code)});
  ExpectVerifies(m);
  for (size_t chunk : {size_t{0}, size_t{1}, size_t{3}}) {
    CompileResult r = testing::CompileInChunks(m, chunk, Features::Wasm20());
    ASSERT_TRUE(r.ok()) << r.error().Format();
    ASSERT_EQ(r.value()->functions.size(), expected.size());
    for (size_t i = 0; i < expected.size(); ++i) {
      EXPECT_EQ(r.value()->functions[i].body.offset, expected[i].offset) << i;
      EXPECT_EQ(r.value()->functions[i].body.length, expected[i].length) << i;
    }
  }
}

// A body size whose LEB runs past the end of the code section, with more
// bytes after it (so the whole size looks readable) or without.
TEST(CodeSectionTest, BodySizeLebPastSectionEnd) {
  Bytes code_section = Section(10, {0x02, 0x02, 0x00, 0x0B, 0x80});
  Bytes head = Cat({Preamble(), Section(1, {0x01, 0x60, 0x00, 0x00}), Section(3, {0x02, 0x00, 0x00})});
  uint32_t section_end = static_cast<uint32_t>(head.size() + code_section.size());
  ExpectFailure(Cat({head, code_section, Section(0, Name("after"))}), section_end,
                "unexpected end of section or function");
  ExpectFailure(Cat({head, code_section}), section_end, "unexpected end of section or function");
}

TEST(CodeSectionTest, BodyPastSectionEnd) {
  // type, func, code section of 3 bytes: count 1, body size 5.
  Bytes m = Cat({Preamble(), Section(1, {0x01, 0x60, 0x00, 0x00}), Section(3, {0x01, 0x00}),
                 Section(10, {0x01, 0x05, 0x00})});
  ExpectFailure(m, 21, "unexpected end of section or function");
}

TEST(MemorySectionTest, Limits) {
  ExpectVerifies(Cat({Preamble(), Section(5, {0x01, 0x01, 0x00, 0x80, 0x80, 0x04})}));  // 0..65536
  ExpectFailure(Cat({Preamble(), Section(5, {0x01, 0x00, 0x81, 0x80, 0x04})}), 11,
                "memory size must be at most 65536 pages (4GiB)");
  ExpectFailure(Cat({Preamble(), Section(5, {0x01, 0x01, 0x02, 0x01})}), 11,
                "size minimum must not be greater than maximum");
}

TEST(MemorySectionTest, MultipleMemories) {
  Bytes m = Cat({Preamble(), Section(5, {0x02, 0x00, 0x00, 0x00, 0x00})});
  ExpectFailure(m, 10, "multiple memories");
  ExpectVerifies(m, Features::Wasm20().enable(Feature::kMultiMemory));
}

TEST(MemorySectionTest, SharedNeedsThreadsAndMax) {
  Bytes shared = Cat({Preamble(), Section(5, {0x01, 0x03, 0x01, 0x02})});
  ExpectFailure(shared, 11, "malformed limits flags");
  Features threads = Features::Wasm20().enable(Feature::kThreads);
  ExpectVerifies(shared, threads);
  ExpectFailure(Cat({Preamble(), Section(5, {0x01, 0x02, 0x01})}), 11,
                "shared memory must have maximum", threads);
}

TEST(MemorySectionTest, Memory64) {
  Features m64 = Features::Wasm20().enable(Feature::kMemory64);
  Bytes m = Cat({Preamble(), Section(5, {0x01, 0x05, 0x01, 0x80, 0x80, 0x04})});  // i64 1..65536
  ExpectVerifies(m, m64);
  ExpectFailure(m, 11, "malformed limits flags");
}

TEST(TableSectionTest, LimitsAndTypes) {
  ExpectVerifies(Cat({Preamble(), Section(4, {0x02, 0x70, 0x00, 0x01,                      // funcref 1
                                              0x6F, 0x01, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F})}));  // externref 0..2^32-1
  ExpectFailure(Cat({Preamble(), Section(4, {0x01, 0x7F, 0x00, 0x00})}), 11,
                "malformed reference type");
  ExpectFailure(Cat({Preamble(), Section(4, {0x01, 0x70, 0x01, 0x03, 0x02})}), 11,
                "size minimum must not be greater than maximum");
}

TEST(TableSectionTest, MultipleTablesNeedReferenceTypes) {
  Bytes m = Cat({Preamble(), Section(4, {0x02, 0x70, 0x00, 0x00, 0x70, 0x00, 0x00})});
  ExpectVerifies(m);
  ExpectFailure(m, 10, "multiple tables", Features::Wasm20().disable(Feature::kReferenceTypes));
}

TEST(ExportSectionTest, DuplicateName) {
  Bytes m = Cat({Preamble(), Section(5, {0x01, 0x00, 0x00}),
                 Section(7, Cat({{0x02}, Name("m"), {0x02, 0x00}, Name("m"), {0x02, 0x00}}))});
  ExpectFailure(m, 20, "duplicate export name");
}

// Many exports with long, similar names (as C++ modules export mangled ones):
// all distinct is valid; a duplicate of an early name at the very end is
// found, at the last export's offset. Compiled whole: ExpectFailure's every
// split point would be quadratic in the section's size.
Bytes ManyExports(uint32_t n, int duplicate_of) {
  Bytes entries = testing::U32Leb(n + (duplicate_of >= 0 ? 1 : 0));
  auto name = [](uint32_t i) {
    return "_ZN4core3ptr13drop_in_place17h" + std::to_string(i * 2654435761u) + "E";
  };
  for (uint32_t i = 0; i < n; ++i) entries = Cat({entries, Name(name(i)), {0x03, 0x00}});
  if (duplicate_of >= 0) entries = Cat({entries, Name(name(duplicate_of)), {0x03, 0x00}});
  Bytes global = Section(6, {0x01, 0x7F, 0x00, 0x41, 0x00, 0x0B});  // (global i32 (i32.const 0))
  return Cat({Preamble(), global, Section(7, entries)});
}

TEST(ExportSectionTest, ManyLongNames) {
  CompileResult ok = CompileModule(ManyExports(5000, -1));
  ASSERT_TRUE(ok.ok()) << ok.error().Format();
  EXPECT_EQ(ok.value()->exports.size(), 5000u);
  Bytes dup = ManyExports(5000, 17);
  CompileResult bad = CompileModule(dup);
  ASSERT_FALSE(bad.ok());
  Bytes last = Name("_ZN4core3ptr13drop_in_place17h" + std::to_string(17 * 2654435761u) + "E");
  EXPECT_EQ(bad.error().offset, dup.size() - last.size() - 2);
  EXPECT_EQ(bad.error().message.substr(0, 22), "duplicate export name ");
}

TEST(ExportSectionTest, UnknownIndexAndKind) {
  ExpectFailure(Cat({Preamble(), Section(7, Cat({{0x01}, Name("f"), {0x00, 0x00}}))}), 14,
                "unknown function 0");
  ExpectFailure(Cat({Preamble(), Section(7, Cat({{0x01}, Name("f"), {0x03, 0x02}}))}), 14,
                "unknown global 2");
  ExpectFailure(Cat({Preamble(), Section(7, Cat({{0x01}, Name("f"), {0x04, 0x00}}))}), 13,
                "malformed export kind");
}

TEST(StartSectionTest, TypeMustBeEmpty) {
  Bytes imports = Cat({{0x01}, Name("m"), Name("f"), {0x00, 0x01}});  // func [i32] -> []
  Bytes m = Cat({Preamble(), TwoTypes(), Section(2, imports), Section(8, {0x00})});
  ExpectFailure(m, static_cast<uint32_t>(m.size() - 1), "start function");
  ExpectFailure(Cat({Preamble(), Section(8, {0x03})}), 10, "unknown function 3");
}

TEST(GlobalSectionTest, ConstExprs) {
  ExpectVerifies(Cat({Preamble(), Section(6, {0x02,
                                              0x7F, 0x00, 0x41, 0x2A, 0x0B,    // i32 = 42
                                              0x7E, 0x01, 0x42, 0x01, 0x0B})}));  // mut i64 = 1
  ExpectFailure(Cat({Preamble(), Section(6, {0x01, 0x7F, 0x00, 0x42, 0x00, 0x0B})}), 15,
                "type mismatch");
}

TEST(ElementSectionTest, ActiveAndPassive) {
  Bytes m = Cat({Preamble(), Section(1, {0x01, 0x60, 0x00, 0x00}), Section(3, {0x01, 0x00}),
                 Section(4, {0x01, 0x70, 0x00, 0x01}),
                 Section(9, {0x02,
                             0x00, 0x41, 0x00, 0x0B, 0x01, 0x00,   // active table 0 at 0: func 0
                             0x01, 0x00, 0x01, 0x00}),             // passive funcref: func 0
                 Section(10, Cat({{0x01, 0x02}, kEmptyBody}))});
  ExpectVerifies(m);
  CompileResult r = CompileModule(m);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r.value()->functions[0].declared);
}

TEST(ElementSectionTest, Errors) {
  Bytes types_funcs = Cat({Section(1, {0x01, 0x60, 0x00, 0x00}), Section(3, {0x01, 0x00})});
  ExpectFailure(Cat({Preamble(), types_funcs, Section(9, {0x01, 0x00, 0x41, 0x00, 0x0B, 0x00})}),
                22, "unknown table 0");
  ExpectFailure(Cat({Preamble(), types_funcs, Section(9, {0x01, 0x08})}), 21,
                "malformed elements segment kind");
  ExpectFailure(Cat({Preamble(), types_funcs, Section(9, {0x01, 0x01, 0x00, 0x01, 0x05})}), 24,
                "unknown function 5");
}

TEST(DataSectionTest, ActivePassiveAndCount) {
  Bytes mem = Section(5, {0x01, 0x00, 0x01});
  Bytes data = Section(11, {0x02,
                            0x00, 0x41, 0x00, 0x0B, 0x02, 'h', 'i',  // active at 0: "hi"
                            0x01, 0x01, 'x'});                        // passive: "x"
  ExpectVerifies(Cat({Preamble(), mem, data}));
  ExpectVerifies(Cat({Preamble(), mem, Section(12, {0x02}), data}));
  Bytes wrong_count = Cat({Preamble(), mem, Section(12, {0x01}), data});
  ExpectFailure(wrong_count, 18, "data count and data section have inconsistent lengths");
  Bytes count_no_data = Cat({Preamble(), mem, Section(12, {0x01})});
  ExpectFailure(count_no_data, static_cast<uint32_t>(count_no_data.size()),
                "data count and data section have inconsistent lengths");
}

TEST(DataSectionTest, UnknownMemory) {
  ExpectFailure(Cat({Preamble(), Section(11, {0x01, 0x00, 0x41, 0x00, 0x0B, 0x00})}), 12,
                "unknown memory 0");
}

TEST(NameSectionTest, FunctionNameInBodyError) {
  Bytes names = Section(0, Cat({Name("name"),
                                {0x01, 0x06, 0x01, 0x01}, Name("add")}));  // function 1 is "add"
  // Function 1's body: i32.add on an empty stack.
  Bytes m = testing::ModuleWithBodies({kEmptyBody, {0x00, 0x6A, 0x0B}}, names);
  CompileResult r = CompileModule(m);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message.rfind("Compiling function #1 \"add\" failed: ", 0), 0u)
      << r.error().message;
  ExpectFailure(m, r.error().offset, "Compiling function #1 \"add\" failed: ");
}

TEST(BodyErrorTest, FirstInvalidFunctionWins) {
  Bytes bad = {0x00, 0x6A, 0x0B};  // i32.add with no operands
  std::vector<Bytes> bodies(40, kEmptyBody);
  bodies[7] = bad;
  bodies[30] = bad;
  Bytes m = testing::ModuleWithBodies(bodies);
  ExpectFailure(m, CompileModule(m).error().offset, "Compiling function #7 failed: ");
}

TEST(BodyErrorTest, BodyErrorBeatsLaterSectionError) {
  Bytes bad_data = Section(11, {0x01, 0x00, 0x41, 0x00, 0x0B, 0x00});  // unknown memory 0
  Bytes m = testing::ModuleWithBodies({kEmptyBody, {0x00, 0x6A, 0x0B}}, bad_data);
  ExpectFailure(m, CompileModule(m).error().offset, "Compiling function #1 failed: ");
}

}  // namespace
}  // namespace wasmstream::wasm
