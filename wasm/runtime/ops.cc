// Out-of-line interpreter operations: bulk memory and table instructions,
// memory access beyond the fast path (other memories, memory64, offsets
// >= 2^32) and atomics (single agent: a wait that would block times out).
#include <algorithm>
#include <chrono>
#include <cstring>
#include <thread>

#include "wasm/opcodes.h"
#include "wasm/runtime/code.h"
#include "wasm/runtime/instance.h"
#include "wasm/runtime/ops.h"

namespace wasmstream::wasm {

bool EffectiveAddress(Instance* inst, uint32_t memory, uint64_t addr, uint64_t offset, uint64_t n,
                      uint8_t** out) {
  MemoryInstance* m = inst->memories[memory];
  if (!m->is64()) addr = static_cast<uint32_t>(addr);
  uint64_t ea = addr + offset;
  if (ea < addr) return false;
  if (!m->InBounds(ea, n)) return false;
  *out = m->data() + ea;
  return true;
}

namespace {

uint64_t Offset(const uint32_t* pc, int lo_word) {
  return uint64_t{pc[lo_word]} | (uint64_t{pc[lo_word + 1]} << 32);
}

// Reads an index/length operand: 64-bit for memory64/table64, else 32-bit.
uint64_t Idx(uint64_t v, bool is64) { return is64 ? v : static_cast<uint32_t>(v); }

}  // namespace

TrapKind ExecLoadX(Instance* inst, uint64_t* fp, const uint32_t* pc) {
  // opcode dst addr memory off_lo off_hi
  Opcode op = static_cast<Opcode>(pc[1]);
  uint64_t* dst = fp + pc[2];
  uint8_t* p;
  auto load = [&](auto tag) -> bool {
    using T = decltype(tag);
    if (!EffectiveAddress(inst, pc[4], fp[pc[3]], Offset(pc, 5), sizeof(T), &p)) return false;
    T v;
    std::memcpy(&v, p, sizeof(T));
    if constexpr (std::is_signed_v<T>) {
      *dst = static_cast<uint64_t>(static_cast<int64_t>(v));
    } else {
      *dst = v;
    }
    return true;
  };
  bool ok = false;
  bool is32 = false;
  switch (op) {
    case Opcode::kI32Load: case Opcode::kF32Load: ok = load(uint32_t{}); break;
    case Opcode::kI64Load: case Opcode::kF64Load: ok = load(uint64_t{}); break;
    case Opcode::kI32Load8S: ok = load(int8_t{}); is32 = true; break;
    case Opcode::kI32Load8U: ok = load(uint8_t{}); break;
    case Opcode::kI32Load16S: ok = load(int16_t{}); is32 = true; break;
    case Opcode::kI32Load16U: ok = load(uint16_t{}); break;
    case Opcode::kI64Load8S: ok = load(int8_t{}); break;
    case Opcode::kI64Load8U: ok = load(uint8_t{}); break;
    case Opcode::kI64Load16S: ok = load(int16_t{}); break;
    case Opcode::kI64Load16U: ok = load(uint16_t{}); break;
    case Opcode::kI64Load32S: ok = load(int32_t{}); break;
    case Opcode::kI64Load32U: ok = load(uint32_t{}); break;
    default: return TrapKind::kUnreachable;
  }
  if (!ok) return TrapKind::kMemoryOutOfBounds;
  if (is32) *dst = static_cast<uint32_t>(*dst);
  return TrapKind::kNone;
}

TrapKind ExecStoreX(Instance* inst, uint64_t* fp, const uint32_t* pc) {
  // opcode addr value memory off_lo off_hi
  Opcode op = static_cast<Opcode>(pc[1]);
  uint64_t v = fp[pc[3]];
  uint8_t* p;
  auto store = [&](auto tag) -> bool {
    using T = decltype(tag);
    if (!EffectiveAddress(inst, pc[4], fp[pc[2]], Offset(pc, 5), sizeof(T), &p)) return false;
    T x = static_cast<T>(v);
    std::memcpy(p, &x, sizeof(T));
    return true;
  };
  bool ok = false;
  switch (op) {
    case Opcode::kI32Store: case Opcode::kF32Store: case Opcode::kI64Store32: ok = store(uint32_t{}); break;
    case Opcode::kI64Store: case Opcode::kF64Store: ok = store(uint64_t{}); break;
    case Opcode::kI32Store8: case Opcode::kI64Store8: ok = store(uint8_t{}); break;
    case Opcode::kI32Store16: case Opcode::kI64Store16: ok = store(uint16_t{}); break;
    default: return TrapKind::kUnreachable;
  }
  return ok ? TrapKind::kNone : TrapKind::kMemoryOutOfBounds;
}

TrapKind ExecBulk(Instance* inst, uint64_t* fp, const uint32_t* pc, uint32_t* words) {
  switch (static_cast<IOp>(pc[0])) {
    case IOp::kTableGet: {  // dst table index
      *words = 4;
      TableInstance* t = inst->tables[pc[2]];
      uint64_t i = Idx(fp[pc[3]], t->is64());
      if (i >= t->size()) return TrapKind::kTableOutOfBounds;
      fp[pc[1]] = t->Get(i);
      return TrapKind::kNone;
    }
    case IOp::kTableSet: {  // table index value
      *words = 4;
      TableInstance* t = inst->tables[pc[1]];
      uint64_t i = Idx(fp[pc[2]], t->is64());
      if (i >= t->size()) return TrapKind::kTableOutOfBounds;
      t->Set(i, fp[pc[3]]);
      return TrapKind::kNone;
    }
    case IOp::kTableSize: {  // dst table
      *words = 3;
      fp[pc[1]] = inst->tables[pc[2]]->size();
      return TrapKind::kNone;
    }
    case IOp::kTableGrow: {  // dst table init delta
      *words = 5;
      TableInstance* t = inst->tables[pc[2]];
      int64_t old = inst->store().GrowTable(t, Idx(fp[pc[4]], t->is64()), fp[pc[3]]);
      fp[pc[1]] = t->is64() ? static_cast<uint64_t>(old) : static_cast<uint32_t>(old);
      return TrapKind::kNone;
    }
    case IOp::kTableFill: {  // table index value n
      *words = 5;
      TableInstance* t = inst->tables[pc[1]];
      uint64_t i = Idx(fp[pc[2]], t->is64()), n = Idx(fp[pc[4]], t->is64());
      if (!t->InBounds(i, n)) return TrapKind::kTableOutOfBounds;
      for (uint64_t k = 0; k < n; ++k) t->Set(i + k, fp[pc[3]]);
      return TrapKind::kNone;
    }
    case IOp::kTableCopy: {  // dst_table src_table dst src n
      *words = 6;
      TableInstance* td = inst->tables[pc[1]];
      TableInstance* ts = inst->tables[pc[2]];
      bool n64 = td->is64() && ts->is64();
      uint64_t d = Idx(fp[pc[3]], td->is64()), s = Idx(fp[pc[4]], ts->is64()),
               n = Idx(fp[pc[5]], n64);
      if (!td->InBounds(d, n) || !ts->InBounds(s, n)) return TrapKind::kTableOutOfBounds;
      if (n) std::memmove(td->data() + d, ts->data() + s, n * sizeof(RefBits));
      return TrapKind::kNone;
    }
    case IOp::kTableInit: {  // table elem dst src n
      *words = 6;
      TableInstance* t = inst->tables[pc[1]];
      const auto& seg = inst->elems[pc[2]];
      uint64_t d = Idx(fp[pc[3]], t->is64()), s = static_cast<uint32_t>(fp[pc[4]]),
               n = static_cast<uint32_t>(fp[pc[5]]);
      if (!t->InBounds(d, n) || s > seg.size() || n > seg.size() - s) {
        return TrapKind::kTableOutOfBounds;
      }
      for (uint64_t k = 0; k < n; ++k) t->Set(d + k, seg[s + k]);
      return TrapKind::kNone;
    }
    case IOp::kElemDrop:
      *words = 2;
      inst->elems[pc[1]].clear();
      inst->elems[pc[1]].shrink_to_fit();
      return TrapKind::kNone;
    case IOp::kMemoryFill: {  // memory dst value n
      *words = 5;
      MemoryInstance* m = inst->memories[pc[1]];
      uint64_t d = Idx(fp[pc[2]], m->is64()), n = Idx(fp[pc[4]], m->is64());
      if (!m->InBounds(d, n)) return TrapKind::kMemoryOutOfBounds;
      std::memset(m->data() + d, static_cast<uint8_t>(fp[pc[3]]), n);
      return TrapKind::kNone;
    }
    case IOp::kMemoryCopy: {  // dst_memory src_memory dst src n
      *words = 6;
      MemoryInstance* md = inst->memories[pc[1]];
      MemoryInstance* ms = inst->memories[pc[2]];
      uint64_t d = Idx(fp[pc[3]], md->is64()), s = Idx(fp[pc[4]], ms->is64()),
               n = Idx(fp[pc[5]], md->is64() && ms->is64());
      if (!md->InBounds(d, n) || !ms->InBounds(s, n)) return TrapKind::kMemoryOutOfBounds;
      if (n) std::memmove(md->data() + d, ms->data() + s, n);
      return TrapKind::kNone;
    }
    case IOp::kMemoryInit: {  // memory data dst src n
      *words = 6;
      MemoryInstance* m = inst->memories[pc[1]];
      auto bytes = inst->DataBytes(pc[2]);
      uint64_t d = Idx(fp[pc[3]], m->is64()), s = static_cast<uint32_t>(fp[pc[4]]),
               n = static_cast<uint32_t>(fp[pc[5]]);
      if (!m->InBounds(d, n) || s > bytes.size() || n > bytes.size() - s) {
        return TrapKind::kMemoryOutOfBounds;
      }
      if (n) std::memcpy(m->data() + d, bytes.data() + s, n);
      return TrapKind::kNone;
    }
    case IOp::kDataDrop:
      *words = 2;
      inst->data_dropped[pc[1]] = 1;
      return TrapKind::kNone;
    default:
      *words = 1;
      return TrapKind::kUnreachable;
  }
}

namespace {

enum class AtomicKind { kOther, kLoad, kStore, kAdd, kSub, kAnd, kOr, kXor, kXchg, kCmpxchg };

// The operation of an atomic access opcode, by its code under the 0xFE
// prefix: loads 0x10-0x16, stores 0x17-0x1d, then read-modify-writes in
// groups of seven (add, sub, and, or, xor, xchg, cmpxchg) from 0x1e to 0x4e.
// The Opcode enum lists them in code order with no gaps (asserted below).
AtomicKind KindOfAtomic(Opcode op) {
  constexpr int kFirst = static_cast<int>(Opcode::kI32AtomicLoad);
  constexpr int kLast = static_cast<int>(Opcode::kI64AtomicRmw32CmpxchgU);
  static_assert(kLast - kFirst == 0x4e - 0x10, "atomic access opcodes are contiguous");
  int i = static_cast<int>(op);
  if (i < kFirst || i > kLast) return AtomicKind::kOther;
  uint32_t code = 0x10 + static_cast<uint32_t>(i - kFirst);
  if (code <= 0x16) return AtomicKind::kLoad;
  if (code <= 0x1d) return AtomicKind::kStore;
  static constexpr AtomicKind kRmw[] = {AtomicKind::kAdd, AtomicKind::kSub,  AtomicKind::kAnd,
                                        AtomicKind::kOr,  AtomicKind::kXor,  AtomicKind::kXchg,
                                        AtomicKind::kCmpxchg};
  return kRmw[(code - 0x1e) / 7];
}

}  // namespace

TrapKind ExecAtomic(Instance* inst, uint64_t* fp, const uint32_t* pc) {
  // opcode dst addr a b memory off_lo off_hi
  const OpcodeInfo& info = InfoOf(static_cast<Opcode>(pc[1]));
  uint32_t size = 1u << info.mem;
  uint8_t* p;
  if (!EffectiveAddress(inst, pc[6], fp[pc[3]], Offset(pc, 7), size, &p)) {
    return TrapKind::kMemoryOutOfBounds;
  }
  MemoryInstance* m = inst->memories[pc[6]];
  if ((p - m->data()) % size != 0) return TrapKind::kUnalignedAtomic;
  Opcode op = static_cast<Opcode>(pc[1]);
  // Absent operands are 0 words, but slot 0 is a real slot (local 0): go by
  // the signature's arity.
  size_t nparams = SigParams(info.sig).size();
  uint64_t a = nparams >= 2 ? fp[pc[4]] : 0, b = nparams >= 3 ? fp[pc[5]] : 0;
  auto read = [&]() -> uint64_t {
    uint64_t v = 0;
    std::memcpy(&v, p, size);  // little-endian host
    return v;
  };
  auto write = [&](uint64_t v) { std::memcpy(p, &v, size); };
  uint64_t mask = size == 8 ? ~uint64_t{0} : (uint64_t{1} << (8 * size)) - 1;
  uint64_t* dst = fp + pc[2];
  switch (op) {
    case Opcode::kMemoryAtomicNotify:
      *dst = 0;  // no waiters in a single agent
      return TrapKind::kNone;
    case Opcode::kMemoryAtomicWait32:
    case Opcode::kMemoryAtomicWait64: {
      if (!m->shared()) return TrapKind::kWaitOnUnsharedMemory;
      uint64_t expected = op == Opcode::kMemoryAtomicWait32 ? static_cast<uint32_t>(a) : a;
      if (read() != expected) {
        *dst = 1;  // "not-equal"
        return TrapKind::kNone;
      }
      // No other agent can notify (one thread per Store), so a matching wait
      // ends only by its timeout (ns): sleep for it, then "timed-out". An
      // infinite wait (negative timeout) would never return: it traps
      // instead. (V8 blocks forever there; a trap is our choice: the host
      // gets control back with a clear error rather than a hung thread.)
      int64_t timeout = static_cast<int64_t>(b);
      if (timeout < 0) return TrapKind::kWaitForever;
      if (timeout > 0) std::this_thread::sleep_for(std::chrono::nanoseconds(timeout));
      *dst = 2;
      return TrapKind::kNone;
    }
    default:
      break;
  }
  uint64_t old = read();
  uint64_t nv;
  switch (KindOfAtomic(op)) {
    case AtomicKind::kLoad:
      *dst = old;
      return TrapKind::kNone;
    case AtomicKind::kStore:
      write(a & mask);
      return TrapKind::kNone;
    case AtomicKind::kAdd: nv = old + a; break;
    case AtomicKind::kSub: nv = old - a; break;
    case AtomicKind::kAnd: nv = old & a; break;
    case AtomicKind::kOr: nv = old | a; break;
    case AtomicKind::kXor: nv = old ^ a; break;
    case AtomicKind::kXchg: nv = a; break;
    case AtomicKind::kCmpxchg: nv = old == (a & mask) ? b : old; break;
    default: return TrapKind::kUnreachable;  // not an atomic access (verified code never gets here)
  }
  write(nv & mask);
  *dst = old;
  return TrapKind::kNone;
}

}  // namespace wasmstream::wasm
