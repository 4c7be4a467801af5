// Function names from a module's "name" custom section, looked up when they
// are needed rather than decoded with the module: they only label error
// messages, and decoding them up front cost biome.wasm (7.7 MB of names for
// 36k functions) ~4% of its validation and most of its code-cache entry.
#ifndef WASMSTREAM_WASM_NAME_SECTION_H_
#define WASMSTREAM_WASM_NAME_SECTION_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "wasm/module.h"

namespace wasmstream::wasm {

// The name that the first custom section called "name" among
// {custom_sections} (ranges into {wire}) gives function {func_index}, if any.
// Like every custom section, a malformed one is no error: what decodes
// before the problem counts, the rest is ignored.
std::optional<std::string> FindFunctionName(std::span<const uint8_t> wire,
                                            const std::vector<CustomSection>& custom_sections,
                                            uint32_t func_index);

}  // namespace wasmstream::wasm

#endif  // WASMSTREAM_WASM_NAME_SECTION_H_
