#include "bindings/wasm_namespace.h"

#include <vector>

#include "bindings/streaming_job.h"
#include "wasm/streaming_compiler.h"

namespace wasmstream::bindings {
namespace {

// Whatever the source is, it becomes a promise of a SourceValue (Web IDL
// converts any value to a Promise<Response>).
Promise<SourceValue> WrapSource(EventLoop& loop, StreamingSource source) {
  Promise<SourceValue> wrapped(loop);
  if (auto* r = std::get_if<fetch::Response>(&source)) {
    wrapped.Resolve(SourceValue(*r));
  } else if (auto* p = std::get_if<Promise<fetch::Response>>(&source)) {
    // A rejection passes through Then unchanged (the same Error).
    wrapped.Resolve(p->Then([](const fetch::Response& r) { return SourceValue(r); }));
  } else if (auto* pv = std::get_if<Promise<SourceValue>>(&source)) {
    wrapped.Resolve(*pv);
  } else {
    wrapped.Resolve(SourceValue(std::get<NotAResponse>(source)));
  }
  return wrapped;
}

}  // namespace

bool WebAssembly::Validate(std::span<const uint8_t> bytes) const {
  // J-5: not CSP-gated; an empty buffer is simply invalid.
  if (bytes.empty()) return false;
  wasm::StreamingOptions options;
  options.features = realm_.features;
  options.validate_inline = true;  // synchronous by contract
  return wasm::CompileModule(bytes, std::move(options)).ok();
}

Promise<Module> WebAssembly::Compile(std::span<const uint8_t> bytes) {
  EventLoop& loop = realm_.loop();
  Promise<Module> result(loop);
  // The CSP hook runs before anything is decoded, so a blocked compile
  // reports its violation even for invalid bytes.
  if (auto blocked = realm_.csp.EnsureCanCompileWasmBytes(
          realm_.csp_observer, realm_.base_url ? realm_.base_url->href() : "")) {
    result.Reject(*blocked);
    return result;
  }
  if (bytes.empty()) {
    result.Reject(Error::Compile("BufferSource argument is empty"));
    return result;
  }
  // J-1: a copy, taken now; compiled from a task, so nothing runs inside this call.
  auto copy = std::make_shared<std::vector<uint8_t>>(bytes.begin(), bytes.end());
  auto record = std::make_shared<StreamRecord>();
  record->consumer = std::string(realm_.consumer_factory_or_default().name());
  Realm* realm = &realm_;
  EventLoop::KeepAlive hold = loop.Hold();
  loop.PostTask([realm, copy, record, result, hold]() mutable {
    StreamInfo info;
    info.features = realm->features;
    info.sink_factory = realm->NewSinkFactory();
    info.content_length = copy->size();
    info.body_size = copy->size();
    // The holder is reset when the result is back, which breaks the cycle
    // consumer -> compiler -> callback -> holder.
    auto consumer = std::make_shared<std::unique_ptr<ModuleStreamConsumer>>(
        realm->consumer_factory_or_default().Create(info));
    record->time_to_first_byte_ms = record->time_to_compile_start_ms = record->MsSinceStart();
    (*consumer)->OnBytes(*copy);
    record->bytes = copy->size();
    record->time_to_last_byte_ms = record->MsSinceStart();
    // The compile may end after the loop is gone (see EventLoop::Poster).
    EventLoop::Poster loop = realm->loop().poster();
    (*consumer)->Finish([=](ModuleResult r, ConsumerReport report) mutable {
      auto boxed = std::make_shared<ModuleResult>(std::move(r));
      loop.Post([=]() mutable {
        consumer->reset();
        record->cache = report.cache;
        record->cache_detail = report.cache_detail;
        record->compile_ms = report.compile_ms;
        if (boxed->ok()) {
          record->time_to_module_ms = record->MsSinceStart();
          result.Resolve(Module(std::move(*boxed).value(), record));
        } else {
          record->error = Error::Compile(boxed->error().Format());
          result.Reject(*record->error);
        }
        if (realm->record_observer) realm->record_observer(*record);
        hold.Reset();
      });
    });
  });
  return result;
}

Promise<Module> WebAssembly::CompileStreaming(StreamingSource source, StreamingOptions options) {
  EventLoop& loop = realm_.loop();
  Promise<Module> result(loop);
  auto job = std::make_shared<StreamingJob>(realm_, result, std::move(options));
  // React to the source; reactions are microtasks, so the Response is
  // not looked at (or locked) inside this call.
  WrapSource(loop, std::move(source))
      .Then([job](const SourceValue& v) { job->OnSourceFulfilled(v); },
            [job](const Error& e) { job->OnSourceRejected(e); });
  return result;
}

void WebAssembly::AsyncInstantiate(const Module& module, std::shared_ptr<const ImportObject> imports,
                                   Promise<Instance> result) {
  const std::shared_ptr<const wasm::Module>& m = module.module();
  std::shared_ptr<wasm::Store> store = realm_.store();
  // Read the imports synchronously, in this job, as the JS API's
  // "asynchronously instantiate" does.
  auto read = ReadImports(*m, imports.get(), *store);
  if (!read.ok()) {
    result.Reject(read.error());
    return;
  }
  std::shared_ptr<wasm::Imports> runtime_imports = read.value();
  EventLoop::KeepAlive hold = realm_.loop().Hold();
  // Then a task instantiates the core (and runs the start function).
  realm_.loop().PostTask([m, store, runtime_imports, result, hold]() mutable {
    auto instance = wasm::Instance::Instantiate(*store, m, *runtime_imports);
    if (instance.ok()) {
      result.Resolve(Instance(wasm::Handle<wasm::Instance>::Adopt(instance.value()), store));
    } else {
      result.Reject(FromRuntimeError(instance.error()));
    }
    hold.Reset();
  });
}

Promise<Instance> WebAssembly::Instantiate(const Module& module,
                                           std::shared_ptr<const ImportObject> imports) {
  Promise<Instance> result(realm_.loop());
  AsyncInstantiate(module, std::move(imports), result);
  return result;
}

Promise<InstantiatedSource> WebAssembly::InstantiatePromiseOfModule(
    Promise<Module> module, std::shared_ptr<const ImportObject> imports) {
  // Rejections pass through unchanged.
  return module.Then([this, imports](const Module& m) {
    Promise<Instance> instance(realm_.loop());
    AsyncInstantiate(m, imports, instance);
    return instance.Then([m](const Instance& i) { return InstantiatedSource{m, i}; });
  });
}

Promise<InstantiatedSource> WebAssembly::Instantiate(std::span<const uint8_t> bytes,
                                                     std::shared_ptr<const ImportObject> imports) {
  return InstantiatePromiseOfModule(Compile(bytes), std::move(imports));
}

Promise<InstantiatedSource> WebAssembly::InstantiateStreaming(
    StreamingSource source, std::shared_ptr<const ImportObject> imports, StreamingOptions options) {
  return InstantiatePromiseOfModule(CompileStreaming(std::move(source), std::move(options)),
                                    std::move(imports));
}

}  // namespace wasmstream::bindings
