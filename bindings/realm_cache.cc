// Realm::EnableCodeCache and its statistics: the code cache as one call of
// the embedding API (the CLI's cache flags map onto the same options).
#include <cstdio>

#include "bindings/compiling_consumer.h"
#include "bindings/realm.h"

namespace wasmstream::bindings {

std::shared_ptr<CodeCache> MakeCodeCache(const CodeCacheOptions& options) {
  if (!options.persistent) return std::make_shared<CodeCache>(nullptr);
  cache::StoreOptions o;
  o.path = options.path;
  o.min_module_bytes = options.min_module_bytes;
  o.max_total_bytes = options.max_total_bytes;
  o.max_entry_bytes = options.max_entry_bytes;
  o.signing_key = options.signing_key;
  if (options.warn) o.warn = options.warn;
  auto code_cache = std::make_shared<CodeCache>(cache::SqliteStore::Open(std::move(o)));
  if (options.write_back) code_cache->EnableWriteBack();
  if (options.remote) {
    cache::RemoteOptions r = *options.remote;
    if (!r.warn && options.warn) r.warn = options.warn;
    std::string error;
    auto remote = cache::RemoteTier::Open(r, code_cache->store(), &error);
    if (!remote) {
      std::string message = "shared code cache off: " + error;
      if (r.warn) {
        r.warn(message);
      } else {
        std::fprintf(stderr, "wasmstream: warning: %s\n", message.c_str());
      }
    }
    code_cache->SetRemote(std::move(remote));
  }
  return code_cache;
}

void Realm::EnableCodeCache(const CodeCacheOptions& options) {
  if (options.policy == CachePolicy::kOff) {
    code_cache_ = nullptr;
    consumer_factory = nullptr;
    return;
  }
  code_cache_ = MakeCodeCache(options);
  consumer_factory = std::make_shared<CachedConsumerFactory>(code_cache_, options.policy,
                                                             &DefaultConsumerFactory());
}

std::optional<cache::StoreStats> Realm::CodeCacheStats() {
  if (!code_cache_ || !code_cache_->store()) return std::nullopt;
  code_cache_->Flush();
  return code_cache_->store()->Stats();
}

}  // namespace wasmstream::bindings
