// Every limit of the fetch layer, in one place. kSpec* come
// from the Fetch standard; kMax*/kDefault* are ours, each with its reason.
#ifndef WASMSTREAM_FETCH_LIMITS_H_
#define WASMSTREAM_FETCH_LIMITS_H_

#include <cstddef>
#include <cstdint>

namespace wasmstream::fetch {

// Fetch standard, HTTP-redirect fetch step: "If request's redirect count is
// 20, then return a network error."
inline constexpr int kSpecMaxRedirects = 20;

// Bytes a BodyStream buffers before its producer is asked to pause (libcurl
// pause for network bodies). One more network chunk may land on top of it, so
// the real bound is kDefaultBodyBufferBytes + kMaxNetworkChunkBytes.
inline constexpr size_t kDefaultBodyBufferBytes = 1 << 20;  // 1 MiB
// libcurl's own maximum write-callback size is 16 KiB (CURL_MAX_WRITE_SIZE);
// with content decoding it can hand us a bit more, so we ask for this buffer.
inline constexpr size_t kMaxNetworkChunkBytes = 64 * 1024;
// file: bodies are read in slices this big: a local read costs per call, not
// per byte, and a quarter of the body buffer keeps backpressure working.
inline constexpr size_t kFileChunkBytes = 256 * 1024;
// A paused producer resumes once the reader has drained the buffer to half
// of its limit (hysteresis, so a slow reader does not flip pause per chunk).

// Default cap on a decoded body; larger bodies fail with a TypeError. Fits the
// largest wasm module V8 accepts (kV8MaxWasmModuleSize is 1 GiB).
inline constexpr uint64_t kDefaultMaxBodyBytes = uint64_t{1} << 30;
// Cap on the bytes of all response header lines of one response.
inline constexpr size_t kMaxResponseHeaderBytes = 256 * 1024;
// Cap on a URL's serialization (Chromium's url::kMaxURLChars is 2 MiB).
inline constexpr size_t kMaxUrlBytes = 2 * 1024 * 1024;
// Cap on a data: URL body after decoding, and on a file: body read at once.
inline constexpr uint64_t kMaxDataUrlBytes = uint64_t{256} << 20;

inline constexpr long kDefaultConnectTimeoutMs = 30'000;
// A transfer receiving nothing (while not paused by backpressure) for this
// long fails with a TypeError.
inline constexpr long kDefaultIdleTimeoutMs = 60'000;

// Connections libcurl may open at once (more transfers queue inside the multi
// handle). Browsers allow 6 per host for HTTP/1.1; we allow more for loopback.
inline constexpr long kMaxConnectionsPerHost = 32;
inline constexpr long kMaxTotalConnections = 128;

}  // namespace wasmstream::fetch

#endif  // WASMSTREAM_FETCH_LIMITS_H_
