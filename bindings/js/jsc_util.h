// Small helpers over JavaScriptCore's C API: owned strings, UTF-8
// conversions, property access and calls by name. Nothing here knows
// WebAssembly. Every function runs with the context's lock held (on the
// thread that runs JavaScript: the event loop's).
#ifndef WASMSTREAM_BINDINGS_JS_JSC_UTIL_H_
#define WASMSTREAM_BINDINGS_JS_JSC_UTIL_H_

#include <JavaScriptCore/JavaScript.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

extern "C" {
// Public entry points of libjavascriptcoregtk that its C API headers do not
// declare: the GLib API's option setter (<jsc/JSCOptions.h>, which would
// pull in GLib's headers for one function) and JSC's private
// unhandled-rejection hook (JSContextRefPrivate.h), called with
// (promise, reason) after a microtask checkpoint leaves a rejection unhandled.
int jsc_options_set_boolean(const char* option, int value);
void JSGlobalContextSetUnhandledRejectionCallback(JSGlobalContextRef ctx, JSObjectRef function,
                                                  JSValueRef* exception);
}

namespace wasmstream::bindings::js {

// An owned JSStringRef.
class JsString {
 public:
  explicit JsString(std::string_view utf8);
  explicit JsString(JSStringRef adopted) : s_(adopted) {}
  ~JsString() {
    if (s_) JSStringRelease(s_);
  }
  JsString(const JsString&) = delete;
  JsString& operator=(const JsString&) = delete;
  JSStringRef get() const { return s_; }
  std::string ToUtf8() const;

 private:
  JSStringRef s_;
};

JSValueRef MakeString(JSContextRef ctx, std::string_view utf8);
// ToString(value) as UTF-8; sets *exception if the conversion throws.
std::string ToUtf8(JSContextRef ctx, JSValueRef value, JSValueRef* exception);

JSValueRef Get(JSContextRef ctx, JSObjectRef object, std::string_view name,
               JSValueRef* exception = nullptr);
void Set(JSContextRef ctx, JSObjectRef object, std::string_view name, JSValueRef value,
         JSPropertyAttributes attributes = kJSPropertyAttributeNone);
// A new object of the global constructor {ctor} (TypeError, RangeError…)
// with one message argument.
JSObjectRef NewBuiltinError(JSContextRef ctx, std::string_view ctor, std::string_view message);

JSObjectRef AsObject(JSContextRef ctx, JSValueRef value);  // null if not an object
bool IsCallable(JSContextRef ctx, JSValueRef value);

// The bytes a Uint8Array views (what the prelude hands every native that
// takes a BufferSource); empty span with *exception set otherwise.
std::span<const uint8_t> BytesOf(JSContextRef ctx, JSValueRef value, JSValueRef* exception);
// A new ArrayBuffer holding a copy of {bytes}.
JSObjectRef NewArrayBuffer(JSContextRef ctx, std::span<const uint8_t> bytes);

}  // namespace wasmstream::bindings::js

#endif  // WASMSTREAM_BINDINGS_JS_JSC_UTIL_H_
