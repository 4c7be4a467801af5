#include "wasm/runtime/code_verifier.h"

#include <cstring>
#include <initializer_list>

#include "wasm/opcodes.h"
#include "wasm/runtime/code_type_checker.h"
#include "wasm/runtime/gc_types.h"
#include "wasm/runtime/limits.h"

namespace wasmstream::wasm {
namespace {

// Operand kinds of the interpreter's operations (code.h).
enum K : uint8_t {
  S,   // a 1-slot operand
  W,   // a 2-slot (v128) operand
  X,   // a slot of either width, or 0 (SIMD operands)
  B,   // a call's argument base (<= frame_slots)
  T,   // branch target
  F,   // function index
  G,   // global index
  TB,  // table index
  M,   // memory index
  TY,  // function type index
  TG,  // tag index
  E,   // element segment index
  D,   // data segment index
  I,   // a raw immediate
  O,   // a wasm opcode
  N,   // br_table: count n, then n+1 targets
};

// An operation's operands (at most 8), by kind.
struct Layout {
  uint8_t n = 0;
  K ops[8] = {};
  Layout() = default;
  Layout(std::initializer_list<K> kinds) {
    for (K k : kinds) ops[n++] = k;
  }
  const K* begin() const { return ops; }
  const K* end() const { return ops + n; }
};

// The operand kinds of {op}, in code order.
Layout LayoutOf(IOp op) {
  switch (op) {
#define WASMSTREAM_MEM(name) case IOp::k##name:
    WASMSTREAM_FOREACH_LOAD_IOP(WASMSTREAM_MEM)
    WASMSTREAM_FOREACH_STORE_IOP(WASMSTREAM_MEM)
#undef WASMSTREAM_MEM
      return Layout{S, S, I};
    case IOp::kUnreachable: case IOp::kReturn: return Layout{};
    case IOp::kCopy: return Layout{S, S};
    case IOp::kCopy2: return Layout{W, W};
    case IOp::kBr: return Layout{T};
    case IOp::kBrIf: case IOp::kBrUnless: case IOp::kBrOnNull: case IOp::kBrOnNonNull: return Layout{S, T};
    case IOp::kBrTable: return Layout{S, N};
    case IOp::kBrIfI32Eq: case IOp::kBrIfI32Ne: case IOp::kBrIfI32LtS: case IOp::kBrIfI32LtU:
    case IOp::kBrIfI32GtS: case IOp::kBrIfI32GtU: case IOp::kBrIfI32LeS: case IOp::kBrIfI32LeU:
    case IOp::kBrIfI32GeS: case IOp::kBrIfI32GeU:
      return Layout{S, S, T};
    case IOp::kCall: return Layout{F, B};
    case IOp::kCallIndirect: return Layout{TY, TB, S, B};
    case IOp::kCallRef: return Layout{S, B};
    case IOp::kReturnCall: return Layout{F, I};
    case IOp::kReturnCallIndirect: return Layout{TY, TB, S, I};
    case IOp::kReturnCallRef: return Layout{S, I};
    case IOp::kSelect: return Layout{S, S, S, S};
    case IOp::kSelect2: return Layout{W, W, W, S};
    case IOp::kGlobalGet: return Layout{S, G};
    case IOp::kGlobalGet2: return Layout{W, G};
    case IOp::kGlobalSet: return Layout{G, S};
    case IOp::kGlobalSet2: return Layout{G, W};
    case IOp::kTableGet: return Layout{S, TB, S};
    case IOp::kTableSet: return Layout{TB, S, S};
    case IOp::kTableSize: return Layout{S, TB};
    case IOp::kTableGrow: return Layout{S, TB, S, S};
    case IOp::kTableFill: return Layout{TB, S, S, S};
    case IOp::kTableCopy: return Layout{TB, TB, S, S, S};
    case IOp::kTableInit: return Layout{TB, E, S, S, S};
    case IOp::kElemDrop: return Layout{E};
    case IOp::kRefIsNull: case IOp::kRefAsNonNull: return Layout{S, S};
    case IOp::kRefFunc: return Layout{S, F};
    case IOp::kMemorySize: return Layout{S, M};
    case IOp::kMemoryGrow: return Layout{S, M, S};
    case IOp::kMemoryFill: return Layout{M, S, S, S};
    case IOp::kMemoryCopy: return Layout{M, M, S, S, S};
    case IOp::kMemoryInit: return Layout{M, D, S, S, S};
    case IOp::kDataDrop: return Layout{D};
    case IOp::kLoadX: case IOp::kStoreX: return Layout{O, S, S, M, I, I};
    case IOp::kSimd: return Layout{O, X, X, X, X, I};
    case IOp::kSimdMem: return Layout{O, X, S, X, M, I, I, I};
    case IOp::kAtomic: return Layout{O, X, S, X, X, M, I, I};
    case IOp::kThrow: return Layout{TG, B};
    case IOp::kThrowRef: return Layout{S};
    case IOp::kGc: return Layout{O, X, B, I, I};  // checked further by VerifyGc
    case IOp::kBrOnCast: return Layout{S, I, I, I, T};
#define WASMSTREAM_NUMERIC(name)                                           \
  case IOp::k##name:                                                       \
    return SigParams(InfoOf(Opcode::k##name).sig).size() == 1 ? Layout{S, S} \
                                                               : Layout{S, S, S};
    WASMSTREAM_FOREACH_NUMERIC_IOP(WASMSTREAM_NUMERIC)
#undef WASMSTREAM_NUMERIC
    case IOp::kCount: break;
  }
  return {};
}

// LayoutOf for every operation, computed once (the verifier asks per word).
const Layout& LayoutFor(IOp op) {
  static const std::vector<Layout> table = [] {
    std::vector<Layout> t(static_cast<size_t>(IOp::kCount));
    for (size_t i = 0; i < t.size(); ++i) t[i] = LayoutOf(static_cast<IOp>(i));
    return t;
  }();
  return table[static_cast<size_t>(op)];
}

bool Ends(IOp op) {
  switch (op) {
    case IOp::kUnreachable: case IOp::kReturn: case IOp::kBr: case IOp::kBrTable:
    case IOp::kReturnCall: case IOp::kReturnCallIndirect: case IOp::kReturnCallRef:
    case IOp::kThrow: case IOp::kThrowRef:
      return true;
    default:
      return false;
  }
}

bool HeapOk(const Module& m, uint32_t heap) {
  return heap < m.types.size() || (heap >= kAbstractBase &&
                                   heap <= static_cast<uint32_t>(AbstractHeap::kNoExn));
}

// The immediates of an IOp::kGc at {pc} name types and segments of {m} of
// the right kinds, and its operands and result lie in the frame.
bool VerifyGc(const Module& m, const uint32_t* pc, uint32_t frame_slots) {
  const Opcode op = static_cast<Opcode>(pc[1]);
  const uint32_t dst = pc[2], base = pc[3], imm1 = pc[4], imm2 = pc[5];
  auto kind_is = [&](uint32_t t, CompositeKind k) {
    return t < m.types.size() && m.types[t].kind == k;
  };
  auto is_struct = [&](uint32_t t) { return kind_is(t, CompositeKind::kStruct); };
  auto is_array = [&](uint32_t t) { return kind_is(t, CompositeKind::kArray); };
  auto width = [](const FieldType& f) -> uint32_t { return f.type.kind == ValueKind::kV128 ? 2 : 1; };
  auto elem = [&](uint32_t t) -> const FieldType& { return m.types[t].fields[0]; };
  uint64_t operands = 0;
  uint32_t result = 1;
  switch (op) {
    case Opcode::kStructNew:
      if (!is_struct(imm1)) return false;
      for (const FieldType& f : m.types[imm1].fields) operands += width(f);
      break;
    case Opcode::kStructNewDefault:
      if (!is_struct(imm1)) return false;
      break;
    case Opcode::kStructGet: case Opcode::kStructGetS: case Opcode::kStructGetU:
    case Opcode::kStructSet:
      if (!is_struct(imm1) || imm2 >= m.types[imm1].fields.size()) return false;
      if (op == Opcode::kStructSet) {
        operands = 1 + width(m.types[imm1].fields[imm2]);
        result = 0;
      } else {
        operands = 1;
        result = width(m.types[imm1].fields[imm2]);
      }
      break;
    case Opcode::kArrayNew:
      if (!is_array(imm1)) return false;
      operands = width(elem(imm1)) + 1;
      break;
    case Opcode::kArrayNewDefault:
      if (!is_array(imm1)) return false;
      operands = 1;
      break;
    case Opcode::kArrayNewFixed:
      if (!is_array(imm1)) return false;
      operands = uint64_t{imm2} * width(elem(imm1));
      break;
    case Opcode::kArrayNewData: case Opcode::kArrayInitData:
      // Raw bytes must never become references.
      if (!is_array(imm1) || elem(imm1).type.is_ref() || imm2 >= m.data.size()) return false;
      operands = op == Opcode::kArrayNewData ? 2 : 4;
      result = op == Opcode::kArrayNewData ? 1 : 0;
      break;
    case Opcode::kArrayNewElem: case Opcode::kArrayInitElem:
      if (!is_array(imm1) || !elem(imm1).type.is_ref() || imm2 >= m.elems.size()) return false;
      operands = op == Opcode::kArrayNewElem ? 2 : 4;
      result = op == Opcode::kArrayNewElem ? 1 : 0;
      break;
    case Opcode::kArrayGet: case Opcode::kArrayGetS: case Opcode::kArrayGetU:
      if (!is_array(imm1)) return false;
      operands = 2;
      result = width(elem(imm1));
      break;
    case Opcode::kArraySet:
      if (!is_array(imm1)) return false;
      operands = 2 + width(elem(imm1));
      result = 0;
      break;
    case Opcode::kArrayFill:
      if (!is_array(imm1)) return false;
      operands = 3 + width(elem(imm1));
      result = 0;
      break;
    case Opcode::kArrayCopy:
      if (!is_array(imm1) || !is_array(imm2) ||
          FieldBytes(elem(imm1)) != FieldBytes(elem(imm2)) ||
          elem(imm1).type.is_ref() != elem(imm2).type.is_ref()) {
        return false;
      }
      operands = 5;
      result = 0;
      break;
    case Opcode::kArrayLen: case Opcode::kRefI31: case Opcode::kI31GetS: case Opcode::kI31GetU:
      operands = 1;
      break;
    case Opcode::kRefTest: case Opcode::kRefTestNull: case Opcode::kRefCast:
    case Opcode::kRefCastNull:
      if (!HeapOk(m, imm1)) return false;
      operands = 1;
      break;
    default:
      return false;
  }
  if (result && (dst >= frame_slots || result > frame_slots - dst)) return false;
  return base <= frame_slots && operands <= frame_slots - base;
}

}  // namespace

uint32_t DescribeOperation(std::span<const uint32_t> code, size_t at, std::vector<OperandKind>* kinds) {
  if (at >= code.size() || code[at] >= static_cast<uint32_t>(IOp::kCount)) return 0;
  size_t p = at + 1;
  for (K k : LayoutFor(static_cast<IOp>(code[at]))) {
    if (p >= code.size()) return 0;
    switch (k) {
      case S: case W: case X: case B: kinds->push_back(OperandKind::kSlot); break;
      case T: kinds->push_back(OperandKind::kTarget); break;
      case F: case G: case TB: case M: case TY: case TG: case E: case D:
        kinds->push_back(OperandKind::kIndex);
        break;
      case I: case O: kinds->push_back(OperandKind::kImmediate); break;
      case N: {
        uint32_t n = code[p];
        if (n >= code.size() - p - 1) return 0;
        kinds->push_back(OperandKind::kImmediate);
        for (uint32_t i = 0; i <= n; ++i) kinds->push_back(OperandKind::kTarget);
        p += n + 1;
        break;
      }
    }
    ++p;
  }
  return static_cast<uint32_t>(p - at);
}

const char* NameOf(IOp op) {
  switch (op) {
#define WASMSTREAM_NAME(name) case IOp::k##name: return #name;
    WASMSTREAM_FOREACH_NUMERIC_IOP(WASMSTREAM_NAME)
    WASMSTREAM_FOREACH_LOAD_IOP(WASMSTREAM_NAME)
    WASMSTREAM_FOREACH_STORE_IOP(WASMSTREAM_NAME)
    WASMSTREAM_FOREACH_OTHER_IOP(WASMSTREAM_NAME)
#undef WASMSTREAM_NAME
    case IOp::kCount: break;
  }
  return "?";
}

Status VerifyFunctionCode(const Module& m, const FunctionCode& c) {
  auto fail = [&](const std::string& what) {
    return CompileError{0, "invalid compiled code of function #" + std::to_string(c.func_index) +
                               ": " + what};
  };
  if (c.func_index < m.num_imported_functions || c.func_index >= m.functions.size()) {
    return fail("function index");
  }
  const FuncType& type = m.func_type(c.func_index);
  uint32_t params = 0, results = 0;
  for (ValueType t : type.params) params += t.kind == ValueKind::kV128 ? 2 : 1;
  for (ValueType t : type.results) results += t.kind == ValueKind::kV128 ? 2 : 1;
  if (c.num_param_slots != params || c.num_result_slots != results) return fail("signature");
  if (c.num_local_slots < params || c.frame_slots < c.num_local_slots ||
      c.consts.size() > c.frame_slots - c.num_local_slots || c.frame_slots < results ||
      c.frame_slots > kValueStackSlots || c.code.empty() || c.code.size() > kMaxCodeWords) {
    return fail("frame layout");
  }
  auto tag_slots = [&](uint32_t tag) {
    uint32_t n = 0;
    for (ValueType t : m.types[m.tags[tag].type_index].func.params) n += t.kind == ValueKind::kV128 ? 2 : 1;
    return n;
  };
  const size_t size = c.code.size();
  // Per-thread buffers, reused from function to function.
  thread_local std::vector<uint8_t> boundary;
  thread_local std::vector<uint32_t> targets, starts;
  boundary.assign(size + 1, 0);
  targets.clear();
  starts.clear();
  size_t pc = 0;
  IOp last = IOp::kUnreachable;
  auto slot_ok = [&](uint32_t s, uint32_t width) { return s < c.frame_slots && width <= c.frame_slots - s; };
  while (pc < size) {
    boundary[pc] = 1;
    starts.push_back(static_cast<uint32_t>(pc));
    if (c.code[pc] >= static_cast<uint32_t>(IOp::kCount)) return fail("unknown operation");
    IOp op = static_cast<IOp>(c.code[pc]);
    last = op;
    size_t at = pc + 1;
    for (K k : LayoutFor(op)) {
      if (at >= size) return fail("truncated operation");
      uint32_t w = c.code[at++];
      switch (k) {
        case S: if (!slot_ok(w, 1)) return fail("slot"); break;
        case W: if (!slot_ok(w, 2)) return fail("slot"); break;
        case X: if (w != 0 && !slot_ok(w, 2) && !slot_ok(w, 1)) return fail("slot"); break;
        case B: if (w > c.frame_slots) return fail("argument base"); break;
        case T: targets.push_back(w); break;
        case F: if (w >= m.functions.size()) return fail("function index"); break;
        case G: if (w >= m.globals.size()) return fail("global index"); break;
        case TB: if (w >= m.tables.size()) return fail("table index"); break;
        case M: if (w >= m.memories.size()) return fail("memory index"); break;
        case TY:
          if (w >= m.types.size() || m.types[w].kind != CompositeKind::kFunc) return fail("type index");
          break;
        case TG: if (w >= m.tags.size()) return fail("tag index"); break;
        case E: if (w >= m.elems.size()) return fail("element segment index"); break;
        case D: if (w >= m.data.size()) return fail("data segment index"); break;
        case I: break;
        case O: if (!LookupOpcode(static_cast<uint8_t>(w >> 16), w & 0xFFFF)) return fail("opcode"); break;
        case N: {
          if (w > size - at - 1) return fail("br_table");
          for (uint32_t i = 0; i <= w; ++i) targets.push_back(c.code[at++]);
          break;
        }
      }
    }
    if (op == IOp::kGc && !VerifyGc(m, &c.code[pc], c.frame_slots)) return fail("GC operation");
    if (op == IOp::kBrOnCast && !HeapOk(m, c.code[pc + 2])) return fail("cast type");
    if (op == IOp::kThrow && tag_slots(c.code[pc + 1]) > c.frame_slots - c.code[pc + 2]) {
      return fail("throw payload");
    }
    pc = at;
  }
  if (!Ends(last)) return fail("falls off the end");
  for (uint32_t t : targets) {
    if (t >= size || !boundary[t]) return fail("branch target");
  }
  boundary[size] = 1;
  for (size_t i = 0; i < c.try_regions.size(); ++i) {
    const TryRegion& r = c.try_regions[i];
    if (r.begin > r.end || r.end > size || !boundary[r.begin] || !boundary[r.end] ||
        r.first_handler > c.handlers.size() ||
        r.num_handlers > c.handlers.size() - r.first_handler) {
      return fail("try region");
    }
    // A delegate resumes the handler search at an earlier region, so the
    // search always ends.
    for (uint32_t h = r.first_handler; h < r.first_handler + r.num_handlers; ++h) {
      if (c.handlers[h].kind == kHandlerDelegate && c.handlers[h].tag > i) return fail("delegate");
    }
  }
  for (const CatchHandler& h : c.handlers) {
    if (h.kind == kHandlerDelegate) {  // tag: 1 + the region the search resumes at, or 0
      if (h.tag > c.try_regions.size()) return fail("delegate");
      continue;
    }
    if (h.kind > kHandlerLegacyCatchAll || h.target >= size || !boundary[h.target] ||
        h.dst_slot > c.frame_slots) {
      return fail("catch handler");
    }
    uint32_t payload = (h.kind == 1 || h.kind == 3 || h.kind >= kHandlerLegacyCatch) ? 1 : 0;
    if (h.kind == 0 || h.kind == 1 || h.kind == kHandlerLegacyCatch) {
      if (h.tag >= m.tags.size()) return fail("catch tag");
      payload += tag_slots(h.tag);
    }
    if (payload > c.frame_slots - h.dst_slot) return fail("catch payload");
  }
  return CheckCodeTypes(m, c, starts);
}

}  // namespace wasmstream::wasm
