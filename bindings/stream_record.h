// What happened to one compile request, for experiments and the CLI
// Times are milliseconds from the call.
#ifndef WASMSTREAM_BINDINGS_STREAM_RECORD_H_
#define WASMSTREAM_BINDINGS_STREAM_RECORD_H_

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "bindings/error.h"

namespace wasmstream::bindings {

struct StreamRecord {
  using Clock = std::chrono::steady_clock;

  std::string url;     // the response's URL ("" for compile(bytes))
  uint64_t bytes = 0;  // body bytes handed to the consumer
  std::optional<double> time_to_first_byte_ms;     // first body chunk on the loop
  std::optional<double> time_to_compile_start_ms;  // first bytes given to the compiler
  std::optional<double> time_to_last_byte_ms;      // end of body
  std::optional<double> time_to_module_ms;         // the promise settled with a Module
  std::optional<double> compile_ms;                // as the consumer measured it
  // Bytes already given to the compiler when the last chunk arrived: with
  // streaming, all but that chunk; proves compilation began before the end.
  uint64_t bytes_compiled_before_last_chunk = 0;
  std::string consumer = "compile";  // the consumer factory's name
  std::string cache = "off";         // "off", "miss", "hit"
  std::string cache_detail;
  std::optional<Error> error;
  // The body was not read to its end: the bytes so far were already an
  // invalid module, so the download was cancelled and the error reported.
  bool stopped_early = false;

  Clock::time_point start = Clock::now();
  double MsSinceStart() const {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  }
  // Last byte to Module (the benchmark's figure); nullopt unless both exist.
  std::optional<double> last_byte_to_module_ms() const {
    if (!time_to_last_byte_ms || !time_to_module_ms) return std::nullopt;
    return *time_to_module_ms - *time_to_last_byte_ms;
  }
};

}  // namespace wasmstream::bindings

#endif  // WASMSTREAM_BINDINGS_STREAM_RECORD_H_
