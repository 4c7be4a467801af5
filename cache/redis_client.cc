#include "cache/redis_client.h"

#include <hiredis/hiredis.h>
#include <sys/time.h>

#include <cerrno>
#include <charconv>

namespace wasmstream::cache {
namespace {

timeval Tv(int ms) {
  timeval tv;
  tv.tv_sec = ms / 1000;
  tv.tv_usec = (ms % 1000) * 1000;
  return tv;
}

std::optional<int> Number(std::string_view s, int max) {
  int v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size() || v < 0 || v > max) {
    return std::nullopt;
  }
  return v;
}

RedisReply Convert(const redisReply* r) {
  RedisReply out;
  switch (r->type) {
    case REDIS_REPLY_STRING:
      out.kind = RedisReply::Kind::kString;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_NIL:
      out.kind = RedisReply::Kind::kNil;
      break;
    case REDIS_REPLY_INTEGER:
      out.kind = RedisReply::Kind::kInteger;
      out.integer = r->integer;
      break;
    case REDIS_REPLY_STATUS:
      out.kind = RedisReply::Kind::kStatus;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_ERROR:
      out.kind = RedisReply::Kind::kServerError;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_ARRAY:
      out.kind = RedisReply::Kind::kArray;
      for (size_t i = 0; i < r->elements; ++i) out.elements.push_back(Convert(r->element[i]));
      break;
    default:
      out.kind = RedisReply::Kind::kFailed;
      out.str = "unexpected reply type " + std::to_string(r->type);
  }
  return out;
}

RedisReply Failed(std::string message) {
  RedisReply r;
  r.kind = RedisReply::Kind::kFailed;
  r.str = std::move(message);
  return r;
}

}  // namespace

std::string RedisAddress::ToString() const {
  bool v6 = host.find(':') != std::string::npos;
  return "redis://" + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port) + "/" +
         std::to_string(db);
}

std::optional<RedisAddress> ParseRedisUrl(std::string_view url, std::string* error) {
  auto fail = [&](const std::string& why) -> std::optional<RedisAddress> {
    *error = "bad Redis URL '" + std::string(url) + "': " + why +
             " (expected redis://HOST[:PORT][/DB])";
    return std::nullopt;
  };
  constexpr std::string_view kScheme = "redis://";
  if (url.substr(0, kScheme.size()) != kScheme) return fail("the scheme must be redis://");
  std::string_view rest = url.substr(kScheme.size());
  if (rest.find_first_of("@?#") != std::string_view::npos) {
    return fail("user, password, query and fragment are not supported");
  }
  std::string_view hostport = rest.substr(0, rest.find('/'));
  std::string_view path = hostport.size() < rest.size() ? rest.substr(hostport.size() + 1) : "";
  RedisAddress a;
  std::string_view port;
  if (!hostport.empty() && hostport[0] == '[') {
    size_t close = hostport.find(']');
    if (close == std::string_view::npos) return fail("unclosed '['");
    a.host = std::string(hostport.substr(1, close - 1));
    std::string_view after = hostport.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':') return fail("junk after ']'");
      port = after.substr(1);
      if (port.empty()) return fail("empty port");
    }
  } else {
    size_t colon = hostport.find(':');
    a.host = std::string(hostport.substr(0, colon));
    if (colon != std::string_view::npos) {
      port = hostport.substr(colon + 1);
      if (port.empty()) return fail("empty port");
    }
  }
  if (a.host.empty()) return fail("no host");
  if (!port.empty()) {
    auto p = Number(port, 65535);
    if (!p || *p == 0) return fail("port must be 1-65535");
    a.port = *p;
  }
  if (!path.empty()) {
    auto d = Number(path, 1'000'000);
    if (!d) return fail("the path must be a database number");
    a.db = *d;
  }
  return a;
}

RedisClient::RedisClient(RedisAddress address, int connect_timeout_ms, int op_timeout_ms)
    : address_(std::move(address)),
      connect_timeout_ms_(connect_timeout_ms),
      op_timeout_ms_(op_timeout_ms) {}

RedisClient::~RedisClient() { Drop(); }

void RedisClient::Drop() {
  if (ctx_) redisFree(ctx_);
  ctx_ = nullptr;
}

bool RedisClient::Connect(std::string* error) {
  redisContext* c = redisConnectWithTimeout(address_.host.c_str(), address_.port,
                                            Tv(connect_timeout_ms_));
  if (!c) {
    *error = "cannot allocate a Redis context";
    return false;
  }
  if (c->err) {
    *error = "connect to " + address_.ToString() + ": " + c->errstr;
    redisFree(c);
    return false;
  }
  if (redisSetTimeout(c, Tv(op_timeout_ms_)) != REDIS_OK) {
    *error = "cannot set the operation timeout";
    redisFree(c);
    return false;
  }
  ctx_ = c;
  if (address_.db != 0) {
    RedisReply r = Run({"SELECT", std::to_string(address_.db)});
    if (r.kind != RedisReply::Kind::kStatus) {
      *error = "SELECT " + std::to_string(address_.db) + ": " + r.str;
      Drop();
      return false;
    }
  }
  return true;
}

RedisReply RedisClient::Run(const std::vector<std::span<const uint8_t>>& args) {
  if (!ctx_) {
    std::string error;
    if (!Connect(&error)) return Failed(error);
  }
  std::vector<const char*> argv;
  std::vector<size_t> lens;
  for (const auto& a : args) {
    argv.push_back(reinterpret_cast<const char*>(a.data()));
    lens.push_back(a.size());
  }
  auto* reply = static_cast<redisReply*>(
      redisCommandArgv(ctx_, static_cast<int>(argv.size()), argv.data(), lens.data()));
  if (!reply) {
    std::string message = ctx_->errstr[0] ? ctx_->errstr : "no reply";
    if (ctx_->err == REDIS_ERR_IO && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      message = "timed out after " + std::to_string(op_timeout_ms_) + " ms";
    }
    Drop();  // the connection's state is unknown now
    return Failed(address_.ToString() + ": " + message);
  }
  RedisReply out = Convert(reply);
  freeReplyObject(reply);
  return out;
}

RedisReply RedisClient::Run(std::initializer_list<std::string_view> args) {
  std::vector<std::span<const uint8_t>> spans;
  for (std::string_view a : args) {
    spans.emplace_back(reinterpret_cast<const uint8_t*>(a.data()), a.size());
  }
  return Run(spans);
}

}  // namespace wasmstream::cache
