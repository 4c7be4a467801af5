// A compiled Module to bytes and back, for the code cache (cache/ stores the
// bytes opaquely; bindings/cached_* glue the two).
//
// Format (all integers little-endian, fixed width; strings and vectors are a
// uint32 count then the items):
//
//   "WSMC" | u32 format version | u32 flags | u64 feature bits
//   [u32 n | n wire bytes]            when flags & kHasWireBytes
//   types, imports, functions, tables, memories, globals, tags, exports,
//   start, elems, data, data_count, custom sections, names, import counts,
//   [code]                            when flags & kHasCode
//
// Loading treats the bytes as hostile (a cache entry may be corrupt or
// crafted): every read is bounds-checked, every count is checked against the
// bytes left before anything is allocated, and the loaded Module is checked
// for internal consistency (indices in range, byte ranges inside the wire
// bytes, import/definition order) so nothing downstream can index out of
// bounds because of a bad entry. A failure is a CompileError naming the
// offset in the serialized bytes; never a crash.
#ifndef WASMSTREAM_WASM_SERIALIZATION_SERIALIZER_H_
#define WASMSTREAM_WASM_SERIALIZATION_SERIALIZER_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "wasm/module.h"
#include "wasm/result.h"

namespace wasmstream::wasm {

// Bump on any change of the format or of what a Module holds: it is part of
// the cache's engine fingerprint, so old entries are never read.
inline constexpr uint32_t kSerializationFormatVersion = 3;
inline constexpr uint32_t kSerializedMagic = 0x434d5357;  // "WSMC"

// Largest serialized module the loader accepts (a sanity bound; the cache's
// own entry limit is lower).
inline constexpr uint64_t kMaxSerializedBytes = uint64_t{1} << 31;

struct SerializeOptions {
  // Leave the wire bytes out (the cache stores them beside the payload and
  // compares them with the streamed bytes); the loader then needs them.
  bool omit_wire_bytes = false;
  // A code-cache write-back: besides Module::code, the code made on first
  // call so far (ModuleCodeTable) and the code the module's own payload held
  // for functions not called yet; functions with none of these have none.
  bool with_code_so_far = false;
};

std::vector<uint8_t> SerializeModule(const Module& module, SerializeOptions options = {});

// {wire_bytes}: required when the payload omits them (the Module then shares
// them); when the payload holds them too, they must be equal. The result is a fresh Module, equal to the
// serialized one field by field.
Result<std::shared_ptr<const Module>> DeserializeModule(
    std::span<const uint8_t> bytes, std::optional<WireBytes> wire_bytes = std::nullopt);

// The same, except that compiled code stays in {payload} (kept alive by the
// Module) and each function's code is read and verified when the runtime
// first needs it (Module::deferred_code; one that fails its checks is
// compiled from the wire bytes instead). Loading a cache entry this way costs
// the module's metadata, not its code.
Result<std::shared_ptr<const Module>> DeserializeModuleDeferred(
    std::shared_ptr<const std::vector<uint8_t>> payload,
    std::optional<WireBytes> wire_bytes = std::nullopt);

// Loading in two steps, for a stream whose cache entry is known before its
// last byte (the cache predicts it from the first bytes): the first step
// reads the payload and checks everything in it against the size the wire
// bytes will have, while they still arrive; the second, once they are all
// in and confirmed to be the entry's, checks what lies in the wire bytes
// (each constant expression decodes and validates) and hands the Module
// over. Together they check exactly what DeserializeModuleDeferred checks,
// and the code stays in the payload the same way.
class PreparedModule {
 public:
  PreparedModule() = default;
  uint64_t wire_size() const { return wire_size_; }

 private:
  friend Result<PreparedModule> PrepareModuleDeferred(std::shared_ptr<const std::vector<uint8_t>>,
                                                      uint64_t);
  friend Result<std::shared_ptr<const Module>> FinishPreparedModule(PreparedModule, WireBytes);
  std::shared_ptr<Module> module_;  // without wire bytes until FinishPreparedModule
  uint64_t wire_size_ = 0;
  uint32_t end_ = 0;  // offset after the serialized module, for errors
};

// {payload} must not hold the wire bytes (SerializeOptions::omit_wire_bytes).
Result<PreparedModule> PrepareModuleDeferred(std::shared_ptr<const std::vector<uint8_t>> payload,
                                             uint64_t wire_size);
// {wire_bytes} must have the size given to PrepareModuleDeferred.
Result<std::shared_ptr<const Module>> FinishPreparedModule(PreparedModule prepared,
                                                           WireBytes wire_bytes);

}  // namespace wasmstream::wasm

#endif  // WASMSTREAM_WASM_SERIALIZATION_SERIALIZER_H_
