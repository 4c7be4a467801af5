#include "wasm/runtime/code_type_checker.h"

#include <algorithm>
#include <cstring>
#include <string>

#include "wasm/code_sink.h"
#include "wasm/decoder.h"
#include "wasm/section_reader.h"
#include "wasm/opcodes.h"
#include "wasm/type_relations.h"

namespace wasmstream::wasm {
namespace {

// A slot's abstract type. Numbers and v128 halves are small codes; a
// reference is kRefBase + its heap type (abstract heap types first, then
// type indices), with kNonNull set when it cannot be null.
using Ty = uint32_t;
constexpr Ty kUnknown = 0;
constexpr Ty kI32 = 1, kI64 = 2, kF32 = 3, kF64 = 4;
constexpr Ty kVLo = 5, kVHi = 6;  // the halves of a v128
constexpr Ty kNum = 7;            // a constant: valid as any number
constexpr Ty kZero = 8;           // the constant 0: any number, or null
constexpr Ty kRefBase = 16;
constexpr Ty kAbstractCount = 16;
constexpr Ty kNonNull = 0x8000'0000;

bool IsRef(Ty t) { return (t & ~kNonNull) >= kRefBase; }
bool NonNull(Ty t) { return (t & kNonNull) != 0; }

Ty RefTy(HeapType h, bool nullable) {
  Ty t = h.is_index() ? kRefBase + kAbstractCount + h.index() : kRefBase + (h.code - kAbstractBase);
  return nullable ? t : t | kNonNull;
}
HeapType HeapOf(Ty t) {
  Ty v = (t & ~kNonNull) - kRefBase;
  return v >= kAbstractCount ? HeapType::Index(v - kAbstractCount) : HeapType{kAbstractBase + v};
}
Ty NumTy(ValueKind k) {
  switch (k) {
    case ValueKind::kI32: return kI32;
    case ValueKind::kI64: return kI64;
    case ValueKind::kF32: return kF32;
    case ValueKind::kF64: return kF64;
    default: return kUnknown;
  }
}

uint32_t Width(ValueType t) { return t.kind == ValueKind::kV128 ? 2 : 1; }

const char* NumName(Ty t) {
  static const char* const kNames[] = {"unknown", "i32", "i64", "f32", "f64", "v128", "v128"};
  return t < 7 ? kNames[t] : "a number";
}

// Per numeric/load/store IOp: its operand and result number types.
struct NumSig {
  uint8_t nparams = 0;
  Ty params[2] = {};
  Ty result = kUnknown;
};
const NumSig& NumSigOf(IOp op) {
  static const std::vector<NumSig> table = [] {
    std::vector<NumSig> t(static_cast<size_t>(IOp::kCount));
    auto fill = [&](IOp iop, Opcode op) {
      const OpcodeInfo& info = InfoOf(op);
      NumSig& s = t[static_cast<size_t>(iop)];
      auto params = SigParams(info.sig);
      auto results = SigResults(info.sig);
      s.nparams = static_cast<uint8_t>(params.size());
      for (size_t i = 0; i < params.size() && i < 2; ++i) s.params[i] = NumTy(params[i].kind);
      s.result = results.empty() ? kUnknown : NumTy(results[0].kind);
    };
#define WASMSTREAM_FILL(name) fill(IOp::k##name, Opcode::k##name);
    WASMSTREAM_FOREACH_NUMERIC_IOP(WASMSTREAM_FILL)
    WASMSTREAM_FOREACH_LOAD_IOP(WASMSTREAM_FILL)
    WASMSTREAM_FOREACH_STORE_IOP(WASMSTREAM_FILL)
#undef WASMSTREAM_FILL
    return t;
  }();
  return table[static_cast<size_t>(op)];
}

bool IsLoadOpcode(Opcode op) {
  switch (op) {
#define WASMSTREAM_CASE(name) case Opcode::k##name:
    WASMSTREAM_FOREACH_LOAD_IOP(WASMSTREAM_CASE)
#undef WASMSTREAM_CASE
    return true;
    default: return false;
  }
}
bool IsStoreOpcode(Opcode op) {
  switch (op) {
#define WASMSTREAM_CASE(name) case Opcode::k##name:
    WASMSTREAM_FOREACH_STORE_IOP(WASMSTREAM_CASE)
#undef WASMSTREAM_CASE
    return true;
    default: return false;
  }
}

constexpr int kMaxPasses = 64;

class Checker {
 public:
  Checker(const Module& m, const FunctionCode& c, const std::vector<uint32_t>& starts)
      : m_(m), c_(c), starts_(starts), n_(c.frame_slots), type_(m.func_type(c.func_index)) {}

  Status Run() {
    label_of_.assign(c_.code.size(), -1);
    num_labels_ = 0;
    auto add_label = [&](uint32_t at) {
      if (label_of_[at] < 0) label_of_[at] = static_cast<int32_t>(num_labels_++);
    };
    for (uint32_t at : starts_) ForEachTarget(at, add_label);
    for (const CatchHandler& h : c_.handlers) {
      if (h.kind != kHandlerDelegate) add_label(h.target);
    }
    label_at_.assign(num_labels_, kNoState);
    arena_.clear();
    // A pass after the first starts at the lowest label a backward branch
    // changed: everything before it would come out the same.
    size_t first = 0;
    for (int pass = 0; pass < kMaxPasses; ++pass) {
      pass_changed_ = false;
      lowest_changed_ = UINT32_MAX;
      if (first == 0) EntryState();
      reachable_ = first == 0;  // else the label at {first} gives the state
      for (size_t i = first; i < starts_.size(); ++i) {
        const uint32_t at = starts_[i];
        pc_ = at;
        if (label_of_[at] >= 0) {
          if (reachable_) Merge(at, cur_, /*fallthrough=*/true);
          const uint32_t state = label_at_[label_of_[at]];
          reachable_ = state != kNoState;
          if (reachable_) cur_.assign(arena_.begin() + state, arena_.begin() + state + n_);
        }
        if (!reachable_) continue;
        if (!Step()) return CompileError{0, Message()};
      }
      if (!pass_changed_) return Ok{};
      first = std::lower_bound(starts_.begin(), starts_.end(), lowest_changed_) - starts_.begin();
    }
    return CompileError{0, "invalid compiled code of function #" + std::to_string(c_.func_index) +
                               ": slot types do not settle"};
  }

 private:
  uint32_t W(uint32_t i) const { return c_.code[pc_ + i]; }

  std::string Message() const {
    return "invalid compiled code of function #" + std::to_string(c_.func_index) + ": " + what_ +
           " at code " + std::to_string(pc_) + " (" + NameOf(static_cast<IOp>(c_.code[pc_])) + ")";
  }
  bool Fail(std::string what) {
    what_ = std::move(what);
    return false;
  }
  bool SlotFail(uint32_t slot, const std::string& expected) {
    return Fail("slot " + std::to_string(slot) + " is not " + expected);
  }

  // Calls {f} with each branch target of the operation at {at}.
  template <typename Fn>
  void ForEachTarget(uint32_t at, Fn&& f) const {
    const std::vector<uint32_t>& code = c_.code;
    switch (static_cast<IOp>(code[at])) {
      case IOp::kBr: f(code[at + 1]); break;
      case IOp::kBrIf: case IOp::kBrUnless: case IOp::kBrOnNull: case IOp::kBrOnNonNull:
        f(code[at + 2]);
        break;
      case IOp::kBrIfI32Eq: case IOp::kBrIfI32Ne: case IOp::kBrIfI32LtS: case IOp::kBrIfI32LtU:
      case IOp::kBrIfI32GtS: case IOp::kBrIfI32GtU: case IOp::kBrIfI32LeS: case IOp::kBrIfI32LeU:
      case IOp::kBrIfI32GeS: case IOp::kBrIfI32GeU:
        f(code[at + 3]);
        break;
      case IOp::kBrTable:
        for (uint32_t i = 0; i <= code[at + 2]; ++i) f(code[at + 3 + i]);
        break;
      case IOp::kBrOnCast: f(code[at + 5]); break;
      default: break;
    }
  }

  void EntryState() {
    cur_.assign(n_, kUnknown);
    uint32_t s = 0;
    for (ValueType t : type_.params) {
      Def(s, t);
      s += Width(t);
    }
    // Declared locals start zeroed: 0 is a value of every declared type
    // (nullable for references). Typed as declared, a local written in a
    // loop leaves the loop's state as it was, so one pass usually settles.
    for (; s < c_.num_local_slots; ++s) cur_[s] = kZero;
    s = c_.num_param_slots;
    for (ValueType t : DeclaredLocals()) {
      if (t.is_ref()) t.nullable = true;
      Def(s, t);
      s += Width(t);
    }
    for (size_t i = 0; i < c_.consts.size(); ++i) {
      cur_[c_.num_local_slots + i] = c_.consts[i] == 0 ? kZero : kNum;
    }
  }

  // The types of the function's declared locals, from its body in the wire
  // bytes; none when they do not add up to the code's local slots.
  const std::vector<ValueType>& DeclaredLocals() {
    if (locals_read_) return locals_;
    locals_read_ = true;
    const ByteRange& body = m_.functions[c_.func_index].body;
    if (body.offset > m_.wire_bytes.size() || body.length > m_.wire_bytes.size() - body.offset) {
      return locals_;
    }
    Decoder d(std::span(m_.wire_bytes.data() + body.offset, body.length), body.offset);
    uint64_t slots = c_.num_param_slots;
    for (uint32_t entries = d.u32v(); entries > 0 && d.ok(); --entries) {
      uint32_t n = d.u32v();
      ValueType t = ReadValueType(d, m_.features, static_cast<uint32_t>(m_.types.size()));
      slots += uint64_t{n} * Width(t);
      if (!d.ok() || slots > c_.num_local_slots) break;
      locals_.insert(locals_.end(), n, t);
    }
    if (!d.ok() || slots != c_.num_local_slots) locals_.clear();
    return locals_;
  }

  // ---- the lattice ----

  bool HeapMatches(HeapType a, HeapType b) const {
    if (a == b || IsHeapSubtype(m_, a, b)) return true;
    // extern.convert_any and any.convert_extern emit no code (one encoding
    // for both hierarchies): a value of either is a value of the other's top.
    if (b.is_index()) return false;
    AbstractHeap top = b.abstract();
    if (top != AbstractHeap::kAny && top != AbstractHeap::kExtern) return false;
    AbstractHeap ta = TopOf(m_, a);
    return ta == AbstractHeap::kAny || ta == AbstractHeap::kExtern;
  }
  AbstractHeap Hierarchy(HeapType h) const {
    AbstractHeap t = TopOf(m_, h);
    return t == AbstractHeap::kExtern ? AbstractHeap::kAny : t;
  }

  HeapType HeapLub(HeapType a, HeapType b) const {
    if (IsHeapSubtype(m_, a, b)) return b;
    if (IsHeapSubtype(m_, b, a)) return a;
    AbstractHeap ta = TopOf(m_, a), tb = TopOf(m_, b);
    if (ta != tb) return HeapType::Abstract(AbstractHeap::kAny);  // any and extern (checked by caller)
    for (HeapType s = a; s.is_index() && !m_.types[s.index()].supertypes.empty();) {
      s = HeapType::Index(m_.types[s.index()].supertypes[0]);
      if (IsHeapSubtype(m_, b, s)) return s;
    }
    static constexpr AbstractHeap kLadder[] = {AbstractHeap::kStruct, AbstractHeap::kArray,
                                               AbstractHeap::kEq};
    if (ta == AbstractHeap::kAny) {
      for (AbstractHeap c : kLadder) {
        HeapType h = HeapType::Abstract(c);
        if (IsHeapSubtype(m_, a, h) && IsHeapSubtype(m_, b, h)) return h;
      }
    }
    return HeapType::Abstract(ta);
  }

  Ty Join(Ty a, Ty b) const {
    if (a == b) return a;
    if (a == kUnknown || b == kUnknown) return kUnknown;
    if (IsRef(a) && IsRef(b)) {
      HeapType ha = HeapOf(a), hb = HeapOf(b);
      if (Hierarchy(ha) != Hierarchy(hb)) return kUnknown;
      Ty t = RefTy(HeapLub(ha, hb), true);
      return NonNull(a) && NonNull(b) ? t | kNonNull : t;
    }
    if (b == kZero || b == kNum) std::swap(a, b);
    if (a == kZero) return IsRef(b) ? b & ~kNonNull : b;  // b: a number, a half or kNum
    if (a == kNum) return IsRef(b) ? kUnknown : b;
    return kUnknown;
  }

  // Merges {st} into the state at label {target}.
  void Merge(uint32_t target, const std::vector<Ty>& st, bool fallthrough = false) {
    uint32_t& state = label_at_[label_of_[target]];
    bool changed = false;
    if (state == kNoState) {
      state = static_cast<uint32_t>(arena_.size());
      arena_.insert(arena_.end(), st.begin(), st.end());
      changed = true;
    } else {
      Ty* l = &arena_[state];
      // Most slots agree: skip equal blocks with memcmp (vectorized).
      constexpr uint32_t kBlock = 32;
      for (uint32_t b = 0; b < n_; b += kBlock) {
        uint32_t e = std::min(n_, b + kBlock);
        if (std::memcmp(&l[b], &st[b], (e - b) * sizeof(Ty)) == 0) continue;
        for (uint32_t s = b; s < e; ++s) {
          if (l[s] == st[s]) continue;
          Ty j = Join(l[s], st[s]);
          if (j != l[s]) {
            l[s] = j;
            changed = true;
          }
        }
      }
    }
    if (changed && !fallthrough && target <= pc_) {
      pass_changed_ = true;
      lowest_changed_ = std::min(lowest_changed_, target);
    }
  }

  // ---- slot uses and definitions ----

  bool UseNum(uint32_t s, Ty want) {
    if (s >= n_) return SlotFail(s, "in the frame");
    Ty t = cur_[s];
    if (t == want || t == kNum || t == kZero) return true;
    return SlotFail(s, NumName(want));
  }
  bool UseV128(uint32_t s) {
    if (s >= n_ || n_ - s < 2) return SlotFail(s, "in the frame");
    Ty lo = cur_[s], hi = cur_[s + 1];
    if ((lo == kVLo || lo == kNum || lo == kZero) && (hi == kVHi || hi == kNum || hi == kZero)) {
      return true;
    }
    return SlotFail(s, "v128");
  }
  bool UseRef(uint32_t s, ValueType want) {
    if (s >= n_) return SlotFail(s, "in the frame");
    Ty t = cur_[s];
    if (t == kZero ? want.nullable
                   : IsRef(t) && (want.nullable || NonNull(t)) && HeapMatches(HeapOf(t), want.heap)) {
      return true;
    }
    return SlotFail(s, ToString(want));
  }
  // Any reference (or null) of {h}'s hierarchy: an operand of a runtime cast.
  bool UseAnyRefOf(uint32_t s, HeapType h) {
    if (s >= n_) return SlotFail(s, "in the frame");
    Ty t = cur_[s];
    if (t == kZero || (IsRef(t) && Hierarchy(HeapOf(t)) == Hierarchy(h))) return true;
    return SlotFail(s, "a reference of " + ToString(h) + "'s hierarchy");
  }
  bool Use(uint32_t s, ValueType want) {
    switch (want.kind) {
      case ValueKind::kV128: return UseV128(s);
      case ValueKind::kRef: return UseRef(s, want);
      default: return UseNum(s, NumTy(want.kind));
    }
  }
  // Values of {types} in consecutive slots from {base}.
  bool UseAll(uint32_t base, const std::vector<ValueType>& types) {
    for (ValueType t : types) {
      if (!Use(base, t)) return false;
      base += Width(t);
    }
    return true;
  }
  void Set(uint32_t s, Ty t) {
    if (s < n_) cur_[s] = t;
  }
  void Def(uint32_t s, ValueType t) {
    switch (t.kind) {
      case ValueKind::kV128:
        Set(s, kVLo);
        Set(s + 1, kVHi);
        break;
      case ValueKind::kRef: Set(s, RefTy(t.heap, t.nullable)); break;
      default: Set(s, NumTy(t.kind)); break;
    }
  }
  void DefAll(uint32_t base, const std::vector<ValueType>& types) {
    for (ValueType t : types) {
      Def(base, t);
      base += Width(t);
    }
  }

  // ---- module facts ----

  ValueType MemAddr(uint32_t mem) const {
    return m_.memories[mem].limits.is64 ? ValueType::I64() : ValueType::I32();
  }
  ValueType TableAddr(uint32_t t) const {
    return m_.tables[t].limits.is64 ? ValueType::I64() : ValueType::I32();
  }
  static ValueType MinAddr(ValueType a, ValueType b) {
    return a.kind == ValueKind::kI32 ? a : b;
  }
  bool FuncTable(uint32_t t) {
    const ValueType& e = m_.tables[t].elem_type;
    if (e.is_ref() && TopOf(m_, e.heap) == AbstractHeap::kFunc) return true;
    return Fail("table " + std::to_string(t) + " does not hold functions");
  }

  // ---- calls and exceptions ----

  // The state a handler of a throw at the current operation lands in: slots
  // from {clobber} up hold what the callee left there.
  void Throw(uint32_t clobber) {
    if (c_.try_regions.empty()) return;
    for (size_t r = c_.try_regions.size(); r-- > 0;) {
      const TryRegion& region = c_.try_regions[r];
      if (pc_ < region.begin || pc_ >= region.end) continue;
      for (uint32_t i = 0; i < region.num_handlers; ++i) {
        const CatchHandler& h = c_.handlers[region.first_handler + i];
        if (h.kind == kHandlerDelegate) {
          if (h.tag == 0) return;
          r = h.tag;  // the search resumes at region tag-1 (tag <= r: checked)
          break;
        }
        Land(h, clobber);
        if (h.kind == kHandlerLegacyCatchAll || h.kind == static_cast<uint32_t>(CatchKind::kCatchAll) ||
            h.kind == static_cast<uint32_t>(CatchKind::kCatchAllRef)) {
          return;
        }
      }
    }
  }
  void Land(const CatchHandler& h, uint32_t clobber) {
    tmp_ = cur_;  // restored below
    for (uint32_t s = clobber; s < n_; ++s) cur_[s] = kUnknown;
    const Ty exn = RefTy(HeapType::Abstract(AbstractHeap::kExn), false);
    uint32_t dst = h.dst_slot;
    auto payload = [&] { return m_.types[m_.tags[h.tag].type_index].func.params; };
    if (h.kind >= kHandlerLegacyCatch) {
      Set(dst++, exn);
      if (h.kind == kHandlerLegacyCatch) DefAll(dst, payload());
    } else {
      CatchKind kind = static_cast<CatchKind>(h.kind);
      if (kind == CatchKind::kCatch || kind == CatchKind::kCatchRef) {
        for (ValueType t : payload()) {
          Def(dst, t);
          dst += Width(t);
        }
      }
      if (kind == CatchKind::kCatchRef || kind == CatchKind::kCatchAllRef) Set(dst, exn);
    }
    Merge(h.target, cur_);
    cur_.swap(tmp_);
  }

  bool Call(const FuncType& f, uint32_t arg_base) {
    if (!UseAll(arg_base, f.params)) return false;
    Throw(arg_base);
    for (uint32_t s = arg_base; s < n_; ++s) cur_[s] = kUnknown;
    DefAll(arg_base, f.results);
    return true;
  }
  // A tail call: the arguments at slot 0, the callee's results ours.
  bool TailCall(const FuncType& f, uint32_t nslots) {
    uint32_t slots = 0;
    for (ValueType t : f.params) slots += Width(t);
    if (slots != nslots) return Fail("tail call argument count");
    if (!UseAll(0, f.params)) return false;
    if (f.results.size() != type_.results.size()) return Fail("tail call results");
    for (size_t i = 0; i < f.results.size(); ++i) {
      if (!IsSubtype(m_, f.results[i], type_.results[i])) return Fail("tail call results");
    }
    reachable_ = false;
    return true;
  }
  // The function type a call_ref's operand calls, or null when the operand
  // is always null (the call traps).
  bool RefCallee(uint32_t s, const FuncType** out) {
    Ty t = cur_[s];
    *out = nullptr;
    if (t == kZero) return true;
    if (IsRef(t)) {
      HeapType h = HeapOf(t);
      if (h == HeapType::Abstract(AbstractHeap::kNoFunc)) return true;
      if (h.is_index() && m_.types[h.index()].kind == CompositeKind::kFunc) {
        *out = &m_.types[h.index()].func;
        return true;
      }
    }
    return SlotFail(s, "a typed function reference");
  }

  // ---- operations ----

  bool Step();
  bool StepGc();
  bool StepSimd();

  const Module& m_;
  const FunctionCode& c_;
  const std::vector<uint32_t>& starts_;
  const uint32_t n_;
  const FuncType& type_;
  std::vector<ValueType> locals_;
  bool locals_read_ = false;
  // Per-thread buffers, reused from function to function.
  struct Scratch {
    std::vector<int32_t> label_of;  // code index -> label number, or -1
    std::vector<uint32_t> label_at;  // label -> its state in {arena}, or kNoState
    std::vector<Ty> arena;           // the labels' states, frame_slots each
    std::vector<Ty> cur, tmp;
  };
  static Scratch& TheScratch() {
    thread_local Scratch s;
    return s;
  }
  static constexpr uint32_t kNoState = UINT32_MAX;
  Scratch& scratch_ = TheScratch();
  std::vector<int32_t>& label_of_ = scratch_.label_of;
  std::vector<uint32_t>& label_at_ = scratch_.label_at;
  std::vector<Ty>& arena_ = scratch_.arena;
  std::vector<Ty>& cur_ = scratch_.cur;
  std::vector<Ty>& tmp_ = scratch_.tmp;
  uint32_t num_labels_ = 0;
  uint32_t pc_ = 0;
  bool reachable_ = true;
  bool pass_changed_ = false;
  uint32_t lowest_changed_ = UINT32_MAX;
  std::string what_;
};

bool Checker::Step() {
  const IOp op = static_cast<IOp>(c_.code[pc_]);
  switch (op) {
#define WASMSTREAM_NUMERIC(name) case IOp::k##name:
    WASMSTREAM_FOREACH_NUMERIC_IOP(WASMSTREAM_NUMERIC)
#undef WASMSTREAM_NUMERIC
    {
      const NumSig& s = NumSigOf(op);
      // ref.eq is compiled as i64.eq: it compares two references' bits.
      if (op == IOp::kI64Eq && W(2) < n_ && W(3) < n_ &&
          (IsRef(cur_[W(2)]) || cur_[W(2)] == kZero) && (IsRef(cur_[W(3)]) || cur_[W(3)] == kZero)) {
        Set(W(1), kI32);
        return true;
      }
      for (uint32_t i = 0; i < s.nparams; ++i) {
        if (!UseNum(W(2 + i), s.params[i])) return false;
      }
      Set(W(1), s.result);
      return true;
    }
#define WASMSTREAM_LOAD(name) case IOp::k##name:
    WASMSTREAM_FOREACH_LOAD_IOP(WASMSTREAM_LOAD)
#undef WASMSTREAM_LOAD
      if (m_.memories.empty() || m_.memories[0].limits.is64) return Fail("no 32-bit memory 0");
      if (!UseNum(W(2), kI32)) return false;
      Set(W(1), NumSigOf(op).result);
      return true;
#define WASMSTREAM_STORE(name) case IOp::k##name:
    WASMSTREAM_FOREACH_STORE_IOP(WASMSTREAM_STORE)
#undef WASMSTREAM_STORE
      if (m_.memories.empty() || m_.memories[0].limits.is64) return Fail("no 32-bit memory 0");
      return UseNum(W(1), kI32) && UseNum(W(2), NumSigOf(op).params[1]);
    case IOp::kUnreachable:
      reachable_ = false;
      return true;
    case IOp::kCopy:
      cur_[W(1)] = cur_[W(2)];
      return true;
    case IOp::kCopy2: {
      Ty lo = cur_[W(2)], hi = cur_[W(2) + 1];
      cur_[W(1)] = lo;
      cur_[W(1) + 1] = hi;
      return true;
    }
    case IOp::kBr:
      Merge(W(1), cur_);
      reachable_ = false;
      return true;
    case IOp::kBrIf: case IOp::kBrUnless:
      if (!UseNum(W(1), kI32)) return false;
      Merge(W(2), cur_);
      return true;
    case IOp::kBrTable: {
      if (!UseNum(W(1), kI32)) return false;
      uint32_t last = UINT32_MAX;
      for (uint32_t i = 0; i <= W(2); ++i) {
        if (W(3 + i) != last) Merge(W(3 + i), cur_);
        last = W(3 + i);
      }
      reachable_ = false;
      return true;
    }
    case IOp::kBrIfI32Eq: case IOp::kBrIfI32Ne: case IOp::kBrIfI32LtS: case IOp::kBrIfI32LtU:
    case IOp::kBrIfI32GtS: case IOp::kBrIfI32GtU: case IOp::kBrIfI32LeS: case IOp::kBrIfI32LeU:
    case IOp::kBrIfI32GeS: case IOp::kBrIfI32GeU:
      if (!UseNum(W(1), kI32) || !UseNum(W(2), kI32)) return false;
      Merge(W(3), cur_);
      return true;
    case IOp::kReturn:
      if (!UseAll(0, type_.results)) return false;
      reachable_ = false;
      return true;
    case IOp::kCall:
      return Call(m_.func_type(W(1)), W(2));
    case IOp::kCallIndirect:
      if (!FuncTable(W(2)) || !Use(W(3), TableAddr(W(2)))) return false;
      return Call(m_.types[W(1)].func, W(4));
    case IOp::kCallRef: {
      const FuncType* f;
      if (!RefCallee(W(1), &f)) return false;
      if (!f) {  // always null: traps
        reachable_ = false;
        return true;
      }
      return Call(*f, W(2));
    }
    case IOp::kReturnCall:
      return TailCall(m_.func_type(W(1)), W(2));
    case IOp::kReturnCallIndirect:
      if (!FuncTable(W(2)) || !Use(W(3), TableAddr(W(2)))) return false;
      return TailCall(m_.types[W(1)].func, W(4));
    case IOp::kReturnCallRef: {
      const FuncType* f;
      if (!RefCallee(W(1), &f)) return false;
      if (!f) {
        reachable_ = false;
        return true;
      }
      return TailCall(*f, W(2));
    }
    case IOp::kSelect:
      if (!UseNum(W(4), kI32)) return false;
      cur_[W(1)] = Join(cur_[W(2)], cur_[W(3)]);
      return true;
    case IOp::kSelect2: {
      if (!UseNum(W(4), kI32)) return false;
      Ty lo = Join(cur_[W(2)], cur_[W(3)]), hi = Join(cur_[W(2) + 1], cur_[W(3) + 1]);
      cur_[W(1)] = lo;
      cur_[W(1) + 1] = hi;
      return true;
    }
    case IOp::kGlobalGet: case IOp::kGlobalGet2: {
      ValueType t = m_.globals[W(2)].type;
      if ((t.kind == ValueKind::kV128) != (op == IOp::kGlobalGet2)) return Fail("global width");
      Def(W(1), t);
      return true;
    }
    case IOp::kGlobalSet: case IOp::kGlobalSet2: {
      const Global& g = m_.globals[W(1)];
      if ((g.type.kind == ValueKind::kV128) != (op == IOp::kGlobalSet2)) return Fail("global width");
      if (!g.mutable_) return Fail("global.set of an immutable global");
      return Use(W(2), g.type);
    }
    case IOp::kTableGet:
      if (!Use(W(3), TableAddr(W(2)))) return false;
      Def(W(1), m_.tables[W(2)].elem_type);
      return true;
    case IOp::kTableSet:
      return Use(W(2), TableAddr(W(1))) && Use(W(3), m_.tables[W(1)].elem_type);
    case IOp::kTableSize:
      Def(W(1), TableAddr(W(2)));
      return true;
    case IOp::kTableGrow:
      if (!Use(W(3), m_.tables[W(2)].elem_type) || !Use(W(4), TableAddr(W(2)))) return false;
      Def(W(1), TableAddr(W(2)));
      return true;
    case IOp::kTableFill:
      return Use(W(2), TableAddr(W(1))) && Use(W(3), m_.tables[W(1)].elem_type) &&
             Use(W(4), TableAddr(W(1)));
    case IOp::kTableCopy:
      if (!IsSubtype(m_, m_.tables[W(2)].elem_type, m_.tables[W(1)].elem_type)) {
        return Fail("table.copy element types");
      }
      return Use(W(3), TableAddr(W(1))) && Use(W(4), TableAddr(W(2))) &&
             Use(W(5), MinAddr(TableAddr(W(1)), TableAddr(W(2))));
    case IOp::kTableInit:
      if (!IsSubtype(m_, m_.elems[W(2)].elem_type, m_.tables[W(1)].elem_type)) {
        return Fail("table.init element types");
      }
      return Use(W(3), TableAddr(W(1))) && UseNum(W(4), kI32) && UseNum(W(5), kI32);
    case IOp::kElemDrop: case IOp::kDataDrop:
      return true;
    case IOp::kRefIsNull:
      if (cur_[W(2)] != kZero && !IsRef(cur_[W(2)])) return SlotFail(W(2), "a reference");
      Set(W(1), kI32);
      return true;
    case IOp::kRefFunc:
      Set(W(1), RefTy(HeapType::Index(m_.functions[W(2)].type_index), false));
      return true;
    case IOp::kRefAsNonNull: {
      Ty t = cur_[W(2)];
      if (t == kZero) {  // always null: traps
        reachable_ = false;
        return true;
      }
      if (!IsRef(t)) return SlotFail(W(2), "a reference");
      Set(W(1), t | kNonNull);
      return true;
    }
    case IOp::kBrOnNull: {  // the target sees null; what falls through is not
      Ty t = cur_[W(1)];
      if (t != kZero && !IsRef(t)) return SlotFail(W(1), "a reference");
      Merge(W(2), cur_);
      if (t == kZero) {
        reachable_ = false;
      } else {
        cur_[W(1)] = t | kNonNull;
      }
      return true;
    }
    case IOp::kBrOnNonNull: {
      Ty t = cur_[W(1)];
      if (t != kZero && !IsRef(t)) return SlotFail(W(1), "a reference");
      if (t != kZero) {
        cur_[W(1)] = t | kNonNull;
        Merge(W(2), cur_);
        cur_[W(1)] = t;
      }
      return true;
    }
    case IOp::kMemorySize:
      Def(W(1), MemAddr(W(2)));
      return true;
    case IOp::kMemoryGrow:
      if (!Use(W(3), MemAddr(W(2)))) return false;
      Def(W(1), MemAddr(W(2)));
      return true;
    case IOp::kMemoryFill:
      return Use(W(2), MemAddr(W(1))) && UseNum(W(3), kI32) && Use(W(4), MemAddr(W(1)));
    case IOp::kMemoryCopy:
      return Use(W(3), MemAddr(W(1))) && Use(W(4), MemAddr(W(2))) &&
             Use(W(5), MinAddr(MemAddr(W(1)), MemAddr(W(2))));
    case IOp::kMemoryInit:
      return Use(W(3), MemAddr(W(1))) && UseNum(W(4), kI32) && UseNum(W(5), kI32);
    case IOp::kLoadX: case IOp::kStoreX: {
      Opcode o = static_cast<Opcode>(W(1));
      if (op == IOp::kLoadX ? !IsLoadOpcode(o) : !IsStoreOpcode(o)) return Fail("memory opcode");
      const OpcodeInfo& info = InfoOf(o);
      if (!Use(W(3 - (op == IOp::kStoreX)), MemAddr(W(4)))) return false;
      if (op == IOp::kStoreX) return Use(W(3), SigParams(info.sig)[1]);
      Def(W(2), SigResults(info.sig)[0]);
      return true;
    }
    case IOp::kSimd: case IOp::kSimdMem: case IOp::kAtomic:
      return StepSimd();
    case IOp::kThrow: {
      const FuncType& t = m_.types[m_.tags[W(1)].type_index].func;
      if (!UseAll(W(2), t.params)) return false;
      Throw(n_);
      reachable_ = false;
      return true;
    }
    case IOp::kThrowRef:
      if (!UseRef(W(1), ValueType::Ref(HeapType::Abstract(AbstractHeap::kExn), true))) return false;
      Throw(n_);
      reachable_ = false;
      return true;
    case IOp::kGc:
      return StepGc();
    case IOp::kBrOnCast: {
      HeapType h{W(2)};
      if (!UseAnyRefOf(W(1), h)) return false;
      Ty t = cur_[W(1)];
      // The constant 0 stays what it is (its slot may also be an i32.const 0).
      Ty cast = t == kZero ? t : RefTy(h, W(3) != 0 && !NonNull(t));
      if (W(4) != 0) {  // branches when the cast succeeds
        cur_[W(1)] = cast;
        Merge(W(5), cur_);
        cur_[W(1)] = t;
      } else {
        Merge(W(5), cur_);
        cur_[W(1)] = cast;
      }
      return true;
    }
    case IOp::kCount:
      break;
  }
  return Fail("unknown operation");
}

// SIMD (register and memory) and atomic operations: the opcode's signature.
bool Checker::StepSimd() {
  const IOp op = static_cast<IOp>(c_.code[pc_]);
  const Opcode o = static_cast<Opcode>(W(1));
  const OpcodeInfo& info = InfoOf(o);
  auto params = SigParams(info.sig);
  auto results = SigResults(info.sig);
  const bool memarg = info.imm == ImmKind::kMemArg || info.imm == ImmKind::kMemArgLane;
  if (op == IOp::kSimd) {
    if (PrefixOf(o) != kSimdPrefix || memarg || params.size() > 3 || results.size() > 1) {
      return Fail("SIMD opcode");
    }
    for (size_t i = 0; i < params.size(); ++i) {
      if (!Use(W(3 + i), params[i])) return false;
    }
    if (o == Opcode::kI8x16Shuffle && !UseV128(W(5))) return false;
    // The interpreter indexes the vector with the lane immediate.
    if (info.imm == ImmKind::kLane && W(6) >= (1u << info.mem)) return Fail("lane index");
    if (!results.empty()) Def(W(2), results[0]);
    return true;
  }
  const uint32_t mem = op == IOp::kSimdMem ? W(5) : W(6);
  const uint8_t prefix = op == IOp::kSimdMem ? kSimdPrefix : kAtomicPrefix;
  if (PrefixOf(o) != prefix || !memarg || params.empty() || params.size() > 3 ||
      results.size() > 1 || (op == IOp::kSimdMem && params.size() > 2)) {
    return Fail("memory opcode");
  }
  if (info.imm == ImmKind::kMemArgLane && W(8) >= (16u >> info.mem)) return Fail("lane index");
  if (!Use(W(3), MemAddr(mem))) return false;
  for (size_t i = 1; i < params.size(); ++i) {
    if (!Use(W(3 + i), params[i])) return false;
  }
  if (!results.empty()) Def(W(2), results[0]);
  return true;
}

bool Checker::StepGc() {
  const Opcode op = static_cast<Opcode>(W(1));
  const uint32_t dst = W(2), base = W(3), imm1 = W(4), imm2 = W(5);
  // VerifyGc (code_verifier.cc) has checked the type and segment kinds and
  // that the operands and the result lie in the frame.
  auto ref_to = [&](uint32_t t) { return ValueType::Ref(HeapType::Index(t), true); };
  auto fields = [&]() -> const std::vector<FieldType>& { return m_.types[imm1].fields; };
  auto elem = [&]() -> const FieldType& { return m_.types[imm1].fields[0]; };
  auto fresh = [&](uint32_t t) { Set(dst, RefTy(HeapType::Index(t), false)); };
  auto defaultable = [](const FieldType& f) { return !f.type.is_ref() || f.type.nullable; };
  auto seg_fits = [&](uint32_t seg) { return IsSubtype(m_, m_.elems[seg].elem_type, elem().type); };
  switch (op) {
    case Opcode::kStructNew: {
      uint32_t s = base;
      for (const FieldType& f : fields()) {
        if (!Use(s, f.Unpacked())) return false;
        s += Width(f.type);
      }
      fresh(imm1);
      return true;
    }
    case Opcode::kStructNewDefault:
      for (const FieldType& f : fields()) {
        if (!defaultable(f)) return Fail("struct.new_default of a non-defaultable field");
      }
      fresh(imm1);
      return true;
    case Opcode::kStructGet: case Opcode::kStructGetS: case Opcode::kStructGetU: {
      const FieldType& f = fields()[imm2];
      if ((f.packed != Packed::kNone) != (op != Opcode::kStructGet)) return Fail("packed field");
      if (!Use(base, ref_to(imm1))) return false;
      Def(dst, f.Unpacked());
      return true;
    }
    case Opcode::kStructSet: {
      const FieldType& f = fields()[imm2];
      if (!f.mutable_) return Fail("struct.set of an immutable field");
      return Use(base, ref_to(imm1)) && Use(base + 1, f.Unpacked());
    }
    case Opcode::kArrayNew:
      if (!Use(base, elem().Unpacked()) || !UseNum(base + Width(elem().type), kI32)) return false;
      fresh(imm1);
      return true;
    case Opcode::kArrayNewDefault:
      if (!defaultable(elem())) return Fail("array.new_default of a non-defaultable element");
      if (!UseNum(base, kI32)) return false;
      fresh(imm1);
      return true;
    case Opcode::kArrayNewFixed:
      for (uint32_t i = 0; i < imm2; ++i) {
        if (!Use(base + i * Width(elem().type), elem().Unpacked())) return false;
      }
      fresh(imm1);
      return true;
    case Opcode::kArrayNewData: case Opcode::kArrayNewElem:
      if (op == Opcode::kArrayNewElem && !seg_fits(imm2)) return Fail("element segment type");
      if (!UseNum(base, kI32) || !UseNum(base + 1, kI32)) return false;
      fresh(imm1);
      return true;
    case Opcode::kArrayGet: case Opcode::kArrayGetS: case Opcode::kArrayGetU:
      if ((elem().packed != Packed::kNone) != (op != Opcode::kArrayGet)) return Fail("packed element");
      if (!Use(base, ref_to(imm1)) || !UseNum(base + 1, kI32)) return false;
      Def(dst, elem().Unpacked());
      return true;
    case Opcode::kArraySet:
      if (!elem().mutable_) return Fail("array.set of an immutable array");
      return Use(base, ref_to(imm1)) && UseNum(base + 1, kI32) && Use(base + 2, elem().Unpacked());
    case Opcode::kArrayFill:
      if (!elem().mutable_) return Fail("array.fill of an immutable array");
      return Use(base, ref_to(imm1)) && UseNum(base + 1, kI32) && Use(base + 2, elem().Unpacked()) &&
             UseNum(base + 2 + Width(elem().type), kI32);
    case Opcode::kArrayCopy: {
      const FieldType& src = m_.types[imm2].fields[0];
      if (!elem().mutable_ || src.packed != elem().packed || !IsSubtype(m_, src.type, elem().type)) {
        return Fail("array.copy element types");
      }
      return Use(base, ref_to(imm1)) && UseNum(base + 1, kI32) && Use(base + 2, ref_to(imm2)) &&
             UseNum(base + 3, kI32) && UseNum(base + 4, kI32);
    }
    case Opcode::kArrayInitData: case Opcode::kArrayInitElem:
      if (!elem().mutable_) return Fail("array.init of an immutable array");
      if (op == Opcode::kArrayInitElem && !seg_fits(imm2)) return Fail("element segment type");
      return Use(base, ref_to(imm1)) && UseNum(base + 1, kI32) && UseNum(base + 2, kI32) &&
             UseNum(base + 3, kI32);
    case Opcode::kArrayLen:
      if (!Use(base, ValueType::Ref(HeapType::Abstract(AbstractHeap::kArray), true))) return false;
      Set(dst, kI32);
      return true;
    case Opcode::kRefI31:
      if (!UseNum(base, kI32)) return false;
      Set(dst, RefTy(HeapType::Abstract(AbstractHeap::kI31), false));
      return true;
    case Opcode::kI31GetS: case Opcode::kI31GetU:
      if (!Use(base, ValueType::Ref(HeapType::Abstract(AbstractHeap::kI31), true))) return false;
      Set(dst, kI32);
      return true;
    case Opcode::kRefTest: case Opcode::kRefTestNull:
      if (!UseAnyRefOf(base, HeapType{imm1})) return false;
      Set(dst, kI32);
      return true;
    case Opcode::kRefCast: case Opcode::kRefCastNull: {
      if (!UseAnyRefOf(base, HeapType{imm1})) return false;
      Ty t = cur_[base];
      Set(dst, RefTy(HeapType{imm1}, imm2 != 0 && (t == kZero || !NonNull(t))));
      return true;
    }
    default:
      return Fail("GC opcode");
  }
}

}  // namespace

Status CheckCodeTypes(const Module& module, const FunctionCode& code,
                      const std::vector<uint32_t>& starts) {
  return Checker(module, code, starts).Run();
}

}  // namespace wasmstream::wasm
