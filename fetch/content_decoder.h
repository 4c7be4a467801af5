// Decodes a response body's content codings (gzip, x-gzip, deflate, br) on
// the network thread, in slices the body stream has room for.
//
// libcurl can decode too, but it decodes a whole network read at once; while
// the transfer is paused for backpressure it keeps that decoded burst in a
// buffer capped at 64 MB, so a highly compressible body (a gzip of zeros:
// ~1000:1) failed with "Out of memory". Here compressed input waits (at most
// one network chunk), and output is made only when the stream wants more.
//
// Network thread only.
#ifndef WASMSTREAM_FETCH_CONTENT_DECODER_H_
#define WASMSTREAM_FETCH_CONTENT_DECODER_H_

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "fetch/body_stream.h"
#include "fetch/fetch_error.h"

namespace wasmstream::fetch {

// What the fetcher asks servers for (Accept-Encoding): exactly what it decodes.
inline constexpr char kAcceptEncoding[] = "gzip, deflate, br";

class ContentDecoder {
 public:
  class Stage;  // one coding

  // The decoder for a Content-Encoding value ("gzip", "deflate, br", …,
  // applied in order, so undone in reverse). Null when there is nothing to
  // undo ("", "identity"); a TypeError for a coding it does not know.
  static FetchResult<std::unique_ptr<ContentDecoder>> Create(std::string_view content_encoding);
  ~ContentDecoder();

  // Appends compressed bytes; they wait until Drain() asks for output.
  void Feed(const uint8_t* data, size_t n);
  // Up to {max_out} decoded bytes into {out} (left empty when the input is
  // used up). A TypeError when the bytes are not valid for the coding.
  FetchStatus Drain(size_t max_out, Bytes* out);
  // After the last input and an empty Drain(): a TypeError if a coded stream
  // was cut short.
  FetchStatus Finish() const;

 private:
  explicit ContentDecoder(std::vector<std::unique_ptr<Stage>> stages);
  FetchStatus DrainStage(size_t i, size_t max_out, Bytes* out);
  // Stages in decoding order: stages_[0] gets the network bytes.
  std::vector<std::unique_ptr<Stage>> stages_;
};

}  // namespace wasmstream::fetch

#endif  // WASMSTREAM_FETCH_CONTENT_DECODER_H_
