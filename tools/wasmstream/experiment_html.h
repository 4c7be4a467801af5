// The `cache experiment` report as one self-contained HTML page: a table and
// charts drawn as inline SVG (no script, no network, no external file).
#ifndef WASMSTREAM_TOOLS_WASMSTREAM_EXPERIMENT_HTML_H_
#define WASMSTREAM_TOOLS_WASMSTREAM_EXPERIMENT_HTML_H_

#include <string>

#include <nlohmann/json.hpp>

namespace wasmstream::cli {

// {report}: the JSON cache_experiment.cc makes (policies[].tiers, hit_rate,
// module_ms.sorted, bytes, cpu_ms, compile_cpu_saved_ms).
std::string ExperimentHtml(const nlohmann::ordered_json& report);

}  // namespace wasmstream::cli

#endif  // WASMSTREAM_TOOLS_WASMSTREAM_EXPERIMENT_HTML_H_
