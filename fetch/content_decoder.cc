#include "fetch/content_decoder.h"

#include <brotli/decode.h>
#include <zlib.h>

#include <algorithm>

namespace wasmstream::fetch {

// One coding: compressed input waits in {input_}; Decode() makes at most
// {max_out} bytes of output per call.
class ContentDecoder::Stage {
 public:
  explicit Stage(std::string name) : name_(std::move(name)) {}
  virtual ~Stage() = default;

  void Feed(const uint8_t* data, size_t n) {
    if (pos_ > 0 && may_compact_) {
      input_.erase(input_.begin(), input_.begin() + static_cast<std::ptrdiff_t>(pos_));
      pos_ = 0;
    }
    input_.insert(input_.end(), data, data + n);
    fed_ = fed_ || n > 0;
  }
  // Output may come without more input (input waiting, or output the
  // decoder holds back because the last call's room ran out).
  bool CanProduce() const { return !ended_ && (pos_ < input_.size() || more_output_); }
  virtual FetchStatus Decode(size_t max_out, Bytes* out) = 0;
  // Input began a coded stream that has not ended.
  bool truncated() const { return fed_ && !ended_; }
  const std::string& name() const { return name_; }
  size_t position() const { return pos_; }

 protected:
  FetchError Invalid(const std::string& why) const {
    return FetchError::Type("invalid " + name_ + " content coding: " + why);
  }

  const std::string name_;
  Bytes input_;
  size_t pos_ = 0;
  bool may_compact_ = true;
  bool more_output_ = false;
  bool ended_ = false;  // bytes after the end of the coded stream are ignored
  bool fed_ = false;
};

namespace {

class ZlibStage final : public ContentDecoder::Stage {
 public:
  // gzip: a gzip wrapper. deflate: a zlib wrapper (as RFC 9110 says), or raw
  // deflate data, which some servers send, tried when the header is wrong.
  explicit ZlibStage(bool gzip) : Stage(gzip ? "gzip" : "deflate"), gzip_(gzip) {
    may_compact_ = gzip;  // deflate keeps its first bytes until a retry is ruled out
    inflateInit2(&zs_, gzip ? 15 + 16 : 15 + 32);
  }
  ~ZlibStage() override { inflateEnd(&zs_); }

  FetchStatus Decode(size_t max_out, Bytes* out) override {
    size_t start = out->size();
    out->resize(start + max_out);
    zs_.next_in = input_.data() + pos_;
    zs_.avail_in = static_cast<uInt>(std::min<size_t>(input_.size() - pos_, UINT32_MAX));
    zs_.next_out = out->data() + start;
    zs_.avail_out = static_cast<uInt>(max_out);
    size_t before_in = zs_.avail_in;
    int rc = inflate(&zs_, Z_NO_FLUSH);
    pos_ += before_in - zs_.avail_in;
    size_t made = max_out - zs_.avail_out;
    out->resize(start + made);
    more_output_ = zs_.avail_out == 0;
    if (zs_.total_out > 0) may_compact_ = true;
    if (rc == Z_STREAM_END) {
      ended_ = true;
      more_output_ = false;
      return Ok{};
    }
    if (rc == Z_OK || rc == Z_BUF_ERROR) return Ok{};
    if (rc == Z_DATA_ERROR && !gzip_ && !raw_ && zs_.total_out == 0) {
      raw_ = true;  // not a zlib stream: read the same bytes as raw deflate
      inflateEnd(&zs_);
      zs_ = {};
      inflateInit2(&zs_, -15);
      pos_ = 0;
      return Decode(max_out, out);
    }
    return Invalid(zs_.msg ? zs_.msg : "error " + std::to_string(rc));
  }

 private:
  const bool gzip_;
  bool raw_ = false;
  z_stream zs_ = {};
};

class BrotliStage final : public ContentDecoder::Stage {
 public:
  BrotliStage() : Stage("br"), state_(BrotliDecoderCreateInstance(nullptr, nullptr, nullptr)) {}
  ~BrotliStage() override { BrotliDecoderDestroyInstance(state_); }

  FetchStatus Decode(size_t max_out, Bytes* out) override {
    if (!state_) return Invalid("out of memory");
    size_t start = out->size();
    out->resize(start + max_out);
    size_t avail_in = input_.size() - pos_;
    const uint8_t* next_in = input_.data() + pos_;
    size_t avail_out = max_out;
    uint8_t* next_out = out->data() + start;
    BrotliDecoderResult r =
        BrotliDecoderDecompressStream(state_, &avail_in, &next_in, &avail_out, &next_out, nullptr);
    pos_ = input_.size() - avail_in;
    out->resize(start + (max_out - avail_out));
    more_output_ = BrotliDecoderHasMoreOutput(state_) == BROTLI_TRUE;
    if (r == BROTLI_DECODER_RESULT_ERROR) {
      return Invalid(BrotliDecoderErrorString(BrotliDecoderGetErrorCode(state_)));
    }
    if (r == BROTLI_DECODER_RESULT_SUCCESS) ended_ = true;
    return Ok{};
  }

 private:
  BrotliDecoderState* state_;
};

std::string Trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t"), e = s.find_last_not_of(" \t");
  if (b == std::string_view::npos) return "";
  std::string out(s.substr(b, e - b + 1));
  for (char& c : out) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return out;
}

}  // namespace

FetchResult<std::unique_ptr<ContentDecoder>> ContentDecoder::Create(
    std::string_view content_encoding) {
  std::vector<std::unique_ptr<Stage>> applied;  // in the order the server applied them
  size_t start = 0;
  while (start <= content_encoding.size()) {
    size_t comma = content_encoding.find(',', start);
    if (comma == std::string_view::npos) comma = content_encoding.size();
    std::string coding = Trim(content_encoding.substr(start, comma - start));
    start = comma + 1;
    if (coding.empty() || coding == "identity") continue;
    if (coding == "gzip" || coding == "x-gzip") {
      applied.push_back(std::make_unique<ZlibStage>(true));
    } else if (coding == "deflate") {
      applied.push_back(std::make_unique<ZlibStage>(false));
    } else if (coding == "br") {
      applied.push_back(std::make_unique<BrotliStage>());
    } else {
      return FetchError::Type("unsupported content coding '" + coding + "' (" +
                              std::string(kAcceptEncoding) + " are supported)");
    }
    if (applied.size() > 4) return FetchError::Type("too many content codings");
  }
  if (applied.empty()) return std::unique_ptr<ContentDecoder>();
  std::reverse(applied.begin(), applied.end());
  return std::unique_ptr<ContentDecoder>(new ContentDecoder(std::move(applied)));
}

ContentDecoder::ContentDecoder(std::vector<std::unique_ptr<Stage>> stages)
    : stages_(std::move(stages)) {}

ContentDecoder::~ContentDecoder() = default;

void ContentDecoder::Feed(const uint8_t* data, size_t n) { stages_.front()->Feed(data, n); }

FetchStatus ContentDecoder::Drain(size_t max_out, Bytes* out) {
  return DrainStage(stages_.size() - 1, max_out, out);
}

FetchStatus ContentDecoder::DrainStage(size_t i, size_t max_out, Bytes* out) {
  Stage& s = *stages_[i];
  size_t start = out->size();
  for (;;) {
    if (s.CanProduce()) {
      size_t before = s.position();
      if (FetchStatus e = s.Decode(max_out, out); !e.ok()) return e;
      if (out->size() > start) return Ok{};
      if (s.position() != before) continue;  // consumed a header: go on
    }
    if (i == 0) return Ok{};  // waits for network bytes
    Bytes mid;
    if (FetchStatus e = DrainStage(i - 1, max_out, &mid); !e.ok()) return e;
    if (mid.empty()) return Ok{};
    s.Feed(mid.data(), mid.size());
  }
}

FetchStatus ContentDecoder::Finish() const {
  for (const auto& s : stages_) {
    if (s->truncated()) return FetchError::Type("the " + s->name() + " coded body was cut short");
  }
  return Ok{};
}

}  // namespace wasmstream::fetch
