// Decodes and validates a module section by section (everything except the
// function bodies, which wasm/function_body_decoder.h validates). Used by the
// StreamingCompiler's processor and, through it, by CompileModule().
//
// Call order: DecodePreamble, then DecodeSection for each non-code section
// and StartCodeSection / AddFunctionBody for the code section, in stream
// order, then Finish. All calls on one thread. After the first error every
// call returns that same error.
//
// Threading contract with the body decoder: once StartCodeSection() returned
// ok, module() is not modified again until Finish() (later sections are kept
// aside), so worker threads may read it while bodies validate.
#ifndef WASMSTREAM_WASM_MODULE_DECODER_H_
#define WASMSTREAM_WASM_MODULE_DECODER_H_

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "wasm/decoder.h"
#include "wasm/features.h"
#include "wasm/module.h"
#include "wasm/result.h"

namespace wasmstream::wasm {

enum class SectionId : uint8_t {
  kCustom = 0, kType = 1, kImport = 2, kFunction = 3, kTable = 4, kMemory = 5,
  kGlobal = 6, kExport = 7, kStart = 8, kElement = 9, kCode = 10, kData = 11,
  kDataCount = 12, kTag = 13,
};
const char* SectionName(uint8_t id);

class ModuleDecoder {
 public:
  explicit ModuleDecoder(Features features);

  // The 8-byte preamble at offset 0 ({bytes} may be shorter only at the end of
  // the stream: "unexpected end").
  Status DecodePreamble(std::span<const uint8_t> bytes);
  // One whole section, after CheckSectionId(id) passed. {payload_offset} is the module offset of its first
  // payload byte; {id_offset} that of its id byte.
  Status DecodeSection(uint8_t id, std::span<const uint8_t> payload, uint32_t payload_offset,
                       uint32_t id_offset);
  // Checks that a section with {id} may come now (order, known id, feature);
  // the splitter calls it as soon as the id byte arrives.
  Status CheckSectionId(uint8_t id, uint32_t id_offset);
  // The code section's header: {count} bodies follow.
  Status StartCodeSection(uint32_t count, uint32_t count_offset);
  // Records body {index} (0-based among defined functions) at {range}.
  // Inline: called once per body on the thread delivering the bytes.
  Status AddFunctionBody(uint32_t index, ByteRange range) {
    if (failed_ || index != bodies_added_ || index >= declared_functions_) [[unlikely]] {
      return BodyOutOfOrder(range);
    }
    // Straight into the function table (sized by the function section, so it
    // never moves now): workers validating other bodies read only type
    // indices, another field. A side table copied at the end cost 8 bytes a
    // function of fresh memory (pandoc.wasm: 620k functions).
    module_->functions[module_->num_imported_functions + index].body = range;
    ++bodies_added_;
    return Ok{};
  }
  // End of the stream at {end_offset}: cross-section checks. On success the
  // module is complete except for wire_bytes, which the caller fills.
  Status Finish(uint32_t end_offset);

  Module& module() { return *module_; }
  std::shared_ptr<Module> TakeModule() { return std::move(module_); }
  bool failed() const { return failed_; }
  // The custom sections so far (merged into the module by Finish()).
  const std::vector<CustomSection>& custom_sections() const { return late_custom_; }
  const CompileError& error() const { return error_; }

 private:
  Status Fail(CompileError e);
  [[gnu::noinline, gnu::cold]] Status BodyOutOfOrder(ByteRange range);
  Status FromDecoder(Decoder& d);

  void DecodeTypeSection(Decoder& d);
  void DecodeImportSection(Decoder& d);
  void DecodeFunctionSection(Decoder& d);
  void DecodeTableSection(Decoder& d);
  void DecodeMemorySection(Decoder& d);
  void DecodeTagSection(Decoder& d);
  void DecodeGlobalSection(Decoder& d);
  void DecodeExportSection(Decoder& d);
  void DecodeStartSection(Decoder& d);
  void DecodeElementSection(Decoder& d);
  void DecodeDataCountSection(Decoder& d);
  void DecodeDataSection(Decoder& d);
  void DecodeCustomSection(Decoder& d, std::span<const uint8_t> payload, uint32_t payload_offset);

  // Entity helpers shared by imports and definitions.
  void CheckTableType(Decoder& d, const Table& t, uint32_t at);
  void CheckMemoryType(Decoder& d, const Memory& m, uint32_t at);
  void CheckMemoryCount(Decoder& d, uint32_t at);
  Table ReadTableType(Decoder& d);
  Memory ReadMemoryType(Decoder& d);
  uint32_t ReadFuncTypeIndex(Decoder& d);
  // Fails {d} at {at} unless {idx} names a function type.
  bool CheckFuncTypeIndex(Decoder& d, uint32_t idx, uint32_t at);
  uint32_t ReadTagType(Decoder& d);
  // A constant expression of type {expected} at the decoder's position.
  ConstExpr ReadConstExpr(Decoder& d, ValueType expected, uint32_t num_globals);
  // The globals a constant expression may refer to at this point.
  uint32_t ConstExprGlobals(uint32_t defining_global) const;

  Features features_;
  std::shared_ptr<Module> module_;
  int last_order_ = 0;  // order rank of the last non-custom section seen
  bool failed_ = false;
  CompileError error_;
  bool code_started_ = false;
  uint32_t declared_functions_ = 0;  // from the function section
  uint32_t bodies_added_ = 0;
  // Sections after the code section, merged into the module by Finish().
  std::vector<DataSegment> late_data_;
  std::vector<CustomSection> late_custom_;
  bool saw_data_section_ = false;
};

}  // namespace wasmstream::wasm

#endif  // WASMSTREAM_WASM_MODULE_DECODER_H_
