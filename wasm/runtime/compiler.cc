#include "wasm/runtime/compiler.h"

#include <cstring>
#include <unordered_map>

#include "wasm/opcodes.h"
#include "wasm/runtime/limits.h"

namespace wasmstream::wasm {
namespace {

// Slot operands are emitted before the frame layout is known (constants and
// temporaries are counted as the body goes), so they carry a tag that
// OnFunctionEnd() replaces with the final slot index.
constexpr uint32_t kTempTag = 0x8000'0000;
constexpr uint32_t kConstTag = 0x4000'0000;
constexpr uint32_t kTagMask = kTempTag | kConstTag;

uint8_t WidthOf(ValueType t) { return t.kind == ValueKind::kV128 ? 2 : 1; }

std::vector<uint8_t> Widths(std::span<const ValueType> types) {
  std::vector<uint8_t> w;
  w.reserve(types.size());
  for (ValueType t : types) w.push_back(WidthOf(t));
  return w;
}

bool IsNumericIOp(Opcode op, IOp* out) {
  switch (op) {
#define WASMSTREAM_CASE(name) \
  case Opcode::k##name:       \
    *out = IOp::k##name;      \
    return true;
    WASMSTREAM_FOREACH_NUMERIC_IOP(WASMSTREAM_CASE)
#undef WASMSTREAM_CASE
    default:
      return false;
  }
}

bool IsLoadIOp(Opcode op, IOp* out) {
  switch (op) {
#define WASMSTREAM_CASE(name) \
  case Opcode::k##name:       \
    *out = IOp::k##name;      \
    return true;
    WASMSTREAM_FOREACH_LOAD_IOP(WASMSTREAM_CASE)
#undef WASMSTREAM_CASE
    default:
      return false;
  }
}

bool IsStoreIOp(Opcode op, IOp* out) {
  switch (op) {
#define WASMSTREAM_CASE(name) \
  case Opcode::k##name:       \
    *out = IOp::k##name;      \
    return true;
    WASMSTREAM_FOREACH_STORE_IOP(WASMSTREAM_CASE)
#undef WASMSTREAM_CASE
    default:
      return false;
  }
}

}  // namespace

// ---- emission and the compile-time operand stack ----

void Compiler::Op(IOp op) {
  last_dst_pos_ = UINT32_MAX;
  code_.push_back(static_cast<uint32_t>(op));
}

void Compiler::Slot(uint32_t s) {
  if (s & kTagMask) slot_fixups_.push_back(pc());
  code_.push_back(s);
}

uint32_t Compiler::NextHome() const {
  if (stack_.empty()) return kTempTag;
  return stack_.back().home + stack_.back().width;
}

uint32_t Compiler::Push(uint8_t width) {
  uint32_t home = NextHome();
  stack_.push_back({home, home, width});
  uint32_t end = (home & ~kTempTag) + width;
  if (end > max_temp_) max_temp_ = end;
  return home;
}

void Compiler::PushLazy(uint32_t src, uint8_t width) {
  Push(width);
  stack_.back().src = src;
}

Compiler::Entry Compiler::Pop() {
  Entry e = stack_.back();
  stack_.pop_back();
  return e;
}

void Compiler::Materialize(Entry& e) {
  if (e.src == e.home) return;
  Op(e.width == 2 ? IOp::kCopy2 : IOp::kCopy);
  Slot(e.home);
  Slot(e.src);
  e.src = e.home;
}

void Compiler::MaterializeAll() {
  for (Entry& e : stack_) Materialize(e);
}

void Compiler::MaterializeTop(uint32_t n) {
  for (size_t i = stack_.size() - n; i < stack_.size(); ++i) Materialize(stack_[i]);
}

uint32_t Compiler::Const(uint64_t lo, uint64_t hi, uint8_t width) {
  if (width == 1) {
    bool inserted;
    uint32_t idx = const_index_.FindOrInsert(lo, static_cast<uint32_t>(consts_.size()), &inserted);
    if (inserted) consts_.push_back(lo);
    return kConstTag | idx;
  }
  uint32_t idx = static_cast<uint32_t>(consts_.size());
  consts_.push_back(lo);
  consts_.push_back(hi);
  return kConstTag | idx;
}

// ---- control ----

void Compiler::PushCtrl(FrameKind kind, const BlockSig& sig) {
  Ctrl c;
  c.kind = kind;
  c.param_widths = Widths(sig.params);
  c.result_widths = Widths(sig.results);
  c.height = static_cast<uint32_t>(stack_.size() - sig.params.size());
  c.base_home = c.height < stack_.size() ? stack_[c.height].home : NextHome();
  ctrl_.push_back(std::move(c));
}

bool Compiler::NeedsCopies(const Ctrl& target) const {
  const auto& widths = target.label_widths();
  size_t base = stack_.size() - widths.size();
  uint32_t dest = target.base_home;
  for (size_t i = 0; i < widths.size(); ++i) {
    if (stack_[base + i].src != dest) return true;
    dest += widths[i];
  }
  return false;
}

void Compiler::EmitCopiesTo(const Ctrl& target) {
  // Ascending order is safe: each destination is at or below its source's
  // home, and lazily held values (locals, constants) sit below every temporary.
  const auto& widths = target.label_widths();
  size_t base = stack_.size() - widths.size();
  uint32_t dest = target.base_home;
  for (size_t i = 0; i < widths.size(); ++i) {
    const Entry& e = stack_[base + i];
    if (e.src != dest) {
      Op(widths[i] == 2 ? IOp::kCopy2 : IOp::kCopy);
      Slot(dest);
      Slot(e.src);
    }
    dest += widths[i];
  }
}

void Compiler::EmitBranchTo(Ctrl& target) {
  if (target.kind == FrameKind::kFunction) {
    EmitReturn();
    return;
  }
  EmitCopiesTo(target);
  Op(IOp::kBr);
  if (target.kind == FrameKind::kLoop) {
    Word(target.loop_pc);
  } else {
    target.fixups.push_back(pc());
    Word(0);
  }
}

// Return: the results move to slots 0.. of the frame. Values held in a local
// or constant slot that an earlier destination would overwrite first go to
// their own temporaries; then ascending copies are safe.
void Compiler::EmitReturn() {
  uint32_t n = static_cast<uint32_t>(result_widths_.size());
  size_t base = stack_.size() - n;
  for (size_t i = base; i < stack_.size(); ++i) {
    Entry& e = stack_[i];
    if (e.src == e.home) continue;
    uint32_t real = (e.src & kConstTag) ? num_local_slots_ + (e.src & ~kConstTag) : e.src;
    if (real < result_slots_) Materialize(e);
  }
  uint32_t dest = 0;
  for (size_t i = base; i < stack_.size(); ++i) {
    const Entry& e = stack_[i];
    if (e.src != dest) {
      Op(e.width == 2 ? IOp::kCopy2 : IOp::kCopy);
      Slot(dest);
      Slot(e.src);
    }
    dest += e.width;
  }
  Op(IOp::kReturn);
}

void Compiler::OnElse() {
  Ctrl& f = ctrl_.back();
  if (f.dead) return;
  if (f.kind == FrameKind::kTry) {  // legacy catch: see OnLegacyCatch
    return;
  }
  if (reachable_) {
    MaterializeAll();
    Op(IOp::kBr);
    f.fixups.push_back(pc());
    Word(0);
  }
  Bind(f.else_fixup);
  f.else_fixup = UINT32_MAX;
  LabelHere();
  stack_.resize(f.height);
  for (const Entry& e : f.saved_params) stack_.push_back(e);
  f.kind = FrameKind::kElse;
  reachable_ = true;
}

void Compiler::OnEnd() {
  Ctrl& f = ctrl_.back();
  if (f.dead) {
    ctrl_.pop_back();
    return;
  }
  if (f.kind == FrameKind::kFunction) {
    if (reachable_) EmitReturn();
    if (!return_handler_fixups_.empty()) {
      uint32_t at = pc();
      Op(IOp::kReturn);
      for (uint32_t h : return_handler_fixups_) handlers_[h].target = at;
    }
    ctrl_.pop_back();
    reachable_ = false;
    return;
  }
  if (f.kind == FrameKind::kTry) FinishLegacyTry(f);
  if (reachable_) MaterializeAll();
  if (f.else_fixup != UINT32_MAX) Bind(f.else_fixup);  // if without else
  if (f.try_region != UINT32_MAX) regions_[f.try_region].end = pc();
  for (uint32_t pos : f.fixups) Bind(pos);
  for (uint32_t h : f.handler_fixups) handlers_[h].target = pc();
  LabelHere();
  stack_.resize(f.kind == FrameKind::kTry ? f.try_height : f.height);
  std::vector<uint8_t> results = std::move(f.result_widths);
  ctrl_.pop_back();
  for (uint8_t w : results) Push(w);
  reachable_ = true;
}

// ---- legacy exceptions ----
//
// A legacy try is a try region over its body whose handlers (one per catch /
// catch_all, or one delegate) are appended when the try ends, so a region's
// handlers stay contiguous. A catch body starts with the exnref at the try's
// base_home (read by rethrow) and the payload above it; its results are moved
// down to base_home when it falls through.

// Ends the current try body or catch body, leaving the code unreachable.
void Compiler::FinishLegacyTry(Ctrl& f) {
  if (reachable_) {
    if (f.in_catch) {
      EmitBranchTo(f);
    } else {
      MaterializeAll();
      Op(IOp::kBr);
      f.fixups.push_back(pc());
      Word(0);
    }
    MakeUnreachable();
  }
  if (f.try_region != UINT32_MAX) {
    TryRegion& r = regions_[f.try_region];
    if (!f.in_catch) r.end = pc();
    r.first_handler = static_cast<uint32_t>(handlers_.size());
    r.num_handlers = static_cast<uint32_t>(f.legacy_handlers.size());
    for (const CatchHandler& h : f.legacy_handlers) handlers_.push_back(h);
    f.try_region = UINT32_MAX;
  }
}

void Compiler::OnLegacyCatch(const Instruction& in) {
  Ctrl& f = ctrl_.back();
  if (f.dead) return;
  if (reachable_) {
    if (f.in_catch) {
      EmitBranchTo(f);
    } else {
      MaterializeAll();
      Op(IOp::kBr);
      f.fixups.push_back(pc());
      Word(0);
    }
    MakeUnreachable();
  }
  if (f.try_region != UINT32_MAX && !f.in_catch) regions_[f.try_region].end = pc();
  f.in_catch = true;
  LabelHere();
  stack_.resize(f.try_height);
  Push(1);  // the exnref, at base_home
  CatchHandler h;
  h.target = pc();
  h.dst_slot = f.base_home;
  if (in.opcode == Opcode::kCatch) {
    h.kind = kHandlerLegacyCatch;
    h.tag = in.imm.index;
    const FuncType& ft = module_.types[module_.tags[h.tag].type_index].func;
    for (ValueType t : ft.params) Push(WidthOf(t));
  } else {
    h.kind = kHandlerLegacyCatchAll;
  }
  f.legacy_handlers.push_back(h);
  f.height = f.try_height + 1;
  reachable_ = true;
}

// delegate {label}: the try's body forwards what it throws to the handlers
// around the {label}-th label outside the try.
void Compiler::OnDelegate(uint32_t label) {
  Ctrl& f = ctrl_.back();
  if (f.dead) {
    ctrl_.pop_back();
    return;
  }
  // The innermost try region active at the target label, if any.
  uint32_t resume = 0;
  size_t outer = ctrl_.size() - 1;  // frames below the try
  size_t target = outer - 1 - label;
  for (size_t i = target + 1; i-- > 0;) {
    const Ctrl& c = ctrl_[i];
    if (!c.dead && c.try_region != UINT32_MAX && !(c.kind == FrameKind::kTry && c.in_catch)) {
      resume = c.try_region + 1;
      break;
    }
  }
  CatchHandler h;
  h.kind = kHandlerDelegate;
  h.tag = resume;
  f.legacy_handlers.push_back(h);
  OnEnd();
}

// ---- function ----

void Compiler::OnFunctionStart(const FunctionStart& start) {
  out_ = std::make_unique<FunctionCode>();
  code_.clear();
  slot_fixups_.clear();
  consts_.clear();
  const_index_.Clear();
  stack_.clear();
  ctrl_.clear();
  regions_.clear();
  handlers_.clear();
  return_handler_fixups_.clear();
  local_slot_.clear();
  local_width_.clear();
  max_temp_ = 0;
  reachable_ = true;
  last_dst_pos_ = UINT32_MAX;
  too_big_ = false;
  func_index_ = start.func_index;

  uint32_t slot = 0;
  for (ValueType t : start.locals) {
    local_slot_.push_back(slot);
    local_width_.push_back(WidthOf(t));
    slot += WidthOf(t);
  }
  num_local_slots_ = slot;
  uint32_t param_slots = 0;
  for (ValueType t : start.type->params) param_slots += WidthOf(t);
  result_widths_ = Widths(start.type->results);
  result_slots_ = 0;
  for (uint8_t w : result_widths_) result_slots_ += w;

  out_->func_index = start.func_index;
  out_->num_param_slots = param_slots;
  out_->num_result_slots = result_slots_;
  out_->num_local_slots = num_local_slots_;

  Ctrl f;
  f.kind = FrameKind::kFunction;
  f.result_widths = result_widths_;
  f.base_home = kTempTag;
  ctrl_.push_back(std::move(f));
}

Status Compiler::OnFunctionEnd(uint32_t end_offset) {
  if (code_.size() > kMaxCodeWords || too_big_) {
    return CompileError{end_offset, "function too big for the interpreter"};
  }
  uint32_t nconsts = static_cast<uint32_t>(consts_.size());
  auto fix = [&](uint32_t w) {
    if (w & kTempTag) return num_local_slots_ + nconsts + (w & ~kTempTag);
    if (w & kConstTag) return num_local_slots_ + (w & ~kConstTag);
    return w;
  };
  for (uint32_t pos : slot_fixups_) code_[pos] = fix(code_[pos]);
  for (CatchHandler& h : handlers_) h.dst_slot = fix(h.dst_slot);
  out_->frame_slots = num_local_slots_ + nconsts + max_temp_;
  out_->code = std::move(code_);
  out_->consts = std::move(consts_);
  out_->try_regions = std::move(regions_);
  out_->handlers = std::move(handlers_);
  code_ = {};
  consts_ = {};
  regions_ = {};
  handlers_ = {};
  return Ok{};
}

// ---- instructions ----

uint8_t Compiler::TopResultWidth(const ValidatorState& st) const {
  return st.operands.empty() ? 1 : WidthOf(st.operands.back());
}

bool Compiler::IsMemory64(uint32_t memory) const {
  return memory < module_.memories.size() && module_.memories[memory].limits.is64;
}

void Compiler::EmitUnary(IOp op, uint8_t width) {
  Entry a = Pop();
  uint32_t dst = Push(width);
  uint32_t opos = pc();
  Op(op);
  uint32_t dpos = pc();
  Slot(dst);
  Slot(a.src);
  last_dst_pos_ = dpos;
  last_op_pos_ = opos;
}

void Compiler::EmitBinary(IOp op, uint8_t width) {
  Entry b = Pop();
  Entry a = Pop();
  uint32_t dst = Push(width);
  uint32_t opos = pc();
  Op(op);
  uint32_t dpos = pc();
  Slot(dst);
  Slot(a.src);
  Slot(b.src);
  last_dst_pos_ = dpos;
  last_op_pos_ = opos;
}

uint32_t Compiler::EmitCondBranch(const Entry& cond, bool negate) {
  bool fresh = cond.src == cond.home && last_dst_pos_ != UINT32_MAX &&
               last_op_pos_ + 1 == last_dst_pos_ && code_[last_dst_pos_] == cond.home;
  if (fresh) {
    IOp op = static_cast<IOp>(code_[last_op_pos_]);
    static constexpr struct {
      IOp cmp, fused, inverse;
    } kFusable[] = {
        {IOp::kI32Eq, IOp::kBrIfI32Eq, IOp::kBrIfI32Ne},
        {IOp::kI32Ne, IOp::kBrIfI32Ne, IOp::kBrIfI32Eq},
        {IOp::kI32LtS, IOp::kBrIfI32LtS, IOp::kBrIfI32GeS},
        {IOp::kI32LtU, IOp::kBrIfI32LtU, IOp::kBrIfI32GeU},
        {IOp::kI32GtS, IOp::kBrIfI32GtS, IOp::kBrIfI32LeS},
        {IOp::kI32GtU, IOp::kBrIfI32GtU, IOp::kBrIfI32LeU},
        {IOp::kI32LeS, IOp::kBrIfI32LeS, IOp::kBrIfI32GtS},
        {IOp::kI32LeU, IOp::kBrIfI32LeU, IOp::kBrIfI32GtU},
        {IOp::kI32GeS, IOp::kBrIfI32GeS, IOp::kBrIfI32LtS},
        {IOp::kI32GeU, IOp::kBrIfI32GeU, IOp::kBrIfI32LtU},
    };
    // The compare's result only fed this branch: drop the compare and branch
    // on its operands directly.
    auto drop_compare = [&](uint32_t words, uint32_t* operands) {
      for (uint32_t i = 0; i < words; ++i) operands[i] = code_[last_op_pos_ + 2 + i];
      code_.resize(last_op_pos_);
      while (!slot_fixups_.empty() && slot_fixups_.back() >= last_op_pos_) slot_fixups_.pop_back();
    };
    if (op == IOp::kI32Eqz) {
      uint32_t a;
      drop_compare(1, &a);
      Op(negate ? IOp::kBrIf : IOp::kBrUnless);
      Slot(a);
      Word(0);
      return pc() - 1;
    }
    for (const auto& f : kFusable) {
      if (f.cmp != op) continue;
      uint32_t ab[2];
      drop_compare(2, ab);
      Op(negate ? f.inverse : f.fused);
      Slot(ab[0]);
      Slot(ab[1]);
      Word(0);
      return pc() - 1;
    }
  }
  Op(negate ? IOp::kBrUnless : IOp::kBrIf);
  Slot(cond.src);
  Word(0);
  return pc() - 1;
}

void Compiler::EmitLocalSet(uint32_t local, bool tee) {
  uint32_t ls = local_slot_[local];
  Entry& v = stack_.back();
  if (v.src == ls) {  // local.set x (local.get x): nothing changes
    if (!tee) stack_.pop_back();
    return;
  }
  // Values lazily read from this local must be taken before it changes.
  for (size_t i = 0; i + 1 < stack_.size(); ++i) {
    if (stack_[i].src == ls) Materialize(stack_[i]);
  }
  Entry& top = stack_.back();
  if (top.src == top.home && last_dst_pos_ != UINT32_MAX && code_[last_dst_pos_] == top.home) {
    // The instruction that produced the value writes the local directly.
    code_[last_dst_pos_] = ls;
    last_dst_pos_ = UINT32_MAX;
  } else {
    Op(top.width == 2 ? IOp::kCopy2 : IOp::kCopy);
    Slot(ls);
    Slot(top.src);
  }
  if (tee) {
    top.src = ls;
  } else {
    stack_.pop_back();
  }
}

void Compiler::EmitCall(IOp op, const FuncType& type, uint32_t word1, uint32_t word2,
                        bool has_word2, bool has_ref) {
  Entry ref{};
  if (has_ref) ref = Pop();
  uint32_t n = static_cast<uint32_t>(type.params.size());
  MaterializeTop(n);
  uint32_t arg_base = n ? stack_[stack_.size() - n].home : NextHome();
  stack_.resize(stack_.size() - n);
  Op(op);
  if (op != IOp::kCallRef) Word(word1);
  if (has_word2) Word(word2);
  if (has_ref) Slot(ref.src);
  Slot(arg_base);
  for (ValueType t : type.results) Push(WidthOf(t));
}

void Compiler::EmitReturnCall(IOp op, const FuncType& type, uint32_t word1, uint32_t word2,
                              bool has_word2, bool has_ref) {
  Entry ref{};
  if (has_ref) ref = Pop();
  uint32_t n = static_cast<uint32_t>(type.params.size());
  uint32_t arg_slots = 0;
  for (ValueType t : type.params) arg_slots += WidthOf(t);
  auto real = [&](uint32_t src) {
    return (src & kConstTag) ? num_local_slots_ + (src & ~kConstTag) : src;
  };
  if (has_ref && ref.src != ref.home && real(ref.src) < arg_slots) Materialize(ref);
  size_t base = stack_.size() - n;
  for (size_t i = base; i < stack_.size(); ++i) {
    Entry& e = stack_[i];
    if (e.src != e.home && real(e.src) < arg_slots) Materialize(e);
  }
  // The callee reads its own operand before the arguments move.
  uint32_t dest = 0;
  std::vector<std::pair<uint32_t, Entry>> moves;
  for (size_t i = base; i < stack_.size(); ++i) {
    const Entry& e = stack_[i];
    if (e.src != dest) moves.push_back({dest, e});
    dest += e.width;
  }
  // A ref in a temporary at or above the arguments could be overwritten by the
  // moves only if it sat below a destination, which cannot happen (its home
  // is above every argument's home, and destinations are at or below those).
  for (auto& [d, e] : moves) {
    Op(e.width == 2 ? IOp::kCopy2 : IOp::kCopy);
    Slot(d);
    Slot(e.src);
  }
  stack_.resize(base);
  Op(op);
  if (op != IOp::kReturnCallRef) Word(word1);
  if (has_word2) Word(word2);
  if (has_ref) Slot(ref.src);
  Word(arg_slots);
  MakeUnreachable();
}

void Compiler::EmitSimd(const Instruction& in, uint32_t nparams, uint8_t result_width,
                        uint32_t imm) {
  uint32_t src[3] = {0, 0, 0};
  for (uint32_t i = nparams; i-- > 0;) src[i] = Pop().src;
  uint32_t dst = result_width ? Push(result_width) : 0;
  if (in.opcode == Opcode::kI8x16Shuffle) {
    uint64_t lo, hi;
    std::memcpy(&lo, in.imm.value.v128, 8);
    std::memcpy(&hi, in.imm.value.v128 + 8, 8);
    src[2] = Const(lo, hi, 2);
  }
  Op(IOp::kSimd);
  Word(static_cast<uint32_t>(in.opcode));
  uint32_t dpos = pc();
  if (result_width) {
    Slot(dst);
  } else {
    Word(0);
  }
  for (uint32_t s : src) {
    if (s) {
      Slot(s);
    } else {
      Word(0);
    }
  }
  Word(imm);
  if (result_width) last_dst_pos_ = dpos;
}

void Compiler::EmitMemory(const Instruction& in, const ValidatorState& st) {
  const OpcodeInfo& info = InfoOf(in.opcode);
  const MemArg& m = in.imm.mem;
  IOp op;
  bool fast = m.memory == 0 && !IsMemory64(0) && m.offset <= UINT32_MAX;
  uint32_t lo = static_cast<uint32_t>(m.offset), hi = static_cast<uint32_t>(m.offset >> 32);
  if (IsLoadIOp(in.opcode, &op)) {
    Entry addr = Pop();
    uint32_t dst = Push(TopResultWidth(st));
    if (fast) {
      Op(op);
      uint32_t dpos = pc();
      Slot(dst);
      Slot(addr.src);
      Word(lo);
      last_dst_pos_ = dpos;
    } else {
      Op(IOp::kLoadX);
      Word(static_cast<uint32_t>(in.opcode));
      Slot(dst);
      Slot(addr.src);
      Word(m.memory);
      Word(lo);
      Word(hi);
    }
    return;
  }
  if (IsStoreIOp(in.opcode, &op)) {
    Entry v = Pop();
    Entry addr = Pop();
    if (fast) {
      Op(op);
      Slot(addr.src);
      Slot(v.src);
      Word(lo);
    } else {
      Op(IOp::kStoreX);
      Word(static_cast<uint32_t>(in.opcode));
      Slot(addr.src);
      Slot(v.src);
      Word(m.memory);
      Word(lo);
      Word(hi);
    }
    return;
  }
  uint32_t nparams = static_cast<uint32_t>(SigParams(info.sig).size());
  uint32_t nresults = static_cast<uint32_t>(SigResults(info.sig).size());
  if (PrefixOf(in.opcode) == kSimdPrefix) {
    // v128 loads/stores and lane accesses: [addr] or [addr, v128].
    uint32_t value = 0;
    if (nparams == 2) value = Pop().src;
    Entry addr = Pop();
    uint32_t dst = nresults ? Push(2) : 0;
    Op(IOp::kSimdMem);
    Word(static_cast<uint32_t>(in.opcode));
    if (nresults) Slot(dst); else Word(0);
    Slot(addr.src);
    if (value) Slot(value); else Word(0);
    Word(m.memory);
    Word(lo);
    Word(hi);
    Word(in.imm.lane);
    return;
  }
  // Atomics: [addr, a?, b?] -> [result?].
  uint32_t src[3] = {0, 0, 0};
  for (uint32_t i = nparams; i-- > 0;) src[i] = Pop().src;
  uint32_t dst = nresults ? Push(1) : 0;
  Op(IOp::kAtomic);
  Word(static_cast<uint32_t>(in.opcode));
  if (nresults) Slot(dst); else Word(0);
  for (uint32_t i = 0; i < 3; ++i) {
    if (i < nparams) Slot(src[i]); else Word(0);
  }
  Word(m.memory);
  Word(lo);
  Word(hi);
}

void Compiler::OnInstruction(const Instruction& in, const ValidatorState& st) {
  const Opcode op = in.opcode;
  const Immediates& imm = in.imm;
  if (!reachable_) {
    switch (op) {
      case Opcode::kBlock:
      case Opcode::kLoop:
      case Opcode::kIf:
      case Opcode::kTry:
      case Opcode::kTryTable: {
        Ctrl c;
        c.dead = true;
        ctrl_.push_back(std::move(c));
        return;
      }
      case Opcode::kElse:
        OnElse();
        return;
      case Opcode::kCatch:
      case Opcode::kCatchAll:
        OnLegacyCatch(in);
        return;
      case Opcode::kEnd:
        OnEnd();
        return;
      case Opcode::kDelegate:
        OnDelegate(imm.index);
        return;
      default:
        return;
    }
  }
  IOp iop;
  if (IsNumericIOp(op, &iop)) {
    const OpcodeInfo& info = InfoOf(op);
    uint8_t w = WidthOf(SigResults(info.sig)[0]);
    if (SigParams(info.sig).size() == 1) {
      EmitUnary(iop, w);
    } else {
      EmitBinary(iop, w);
    }
    return;
  }
  switch (op) {
    case Opcode::kNop:
    case Opcode::kAtomicFence:
      return;
    case Opcode::kUnreachable:
      Op(IOp::kUnreachable);
      MakeUnreachable();
      return;
    case Opcode::kBlock:
      MaterializeAll();
      PushCtrl(FrameKind::kBlock, imm.block);
      return;
    case Opcode::kTry: {  // legacy exceptions: see OnLegacyCatch
      MaterializeAll();
      PushCtrl(FrameKind::kTry, imm.block);
      Ctrl& f = ctrl_.back();
      f.try_height = f.height;
      TryRegion r;
      r.begin = pc();
      f.try_region = static_cast<uint32_t>(regions_.size());
      regions_.push_back(r);
      return;
    }
    case Opcode::kCatch:
    case Opcode::kCatchAll:
      OnLegacyCatch(in);
      return;
    case Opcode::kRethrow: {
      const Ctrl& t = ctrl_[ctrl_.size() - 1 - imm.index];
      MaterializeAll();
      Op(IOp::kThrowRef);
      Slot(t.base_home);
      MakeUnreachable();
      return;
    }
    case Opcode::kLoop:
      MaterializeAll();
      PushCtrl(FrameKind::kLoop, imm.block);
      ctrl_.back().loop_pc = pc();
      LabelHere();
      return;
    case Opcode::kIf: {
      Entry c = Pop();
      MaterializeAll();
      PushCtrl(FrameKind::kIf, imm.block);
      Ctrl& f = ctrl_.back();
      f.saved_params.assign(stack_.begin() + f.height, stack_.end());
      f.else_fixup = EmitCondBranch(c, /*negate=*/true);
      return;
    }
    case Opcode::kTryTable: {
      MaterializeAll();
      uint32_t first = static_cast<uint32_t>(handlers_.size());
      for (const CatchClause& cc : imm.catches) {
        Ctrl& t = ctrl_[ctrl_.size() - 1 - cc.label];
        CatchHandler h;
        h.kind = static_cast<uint32_t>(cc.kind);
        h.tag = cc.tag;
        uint32_t hi = static_cast<uint32_t>(handlers_.size());
        if (t.kind == FrameKind::kFunction) {
          h.dst_slot = 0;
          return_handler_fixups_.push_back(hi);
        } else {
          h.dst_slot = t.base_home;
          if (t.kind == FrameKind::kLoop) {
            h.target = t.loop_pc;
          } else {
            t.handler_fixups.push_back(hi);
          }
        }
        handlers_.push_back(h);
      }
      PushCtrl(FrameKind::kTryTable, imm.block);
      TryRegion r;
      r.begin = pc();
      r.first_handler = first;
      r.num_handlers = static_cast<uint32_t>(handlers_.size()) - first;
      ctrl_.back().try_region = static_cast<uint32_t>(regions_.size());
      regions_.push_back(r);
      return;
    }
    case Opcode::kElse:
      OnElse();
      return;
    case Opcode::kEnd:
      OnEnd();
      return;
    case Opcode::kDelegate:
      OnDelegate(imm.index);
      return;
    case Opcode::kBr:
      EmitBranchTo(ctrl_[ctrl_.size() - 1 - imm.index]);
      MakeUnreachable();
      return;
    case Opcode::kBrIf: {
      Entry c = Pop();
      Ctrl& t = ctrl_[ctrl_.size() - 1 - imm.index];
      if (t.kind != FrameKind::kFunction && !NeedsCopies(t)) {
        uint32_t at = EmitCondBranch(c, /*negate=*/false);
        if (t.kind == FrameKind::kLoop) {
          code_[at] = t.loop_pc;
        } else {
          t.fixups.push_back(at);
        }
      } else {
        uint32_t skip = EmitCondBranch(c, /*negate=*/true);
        EmitBranchTo(t);
        Bind(skip);
        LabelHere();
      }
      return;
    }
    case Opcode::kBrTable: {
      Entry idx = Pop();
      Op(IOp::kBrTable);
      Slot(idx.src);
      Word(static_cast<uint32_t>(imm.br_table.size() - 1));
      uint32_t table_at = pc();
      for (size_t i = 0; i < imm.br_table.size(); ++i) Word(0);
      std::unordered_map<uint32_t, uint32_t> stubs;
      for (size_t i = 0; i < imm.br_table.size(); ++i) {
        uint32_t depth = imm.br_table[i];
        Ctrl& t = ctrl_[ctrl_.size() - 1 - depth];
        if (t.kind != FrameKind::kFunction && !NeedsCopies(t)) {
          if (t.kind == FrameKind::kLoop) {
            code_[table_at + i] = t.loop_pc;
          } else {
            t.fixups.push_back(static_cast<uint32_t>(table_at + i));
          }
          continue;
        }
        auto it = stubs.find(depth);
        if (it != stubs.end()) {
          code_[table_at + i] = it->second;
          continue;
        }
        uint32_t at = pc();
        stubs[depth] = at;
        code_[table_at + i] = at;
        EmitBranchTo(t);
      }
      MakeUnreachable();
      return;
    }
    case Opcode::kReturn:
      EmitReturn();
      MakeUnreachable();
      return;
    case Opcode::kCall:
      EmitCall(IOp::kCall, module_.func_type(imm.index), imm.index, 0, false, false);
      return;
    case Opcode::kCallIndirect:
      EmitCall(IOp::kCallIndirect, module_.types[imm.index].func, imm.index, imm.index2, true,
               true);
      return;
    case Opcode::kCallRef:
      EmitCall(IOp::kCallRef, module_.types[imm.index].func, 0, 0, false, true);
      return;
    case Opcode::kReturnCall:
      EmitReturnCall(IOp::kReturnCall, module_.func_type(imm.index), imm.index, 0, false, false);
      return;
    case Opcode::kReturnCallIndirect:
      EmitReturnCall(IOp::kReturnCallIndirect, module_.types[imm.index].func, imm.index,
                     imm.index2, true, true);
      return;
    case Opcode::kReturnCallRef:
      EmitReturnCall(IOp::kReturnCallRef, module_.types[imm.index].func, 0, 0, false, true);
      return;
    case Opcode::kDrop:
      Pop();
      return;
    case Opcode::kSelect:
    case Opcode::kSelectT: {
      Entry c = Pop();
      Entry b = Pop();
      Entry a = Pop();
      uint8_t w = TopResultWidth(st);
      uint32_t dst = Push(w);
      Op(w == 2 ? IOp::kSelect2 : IOp::kSelect);
      uint32_t dpos = pc();
      Slot(dst);
      Slot(a.src);
      Slot(b.src);
      Slot(c.src);
      last_dst_pos_ = dpos;
      return;
    }
    case Opcode::kLocalGet:
      PushLazy(local_slot_[imm.index], local_width_[imm.index]);
      return;
    case Opcode::kLocalSet:
      EmitLocalSet(imm.index, false);
      return;
    case Opcode::kLocalTee:
      EmitLocalSet(imm.index, true);
      return;
    case Opcode::kGlobalGet: {
      uint8_t w = WidthOf(module_.globals[imm.index].type);
      uint32_t dst = Push(w);
      Op(w == 2 ? IOp::kGlobalGet2 : IOp::kGlobalGet);
      uint32_t dpos = pc();
      Slot(dst);
      Word(imm.index);
      last_dst_pos_ = dpos;
      return;
    }
    case Opcode::kGlobalSet: {
      Entry v = Pop();
      Op(v.width == 2 ? IOp::kGlobalSet2 : IOp::kGlobalSet);
      Word(imm.index);
      Slot(v.src);
      return;
    }
    case Opcode::kI32Const:
      PushLazy(Const(static_cast<uint32_t>(imm.value.i32), 0, 1), 1);
      return;
    case Opcode::kI64Const:
      PushLazy(Const(static_cast<uint64_t>(imm.value.i64), 0, 1), 1);
      return;
    case Opcode::kF32Const:
      PushLazy(Const(imm.value.f32_bits, 0, 1), 1);
      return;
    case Opcode::kF64Const:
      PushLazy(Const(imm.value.f64_bits, 0, 1), 1);
      return;
    case Opcode::kV128Const: {
      uint64_t lo, hi;
      std::memcpy(&lo, imm.value.v128, 8);
      std::memcpy(&hi, imm.value.v128 + 8, 8);
      PushLazy(Const(lo, hi, 2), 2);
      return;
    }
    case Opcode::kRefNull:
      PushLazy(Const(0, 0, 1), 1);
      return;
    case Opcode::kRefIsNull:
      EmitUnary(IOp::kRefIsNull, 1);
      return;
    case Opcode::kRefAsNonNull:
      EmitUnary(IOp::kRefAsNonNull, 1);
      return;
    case Opcode::kRefFunc: {
      uint32_t dst = Push(1);
      Op(IOp::kRefFunc);
      uint32_t dpos = pc();
      Slot(dst);
      Word(imm.index);
      last_dst_pos_ = dpos;
      return;
    }
    case Opcode::kBrOnNull: {
      Entry r = Pop();
      Op(IOp::kBrOnNonNull);
      Slot(r.src);
      uint32_t skip = pc();
      Word(0);
      EmitBranchTo(ctrl_[ctrl_.size() - 1 - imm.index]);
      Bind(skip);
      LabelHere();
      stack_.push_back(r);
      return;
    }
    case Opcode::kBrOnNonNull: {
      Op(IOp::kBrOnNull);
      Slot(stack_.back().src);
      uint32_t skip = pc();
      Word(0);
      EmitBranchTo(ctrl_[ctrl_.size() - 1 - imm.index]);
      Bind(skip);
      LabelHere();
      Pop();
      return;
    }
    case Opcode::kThrow: {
      const FuncType& t = module_.types[module_.tags[imm.index].type_index].func;
      uint32_t n = static_cast<uint32_t>(t.params.size());
      MaterializeTop(n);
      uint32_t arg_base = n ? stack_[stack_.size() - n].home : NextHome();
      Op(IOp::kThrow);
      Word(imm.index);
      Slot(arg_base);
      MakeUnreachable();
      return;
    }
    case Opcode::kThrowRef: {
      Entry r = Pop();
      Op(IOp::kThrowRef);
      Slot(r.src);
      MakeUnreachable();
      return;
    }
    case Opcode::kMemorySize: {
      uint32_t dst = Push(1);
      Op(IOp::kMemorySize);
      Slot(dst);
      Word(imm.index);
      return;
    }
    case Opcode::kMemoryGrow: {
      Entry d = Pop();
      uint32_t dst = Push(1);
      Op(IOp::kMemoryGrow);
      Slot(dst);
      Word(imm.index);
      Slot(d.src);
      return;
    }
    default:
      break;
  }
  const OpcodeInfo& info = InfoOf(op);
  if (info.imm == ImmKind::kMemArg || info.imm == ImmKind::kMemArgLane) {
    EmitMemory(in, st);
    return;
  }
  if (PrefixOf(op) == kSimdPrefix) {
    uint32_t nparams = static_cast<uint32_t>(SigParams(info.sig).size());
    auto results = SigResults(info.sig);
    EmitSimd(in, nparams, results.empty() ? 0 : WidthOf(results[0]), in.imm.lane);
    return;
  }
  EmitMisc(in, st);
}

void Compiler::EmitMisc(const Instruction& in, const ValidatorState& st) {
  const Immediates& imm = in.imm;
  auto pop3 = [&](uint32_t* a, uint32_t* b, uint32_t* c) {
    *c = Pop().src;
    *b = Pop().src;
    *a = Pop().src;
  };
  uint32_t a, b, c;
  switch (in.opcode) {
    case Opcode::kTableGet: {
      uint32_t i = Pop().src;
      uint32_t dst = Push(1);
      Op(IOp::kTableGet);
      Slot(dst);
      Word(imm.index);
      Slot(i);
      return;
    }
    case Opcode::kTableSet: {
      uint32_t v = Pop().src;
      uint32_t i = Pop().src;
      Op(IOp::kTableSet);
      Word(imm.index);
      Slot(i);
      Slot(v);
      return;
    }
    case Opcode::kTableSize: {
      uint32_t dst = Push(1);
      Op(IOp::kTableSize);
      Slot(dst);
      Word(imm.index);
      return;
    }
    case Opcode::kTableGrow: {
      uint32_t n = Pop().src;
      uint32_t init = Pop().src;
      uint32_t dst = Push(1);
      Op(IOp::kTableGrow);
      Slot(dst);
      Word(imm.index);
      Slot(init);
      Slot(n);
      return;
    }
    case Opcode::kTableFill:
      pop3(&a, &b, &c);
      Op(IOp::kTableFill);
      Word(imm.index);
      Slot(a);
      Slot(b);
      Slot(c);
      return;
    case Opcode::kTableCopy:
      pop3(&a, &b, &c);
      Op(IOp::kTableCopy);
      Word(imm.index);
      Word(imm.index2);
      Slot(a);
      Slot(b);
      Slot(c);
      return;
    case Opcode::kTableInit:
      pop3(&a, &b, &c);
      Op(IOp::kTableInit);
      Word(imm.index2);
      Word(imm.index);
      Slot(a);
      Slot(b);
      Slot(c);
      return;
    case Opcode::kElemDrop:
      Op(IOp::kElemDrop);
      Word(imm.index);
      return;
    case Opcode::kMemoryInit:
      pop3(&a, &b, &c);
      Op(IOp::kMemoryInit);
      Word(imm.index2);
      Word(imm.index);
      Slot(a);
      Slot(b);
      Slot(c);
      return;
    case Opcode::kDataDrop:
      Op(IOp::kDataDrop);
      Word(imm.index);
      return;
    case Opcode::kMemoryCopy:
      pop3(&a, &b, &c);
      Op(IOp::kMemoryCopy);
      Word(imm.index);
      Word(imm.index2);
      Slot(a);
      Slot(b);
      Slot(c);
      return;
    case Opcode::kMemoryFill:
      pop3(&a, &b, &c);
      Op(IOp::kMemoryFill);
      Word(imm.index);
      Slot(a);
      Slot(b);
      Slot(c);
      return;
    default:
      break;
  }
  if (EmitGc(in)) return;
  // Anything else the validator accepts but the interpreter does not run is
  // compiled as a trap so the module still validates and runs up to it.
  (void)st;
  Op(IOp::kUnreachable);
  MakeUnreachable();
}

}  // namespace wasmstream::wasm
