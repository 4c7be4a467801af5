// The shared cache tier across real processes: each "machine" is a
// `wasmstream compile --json` process with its own SQLite file, all sharing a
// redis-server the test starts on a free loopback port. Outcomes are read
// from each process's JSON (cache detail and counters), never from timing.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "bindings/test_modules.h"
#include "cache/redis_server.h"

namespace wasmstream {
namespace {

using Json = nlohmann::json;

std::string Binary() {
  const char* srcdir = std::getenv("TEST_SRCDIR");
  const char* ws = std::getenv("TEST_WORKSPACE");
  std::string base = srcdir ? std::string(srcdir) + "/" + (ws ? ws : "wasmstream") : ".";
  return base + "/tools/wasmstream/wasmstream";
}

struct Child {
  pid_t pid = -1;
  int out = -1;
};

// Starts `wasmstream ARGS...` with stdout on a pipe; {env} is added.
Child Spawn(const std::vector<std::string>& args, const std::vector<std::string>& env = {}) {
  int p[2];
  EXPECT_EQ(pipe(p), 0);
  pid_t pid = fork();
  if (pid == 0) {
    dup2(p[1], STDOUT_FILENO);
    close(p[0]);
    close(p[1]);
    for (const std::string& e : env) putenv(const_cast<char*>(e.c_str()));
    std::string bin = Binary();
    std::vector<char*> argv = {bin.data()};
    for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(bin.c_str(), argv.data());
    _exit(127);
  }
  close(p[1]);
  return {pid, p[0]};
}

std::string Finish(Child c, int* status) {
  std::string text;
  char buf[4096];
  for (ssize_t n; (n = read(c.out, buf, sizeof buf)) > 0;) text.append(buf, n);
  close(c.out);
  waitpid(c.pid, status, 0);
  return text;
}

std::string RunWasmstream(const std::vector<std::string>& args, int* status,
                const std::vector<std::string>& env = {}) {
  return Finish(Spawn(args, env), status);
}

void Leb(std::vector<uint8_t>& out, uint32_t v) {
  do {
    uint8_t b = v & 0x7f;
    v >>= 7;
    out.push_back(v ? b | 0x80 : b);
  } while (v);
}

// {n} functions () -> i32 with a few locals each: ~90 bytes a function, so an
// eager compile of it takes far longer than starting the racing processes
// (without single-flight most of them compile it).
std::vector<uint8_t> ModuleWithFunctions(uint32_t n) {
  std::vector<uint8_t> m = {0, 'a', 's', 'm', 1, 0, 0, 0};
  auto section = [&](uint8_t id, const std::vector<uint8_t>& body) {
    m.push_back(id);
    Leb(m, static_cast<uint32_t>(body.size()));
    m.insert(m.end(), body.begin(), body.end());
  };
  section(1, {1, 0x60, 0, 1, 0x7f});  // type 0: [] -> [i32]
  std::vector<uint8_t> funcs;
  Leb(funcs, n);
  funcs.insert(funcs.end(), n, 0);
  section(3, funcs);
  std::vector<uint8_t> body = {1, 2, 0x7f};  // two i32 locals
  for (int i = 0; i < 10; ++i) body.insert(body.end(), {0x41, 1, 0x21, 0, 0x41, 2, 0x21, 1});
  body.insert(body.end(), {0x20, 0, 0x20, 1, 0x6a, 0x0b});  // local.get 0 + local.get 1; end
  std::vector<uint8_t> code;
  Leb(code, n);
  for (uint32_t i = 0; i < n; ++i) {
    Leb(code, static_cast<uint32_t>(body.size()));
    code.insert(code.end(), body.begin(), body.end());
  }
  section(10, code);
  return m;
}

class FleetCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    server_ = cache::RedisServer::Start({}, &error);
    ASSERT_NE(server_, nullptr) << error;
    dir_ = ::testing::TempDir() + "/fleet_" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    // A module no other test uses: kManyFunctions plus a custom section.
    std::vector<uint8_t> m = bindings::testing::kManyFunctions;
    std::string tag = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    m.push_back(0);
    m.push_back(static_cast<uint8_t>(2 + tag.size()));
    m.push_back(1);
    m.push_back('t');
    m.insert(m.end(), tag.begin(), tag.end());
    module_ = dir_ + "/module.wasm";
    std::ofstream(module_, std::ios::binary).write(reinterpret_cast<const char*>(m.data()),
                                                   m.size());
  }

  // `compile --json` as machine {name}: its own file, the shared tier.
  std::vector<std::string> Compile(const std::string& name,
                                   std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"compile", "--json", "--cache-min-bytes", "0",
                                     "--cache", dir_ + "/" + name + ".db", "--cache-remote",
                                     server_->url()};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back(module_);
    return args;
  }

  Json CompileJson(const std::string& name, std::vector<std::string> extra = {}) {
    int status = 0;
    std::string out = RunWasmstream(Compile(name, std::move(extra)), &status);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << out;
    Json j = Json::parse(out, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << out;
    return j;
  }

  std::unique_ptr<cache::RedisServer> server_;
  std::string dir_, module_;
};

TEST_F(FleetCacheTest, SecondMachineHitsWhatTheFirstPublished) {
  Json a = CompileJson("a");
  EXPECT_EQ(a["cache"], "miss");
  EXPECT_EQ(a["cache_remote"]["publishes"], 1);
  EXPECT_EQ(a["cache_remote"]["leases"], 1);
  Json b = CompileJson("b");
  EXPECT_EQ(b["cache"], "hit");
  EXPECT_NE(b["cache_detail"].get<std::string>().find("hit: redis"), std::string::npos)
      << b["cache_detail"];
  EXPECT_EQ(b["cache_remote"]["hits"], 1);
  EXPECT_EQ(b["cache_remote"]["bytes_in"], a["cache_remote"]["bytes_out"]);
  // b imported it: its next load stays on the machine.
  Json b2 = CompileJson("b");
  EXPECT_NE(b2["cache_detail"].get<std::string>().find("hit: sqlite"), std::string::npos)
      << b2["cache_detail"];
  EXPECT_EQ(b2["cache_remote"]["bytes_in"], 0);

  // The fleet's counters, as `cache stats` shows them.
  int status = 0;
  std::string stats = RunWasmstream({"cache", "--cache", dir_ + "/b.db", "--cache-remote", server_->url(),
                           "stats"},
                          &status);
  EXPECT_EQ(WEXITSTATUS(status), 0) << stats;
  EXPECT_NE(stats.find("shared entries: 1"), std::string::npos) << stats;
  EXPECT_NE(stats.find("fleet: hits 1, misses 1, publishes 1"), std::string::npos) << stats;
  EXPECT_NE(stats.find("policy allkeys-lru"), std::string::npos) << stats;
}

TEST_F(FleetCacheTest, EightMachinesRacingOnANewModuleCompileItOnce) {
  std::vector<uint8_t> big = ModuleWithFunctions(20'000);
  std::ofstream(module_, std::ios::binary | std::ios::trunc)
      .write(reinterpret_cast<const char*>(big.data()), big.size());
  std::vector<Child> children;
  for (int i = 0; i < 8; ++i) {
    children.push_back(Spawn(Compile("m" + std::to_string(i), {"--eager"})));
  }
  int compiles = 0, hits = 0;
  for (Child& c : children) {
    int status = 0;
    std::string out = Finish(c, &status);
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << out;
    Json j = Json::parse(out, nullptr, false);
    ASSERT_FALSE(j.is_discarded()) << out;
    if (j["cache"] == "miss") ++compiles;
    if (j["cache"] == "hit") {
      ++hits;
      EXPECT_NE(j["cache_detail"].get<std::string>().find("hit: redis"), std::string::npos)
          << j["cache_detail"];
    }
    EXPECT_EQ(j["cache_remote"]["errors"], 0);
  }
  EXPECT_EQ(compiles, 1);
  EXPECT_EQ(hits, 7);
}

TEST_F(FleetCacheTest, ReadOnlyMachinePublishesNothing) {
  Json a = CompileJson("a", {"--cache-remote-read-only"});
  EXPECT_EQ(a["cache"], "miss");
  EXPECT_EQ(a["cache_remote"]["publishes"], 0);
  Json b = CompileJson("b");
  EXPECT_EQ(b["cache"], "miss");  // nothing was shared
}

TEST_F(FleetCacheTest, EnvironmentVariableNamesTheTier) {
  int status = 0;
  std::vector<std::string> args = {"compile", "--json", "--cache-min-bytes", "0", "--cache",
                                   dir_ + "/a.db", module_};
  Json a = Json::parse(RunWasmstream(args, &status, {"WASMSTREAM_CACHE_REMOTE=" + server_->url()}), nullptr,
                       false);
  ASSERT_FALSE(a.is_discarded());
  EXPECT_EQ(a["cache_remote"]["publishes"], 1);
  // --cache-remote off wins over the environment.
  args.insert(args.begin() + 1, {"--cache-remote", "off"});
  Json b = Json::parse(RunWasmstream(args, &status, {"WASMSTREAM_CACHE_REMOTE=" + server_->url()}), nullptr,
                       false);
  ASSERT_FALSE(b.is_discarded());
  EXPECT_FALSE(b.contains("cache_remote"));
}

TEST_F(FleetCacheTest, UnreachableRedisIsAMissNotAFailure) {
  server_->Kill();
  int status = 0;
  std::string out = RunWasmstream(Compile("a"), &status);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << out;
  Json a = Json::parse(out);
  EXPECT_EQ(a["ok"], true);
  EXPECT_EQ(a["cache"], "miss");
  EXPECT_EQ(a["cache_remote"]["errors"], 1);
}

TEST_F(FleetCacheTest, BadRemoteUrlIsOneWarningAndTheCompileGoesOn) {
  int status = 0;
  std::vector<std::string> args = Compile("a");
  for (std::string& a : args) {
    if (a == server_->url()) a = "http://not-redis";
  }
  std::string out = RunWasmstream(args, &status);
  EXPECT_EQ(WEXITSTATUS(status), 0) << out;
  EXPECT_EQ(Json::parse(out)["cache"], "miss");
}

TEST_F(FleetCacheTest, ExperimentReportsEachPolicy) {
  std::string trace = dir_ + "/trace.txt";
  std::ofstream(trace) << "# every machine loads the module, then machine 0 loads it again\n"
                       << module_ << "\n"
                       << "@0 " << module_ << "\n";
  std::string json = dir_ + "/report.json", html = dir_ + "/report.html";
  int status = 0;
  std::string out = RunWasmstream({"cache", "experiment", "--trace", trace, "--machines", "3",
                         "--cache-remote", server_->url(), "--cache-min-bytes", "0", "--json",
                         json, "--html", html},
                        &status);
  ASSERT_EQ(WEXITSTATUS(status), 0) << out;
  std::ifstream in(json);
  Json r = Json::parse(in, nullptr, false);
  ASSERT_FALSE(r.is_discarded());
  ASSERT_EQ(r["policies"].size(), 3u);
  for (const Json& p : r["policies"]) {
    SCOPED_TRACE(p["policy"].get<std::string>());
    EXPECT_EQ(p["loads"], 4);
    EXPECT_EQ(p["tiers"]["error"], 0);
    // Machine 0's second load never leaves the machine.
    EXPECT_EQ(p["tiers"]["l1"].get<int>() + p["tiers"]["map"].get<int>(), 1);
    EXPECT_EQ(p["module_ms"]["sorted"].size(), 4u);
  }
  const Json& l1 = r["policies"][0];
  EXPECT_EQ(l1["policy"], "l1-only");
  EXPECT_EQ(l1["compiles"], 3);
  EXPECT_EQ(l1["bytes"]["from_redis"], 0);
  const Json& shared = r["policies"][1];
  EXPECT_EQ(shared["compiles"].get<int>() + shared["tiers"]["l2"].get<int>(), 3);
  const Json& sf = r["policies"][2];
  EXPECT_EQ(sf["policy"], "l1+l2+single-flight");
  EXPECT_EQ(sf["compiles"], 1);
  EXPECT_EQ(sf["tiers"]["l2"].get<int>() + sf["tiers"]["l2_waited"].get<int>(), 2);
  EXPECT_GT(sf["bytes"]["from_redis"].get<uint64_t>(), 0u);

  std::ifstream hin(html);
  std::string page((std::istreambuf_iterator<char>(hin)), {});
  EXPECT_NE(page.find("<svg"), std::string::npos);
  EXPECT_NE(page.find("l1+l2+single-flight"), std::string::npos);
  // Self-contained: nothing fetched from anywhere.
  EXPECT_EQ(page.find("src="), std::string::npos);
  EXPECT_EQ(page.find("http"), std::string::npos);
}

TEST_F(FleetCacheTest, ExperimentRefusesABadTrace) {
  std::string trace = dir_ + "/bad.txt";
  std::ofstream(trace) << "12 @x " << module_ << "\n";
  int status = 0;
  RunWasmstream({"cache", "experiment", "--trace", trace}, &status);
  EXPECT_EQ(WEXITSTATUS(status), 1);
}

}  // namespace
}  // namespace wasmstream
