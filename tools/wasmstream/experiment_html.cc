#include "tools/wasmstream/experiment_html.h"

#include <algorithm>
#include <cstdio>
#include <sstream>

namespace wasmstream::cli {
namespace {

using Json = nlohmann::ordered_json;

const char* const kPolicyColors[] = {"#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2"};

struct Segment {
  const char* field;
  const char* label;
  const char* color;
};
const Segment kSegments[] = {{"map", "in-process", "#9ecae1"},
                             {"l1", "L1 hit (SQLite)", "#4e79a7"},
                             {"l2", "L2 hit (Redis)", "#59a14f"},
                             {"l2_waited", "L2 hit after a fleet wait", "#8cd17d"},
                             {"miss", "compiled", "#e15759"},
                             {"error", "failed", "#555555"}};

std::string Escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string Num(double v, int digits = 1) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

// Share of loads per tier, one stacked bar per policy.
std::string TierChart(const Json& policies) {
  const int w = 760, bar = 26, gap = 14, left = 170, top = 10;
  int h = top + int(policies.size()) * (bar + gap) + 40;
  std::ostringstream s;
  s << "<svg width=\"" << w << "\" height=\"" << h << "\" role=\"img\" "
    << "aria-label=\"where each load's module came from\">";
  int y = top;
  for (const Json& p : policies) {
    double loads = std::max<double>(1, p["loads"].get<double>());
    s << "<text x=\"" << left - 8 << "\" y=\"" << y + bar * 0.68
      << "\" text-anchor=\"end\">" << Escape(p["policy"].get<std::string>()) << "</text>";
    double x = left;
    for (const Segment& seg : kSegments) {
      double n = p["tiers"][seg.field].get<double>();
      if (n <= 0) continue;
      double width = (w - left - 20) * n / loads;
      s << "<rect x=\"" << Num(x) << "\" y=\"" << y << "\" width=\"" << Num(width)
        << "\" height=\"" << bar << "\" fill=\"" << seg.color << "\"><title>" << seg.label << ": "
        << n << " of " << loads << "</title></rect>";
      if (width > 28) {
        s << "<text x=\"" << Num(x + width / 2) << "\" y=\"" << y + bar * 0.68
          << "\" text-anchor=\"middle\" fill=\"#fff\">" << Num(100 * n / loads, 0) << "%</text>";
      }
      x += width;
    }
    y += bar + gap;
  }
  double lx = left;
  for (const Segment& seg : kSegments) {
    s << "<rect x=\"" << Num(lx) << "\" y=\"" << y + 4 << "\" width=\"12\" height=\"12\" fill=\""
      << seg.color << "\"/><text x=\"" << Num(lx + 16) << "\" y=\"" << y + 14 << "\">"
      << seg.label << "</text>";
    lx += 16 + 7.2 * std::string(seg.label).size() + 14;
  }
  s << "</svg>";
  return s.str();
}

// Time-to-Module as a cumulative distribution, one line per policy.
std::string CdfChart(const Json& policies) {
  const int w = 760, h = 320, left = 60, right = 20, top = 10, bottom = 40;
  double max_ms = 1;
  for (const Json& p : policies) max_ms = std::max(max_ms, p["module_ms"]["max"].get<double>());
  std::ostringstream s;
  s << "<svg width=\"" << w << "\" height=\"" << h + 24 * policies.size() << "\" role=\"img\" "
    << "aria-label=\"time to Module, cumulative\">";
  double pw = w - left - right, ph = h - top - bottom;
  s << "<rect x=\"" << left << "\" y=\"" << top << "\" width=\"" << pw << "\" height=\"" << ph
    << "\" fill=\"none\" stroke=\"#ccc\"/>";
  for (int i = 0; i <= 4; ++i) {
    double y = top + ph * (1 - i / 4.0), x = left + pw * i / 4.0;
    s << "<text x=\"" << left - 6 << "\" y=\"" << Num(y + 4) << "\" text-anchor=\"end\">"
      << i * 25 << "%</text>";
    s << "<text x=\"" << Num(x) << "\" y=\"" << top + ph + 16 << "\" text-anchor=\"middle\">"
      << Num(max_ms * i / 4, 0) << "</text>";
  }
  s << "<text x=\"" << left + pw / 2 << "\" y=\"" << top + ph + 34
    << "\" text-anchor=\"middle\">time to Module (ms)</text>";
  int k = 0;
  for (const Json& p : policies) {
    const Json& v = p["module_ms"]["sorted"];
    const char* color = kPolicyColors[k % 5];
    std::ostringstream pts;
    pts << left << "," << top + ph;
    for (size_t i = 0; i < v.size(); ++i) {
      double x = left + pw * v[i].get<double>() / max_ms;
      pts << " " << Num(x) << "," << Num(top + ph * (1 - double(i) / v.size()));
      pts << " " << Num(x) << "," << Num(top + ph * (1 - double(i + 1) / v.size()));
    }
    s << "<polyline fill=\"none\" stroke-width=\"2\" stroke=\"" << color << "\" points=\""
      << pts.str() << "\"/>";
    double ly = h + 24 * k;
    s << "<line x1=\"" << left << "\" x2=\"" << left + 24 << "\" y1=\"" << ly << "\" y2=\"" << ly
      << "\" stroke-width=\"3\" stroke=\"" << color << "\"/><text x=\"" << left + 30 << "\" y=\""
      << ly + 4 << "\">" << Escape(p["policy"].get<std::string>()) << "</text>";
    ++k;
  }
  s << "</svg>";
  return s.str();
}

// Horizontal bars of one number per policy.
std::string Bars(const Json& policies, const char* title,
                 double (*value)(const Json&), const char* unit) {
  const int w = 760, bar = 20, gap = 10, left = 170;
  double max = 1e-9;
  for (const Json& p : policies) max = std::max(max, value(p));
  std::ostringstream s;
  s << "<h3>" << title << "</h3><svg width=\"" << w << "\" height=\""
    << policies.size() * (bar + gap) + 4 << "\" role=\"img\" aria-label=\"" << title << "\">";
  int y = 2, k = 0;
  for (const Json& p : policies) {
    double v = value(p), width = (w - left - 120) * v / max;
    s << "<text x=\"" << left - 8 << "\" y=\"" << y + 15 << "\" text-anchor=\"end\">"
      << Escape(p["policy"].get<std::string>()) << "</text><rect x=\"" << left << "\" y=\"" << y
      << "\" width=\"" << Num(width) << "\" height=\"" << bar << "\" fill=\""
      << kPolicyColors[k % 5] << "\"/><text x=\"" << Num(left + width + 6) << "\" y=\"" << y + 15
      << "\">" << Num(v, 2) << " " << unit << "</text>";
    y += bar + gap;
    ++k;
  }
  s << "</svg>";
  return s.str();
}

}  // namespace

std::string ExperimentHtml(const Json& report) {
  const Json& policies = report["policies"];
  std::ostringstream s;
  s << "<!doctype html><html><head><meta charset=\"utf-8\"><title>wasmstream cache "
       "experiment</title><style>body{font:14px system-ui,sans-serif;margin:24px;color:#222}"
       "table{border-collapse:collapse}td,th{padding:4px 10px;border-bottom:1px solid #ddd;"
       "text-align:right}td:first-child,th:first-child{text-align:left}svg text{font:12px "
       "system-ui,sans-serif}</style></head><body>";
  s << "<h1>wasmstream cache experiment</h1><p>trace <code>"
    << Escape(report["trace"].get<std::string>()) << "</code>, " << report["machines"].get<int>()
    << " machines, Redis " << Escape(report["redis"].get<std::string>()) << "</p>";
  s << "<table><tr><th>policy</th><th>loads</th><th>L1 hit</th><th>L2 hit</th><th>compiles"
       "</th><th>from Redis MB</th><th>to Redis MB</th><th>CPU s</th><th>compile CPU saved s"
       "</th><th>Module p50 ms</th><th>p90</th><th>p99</th><th>max</th></tr>";
  for (const Json& p : policies) {
    s << "<tr><td>" << Escape(p["policy"].get<std::string>()) << "</td><td>"
      << p["loads"].get<uint64_t>() << "</td><td>"
      << Num(100 * p["hit_rate"]["l1"].get<double>()) << "%</td><td>"
      << Num(100 * p["hit_rate"]["l2"].get<double>()) << "%</td><td>"
      << p["compiles"].get<uint64_t>() << "</td><td>"
      << Num(p["bytes"]["from_redis"].get<double>() / 1e6) << "</td><td>"
      << Num(p["bytes"]["to_redis"].get<double>() / 1e6) << "</td><td>"
      << Num(p["cpu_ms"].get<double>() / 1e3, 2) << "</td><td>"
      << Num(p["compile_cpu_saved_ms"].get<double>() / 1e3, 2) << "</td><td>"
      << Num(p["module_ms"]["p50"].get<double>()) << "</td><td>"
      << Num(p["module_ms"]["p90"].get<double>()) << "</td><td>"
      << Num(p["module_ms"]["p99"].get<double>()) << "</td><td>"
      << Num(p["module_ms"]["max"].get<double>()) << "</td></tr>";
  }
  s << "</table>";
  s << "<h2>Where each load's module came from</h2>" << TierChart(policies);
  s << "<h2>Time to Module</h2>" << CdfChart(policies);
  s << "<h2>Cost</h2>"
    << Bars(policies, "Compile CPU saved (s)",
            [](const Json& p) { return p["compile_cpu_saved_ms"].get<double>() / 1e3; }, "s")
    << Bars(policies, "Bytes from Redis (MB)",
            [](const Json& p) { return p["bytes"]["from_redis"].get<double>() / 1e6; }, "MB")
    << Bars(policies, "Compiles", [](const Json& p) { return p["compiles"].get<double>(); },
            "");
  s << "<p>Compile CPU saved: for each hit, the median CPU (children's user + system time) "
       "of the same module's compiles in this run, less the hit's own CPU.</p>";
  s << "</body></html>\n";
  return s.str();
}

}  // namespace wasmstream::cli
