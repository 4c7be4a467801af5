// HTTP/2 against a real HTTP/2 server: Debian's nghttpd (package
// nghttp2-server), started by the test on loopback. Skips when absent.
// Cleartext HTTP/2 uses prior knowledge (h2c without upgrade); over TLS the
// Fetcher negotiates h2 by ALPN. nghttpd's verbose frame log proves the
// transfers really were HTTP/2.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fcntl.h>

#include <fstream>
#include <future>
#include <sstream>
#include <thread>

#include "fetch/fetcher.h"
#include "tests/testing/http_server.h"

extern char** environ;

namespace wasmstream::fetch {
namespace {

constexpr const char* kNghttpd = "/usr/sbin/nghttpd";

int FreePort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

bool CanConnect(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}

// nghttpd serving {docroot} on 127.0.0.1; killed on destruction.
class Nghttpd {
 public:
  Nghttpd(const std::string& docroot, const std::string& log, const std::string& key = "",
          const std::string& cert = "") {
    port_ = FreePort();
    std::vector<std::string> args = {kNghttpd, "-v", "-a", "127.0.0.1", "-d", docroot};
    if (key.empty()) args.push_back("--no-tls");
    args.push_back(std::to_string(port_));
    if (!key.empty()) {
      args.push_back(key);
      args.push_back(cert);
    }
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    if (posix_spawn(&pid_, kNghttpd, &actions, nullptr, argv.data(), environ) != 0) pid_ = -1;
    posix_spawn_file_actions_destroy(&actions);
    for (int i = 0; i < 200 && pid_ > 0 && !CanConnect(port_); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  ~Nghttpd() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  bool running() const { return pid_ > 0 && CanConnect(port_); }
  int port() const { return port_; }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
};

std::string ReadFileText(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class FetcherHttp2Test : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::access(kNghttpd, X_OK) != 0) GTEST_SKIP() << kNghttpd << " not installed (nghttp2-server)";
    dir_ = ::testing::TempDir() + "/h2root";
    ::mkdir(dir_.c_str(), 0755);
    body_.clear();
    for (int i = 0; i < 20000; ++i) body_ += "h2 line " + std::to_string(i) + "\n";
    std::ofstream(dir_ + "/module.bin", std::ios::binary) << body_;
  }
  std::string dir_, body_;
};

// Fetches {url} {n} times at once on {fetcher} and checks every body.
void FetchConcurrently(Fetcher& fetcher, const std::string& url, int n, const std::string& body) {
  std::vector<std::future<Response>> futures;
  for (int i = 0; i < n; ++i) {
    auto promise = std::make_shared<std::promise<Response>>();
    futures.push_back(promise->get_future());
    fetcher.Fetch(std::move(Request::Create(url).value()),
                  [promise](Response r) { promise->set_value(std::move(r)); });
  }
  for (auto& f : futures) {
    Response r = f.get();
    ASSERT_FALSE(r.is_network_error()) << r.error().message;
    EXPECT_EQ(r.status(), 200);
    EXPECT_EQ(r.status_text(), "");  // HTTP/2 has no reason phrase
    auto text = r.TextBlocking();
    ASSERT_TRUE(text.ok()) << text.error().message;
    EXPECT_TRUE(text.value() == body);
  }
}

// One request only: with libcurl 7.88 a second request on a reused h2c
// prior-knowledge connection to nghttpd fails with "Error in the HTTP2
// framing layer" (the curl 7.88 command-line program does the same:
// `curl --http2-prior-knowledge URL URL`), so reuse is not tested here.
TEST_F(FetcherHttp2Test, CleartextPriorKnowledge) {
  std::string log = ::testing::TempDir() + "/nghttpd-h2c.log";
  Nghttpd server(dir_, log);
  ASSERT_TRUE(server.running());
  FetcherOptions options;
  options.http_version = HttpVersion::kHttp2PriorKnowledge;
  Fetcher fetcher(options);
  FetchConcurrently(fetcher, "http://127.0.0.1:" + std::to_string(server.port()) + "/module.bin",
                    1, body_);
  std::string frames = ReadFileText(log);
  EXPECT_NE(frames.find("recv HEADERS frame"), std::string::npos);
  EXPECT_NE(frames.find(":path: /module.bin"), std::string::npos);
}

TEST_F(FetcherHttp2Test, TlsNegotiatesHttp2ByAlpn) {
  std::string cert, key;
  ASSERT_TRUE(testserver::MakeSelfSignedCert(::testing::TempDir(), &cert, &key));
  std::string log = ::testing::TempDir() + "/nghttpd-tls.log";
  Nghttpd server(dir_, log, key, cert);
  ASSERT_TRUE(server.running());
  FetcherOptions options;
  options.extra_ca_file = cert;
  Fetcher fetcher(options);
  // Several at once: multiplexed as streams of one HTTP/2 connection.
  FetchConcurrently(fetcher, "https://127.0.0.1:" + std::to_string(server.port()) + "/module.bin",
                    8, body_);
  EXPECT_NE(ReadFileText(log).find("recv HEADERS frame"), std::string::npos);
}

}  // namespace
}  // namespace wasmstream::fetch
