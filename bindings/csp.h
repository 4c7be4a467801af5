// Content Security Policy, the part WebAssembly compilation needs (CSP Level 3
// "Integration with WebAssembly": the 'wasm-unsafe-eval' and 'unsafe-eval'
// source expressions of script-src, default-src as its fallback).
//
// A CspList holds the policies of a realm, parsed from header values
// (Content-Security-Policy: enforce; Content-Security-Policy-Report-Only:
// report). EnsureCanCompileWasmBytes() is the host hook: every policy whose
// effective source list (script-src, else default-src) allows neither
// 'wasm-unsafe-eval' nor 'unsafe-eval' produces a violation report; one
// enforcing violator blocks, with a CompileError.
#ifndef WASMSTREAM_BINDINGS_CSP_H_
#define WASMSTREAM_BINDINGS_CSP_H_

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bindings/error.h"

namespace wasmstream::bindings {

enum class CspDisposition { kEnforce, kReport };
std::string_view CspDispositionName(CspDisposition d);  // "enforce" / "report"

struct CspDirective {
  std::string name;                 // lowercased
  std::vector<std::string> values;  // as written
};

struct CspPolicy {
  std::vector<CspDirective> directives;  // a repeated name keeps the first
  CspDisposition disposition = CspDisposition::kEnforce;
  std::string serialized;  // the policy's text, trimmed (the report's original policy)

  const CspDirective* Find(std::string_view name) const;
};

// Fields of the securitypolicyviolation event / report for a Wasm violation
// (effective directive script-src, blocked URI "wasm-eval").
struct CspViolation {
  std::string effective_directive;  // always "script-src" for Wasm
  std::string violated_directive;   // same as effective_directive, by design
  std::string blocked_uri;          // "wasm-eval"
  std::string sample;               // "" (no sample for Wasm, even with 'report-sample')
  std::string original_policy;
  CspDisposition disposition = CspDisposition::kEnforce;
  std::string document_uri;         // the realm's base URL
};

using CspViolationObserver = std::function<void(const CspViolation&)>;

// "parse a serialized CSP list": comma-separated policies, each a
// semicolon-separated list of directives. Empty policies are dropped.
std::vector<CspPolicy> ParseCspList(std::string_view header_value, CspDisposition disposition);
// One policy ("parse a serialized CSP").
CspPolicy ParseCspPolicy(std::string_view text, CspDisposition disposition);

class CspList {
 public:
  CspList() = default;
  // Adds every policy of a header value.
  void AddHeader(std::string_view value, CspDisposition disposition);
  void Add(CspPolicy policy) { policies_.push_back(std::move(policy)); }
  const std::vector<CspPolicy>& policies() const { return policies_; }
  bool empty() const { return policies_.empty(); }

  // "EnsureCSPDoesNotBlockWasmByteCompilation": reports each violation to
  // {observer} (may be empty), then returns a CompileError if an enforced
  // policy blocks, nullopt if compiling is allowed.
  std::optional<Error> EnsureCanCompileWasmBytes(const CspViolationObserver& observer,
                                                 std::string_view document_uri = "") const;

 private:
  std::vector<CspPolicy> policies_;
};

// True if the source list allows Wasm: it holds 'wasm-unsafe-eval' or
// 'unsafe-eval' (ASCII case-insensitive, quotes included).
bool CspSourceListAllowsWasm(const std::vector<std::string>& sources);

}  // namespace wasmstream::bindings

#endif  // WASMSTREAM_BINDINGS_CSP_H_
