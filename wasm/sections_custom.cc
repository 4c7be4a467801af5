// Custom sections, and the "name" section (function names for error messages).
// A malformed custom section payload never invalidates a module (core spec,
// custom sections); only a malformed section name does, since it is part of
// the section's binary format.
#include <string>

#include "wasm/module_decoder.h"

namespace wasmstream::wasm {

namespace {

constexpr uint8_t kModuleNameSubsection = 0;
constexpr uint8_t kFunctionNamesSubsection = 1;

// Best effort: keeps what decodes before the first problem.
void DecodeNameSection(Decoder& d, uint32_t num_functions, Names* names) {
  while (d.ok() && !d.at_end()) {
    uint8_t id = d.u8();
    uint32_t size = d.u32v();
    if (!d.ok()) return;
    uint32_t at = d.offset();
    std::span<const uint8_t> payload = d.Bytes(size);
    if (!d.ok()) return;
    Decoder sub(payload, at);
    if (id == kModuleNameSubsection) {
      std::string n = sub.Name();
      if (sub.ok()) names->module = std::move(n);
    } else if (id == kFunctionNamesSubsection) {
      uint32_t count = sub.u32v();
      for (uint32_t i = 0; i < count && sub.ok(); ++i) {
        uint32_t index = sub.u32v();
        std::string n = sub.Name();
        if (sub.ok() && index < num_functions) names->functions.emplace(index, std::move(n));
      }
    }
  }
}

}  // namespace

void ModuleDecoder::DecodeCustomSection(Decoder& d, std::span<const uint8_t> payload,
                                        uint32_t payload_offset) {
  std::string name = d.Name();
  if (!d.ok()) {
    (void)Fail(d.TakeError());
    return;
  }
  uint32_t consumed = d.offset() - payload_offset;
  CustomSection c;
  c.name = name;
  c.payload = ByteRange{d.offset(), static_cast<uint32_t>(payload.size()) - consumed};
  if (name == "name" && late_names_.functions.empty() && late_names_.module.empty()) {
    Decoder names(payload.subspan(consumed), d.offset());
    DecodeNameSection(names, static_cast<uint32_t>(module_->functions.size()), &late_names_);
  }
  late_custom_.push_back(std::move(c));
}

}  // namespace wasmstream::wasm
