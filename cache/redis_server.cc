#include "cache/redis_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "cache/redis_client.h"

namespace wasmstream::cache {
namespace {

std::string FindBinary() {
  if (const char* env = std::getenv("REDIS_SERVER"); env && *env) return env;
  if (const char* path = std::getenv("PATH")) {
    std::string p = path;
    size_t start = 0;
    while (start <= p.size()) {
      size_t end = p.find(':', start);
      if (end == std::string::npos) end = p.size();
      std::string candidate = p.substr(start, end - start) + "/redis-server";
      if (access(candidate.c_str(), X_OK) == 0) return candidate;
      start = end + 1;
    }
  }
  return "/usr/bin/redis-server";
}

}  // namespace

int FreeLoopbackPort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return 0;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  close(fd);
  return port;
}

std::unique_ptr<RedisServer> RedisServer::Start(const RedisServerOptions& options,
                                                std::string* error) {
  std::string binary = FindBinary();
  if (access(binary.c_str(), X_OK) != 0) {
    *error = "redis-server not found (" + binary + "); tools/setup installs it";
    return nullptr;
  }
  std::error_code ec;
  auto base = std::filesystem::temp_directory_path(ec);
  if (ec) base = "/tmp";
  // Another port is tried when one was taken between FreeLoopbackPort and
  // the server's bind.
  for (int attempt = 0; attempt < 5; ++attempt) {
    std::unique_ptr<RedisServer> s(new RedisServer());
    s->port_ = FreeLoopbackPort();
    if (s->port_ == 0) {
      *error = "no free loopback port";
      return nullptr;
    }
    std::string templ = (base / "wasmstream-redis-XXXXXX").string();
    if (!mkdtemp(templ.data())) {
      *error = "cannot make a temporary directory";
      return nullptr;
    }
    s->dir_ = templ;
    std::vector<std::string> args = {binary,
                                     "--port", std::to_string(s->port_),
                                     "--bind", "127.0.0.1",
                                     "--save", "",
                                     "--appendonly", "no",
                                     "--dir", s->dir_,
                                     "--logfile", s->dir_ + "/redis.log",
                                     "--daemonize", "no",
                                     "--maxmemory", std::to_string(options.maxmemory),
                                     "--maxmemory-policy", options.maxmemory_policy};
    args.insert(args.end(), options.extra_args.begin(), options.extra_args.end());
    pid_t pid = fork();
    if (pid < 0) {
      *error = "fork failed";
      return nullptr;
    }
    if (pid == 0) {
      std::vector<char*> argv;
      for (std::string& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(binary.c_str(), argv.data());
      _exit(127);
    }
    s->pid_ = pid;
    RedisAddress address{"127.0.0.1", s->port_, 0};
    for (int i = 0; i < 250; ++i) {
      int status = 0;
      if (waitpid(pid, &status, WNOHANG) == pid) {
        s->pid_ = -1;
        break;  // exited: the port was taken, or a bad argument
      }
      RedisClient client(address, 200, 500);
      if (client.Run({"PING"}).kind == RedisReply::Kind::kStatus) return s;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    std::string log = s->dir_ + "/redis.log";
    *error = "redis-server did not come up on port " + std::to_string(s->port_) + " (see " + log +
             ")";
  }
  return nullptr;
}

RedisServer::~RedisServer() { Stop(); }

std::string RedisServer::url() const { return "redis://127.0.0.1:" + std::to_string(port_); }

void RedisServer::Kill() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

void RedisServer::Stop() {
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }
  if (!dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
    dir_.clear();
  }
}

}  // namespace wasmstream::cache
