// The Fetch standard's data: URL processor: "data:[<mime>][;base64],<data>".
#ifndef WASMSTREAM_FETCH_DATA_URL_H_
#define WASMSTREAM_FETCH_DATA_URL_H_

#include <optional>
#include <string>

#include "fetch/body_stream.h"
#include "fetch/fetch_error.h"
#include "fetch/url.h"

namespace wasmstream::fetch {

struct DataUrl {
  std::string mime_type;  // serialized; "text/plain;charset=US-ASCII" by default
  Bytes body;
};

// TypeError for a non-data URL, a missing ',', invalid base64, or a body over
// kMaxDataUrlBytes.
FetchResult<DataUrl> ProcessDataUrl(const Url& url);

// The standard's forgiving-base64 decode; nullopt on failure.
std::optional<Bytes> ForgivingBase64Decode(std::string_view input);

}  // namespace wasmstream::fetch

#endif  // WASMSTREAM_FETCH_DATA_URL_H_
