// A redis-server child process on a free loopback port, in its own temporary
// directory, with nothing persisted (--save '' --appendonly no): for the
// shared tier's tests and `wasmstream cache experiment`.
#ifndef WASMSTREAM_CACHE_REDIS_SERVER_H_
#define WASMSTREAM_CACHE_REDIS_SERVER_H_

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace wasmstream::cache {

struct RedisServerOptions {
  uint64_t maxmemory = 0;  // bytes; 0: no limit
  std::string maxmemory_policy = "allkeys-lru";
  std::vector<std::string> extra_args;  // more redis-server arguments
};

class RedisServer {
 public:
  // Starts the server and waits (up to ~5 s) until it answers PING. Null with
  // *error set when redis-server is missing or does not come up. The binary
  // is $REDIS_SERVER, else redis-server on $PATH, else /usr/bin/redis-server.
  static std::unique_ptr<RedisServer> Start(const RedisServerOptions& options,
                                            std::string* error);
  ~RedisServer();  // Stop()
  RedisServer(const RedisServer&) = delete;
  RedisServer& operator=(const RedisServer&) = delete;

  int port() const { return port_; }
  std::string url() const;  // redis://127.0.0.1:PORT
  pid_t pid() const { return pid_; }
  // SIGKILL and reap (a crash, for tests); then Stop() does nothing.
  void Kill();
  // SIGTERM, reap, remove the directory. Idempotent.
  void Stop();

 private:
  RedisServer() = default;
  pid_t pid_ = -1;
  int port_ = 0;
  std::string dir_;
};

// A TCP port on 127.0.0.1 that was free a moment ago (0 on failure).
int FreeLoopbackPort();

}  // namespace wasmstream::cache

#endif  // WASMSTREAM_CACHE_REDIS_SERVER_H_
