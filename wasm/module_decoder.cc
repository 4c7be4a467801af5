// Preamble, section order and dispatch, and the end-of-module checks. The
// section readers live in sections_*.cc, one file per section family.
#include "wasm/module_decoder.h"

#include <string>

namespace wasmstream::wasm {

namespace {

constexpr uint32_t kWasmMagic = 0x6d736100;  // "\0asm"
constexpr uint32_t kWasmVersion = 1;
constexpr const char* kSectionEnd = "unexpected end of section or function";

// Position of each known section in the required order (0 = custom/unknown).
int OrderRank(uint8_t id) {
  switch (static_cast<SectionId>(id)) {
    case SectionId::kType: return 1;
    case SectionId::kImport: return 2;
    case SectionId::kFunction: return 3;
    case SectionId::kTable: return 4;
    case SectionId::kMemory: return 5;
    case SectionId::kTag: return 6;
    case SectionId::kGlobal: return 7;
    case SectionId::kExport: return 8;
    case SectionId::kStart: return 9;
    case SectionId::kElement: return 10;
    case SectionId::kDataCount: return 11;
    case SectionId::kCode: return 12;
    case SectionId::kData: return 13;
    case SectionId::kCustom: return 0;
  }
  return -1;
}

}  // namespace

const char* SectionName(uint8_t id) {
  switch (static_cast<SectionId>(id)) {
    case SectionId::kCustom: return "custom";
    case SectionId::kType: return "type";
    case SectionId::kImport: return "import";
    case SectionId::kFunction: return "function";
    case SectionId::kTable: return "table";
    case SectionId::kMemory: return "memory";
    case SectionId::kGlobal: return "global";
    case SectionId::kExport: return "export";
    case SectionId::kStart: return "start";
    case SectionId::kElement: return "element";
    case SectionId::kCode: return "code";
    case SectionId::kData: return "data";
    case SectionId::kDataCount: return "data count";
    case SectionId::kTag: return "tag";
  }
  return "unknown";
}

ModuleDecoder::ModuleDecoder(Features features)
    : features_(features), module_(std::make_shared<Module>()) {
  module_->features = features;
}

Status ModuleDecoder::Fail(CompileError e) {
  if (!failed_) {
    failed_ = true;
    error_ = std::move(e);
  }
  return error_;
}

Status ModuleDecoder::FromDecoder(Decoder& d) {
  if (!d.ok()) return Fail(d.TakeError());
  return Ok{};
}

Status ModuleDecoder::DecodePreamble(std::span<const uint8_t> bytes) {
  if (failed_) return error_;
  Decoder d(bytes, 0);
  uint32_t magic = d.u32le();
  if (d.ok() && magic != kWasmMagic) return Fail({0, "magic header not detected"});
  uint32_t version = d.u32le();
  if (d.ok() && version != kWasmVersion) return Fail({4, "unknown binary version"});
  return FromDecoder(d);
}

Status ModuleDecoder::CheckSectionId(uint8_t id, uint32_t id_offset) {
  if (failed_) return error_;
  int rank = OrderRank(id);
  if (rank < 0 || (id == static_cast<uint8_t>(SectionId::kTag) &&
                   !features_.has(Feature::kExceptions))) {
    return Fail({id_offset, "malformed section id"});
  }
  if (id == static_cast<uint8_t>(SectionId::kDataCount) && !features_.has(Feature::kBulkMemory)) {
    return Fail({id_offset, "malformed section id"});
  }
  if (rank == 0) return Ok{};
  if (rank <= last_order_) {
    return Fail({id_offset, std::string("unexpected content after last section (") +
                                SectionName(id) + " section out of order)"});
  }
  last_order_ = rank;
  return Ok{};
}

Status ModuleDecoder::DecodeSection(uint8_t id, std::span<const uint8_t> payload,
                                    uint32_t payload_offset, uint32_t id_offset) {
  if (failed_) return error_;
  Decoder d(payload, payload_offset, kSectionEnd);
  switch (static_cast<SectionId>(id)) {
    case SectionId::kCustom:
      DecodeCustomSection(d, payload, payload_offset);
      if (failed_) return error_;
      return Ok{};  // a custom payload never invalidates a module (its name may)
    case SectionId::kType: DecodeTypeSection(d); break;
    case SectionId::kImport: DecodeImportSection(d); break;
    case SectionId::kFunction: DecodeFunctionSection(d); break;
    case SectionId::kTable: DecodeTableSection(d); break;
    case SectionId::kMemory: DecodeMemorySection(d); break;
    case SectionId::kTag: DecodeTagSection(d); break;
    case SectionId::kGlobal: DecodeGlobalSection(d); break;
    case SectionId::kExport: DecodeExportSection(d); break;
    case SectionId::kStart: DecodeStartSection(d); break;
    case SectionId::kElement: DecodeElementSection(d); break;
    case SectionId::kDataCount: DecodeDataCountSection(d); break;
    case SectionId::kData: DecodeDataSection(d); break;
    case SectionId::kCode:
      return Fail({id_offset, "internal error: code section passed whole"});
  }
  if (d.ok() && !d.at_end()) d.FailHere("section size mismatch");
  return FromDecoder(d);
}

Status ModuleDecoder::StartCodeSection(uint32_t count, uint32_t count_offset) {
  if (failed_) return error_;
  if (count != declared_functions_) {
    return Fail({count_offset, "function and code section have inconsistent lengths (" +
                                   std::to_string(declared_functions_) + " functions, " +
                                   std::to_string(count) + " bodies)"});
  }
  code_started_ = true;
  return Ok{};
}

Status ModuleDecoder::BodyOutOfOrder(ByteRange range) {
  if (failed_) return error_;
  return Fail({range.offset, "internal error: body out of order"});
}

Status ModuleDecoder::Finish(uint32_t end_offset) {
  if (failed_) return error_;
  Module& m = *module_;
  if (!code_started_ && declared_functions_ != 0) {
    return Fail({end_offset, "function and code section have inconsistent lengths (" +
                                 std::to_string(declared_functions_) + " functions, 0 bodies)"});
  }
  if (m.data_count && !saw_data_section_ && *m.data_count != 0) {
    return Fail({end_offset, "data count and data section have inconsistent lengths (" +
                                 std::to_string(*m.data_count) + " in data count, " +
                                 std::to_string(late_data_.size()) + " segments)"});
  }
  m.data = std::move(late_data_);
  for (CustomSection& c : late_custom_) m.custom_sections.push_back(std::move(c));
  // m.code stays empty: a compiling sink sizes it; a lazy module compiles
  // each function on its first call.
  return Ok{};
}

}  // namespace wasmstream::wasm
