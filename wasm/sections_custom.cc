// Custom sections, kept as names and payload ranges (the "name" section's
// function names are read from it when an error message wants one:
// wasm/name_section.h). A malformed custom section payload never invalidates
// a module (core spec, custom sections); only a malformed section name does,
// since it is part of the section's binary format.
#include <string>

#include "wasm/module_decoder.h"

namespace wasmstream::wasm {

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
  late_custom_.push_back(std::move(c));
}

}  // namespace wasmstream::wasm
