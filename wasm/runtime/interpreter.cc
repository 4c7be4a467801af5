#include "wasm/runtime/interpreter.h"

#include <sys/mman.h>

#include <atomic>
#include <bit>
#include <cmath>
#include <cstring>

#include "wasm/code_sink.h"
#include "wasm/runtime/instance.h"
#include "wasm/runtime/limits.h"
#include "wasm/runtime/ops.h"
#include "wasm/runtime/store.h"

namespace wasmstream::wasm {

ExecStack::ExecStack() {
  size_t bytes = size_t{kValueStackSlots} * 8;
  void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                 -1, 0);
  if (p != MAP_FAILED) {
    slots = static_cast<uint64_t*>(p);
    slots_end = slots + kValueStackSlots;
    top = slots;
  }
  size_t frame_bytes = size_t{kMaxCallFrames} * sizeof(CallFrame);
  void* f = mmap(nullptr, frame_bytes, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (f != MAP_FAILED) {
    frames = static_cast<CallFrame*>(f);
    frames_top = frames;
    frames_end = frames + kMaxCallFrames;
  }
}

ExecStack::~ExecStack() {
  if (slots) munmap(slots, size_t{kValueStackSlots} * 8);
  if (frames) munmap(frames, size_t{kMaxCallFrames} * sizeof(CallFrame));
}

std::unique_ptr<ExecStack> NewExecStack() { return std::make_unique<ExecStack>(); }

namespace {

// Calls a host function with arguments (and results) in {slots}.
Error* CallHost(Store& store, Instance* caller, const FuncInstance* f, uint64_t* slots,
               Error* err_out) {
  // What the host gets from wasm calls it makes is rooted for this call only.
  HostRootScope roots(store);
  Store::CallerScope calling(store, caller);
  std::vector<Value> args;
  args.reserve(f->type.params.size());
  uint32_t s = 0;
  for (ValueType t : f->type.params) {
    args.push_back(LoadFromSlots(t, slots + s));
    s += SlotCount(t);
  }
  auto r = f->host(args);
  if (!r.ok()) {
    *err_out = r.error();
    return err_out;
  }
  const std::vector<Value>& res = r.value();
  if (res.size() != f->type.results.size()) {
    *err_out = Error::Type("host function returned " + std::to_string(res.size()) +
                           " values, expected " + std::to_string(f->type.results.size()));
    return err_out;
  }
  s = 0;
  for (size_t i = 0; i < res.size(); ++i) {
    ValueType t = f->type.results[i];
    if (res[i].type.kind != t.kind ||
        (t.is_ref() && !RefFitsType(store, f->instance, t, res[i].u.ref))) {
      *err_out = Error::Type("host function returned a value of the wrong type");
      return err_out;
    }
    StoreToSlots(res[i], slots + s);
    s += SlotCount(t);
  }
  return nullptr;
}

// Finds a try_table handler for {exn} in frame {code} at code index {at}.
const CatchHandler* FindHandler(const FunctionCode* code, const Instance* inst, uint32_t at,
                                const Exception* exn) {
  for (size_t r = code->try_regions.size(); r-- > 0;) {
    const TryRegion& region = code->try_regions[r];
    if (at < region.begin || at >= region.end) continue;
    for (uint32_t h = 0; h < region.num_handlers; ++h) {
      const CatchHandler& handler = code->handlers[region.first_handler + h];
      if (handler.kind == kHandlerDelegate) {
        if (handler.tag == 0) return nullptr;
        r = handler.tag;  // the loop's r-- resumes at region tag-1
        break;
      }
      if (handler.kind == kHandlerLegacyCatchAll) return &handler;
      if (handler.kind == kHandlerLegacyCatch) {
        if (inst->tags[handler.tag] == exn->tag) return &handler;
        continue;
      }
      CatchKind kind = static_cast<CatchKind>(handler.kind);
      if (kind == CatchKind::kCatchAll || kind == CatchKind::kCatchAllRef) return &handler;
      if (inst->tags[handler.tag] == exn->tag) return &handler;
    }
  }
  return nullptr;
}

// Runs {f} (a wasm function) with its frame at {fp}; results end up at fp[0..].
Error* Run(Store& store, ExecStack& stack, const FuncInstance* f, uint64_t* fp, Error* err) {
  static const void* const kDispatch[] = {
#define WASMSTREAM_LABEL(name) &&L_##name,
      WASMSTREAM_FOREACH_NUMERIC_IOP(WASMSTREAM_LABEL)
      WASMSTREAM_FOREACH_LOAD_IOP(WASMSTREAM_LABEL)
      WASMSTREAM_FOREACH_STORE_IOP(WASMSTREAM_LABEL)
      WASMSTREAM_FOREACH_OTHER_IOP(WASMSTREAM_LABEL)
#undef WASMSTREAM_LABEL
  };
  static_assert(sizeof(kDispatch) / sizeof(kDispatch[0]) == static_cast<size_t>(IOp::kCount));

  // Frames of this activation sit above {entry} (a host call may nest
  // another activation above them).
  CallFrame*& frames_top = stack.frames_top;
  CallFrame* const entry = frames_top;
  const FunctionCode* code = nullptr;
  Instance* inst = nullptr;
  const uint32_t* pc = nullptr;
  const uint32_t* base = nullptr;
  uint8_t* mem_base = nullptr;
  uint64_t mem_size = 0;
  TrapKind trap = TrapKind::kNone;
  const FuncInstance* callee = f;
  uint64_t* args = fp;
  const Exception* exn = nullptr;
  uint32_t throw_at = 0;
  // Polled at loop back-edges and calls (Store::Interrupt): one relaxed load.
  const std::atomic<uint32_t>& interrupt = store.interrupt_word();

#define NEXT() goto* kDispatch[*pc]
#define INTERRUPTED() __builtin_expect(interrupt.load(std::memory_order_relaxed) != 0, 0)
// A taken branch: a backward one (to a loop) polls for an interrupt.
#define JUMP(t)                                         \
  do {                                                  \
    const uint32_t* to = (t);                           \
    if (to <= pc && INTERRUPTED()) goto interrupted;    \
    pc = to;                                            \
    NEXT();                                             \
  } while (0)
#define RELOAD_MEMORY()                                        \
  do {                                                         \
    if (!inst->memories.empty()) {                             \
      mem_base = inst->memories[0]->data();                    \
      mem_size = inst->memories[0]->size();                    \
    }                                                          \
  } while (0)
#define TRAP(k)  \
  do {           \
    trap = (k);  \
    goto trap;   \
  } while (0)
#define U32(i) static_cast<uint32_t>(fp[pc[i]])
#define S32(i) static_cast<int32_t>(fp[pc[i]])
#define U64(i) (fp[pc[i]])
#define S64(i) static_cast<int64_t>(fp[pc[i]])
#define F32(i) BitsToF32(static_cast<uint32_t>(fp[pc[i]]))
#define F64(i) BitsToF64(fp[pc[i]])
#define SET32(v) fp[pc[1]] = static_cast<uint32_t>(v)
#define SET64(v) fp[pc[1]] = static_cast<uint64_t>(v)
#define SETF32(v) fp[pc[1]] = F32ToBits(v)
#define SETF64(v) fp[pc[1]] = F64ToBits(v)
#define UN(name, ...) \
  L_##name : {         \
    __VA_ARGS__;       \
    pc += 3;           \
    NEXT();            \
  }
#define BIN(name, ...) \
  L_##name : {          \
    __VA_ARGS__;        \
    pc += 4;            \
    NEXT();             \
  }

  goto enter;

enter:
  // {callee} is a wasm function whose arguments are at {args}.
  if (frames_top - entry >= kMaxCallDepth || frames_top == stack.frames_end) {
    TRAP(TrapKind::kCallStackExhausted);
  }
  if (INTERRUPTED()) goto interrupted;
  code = callee->code;
  if (__builtin_expect(code == nullptr, 0)) {  // compiled on its first call
    code = callee->instance->CompileLazily(callee->func_index, err);
    if (!code) goto fail;
  }
  // Two spare slots: SIMD operations read 16 bytes at any operand slot.
  if (args + code->frame_slots + 2 > stack.slots_end) TRAP(TrapKind::kCallStackExhausted);
  inst = callee->instance;
  fp = args;
  std::memset(fp + code->num_param_slots, 0,
              (code->num_local_slots - code->num_param_slots) * sizeof(uint64_t));
  if (!code->consts.empty()) {
    std::memcpy(fp + code->num_local_slots, code->consts.data(),
                code->consts.size() * sizeof(uint64_t));
  }
  base = code->code.data();
  pc = base;
  RELOAD_MEMORY();
  NEXT();

do_call:
  // {callee} and {args} set, {pc} at the next instruction.
  if (callee->is_host()) {
    stack.top = fp + code->frame_slots;
    if (CallHost(store, inst, callee, args, err)) {
      if (err->kind == ErrorKind::kException && err->exception) {
        exn = err->exception;
        throw_at = static_cast<uint32_t>(pc - base) - 1;
        goto do_throw;
      }
      goto fail;
    }
    RELOAD_MEMORY();
    NEXT();
  }
  *frames_top++ = CallFrame{pc, fp, code, inst};
  goto enter;

  // ---- numeric ----
  UN(I32Eqz, SET32(U32(2) == 0))
  BIN(I32Eq, SET32(U32(2) == U32(3)))
  BIN(I32Ne, SET32(U32(2) != U32(3)))
  BIN(I32LtS, SET32(S32(2) < S32(3)))
  BIN(I32LtU, SET32(U32(2) < U32(3)))
  BIN(I32GtS, SET32(S32(2) > S32(3)))
  BIN(I32GtU, SET32(U32(2) > U32(3)))
  BIN(I32LeS, SET32(S32(2) <= S32(3)))
  BIN(I32LeU, SET32(U32(2) <= U32(3)))
  BIN(I32GeS, SET32(S32(2) >= S32(3)))
  BIN(I32GeU, SET32(U32(2) >= U32(3)))
  UN(I64Eqz, SET32(U64(2) == 0))
  BIN(I64Eq, SET32(U64(2) == U64(3)))
  BIN(I64Ne, SET32(U64(2) != U64(3)))
  BIN(I64LtS, SET32(S64(2) < S64(3)))
  BIN(I64LtU, SET32(U64(2) < U64(3)))
  BIN(I64GtS, SET32(S64(2) > S64(3)))
  BIN(I64GtU, SET32(U64(2) > U64(3)))
  BIN(I64LeS, SET32(S64(2) <= S64(3)))
  BIN(I64LeU, SET32(U64(2) <= U64(3)))
  BIN(I64GeS, SET32(S64(2) >= S64(3)))
  BIN(I64GeU, SET32(U64(2) >= U64(3)))
  BIN(F32Eq, SET32(F32(2) == F32(3)))
  BIN(F32Ne, SET32(F32(2) != F32(3)))
  BIN(F32Lt, SET32(F32(2) < F32(3)))
  BIN(F32Gt, SET32(F32(2) > F32(3)))
  BIN(F32Le, SET32(F32(2) <= F32(3)))
  BIN(F32Ge, SET32(F32(2) >= F32(3)))
  BIN(F64Eq, SET32(F64(2) == F64(3)))
  BIN(F64Ne, SET32(F64(2) != F64(3)))
  BIN(F64Lt, SET32(F64(2) < F64(3)))
  BIN(F64Gt, SET32(F64(2) > F64(3)))
  BIN(F64Le, SET32(F64(2) <= F64(3)))
  BIN(F64Ge, SET32(F64(2) >= F64(3)))
  UN(I32Clz, SET32(std::countl_zero(U32(2))))
  UN(I32Ctz, SET32(std::countr_zero(U32(2))))
  UN(I32Popcnt, SET32(std::popcount(U32(2))))
  BIN(I32Add, SET32(U32(2) + U32(3)))
  BIN(I32Sub, SET32(U32(2) - U32(3)))
  BIN(I32Mul, SET32(U32(2) * U32(3)))
  BIN(I32DivS, {
    int32_t a = S32(2), b = S32(3);
    if (b == 0) TRAP(TrapKind::kDivByZero);
    if (a == INT32_MIN && b == -1) TRAP(TrapKind::kIntOverflow);
    SET32(a / b);
  })
  BIN(I32DivU, {
    uint32_t a = U32(2), b = U32(3);
    if (b == 0) TRAP(TrapKind::kDivByZero);
    SET32(a / b);
  })
  BIN(I32RemS, {
    int32_t a = S32(2), b = S32(3);
    if (b == 0) TRAP(TrapKind::kDivByZero);
    SET32(b == -1 ? 0 : a % b);
  })
  BIN(I32RemU, {
    uint32_t a = U32(2), b = U32(3);
    if (b == 0) TRAP(TrapKind::kDivByZero);
    SET32(a % b);
  })
  BIN(I32And, SET32(U32(2) & U32(3)))
  BIN(I32Or, SET32(U32(2) | U32(3)))
  BIN(I32Xor, SET32(U32(2) ^ U32(3)))
  BIN(I32Shl, SET32(U32(2) << (U32(3) & 31)))
  BIN(I32ShrS, SET32(S32(2) >> (U32(3) & 31)))
  BIN(I32ShrU, SET32(U32(2) >> (U32(3) & 31)))
  BIN(I32Rotl, SET32(std::rotl(U32(2), static_cast<int>(U32(3) & 31))))
  BIN(I32Rotr, SET32(std::rotr(U32(2), static_cast<int>(U32(3) & 31))))
  UN(I64Clz, SET64(std::countl_zero(U64(2))))
  UN(I64Ctz, SET64(std::countr_zero(U64(2))))
  UN(I64Popcnt, SET64(std::popcount(U64(2))))
  BIN(I64Add, SET64(U64(2) + U64(3)))
  BIN(I64Sub, SET64(U64(2) - U64(3)))
  BIN(I64Mul, SET64(U64(2) * U64(3)))
  BIN(I64DivS, {
    int64_t a = S64(2), b = S64(3);
    if (b == 0) TRAP(TrapKind::kDivByZero);
    if (a == INT64_MIN && b == -1) TRAP(TrapKind::kIntOverflow);
    SET64(a / b);
  })
  BIN(I64DivU, {
    uint64_t a = U64(2), b = U64(3);
    if (b == 0) TRAP(TrapKind::kDivByZero);
    SET64(a / b);
  })
  BIN(I64RemS, {
    int64_t a = S64(2), b = S64(3);
    if (b == 0) TRAP(TrapKind::kDivByZero);
    SET64(b == -1 ? 0 : a % b);
  })
  BIN(I64RemU, {
    uint64_t a = U64(2), b = U64(3);
    if (b == 0) TRAP(TrapKind::kDivByZero);
    SET64(a % b);
  })
  BIN(I64And, SET64(U64(2) & U64(3)))
  BIN(I64Or, SET64(U64(2) | U64(3)))
  BIN(I64Xor, SET64(U64(2) ^ U64(3)))
  BIN(I64Shl, SET64(U64(2) << (U64(3) & 63)))
  BIN(I64ShrS, SET64(S64(2) >> (U64(3) & 63)))
  BIN(I64ShrU, SET64(U64(2) >> (U64(3) & 63)))
  BIN(I64Rotl, SET64(std::rotl(U64(2), static_cast<int>(U64(3) & 63))))
  BIN(I64Rotr, SET64(std::rotr(U64(2), static_cast<int>(U64(3) & 63))))
  UN(F32Abs, SET32(U32(2) & 0x7FFF'FFFFu))
  UN(F32Neg, SET32(U32(2) ^ 0x8000'0000u))
  UN(F32Ceil, SETF32(Round([](auto v) { return std::ceil(v); }, F32(2))))
  UN(F32Floor, SETF32(Round([](auto v) { return std::floor(v); }, F32(2))))
  UN(F32Trunc, SETF32(Round([](auto v) { return std::trunc(v); }, F32(2))))
  UN(F32Nearest, SETF32(Round([](auto v) { return std::nearbyint(v); }, F32(2))))
  UN(F32Sqrt, SETF32(std::sqrt(F32(2))))
  BIN(F32Add, SETF32(F32(2) + F32(3)))
  BIN(F32Sub, SETF32(F32(2) - F32(3)))
  BIN(F32Mul, SETF32(F32(2) * F32(3)))
  BIN(F32Div, SETF32(F32(2) / F32(3)))
  BIN(F32Min, SETF32(WasmMin(F32(2), F32(3))))
  BIN(F32Max, SETF32(WasmMax(F32(2), F32(3))))
  BIN(F32Copysign, SET32((U32(2) & 0x7FFF'FFFFu) | (U32(3) & 0x8000'0000u)))
  UN(F64Abs, SET64(U64(2) & 0x7FFF'FFFF'FFFF'FFFFull))
  UN(F64Neg, SET64(U64(2) ^ 0x8000'0000'0000'0000ull))
  UN(F64Ceil, SETF64(Round([](auto v) { return std::ceil(v); }, F64(2))))
  UN(F64Floor, SETF64(Round([](auto v) { return std::floor(v); }, F64(2))))
  UN(F64Trunc, SETF64(Round([](auto v) { return std::trunc(v); }, F64(2))))
  UN(F64Nearest, SETF64(Round([](auto v) { return std::nearbyint(v); }, F64(2))))
  UN(F64Sqrt, SETF64(std::sqrt(F64(2))))
  BIN(F64Add, SETF64(F64(2) + F64(3)))
  BIN(F64Sub, SETF64(F64(2) - F64(3)))
  BIN(F64Mul, SETF64(F64(2) * F64(3)))
  BIN(F64Div, SETF64(F64(2) / F64(3)))
  BIN(F64Min, SETF64(WasmMin(F64(2), F64(3))))
  BIN(F64Max, SETF64(WasmMax(F64(2), F64(3))))
  BIN(F64Copysign, SET64((U64(2) & 0x7FFF'FFFF'FFFF'FFFFull) | (U64(3) & 0x8000'0000'0000'0000ull)))
  UN(I32WrapI64, SET32(U64(2)))
#define TRUNC(name, I, F, get, set)                                     \
  UN(name, {                                                            \
    auto x = get(2);                                                    \
    if (TrapKind k = TruncCheck<I>(x); k != TrapKind::kNone) TRAP(k);   \
    set(static_cast<I>(x));                                             \
  })
  TRUNC(I32TruncF32S, int32_t, float, F32, SET32)
  TRUNC(I32TruncF32U, uint32_t, float, F32, SET32)
  TRUNC(I32TruncF64S, int32_t, double, F64, SET32)
  TRUNC(I32TruncF64U, uint32_t, double, F64, SET32)
  TRUNC(I64TruncF32S, int64_t, float, F32, SET64)
  TRUNC(I64TruncF32U, uint64_t, float, F32, SET64)
  TRUNC(I64TruncF64S, int64_t, double, F64, SET64)
  TRUNC(I64TruncF64U, uint64_t, double, F64, SET64)
#undef TRUNC
  UN(I64ExtendI32S, SET64(static_cast<int64_t>(S32(2))))
  UN(I64ExtendI32U, SET64(U32(2)))
  UN(F32ConvertI32S, SETF32(static_cast<float>(S32(2))))
  UN(F32ConvertI32U, SETF32(static_cast<float>(U32(2))))
  UN(F32ConvertI64S, SETF32(static_cast<float>(S64(2))))
  UN(F32ConvertI64U, SETF32(static_cast<float>(U64(2))))
  UN(F32DemoteF64, SETF32(static_cast<float>(F64(2))))
  UN(F64ConvertI32S, SETF64(static_cast<double>(S32(2))))
  UN(F64ConvertI32U, SETF64(static_cast<double>(U32(2))))
  UN(F64ConvertI64S, SETF64(static_cast<double>(S64(2))))
  UN(F64ConvertI64U, SETF64(static_cast<double>(U64(2))))
  UN(F64PromoteF32, SETF64(static_cast<double>(F32(2))))
  UN(I32ReinterpretF32, SET32(U32(2)))
  UN(I64ReinterpretF64, SET64(U64(2)))
  UN(F32ReinterpretI32, SET32(U32(2)))
  UN(F64ReinterpretI64, SET64(U64(2)))
  UN(I32Extend8S, SET32(static_cast<int32_t>(static_cast<int8_t>(U32(2)))))
  UN(I32Extend16S, SET32(static_cast<int32_t>(static_cast<int16_t>(U32(2)))))
  UN(I64Extend8S, SET64(static_cast<int64_t>(static_cast<int8_t>(U64(2)))))
  UN(I64Extend16S, SET64(static_cast<int64_t>(static_cast<int16_t>(U64(2)))))
  UN(I64Extend32S, SET64(static_cast<int64_t>(static_cast<int32_t>(U64(2)))))
  UN(I32TruncSatF32S, SET32(TruncSat<int32_t>(F32(2))))
  UN(I32TruncSatF32U, SET32(TruncSat<uint32_t>(F32(2))))
  UN(I32TruncSatF64S, SET32(TruncSat<int32_t>(F64(2))))
  UN(I32TruncSatF64U, SET32(TruncSat<uint32_t>(F64(2))))
  UN(I64TruncSatF32S, SET64(TruncSat<int64_t>(F32(2))))
  UN(I64TruncSatF32U, SET64(TruncSat<uint64_t>(F32(2))))
  UN(I64TruncSatF64S, SET64(TruncSat<int64_t>(F64(2))))
  UN(I64TruncSatF64U, SET64(TruncSat<uint64_t>(F64(2))))

  // ---- memory 0, 32-bit addresses ----
#define LOAD(name, T, set)                                       \
  L_##name : {                                                   \
    uint64_t ea = uint64_t{U32(2)} + pc[3];                      \
    if (ea + sizeof(T) > mem_size) TRAP(TrapKind::kMemoryOutOfBounds); \
    T v;                                                         \
    std::memcpy(&v, mem_base + ea, sizeof(T));                   \
    set(v);                                                      \
    pc += 4;                                                     \
    NEXT();                                                      \
  }
  LOAD(I32Load, uint32_t, SET32)
  LOAD(I64Load, uint64_t, SET64)
  LOAD(F32Load, uint32_t, SET32)
  LOAD(F64Load, uint64_t, SET64)
  LOAD(I32Load8S, int8_t, SET32)
  LOAD(I32Load8U, uint8_t, SET32)
  LOAD(I32Load16S, int16_t, SET32)
  LOAD(I32Load16U, uint16_t, SET32)
  LOAD(I64Load8S, int8_t, SET64)
  LOAD(I64Load8U, uint8_t, SET64)
  LOAD(I64Load16S, int16_t, SET64)
  LOAD(I64Load16U, uint16_t, SET64)
  LOAD(I64Load32S, int32_t, SET64)
  LOAD(I64Load32U, uint32_t, SET64)
#undef LOAD
#define STORE(name, T)                                           \
  L_##name : {                                                   \
    uint64_t ea = uint64_t{static_cast<uint32_t>(fp[pc[1]])} + pc[3]; \
    if (ea + sizeof(T) > mem_size) TRAP(TrapKind::kMemoryOutOfBounds); \
    T v = static_cast<T>(fp[pc[2]]);                             \
    std::memcpy(mem_base + ea, &v, sizeof(T));                   \
    pc += 4;                                                     \
    NEXT();                                                      \
  }
  STORE(I32Store, uint32_t)
  STORE(I64Store, uint64_t)
  STORE(F32Store, uint32_t)
  STORE(F64Store, uint64_t)
  STORE(I32Store8, uint8_t)
  STORE(I32Store16, uint16_t)
  STORE(I64Store8, uint8_t)
  STORE(I64Store16, uint16_t)
  STORE(I64Store32, uint32_t)
#undef STORE

  // ---- control ----
L_Unreachable:
  TRAP(TrapKind::kUnreachable);
L_Copy:
  fp[pc[1]] = fp[pc[2]];
  pc += 3;
  NEXT();
L_Copy2: {
  uint64_t lo = fp[pc[2]], hi = fp[pc[2] + 1];
  fp[pc[1]] = lo;
  fp[pc[1] + 1] = hi;
  pc += 3;
  NEXT();
}
L_Br:
  JUMP(base + pc[1]);
L_BrIf:
  if (U32(1)) JUMP(base + pc[2]);
  pc += 3;
  NEXT();
L_BrUnless:
  if (!U32(1)) JUMP(base + pc[2]);
  pc += 3;
  NEXT();
#define BR_CMP(name, T, cmp)                                           \
  L_##name:                                                            \
  if (static_cast<T>(fp[pc[1]]) cmp static_cast<T>(fp[pc[2]])) JUMP(base + pc[3]); \
  pc += 4;                                                             \
  NEXT();
  BR_CMP(BrIfI32Eq, uint32_t, ==)
  BR_CMP(BrIfI32Ne, uint32_t, !=)
  BR_CMP(BrIfI32LtS, int32_t, <)
  BR_CMP(BrIfI32LtU, uint32_t, <)
  BR_CMP(BrIfI32GtS, int32_t, >)
  BR_CMP(BrIfI32GtU, uint32_t, >)
  BR_CMP(BrIfI32LeS, int32_t, <=)
  BR_CMP(BrIfI32LeU, uint32_t, <=)
  BR_CMP(BrIfI32GeS, int32_t, >=)
  BR_CMP(BrIfI32GeU, uint32_t, >=)
#undef BR_CMP
L_BrTable: {
  uint32_t i = U32(1), n = pc[2];
  JUMP(base + pc[3 + (i < n ? i : n)]);
}
L_Return:
  if (frames_top == entry) return nullptr;
  {
    const CallFrame& fr = *--frames_top;
    pc = fr.pc;
    fp = fr.fp;
    code = fr.code;
    inst = fr.instance;
    base = code->code.data();
    RELOAD_MEMORY();
  }
  NEXT();
L_Call:
  callee = inst->funcs[pc[1]];
  args = fp + pc[2];
  pc += 3;
  goto do_call;
L_CallIndirect: {
  TableInstance* t = inst->tables[pc[2]];
  uint64_t i = t->is64() ? U64(3) : U32(3);
  if (i >= t->size()) TRAP(TrapKind::kUndefinedElement);
  RefBits r = t->Get(i);
  if (r == kNullRef) TRAP(TrapKind::kUninitializedElement);
  callee = reinterpret_cast<const FuncInstance*>(r);
  if (callee->sig_id != inst->canon_types[pc[1]] &&
      !store.types().IsSubtype(callee->sig_id, inst->canon_types[pc[1]])) {
    TRAP(TrapKind::kIndirectCallMismatch);
  }
  args = fp + pc[4];
  pc += 5;
  goto do_call;
}
L_CallRef: {
  RefBits r = U64(1);
  if (r == kNullRef) TRAP(TrapKind::kNullReference);
  callee = reinterpret_cast<const FuncInstance*>(r);
  args = fp + pc[2];
  pc += 3;
  goto do_call;
}
L_ReturnCall:
  callee = inst->funcs[pc[1]];
  goto do_tail_call;
L_ReturnCallIndirect: {
  TableInstance* t = inst->tables[pc[2]];
  uint64_t i = t->is64() ? U64(3) : U32(3);
  if (i >= t->size()) TRAP(TrapKind::kUndefinedElement);
  RefBits r = t->Get(i);
  if (r == kNullRef) TRAP(TrapKind::kUninitializedElement);
  callee = reinterpret_cast<const FuncInstance*>(r);
  if (callee->sig_id != inst->canon_types[pc[1]] &&
      !store.types().IsSubtype(callee->sig_id, inst->canon_types[pc[1]])) {
    TRAP(TrapKind::kIndirectCallMismatch);
  }
  goto do_tail_call;
}
L_ReturnCallRef: {
  RefBits r = U64(1);
  if (r == kNullRef) TRAP(TrapKind::kNullReference);
  callee = reinterpret_cast<const FuncInstance*>(r);
  goto do_tail_call;
}
do_tail_call:
  // The arguments are already at fp[0..]: the callee takes over the frame.
  if (callee->is_host()) {
    stack.top = fp + code->frame_slots;
    if (CallHost(store, inst, callee, fp, err)) goto fail;
    goto L_Return;
  }
  args = fp;
  goto enter;
L_Select:
  fp[pc[1]] = U32(4) ? fp[pc[2]] : fp[pc[3]];
  pc += 5;
  NEXT();
L_Select2: {
  uint32_t s = U32(4) ? pc[2] : pc[3];
  uint64_t lo = fp[s], hi = fp[s + 1];
  fp[pc[1]] = lo;
  fp[pc[1] + 1] = hi;
  pc += 5;
  NEXT();
}
L_GlobalGet:
  fp[pc[1]] = inst->globals[pc[2]]->slots()[0];
  pc += 3;
  NEXT();
L_GlobalGet2: {
  const uint64_t* g = inst->globals[pc[2]]->slots();
  fp[pc[1]] = g[0];
  fp[pc[1] + 1] = g[1];
  pc += 3;
  NEXT();
}
L_GlobalSet:
  inst->globals[pc[1]]->slots()[0] = fp[pc[2]];
  pc += 3;
  NEXT();
L_GlobalSet2: {
  uint64_t* g = inst->globals[pc[1]]->slots();
  g[0] = fp[pc[2]];
  g[1] = fp[pc[2] + 1];
  pc += 3;
  NEXT();
}
L_RefIsNull:
  SET32(U64(2) == kNullRef);
  pc += 3;
  NEXT();
L_RefAsNonNull:
  if (U64(2) == kNullRef) TRAP(TrapKind::kNullReference);
  fp[pc[1]] = U64(2);
  pc += 3;
  NEXT();
L_RefFunc:
  fp[pc[1]] = reinterpret_cast<RefBits>(inst->funcs[pc[2]]);
  pc += 3;
  NEXT();
L_BrOnNull:
  if (U64(1) == kNullRef) JUMP(base + pc[2]);
  pc += 3;
  NEXT();
L_BrOnNonNull:
  if (U64(1) != kNullRef) JUMP(base + pc[2]);
  pc += 3;
  NEXT();
L_MemorySize: {
  MemoryInstance* m = inst->memories[pc[2]];
  fp[pc[1]] = m->pages();
  pc += 3;
  NEXT();
}
L_MemoryGrow: {
  MemoryInstance* m = inst->memories[pc[2]];
  uint64_t delta = m->is64() ? U64(3) : U32(3);
  int64_t old = store.GrowMemory(m, delta);
  if (m->is64()) {
    SET64(old);
  } else {
    SET32(static_cast<int32_t>(old));
  }
  RELOAD_MEMORY();
  pc += 4;
  NEXT();
}
L_TableGet:
L_TableSet:
L_TableSize:
L_TableGrow:
L_TableFill:
L_TableCopy:
L_TableInit:
L_ElemDrop:
L_MemoryFill:
L_MemoryCopy:
L_MemoryInit:
L_DataDrop: {
  uint32_t words = 0;
  if (TrapKind k = ExecBulk(inst, fp, pc, &words); k != TrapKind::kNone) TRAP(k);
  pc += words;
  RELOAD_MEMORY();
  NEXT();
}
L_LoadX:
  if (TrapKind k = ExecLoadX(inst, fp, pc); k != TrapKind::kNone) TRAP(k);
  pc += 7;
  NEXT();
L_StoreX:
  if (TrapKind k = ExecStoreX(inst, fp, pc); k != TrapKind::kNone) TRAP(k);
  pc += 7;
  NEXT();
L_Simd:
  if (TrapKind k = ExecSimd(fp, pc); k != TrapKind::kNone) TRAP(k);
  pc += 7;
  NEXT();
L_SimdMem:
  if (TrapKind k = ExecSimdMem(inst, fp, pc); k != TrapKind::kNone) TRAP(k);
  pc += 9;
  NEXT();
L_Atomic:
  if (TrapKind k = ExecAtomic(inst, fp, pc); k != TrapKind::kNone) TRAP(k);
  pc += 9;
  NEXT();
L_Throw: {
  stack.top = fp + code->frame_slots;  // the collector's root boundary
  const TagInstance* tag = inst->tags[pc[1]];
  uint32_t n = 0;
  for (ValueType t : tag->type().params) n += SlotCount(t);
  uint64_t* a = fp + pc[2];
  exn = store.NewException(tag, std::vector<uint64_t>(a, a + n));
  throw_at = static_cast<uint32_t>(pc - base);
  goto do_throw;
}
L_ThrowRef: {
  RefBits r = U64(1);
  if (r == kNullRef) TRAP(TrapKind::kNullReference);
  exn = reinterpret_cast<const Exception*>(r & ~kRefTagMask);
  throw_at = static_cast<uint32_t>(pc - base);
  goto do_throw;
}
L_Gc:
  stack.top = fp + code->frame_slots;  // an allocation may collect: roots end here
  if (TrapKind k = ExecGc(store, inst, fp, pc); k != TrapKind::kNone) TRAP(k);
  pc += 6;
  NEXT();
L_BrOnCast:
  if (RefMatches(store, inst, U64(1), pc[2], pc[3] != 0) == (pc[4] != 0)) JUMP(base + pc[5]);
  pc += 6;
  NEXT();

do_throw:
  // Look for a handler in this frame, then in each caller up to the entry.
  for (;;) {
    if (const CatchHandler* h = FindHandler(code, inst, throw_at, exn)) {
      CatchKind kind = static_cast<CatchKind>(h->kind);
      uint64_t* dst = fp + h->dst_slot;
      if (h->kind >= kHandlerLegacyCatch) {
        *dst++ = reinterpret_cast<RefBits>(exn) | kRefTagExn;
        if (h->kind == kHandlerLegacyCatch && !exn->payload.empty()) {
          std::memcpy(dst, exn->payload.data(), exn->payload.size() * sizeof(uint64_t));
        }
        pc = base + h->target;
        NEXT();
      }
      if ((kind == CatchKind::kCatch || kind == CatchKind::kCatchRef) && !exn->payload.empty()) {
        std::memcpy(dst, exn->payload.data(), exn->payload.size() * sizeof(uint64_t));  // not null
        dst += exn->payload.size();
      }
      if (kind == CatchKind::kCatchRef || kind == CatchKind::kCatchAllRef) {
        *dst = reinterpret_cast<RefBits>(exn) | kRefTagExn;
      }
      pc = base + h->target;
      NEXT();
    }
    if (frames_top == entry) break;
    const CallFrame& fr = *--frames_top;
    pc = fr.pc;
    fp = fr.fp;
    code = fr.code;
    inst = fr.instance;
    base = code->code.data();
    RELOAD_MEMORY();
    throw_at = static_cast<uint32_t>(pc - base) - 1;
  }
  *err = Error{ErrorKind::kException, "uncaught wasm exception", TrapKind::kUncaughtException, exn};
  return err;

interrupted:
  trap = store.InterruptTrap();
trap:
  *err = Error::Trap(trap);
fail:
  frames_top = entry;
  return err;

#undef NEXT
#undef INTERRUPTED
#undef JUMP
#undef RELOAD_MEMORY
#undef TRAP
#undef UN
#undef BIN
}

}  // namespace

Outcome<std::vector<Value>> Invoke(Store& store, const FuncInstance* f,
                                   std::span<const Value> args) {
  if (args.size() != f->type.params.size()) {
    return Error::Type("expected " + std::to_string(f->type.params.size()) + " arguments, got " +
                       std::to_string(args.size()));
  }
  for (size_t i = 0; i < args.size(); ++i) {
    ValueType want = f->type.params[i];
    if (args[i].type.kind != want.kind ||
        (want.is_ref() && !RefFitsType(store, f->instance, want, args[i].u.ref))) {
      return Error::Type("argument " + std::to_string(i) + " (" + ToString(args[i]) +
                         ") does not match the parameter type " + ToString(want));
    }
  }
  if (f->is_host()) return f->host(args);
  // One thread at a time: the outermost call claims the Store, nested calls
  // (from host functions) must come from the same thread.
  Store::CallerClaim claim(store);
  if (!claim.ok()) return Error::Type("the Store is running a call on another thread");
  ExecStack& stack = store.stack();
  if (!stack.slots || !stack.frames) return Error::Range("could not allocate the interpreter stack");
  if (stack.host_depth >= kMaxHostReentry) return Error::Trap(TrapKind::kCallStackExhausted);
  if (stack.host_depth == 0 && store.DeadlinePassed()) {
    return Error::Trap(TrapKind::kDeadlineExceeded);
  }
  uint64_t* fp = stack.top;
  uint32_t need = 0;
  for (ValueType t : f->type.params) need += SlotCount(t);
  uint32_t res_slots = 0;
  for (ValueType t : f->type.results) res_slots += SlotCount(t);
  if (fp + std::max(need, res_slots) + 2 > stack.slots_end) {
    return Error::Trap(TrapKind::kCallStackExhausted);
  }
  uint32_t s = 0;
  for (const Value& v : args) {
    StoreToSlots(v, fp + s);
    s += SlotCount(v.type);
  }
  uint64_t* saved_top = stack.top;
  ++stack.host_depth;
  Error err;
  Error* failed = Run(store, stack, f, fp, &err);
  --stack.host_depth;
  // An interrupt ends with the outermost call it stopped (or that finished).
  if (stack.host_depth == 0) store.ClearInterrupt();
  stack.top = saved_top;
  if (failed) {
    if (err.exception) store.RootForHost(reinterpret_cast<RefBits>(err.exception) | kRefTagExn);
    return std::move(err);
  }
  std::vector<Value> results;
  s = 0;
  for (ValueType t : f->type.results) {
    results.push_back(LoadFromSlots(t, fp + s));
    if (t.is_ref()) store.RootForHost(results.back().u.ref);
    s += SlotCount(t);
  }
  return results;
}

}  // namespace wasmstream::wasm
