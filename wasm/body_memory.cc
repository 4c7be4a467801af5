// Memory, table, bulk-memory (0xFC), atomics (0xFE) and SIMD (0xFD) instructions.
// Most of them are checked generically from the opcode table's signature;
// here are their immediates and the special cases.
#include <cstring>

#include "wasm/function_body_decoder_impl.h"

namespace wasmstream::wasm::body {

namespace {
constexpr uint32_t kMemArgMemoryFlag = 0x40;  // multi-memory: a memory index follows
}  // namespace

bool BodyDecoder::ReadMemArg(uint8_t natural_log2, bool atomic, MemArg* out) {
  // Fast path: one-byte flags naming memory 0, a u32 offset (without
  // memory64, where offsets are u64 and range-checked below).
  if (end_ - pc_ >= 2 && *pc_ <= natural_log2 && !atomic && !module_.memories.empty() &&
      (pc_[1] < 0x80 || !features_.has(Feature::kMemory64))) [[likely]] {
    uint32_t flags = *pc_++;
    uint32_t offset = ReadU32();
    *out = MemArg{flags, 0, offset};
    return ok_;
  }
  const uint8_t* at = pc_;
  uint32_t flags = ReadU32();
  if (!ok_) return false;
  uint32_t memory = 0;
  const uint8_t* memory_at = instr_;
  if (features_.has(Feature::kMultiMemory)) {
    if (flags >= 0x80) {
      Error(at, "malformed memop flags");
      return false;
    }
    if (flags & kMemArgMemoryFlag) {
      memory_at = pc_;
      memory = ReadU32();
      flags &= ~kMemArgMemoryFlag;
    }
  } else if (flags >= 32) {
    Error(at, "malformed memop flags");
    return false;
  }
  const uint8_t* offset_at = pc_;
  uint64_t offset = features_.has(Feature::kMemory64) ? ReadU64() : ReadU32();
  if (!ok_ || !CheckMemory(memory, memory_at)) return false;
  if (!IsMemory64(memory) && offset > UINT32_MAX) {
    Error(offset_at, "offset out of range");
    return false;
  }
  if (flags > natural_log2) {
    Error(at, "alignment must not be larger than natural");
    return false;
  }
  if (atomic && flags != natural_log2) {
    Error(at, "atomic alignment must be natural");
    return false;
  }
  *out = MemArg{flags, memory, offset};
  return true;
}

bool BodyDecoder::DecodeMemoryAccess(const OpcodeInfo& info) {
  bool atomic = PrefixOf(info.opcode) == kAtomicPrefix;
  if (!ReadMemArg(info.mem, atomic, &cur_.imm.mem)) return false;
  if (info.imm == ImmKind::kMemArgLane) {
    const uint8_t* at = pc_;
    cur_.imm.lane = ReadU8();
    if (!ok_) return false;
    if (cur_.imm.lane >= (16u >> info.mem)) {
      Error(at, "invalid lane index");
      return false;
    }
  }
  const SigRow& row = SigRowOf(info.sig);
  ValueKind address = IsMemory64(cur_.imm.mem.memory) ? ValueKind::kI64 : ValueKind::kI32;
  uint32_t n = row.num_params;
  // Fast path: operands present with exactly the expected numeric types.
  if (sp_ - height_ >= n) [[likely]] {
    bool match = stack_[sp_ - n].kind == address;
    for (uint32_t i = 1; i < n; ++i) match &= stack_[sp_ - n + i].kind == row.params[i].kind;
    if (match) [[likely]] {
      sp_ -= n;
      if (row.num_results) Push(row.results[0]);
      return true;
    }
  }
  ValueType types[3];
  for (uint32_t i = 0; i < n; ++i) types[i] = row.params[i];
  types[0] = address == ValueKind::kI64 ? ValueType::I64() : ValueType::I32();
  if (!PopTypes({types, n})) return false;
  if (row.num_results) Push(row.results[0]);
  return true;
}

// memory.size / memory.grow: a memory index with multi-memory, else a
// reserved zero byte.
bool BodyDecoder::DecodeMemoryOther(Opcode op) {
  const uint8_t* at = pc_;
  uint32_t memory = 0;
  if (features_.has(Feature::kMultiMemory)) {
    memory = ReadU32();
  } else if (ReadU8() != 0 && ok_) {
    Error(at, "zero byte expected");
  }
  if (!ok_ || !CheckMemory(memory, at)) return false;
  cur_.imm.index = memory;
  bool is64 = IsMemory64(memory);
  if (op == Opcode::kMemoryGrow && !PopAddress(is64)) return false;
  Push(is64 ? ValueType::I64() : ValueType::I32());
  return true;
}

bool BodyDecoder::DecodeTableOp(Opcode op) {
  const uint8_t* at = pc_;
  uint32_t table = ReadU32();
  if (!ok_ || !CheckTable(table, at)) return false;
  cur_.imm.index = table;
  const Table& t = module_.tables[table];
  ValueType addr = t.limits.is64 ? ValueType::I64() : ValueType::I32();
  switch (op) {
    case Opcode::kTableGet:
      if (!Pop(addr)) return false;
      Push(t.elem_type);
      return true;
    case Opcode::kTableSet:
      return Pop(t.elem_type) && Pop(addr);
    case Opcode::kTableGrow:
      if (!Pop(addr) || !Pop(t.elem_type)) return false;
      Push(addr);
      return true;
    case Opcode::kTableSize:
      Push(addr);
      return true;
    case Opcode::kTableFill:
      return Pop(addr) && Pop(t.elem_type) && Pop(addr);
    default:
      return false;
  }
}

bool BodyDecoder::DecodeMisc(uint32_t code) {
  const bool multi_memory = features_.has(Feature::kMultiMemory);
  const bool multi_table = features_.has(Feature::kReferenceTypes);
  // A memory (table) index, or before multi-memory (reference types) a zero byte.
  auto read_index = [&](bool leb) -> uint32_t {
    const uint8_t* at = pc_;
    if (leb) return ReadU32();
    if (ReadU8() != 0 && ok_) Error(at, "zero byte expected");
    return 0;
  };
  switch (code) {
    case 8: {  // memory.init data memory
      const uint8_t* data_at = pc_;
      uint32_t data = ReadU32();
      const uint8_t* mem_at = pc_;
      uint32_t memory = read_index(multi_memory);
      if (!ok_ || !CheckMemory(memory, mem_at) || !CheckDataSegment(data, data_at)) return false;
      cur_.imm.index = data;
      cur_.imm.index2 = memory;
      return Pop(ValueType::I32()) && Pop(ValueType::I32()) && PopAddress(IsMemory64(memory));
    }
    case 9: {  // data.drop
      const uint8_t* at = pc_;
      uint32_t data = ReadU32();
      if (!ok_ || !CheckDataSegment(data, at)) return false;
      cur_.imm.index = data;
      return true;
    }
    case 10: {  // memory.copy dst src
      const uint8_t* dst_at = pc_;
      uint32_t dst = read_index(multi_memory);
      const uint8_t* src_at = pc_;
      uint32_t src = read_index(multi_memory);
      if (!ok_ || !CheckMemory(dst, dst_at) || !CheckMemory(src, src_at)) return false;
      cur_.imm.index = dst;
      cur_.imm.index2 = src;
      bool d64 = IsMemory64(dst), s64 = IsMemory64(src);
      return PopAddress(d64 && s64) && PopAddress(s64) && PopAddress(d64);
    }
    case 11: {  // memory.fill
      const uint8_t* at = pc_;
      uint32_t memory = read_index(multi_memory);
      if (!ok_ || !CheckMemory(memory, at)) return false;
      cur_.imm.index = memory;
      bool is64 = IsMemory64(memory);
      return PopAddress(is64) && Pop(ValueType::I32()) && PopAddress(is64);
    }
    case 12: {  // table.init elem table
      const uint8_t* elem_at = pc_;
      uint32_t elem = ReadU32();
      const uint8_t* table_at = pc_;
      uint32_t table = read_index(multi_table);
      if (!ok_ || !CheckTable(table, table_at) || !CheckElemSegment(elem, elem_at)) return false;
      cur_.imm.index = elem;
      cur_.imm.index2 = table;
      const ValueType& seg = module_.elems[elem].elem_type;
      const ValueType& dst = module_.tables[table].elem_type;
      if (!IsSubtype(module_, seg, dst)) {
        Error(instr_, "type mismatch: elem segment of type " + ToString(seg) +
                          " cannot initialize table of type " + ToString(dst));
        return false;
      }
      return Pop(ValueType::I32()) && Pop(ValueType::I32()) && PopAddress(IsTable64(table));
    }
    case 13: {  // elem.drop
      const uint8_t* at = pc_;
      uint32_t elem = ReadU32();
      if (!ok_ || !CheckElemSegment(elem, at)) return false;
      cur_.imm.index = elem;
      return true;
    }
    case 14: {  // table.copy dst src
      const uint8_t* dst_at = pc_;
      uint32_t dst = read_index(multi_table);
      const uint8_t* src_at = pc_;
      uint32_t src = read_index(multi_table);
      if (!ok_ || !CheckTable(dst, dst_at) || !CheckTable(src, src_at)) return false;
      cur_.imm.index = dst;
      cur_.imm.index2 = src;
      const ValueType& s = module_.tables[src].elem_type;
      const ValueType& d = module_.tables[dst].elem_type;
      if (!IsSubtype(module_, s, d)) {
        Error(instr_, "type mismatch: table.copy from " + ToString(s) + " to " + ToString(d));
        return false;
      }
      bool d64 = IsTable64(dst), s64 = IsTable64(src);
      return PopAddress(d64 && s64) && PopAddress(s64) && PopAddress(d64);
    }
    case 15: return DecodeTableOp(Opcode::kTableGrow);
    case 16: return DecodeTableOp(Opcode::kTableSize);
    case 17: return DecodeTableOp(Opcode::kTableFill);
  }
  Error(instr_, "illegal opcode fc " + std::to_string(code));
  return false;
}

bool BodyDecoder::DecodeSimd(uint32_t code) {
  if (code == 0x0C) {  // v128.const
    const uint8_t* p = ReadBytes(16);
    if (!p) return false;
    std::memcpy(cur_.imm.value.v128, p, 16);
    Push(ValueType::V128());
    return true;
  }
  Error(instr_, "illegal opcode fd " + std::to_string(code));
  return false;
}

bool BodyDecoder::DecodeAtomic(uint32_t code) {
  // Every atomic instruction is a memory access or atomic.fence, both checked
  // generically; nothing reaches here but a table gap.
  Error(instr_, "illegal opcode fe " + std::to_string(code));
  return false;
}

}  // namespace wasmstream::wasm::body
