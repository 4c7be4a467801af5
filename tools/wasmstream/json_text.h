// JSON text written straight into a string, for output too large to build as
// a nlohmann DOM first: a module's export list can hold 75,000 names, and a
// DOM of one small object per name costs more than compiling the module
// lazily (an allocation per key, value and object, freed again at exit).
#ifndef WASMSTREAM_TOOLS_WASMSTREAM_JSON_TEXT_H_
#define WASMSTREAM_TOOLS_WASMSTREAM_JSON_TEXT_H_

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace wasmstream::cli {

// Appends {s} as a JSON string literal, escaped as nlohmann::json::dump()
// escapes it: '"', '\\' and the control characters (short forms where JSON
// has them, else \u00xx); other bytes pass through. {s} must be UTF-8, as
// every name a validated module holds is.
void AppendJsonString(std::string& out, std::string_view s);

// Appends an object of string members, in order: {"k1":"v1","k2":"v2"}.
void AppendJsonObject(std::string& out,
                      std::initializer_list<std::pair<std::string_view, std::string_view>> members);

}  // namespace wasmstream::cli

#endif  // WASMSTREAM_TOOLS_WASMSTREAM_JSON_TEXT_H_
