// The interpreter compiler: emission, the compile-time operand stack, and
// function start and end (frame layout). Control flow: compiler_control.cc;
// instructions: compiler_instructions.cc, compiler_emit.cc; GC: compiler_gc.cc.
#include "wasm/runtime/compiler.h"

#include <algorithm>

#include "wasm/function_body_decoder.h"
#include "wasm/runtime/compiler_internal.h"
#include "wasm/runtime/limits.h"

namespace wasmstream::wasm {

using namespace compiler_internal;

// ---- emission and the compile-time operand stack ----

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

// ---- function ----

void Compiler::OnFunctionStart(const FunctionStart& start) {
  out_ = FunctionCode{};
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
  last_op_pos_ = UINT32_MAX;
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
  result_widths_.clear();
  for (ValueType t : start.type->results) result_widths_.push_back(WidthOf(t));
  result_slots_ = 0;
  for (uint8_t w : result_widths_) result_slots_ += w;

  out_.func_index = start.func_index;
  out_.num_param_slots = param_slots;
  out_.num_result_slots = result_slots_;
  out_.num_local_slots = num_local_slots_;

  Ctrl& f = ctrl_.Push(FrameKind::kFunction);
  f.result_widths = result_widths_;
  f.base_home = kTempTag;
}

void Compiler::Ctrl::Reset(FrameKind k) {
  kind = k;
  dead = false;
  height = 0;
  base_home = 0;
  param_widths.clear();
  result_widths.clear();
  fixups.clear();
  handler_fixups.clear();
  loop_pc = 0;
  else_fixup = UINT32_MAX;
  try_region = UINT32_MAX;
  saved_params.clear();
  in_catch = false;
  try_height = 0;
  legacy_handlers.clear();
}

Status Compiler::OnFunctionEnd(uint32_t end_offset) {
  if (code_.size() > kMaxCodeWords || too_big_) {
    return CompileError{end_offset, "function too big for the interpreter"};
  }
  uint32_t nconsts = static_cast<uint32_t>(consts_.size());
  // Locals, not members, in the loops: a store into code_ could otherwise
  // alias them and force a reload per word.
  const uint32_t const_base = num_local_slots_;
  const uint32_t temp_base = num_local_slots_ + nconsts;
  auto fix = [const_base, temp_base](uint32_t w) {
    if (w & kTempTag) return temp_base + (w & ~kTempTag);
    if (w & kConstTag) return const_base + (w & ~kConstTag);
    return w;
  };
  uint32_t* code = code_.data();
  for (uint32_t pos : slot_fixups_) code[pos] = fix(code[pos]);
  for (CatchHandler& h : handlers_) h.dst_slot = fix(h.dst_slot);
  // The results come back in slots 0..: a frame holds them even when the
  // function needs fewer slots (its body never returns, say), so every slot
  // the function writes is its own.
  out_.frame_slots = std::max(num_local_slots_ + nconsts + max_temp_, result_slots_);
  // Copies of exactly the right size: the buffers stay for the next function.
  out_.code.assign(code_.begin(), code_.end());
  out_.consts.assign(consts_.begin(), consts_.end());
  out_.try_regions.assign(regions_.begin(), regions_.end());
  out_.handlers.assign(handlers_.begin(), handlers_.end());
  return Ok{};
}

Result<std::unique_ptr<FunctionCode>> CompileFunction(const Module& module, uint32_t func_index) {
  if (func_index < module.num_imported_functions || func_index >= module.functions.size()) {
    return CompileError{0, "no function #" + std::to_string(func_index) + " to compile"};
  }
  const ByteRange& body = module.functions[func_index].body;
  if (body.offset > module.wire_bytes.size() ||
      body.length > module.wire_bytes.size() - body.offset) {
    return CompileError{body.offset, "function body outside the module's bytes"};
  }
  Compiler compiler(module);
  Status s = DecodeFunctionBody(module, func_index,
                                std::span(module.wire_bytes.data() + body.offset, body.length),
                                body.offset, &compiler);
  if (!s.ok()) return s.error();
  return compiler.Take();
}

}  // namespace wasmstream::wasm
