#include "wasm/name_section.h"

#include <algorithm>

#include "wasm/decoder.h"

namespace wasmstream::wasm {
namespace {

constexpr uint8_t kFunctionNamesSubsection = 1;

}  // namespace

std::optional<std::string> FindFunctionName(std::span<const uint8_t> wire,
                                            const std::vector<CustomSection>& custom_sections,
                                            uint32_t func_index) {
  auto section = std::find_if(custom_sections.begin(), custom_sections.end(),
                              [](const CustomSection& c) { return c.name == "name"; });
  if (section == custom_sections.end()) return std::nullopt;
  const ByteRange range = section->payload;
  if (range.offset > wire.size() || range.length > wire.size() - range.offset) return std::nullopt;
  Decoder d(wire.subspan(range.offset, range.length), range.offset);
  while (d.ok() && !d.at_end()) {
    uint8_t id = d.u8();
    uint32_t size = d.u32v();
    uint32_t at = d.offset();
    std::span<const uint8_t> payload = d.Bytes(size);
    if (!d.ok()) return std::nullopt;
    if (id != kFunctionNamesSubsection) continue;
    Decoder names(payload, at);
    uint32_t count = names.u32v();
    for (uint32_t i = 0; i < count && names.ok(); ++i) {
      uint32_t index = names.u32v();
      std::string name = names.Name();
      if (names.ok() && index == func_index) return name;
    }
  }
  return std::nullopt;
}

}  // namespace wasmstream::wasm
