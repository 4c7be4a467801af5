#include "tools/wasmstream/cache_experiment.h"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "cache/redis_server.h"
#include "cache/remote_tier.h"
#include "tools/wasmstream/experiment_html.h"

namespace wasmstream::cli {
namespace {

using Clock = std::chrono::steady_clock;
using Json = nlohmann::ordered_json;

constexpr char kUsage[] =
    "usage: wasmstream cache experiment --trace FILE [--machines N] [--policy NAME]...\n"
    "                                   [--cache-remote URL] [--redis-maxmemory BYTES]\n"
    "                                   [--json FILE] [--html FILE] [--cache-min-bytes N]\n"
    "                                   [--eager] [--cache-remote-compress zstd|none]\n"
    "  --trace FILE        one load a line: [TIME_MS] [@MACHINE] URL-or-PATH\n"
    "  --machines N        simulated machines, each its own SQLite file (default 4)\n"
    "  --policy NAME       l1-only | l1+l2 | l1+l2+single-flight; repeatable (default all)\n"
    "  --cache-remote URL  use this Redis (each policy under its own key prefix); default:\n"
    "                      a redis-server started on a free loopback port for the run\n"
    "  --redis-maxmemory B the started server's budget (default 0: no limit), allkeys-lru\n"
    "  --json FILE         the report as JSON (default: stdout)\n"
    "  --html FILE         the report as a self-contained HTML page with charts\n"
    "  --cache-min-bytes N passed to each load (default: the CLI's, 1 MiB)\n"
    "  --eager             loads compile every function while streaming\n";

const char* const kPolicies[] = {"l1-only", "l1+l2", "l1+l2+single-flight"};

struct Options {
  std::string trace;
  int machines = 4;
  std::vector<std::string> policies;
  std::string remote;
  uint64_t redis_maxmemory = 0;
  std::string json_path, html_path;
  std::vector<std::string> pass;  // flags passed to every load
};

struct Load {
  int machine = 0;
  double at_ms = 0;
  std::string target;
  // Results.
  double started_ms = 0;
  bool ok = false;
  std::string tier;  // map | l1 | l2 | l2-waited | miss | error
  std::string detail;
  double module_ms = 0;
  double cpu_ms = 0;
  uint64_t bytes = 0, bytes_in = 0, bytes_out = 0;
};

std::optional<double> ParseNumber(const std::string& s) {
  if (s.empty()) return std::nullopt;
  char* end = nullptr;
  double v = std::strtod(s.c_str(), &end);
  if (*end != '\0' || !(v >= 0) || v > 1e12) return std::nullopt;
  return v;
}

std::string SelfExe() {
  std::error_code ec;
  auto p = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? "wasmstream" : p.string();
}

std::string TierOf(const std::string& cache, const std::string& detail) {
  if (cache != "hit") return "miss";
  if (detail.find("hit: in-process map") != std::string::npos) return "map";
  if (detail.find("hit: redis (waited") != std::string::npos) return "l2-waited";
  if (detail.find("hit: redis") != std::string::npos) return "l2";
  return "l1";
}

// Runs one `wasmstream compile --json` and fills {load} from its output and
// its rusage.
void RunLoad(const std::string& exe, const std::vector<std::string>& args, const std::string& log,
             Load& load) {
  int out[2];
  if (pipe(out) != 0) {
    load.tier = "error";
    load.detail = "pipe failed";
    return;
  }
  pid_t pid = fork();
  if (pid == 0) {
    dup2(out[1], STDOUT_FILENO);
    int err = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    if (err >= 0) dup2(err, STDERR_FILENO);
    close(out[0]);
    close(out[1]);
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(exe.c_str()));
    for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(exe.c_str(), argv.data());
    _exit(127);
  }
  close(out[1]);
  std::string text;
  char buf[65536];
  for (ssize_t n; (n = read(out[0], buf, sizeof buf)) > 0;) text.append(buf, n);
  close(out[0]);
  int status = 0;
  rusage ru{};
  if (pid < 0 || wait4(pid, &status, 0, &ru) != pid) {
    load.tier = "error";
    load.detail = "could not run " + exe;
    return;
  }
  load.cpu_ms = (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
                (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
  Json j = Json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    load.tier = "error";
    load.detail = "no JSON from the load (exit status " + std::to_string(status) + ")";
    return;
  }
  load.ok = j.value("ok", false);
  if (!load.ok) {
    load.tier = "error";
    load.detail = j.contains("error") ? j["error"].value("message", "") : "failed";
    return;
  }
  load.detail = j.value("cache_detail", "");
  load.tier = TierOf(j.value("cache", ""), load.detail);
  load.bytes = j.value("bytes", uint64_t{0});
  if (j.contains("timings")) load.module_ms = j["timings"].value("module_ms", 0.0);
  if (j.contains("cache_remote")) {
    load.bytes_in = j["cache_remote"].value("bytes_in", uint64_t{0});
    load.bytes_out = j["cache_remote"].value("bytes_out", uint64_t{0});
  }
}

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t i = static_cast<size_t>(p * (v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

struct PolicyRun {
  std::string name;
  std::vector<Load> loads;
  double wall_ms = 0;
};

PolicyRun RunPolicy(const Options& o, const std::string& policy,
                    const std::vector<TraceLoad>& trace, const std::string& remote_url,
                    const std::string& dir) {
  PolicyRun run;
  run.name = policy;
  std::string safe = policy;
  std::replace(safe.begin(), safe.end(), '+', '_');
  std::string pdir = dir + "/" + safe;
  std::filesystem::create_directories(pdir);
  std::string prefix = "wasmstream-experiment:" + std::to_string(getpid()) + ":" + safe + ":";
  for (const TraceLoad& t : trace) {
    for (int m = 0; m < o.machines; ++m) {
      if (t.machine >= 0 && t.machine != m) continue;
      Load l;
      l.machine = m;
      l.at_ms = t.time_ms;
      l.target = t.target;
      run.loads.push_back(l);
    }
  }
  std::string exe = SelfExe();
  Clock::time_point start = Clock::now();
  std::vector<std::thread> machines;
  for (int m = 0; m < o.machines; ++m) {
    machines.emplace_back([&, m] {
      std::string db = pdir + "/machine" + std::to_string(m) + ".db";
      std::string log = pdir + "/machine" + std::to_string(m) + ".log";
      for (Load& l : run.loads) {
        if (l.machine != m) continue;
        std::this_thread::sleep_until(start + std::chrono::microseconds(
                                                  static_cast<int64_t>(l.at_ms * 1000)));
        l.started_ms =
            std::chrono::duration<double, std::milli>(Clock::now() - start).count();
        std::vector<std::string> args = {"compile", "--json", "--cache", db};
        args.insert(args.end(), o.pass.begin(), o.pass.end());
        if (policy == "l1-only") {
          args.insert(args.end(), {"--cache-remote", "off"});
        } else {
          args.insert(args.end(), {"--cache-remote", remote_url, "--cache-remote-prefix", prefix});
          if (policy == "l1+l2") args.push_back("--cache-remote-no-single-flight");
        }
        args.push_back(l.target);
        RunLoad(exe, args, log, l);
      }
    });
  }
  for (std::thread& t : machines) t.join();
  run.wall_ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  return run;
}

Json Report(const Options& o, const std::vector<PolicyRun>& runs, const std::string& remote_desc) {
  // A target's cold compile CPU: the median CPU of its misses in this run.
  std::map<std::string, std::vector<double>> miss_cpu;
  for (const PolicyRun& r : runs) {
    for (const Load& l : r.loads) {
      if (l.tier == "miss") miss_cpu[l.target].push_back(l.cpu_ms);
    }
  }
  std::map<std::string, double> cold;
  for (const auto& [t, v] : miss_cpu) cold[t] = Percentile(v, 0.5);

  Json report;
  report["trace"] = o.trace;
  report["machines"] = o.machines;
  report["redis"] = remote_desc;
  report["load_flags"] = o.pass;
  Json cold_json = Json::object();
  for (const auto& [t, v] : cold) cold_json[t] = v;
  report["cold_compile_cpu_ms"] = cold_json;
  Json policies = Json::array();
  for (const PolicyRun& r : runs) {
    std::map<std::string, uint64_t> tiers;
    uint64_t bytes_in = 0, bytes_out = 0, wire = 0;
    double cpu = 0, saved = 0;
    std::vector<double> module_ms;
    Json loads = Json::array();
    for (const Load& l : r.loads) {
      tiers[l.tier]++;
      bytes_in += l.bytes_in;
      bytes_out += l.bytes_out;
      wire += l.bytes;
      cpu += l.cpu_ms;
      if (l.ok) module_ms.push_back(l.module_ms);
      if (l.ok && l.tier != "miss" && cold.count(l.target)) {
        saved += std::max(0.0, cold[l.target] - l.cpu_ms);
      }
      Json lj = {{"machine", l.machine}, {"target", l.target},   {"start_ms", l.started_ms},
                 {"tier", l.tier},       {"module_ms", l.module_ms}, {"cpu_ms", l.cpu_ms},
                 {"bytes_in", l.bytes_in}, {"bytes_out", l.bytes_out}};
      if (!l.ok) lj["error"] = l.detail;
      loads.push_back(lj);
    }
    double n = r.loads.empty() ? 1 : double(r.loads.size());
    Json p;
    p["policy"] = r.name;
    p["loads"] = r.loads.size();
    p["tiers"] = {{"map", tiers["map"]},   {"l1", tiers["l1"]},
                  {"l2", tiers["l2"]},     {"l2_waited", tiers["l2-waited"]},
                  {"miss", tiers["miss"]}, {"error", tiers["error"]}};
    p["hit_rate"] = {{"l1", (tiers["map"] + tiers["l1"]) / n},
                     {"l2", (tiers["l2"] + tiers["l2-waited"]) / n},
                     {"total", (n - tiers["miss"] - tiers["error"]) / n}};
    p["compiles"] = tiers["miss"];
    p["bytes"] = {{"wire", wire}, {"from_redis", bytes_in}, {"to_redis", bytes_out}};
    p["cpu_ms"] = cpu;
    p["compile_cpu_saved_ms"] = saved;
    p["wall_ms"] = r.wall_ms;
    std::sort(module_ms.begin(), module_ms.end());
    p["module_ms"] = {{"p50", Percentile(module_ms, 0.5)}, {"p90", Percentile(module_ms, 0.9)},
                      {"p99", Percentile(module_ms, 0.99)},
                      {"max", module_ms.empty() ? 0 : module_ms.back()},
                      {"sorted", module_ms}};
    p["events"] = loads;
    policies.push_back(p);
  }
  report["policies"] = policies;
  return report;
}

int Usage(const std::string& message) {
  std::fprintf(stderr, "wasmstream cache experiment: %s\n%s", message.c_str(), kUsage);
  return 2;
}

}  // namespace

std::optional<std::vector<TraceLoad>> ParseTrace(const std::string& text, std::string* error) {
  std::vector<TraceLoad> loads;
  std::istringstream in(text);
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (size_t hash = line.find('#'); hash != std::string::npos) line.resize(hash);
    std::istringstream fields(line);
    std::vector<std::string> f;
    for (std::string w; fields >> w;) f.push_back(w);
    if (f.empty()) continue;
    TraceLoad t;
    size_t i = 0;
    if (f.size() > 1) {
      if (auto v = ParseNumber(f[0])) {
        t.time_ms = *v;
        ++i;
      }
    }
    if (i < f.size() - 1 && f[i][0] == '@') {
      auto v = ParseNumber(f[i].substr(1));
      if (!v || *v != static_cast<int>(*v) || *v > 100'000) {
        *error = "line " + std::to_string(number) + ": bad machine '" + f[i] + "'";
        return std::nullopt;
      }
      t.machine = static_cast<int>(*v);
      ++i;
    }
    if (f.size() - i != 1) {
      *error = "line " + std::to_string(number) +
               ": expected [TIME_MS] [@MACHINE] URL-or-PATH, got '" + line + "'";
      return std::nullopt;
    }
    t.target = f[i];
    loads.push_back(t);
  }
  if (loads.empty()) {
    *error = "the trace has no loads";
    return std::nullopt;
  }
  return loads;
}

int RunCacheExperiment(const std::vector<std::string>& args) {
  Options o;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&](std::string* out) {
      if (i + 1 >= args.size()) return false;
      *out = args[++i];
      return true;
    };
    std::string v;
    if (a == "--help" || a == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    } else if (a == "--trace") {
      if (!value(&o.trace)) return Usage("--trace needs a file");
    } else if (a == "--machines") {
      if (!value(&v)) return Usage("--machines needs a number");
      auto n = ParseNumber(v);
      if (!n || *n < 1 || *n > 256 || *n != static_cast<int>(*n)) {
        return Usage("--machines takes 1-256, got '" + v + "'");
      }
      o.machines = static_cast<int>(*n);
    } else if (a == "--policy") {
      if (!value(&v)) return Usage("--policy needs a name");
      if (std::find(std::begin(kPolicies), std::end(kPolicies), v) == std::end(kPolicies)) {
        return Usage("unknown policy '" + v + "' (l1-only, l1+l2, l1+l2+single-flight)");
      }
      o.policies.push_back(v);
    } else if (a == "--cache-remote") {
      if (!value(&o.remote)) return Usage("--cache-remote needs a URL");
    } else if (a == "--redis-maxmemory") {
      if (!value(&v) || !ParseNumber(v)) return Usage("--redis-maxmemory needs a byte count");
      o.redis_maxmemory = static_cast<uint64_t>(*ParseNumber(v));
    } else if (a == "--json") {
      if (!value(&o.json_path)) return Usage("--json needs a file");
    } else if (a == "--html") {
      if (!value(&o.html_path)) return Usage("--html needs a file");
    } else if (a == "--eager") {
      o.pass.push_back(a);
    } else if (a == "--cache-min-bytes" || a == "--cache-remote-compress" ||
               a == "--cache-remote-wait") {
      if (!value(&v)) return Usage(a + " needs a value");
      o.pass.insert(o.pass.end(), {a, v});
    } else {
      return Usage("unexpected argument '" + a + "'");
    }
  }
  if (o.trace.empty()) return Usage("--trace FILE is required");
  if (o.policies.empty()) o.policies.assign(std::begin(kPolicies), std::end(kPolicies));
  std::ifstream in(o.trace);
  if (!in) {
    std::fprintf(stderr, "wasmstream cache experiment: cannot read %s\n", o.trace.c_str());
    return 1;
  }
  std::stringstream text;
  text << in.rdbuf();
  std::string error;
  std::optional<std::vector<TraceLoad>> trace = ParseTrace(text.str(), &error);
  if (!trace) {
    std::fprintf(stderr, "wasmstream cache experiment: %s: %s\n", o.trace.c_str(),
                 error.c_str());
    return 1;
  }

  std::unique_ptr<cache::RedisServer> server;
  std::string remote = o.remote, remote_desc;
  bool needs_remote = std::any_of(o.policies.begin(), o.policies.end(),
                                  [](const std::string& p) { return p != "l1-only"; });
  if (needs_remote && remote.empty()) {
    cache::RedisServerOptions so;
    so.maxmemory = o.redis_maxmemory;
    server = cache::RedisServer::Start(so, &error);
    if (!server) {
      std::fprintf(stderr, "wasmstream cache experiment: %s\n", error.c_str());
      return 1;
    }
    remote = server->url();
    remote_desc = remote + " (started for the run, maxmemory " +
                  std::to_string(o.redis_maxmemory) + ", allkeys-lru)";
  } else if (needs_remote) {
    if (!cache::ParseRedisUrl(remote, &error)) return Usage(error);
    remote_desc = remote + " (given)";
  }

  std::string templ =
      (std::filesystem::temp_directory_path() / "wasmstream-experiment-XXXXXX").string();
  if (!mkdtemp(templ.data())) {
    std::fprintf(stderr, "wasmstream cache experiment: cannot make a temporary directory\n");
    return 1;
  }
  std::vector<PolicyRun> runs;
  for (const std::string& p : o.policies) {
    std::fprintf(stderr, "policy %s: %d machines...\n", p.c_str(), o.machines);
    runs.push_back(RunPolicy(o, p, *trace, remote, templ));
  }
  std::error_code ec;
  std::filesystem::remove_all(templ, ec);

  Json report = Report(o, runs, remote_desc);
  for (const Json& p : report["policies"]) {
    std::fprintf(stderr,
                 "%-20s loads %4llu  L1 %5.1f%%  L2 %5.1f%%  compiles %3llu  "
                 "from redis %.1f MB  module p50 %.1f ms p90 %.1f ms  cpu saved %.1f s\n",
                 p["policy"].get<std::string>().c_str(),
                 (unsigned long long)p["loads"].get<uint64_t>(),
                 100 * p["hit_rate"]["l1"].get<double>(), 100 * p["hit_rate"]["l2"].get<double>(),
                 (unsigned long long)p["compiles"].get<uint64_t>(),
                 p["bytes"]["from_redis"].get<uint64_t>() / 1e6,
                 p["module_ms"]["p50"].get<double>(), p["module_ms"]["p90"].get<double>(),
                 p["compile_cpu_saved_ms"].get<double>() / 1e3);
  }
  bool written = true;
  if (!o.html_path.empty()) {
    std::ofstream html(o.html_path);
    html << ExperimentHtml(report);
    written = written && bool(html);
  }
  if (!o.json_path.empty()) {
    std::ofstream json(o.json_path);
    json << report.dump(2) << "\n";
    written = written && bool(json);
  } else {
    std::printf("%s\n", report.dump(2).c_str());
  }
  if (!written) {
    std::fprintf(stderr, "wasmstream cache experiment: could not write the report\n");
    return 1;
  }
  for (const Json& p : report["policies"]) {
    if (p["tiers"]["error"].get<uint64_t>() > 0) return 1;  // a load failed: say so
  }
  return 0;
}

}  // namespace wasmstream::cli
