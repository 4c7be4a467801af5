// The WebAssembly namespace's natives: each maps JS values to the C++
// bindings (WebAssembly, Module, Instance, ReadImports) or to the runtime's
// store objects, and the results back. The prelude (prelude.js) has done
// WebIDL's argument conversions before these run.
#include <algorithm>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bindings/js/natives.h"
#include "wasm/limits.h"
#include "wasm/runtime/sink_factory.h"
#include "wasm/runtime/table.h"

namespace wasmstream::bindings::js {
namespace {

JSValueRef Undefined(JSContextRef ctx) { return JSValueMakeUndefined(ctx); }

JSValueRef Throw(RuntimeState& s, JSValueRef* exception, ErrorKind kind, std::string_view message) {
  *exception = s.MakeError(kind, message);
  return Undefined(s.ctx);
}

std::optional<wasm::ValueType> ValueTypeNamed(std::string_view name) {
  if (name == "i32") return wasm::ValueType::I32();
  if (name == "i64") return wasm::ValueType::I64();
  if (name == "f32") return wasm::ValueType::F32();
  if (name == "f64") return wasm::ValueType::F64();
  if (name == "v128") return wasm::ValueType::V128();
  if (name == "funcref") return wasm::ValueType::FuncRef();
  if (name == "externref") return wasm::ValueType::ExternRef();
  if (name == "anyref") {
    return wasm::ValueType::Ref(wasm::HeapType::Abstract(wasm::AbstractHeap::kAny), true);
  }
  return std::nullopt;
}

// DefaultValue(type): externref's is undefined (a host value), other
// references' null, numbers' zero.
wasm::Value DefaultValue(RuntimeState& s, wasm::ValueType type) {
  if (type.is_ref() && !type.heap.is_index() &&
      type.heap.abstract() == wasm::AbstractHeap::kExtern) {
    return wasm::Value::Ref(type, wasm::Value::Extern(s.HostValue(Undefined(s.ctx))).u.ref);
  }
  return wasm::Value::Default(type);
}

const char* KindName(wasm::ExternalKind k) {
  switch (k) {
    case wasm::ExternalKind::kFunction: return "function";
    case wasm::ExternalKind::kTable: return "table";
    case wasm::ExternalKind::kMemory: return "memory";
    case wasm::ExternalKind::kGlobal: return "global";
    case wasm::ExternalKind::kTag: return "tag";
  }
  return "function";
}

Module* ModuleArg(RuntimeState& s, JSValueRef v, JSValueRef* exception) {
  Module* m = s.HandleAs<Module>(v);
  if (!m) Throw(s, exception, ErrorKind::kTypeError, "not a WebAssembly.Module");
  return m;
}

ExternRef* ExternArg(RuntimeState& s, JSValueRef v, wasm::ExternalKind kind, JSValueRef* exception) {
  ExternRef* e = s.HandleAs<ExternRef>(v);
  if (!e || e->ext.kind != kind) {
    Throw(s, exception, ErrorKind::kTypeError, std::string("not a WebAssembly ") + KindName(kind));
    return nullptr;
  }
  return e;
}

// ---- read the imports ---------------------------------------------------

// Builds the C++ ImportObject from the JS importObject, reading it in the
// spec's order (for each import: importObject[module], then [name]) and
// classifying each value: a callable (an Exported Function: the same
// function; any other: a new host function), a WebAssembly object (its
// entity), a Number/BigInt for a global (converted to the global's type),
// or other.
// The kind checks and their errors are ReadImports'. False with *exception
// set when a getter throws or a global's value cannot convert.
bool ReadJsImports(RuntimeState& s, const wasm::Module& module, JSValueRef import_object,
                   ImportObject* out, JSValueRef* exception) {
  JSContextRef ctx = s.ctx;
  JSObjectRef imports = AsObject(ctx, import_object);
  for (const wasm::Import& imp : module.imports) {
    JSValueRef ns_value = Get(ctx, imports, imp.module, exception);
    if (*exception) return false;
    JSObjectRef ns = AsObject(ctx, ns_value);
    if (!ns) {
      out->SetNotAnObject(imp.module);
      continue;
    }
    JSValueRef v = Get(ctx, ns, imp.name, exception);
    if (*exception) return false;
    ImportValue value = OtherValue{};
    if (imp.kind == wasm::ExternalKind::kFunction && IsCallable(ctx, v)) {
      if (wasm::FuncInstance* f = s.AsWasmFunction(v)) {
        value = wasm::Extern::Func(f);
      } else {
        auto fn = std::make_shared<Protected>(s.alive, ctx, v);
        const wasm::FuncType type = module.func_type(imp.index);
        RuntimeState* state = &s;
        std::shared_ptr<const bool> alive = s.alive;
        value = HostCallable([state, alive, fn, type](std::span<const wasm::Value> args)
                                 -> Settled<std::vector<wasm::Value>> {
          if (!*alive) return Error::Runtime("the JavaScript runtime is gone");
          return CallHostFunction(*state, fn->get(), type, args);
        });
      }
    } else if (JSValueIsObject(ctx, v)) {
      JSValueRef h = JSObjectCallAsFunction(ctx, s.handle_of_extern, nullptr, 1, &v, exception);
      if (*exception) return false;
      if (ExternRef* e = s.HandleAs<ExternRef>(h)) value = e->ext;
    } else if (imp.kind == wasm::ExternalKind::kGlobal &&
               (JSValueIsNumber(ctx, v) || JSValueIsBigInt(ctx, v))) {
      wasm::ValueType type = module.globals[imp.index].type;
      bool is_i64 = type.kind == wasm::ValueKind::kI64;
      if (!type.is_num() || is_i64 != JSValueIsBigInt(ctx, v)) {
        value = OtherValue{"a value of the wrong type"};
      } else {
        wasm::Value x = ToWasmValue(s, v, type, exception);
        if (*exception) return false;
        value = x;
      }
    }
    out->Add(imp.module, imp.name, std::move(value));
  }
  return true;
}

// ---- natives ---------------------------------------------------------------

WASMSTREAM_NATIVE(Validate) {
  RuntimeState& s = StateOf(ctx);
  auto bytes = BytesOf(ctx, Arg(ctx, argc, argv, 0), exception);
  if (*exception) return Undefined(ctx);
  return JSValueMakeBoolean(ctx, s.wasm.Validate(bytes));
}

JSValueRef ModuleHandleOf(RuntimeState& s, const Module& m, JSValueRef*) { return s.NewHandle(m); }

WASMSTREAM_NATIVE(Compile) {
  RuntimeState& s = StateOf(ctx);
  auto bytes = BytesOf(ctx, Arg(ctx, argc, argv, 0), exception);
  if (*exception) return Undefined(ctx);
  RuntimeState* state = &s;
  return ToJsPromise(s, s.wasm.Compile(bytes),
                     [state](const Module& m, JSValueRef* e) { return ModuleHandleOf(*state, m, e); });
}

WASMSTREAM_NATIVE(CompileStreaming) {
  RuntimeState& s = StateOf(ctx);
  StreamingSource source = NotAResponse{};
  if (fetch::Response* r = s.HandleAs<fetch::Response>(Arg(ctx, argc, argv, 0))) {
    source = *r;
  } else {
    source = NotAResponse{ToUtf8(ctx, Arg(ctx, argc, argv, 1), exception)};
  }
  RuntimeState* state = &s;
  return ToJsPromise(s, s.wasm.CompileStreaming(std::move(source)),
                     [state](const Module& m, JSValueRef* e) { return ModuleHandleOf(*state, m, e); });
}

// new WebAssembly.Module(bytes): the synchronous compile, with the same CSP
// hook and empty-buffer rule as WebAssembly::Compile.
WASMSTREAM_NATIVE(ModuleNew) {
  RuntimeState& s = StateOf(ctx);
  auto bytes = BytesOf(ctx, Arg(ctx, argc, argv, 0), exception);
  if (*exception) return Undefined(ctx);
  Realm& realm = s.realm;
  if (auto blocked = realm.csp.EnsureCanCompileWasmBytes(
          realm.csp_observer, realm.base_url ? realm.base_url->href() : "")) {
    *exception = s.MakeError(*blocked);
    return Undefined(ctx);
  }
  if (bytes.empty()) return Throw(s, exception, ErrorKind::kCompileError, "BufferSource argument is empty");
  wasm::CompileResult r = wasm::CompileRunnable(bytes, realm.features);
  if (!r.ok()) return Throw(s, exception, ErrorKind::kCompileError, r.error().Format());
  return s.NewHandle(Module(std::move(r).value()));
}

// A JS array of make(item) for each of {items}.
template <typename Items, typename Make>
JSValueRef ArrayOf(JSContextRef ctx, const Items& items, Make make, JSValueRef* exception) {
  std::vector<JSValueRef> values;
  for (const auto& item : items) values.push_back(make(item));
  return JSObjectMakeArray(ctx, values.size(), values.data(), exception);
}

// A plain object of string-valued properties, in the order given.
JSObjectRef StringsObject(JSContextRef ctx,
                          std::initializer_list<std::pair<std::string_view, std::string_view>> fields) {
  JSObjectRef o = JSObjectMake(ctx, nullptr, nullptr);
  for (const auto& [name, value] : fields) Set(ctx, o, name, MakeString(ctx, value));
  return o;
}

WASMSTREAM_NATIVE(ModuleExports) {
  Module* m = ModuleArg(StateOf(ctx), Arg(ctx, argc, argv, 0), exception);
  if (!m) return Undefined(ctx);
  return ArrayOf(ctx, m->Exports(), [ctx](const ModuleExportDescriptor& d) {
    return StringsObject(ctx, {{"name", d.name}, {"kind", d.kind}});
  }, exception);
}

WASMSTREAM_NATIVE(ModuleImports) {
  Module* m = ModuleArg(StateOf(ctx), Arg(ctx, argc, argv, 0), exception);
  if (!m) return Undefined(ctx);
  return ArrayOf(ctx, m->Imports(), [ctx](const ModuleImportDescriptor& d) {
    return StringsObject(ctx, {{"module", d.module}, {"name", d.name}, {"kind", d.kind}});
  }, exception);
}

WASMSTREAM_NATIVE(ModuleCustomSections) {
  Module* m = ModuleArg(StateOf(ctx), Arg(ctx, argc, argv, 0), exception);
  if (!m) return Undefined(ctx);
  std::string name = ToUtf8(ctx, Arg(ctx, argc, argv, 1), exception);
  if (*exception) return Undefined(ctx);
  return ArrayOf(ctx, m->CustomSections(name),
                 [ctx](const std::vector<uint8_t>& bytes) { return NewArrayBuffer(ctx, bytes); },
                 exception);
}

WASMSTREAM_NATIVE(Instantiate) {
  RuntimeState& s = StateOf(ctx);
  Module* m = ModuleArg(s, Arg(ctx, argc, argv, 0), exception);
  if (!m) return Undefined(ctx);
  JSValueRef import_object = Arg(ctx, argc, argv, 1);
  std::shared_ptr<ImportObject> imports;
  if (!JSValueIsUndefined(ctx, import_object)) {
    imports = std::make_shared<ImportObject>();
    if (!ReadJsImports(s, *m->module(), import_object, imports.get(), exception)) {
      return Undefined(ctx);
    }
  }
  RuntimeState* state = &s;
  return ToJsPromise(s, s.wasm.Instantiate(*m, imports),
                     [state](const Instance& i, JSValueRef*) -> JSValueRef {
                       return state->NewHandle(i);
                     });
}

// new WebAssembly.Instance(module, importObject): read the imports, then
// instantiate now.
WASMSTREAM_NATIVE(InstanceNew) {
  RuntimeState& s = StateOf(ctx);
  Module* m = ModuleArg(s, Arg(ctx, argc, argv, 0), exception);
  if (!m) return Undefined(ctx);
  JSValueRef import_object = Arg(ctx, argc, argv, 1);
  ImportObject imports;
  bool have_imports = !JSValueIsUndefined(ctx, import_object);
  if (have_imports && !ReadJsImports(s, *m->module(), import_object, &imports, exception)) {
    return Undefined(ctx);
  }
  std::shared_ptr<wasm::Store> store = s.store();
  auto read = ReadImports(*m->module(), have_imports ? &imports : nullptr, *store);
  if (!read.ok()) {
    *exception = s.MakeError(read.error());
    return Undefined(ctx);
  }
  auto made = wasm::Instance::Instantiate(*store, m->module(), *read.value());
  s.CheckMemoryBuffers();
  if (!made.ok()) {
    if (s.pending_exception) {
      *exception = s.pending_exception->get();
      s.pending_exception.reset();
    } else {
      *exception = s.WasmErrorToJs(made.error());
    }
    return Undefined(ctx);
  }
  return s.NewHandle(Instance(wasm::Handle<wasm::Instance>::Adopt(made.value()), store));
}

// [[name, kind, value]] in module order: an Exported Function, or the
// handle of a memory, table, global or tag (the prelude wraps it).
WASMSTREAM_NATIVE(InstanceExports) {
  RuntimeState& s = StateOf(ctx);
  Instance* i = s.HandleAs<Instance>(Arg(ctx, argc, argv, 0));
  if (!i) return Throw(s, exception, ErrorKind::kTypeError, "not a WebAssembly.Instance");
  std::vector<JSValueRef> items;
  for (const wasm::Export& e : i->raw()->module().exports) {
    std::optional<wasm::Extern> ext = i->GetExport(e.name);
    if (!ext) continue;
    JSValueRef value = ext->kind == wasm::ExternalKind::kFunction
                           ? static_cast<JSValueRef>(s.ExportedFunction(ext->func))
                           : s.NewHandle(ExternRef{*ext, s.store()});
    JSValueRef entry[3] = {MakeString(ctx, e.name), MakeString(ctx, KindName(e.kind)), value};
    items.push_back(JSObjectMakeArray(ctx, 3, entry, exception));
  }
  return JSObjectMakeArray(ctx, items.size(), items.data(), exception);
}

// The identity of a memory, table, global or tag (its address): the prelude
// keeps one API object per entity.
WASMSTREAM_NATIVE(ExternKey) {
  RuntimeState& s = StateOf(ctx);
  ExternRef* e = s.HandleAs<ExternRef>(Arg(ctx, argc, argv, 0));
  if (!e) return Throw(s, exception, ErrorKind::kTypeError, "not a WebAssembly object");
  const void* p = e->ext.memory ? static_cast<const void*>(e->ext.memory)
                  : e->ext.table ? static_cast<const void*>(e->ext.table)
                  : e->ext.global ? static_cast<const void*>(e->ext.global)
                  : e->ext.tag ? static_cast<const void*>(e->ext.tag)
                               : static_cast<const void*>(e->ext.func);
  // Addresses are below 2^53: exact as a Number.
  return JSValueMakeNumber(ctx, static_cast<double>(reinterpret_cast<uintptr_t>(p)));
}

// ---- Memory ----------------------------------------------------------------

WASMSTREAM_NATIVE(MemoryNew) {
  RuntimeState& s = StateOf(ctx);
  wasm::Limits limits;
  limits.min = static_cast<uint64_t>(JSValueToNumber(ctx, Arg(ctx, argc, argv, 0), exception));
  JSValueRef max = Arg(ctx, argc, argv, 1);
  if (!JSValueIsUndefined(ctx, max)) {
    limits.has_max = true;
    limits.max = static_cast<uint64_t>(JSValueToNumber(ctx, max, exception));
  }
  limits.shared = JSValueToBoolean(ctx, Arg(ctx, argc, argv, 2));
  if (limits.shared && !limits.has_max) {
    return Throw(s, exception, ErrorKind::kTypeError,
                 "WebAssembly.Memory(): a shared memory needs a maximum");
  }
  if (limits.min > wasm::kSpecMaxMemory32Pages || (limits.has_max && limits.max > wasm::kSpecMaxMemory32Pages)) {
    return Throw(s, exception, ErrorKind::kRangeError,
                 "WebAssembly.Memory(): Property 'initial' or 'maximum' is above the limit of 65536 pages");
  }
  wasm::MemoryInstance* m = s.store()->NewMemory(limits);
  if (!m) return Throw(s, exception, ErrorKind::kRangeError, "WebAssembly.Memory(): could not allocate memory");
  return s.NewHandle(ExternRef{wasm::Extern::Memory(m), s.store()});
}

WASMSTREAM_NATIVE(MemoryBufferOf) {
  RuntimeState& s = StateOf(ctx);
  ExternRef* e = ExternArg(s, Arg(ctx, argc, argv, 0), wasm::ExternalKind::kMemory, exception);
  if (!e) return Undefined(ctx);
  return s.MemoryBufferFor(e->ext.memory);
}

WASMSTREAM_NATIVE(MemoryGrow) {
  RuntimeState& s = StateOf(ctx);
  ExternRef* e = ExternArg(s, Arg(ctx, argc, argv, 0), wasm::ExternalKind::kMemory, exception);
  if (!e) return Undefined(ctx);
  double delta = JSValueToNumber(ctx, Arg(ctx, argc, argv, 1), exception);
  int64_t old = e->ext.memory->Grow(static_cast<uint64_t>(delta));
  if (old < 0) return Throw(s, exception, ErrorKind::kRangeError, "WebAssembly.Memory.grow(): Maximum memory size exceeded");
  s.RefreshMemoryBuffer(e->ext.memory);
  return JSValueMakeNumber(ctx, static_cast<double>(old));
}

// ---- Table -----------------------------------------------------------------

// The value a Table method stores: the argument converted, or the element
// type's default when it was not given.
bool TableValue(RuntimeState& s, wasm::ValueType type, bool given, JSValueRef v,
                wasm::RefBits* out, JSValueRef* exception) {
  wasm::Value x = given ? ToWasmValue(s, v, type, exception) : DefaultValue(s, type);
  *out = x.u.ref;
  return *exception == nullptr;
}

WASMSTREAM_NATIVE(TableNew) {
  RuntimeState& s = StateOf(ctx);
  std::string name = ToUtf8(ctx, Arg(ctx, argc, argv, 0), exception);
  std::optional<wasm::ValueType> type = ValueTypeNamed(name);
  if (!type || !type->is_ref()) return Throw(s, exception, ErrorKind::kTypeError, "bad table element type");
  wasm::Limits limits;
  limits.min = static_cast<uint64_t>(JSValueToNumber(ctx, Arg(ctx, argc, argv, 1), exception));
  JSValueRef max = Arg(ctx, argc, argv, 2);
  if (!JSValueIsUndefined(ctx, max)) {
    limits.has_max = true;
    limits.max = static_cast<uint64_t>(JSValueToNumber(ctx, max, exception));
  }
  wasm::RefBits init = 0;
  if (!TableValue(s, *type, JSValueToBoolean(ctx, Arg(ctx, argc, argv, 3)), Arg(ctx, argc, argv, 4),
                  &init, exception)) {
    return Undefined(ctx);
  }
  wasm::TableInstance* t = s.store()->NewTable(*type, limits, init);
  if (!t) return Throw(s, exception, ErrorKind::kRangeError, "WebAssembly.Table(): could not allocate table");
  return s.NewHandle(ExternRef{wasm::Extern::Table(t), s.store()});
}

WASMSTREAM_NATIVE(TableLength) {
  RuntimeState& s = StateOf(ctx);
  ExternRef* e = ExternArg(s, Arg(ctx, argc, argv, 0), wasm::ExternalKind::kTable, exception);
  if (!e) return Undefined(ctx);
  return JSValueMakeNumber(ctx, static_cast<double>(e->ext.table->size()));
}

WASMSTREAM_NATIVE(TableGet) {
  RuntimeState& s = StateOf(ctx);
  ExternRef* e = ExternArg(s, Arg(ctx, argc, argv, 0), wasm::ExternalKind::kTable, exception);
  if (!e) return Undefined(ctx);
  double i = JSValueToNumber(ctx, Arg(ctx, argc, argv, 1), exception);
  wasm::TableInstance* t = e->ext.table;
  if (i >= static_cast<double>(t->size())) {
    return Throw(s, exception, ErrorKind::kRangeError, "WebAssembly.Table.get(): invalid address");
  }
  return ToJsValue(s, wasm::Value::Ref(t->elem_type(), t->Get(static_cast<uint64_t>(i))), exception);
}

WASMSTREAM_NATIVE(TableSet) {
  RuntimeState& s = StateOf(ctx);
  ExternRef* e = ExternArg(s, Arg(ctx, argc, argv, 0), wasm::ExternalKind::kTable, exception);
  if (!e) return Undefined(ctx);
  double i = JSValueToNumber(ctx, Arg(ctx, argc, argv, 1), exception);
  wasm::TableInstance* t = e->ext.table;
  if (i >= static_cast<double>(t->size())) {
    return Throw(s, exception, ErrorKind::kRangeError, "WebAssembly.Table.set(): invalid address");
  }
  wasm::RefBits bits = 0;
  if (!TableValue(s, t->elem_type(), JSValueToBoolean(ctx, Arg(ctx, argc, argv, 2)),
                  Arg(ctx, argc, argv, 3), &bits, exception)) {
    return Undefined(ctx);
  }
  t->Set(static_cast<uint64_t>(i), bits);
  return Undefined(ctx);
}

WASMSTREAM_NATIVE(TableGrow) {
  RuntimeState& s = StateOf(ctx);
  ExternRef* e = ExternArg(s, Arg(ctx, argc, argv, 0), wasm::ExternalKind::kTable, exception);
  if (!e) return Undefined(ctx);
  double delta = JSValueToNumber(ctx, Arg(ctx, argc, argv, 1), exception);
  wasm::TableInstance* t = e->ext.table;
  wasm::RefBits bits = 0;
  if (!TableValue(s, t->elem_type(), JSValueToBoolean(ctx, Arg(ctx, argc, argv, 2)),
                  Arg(ctx, argc, argv, 3), &bits, exception)) {
    return Undefined(ctx);
  }
  int64_t old = t->Grow(static_cast<uint64_t>(delta), bits);
  if (old < 0) return Throw(s, exception, ErrorKind::kRangeError, "WebAssembly.Table.grow(): failed to grow table");
  return JSValueMakeNumber(ctx, static_cast<double>(old));
}

// ---- Global ----------------------------------------------------------------

WASMSTREAM_NATIVE(GlobalNew) {
  RuntimeState& s = StateOf(ctx);
  std::string name = ToUtf8(ctx, Arg(ctx, argc, argv, 0), exception);
  std::optional<wasm::ValueType> type = ValueTypeNamed(name);
  if (!type) return Throw(s, exception, ErrorKind::kTypeError, "bad global type");
  bool is_mutable = JSValueToBoolean(ctx, Arg(ctx, argc, argv, 1));
  bool given = JSValueToBoolean(ctx, Arg(ctx, argc, argv, 2));
  wasm::Value v = given ? ToWasmValue(s, Arg(ctx, argc, argv, 3), *type, exception)
                        : DefaultValue(s, *type);
  if (*exception) return Undefined(ctx);
  wasm::GlobalInstance* g = s.store()->NewGlobal(*type, is_mutable, v);
  return s.NewHandle(ExternRef{wasm::Extern::Global(g), s.store()});
}

WASMSTREAM_NATIVE(GlobalGet) {
  RuntimeState& s = StateOf(ctx);
  ExternRef* e = ExternArg(s, Arg(ctx, argc, argv, 0), wasm::ExternalKind::kGlobal, exception);
  if (!e) return Undefined(ctx);
  return ToJsValue(s, e->ext.global->Get(), exception);
}

WASMSTREAM_NATIVE(GlobalSet) {
  RuntimeState& s = StateOf(ctx);
  ExternRef* e = ExternArg(s, Arg(ctx, argc, argv, 0), wasm::ExternalKind::kGlobal, exception);
  if (!e) return Undefined(ctx);
  wasm::GlobalInstance* g = e->ext.global;
  if (!g->is_mutable()) {
    return Throw(s, exception, ErrorKind::kTypeError, "Can't set the value of an immutable global.");
  }
  wasm::Value v = ToWasmValue(s, Arg(ctx, argc, argv, 1), g->type(), exception);
  if (*exception) return Undefined(ctx);
  g->Set(v);
  return Undefined(ctx);
}

// ---- Tag and Exception -------------------------------------------------------

WASMSTREAM_NATIVE(TagNew) {
  RuntimeState& s = StateOf(ctx);
  JSObjectRef list = AsObject(ctx, Arg(ctx, argc, argv, 0));
  if (!list) return Throw(s, exception, ErrorKind::kTypeError, "bad tag parameters");
  size_t n = static_cast<size_t>(JSValueToNumber(ctx, Get(ctx, list, "length"), exception));
  wasm::FuncType type;
  for (size_t i = 0; i < n; ++i) {
    std::string name = ToUtf8(ctx, JSObjectGetPropertyAtIndex(ctx, list, i, exception), exception);
    std::optional<wasm::ValueType> t = ValueTypeNamed(name);
    if (!t) return Throw(s, exception, ErrorKind::kTypeError, "bad tag parameter type '" + name + "'");
    type.params.push_back(*t);
  }
  wasm::TagInstance* tag = s.store()->NewTag(std::move(type));
  return s.NewHandle(ExternRef{wasm::Extern::Tag(tag), s.store()});
}

// new WebAssembly.Exception(tag, payload): the payload converted to the
// tag's parameter types and back (what getArg returns).
WASMSTREAM_NATIVE(TagCheckPayload) {
  RuntimeState& s = StateOf(ctx);
  ExternRef* e = ExternArg(s, Arg(ctx, argc, argv, 0), wasm::ExternalKind::kTag, exception);
  if (!e) return Undefined(ctx);
  JSObjectRef list = AsObject(ctx, Arg(ctx, argc, argv, 1));
  const std::vector<wasm::ValueType>& params = e->ext.tag->type().params;
  size_t n = list ? static_cast<size_t>(JSValueToNumber(ctx, Get(ctx, list, "length"), exception)) : 0;
  if (n != params.size()) {
    return Throw(s, exception, ErrorKind::kTypeError,
                 "WebAssembly.Exception(): the payload's length does not match the tag's parameters");
  }
  std::vector<JSValueRef> values;
  for (size_t i = 0; i < n; ++i) {
    JSValueRef item = JSObjectGetPropertyAtIndex(ctx, list, i, exception);
    if (*exception) return Undefined(ctx);
    wasm::Value v = ToWasmValue(s, item, params[i], exception);
    if (*exception) return Undefined(ctx);
    values.push_back(ToJsValue(s, v, exception));
    if (*exception) return Undefined(ctx);
  }
  return JSObjectMakeArray(ctx, values.size(), values.data(), exception);
}

}  // namespace

Settled<std::vector<wasm::Value>> CallHostFunction(RuntimeState& s, JSValueRef function,
                                                   const wasm::FuncType& type,
                                                   std::span<const wasm::Value> args) {
  JSContextRef ctx = s.ctx;
  s.CheckMemoryBuffers();  // wasm may have grown a memory before calling out
  JSValueRef exception = nullptr;
  auto fail = [&](JSValueRef e) -> Settled<std::vector<wasm::Value>> {
    // The JS exception is rethrown by the Exported Function call that
    // entered wasm; wasm sees a trap.
    s.pending_exception = std::make_unique<Protected>(s.alive, ctx, e);
    return Error::Runtime("a JavaScript exception was thrown by an imported function");
  };
  // js_args[0] is the function: the trampoline calls it with the rest.
  JSValueRef inline_args[9];
  std::vector<JSValueRef> heap_args;
  JSValueRef* js_args = inline_args;
  if (args.size() + 1 > std::size(inline_args)) {
    heap_args.resize(args.size() + 1);
    js_args = heap_args.data();
  }
  js_args[0] = function;
  for (size_t i = 0; i < args.size(); ++i) {
    js_args[i + 1] = ToJsValue(s, args[i], &exception);
    if (exception) return fail(exception);
  }
  JSObjectRef trampoline = s.call_host[std::min<size_t>(args.size(), std::size(s.call_host) - 1)];
  JSValueRef ret = JSObjectCallAsFunction(ctx, trampoline, nullptr, args.size() + 1, js_args,
                                          &exception);
  if (exception) return fail(exception);
  std::vector<wasm::Value> results;
  if (type.results.empty()) return results;
  if (type.results.size() == 1) {
    results.push_back(ToWasmValue(s, ret, type.results[0], &exception));
    if (exception) return fail(exception);
    return results;
  }
  // Several results: the return value is iterated (an iterable of exactly
  // that many values).
  JSValueRef array = JSObjectCallAsFunction(ctx, s.to_array, nullptr, 1, &ret, &exception);
  if (exception) return fail(exception);
  JSObjectRef list = JSValueToObject(ctx, array, nullptr);
  size_t n = static_cast<size_t>(JSValueToNumber(ctx, Get(ctx, list, "length"), nullptr));
  if (n != type.results.size()) {
    return fail(s.MakeError(ErrorKind::kTypeError, "multi-return length mismatch"));
  }
  for (size_t i = 0; i < n; ++i) {
    JSValueRef item = JSObjectGetPropertyAtIndex(ctx, list, i, &exception);
    if (exception) return fail(exception);
    results.push_back(ToWasmValue(s, item, type.results[i], &exception));
    if (exception) return fail(exception);
  }
  return results;
}

void InstallWasmNatives(RuntimeState& s, JSObjectRef natives) {
  JSContextRef ctx = s.ctx;
  AddNative(ctx, natives, "validate", Validate);
  AddNative(ctx, natives, "compile", Compile);
  AddNative(ctx, natives, "compileStreaming", CompileStreaming);
  AddNative(ctx, natives, "moduleNew", ModuleNew);
  AddNative(ctx, natives, "moduleExports", ModuleExports);
  AddNative(ctx, natives, "moduleImports", ModuleImports);
  AddNative(ctx, natives, "moduleCustomSections", ModuleCustomSections);
  AddNative(ctx, natives, "instantiate", Instantiate);
  AddNative(ctx, natives, "instanceNew", InstanceNew);
  AddNative(ctx, natives, "instanceExports", InstanceExports);
  AddNative(ctx, natives, "externKey", ExternKey);
  AddNative(ctx, natives, "memoryNew", MemoryNew);
  AddNative(ctx, natives, "memoryBuffer", MemoryBufferOf);
  AddNative(ctx, natives, "memoryGrow", MemoryGrow);
  AddNative(ctx, natives, "tableNew", TableNew);
  AddNative(ctx, natives, "tableLength", TableLength);
  AddNative(ctx, natives, "tableGet", TableGet);
  AddNative(ctx, natives, "tableSet", TableSet);
  AddNative(ctx, natives, "tableGrow", TableGrow);
  AddNative(ctx, natives, "globalNew", GlobalNew);
  AddNative(ctx, natives, "globalGet", GlobalGet);
  AddNative(ctx, natives, "globalSet", GlobalSet);
  AddNative(ctx, natives, "tagNew", TagNew);
  AddNative(ctx, natives, "tagCheckPayload", TagCheckPayload);
}

}  // namespace wasmstream::bindings::js
