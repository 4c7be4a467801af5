// The messages compileStreaming rejects with, in the engines' wording
// (Chrome's and V8's where they have one). Tests compare against these.
#ifndef WASMSTREAM_BINDINGS_MESSAGES_H_
#define WASMSTREAM_BINDINGS_MESSAGES_H_

namespace wasmstream::bindings {

inline constexpr char kNotAResponseMessage[] =
    "An argument must be provided, which must be a Response or Promise<Response> object";
inline constexpr char kMimeMessage[] = "Incorrect response MIME type. Expected 'application/wasm'.";
inline constexpr char kCorsMessage[] =
    "Response is not CORS-same-origin: its type must be 'basic', 'cors' or 'default'";
inline constexpr char kStatusMessage[] = "HTTP status code is not ok";
inline constexpr char kUsedMessage[] =
    "Cannot compile WebAssembly.Module from an already read Response";
inline constexpr char kLockedMessage[] = "Cannot compile WebAssembly.Module from a locked Response";
inline constexpr char kEmptyMessage[] = "Empty WebAssembly module";

}  // namespace wasmstream::bindings

#endif  // WASMSTREAM_BINDINGS_MESSAGES_H_
