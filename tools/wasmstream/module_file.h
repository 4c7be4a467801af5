// A module file streamed through the same decoder as a network body
// (wasm::StreamingCompiler), in bounded chunks: reading stops at the first
// error, a file larger than the module size limit is refused before any byte
// is read, and only a regular file is opened (a directory, device or FIFO is
// refused with a message, never read until memory runs out).
#ifndef WASMSTREAM_TOOLS_WASMSTREAM_MODULE_FILE_H_
#define WASMSTREAM_TOOLS_WASMSTREAM_MODULE_FILE_H_

#include <cstddef>
#include <optional>
#include <string>

#include "wasm/features.h"
#include "wasm/streaming_compiler.h"

namespace wasmstream::cli {

// Bytes read from a module file at a time.
inline constexpr size_t kModuleFileChunkBytes = 1 << 20;

struct ModuleFileResult {
  // Set when the file could not be read as a module ("is a directory", …);
  // {compile} is then empty.
  std::optional<std::string> file_error;
  std::optional<wasm::CompileResult> compile;
};

ModuleFileResult CompileModuleFile(const std::string& path, const wasm::Features& features);

}  // namespace wasmstream::cli

#endif  // WASMSTREAM_TOOLS_WASMSTREAM_MODULE_FILE_H_
