// EvalConstExpr (instance.h): a constant expression is walked by the one
// decoder and validator of wasm code (DecodeConstExpr), which hands each
// decoded instruction to the evaluator below. So an expression is evaluated
// only as what it validates as, never by a second reading of its bytes: a
// module loaded from a cache entry cannot make `i64.const` bits a funcref.
#include <cstring>
#include <optional>

#include "wasm/code_sink.h"
#include "wasm/function_body_decoder.h"
#include "wasm/runtime/gc_heap.h"
#include "wasm/runtime/gc_object.h"
#include "wasm/runtime/instance.h"
#include "wasm/runtime/store.h"

namespace wasmstream::wasm {
namespace {

class ConstEvaluator final : public CodeSink {
 public:
  explicit ConstEvaluator(const Instance& instance) : inst_(instance) {}

  void OnFunctionStart(const FunctionStart&) override {}
  Status OnFunctionEnd(uint32_t) override { return Ok{}; }

  void OnInstruction(const Instruction& in, const ValidatorState&) override {
    if (error_) return;
    const Immediates& imm = in.imm;
    switch (in.opcode) {
      case Opcode::kEnd: return;
      case Opcode::kI32Const: stack_.push_back(Value::I32(static_cast<uint32_t>(imm.value.i32))); return;
      case Opcode::kI64Const: stack_.push_back(Value::I64(static_cast<uint64_t>(imm.value.i64))); return;
      case Opcode::kF32Const: stack_.push_back(Value::F32Bits(imm.value.f32_bits)); return;
      case Opcode::kF64Const: stack_.push_back(Value::F64Bits(imm.value.f64_bits)); return;
      case Opcode::kV128Const: {
        V128 v;
        std::memcpy(v.bytes, imm.value.v128, 16);
        stack_.push_back(Value::Vec(v));
        return;
      }
      case Opcode::kRefNull: stack_.push_back(Value::Ref(imm.type, kNullRef)); return;
      case Opcode::kRefFunc:
        if (imm.index >= inst_.funcs.size()) return Fail(Error::Link("constant expression: no function"));
        stack_.push_back(Value::Func(inst_.funcs[imm.index]));
        return;
      case Opcode::kGlobalGet:
        // Only globals defined before the one being initialized (validated).
        if (imm.index >= inst_.globals.size() || !inst_.globals[imm.index]) {
          return Fail(Error::Link("constant expression: global not yet defined"));
        }
        stack_.push_back(inst_.globals[imm.index]->Get());
        return;
      case Opcode::kI32Add: case Opcode::kI32Sub: case Opcode::kI32Mul: {
        uint32_t b = Pop().u.i32, &a = stack_.back().u.i32;
        a = in.opcode == Opcode::kI32Add ? a + b : in.opcode == Opcode::kI32Sub ? a - b : a * b;
        return;
      }
      case Opcode::kI64Add: case Opcode::kI64Sub: case Opcode::kI64Mul: {
        uint64_t b = Pop().u.i64, &a = stack_.back().u.i64;
        a = in.opcode == Opcode::kI64Add ? a + b : in.opcode == Opcode::kI64Sub ? a - b : a * b;
        return;
      }
      case Opcode::kAnyConvertExtern: case Opcode::kExternConvertAny:
        return;  // one encoding for both hierarchies (value.h)
      case Opcode::kRefI31:
        stack_.back() = Value::Ref(ValueType::Ref(HeapType::Abstract(AbstractHeap::kI31), false),
                                   I31Ref(stack_.back().u.i32));
        return;
      case Opcode::kStructNew: case Opcode::kStructNewDefault: case Opcode::kArrayNew:
      case Opcode::kArrayNewDefault: case Opcode::kArrayNewFixed:
        return New(in);
      default:
        return Fail(Error::Link(std::string("unsupported constant expression: ") + NameOf(in.opcode)));
    }
  }

  Outcome<Value> Result(ValueType type) {
    if (error_) return *error_;
    if (stack_.size() != 1) return Error::Link("unsupported constant expression");
    stack_.back().type = type;  // the validated type is a subtype of {type}
    return stack_.back();
  }

 private:
  void Fail(Error e) {
    if (!error_) error_ = std::move(e);
  }
  Value Pop() {
    Value v = stack_.back();
    stack_.pop_back();
    return v;
  }
  // Pops {n} values into consecutive slots.
  std::vector<uint64_t> PopSlots(size_t n) {
    std::vector<uint64_t> out;
    for (size_t i = stack_.size() - n; i < stack_.size(); ++i) {
      uint64_t s[2] = {0, 0};
      StoreToSlots(stack_[i], s);
      out.push_back(s[0]);
      if (stack_[i].type.kind == ValueKind::kV128) out.push_back(s[1]);
    }
    stack_.resize(stack_.size() - n);
    return out;
  }

  void New(const Instruction& in) {
    Store& store = inst_.store();
    uint32_t x = in.imm.index;
    uint32_t id = inst_.canon_types[x];
    const CanonType& t = store.types().type(id);
    std::vector<uint64_t> slots;
    RefBits ref = kNullRef;
    TrapKind trap = TrapKind::kNone;
    switch (in.opcode) {
      case Opcode::kStructNew:
        slots = PopSlots(t.fields.size());
        trap = NewStruct(store, id, slots.data(), &ref);
        break;
      case Opcode::kStructNewDefault: trap = NewStruct(store, id, nullptr, &ref); break;
      case Opcode::kArrayNew: {
        uint32_t n = Pop().u.i32;
        slots = PopSlots(1);
        trap = NewArray(store, id, n, slots.data(), &ref);
        break;
      }
      case Opcode::kArrayNewDefault: trap = NewArray(store, id, Pop().u.i32, nullptr, &ref); break;
      default:  // array.new_fixed
        slots = PopSlots(in.imm.index2);
        trap = NewArrayFixed(store, id, in.imm.index2, slots.data(), &ref);
        break;
    }
    if (trap != TrapKind::kNone) return Fail(Error::Trap(trap));
    stack_.push_back(Value::Ref(ValueType::Ref(HeapType::Index(x), false), ref));
  }

  const Instance& inst_;
  std::vector<Value> stack_;
  std::optional<Error> error_;
};

}  // namespace

Outcome<Value> EvalConstExpr(const Module& module, const Instance& instance, const ConstExpr& expr,
                             ValueType type) {
  const ByteRange& r = expr.bytes;
  if (r.offset > module.wire_bytes.size() || r.length > module.wire_bytes.size() - r.offset) {
    return Error::Link("constant expression outside the module's bytes");
  }
  ConstEvaluator eval(instance);
  auto len = DecodeConstExpr(module, std::span(module.wire_bytes.data() + r.offset, r.length),
                             r.offset, type, static_cast<uint32_t>(module.globals.size()), &eval);
  if (!len.ok() || len.value() != r.length) {
    return Error::Link("invalid constant expression" +
                       (len.ok() ? std::string() : ": " + len.error().message));
  }
  return eval.Result(type);
}

}  // namespace wasmstream::wasm
