#include "wasm/features.h"

namespace wasmstream::wasm {

Features Features::Default() {
  Features f(0);
#define WASMSTREAM_FEATURE_DEFAULT(name, bit, str, v2, dflt) \
  if (dflt) f.enable(Feature::name);
  WASMSTREAM_FOREACH_FEATURE(WASMSTREAM_FEATURE_DEFAULT)
#undef WASMSTREAM_FEATURE_DEFAULT
  return f;
}

Features Features::Wasm20() {
  Features f(0);
#define WASMSTREAM_FEATURE_V2(name, bit, str, v2, dflt) \
  if (v2) f.enable(Feature::name);
  WASMSTREAM_FOREACH_FEATURE(WASMSTREAM_FEATURE_V2)
#undef WASMSTREAM_FEATURE_V2
  return f;
}

Features Features::All() {
  Features f(0);
#define WASMSTREAM_FEATURE_ALL(name, bit, str, v2, dflt) f.enable(Feature::name);
  WASMSTREAM_FOREACH_FEATURE(WASMSTREAM_FEATURE_ALL)
#undef WASMSTREAM_FEATURE_ALL
  return f;
}

std::optional<Feature> Features::FromName(std::string_view n) {
#define WASMSTREAM_FEATURE_FROM(name, bit, str, v2, dflt) \
  if (n == str) return Feature::name;
  WASMSTREAM_FOREACH_FEATURE(WASMSTREAM_FEATURE_FROM)
#undef WASMSTREAM_FEATURE_FROM
  return std::nullopt;
}

std::string_view Features::Name(Feature f) {
  switch (f) {
#define WASMSTREAM_FEATURE_NAME(name, bit, str, v2, dflt) \
  case Feature::name:                                 \
    return str;
    WASMSTREAM_FOREACH_FEATURE(WASMSTREAM_FEATURE_NAME)
#undef WASMSTREAM_FEATURE_NAME
  }
  return "?";
}

}  // namespace wasmstream::wasm
