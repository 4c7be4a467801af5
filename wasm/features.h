// The set of WebAssembly features in force for a compile. It is part of a
// module's identity: the cache keys on Bits().
#ifndef WASMSTREAM_WASM_FEATURES_H_
#define WASMSTREAM_WASM_FEATURES_H_

#include <cstdint>
#include <optional>
#include <string_view>

namespace wasmstream::wasm {

// Append-only: the numeric values are part of the cache fingerprint.
// Columns: name, bit, name on the command line, in WebAssembly 2.0, on by
// default (Features::Default(): what V8 ships enabled, as in Chrome and
// node 26: all of WebAssembly 3.0, the threads proposal's atomics and the
// legacy exception instructions).
#define WASMSTREAM_FOREACH_FEATURE(V)                                  \
  V(kMutableGlobals, 0, "mutable-globals", true, true)                 \
  V(kSignExtension, 1, "sign-extension", true, true)                   \
  V(kSaturatingFloatToInt, 2, "saturating-float-to-int", true, true)   \
  V(kMultiValue, 3, "multi-value", true, true)                         \
  V(kBulkMemory, 4, "bulk-memory", true, true)                         \
  V(kReferenceTypes, 5, "reference-types", true, true)                 \
  V(kSimd, 6, "simd", true, true)                                      \
  V(kThreads, 7, "threads", false, true)                               \
  V(kExceptions, 8, "exceptions", false, true)                         \
  V(kTailCall, 9, "tail-call", false, true)                            \
  V(kExtendedConst, 10, "extended-const", false, true)                 \
  V(kMultiMemory, 11, "multi-memory", false, true)                     \
  V(kMemory64, 12, "memory64", false, true)                            \
  V(kFunctionReferences, 13, "function-references", false, true)       \
  V(kGc, 14, "gc", false, true)                                        \
  V(kRelaxedSimd, 15, "relaxed-simd", false, true)                     \
  V(kLegacyExceptions, 16, "legacy-exceptions", false, true)

enum class Feature : uint8_t {
#define WASMSTREAM_FEATURE_ENUM(name, bit, str, v2, dflt) name = bit,
  WASMSTREAM_FOREACH_FEATURE(WASMSTREAM_FEATURE_ENUM)
#undef WASMSTREAM_FEATURE_ENUM
};

class Features {
 public:
  // What an embedder gets unless it asks otherwise: the features the engines
  // ship enabled (see the table above).
  static Features Default();
  // WebAssembly 2.0 alone (its spec tests; what a strict 2.0 engine accepts).
  static Features Wasm20();
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
