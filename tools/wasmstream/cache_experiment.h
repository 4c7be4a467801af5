// wasmstream cache experiment: replays a trace of module loads on N simulated
// machines under several cache policies and reports what each policy did.
//
// A machine is a sequence of real `wasmstream compile --json` processes with
// their own SQLite file (L1) in a temporary directory; every machine shares
// one Redis (L2): a redis-server the harness starts on a free loopback port,
// or the one --cache-remote names (each policy then uses its own key prefix,
// so nothing of the server's other keys is read or written). Machines run in
// parallel, each its loads in trace order at the trace's times.
//
// Trace: one load per line, '#' starts a comment:
//   [TIME_MS] [@MACHINE] URL-or-PATH
// TIME_MS: when the load starts, from the policy's start (default 0: as soon
// as the machine is free). @MACHINE (0-based): only that machine loads it;
// without it every machine does (a fleet meeting the same modules).
//
// Policies: l1-only, l1+l2 (no single-flight), l1+l2+single-flight. Reported
// per policy: hit rates per tier, bytes moved to and from Redis, compiles and
// the CPU they took (children's rusage), compile CPU saved against the
// trace's cold compiles, and the time-to-Module distribution; as JSON and as
// a self-contained HTML page (inline SVG). docs/fleet-cache.md shows a run.
#ifndef WASMSTREAM_TOOLS_WASMSTREAM_CACHE_EXPERIMENT_H_
#define WASMSTREAM_TOOLS_WASMSTREAM_CACHE_EXPERIMENT_H_

#include <optional>
#include <string>
#include <vector>

namespace wasmstream::cli {

struct TraceLoad {
  double time_ms = 0;
  int machine = -1;  // -1: every machine
  std::string target;
};

// The loads of a trace file's text; nullopt with *error (line number and
// what is wrong) when a line is malformed.
std::optional<std::vector<TraceLoad>> ParseTrace(const std::string& text, std::string* error);

// The `cache experiment` verb: its arguments after "experiment".
int RunCacheExperiment(const std::vector<std::string>& args);

}  // namespace wasmstream::cli

#endif  // WASMSTREAM_TOOLS_WASMSTREAM_CACHE_EXPERIMENT_H_
