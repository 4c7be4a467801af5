// A small synchronous Redis client (hiredis) for the shared cache tier.
//
// Every call is bounded: connecting waits at most the connect timeout, and
// each read or write on the socket at most the operation timeout (hiredis
// sets SO_RCVTIMEO/SO_SNDTIMEO, so a server that accepts and never answers
// costs one operation timeout, not a hang). An I/O or protocol error drops
// the connection; the next call connects again. A server error reply (e.g.
// "OOM command not allowed") keeps it.
//
// Not thread-safe: one client per thread (RemoteTier keeps one for lookups
// and one for its publisher thread).
#ifndef WASMSTREAM_CACHE_REDIS_CLIENT_H_
#define WASMSTREAM_CACHE_REDIS_CLIENT_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

struct redisContext;

namespace wasmstream::cache {

struct RedisAddress {
  std::string host;
  int port = 6379;
  int db = 0;
  std::string ToString() const;  // redis://HOST:PORT/DB
};

// redis://HOST[:PORT][/DB]; HOST may be an IPv6 literal in brackets. No user,
// password or query (refused with a message rather than ignored).
std::optional<RedisAddress> ParseRedisUrl(std::string_view url, std::string* error);

struct RedisReply {
  enum class Kind { kString, kNil, kInteger, kStatus, kArray, kServerError, kFailed };
  Kind kind = Kind::kFailed;
  std::string str;                 // kString, kStatus, kServerError, kFailed (the message)
  long long integer = 0;           // kInteger
  std::vector<RedisReply> elements;  // kArray
  bool failed() const { return kind == Kind::kFailed || kind == Kind::kServerError; }
};

class RedisClient {
 public:
  RedisClient(RedisAddress address, int connect_timeout_ms, int op_timeout_ms);
  ~RedisClient();
  RedisClient(const RedisClient&) = delete;
  RedisClient& operator=(const RedisClient&) = delete;

  // One command; arguments are binary-safe. Connects first when needed.
  RedisReply Run(const std::vector<std::span<const uint8_t>>& args);
  RedisReply Run(std::initializer_list<std::string_view> args);

  bool connected() const { return ctx_ != nullptr; }
  const RedisAddress& address() const { return address_; }

 private:
  bool Connect(std::string* error);
  void Drop();

  RedisAddress address_;
  int connect_timeout_ms_;
  int op_timeout_ms_;
  redisContext* ctx_ = nullptr;
};

}  // namespace wasmstream::cache

#endif  // WASMSTREAM_CACHE_REDIS_CLIENT_H_
