// The default ModuleStreamConsumer: feeds every chunk to a
// wasm::StreamingCompiler as it arrives (compilation starts with the first
// chunk; bodies validate on the worker pool while later bytes are on the
// wire) and reports cache "off". Cache consumers may wrap it.
#ifndef WASMSTREAM_BINDINGS_COMPILING_CONSUMER_H_
#define WASMSTREAM_BINDINGS_COMPILING_CONSUMER_H_

#include <memory>

#include "bindings/module_stream_consumer.h"
#include "wasm/streaming_compiler.h"

namespace wasmstream::bindings {

// A consumer compiling with {pool} (the shared pool when null).
std::unique_ptr<ModuleStreamConsumer> MakeCompilingConsumer(const StreamInfo& info,
                                                            wasm::WorkerPool* pool = nullptr);

// The factory a Realm uses when it has none; name() is "compile".
ModuleStreamConsumerFactory& DefaultConsumerFactory();

}  // namespace wasmstream::bindings

#endif  // WASMSTREAM_BINDINGS_COMPILING_CONSUMER_H_
