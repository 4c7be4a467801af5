// The resident set size of this process, for tests that bound memory (in the
// namespace of the other helpers in tests/testing/).
#ifndef WASMSTREAM_TESTS_TESTING_RSS_H_
#define WASMSTREAM_TESTS_TESTING_RSS_H_

#include <cstdint>
#include <fstream>
#include <string>

namespace wasmstream::testserver {

// Resident set size of this process in bytes (Linux), 0 if unknown.
inline uint64_t RssBytes() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stoull(line.substr(6)) * 1024;
  }
  return 0;
}

}  // namespace wasmstream::testserver

#endif  // WASMSTREAM_TESTS_TESTING_RSS_H_
