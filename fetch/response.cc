#include "fetch/response.h"

#include <future>

namespace wasmstream::fetch {

std::string_view ResponseTypeName(ResponseType type) {
  switch (type) {
    case ResponseType::kBasic: return "basic";
    case ResponseType::kCors: return "cors";
    case ResponseType::kDefault: return "default";
    case ResponseType::kError: return "error";
    case ResponseType::kOpaque: return "opaque";
    case ResponseType::kOpaqueRedirect: return "opaqueredirect";
  }
  return "error";
}

Response Response::NetworkError(std::string reason) {
  return NetworkError(FetchError::Type(std::move(reason)));
}

Response Response::NetworkError(FetchError error) {
  auto state = std::make_shared<State>();
  state->type = ResponseType::kError;
  state->error = std::move(error);
  state->headers.MakeImmutable();
  return Response(std::move(state));
}

FetchResult<Response> Response::FromBytes(Bytes body, int status, std::string status_text,
                                          Headers headers) {
  if (status < 200 || status > 599)
    return FetchError::Type("Response status " + std::to_string(status) +
                            " is outside the range [200, 599]");
  for (char c : status_text)
    if (c == '\r' || c == '\n') return FetchError::Type("Invalid status text");
  auto state = std::make_shared<State>();
  state->type = ResponseType::kDefault;
  state->status = status;
  state->status_text = std::move(status_text);
  state->headers = std::move(headers);
  state->headers.MakeImmutable();
  state->body = BodyStream::FromBytes(std::move(body));
  return Response(std::move(state));
}

Response Response::FromParts(Parts parts) {
  auto state = std::make_shared<State>();
  state->type = parts.type;
  state->url_list = std::move(parts.url_list);
  state->status = parts.status;
  state->status_text = std::move(parts.status_text);
  state->headers = std::move(parts.headers);
  state->headers.MakeImmutable();
  state->body = std::move(parts.body);
  return Response(std::move(state));
}

std::string Response::url() const {
  if (state_->url_list.empty()) return "";
  // The standard's response URL excludes the fragment.
  return state_->url_list.back().WithoutFragment();
}

bool Response::cors_same_origin() const {
  return state_->type == ResponseType::kBasic || state_->type == ResponseType::kCors ||
         state_->type == ResponseType::kDefault;
}

FetchResult<Response> Response::Clone() {
  if (state_->body && (state_->body->disturbed() || state_->body->locked()))
    return FetchError::Type("Response body is already used");
  auto copy = std::make_shared<State>(*state_);
  if (state_->body) {
    auto branches = state_->body->Tee();
    if (!branches.ok()) return branches.error();
    state_->body = branches.value().first;
    copy->body = branches.value().second;
  }
  return Response(std::move(copy));
}

namespace {

// Drains a reader into one buffer; keeps itself alive through the callbacks.
struct Collector : std::enable_shared_from_this<Collector> {
  std::unique_ptr<BodyStream::Reader> reader;
  Bytes bytes;
  std::function<void(FetchResult<Bytes>)> done;
  std::mutex mutex;
  bool in_loop = false, again = false, finished = false;

  // Trampolined like the tee: inline completions continue the loop.
  void Loop() {
    std::unique_lock<std::mutex> lock(mutex);
    if (in_loop) {
      again = true;
      return;
    }
    in_loop = true;
    do {
      again = false;
      lock.unlock();
      auto self = shared_from_this();
      reader->Read([self](ReadResult r) { self->OnRead(std::move(r)); });
      lock.lock();
    } while (again && !finished);
    in_loop = false;
  }

  void OnRead(ReadResult r) {
    if (r.is_chunk()) {
      bytes.insert(bytes.end(), r.chunk.begin(), r.chunk.end());
      Loop();
      return;
    }
    {
      std::lock_guard<std::mutex> lock(mutex);
      finished = true;
    }
    auto callback = std::move(done);
    reader.reset();  // release the lock before the callback
    if (r.is_done()) callback(std::move(bytes));
    else callback(std::move(r.error));
  }
};

}  // namespace

void Response::ReadAllBytes(std::function<void(FetchResult<Bytes>)> callback) const {
  if (!state_->body) {
    callback(Bytes{});
    return;
  }
  if (state_->body->disturbed()) {
    callback(FetchError::Type("Response body is already used"));
    return;
  }
  auto reader = state_->body->GetReader();
  if (!reader.ok()) {
    callback(reader.error());
    return;
  }
  auto collector = std::make_shared<Collector>();
  collector->reader = std::move(reader.value());
  collector->done = std::move(callback);
  collector->Loop();
}

FetchResult<Bytes> Response::BytesBlocking() const {
  std::promise<FetchResult<Bytes>> promise;
  auto future = promise.get_future();
  ReadAllBytes([&promise](FetchResult<Bytes> r) { promise.set_value(std::move(r)); });
  return future.get();
}

FetchResult<std::string> Response::TextBlocking() const {
  auto bytes = BytesBlocking();
  if (!bytes.ok()) return bytes.error();
  return std::string(bytes.value().begin(), bytes.value().end());
}

}  // namespace wasmstream::fetch
