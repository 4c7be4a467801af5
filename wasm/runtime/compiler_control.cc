// The interpreter compiler: blocks, branches, else/end, return, and legacy
// exception regions.
#include "wasm/runtime/compiler.h"

#include "wasm/opcodes.h"
#include "wasm/runtime/compiler_internal.h"

namespace wasmstream::wasm {

using namespace compiler_internal;

// ---- control ----

void Compiler::PushCtrl(FrameKind kind, const BlockSig& sig) {
  Ctrl& c = ctrl_.Push(kind);
  for (ValueType t : sig.params) c.param_widths.push_back(WidthOf(t));
  for (ValueType t : sig.results) c.result_widths.push_back(WidthOf(t));
  c.height = static_cast<uint32_t>(stack_.size() - sig.params.size());
  c.base_home = c.height < stack_.size() ? stack_[c.height].home : NextHome();
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
// their own temporaries; then ascending copies are safe. The operand stack is
// left as it was: on a conditional branch's path (br_if, br_on_* to the
// function's label) the code that falls through has not made those copies.
void Compiler::EmitReturn() {
  uint32_t n = static_cast<uint32_t>(result_widths_.size());
  size_t base = stack_.size() - n;
  std::vector<Entry>& results = return_scratch_;
  results.assign(stack_.begin() + base, stack_.end());
  for (Entry& e : results) {
    if (e.src == e.home) continue;
    uint32_t real = (e.src & kConstTag) ? num_local_slots_ + (e.src & ~kConstTag) : e.src;
    if (real < result_slots_) Materialize(e);
  }
  uint32_t dest = 0;
  for (const Entry& e : results) {
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
    const FuncType& ft = module_->types[module_->tags[h.tag].type_index].func;
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

}  // namespace wasmstream::wasm
