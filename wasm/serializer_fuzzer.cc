// libFuzzer target for the serialized-module loader (a cache entry is hostile
// input). Built outside Bazel, with clang:
//
//   clang++ -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -I. \
//     wasm/serializer_fuzzer.cc wasm/serializer.cc wasm/features.cc wasm/types.cc \
//     wasm/runtime/code_verifier.cc wasm/runtime/gc_types.cc wasm/opcodes.cc -o /tmp/serializer_fuzzer
//   /tmp/serializer_fuzzer -max_total_time=300 -max_len=4096
//
// Each input is loaded as is, and also used as a list of (offset, xor) edits
// on a valid serialized module with compiled code, so mutations reach deep
// into the format without a seed corpus. Properties: loading never crashes, a
// loaded module always serializes back to bytes that load again, and a
// deferred load (the code cache's way) hands out only code that passed the
// checks, whatever the bytes.
#include <cstdint>
#include <cstdlib>
#include <span>
#include <vector>

#include "wasm/runtime/code.h"
#include "wasm/serializer.h"

namespace {

using namespace wasmstream::wasm;

std::vector<uint8_t> ValidSample() {
  Module m;
  m.wire_bytes = std::vector<uint8_t>(64, 0x41);
  TypeDef t;
  t.func.params = {ValueType::I32()};
  t.func.results = {ValueType::Ref(HeapType::Index(0), true)};
  m.types = {t};
  m.imports = {{"env", "f", ExternalKind::kFunction, 0}};
  m.functions = {{0, true, false, {}}, {0, false, true, {10, 20}}};
  m.num_imported_functions = 1;
  m.tables = {{ValueType::FuncRef(), Limits{1, true, 2, false, false}, false, std::nullopt}};
  m.memories = {{Limits{1, false, 0, false, false}, false, 16}};
  m.globals = {{ValueType::I64(), false, false, ConstExpr{{30, 3}}}};
  m.exports = {{"f", ExternalKind::kFunction, 1}};
  ElemSegment e;
  e.offset = ConstExpr{{33, 3}};
  e.func_indices = {1};
  m.elems = {e};
  m.data = {{SegmentMode::kActive, 0, ConstExpr{{40, 3}}, {44, 8}}};
  m.custom_sections = {{"c", {52, 4}}};
  m.names.functions = {{1, "f"}};
  auto c = std::make_shared<FunctionCode>();
  c->func_index = 1;
  c->num_param_slots = 1;
  c->num_result_slots = 1;
  c->num_local_slots = 3;
  c->frame_slots = 9;
  c->code = {static_cast<uint32_t>(IOp::kI32Add), 3, 0, 1, static_cast<uint32_t>(IOp::kReturn)};
  c->consts = {42};
  c->try_regions = {{0, 4, 0, 1}};
  c->handlers = {{0, 0, 4, 3}};
  m.code = {nullptr, c};
  return SerializeModule(m);
}

void Check(std::span<const uint8_t> bytes) {
  auto r = DeserializeModule(bytes);
  if (!r.ok()) return;
  std::vector<uint8_t> again = SerializeModule(*r.value());
  if (!DeserializeModule(again).ok()) std::abort();
  // Deferred: whatever loads must be as checked as an eager load's code.
  auto deferred = DeserializeModuleDeferred(
      std::make_shared<const std::vector<uint8_t>>(bytes.begin(), bytes.end()));
  if (!deferred.ok()) std::abort();  // the eager load succeeded on the same bytes
  const Module& m = *deferred.value();
  for (uint32_t f = 0; f < m.functions.size(); ++f) {
    auto code = m.deferred_code ? m.deferred_code->Load(m, f) : nullptr;
    if (!code) continue;
    const auto& eager = r.value()->code;
    if (f >= eager.size() || !eager[f] || eager[f]->code != code->code) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 64 * 1024) return 0;  // cap: larger inputs add nothing but time
  Check({data, size});
  static const std::vector<uint8_t> sample = ValidSample();
  std::vector<uint8_t> edited = sample;
  for (size_t i = 0; i + 2 < size; i += 3) {
    size_t at = (size_t{data[i]} << 8 | data[i + 1]) % (edited.size() + 1);
    if (at == edited.size()) {
      edited.resize(data[i + 2] % edited.size());  // truncate
    } else {
      edited[at] ^= data[i + 2];
    }
    if (edited.empty()) break;
  }
  Check(edited);
  return 0;
}
