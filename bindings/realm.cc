#include "bindings/realm.h"

#include "bindings/compiling_consumer.h"
#include "wasm/runtime/sink_factory.h"

namespace wasmstream::bindings {

Error FromFetchError(const fetch::FetchError& e) {
  return Error::Make(e.is_abort() ? ErrorKind::kAbortError : ErrorKind::kTypeError, e.message);
}

bool Realm::SetPageUrl(std::string_view url) {
  auto parsed = fetch::Url::Parse(url);
  if (!parsed.ok()) return false;
  origin = parsed.value().origin();
  base_url = parsed.value();
  return true;
}

std::shared_ptr<wasm::CodeSinkFactory> Realm::NewSinkFactory() const {
  if (!compile_code) return nullptr;
  return std::make_shared<wasm::InterpreterSinkFactory>();
}

const std::shared_ptr<wasm::Store>& Realm::store() {
  if (!store_) store_ = std::make_shared<wasm::Store>();
  return store_;
}

ModuleStreamConsumerFactory& Realm::consumer_factory_or_default() {
  if (consumer_factory) return *consumer_factory;
  return DefaultConsumerFactory();
}

Promise<fetch::Response> Realm::Fetch(std::string_view url, FetchInit init) {
  Promise<fetch::Response> promise(loop_);
  auto request = fetch::Request::Create(url, base_url ? &*base_url : nullptr);
  if (!request.ok()) {
    promise.Reject(FromFetchError(request.error()));
    return promise;
  }
  if (fetcher == nullptr) {
    promise.Reject(Error::Type("Failed to fetch: this realm has no fetcher"));
    return promise;
  }
  fetch::Request r = std::move(request).value();
  r.origin = origin;
  r.mode = init.mode;
  r.redirect = init.redirect;
  r.signal = init.signal;
  for (const auto& [name, value] : init.headers) {
    if (fetch::FetchStatus appended = r.headers.Append(name, value); !appended.ok()) {
      promise.Reject(FromFetchError(appended.error()));
      return promise;
    }
  }
  EventLoop* loop = &loop_;
  EventLoop::KeepAlive hold = loop_.Hold();
  // The callback runs on the network thread; settle on the loop.
  fetcher->Fetch(std::move(r), [loop, promise, hold](fetch::Response response) mutable {
    loop->PostTask([promise, response]() mutable {
      if (response.is_network_error()) {
        promise.Reject(FromFetchError(response.error()));
      } else {
        promise.Resolve(response);
      }
    });
    hold.Reset();
  });
  return promise;
}

}  // namespace wasmstream::bindings
