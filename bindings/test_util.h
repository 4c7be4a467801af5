// Helpers shared by the bindings tests: synthetic responses and promise
// settling on a loop.
#ifndef WASMSTREAM_BINDINGS_TEST_UTIL_H_
#define WASMSTREAM_BINDINGS_TEST_UTIL_H_

#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "bindings/promise.h"
#include "fetch/headers.h"
#include "fetch/response.h"

namespace wasmstream::bindings::testing {

inline fetch::Headers MakeHeaders(const std::vector<fetch::Headers::Entry>& entries) {
  fetch::Headers h;
  for (const auto& [name, value] : entries) h.AppendUnchecked(name, value);
  return h;
}

// A "default" response (like new Response(bytes, {headers})), closed body.
inline fetch::Response SyntheticResponse(const std::vector<uint8_t>& body,
                                         std::vector<fetch::Headers::Entry> headers = {
                                             {"Content-Type", "application/wasm"}},
                                         int status = 200) {
  fetch::Response::Parts parts;
  parts.type = fetch::ResponseType::kDefault;
  parts.status = status;
  parts.headers = MakeHeaders(headers);
  parts.headers.MakeImmutable();
  parts.body = fetch::BodyStream::FromBytes(body);
  return fetch::Response::FromParts(std::move(parts));
}

// An application/wasm response of {type} whose body stays open: the test
// pushes chunks into {body}, ends it or errors it.
inline fetch::Response OpenBodyResponse(std::shared_ptr<fetch::BodyStream> body,
                                        fetch::ResponseType type = fetch::ResponseType::kDefault) {
  fetch::Response::Parts parts;
  parts.type = type;
  parts.status = 200;
  parts.headers = MakeHeaders({{"Content-Type", "application/wasm"}});
  parts.body = std::move(body);
  return fetch::Response::FromParts(std::move(parts));
}

// A response whose body is null (new Response(null, …)).
inline fetch::Response NullBodyResponse(std::vector<fetch::Headers::Entry> headers = {
                                            {"Content-Type", "application/wasm"}}) {
  fetch::Response::Parts parts;
  parts.type = fetch::ResponseType::kDefault;
  parts.status = 200;
  parts.headers = MakeHeaders(headers);
  return fetch::Response::FromParts(std::move(parts));
}

// Runs {loop} until {p} settles; false if it never does.
template <typename T>
bool Settle(EventLoop& loop, const Promise<T>& p) {
  return loop.RunUntil([&] { return !p.is_pending(); });
}

}  // namespace wasmstream::bindings::testing

#endif  // WASMSTREAM_BINDINGS_TEST_UTIL_H_
