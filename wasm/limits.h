// Implementation limits, in one place.
//
// kSpecMax* are the limits of the WebAssembly JavaScript API, "Limits" section
// (https://webassembly.github.io/spec/js-api/#limits): every engine embedded in
// JavaScript must accept modules up to them and reject modules past them with
// a CompileError. kCoreMax* are the core spec's own bounds (validation, not
// implementation limits). This project adds no limit of its own here.
//
// Counts are checked at one chokepoint, SectionReader::ConsumeCount(), which
// always reports "<name> count of <n> exceeds internal limit of <max>".
#ifndef WASMSTREAM_WASM_LIMITS_H_
#define WASMSTREAM_WASM_LIMITS_H_

#include <cstdint>

namespace wasmstream::wasm {

constexpr uint64_t kSpecMaxModuleSize = 1'073'741'824;  // 1 GiB
constexpr uint32_t kSpecMaxTypes = 1'000'000;
constexpr uint32_t kSpecMaxFunctions = 1'000'000;
constexpr uint32_t kSpecMaxImports = 100'000;
constexpr uint32_t kSpecMaxExports = 100'000;
constexpr uint32_t kSpecMaxGlobals = 1'000'000;
constexpr uint32_t kSpecMaxTags = 1'000'000;
constexpr uint32_t kSpecMaxDataSegments = 100'000;
constexpr uint32_t kSpecMaxElemSegments = 10'000'000;
constexpr uint32_t kSpecMaxTables = 100'000;
constexpr uint32_t kSpecMaxMemories = 100'000;
constexpr uint32_t kSpecMaxTableSize = 10'000'000;       // initial and maximum, elements
constexpr uint32_t kSpecMaxTableInitEntries = 10'000'000; // elements in one segment
constexpr uint32_t kSpecMaxMemory32Pages = 65'536;       // 4 GiB of 64 KiB pages
constexpr uint64_t kSpecMaxMemory64Pages = 262'144;      // 16 GiB (JS API memory64)
constexpr uint32_t kSpecMaxFunctionSize = 7'654'321;     // bytes of one body
constexpr uint32_t kSpecMaxFunctionLocals = 50'000;      // params + declared locals
constexpr uint32_t kSpecMaxFunctionParams = 1'000;
constexpr uint32_t kSpecMaxFunctionReturns = 1'000;
constexpr uint32_t kSpecMaxStructFields = 10'000;        // GC
constexpr uint32_t kSpecMaxRecGroupSize = 1'000'000;     // GC
constexpr uint32_t kSpecMaxSubtypingDepth = 63;          // GC

// The core spec's own bound: a memory32 has at most 2^16 pages, a memory64 at
// most 2^48 pages (validation, not an implementation limit).
constexpr uint64_t kCoreMaxMemory32Pages = 65'536;
constexpr uint64_t kCoreMaxMemory64Pages = uint64_t{1} << 48;

// Ours: the number of locals (and of local-declaration entries) is bounded by
// the JS limit above; the body decoder checks it with "too many locals".
static_assert(kSpecMaxFunctionLocals >= kSpecMaxFunctionParams,
              "params are locals, so the locals limit must admit every param");
static_assert(kSpecMaxModuleSize <= UINT32_MAX,
              "CompileError offsets are 32-bit: a module never exceeds 4 GiB");
static_assert(kSpecMaxFunctions <= kSpecMaxModuleSize, "one byte per function at least");

}  // namespace wasmstream::wasm

#endif  // WASMSTREAM_WASM_LIMITS_H_
