// Threads that hash the leaves of long streams (tree_hash.h) beside the
// thread that receives the bytes, one per core. Started on first use and
// never stopped, like an allocator's arenas: a pool that lives as long as the
// process needs no shutdown order, and an idle thread costs only its stack.
#ifndef WASMSTREAM_CACHE_HASH_POOL_H_
#define WASMSTREAM_CACHE_HASH_POOL_H_

#include <functional>

namespace wasmstream::cache {

// Runs {task} on one of the pool's threads, in the order posted when one
// thread is free. Tasks must not block on each other.
void PostHashTask(std::function<void()> task);

}  // namespace wasmstream::cache

#endif  // WASMSTREAM_CACHE_HASH_POOL_H_
