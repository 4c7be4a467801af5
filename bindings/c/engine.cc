// Configuration, engine and store; compiling bytes and URLs the way the
// WebAssembly namespace does (bindings/wasm_namespace.h), so wasm_module_new
// and wasmstream_module_compile_streaming get the engine's features, its
// lazy/eager setting and its code cache from one place.
//
// Each compile runs a private EventLoop on the calling thread until its
// promise settles: the C API stays synchronous and any thread may compile.
#include <algorithm>

#include "bindings/c/c_api_internal.h"
#include "bindings/compiling_consumer.h"
#include "bindings/wasm_namespace.h"
#include "cache/sqlite_store.h"
#include "wasm/streaming_compiler.h"

namespace wasmstream::capi {

fetch::Fetcher& EngineCtx::Fetcher() {
  std::lock_guard<std::mutex> lock(fetcher_mutex);
  if (!fetcher) fetcher = std::make_unique<fetch::Fetcher>();
  return *fetcher;
}

namespace {

// A realm configured from the engine, on the calling thread.
struct Agent {
  explicit Agent(EngineCtx& engine) : engine(engine) {
    realm.features = engine.settings.features;
    realm.compile_code = !engine.settings.lazy;
    realm.consumer_factory = engine.cache_factory;
    EngineCtx* e = &engine;
    realm.record_observer = [e](const bindings::StreamRecord& r) {
      if (r.error || !e->cache_factory) return;
      e->compiles.fetch_add(1);
      if (r.cache == "hit") e->hits.fetch_add(1);
      if (r.cache == "miss") e->misses.fetch_add(1);
    };
  }

  // Runs the loop until {promise} settles: the module, or null with the
  // error in {*error}.
  std::shared_ptr<const wasm::Module> Await(bindings::Promise<bindings::Module> promise,
                                            std::optional<bindings::Error>* error) {
    std::shared_ptr<const wasm::Module> module;
    promise.Then([&](const bindings::Module& m) { module = m.module(); },
                 [&](const bindings::Error& e) { *error = e; });
    loop.RunUntilIdle();
    if (!module && !*error) *error = bindings::Error::Compile("the compile did not finish");
    return module;
  }

  EngineCtx& engine;
  bindings::EventLoop loop;
  bindings::Realm realm{loop};
  bindings::WebAssembly wasm{realm};
};

// The cache's consumers are made for one loop at a time.
std::unique_lock<std::mutex> LockCache(EngineCtx& engine) {
  return engine.cache_factory ? std::unique_lock<std::mutex>(engine.cache_mutex)
                              : std::unique_lock<std::mutex>();
}

}  // namespace

std::shared_ptr<const wasm::Module> CompileBytes(EngineCtx& engine,
                                                 std::span<const uint8_t> bytes) {
  auto lock = LockCache(engine);
  Agent agent(engine);
  std::optional<bindings::Error> error;
  auto module = agent.Await(agent.wasm.Compile(bytes), &error);
  if (!module) SetError(error->ToString());
  return module;
}

Handle* NewModuleHandle(std::shared_ptr<const wasm::Module> module) {
  auto obj = std::make_shared<ModuleObj>();
  obj->module = std::move(module);
  Handle* h = NewHandle(Kind::kModule, nullptr, nullptr);
  h->shared = std::move(obj);
  return h;
}

}  // namespace wasmstream::capi

using namespace wasmstream;
using namespace wasmstream::capi;

extern "C" {

// ---- Configuration.

wasm_config_t* wasm_config_new(void) { return new wasm_config_t; }
void wasm_config_delete(wasm_config_t* c) { delete c; }

bool wasmstream_config_set_feature(wasm_config_t* c, const char* name, bool enabled) {
  WASMSTREAM_CAPI_REQUIRE(c && name, "null argument", false);
  auto f = wasm::Features::FromName(name);
  if (!f) {
    SetError(std::string("TypeError: unknown feature '") + name + "'");
    return false;
  }
  if (enabled) c->settings.features.enable(*f);
  else c->settings.features.disable(*f);
  return true;
}

bool wasmstream_config_set_feature_set(wasm_config_t* c, const char* set) {
  WASMSTREAM_CAPI_REQUIRE(c && set, "null argument", false);
  std::string_view s(set);
  if (s == "default") c->settings.features = wasm::Features::Default();
  else if (s == "wasm2.0") c->settings.features = wasm::Features::Wasm20();
  else if (s == "all") c->settings.features = wasm::Features::All();
  else {
    SetError(std::string("TypeError: unknown feature set '") + set + "'");
    return false;
  }
  return true;
}

void wasmstream_config_set_lazy_compilation(wasm_config_t* c, bool lazy) {
  WASMSTREAM_CAPI_REQUIRE(c, "null config", );
  c->settings.lazy = lazy;
}

void wasmstream_config_set_cache(wasm_config_t* c, const char* path,
                                 wasmstream_cache_policy_t policy, uint64_t max_bytes,
                                 uint64_t min_module_bytes) {
  WASMSTREAM_CAPI_REQUIRE(c, "null config", );
  WASMSTREAM_CAPI_REQUIRE(policy <= WASMSTREAM_CACHE_URL_HINT, "unknown cache policy", );
  c->settings.cache_policy = policy;
  c->settings.cache_path = path ? path : "";
  c->settings.cache_max_bytes = max_bytes;
  c->settings.cache_min_module_bytes = min_module_bytes;
}

void wasmstream_config_set_cache_write_back(wasm_config_t* c, bool enabled) {
  WASMSTREAM_CAPI_REQUIRE(c, "null config", );
  c->settings.cache_write_back = enabled;
}

// ---- Engine.

wasm_engine_t* wasm_engine_new(void) { return wasm_engine_new_with_config(wasm_config_new()); }

wasm_engine_t* wasm_engine_new_with_config(wasm_config_t* config) {
  WASMSTREAM_CAPI_REQUIRE(config, "null config", nullptr);
  auto ctx = std::make_shared<EngineCtx>();
  ctx->settings = config->settings;
  delete config;
  const Settings& s = ctx->settings;
  if (s.cache_policy != WASMSTREAM_CACHE_OFF) {
    cache::StoreOptions o;
    o.path = s.cache_path;
    if (s.cache_max_bytes) {
      o.max_total_bytes = s.cache_max_bytes;
      o.max_entry_bytes = std::min(o.max_entry_bytes, s.cache_max_bytes);
    }
    o.min_module_bytes = s.cache_min_module_bytes;
    ctx->code_cache = std::make_shared<bindings::CodeCache>(cache::SqliteStore::Open(std::move(o)));
    if (s.cache_write_back) ctx->code_cache->EnableWriteBack();
    ctx->cache_factory = std::make_shared<bindings::CachedConsumerFactory>(
        ctx->code_cache,
        s.cache_policy == WASMSTREAM_CACHE_URL_HINT ? bindings::CachePolicy::kUrlHint
                                                    : bindings::CachePolicy::kContent,
        &bindings::DefaultConsumerFactory());
  }
  return new wasm_engine_t{std::move(ctx)};
}

void wasm_engine_delete(wasm_engine_t* e) { delete e; }

void wasmstream_engine_cache_stats(wasm_engine_t* e, wasmstream_cache_stats_t* out) {
  WASMSTREAM_CAPI_REQUIRE(e && out, "null argument", );
  EngineCtx& ctx = *e->ctx;
  *out = wasmstream_cache_stats_t{};
  out->compiles = ctx.compiles.load();
  out->hits = ctx.hits.load();
  out->misses = ctx.misses.load();
  cache::SqliteStore* store = ctx.code_cache ? ctx.code_cache->store() : nullptr;
  if (!store) return;
  store->Flush();
  cache::StoreStats st = store->Stats();
  out->usable = st.usable;
  out->stores = st.session.stores;
  out->rejected = st.session.rejected;
  out->entries = st.entries;
  out->total_bytes = st.total_bytes;
}

void wasmstream_engine_cache_write_back(wasm_engine_t* e, wasmstream_write_back_t* out) {
  WASMSTREAM_CAPI_REQUIRE(e, "null engine", );
  if (out) *out = wasmstream_write_back_t{};
  EngineCtx& ctx = *e->ctx;
  if (!ctx.code_cache || !ctx.code_cache->write_back_enabled()) return;
  bindings::WriteBackOutcome o = ctx.code_cache->WriteBack();
  ctx.code_cache->Flush();
  if (!out) return;
  out->queued = o.queued;
  out->unchanged = o.unchanged;
  out->gone = o.gone;
  out->refused = o.refused;
  out->functions_compiled = o.functions_compiled;
  out->functions_loaded = o.functions_loaded;
}

// ---- Store.

wasm_store_t* wasm_store_new(wasm_engine_t* engine) {
  WASMSTREAM_CAPI_REQUIRE(engine, "null engine", nullptr);
  return new wasm_store_t{std::make_shared<StoreCtx>(engine->ctx)};
}

void wasm_store_delete(wasm_store_t* s) { delete s; }

// ---- compileStreaming.

void wasmstream_module_compile_streaming(wasm_store_t* store, const char* url,
                                         const wasmstream_streaming_options_t* options,
                                         wasmstream_compile_callback_t callback, void* env) {
  WASMSTREAM_CAPI_REQUIRE(store && url && callback, "null argument", );
  EngineCtx& engine = *store->ctx->engine;
  auto lock = LockCache(engine);
  Agent agent(engine);
  agent.realm.fetcher = &engine.Fetcher();
  const char* page = options && options->page_url ? options->page_url : url;
  std::optional<bindings::Error> error;
  std::shared_ptr<const wasm::Module> module;
  if (!agent.realm.SetPageUrl(page)) {
    error = bindings::Error::Type(std::string("invalid page URL '") + page + "'");
  } else {
    if (options && options->content_security_policy) {
      agent.realm.csp.AddHeader(options->content_security_policy,
                                bindings::CspDisposition::kEnforce);
    }
    module = agent.Await(agent.wasm.CompileStreaming(agent.realm.Fetch(url)), &error);
  }
  lock = {};
  if (module) {
    callback(env, NewModuleHandle(std::move(module)), nullptr, nullptr);
    return;
  }
  std::string kind(error->name());
  SetError(error->ToString());
  callback(env, nullptr, kind.c_str(), error->message.c_str());
}

}  // extern "C"
