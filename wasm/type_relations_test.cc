// Subtyping and iso-recursive equivalence (core spec 3.0, "Matching").
#include "wasm/type_relations.h"

#include <gtest/gtest.h>

namespace wasmstream::wasm {
namespace {

ValueType Ref(uint32_t index, bool nullable) {
  return ValueType::Ref(HeapType::Index(index), nullable);
}
ValueType Abs(AbstractHeap h, bool nullable) {
  return ValueType::Ref(HeapType::Abstract(h), nullable);
}

// Appends a rec group of {defs} to {m}.
void AddGroup(Module* m, std::vector<TypeDef> defs) {
  uint32_t start = static_cast<uint32_t>(m->types.size());
  for (TypeDef& d : defs) {
    d.rec_group_start = start;
    d.rec_group_size = static_cast<uint32_t>(defs.size());
    m->types.push_back(d);
  }
}

TypeDef Struct(std::vector<FieldType> fields, bool is_final = true,
               std::vector<uint32_t> supers = {}) {
  TypeDef t;
  t.kind = CompositeKind::kStruct;
  t.fields = std::move(fields);
  t.is_final = is_final;
  t.supertypes = std::move(supers);
  return t;
}

TypeDef Func(std::vector<ValueType> params, std::vector<ValueType> results) {
  TypeDef t;
  t.func = {std::move(params), std::move(results)};
  return t;
}

TEST(TypeRelationsTest, NumericTypesMatchOnlyThemselves) {
  Module m;
  EXPECT_TRUE(IsSubtype(m, ValueType::I32(), ValueType::I32()));
  EXPECT_FALSE(IsSubtype(m, ValueType::I32(), ValueType::I64()));
  EXPECT_TRUE(IsSubtype(m, ValueType::Bottom(), ValueType::V128()));
  EXPECT_FALSE(IsSubtype(m, ValueType::FuncRef(), ValueType::I32()));
}

TEST(TypeRelationsTest, AbstractHierarchies) {
  Module m;
  EXPECT_TRUE(IsSubtype(m, Abs(AbstractHeap::kI31, false), Abs(AbstractHeap::kEq, true)));
  EXPECT_TRUE(IsSubtype(m, Abs(AbstractHeap::kNone, true), Abs(AbstractHeap::kStruct, true)));
  EXPECT_FALSE(IsSubtype(m, Abs(AbstractHeap::kNone, true), Abs(AbstractHeap::kFunc, true)));
  EXPECT_TRUE(IsSubtype(m, Abs(AbstractHeap::kNoExtern, true), ValueType::ExternRef()));
  EXPECT_FALSE(IsSubtype(m, Abs(AbstractHeap::kAny, true), Abs(AbstractHeap::kEq, true)));
  EXPECT_FALSE(IsSubtype(m, Abs(AbstractHeap::kEq, true), Abs(AbstractHeap::kEq, false)))
      << "nullable is not a sub type of non-nullable";
  EXPECT_EQ(TopOf(m, HeapType::Abstract(AbstractHeap::kNoExn)), AbstractHeap::kExn);
}

TEST(TypeRelationsTest, ConcreteTypesAndDeclaredSupertypes) {
  Module m;
  AddGroup(&m, {Struct({}, /*is_final=*/false)});                       // 0
  AddGroup(&m, {Struct({FieldType{ValueType::I32()}}, true, {0})});     // 1 <: 0
  AddGroup(&m, {Func({}, {})});                                        // 2
  EXPECT_TRUE(IsSubtype(m, Ref(1, false), Ref(0, true)));
  EXPECT_FALSE(IsSubtype(m, Ref(0, false), Ref(1, true)));
  EXPECT_TRUE(IsSubtype(m, Ref(1, false), Abs(AbstractHeap::kStruct, false)));
  EXPECT_TRUE(IsSubtype(m, Ref(1, true), Abs(AbstractHeap::kAny, true)));
  EXPECT_TRUE(IsSubtype(m, Ref(2, false), ValueType::FuncRef()));
  EXPECT_FALSE(IsSubtype(m, Ref(2, false), Abs(AbstractHeap::kAny, true)));
  EXPECT_TRUE(IsSubtype(m, Abs(AbstractHeap::kNoFunc, true), Ref(2, true)));
  EXPECT_TRUE(CompositeMatches(m, 1, 0));
}

TEST(TypeRelationsTest, IsoRecursiveEquivalence) {
  Module m;
  // Two identical self-referential groups: (rec (struct (field (ref null 0))))
  AddGroup(&m, {Struct({FieldType{Ref(0, true)}})});  // 0
  AddGroup(&m, {Struct({FieldType{Ref(1, true)}})});  // 1: same shape, refers to itself
  AddGroup(&m, {Struct({FieldType{Ref(0, true)}})});  // 2: refers to type 0, not itself
  EXPECT_TRUE(TypesEquivalent(m, 0, 1));
  EXPECT_FALSE(TypesEquivalent(m, 0, 2));
  EXPECT_TRUE(IsSubtype(m, Ref(1, false), Ref(0, true)));
  // Groups of two, and the position inside the group matters.
  AddGroup(&m, {Func({}, {}), Func({ValueType::I32()}, {})});  // 3, 4
  AddGroup(&m, {Func({}, {}), Func({ValueType::I32()}, {})});  // 5, 6
  EXPECT_TRUE(TypesEquivalent(m, 3, 5));
  EXPECT_TRUE(TypesEquivalent(m, 4, 6));
  EXPECT_FALSE(TypesEquivalent(m, 3, 6));
  EXPECT_FALSE(TypesEquivalent(m, 3, 4)) << "same group, other position";
}

TEST(TypeRelationsTest, FunctionSubtypingIsContravariant) {
  Module m;
  TypeDef super = Func({Ref(0, false)}, {Abs(AbstractHeap::kAny, true)});
  super.is_final = false;
  AddGroup(&m, {Struct({})});                                                    // 0
  AddGroup(&m, {super});                                                         // 1
  TypeDef sub = Func({Abs(AbstractHeap::kStruct, true)}, {Ref(0, false)});
  sub.supertypes = {1};
  AddGroup(&m, {sub});                                                           // 2
  TypeDef bad = Func({Abs(AbstractHeap::kNone, true)}, {Ref(0, false)});
  bad.supertypes = {1};
  AddGroup(&m, {bad});                                                           // 3
  EXPECT_TRUE(CompositeMatches(m, 2, 1));
  EXPECT_FALSE(CompositeMatches(m, 3, 1)) << "params must widen, not narrow";
}

TEST(TypeRelationsTest, MutableFieldsAreInvariant) {
  Module m;
  FieldType mut_any{Abs(AbstractHeap::kAny, true), Packed::kNone, true};
  FieldType mut_eq{Abs(AbstractHeap::kEq, true), Packed::kNone, true};
  FieldType imm_any{Abs(AbstractHeap::kAny, true), Packed::kNone, false};
  FieldType imm_eq{Abs(AbstractHeap::kEq, true), Packed::kNone, false};
  EXPECT_FALSE(IsFieldSubtype(m, mut_eq, mut_any));
  EXPECT_TRUE(IsFieldSubtype(m, imm_eq, imm_any));
  EXPECT_FALSE(IsFieldSubtype(m, imm_eq, mut_any));
}

}  // namespace
}  // namespace wasmstream::wasm
