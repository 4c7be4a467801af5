#include "tools/wasmstream/module_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <span>
#include <vector>

namespace wasmstream::cli {
namespace {

const char* KindOf(mode_t mode) {
  if (S_ISDIR(mode)) return "is a directory";
  if (S_ISCHR(mode) || S_ISBLK(mode)) return "is a device";
  if (S_ISFIFO(mode)) return "is a FIFO";
  if (S_ISSOCK(mode)) return "is a socket";
  return "is not a regular file";
}

ModuleFileResult FileError(std::string message) {
  ModuleFileResult r;
  r.file_error = std::move(message);
  return r;
}

}  // namespace

ModuleFileResult CompileModuleFile(const std::string& path, const wasm::Features& features) {
  // O_NONBLOCK: opening a FIFO must not wait for a writer; fstat refuses it.
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return FileError(std::string("cannot read file: ") + std::strerror(errno));
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    std::string why = fstat(fd, &st) == 0 ? KindOf(st.st_mode) : std::strerror(errno);
    close(fd);
    return FileError(std::string("not a module file: ") + why);
  }
  wasm::StreamingOptions options;
  options.features = features;
  ModuleFileResult r;
  if (static_cast<uint64_t>(st.st_size) > options.max_module_size) {
    close(fd);
    // The decoder's own error for a stream past the limit, without reading.
    r.compile.emplace(wasm::CompileError{
        static_cast<uint32_t>(options.max_module_size),
        "module size exceeds internal limit of " + std::to_string(options.max_module_size) +
            " bytes"});
    return r;
  }
  wasm::StreamingCompiler compiler(std::move(options));
  std::vector<uint8_t> chunk(kModuleFileChunkBytes);
  while (!compiler.failed()) {  // stop reading once the answer is known
    ssize_t n = read(fd, chunk.data(), chunk.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      std::string why = std::strerror(errno);
      close(fd);
      compiler.Abort();
      return FileError("cannot read file: " + why);
    }
    if (n == 0) break;
    compiler.OnBytesReceived(std::span<const uint8_t>(chunk.data(), static_cast<size_t>(n)));
  }
  close(fd);
  r.compile.emplace(compiler.Finish());
  return r;
}

}  // namespace wasmstream::cli
