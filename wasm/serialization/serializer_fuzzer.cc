// libFuzzer target for the serialized-module loader (a cache entry is hostile
// input). Built outside Bazel, with clang: fuzz/serializer.sh builds and runs it.
//
// Each input is used three ways:
//  - loaded as is;
//  - as (offset, xor) edits of a small valid serialized module, so byte
//    mutations reach deep into the format without a seed corpus; the same
//    edits of it without its wire bytes are loaded in two steps too (a
//    stream's entry read before its last byte) and must be judged alike;
//  - as typed edits of a real entry: the code cache's entry of a real module
//    (wasm/runtime/testdata/typed_code.wat, and the GC test module), whose
//    compiled code is edited operation by operation: a slot, branch target,
//    index or immediate operand set to another value of its kind, an
//    operation replaced by another of the same length, a handler, region or
//    frame field changed, a constant expression range or a global's type
//    swapped. Each edited entry is serialized and loaded like a cache hit.
// Properties: loading never crashes; a loaded module serializes back to
// bytes that load again; a deferred load (the code cache's way) hands out
// only code an eager load accepts; and code the verifier accepts runs
// without a memory error (each edited function is called when it surely
// ends: every branch goes forward, no calls), which ASan would report.
#include <cstdint>
#include <cstdlib>
#include <map>
#include <span>
#include <vector>

#include "wasm/runtime/code.h"
#include "wasm/runtime/code_verifier.h"
#include "wasm/runtime/instance.h"
#include "wasm/runtime/sink_factory.h"
#include "wasm/runtime/store.h"
#include "wasm/serialization/serializer.h"

namespace {

using namespace wasmstream::wasm;

#include "wasm/runtime/code_type_checker_test_module.inc"
#include "wasm/runtime/gc_test_modules.inc"

std::vector<uint8_t> ValidSample() {
  Module m;
  std::vector<uint8_t> wire(64, 0x41);
  const uint8_t exprs[][3] = {{0x42, 0x07, 0x0B}, {0x41, 0x00, 0x0B}, {0x41, 0x00, 0x0B}};
  for (int i = 0; i < 3; ++i) std::copy(exprs[i], exprs[i] + 3, wire.begin() + 30 + 5 * i);
  m.wire_bytes = std::move(wire);
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
  e.offset = ConstExpr{{35, 3}};
  e.func_indices = {1};
  m.elems = {e};
  m.data = {{SegmentMode::kActive, 0, ConstExpr{{40, 3}}, {44, 8}}};
  m.custom_sections = {{"c", {52, 4}}};
  auto c = std::make_shared<FunctionCode>();
  c->func_index = 1;
  c->num_param_slots = 1;
  c->num_result_slots = 1;
  c->num_local_slots = 3;
  c->frame_slots = 9;
  // i32.add of the constant and the parameter; a declared local (null) as
  // the result.
  c->code = {static_cast<uint32_t>(IOp::kI32Add), 4, 3, 0,
             static_cast<uint32_t>(IOp::kCopy), 0, 1, static_cast<uint32_t>(IOp::kReturn)};
  c->consts = {42};
  c->try_regions = {{0, 4, 0, 1}};
  c->handlers = {{2, 0, 4, 3}};
  m.code = {nullptr, c};
  return SerializeModule(m);
}

// Loads {bytes} eagerly and deferred; returns the deferred module (null when
// the bytes do not load).
std::shared_ptr<const Module> Check(std::span<const uint8_t> bytes) {
  auto r = DeserializeModule(bytes);
  if (!r.ok()) return nullptr;
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
  return deferred.value();
}

// The two-step load (PrepareModuleDeferred, then FinishPreparedModule once
// the wire bytes are in) must accept exactly what the one-step deferred load
// accepts, for payloads without wire bytes (the cache's).
void CheckTwoSteps(std::span<const uint8_t> bytes, const WireBytes& wire) {
  auto payload = std::make_shared<const std::vector<uint8_t>>(bytes.begin(), bytes.end());
  bool one = DeserializeModuleDeferred(payload, wire).ok();
  auto prepared = PrepareModuleDeferred(payload, wire.size());
  bool two = prepared.ok() && FinishPreparedModule(std::move(prepared).value(), wire).ok();
  if (one != two) std::abort();
}

// ---- typed edits of real entries ----

struct Input {
  const uint8_t* p;
  const uint8_t* end;
  bool more() const { return p < end; }
  uint32_t u8() { return p < end ? *p++ : 0; }
  uint32_t u16() { return u8() << 8 | u8(); }
  uint32_t u32() { return u16() << 16 | u16(); }
};

const std::vector<std::shared_ptr<const Module>>& RealModules() {
  static const auto* modules = [] {
    auto* v = new std::vector<std::shared_ptr<const Module>>;
    for (std::span<const uint8_t> bytes : {std::span<const uint8_t>(kTypedCodeWasm),
                                           std::span<const uint8_t>(kBasicWasm)}) {
      auto r = CompileRunnable(bytes, Features::All());
      if (!r.ok()) std::abort();
      v->push_back(r.value());
    }
    return v;
  }();
  return *modules;
}

// The code indices at which operations start.
std::vector<uint32_t> Starts(const FunctionCode& c) {
  std::vector<uint32_t> out;
  std::vector<OperandKind> kinds;
  for (size_t at = 0; at < c.code.size();) {
    uint32_t len = DescribeOperation(c.code, at, &kinds);
    if (len == 0) break;
    out.push_back(static_cast<uint32_t>(at));
    at += len;
  }
  return out;
}

// A value for an operand word of kind {k} in {c}.
uint32_t OperandValue(Input& in, OperandKind k, const FunctionCode& c, uint32_t old,
                      const std::vector<uint32_t>& starts) {
  uint32_t how = in.u8();
  switch (k) {
    case OperandKind::kSlot:
      // Mostly a slot of the frame (params, locals, constants, temporaries),
      // sometimes one just past it.
      return how < 16 ? old + (how & 7) - 3 : in.u8() % (c.frame_slots + 3);
    case OperandKind::kTarget:
      if (how < 8) return old + how - 4;
      return how < 240 && !starts.empty() ? starts[in.u16() % starts.size()]
                                          : static_cast<uint32_t>(c.code.size()) + (how & 3);
    case OperandKind::kIndex: return how < 128 ? old + (how & 7) - 3 : how & 15;
    case OperandKind::kImmediate:
      if (how < 64) return old ^ (1u << (how & 31));
      if (how < 128) return kAbstractBase + (how & 15);
      return how < 192 ? how & 15 : in.u32();
  }
  return old;
}

void EditCode(Input& in, FunctionCode& c) {
  std::vector<uint32_t> starts = Starts(c);
  uint32_t what = in.u8() % 10;
  if (what < 5 && !starts.empty()) {  // an operand
    uint32_t at = starts[in.u16() % starts.size()];
    std::vector<OperandKind> kinds;
    DescribeOperation(c.code, at, &kinds);
    if (kinds.empty()) return;
    uint32_t k = in.u8() % kinds.size();
    uint32_t& w = c.code[at + 1 + k];
    w = OperandValue(in, kinds[k], c, w, starts);
    return;
  }
  if (what < 7 && !starts.empty()) {  // an operation replaced by one of the same length
    uint32_t at = starts[in.u16() % starts.size()];
    std::vector<OperandKind> kinds;
    uint32_t len = DescribeOperation(c.code, at, &kinds);
    uint32_t old = c.code[at];
    for (int tries = 0; tries < 8; ++tries) {
      c.code[at] = in.u8() % static_cast<uint32_t>(IOp::kCount);
      kinds.clear();
      if (DescribeOperation(c.code, at, &kinds) == len) return;
    }
    c.code[at] = old;
    return;
  }
  if (what == 7 && !c.handlers.empty()) {
    CatchHandler& h = c.handlers[in.u8() % c.handlers.size()];
    uint32_t* fields[] = {&h.kind, &h.tag, &h.target, &h.dst_slot};
    *fields[in.u8() % 4] = in.u8() < 128 ? (starts.empty() ? 0 : starts[in.u16() % starts.size()])
                                         : in.u8() % 8;
    return;
  }
  if (what == 8 && !c.try_regions.empty()) {
    TryRegion& r = c.try_regions[in.u8() % c.try_regions.size()];
    uint32_t* fields[] = {&r.begin, &r.end, &r.first_handler, &r.num_handlers};
    *fields[in.u8() % 4] = starts.empty() || in.u8() < 64 ? in.u8() % 4 : starts[in.u16() % starts.size()];
    return;
  }
  switch (in.u8() % 4) {  // the frame
    case 0: c.num_local_slots += in.u8() % 3 - 1; break;
    case 1: c.frame_slots += in.u8() % 3 - 1; break;
    case 2: if (!c.consts.empty()) c.consts[in.u8() % c.consts.size()] = in.u8() < 128 ? 0 : in.u32(); break;
    default: c.num_result_slots += in.u8() % 3 - 1; break;
  }
}

// Module metadata an entry could lie about: constant expression ranges,
// global and table types, a function's type.
void EditModule(Input& in, Module& m) {
  std::vector<ConstExpr*> exprs;
  for (Global& g : m.globals) if (!g.imported) exprs.push_back(&g.init);
  for (ElemSegment& e : m.elems) {
    if (e.mode == SegmentMode::kActive) exprs.push_back(&e.offset);
    for (ConstExpr& x : e.exprs) exprs.push_back(&x);
  }
  for (DataSegment& d : m.data) if (d.mode == SegmentMode::kActive) exprs.push_back(&d.offset);
  switch (in.u8() % 4) {
    case 0:
      if (exprs.size() > 1) std::swap(*exprs[in.u8() % exprs.size()], *exprs[in.u8() % exprs.size()]);
      break;
    case 1:
      if (!m.globals.empty()) {
        Global& g = m.globals[in.u8() % m.globals.size()];
        if (in.u8() & 1) g.mutable_ = !g.mutable_;
        else g.type = m.globals[in.u8() % m.globals.size()].type;
      }
      break;
    case 2:
      if (!m.tables.empty()) m.tables[in.u8() % m.tables.size()].elem_type = ValueType::ExternRef();
      break;
    default:
      if (m.functions.size() > m.num_imported_functions && !m.types.empty()) {
        m.functions[m.num_imported_functions + in.u8() % (m.functions.size() - m.num_imported_functions)]
            .type_index = in.u8() % m.types.size();
      }
      break;
  }
}

// Whether {c} surely ends: every branch and landing pad lies ahead, and it
// calls nothing (an edited argument could make a callee loop for long).
bool Ends(const FunctionCode& c) {
  std::vector<OperandKind> kinds;
  for (size_t at = 0; at < c.code.size();) {
    kinds.clear();
    uint32_t len = DescribeOperation(c.code, at, &kinds);
    if (len == 0) return false;
    switch (static_cast<IOp>(c.code[at])) {
      case IOp::kCall: case IOp::kCallIndirect: case IOp::kCallRef: case IOp::kReturnCall:
      case IOp::kReturnCallIndirect: case IOp::kReturnCallRef:
        return false;
      default: break;
    }
    for (size_t k = 0; k < kinds.size(); ++k) {
      if (kinds[k] == OperandKind::kTarget && c.code[at + 1 + k] <= at) return false;
    }
    at += len;
  }
  for (const TryRegion& r : c.try_regions) {
    for (uint32_t h = 0; h < r.num_handlers && r.first_handler + h < c.handlers.size(); ++h) {
      if (c.handlers[r.first_handler + h].target < r.end) return false;
    }
  }
  return true;
}

// Calls each exported function whose code was edited, if the verifier let
// it through and it surely ends.
void RunEdited(const std::shared_ptr<const Module>& m, const std::map<uint32_t, FunctionCode>& edited) {
  if (!m->deferred_code) return;
  std::vector<std::pair<std::string, uint32_t>> calls;
  for (const auto& [f, unused] : edited) {
    auto code = m->deferred_code->Load(*m, f);
    if (!code || !Ends(*code)) continue;
    for (const Export& e : m->exports) {
      if (e.kind == ExternalKind::kFunction && e.index == f) calls.push_back({e.name, f});
    }
  }
  if (calls.empty()) return;
  Store store;
  auto inst = Instance::Instantiate(store, m, Imports());
  if (!inst.ok()) return;
  for (const auto& [name, f] : calls) {
    std::vector<Value> args;
    for (ValueType p : m->func_type(f).params) args.push_back(Value::Default(p));
    (void)inst.value()->CallExport(name, args);  // a trap is fine; a memory error is not
  }
}

void TypedEdits(Input in) {
  const auto& modules = RealModules();
  const Module& real = *modules[in.u8() % modules.size()];
  Module m = real;
  std::vector<uint32_t> defined;
  for (uint32_t f = 0; f < m.code.size(); ++f) if (m.code[f]) defined.push_back(f);
  std::map<uint32_t, FunctionCode> edited;
  uint32_t n = in.u8() % 6 + 1;
  for (uint32_t i = 0; i < n && in.more(); ++i) {
    if (in.u8() < 16) {
      EditModule(in, m);
      continue;
    }
    uint32_t f = defined[in.u16() % defined.size()];
    auto it = edited.try_emplace(f, *m.code[f]).first;
    EditCode(in, it->second);
  }
  for (auto& [f, c] : edited) m.code[f] = std::make_shared<FunctionCode>(c);
  std::vector<uint8_t> payload = SerializeModule(m);
  auto loaded = Check(payload);
  if (loaded) RunEdited(loaded, edited);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 64 * 1024) return 0;  // cap: larger inputs add nothing but time
  Check({data, size});
  static const std::vector<uint8_t> sample = [] {
    std::vector<uint8_t> s = ValidSample();
    if (!DeserializeModule(s).ok()) std::abort();  // the edits start from a loading entry
    return s;
  }();
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
  // The same edits of the sample without its wire bytes, loaded both ways.
  static const auto* omitted = [] {
    auto m = DeserializeModule(sample);
    if (!m.ok()) std::abort();
    return new std::pair<std::vector<uint8_t>, WireBytes>(
        SerializeModule(*m.value(), {.omit_wire_bytes = true}), m.value()->wire_bytes);
  }();
  std::vector<uint8_t> bare = omitted->first;
  for (size_t i = 0; i + 2 < size; i += 3) {
    size_t at = (size_t{data[i]} << 8 | data[i + 1]) % (bare.size() + 1);
    if (at == bare.size()) {
      bare.resize(data[i + 2] % bare.size());
    } else {
      bare[at] ^= data[i + 2];
    }
    if (bare.empty()) break;
  }
  CheckTwoSteps(bare, omitted->second);
  TypedEdits(Input{data, data + size});
  return 0;
}
