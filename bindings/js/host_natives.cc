// The Web host's natives: console output, timers, fetch() and Response
// over fetch/, AbortController over fetch::AbortController, location, UTF-8.
#include <cstring>
#include <string>
#include <vector>

#include "bindings/js/natives.h"

namespace wasmstream::bindings::js {
namespace {

JSValueRef Undefined(JSContextRef ctx) { return JSValueMakeUndefined(ctx); }

JSValueRef Throw(RuntimeState& s, JSValueRef* exception, ErrorKind kind, std::string_view message) {
  *exception = s.MakeError(kind, message);
  return Undefined(s.ctx);
}

fetch::Response* ResponseArg(RuntimeState& s, JSValueRef v, JSValueRef* exception) {
  fetch::Response* r = s.HandleAs<fetch::Response>(v);
  if (!r) Throw(s, exception, ErrorKind::kTypeError, "not a Response");
  return r;
}

std::shared_ptr<fetch::AbortController>* AbortArg(RuntimeState& s, JSValueRef v,
                                                  JSValueRef* exception) {
  auto* c = s.HandleAs<std::shared_ptr<fetch::AbortController>>(v);
  if (!c) Throw(s, exception, ErrorKind::kTypeError, "not an AbortController");
  return c;
}

// [[name, value], ...] from a JS array of pairs.
bool HeaderList(RuntimeState& s, JSValueRef v, std::vector<fetch::Headers::Entry>* out,
                JSValueRef* exception) {
  JSContextRef ctx = s.ctx;
  JSObjectRef list = AsObject(ctx, v);
  if (!list) return true;
  size_t n = static_cast<size_t>(JSValueToNumber(ctx, Get(ctx, list, "length"), exception));
  for (size_t i = 0; i < n && !*exception; ++i) {
    JSObjectRef pair = AsObject(ctx, JSObjectGetPropertyAtIndex(ctx, list, i, exception));
    if (!pair) break;
    std::string name = ToUtf8(ctx, JSObjectGetPropertyAtIndex(ctx, pair, 0, exception), exception);
    std::string value = ToUtf8(ctx, JSObjectGetPropertyAtIndex(ctx, pair, 1, exception), exception);
    out->emplace_back(std::move(name), std::move(value));
  }
  return *exception == nullptr;
}

WASMSTREAM_NATIVE(Print) {
  RuntimeState& s = StateOf(ctx);
  int stream = static_cast<int>(JSValueToNumber(ctx, Arg(ctx, argc, argv, 0), exception));
  std::string text = ToUtf8(ctx, Arg(ctx, argc, argv, 1), exception);
  if (*exception) return Undefined(ctx);
  s.Print(stream == 2 ? 2 : 1, text);
  return Undefined(ctx);
}

WASMSTREAM_NATIVE(ReportError) {
  StateOf(ctx).ReportUncaught(Arg(ctx, argc, argv, 0), "Uncaught");
  return Undefined(ctx);
}

WASMSTREAM_NATIVE(SetTimeout) {
  RuntimeState& s = StateOf(ctx);
  auto callback = std::make_shared<Protected>(s.alive, ctx, Arg(ctx, argc, argv, 0));
  double ms = JSValueToNumber(ctx, Arg(ctx, argc, argv, 1), exception);
  if (*exception) return Undefined(ctx);
  RuntimeState* state = &s;
  std::shared_ptr<const bool> alive = s.alive;
  uint64_t id = s.timers.Start(std::chrono::milliseconds(static_cast<int64_t>(ms)), [=] {
    if (!*alive) return;
    JSValueRef exc = nullptr;
    JSObjectCallAsFunction(state->ctx, JSValueToObject(state->ctx, callback->get(), nullptr),
                           nullptr, 0, nullptr, &exc);
    if (exc) state->ReportUncaught(exc, "Uncaught");
  });
  return JSValueMakeNumber(ctx, static_cast<double>(id));
}

WASMSTREAM_NATIVE(ClearTimeout) {
  RuntimeState& s = StateOf(ctx);
  double id = JSValueToNumber(ctx, Arg(ctx, argc, argv, 0), exception);
  if (id > 0) s.timers.Cancel(static_cast<uint64_t>(id));
  return Undefined(ctx);
}

// fetch(url, headers, signal handle, mode, redirect) -> Promise<handle>.
WASMSTREAM_NATIVE(Fetch) {
  RuntimeState& s = StateOf(ctx);
  std::string url = ToUtf8(ctx, Arg(ctx, argc, argv, 0), exception);
  if (*exception) return Undefined(ctx);
  FetchInit init;
  if (!HeaderList(s, Arg(ctx, argc, argv, 1), &init.headers, exception)) return Undefined(ctx);
  if (auto* c = s.HandleAs<std::shared_ptr<fetch::AbortController>>(Arg(ctx, argc, argv, 2))) {
    init.signal = (*c)->signal();
  }
  std::string mode = ToUtf8(ctx, Arg(ctx, argc, argv, 3), exception);
  if (mode == "cors") {
    init.mode = fetch::RequestMode::kCors;
  } else if (mode == "no-cors") {
    init.mode = fetch::RequestMode::kNoCors;
  } else if (mode == "same-origin") {
    init.mode = fetch::RequestMode::kSameOrigin;
  } else {
    return Throw(s, exception, ErrorKind::kTypeError, "fetch(): unsupported mode '" + mode + "'");
  }
  std::string redirect = ToUtf8(ctx, Arg(ctx, argc, argv, 4), exception);
  if (redirect == "follow") {
    init.redirect = fetch::RedirectMode::kFollow;
  } else if (redirect == "error") {
    init.redirect = fetch::RedirectMode::kError;
  } else if (redirect == "manual") {
    init.redirect = fetch::RedirectMode::kManual;
  } else {
    return Throw(s, exception, ErrorKind::kTypeError, "fetch(): unsupported redirect '" + redirect + "'");
  }
  RuntimeState* state = &s;
  return ToJsPromise(s, s.realm.Fetch(url, std::move(init)),
                     [state](const fetch::Response& r, JSValueRef*) -> JSValueRef {
                       return state->NewHandle(r);
                     });
}

WASMSTREAM_NATIVE(ResponseHeaders) {
  RuntimeState& s = StateOf(ctx);
  fetch::Response* r = ResponseArg(s, Arg(ctx, argc, argv, 0), exception);
  if (!r) return Undefined(ctx);
  std::vector<JSValueRef> items;
  for (const auto& [name, value] : r->headers().entries()) {
    JSValueRef pair[2] = {MakeString(ctx, name), MakeString(ctx, value)};
    items.push_back(JSObjectMakeArray(ctx, 2, pair, exception));
  }
  return JSObjectMakeArray(ctx, items.size(), items.data(), exception);
}

WASMSTREAM_NATIVE(ResponseInfo) {
  RuntimeState& s = StateOf(ctx);
  fetch::Response* r = ResponseArg(s, Arg(ctx, argc, argv, 0), exception);
  if (!r) return Undefined(ctx);
  JSObjectRef o = JSObjectMake(ctx, nullptr, nullptr);
  Set(ctx, o, "type", MakeString(ctx, fetch::ResponseTypeName(r->type())));
  Set(ctx, o, "url", MakeString(ctx, r->url()));
  Set(ctx, o, "redirected", JSValueMakeBoolean(ctx, r->redirected()));
  Set(ctx, o, "status", JSValueMakeNumber(ctx, r->status()));
  Set(ctx, o, "ok", JSValueMakeBoolean(ctx, r->ok()));
  Set(ctx, o, "statusText", MakeString(ctx, r->status_text()));
  Set(ctx, o, "bodyUsed", JSValueMakeBoolean(ctx, r->body_used()));
  return o;
}

// arrayBuffer(): reads the whole body (on the network thread as it
// arrives), then settles on the loop.
WASMSTREAM_NATIVE(ResponseBytes) {
  RuntimeState& s = StateOf(ctx);
  fetch::Response* r = ResponseArg(s, Arg(ctx, argc, argv, 0), exception);
  if (!r) return Undefined(ctx);
  EventLoop& loop = s.realm.loop();
  Promise<std::shared_ptr<fetch::Bytes>> bytes(loop);
  EventLoop::KeepAlive hold = loop.Hold();
  r->ReadAllBytes([loop = &loop, bytes, hold](fetch::FetchResult<fetch::Bytes> result) mutable {
    auto boxed = std::make_shared<fetch::FetchResult<fetch::Bytes>>(std::move(result));
    loop->PostTask([bytes, boxed]() mutable {
      if (boxed->ok()) {
        bytes.Resolve(std::make_shared<fetch::Bytes>(std::move(*boxed).value()));
      } else {
        bytes.Reject(FromFetchError(boxed->error()));
      }
    });
    hold.Reset();
  });
  return ToJsPromise(s, bytes, [ctx = s.ctx](const std::shared_ptr<fetch::Bytes>& b, JSValueRef*) {
    return static_cast<JSValueRef>(NewArrayBuffer(ctx, *b));
  });
}

WASMSTREAM_NATIVE(ResponseClone) {
  RuntimeState& s = StateOf(ctx);
  fetch::Response* r = ResponseArg(s, Arg(ctx, argc, argv, 0), exception);
  if (!r) return Undefined(ctx);
  auto clone = r->Clone();
  if (!clone.ok()) return Throw(s, exception, ErrorKind::kTypeError, clone.error().message);
  return s.NewHandle(std::move(clone).value());
}

// new Response(bytes or null, status, statusText, [[name, value]...]).
WASMSTREAM_NATIVE(ResponseNew) {
  RuntimeState& s = StateOf(ctx);
  fetch::Bytes body;
  JSValueRef b = Arg(ctx, argc, argv, 0);
  if (!JSValueIsNull(ctx, b)) {
    auto span = BytesOf(ctx, b, exception);
    if (*exception) return Undefined(ctx);
    body.assign(span.begin(), span.end());
  }
  int status = static_cast<int>(JSValueToNumber(ctx, Arg(ctx, argc, argv, 1), exception));
  std::string status_text = ToUtf8(ctx, Arg(ctx, argc, argv, 2), exception);
  std::vector<fetch::Headers::Entry> entries;
  if (!HeaderList(s, Arg(ctx, argc, argv, 3), &entries, exception)) return Undefined(ctx);
  auto headers = fetch::Headers::From(entries);
  if (!headers.ok()) return Throw(s, exception, ErrorKind::kTypeError, headers.error().message);
  if (status < 200 || status > 599) {
    return Throw(s, exception, ErrorKind::kRangeError, "Response(): status must be in the range 200 to 599");
  }
  auto r = fetch::Response::FromBytes(std::move(body), status, std::move(status_text),
                                      std::move(headers).value());
  if (!r.ok()) return Throw(s, exception, ErrorKind::kTypeError, r.error().message);
  return s.NewHandle(std::move(r).value());
}

WASMSTREAM_NATIVE(ResponseError) {
  return StateOf(ctx).NewHandle(fetch::Response::NetworkError("Response.error()"));
}

WASMSTREAM_NATIVE(AbortNew) {
  return StateOf(ctx).NewHandle(std::make_shared<fetch::AbortController>());
}

WASMSTREAM_NATIVE(AbortAbort) {
  RuntimeState& s = StateOf(ctx);
  auto* c = AbortArg(s, Arg(ctx, argc, argv, 0), exception);
  if (c) (*c)->Abort();
  return Undefined(ctx);
}

WASMSTREAM_NATIVE(AbortAborted) {
  RuntimeState& s = StateOf(ctx);
  auto* c = AbortArg(s, Arg(ctx, argc, argv, 0), exception);
  return JSValueMakeBoolean(ctx, c && (*c)->signal()->aborted());
}

// The parts of a URL that `location` exposes.
WASMSTREAM_NATIVE(ParseUrl) {
  RuntimeState& s = StateOf(ctx);
  std::string text = ToUtf8(ctx, Arg(ctx, argc, argv, 0), exception);
  auto url = fetch::Url::Parse(text);
  if (!url.ok()) return Throw(s, exception, ErrorKind::kTypeError, url.error().message);
  const fetch::Url& u = url.value();
  std::string port = u.port() ? std::to_string(*u.port()) : "";
  std::string host = u.host() + (port.empty() ? "" : ":" + port);
  JSObjectRef o = JSObjectMake(ctx, nullptr, nullptr);
  Set(ctx, o, "href", MakeString(ctx, u.href()));
  Set(ctx, o, "origin", MakeString(ctx, u.origin().Serialize()));
  Set(ctx, o, "protocol", MakeString(ctx, u.scheme() + ":"));
  Set(ctx, o, "host", MakeString(ctx, host));
  Set(ctx, o, "hostname", MakeString(ctx, u.host()));
  Set(ctx, o, "port", MakeString(ctx, port));
  Set(ctx, o, "pathname", MakeString(ctx, u.path()));
  Set(ctx, o, "search", MakeString(ctx, u.query() && !u.query()->empty() ? "?" + *u.query() : ""));
  Set(ctx, o, "hash", MakeString(ctx, u.fragment() && !u.fragment()->empty() ? "#" + *u.fragment() : ""));
  return o;
}

WASMSTREAM_NATIVE(Utf8Encode) {
  std::string text = ToUtf8(ctx, Arg(ctx, argc, argv, 0), exception);
  if (*exception) return Undefined(ctx);
  return NewArrayBuffer(ctx, {reinterpret_cast<const uint8_t*>(text.data()), text.size()});
}

WASMSTREAM_NATIVE(Utf8Decode) {
  auto bytes = BytesOf(ctx, Arg(ctx, argc, argv, 0), exception);
  if (*exception) return Undefined(ctx);
  // JSC decodes UTF-8 (invalid sequences become U+FFFD).
  std::string text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  return MakeString(ctx, text);
}

}  // namespace

void InstallHostNatives(RuntimeState& s, JSObjectRef natives) {
  JSContextRef ctx = s.ctx;
  AddNative(ctx, natives, "print", Print);
  AddNative(ctx, natives, "reportError", ReportError);
  AddNative(ctx, natives, "setTimeout", SetTimeout);
  AddNative(ctx, natives, "clearTimeout", ClearTimeout);
  AddNative(ctx, natives, "fetch", Fetch);
  AddNative(ctx, natives, "responseHeaders", ResponseHeaders);
  AddNative(ctx, natives, "responseInfo", ResponseInfo);
  AddNative(ctx, natives, "responseBytes", ResponseBytes);
  AddNative(ctx, natives, "responseClone", ResponseClone);
  AddNative(ctx, natives, "responseNew", ResponseNew);
  AddNative(ctx, natives, "responseError", ResponseError);
  AddNative(ctx, natives, "abortNew", AbortNew);
  AddNative(ctx, natives, "abortAbort", AbortAbort);
  AddNative(ctx, natives, "abortAborted", AbortAborted);
  AddNative(ctx, natives, "parseUrl", ParseUrl);
  AddNative(ctx, natives, "utf8Encode", Utf8Encode);
  AddNative(ctx, natives, "utf8Decode", Utf8Decode);
  if (s.realm.base_url && (s.realm.base_url->scheme() == "http" || s.realm.base_url->scheme() == "https")) {
    Set(ctx, natives, "location", MakeString(ctx, s.realm.base_url->href()));
  }
}

}  // namespace wasmstream::bindings::js
