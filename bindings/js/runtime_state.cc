#include "bindings/js/runtime_state.h"

#include <atomic>

#include "bindings/js/jsc_util.h"
#include "wasm/runtime/interpreter.h"
#include "wasm/runtime/ref_class.h"

namespace wasmstream::bindings::js {

Protected::Protected(std::shared_ptr<const bool> alive, JSContextRef ctx, JSValueRef value)
    : alive_(std::move(alive)), ctx_(ctx), value_(value) {
  JSValueProtect(ctx_, value_);
}

Protected::~Protected() {
  if (*alive_) JSValueUnprotect(ctx_, value_);
}

namespace {

std::atomic<int64_t> live_handles{0};

// Handle objects: the private data is a HandleValue. JSC may finalize on
// any thread; a HandleValue only holds shared_ptrs, safe to drop anywhere.
void FinalizeHandle(JSObjectRef object) {
  delete static_cast<HandleValue*>(JSObjectGetPrivate(object));
  live_handles.fetch_sub(1, std::memory_order_relaxed);
}

JSValueRef CallExported(JSContextRef ctx, JSObjectRef function, JSObjectRef, size_t argc,
                        const JSValueRef argv[], JSValueRef* exception);

}  // namespace

RuntimeState::RuntimeState(JsRuntime& rt, Realm& r, JsRuntime::OutputSink s)
    : runtime(rt), realm(r), wasm(r), sink(std::move(s)), timers(r.loop()) {
  JSClassDefinition global_def = kJSClassDefinitionEmpty;
  global_def.className = "global";
  global_class = JSClassCreate(&global_def);

  JSClassDefinition handle_def = kJSClassDefinitionEmpty;
  handle_def.className = "NativeHandle";
  handle_def.finalize = FinalizeHandle;
  handle_class = JSClassCreate(&handle_def);

  JSClassDefinition fn_def = kJSClassDefinitionEmpty;
  fn_def.className = "Function";
  fn_def.callAsFunction = CallExported;
  function_class = JSClassCreate(&fn_def);

  group = JSContextGroupCreate();
  ctx = JSGlobalContextCreateInGroup(group, global_class);
  JSObjectSetPrivate(JSContextGetGlobalObject(ctx), this);
}

RuntimeState::~RuntimeState() {
  functions_.clear();
  host_values_.clear();
  for (MemoryBuffer& b : buffers_) JSValueUnprotect(ctx, b.buffer);
  buffers_.clear();
  pending_exception.reset();
  for (JSObjectRef& o : call_host) {
    if (o) JSValueUnprotect(ctx, o);
  }
  for (JSObjectRef& o : error_ctor) {
    if (o) JSValueUnprotect(ctx, o);
  }
  for (JSObjectRef o : {to_array, detach, wrap_exception, handle_of_extern}) {
    if (o) JSValueUnprotect(ctx, o);
  }
  *alive = false;
  JSObjectSetPrivate(JSContextGetGlobalObject(ctx), nullptr);
  JSGlobalContextRelease(ctx);
  JSContextGroupRelease(group);
  JSClassRelease(global_class);
  JSClassRelease(handle_class);
  JSClassRelease(function_class);
}

RuntimeState& StateOf(JSContextRef ctx) {
  return *static_cast<RuntimeState*>(JSObjectGetPrivate(JSContextGetGlobalObject(ctx)));
}

int64_t LiveHandleCount() { return live_handles.load(std::memory_order_relaxed); }

JSObjectRef RuntimeState::NewHandle(HandleValue value) {
  live_handles.fetch_add(1, std::memory_order_relaxed);
  return JSObjectMake(ctx, handle_class, new HandleValue(std::move(value)));
}

JSObjectRef RuntimeState::MakeError(ErrorKind kind, std::string_view message) {
  JSObjectRef ctor = error_ctor[static_cast<int>(kind)];
  if (!ctor) return NewBuiltinError(ctx, ErrorKindName(kind), message);
  JSValueRef arg = MakeString(ctx, message);
  JSValueRef exc = nullptr;
  JSObjectRef e = JSObjectCallAsConstructor(ctx, ctor, 1, &arg, &exc);
  return e ? e : NewBuiltinError(ctx, "Error", message);
}

JSObjectRef RuntimeState::MakeError(const Error& e) { return MakeError(e.kind, e.message); }

void RuntimeState::Print(int stream, std::string_view line) {
  if (sink) {
    sink(stream, line);
    return;
  }
  std::FILE* f = stream == 2 ? stderr : stdout;
  std::fwrite(line.data(), 1, line.size(), f);
  std::fputc('\n', f);
  std::fflush(f);
}

void RuntimeState::ReportUncaught(JSValueRef exception, std::string_view what) {
  ++uncaught_errors;
  JSValueRef exc = nullptr;
  std::string text = ToUtf8(ctx, exception, &exc);
  if (exc) text = "(an exception that cannot be converted to a string)";
  std::string stack;
  if (JSObjectRef o = AsObject(ctx, exception)) {
    JSValueRef s = Get(ctx, o, "stack", &exc);
    if (!exc && JSValueIsString(ctx, s)) stack = ToUtf8(ctx, s, &exc);
  }
  std::string line = std::string(what) + ": " + text;
  if (!stack.empty()) line += "\n" + stack;
  Print(2, line);
}

JSObjectRef RuntimeState::ExportedFunction(wasm::FuncInstance* f) {
  auto it = functions_.find(f);
  if (it != functions_.end()) return JSValueToObject(ctx, it->second->get(), nullptr);
  function_data_.push_back(std::make_unique<ExportedFunctionData>(ExportedFunctionData{f, this}));
  JSObjectRef fn = JSObjectMake(ctx, function_class, function_data_.back().get());
  // name: the function index; length: the parameter count (JS API
  // "a new Exported Function"). Configurable, not writable or enumerable.
  // Defined before the prototype is Function.prototype, whose read-only
  // name and length would make these assignments fail.
  std::string name = f->instance ? std::to_string(f->func_index) : "0";
  auto attrs = kJSPropertyAttributeReadOnly | kJSPropertyAttributeDontEnum;
  Set(ctx, fn, "length", JSValueMakeNumber(ctx, static_cast<double>(f->type.params.size())), attrs);
  Set(ctx, fn, "name", MakeString(ctx, name), attrs);
  JSObjectRef global = JSContextGetGlobalObject(ctx);
  JSObjectRef function_ctor = AsObject(ctx, Get(ctx, global, "Function"));
  JSObjectSetPrototype(ctx, fn, Get(ctx, function_ctor, "prototype"));
  functions_.emplace(f, std::make_unique<Protected>(alive, ctx, fn));
  return fn;
}

wasm::FuncInstance* RuntimeState::AsWasmFunction(JSValueRef v) {
  if (!v || !JSValueIsObjectOfClass(ctx, v, function_class)) return nullptr;
  return static_cast<ExportedFunctionData*>(JSObjectGetPrivate(JSValueToObject(ctx, v, nullptr)))->func;
}

uint64_t RuntimeState::HostValue(JSValueRef v) {
  // A JSValueRef is the value's encoding: a number or boolean is its bits,
  // an object or string its cell's address (JSC does not move cells). The
  // same value is the same host value, so identity round-trips hold and
  // passing one value many times does not grow the table.
  const void* key = v;
  auto it = host_value_ids_.find(key);
  if (it != host_value_ids_.end()) return it->second;
  host_values_.push_back(std::make_unique<Protected>(alive, ctx, v));
  uint64_t n = host_values_.size();  // 1-based: 0 stays distinct from null
  host_value_ids_.emplace(key, n);
  return n;
}

JSValueRef RuntimeState::FromHostValue(uint64_t n) {
  if (n == 0 || n > host_values_.size()) return JSValueMakeUndefined(ctx);
  return host_values_[n - 1]->get();
}

JSObjectRef RuntimeState::MemoryBufferFor(wasm::MemoryInstance* m) {
  for (size_t i = 0; i < buffers_.size(); ++i) {
    MemoryBuffer& b = buffers_[i];
    if (b.memory != m) continue;
    if (b.data == m->data() && b.size == m->size()) return b.buffer;
    DetachBuffer(i);
    break;
  }
  // No copy: the ArrayBuffer views the linear memory, and is detached
  // before the memory can move or change size under it.
  JSObjectRef buffer = JSObjectMakeArrayBufferWithBytesNoCopy(
      ctx, m->data(), m->size(), [](void*, void*) {}, nullptr, nullptr);
  JSValueProtect(ctx, buffer);
  buffers_.push_back(MemoryBuffer{m, buffer, m->data(), m->size()});
  return buffer;
}

void RuntimeState::RefreshMemoryBuffer(wasm::MemoryInstance* m) {
  for (size_t i = 0; i < buffers_.size(); ++i) {
    if (buffers_[i].memory == m) {
      DetachBuffer(i);
      return;
    }
  }
}

void RuntimeState::DetachBuffer(size_t i) {
  JSObjectRef buffer = buffers_[i].buffer;
  buffers_.erase(buffers_.begin() + static_cast<ptrdiff_t>(i));
  JSValueRef exc = nullptr;
  JSValueRef arg = buffer;
  JSObjectCallAsFunction(ctx, detach, nullptr, 1, &arg, &exc);
  JSValueUnprotect(ctx, buffer);
}

void RuntimeState::CheckMemoryBuffers() {
  for (size_t i = 0; i < buffers_.size();) {
    const MemoryBuffer& b = buffers_[i];
    if (b.data != b.memory->data() || b.size != b.memory->size()) {
      DetachBuffer(i);
    } else {
      ++i;
    }
  }
}

namespace {

// An Exported Function's [[Call]]: ToWebAssemblyValue of each argument
// (missing ones are undefined), the call, ToJSValue of the results (an
// array when there are several). A JS exception thrown by an import during
// the call comes out as that same exception.
JSValueRef CallExported(JSContextRef ctx, JSObjectRef function, JSObjectRef, size_t argc,
                        const JSValueRef argv[], JSValueRef* exception) {
  // The private data names the runtime too: no lookup through the global.
  auto* data = static_cast<ExportedFunctionData*>(JSObjectGetPrivate(function));
  RuntimeState& s = *data->state;
  wasm::FuncInstance* f = data->func;
  const wasm::FuncType& type = f->type;
  wasm::Value inline_args[8];
  std::vector<wasm::Value> heap_args;
  wasm::Value* args = inline_args;
  if (type.params.size() > std::size(inline_args)) {
    heap_args.resize(type.params.size());
    args = heap_args.data();
  }
  for (size_t i = 0; i < type.params.size(); ++i) {
    args[i] = ToWasmValue(s, i < argc ? argv[i] : JSValueMakeUndefined(ctx), type.params[i], exception);
    if (*exception) return nullptr;
  }
  wasm::Store& store = *s.realm.store();
  wasm::HostRootScope roots(store);
  auto out = wasm::Invoke(store, f, std::span<const wasm::Value>(args, type.params.size()));
  s.CheckMemoryBuffers();
  if (!out.ok()) {
    if (s.pending_exception) {
      *exception = s.pending_exception->get();
      s.pending_exception.reset();
    } else {
      *exception = s.WasmErrorToJs(out.error());
    }
    return nullptr;
  }
  const std::vector<wasm::Value>& results = out.value();
  if (results.empty()) return JSValueMakeUndefined(ctx);
  if (results.size() == 1) return ToJsValue(s, results[0], exception);
  std::vector<JSValueRef> values;
  for (const wasm::Value& v : results) {
    values.push_back(ToJsValue(s, v, exception));
    if (*exception) return nullptr;
  }
  return JSObjectMakeArray(ctx, values.size(), values.data(), exception);
}

}  // namespace

JSValueRef RuntimeState::WasmErrorToJs(const wasm::Error& e) {
  if (e.kind == wasm::ErrorKind::kException && e.exception && e.exception->tag) {
    // An uncaught wasm exception is a WebAssembly.Exception of its tag.
    const wasm::TagInstance* tag = e.exception->tag;
    std::vector<JSValueRef> payload;
    const uint64_t* slot = e.exception->payload.data();
    JSValueRef exc = nullptr;
    for (wasm::ValueType t : tag->type().params) {
      payload.push_back(ToJsValue(*this, wasm::LoadFromSlots(t, slot), &exc));
      if (exc) return exc;
      slot += wasm::SlotCount(t);
    }
    JSValueRef args[2] = {
        NewHandle(ExternRef{wasm::Extern::Tag(const_cast<wasm::TagInstance*>(tag)), realm.store()}),
        JSObjectMakeArray(ctx, payload.size(), payload.data(), nullptr)};
    JSValueRef r = JSObjectCallAsFunction(ctx, wrap_exception, nullptr, 2, args, &exc);
    return exc ? exc : r;
  }
  return MakeError(FromRuntimeError(e));
}

}  // namespace wasmstream::bindings::js
