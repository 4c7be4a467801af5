// The set of WebAssembly features in force for a compile. It is part of a
// module's identity: the cache keys on Bits().
#ifndef WASMSTREAM_WASM_FEATURES_H_
#define WASMSTREAM_WASM_FEATURES_H_

#include <cstdint>
#include <optional>
#include <string_view>

namespace wasmstream::wasm {

// Append-only: the numeric values are part of the cache fingerprint.
// The first group is WebAssembly 2.0 (on by default); the second, 3.0 features.
#define WASMSTREAM_FOREACH_FEATURE(V)                            \
  V(kMutableGlobals, 0, "mutable-globals", true)                 \
  V(kSignExtension, 1, "sign-extension", true)                   \
  V(kSaturatingFloatToInt, 2, "saturating-float-to-int", true)   \
  V(kMultiValue, 3, "multi-value", true)                         \
  V(kBulkMemory, 4, "bulk-memory", true)                         \
  V(kReferenceTypes, 5, "reference-types", true)                 \
  V(kSimd, 6, "simd", true)                                      \
  V(kThreads, 7, "threads", false)                               \
  V(kExceptions, 8, "exceptions", false)                         \
  V(kTailCall, 9, "tail-call", false)                            \
  V(kExtendedConst, 10, "extended-const", false)                 \
  V(kMultiMemory, 11, "multi-memory", false)                     \
  V(kMemory64, 12, "memory64", false)                            \
  V(kFunctionReferences, 13, "function-references", false)       \
  V(kGc, 14, "gc", false)                                        \
  V(kRelaxedSimd, 15, "relaxed-simd", false)                     \
  V(kLegacyExceptions, 16, "legacy-exceptions", false)

enum class Feature : uint8_t {
#define WASMSTREAM_FEATURE_ENUM(name, bit, str, dflt) name = bit,
  WASMSTREAM_FOREACH_FEATURE(WASMSTREAM_FEATURE_ENUM)
#undef WASMSTREAM_FEATURE_ENUM
};

class Features {
 public:
  // WebAssembly 2.0: the default.
  static Features Default();
  static Features All();
  static Features None() { return Features(0); }

  bool has(Feature f) const { return bits_ >> static_cast<unsigned>(f) & 1; }
  Features& enable(Feature f) { bits_ |= uint64_t{1} << static_cast<unsigned>(f); return *this; }
  Features& disable(Feature f) { bits_ &= ~(uint64_t{1} << static_cast<unsigned>(f)); return *this; }
  uint64_t Bits() const { return bits_; }
  bool operator==(const Features&) const = default;

  static std::optional<Feature> FromName(std::string_view name);
  static std::string_view Name(Feature f);

 private:
  explicit Features(uint64_t bits) : bits_(bits) {}
  uint64_t bits_;
};

}  // namespace wasmstream::wasm

#endif  // WASMSTREAM_WASM_FEATURES_H_
