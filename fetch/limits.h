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
// pause for network bodies). One more chunk may land on top of it, so the
// real bound is kDefaultBodyBufferBytes + kMaxBodyChunkBytes.
inline constexpr size_t kDefaultBodyBufferBytes = 1 << 20;  // 1 MiB
// The largest body chunk the Fetcher makes, network or file: the bytes one
// turn of the network loop received for a transfer (libcurl hands them over
// in 16 KiB slices, CURL_MAX_WRITE_SIZE), or one read(2) of a file. Big, so
// a reader wakes and reads once per 256 KiB rather than per 16 KiB; a quarter
// of the body buffer, so backpressure still pauses after a few chunks.
inline constexpr size_t kMaxBodyChunkBytes = 256 * 1024;
// libcurl's receive buffer per transfer (CURLOPT_BUFFERSIZE). libcurl reads
// the socket several times per turn of the network loop, so once a turn's
// bytes make one chunk, 64, 256 and 512 KiB measured the same (bench/fetch.sh);
// the small one costs least per transfer, and caps what libcurl itself holds
// for a paused transfer.
inline constexpr size_t kCurlReceiveBufferBytes = 64 * 1024;
// Decoded bytes (Content-Encoding) are made in slices of this size: the
// decoder writes into a zero-filled vector, so a slice is kept to what one
// network slice tends to inflate to.
inline constexpr size_t kDecodedChunkBytes = 64 * 1024;
static_assert(kDecodedChunkBytes <= kMaxBodyChunkBytes);
// Idle chunk buffers a Fetcher keeps for reuse (chunk_pool.h): those of one
// full body buffer plus the chunk in the reader's hands and the one being
// filled; more are freed.
inline constexpr size_t kMaxIdleChunkBuffers =
    kDefaultBodyBufferBytes / kMaxBodyChunkBytes + 2;
// A paused producer resumes once the reader has drained the buffer to half
// of its limit (hysteresis, so a slow reader does not flip pause per chunk).

// Default cap on a decoded body; larger bodies fail with a TypeError. Fits the
// largest wasm module V8 accepts (kV8MaxWasmModuleSize is 1 GiB).
inline constexpr uint64_t kDefaultMaxBodyBytes = uint64_t{1} << 30;
// Cap on the bytes of all response header lines of one response.
inline constexpr size_t kMaxResponseHeaderBytes = 256 * 1024;
// Cap on a URL's serialization (Chromium's url::kMaxURLChars is 2 MiB).
inline constexpr size_t kMaxUrlBytes = 2 * 1024 * 1024;
// Cap on a data: URL body after decoding.
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
