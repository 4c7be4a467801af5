// Headers: the Fetch standard's header list. Ordered, names compared
// case-insensitively (stored as given), values normalized (leading/trailing
// HTTP whitespace stripped). Get() combines repeated values with ", ".
// Invalid names (not an RFC 9110 token) or values (NUL, CR, LF) are a
// TypeError. A Headers object with the "immutable" guard (every Response's
// headers) rejects all changes with a TypeError.
#ifndef WASMSTREAM_FETCH_HEADERS_H_
#define WASMSTREAM_FETCH_HEADERS_H_

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "fetch/fetch_error.h"

namespace wasmstream::fetch {

class Headers {
 public:
  using Entry = std::pair<std::string, std::string>;  // {name, value}

  Headers() = default;
  // Builds a list from pairs; the first invalid pair is the error.
  static FetchResult<Headers> From(const std::vector<Entry>& entries);

  FetchStatus Append(std::string_view name, std::string_view value);
  // Replaces every entry named {name} with one entry (at the first's place).
  FetchStatus Set(std::string_view name, std::string_view value);
  FetchStatus Delete(std::string_view name);

  bool Has(std::string_view name) const;
  // Values of every entry named {name}, joined by ", "; nullopt if none.
  std::optional<std::string> Get(std::string_view name) const;
  // Every Set-Cookie value separately (they cannot be combined).
  std::vector<std::string> GetSetCookie() const;

  // Entries in insertion order, names as given.
  const std::vector<Entry>& entries() const { return entries_; }
  // The standard's "sort and combine": lowercase names, sorted, combined.
  std::vector<Entry> SortedAndCombined() const;
  size_t size() const { return entries_.size(); }

  bool immutable() const { return immutable_; }
  void MakeImmutable() { immutable_ = true; }

  // Validation, exposed for the CORS code and tests.
  static bool IsValidName(std::string_view name);
  static bool IsValidValue(std::string_view value);  // after normalization
  static std::string_view Normalize(std::string_view value);
  static bool NameEquals(std::string_view a, std::string_view b);

  // Appends without validation or guard (the network layer builds response
  // lists from bytes curl already parsed; invalid lines are dropped first).
  void AppendUnchecked(std::string name, std::string value);

 private:
  FetchStatus CheckMutable() const;
  std::vector<Entry> entries_;
  bool immutable_ = false;
};

}  // namespace wasmstream::fetch

#endif  // WASMSTREAM_FETCH_HEADERS_H_
