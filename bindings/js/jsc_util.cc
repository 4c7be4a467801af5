#include "bindings/js/jsc_util.h"

#include <cstdlib>
#include <cstring>

namespace wasmstream::bindings::js {

JsString::JsString(std::string_view utf8) {
  // JSC takes a NUL-terminated string; names and messages are short.
  std::string copy(utf8);
  s_ = JSStringCreateWithUTF8CString(copy.c_str());
}

std::string JsString::ToUtf8() const {
  size_t max = JSStringGetMaximumUTF8CStringSize(s_);
  std::string out(max, '\0');
  size_t n = JSStringGetUTF8CString(s_, out.data(), max);  // counts the NUL
  out.resize(n > 0 ? n - 1 : 0);
  return out;
}

JSValueRef MakeString(JSContextRef ctx, std::string_view utf8) {
  JsString s(utf8);
  return JSValueMakeString(ctx, s.get());
}

std::string ToUtf8(JSContextRef ctx, JSValueRef value, JSValueRef* exception) {
  JSStringRef s = JSValueToStringCopy(ctx, value, exception);
  if (!s) return {};
  return JsString(s).ToUtf8();
}

JSValueRef Get(JSContextRef ctx, JSObjectRef object, std::string_view name, JSValueRef* exception) {
  JsString n(name);
  return JSObjectGetProperty(ctx, object, n.get(), exception);
}

void Set(JSContextRef ctx, JSObjectRef object, std::string_view name, JSValueRef value,
         JSPropertyAttributes attributes) {
  JsString n(name);
  JSObjectSetProperty(ctx, object, n.get(), value, attributes, nullptr);
}

JSObjectRef NewBuiltinError(JSContextRef ctx, std::string_view ctor, std::string_view message) {
  JSObjectRef global = JSContextGetGlobalObject(ctx);
  JSObjectRef c = AsObject(ctx, Get(ctx, global, ctor));
  JSValueRef arg = MakeString(ctx, message);
  if (c && JSObjectIsConstructor(ctx, c)) {
    JSObjectRef e = JSObjectCallAsConstructor(ctx, c, 1, &arg, nullptr);
    if (e) return e;
  }
  return JSObjectMakeError(ctx, 1, &arg, nullptr);
}

JSObjectRef AsObject(JSContextRef ctx, JSValueRef value) {
  if (!value || !JSValueIsObject(ctx, value)) return nullptr;
  return JSValueToObject(ctx, value, nullptr);
}

bool IsCallable(JSContextRef ctx, JSValueRef value) {
  JSObjectRef o = AsObject(ctx, value);
  return o && JSObjectIsFunction(ctx, o);
}

std::span<const uint8_t> BytesOf(JSContextRef ctx, JSValueRef value, JSValueRef* exception) {
  if (JSValueGetTypedArrayType(ctx, value, nullptr) != kJSTypedArrayTypeUint8Array) {
    *exception = NewBuiltinError(ctx, "TypeError", "expected a Uint8Array");
    return {};
  }
  JSObjectRef o = AsObject(ctx, value);
  // The pointer is to the start of the view's buffer, not of the view.
  auto* p = static_cast<const uint8_t*>(JSObjectGetTypedArrayBytesPtr(ctx, o, exception));
  size_t offset = JSObjectGetTypedArrayByteOffset(ctx, o, exception);
  size_t n = JSObjectGetTypedArrayByteLength(ctx, o, exception);
  if (!p) return {};
  return {p + offset, n};
}

JSObjectRef NewArrayBuffer(JSContextRef ctx, std::span<const uint8_t> bytes) {
  // JSC frees the copy with the deallocator when the buffer is collected.
  void* copy = std::malloc(bytes.empty() ? 1 : bytes.size());
  if (!bytes.empty()) std::memcpy(copy, bytes.data(), bytes.size());
  return JSObjectMakeArrayBufferWithBytesNoCopy(
      ctx, copy, bytes.size(), [](void* p, void*) { std::free(p); }, nullptr, nullptr);
}

}  // namespace wasmstream::bindings::js
