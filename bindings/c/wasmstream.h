/* wasmstream's additions to the standard C API (wasm.h): what the standard
 * has no words for.
 *
 *  - Configuration: WebAssembly features by name, lazy or eager compilation,
 *    the code cache (path, policy, size budget).
 *  - compileStreaming from C: fetch a URL and compile the body while it
 *    downloads, with the Web's rules (status, MIME type, CORS against the
 *    page's origin, the page's Content-Security-Policy), the result given to
 *    a callback as a module or as an error kind and message.
 *  - Code cache statistics.
 *  - Why the last call failed (the standard returns only NULL or false), and
 *    what kind of error a trap is.
 *
 * All names start with wasmstream_; the header includes wasm.h. */
#ifndef WASMSTREAM_H
#define WASMSTREAM_H

#include "wasm.h"

#ifdef __cplusplus
extern "C" {
#endif

#define own

/* Value kinds the standard does not spell, returned by wasm_valtype_kind()
 * for such types in a module's imports and exports. They can be reflected on
 * but not passed as wasm_val_t (a call with them traps). */
enum wasmstream_valkind_enum {
  WASMSTREAM_V128 = 4,      /* SIMD */
  WASMSTREAM_ANYREF = 130,  /* the GC proposal's any hierarchy */
  WASMSTREAM_EXNREF = 131,  /* exception references */
};

/* ------------------------------------------------------------------------
 * Configuration (before wasm_engine_new_with_config). */

/* Turns a feature on or off by its command-line name ("simd", "threads",
 * "gc", "memory64", ...; see `wasmstream --help`). False for an unknown
 * name. The default set is what the engines ship enabled. */
WASM_API_EXTERN bool wasmstream_config_set_feature(wasm_config_t*, const char* name, bool enabled);
/* Replaces the whole set: "default", "wasm2.0" or "all". False otherwise. */
WASM_API_EXTERN bool wasmstream_config_set_feature_set(wasm_config_t*, const char* set);

/* Lazy (the default, as in V8): functions are validated when the module is
 * made and compiled on their first call. Eager: compiled up front. */
WASM_API_EXTERN void wasmstream_config_set_lazy_compilation(wasm_config_t*, bool lazy);

typedef uint8_t wasmstream_cache_policy_t;
enum wasmstream_cache_policy_enum {
  WASMSTREAM_CACHE_OFF,      /* compile every time (the default) */
  WASMSTREAM_CACHE_CONTENT,  /* key on the bytes' hash: the same bytes load */
  WASMSTREAM_CACHE_URL_HINT, /* streaming: a URL whose validators match skips compiling */
};

/* The persistent code cache (an SQLite file) used by wasm_module_new and
 * wasmstream_module_compile_streaming. {path} NULL: the default
 * ($XDG_CACHE_HOME/wasmstream/cache.db). {max_bytes} 0: the default budget;
 * least recently used entries go beyond it. {min_module_bytes}: smaller
 * modules are kept in memory only (0: cache every module). A cache file that
 * cannot be used leaves the engine working without it (one warning). */
WASM_API_EXTERN void wasmstream_config_set_cache(wasm_config_t*, const char* path,
                                                 wasmstream_cache_policy_t policy,
                                                 uint64_t max_bytes, uint64_t min_module_bytes);

/* Write-back, off by default: with it on, wasmstream_engine_cache_write_back
 * replaces the entry of each module the engine stored or loaded from the
 * cache file with one that also holds the code compiled since (on first
 * calls), so the next process starts with those functions compiled. Needs a
 * cache set with wasmstream_config_set_cache. */
WASM_API_EXTERN void wasmstream_config_set_cache_write_back(wasm_config_t*, bool enabled);

/* ------------------------------------------------------------------------
 * Code cache statistics of an engine. */

typedef struct wasmstream_cache_stats_t {
  bool usable;            /* false: no cache, or the file could not be used */
  uint64_t compiles;      /* modules made through the cache's policy */
  uint64_t hits;          /* ... that came from the cache (memory or file) */
  uint64_t misses;        /* ... that were compiled */
  uint64_t stores;        /* entries written to the file by this engine */
  uint64_t rejected;      /* entries found but refused (corrupt, collision) */
  uint64_t entries;       /* entries in the file now */
  uint64_t total_bytes;   /* their size */
} wasmstream_cache_stats_t;

/* Waits for queued cache writes, then fills {out}. */
WASM_API_EXTERN void wasmstream_engine_cache_stats(wasm_engine_t*, wasmstream_cache_stats_t* out);

typedef struct wasmstream_write_back_t {
  uint64_t queued;     /* entries handed to the file with their module's newer
                        * code (a write the disk refuses warns, as every write) */
  uint64_t unchanged;  /* nothing compiled since the entry was written */
  uint64_t gone;       /* the module was deleted first */
  uint64_t refused;    /* the cache refused the write (too large, unusable, ...) */
  uint64_t functions_compiled;  /* in this engine, over the modules still alive */
  uint64_t functions_loaded;    /* ... and loaded from their entries instead */
} wasmstream_write_back_t;

/* Writes back (see wasmstream_config_set_cache_write_back) and waits for the
 * writes; {out} may be NULL. Call it when the modules have run a while, e.g.
 * before the engine is deleted; again later writes what was compiled since.
 * Without write-back on, it writes nothing and {out} is all zero. */
WASM_API_EXTERN void wasmstream_engine_cache_write_back(wasm_engine_t*,
                                                        wasmstream_write_back_t* out);

/* ------------------------------------------------------------------------
 * compileStreaming(fetch(url)) */

typedef struct wasmstream_streaming_options_t {
  /* The page the request comes from ("http://host:port/page"): its origin
   * decides CORS, and relative URLs resolve against it. NULL: the module's
   * own URL (same origin, no CORS). */
  const char* page_url;
  /* The page's Content-Security-Policy header value, or NULL for none. A
   * policy without 'wasm-unsafe-eval' blocks the compile. */
  const char* content_security_policy;
} wasmstream_streaming_options_t;

/* Gets the module (owned by the callback, NULL on failure) or the error:
 * {error_kind} "TypeError", "CompileError", "AbortError", ... and the
 * message, both NULL on success and valid during the call only. */
typedef void (*wasmstream_compile_callback_t)(void* env, own wasm_module_t* module,
                                              const char* error_kind, const char* error_message);

/* Fetches {url} and compiles the response as it streams in, applying the
 * engine's features, lazy/eager setting and code cache. Runs on the calling
 * thread until the result is known, calls {callback} exactly once, then
 * returns. {options} may be NULL. */
WASM_API_EXTERN void wasmstream_module_compile_streaming(wasm_store_t*, const char* url,
                                                         const wasmstream_streaming_options_t*,
                                                         wasmstream_compile_callback_t callback,
                                                         void* env);

/* ------------------------------------------------------------------------
 * Errors */

/* Why the last wasm_* or wasmstream_* call on this thread that returned
 * NULL or false failed ("CompileError: ..."), or "" if none has. Valid until
 * the next failing call on this thread. */
WASM_API_EXTERN const char* wasmstream_error_message(void);

/* The kind of a trap: "RuntimeError" (a wasm trap), "RangeError" (call stack
 * exhausted, allocation failed), "TypeError" (wrong arguments), "LinkError"
 * (instantiation), "Exception" (an uncaught wasm exception), "HostError" (a
 * host function's trap) or "Error" (made by wasm_trap_new). */
WASM_API_EXTERN const char* wasmstream_trap_kind(const wasm_trap_t*);

#undef own

#ifdef __cplusplus
}  // extern "C"
#endif

#endif  // WASMSTREAM_H
