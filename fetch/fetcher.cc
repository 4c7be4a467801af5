// The Fetcher's network thread: libcurl's multi interface, one easy handle per
// redirect hop, the Fetch standard's main fetch / HTTP fetch / HTTP-redirect
// fetch steps around it. Everything touching curl runs on the network thread;
// other threads only Post() commands (and wake the thread). libcurl is loaded
// by the first http(s) fetch (curl_library.h); until then the thread waits on
// a condition variable instead of in curl_multi_poll.
#include "fetch/fetcher.h"

#include <curl/curl.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <future>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include "fetch/chunk_pool.h"
#include "fetch/content_decoder.h"
#include "fetch/cors.h"
#include "fetch/curl_library.h"
#include "fetch/data_url.h"

namespace wasmstream::fetch {
namespace {

enum class Tainting { kBasic, kCors, kOpaque };

bool IsRedirectStatus(int s) { return s == 301 || s == 302 || s == 303 || s == 307 || s == 308; }
bool IsNullBodyStatus(int s) { return s == 101 || s == 103 || s == 204 || s == 205 || s == 304; }

// Content-Type for file: URLs, by extension (browsers do the same).
std::string ContentTypeForPath(const std::string& path) {
  static const std::pair<const char*, const char*> kTypes[] = {
      {".wasm", "application/wasm"}, {".html", "text/html"},  {".htm", "text/html"},
      {".js", "text/javascript"},    {".mjs", "text/javascript"},
      {".json", "application/json"}, {".txt", "text/plain"}, {".css", "text/css"},
      {".wat", "text/plain"},        {".wast", "text/plain"},
  };
  for (const auto& [ext, type] : kTypes) {
    size_t n = std::strlen(ext);
    if (path.size() >= n && path.compare(path.size() - n, n, ext) == 0) return type;
  }
  return "application/octet-stream";
}

std::string PercentDecodePath(const std::string& in) {
  std::string out;
  auto hex = [](char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '%' && i + 2 < in.size() && hex(in[i + 1]) >= 0 && hex(in[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex(in[i + 1]) * 16 + hex(in[i + 2])));
      i += 2;
    } else {
      out.push_back(in[i]);
    }
  }
  return out;
}

struct Transfer;

// One fetch, across its redirect hops. Lives on the network thread.
struct Job {
  Request request;
  Fetcher::ResponseCallback callback;
  bool responded = false;
  std::vector<Url> url_list;
  int redirect_count = 0;
  bool tainted_origin = false;
  Tainting tainting = Tainting::kBasic;
  uint64_t abort_id = 0;
  std::shared_ptr<BodyStream> body;  // once responded with a body
  // Undoes the body's content codings; may hold input after the transfer
  // ended, until the reader has made room for the rest (content_decoder.h).
  std::unique_ptr<ContentDecoder> decoder;
  uint64_t decoded_bytes = 0;
  std::shared_ptr<Transfer> transfer;  // the current hop, if any
  int file = -1;                       // a file: body being read
  uint64_t file_bytes = 0;             // read from {file} so far
  bool finished = false;

  ~Job() {
    if (file >= 0) ::close(file);
  }

  explicit Job(Request r) : request(std::move(r)) {}
  const Url& current_url() const { return url_list.back(); }
  std::string SerializedOrigin() const {
    if (tainted_origin || !request.origin) return "null";
    return request.origin->Serialize();
  }
};

enum class Phase { kHeaders, kBody, kRedirect, kDiscard };

// One easy handle: one hop of a Job.
struct Transfer {
  void* core = nullptr;  // the Fetcher::Core running it (outlives it)
  const CurlLibrary* curl = nullptr;
  CURL* easy = nullptr;
  curl_slist* header_list = nullptr;
  std::shared_ptr<Job> job;
  Phase phase = Phase::kHeaders;
  int status = 0;
  std::string status_text;
  Headers headers;
  size_t header_bytes = 0;
  uint64_t body_bytes = 0;
  bool paused = false;        // the stream asked us to stop (Push returned false)
  // Body bytes received in this turn of the network loop, not yet pushed:
  // libcurl hands them over in 16 KiB slices (CURL_MAX_WRITE_SIZE), so one
  // chunk per turn instead of one per slice saves the reader a wake-up and a
  // read per 16 KiB. Pushed at the end of the turn or when the buffer is full.
  ChunkPool::Buffer pending;
  size_t pending_size = 0;
  std::optional<Url> redirect_to;
  std::optional<FetchError> failure;  // decided in a callback; wins over curl's code
  char errbuf[CURL_ERROR_SIZE] = {};

  ~Transfer() {
    if (header_list) curl->slist_free_all(header_list);
  }
};

}  // namespace

class Fetcher::Core : public std::enable_shared_from_this<Core> {
 public:
  explicit Core(FetcherOptions options)
      : options_(std::move(options)),
        chunk_pool_(ChunkPool::Create(kMaxBodyChunkBytes, kMaxIdleChunkBuffers)) {}
  ~Core() {
    if (multi_) curl_->multi_cleanup(multi_);
  }

  void Start() {
    thread_ = std::thread([self = shared_from_this()] { self->Run(); });
  }
  void Stop() {
    Post(nullptr);  // a null command means "stop"
    thread_.join();
  }

  // Thread-safe: queue {command} for the network thread and wake it.
  void Post(std::function<void()> command) {
    CURLM* multi;
    const CurlLibrary* curl;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (command) commands_.push_back(std::move(command));
      else stop_requested_ = true;
      multi = multi_;
      curl = curl_;
    }
    // The thread waits in curl_multi_poll once curl is loaded, on {idle_} before.
    if (multi) curl->multi_wakeup(multi);
    else idle_.notify_one();
  }

  bool OnNetworkThread() const { return std::this_thread::get_id() == thread_.get_id(); }
  size_t active() const { return active_.load(); }
  const FetcherOptions& options() const { return options_; }

  // Called on the network thread.
  void StartJob(std::shared_ptr<Job> job) {
    active_++;
    jobs_[job.get()] = job;
    if (FetchStatus s = job->request.Validate(); !s.ok()) return Fail(job, s.error());
    job->url_list.push_back(job->request.url);
    if (job->request.signal) {
      std::weak_ptr<Core> weak_core = shared_from_this();
      std::weak_ptr<Job> weak_job = job;
      job->abort_id = job->request.signal->AddAlgorithm([weak_core, weak_job](const FetchError& e) {
        if (auto core = weak_core.lock()) {
          core->Post([c = core.get(), weak_job, e] {
            if (auto j = weak_job.lock()) c->Abort(j, e);
          });
        }
      });
      if (job->request.signal->aborted()) return;  // the algorithm posted the abort
    }
    MainFetch(job);
  }

 private:
  void Run();
  void RunCommands(std::vector<std::function<void()>>* commands);
  void MainFetch(const std::shared_ptr<Job>& job);
  // Loads libcurl and makes the multi handle, the first time; false with
  // {*error} set if libcurl cannot be loaded.
  bool EnsureCurl(std::string* error);
  void StartCurl(const std::shared_ptr<Job>& job);
  void StartFile(const std::shared_ptr<Job>& job);
  void ReadFile(const std::shared_ptr<Job>& job);
  void OnResume(const std::shared_ptr<Job>& job);
  // Decoded slices into the body until the decoder wants input, the stream
  // is full, or decoding fails ({*failure} set).
  enum class Pump { kNeedInput, kFull, kError };
  Pump PumpDecoded(Job& job, std::optional<FetchError>* failure);
  void FinishDecoded(const std::shared_ptr<Job>& job);
  void Respond(const std::shared_ptr<Job>& job, Response response);
  void Fail(const std::shared_ptr<Job>& job, FetchError error);
  void Abort(const std::shared_ptr<Job>& job, const FetchError& reason);
  void Finish(const std::shared_ptr<Job>& job);
  void RemoveTransfer(const std::shared_ptr<Transfer>& t);
  // Pushes {t}'s pending bytes to its body; pauses the transfer if the body is full.
  void PushPending(Transfer* t);
  // After a turn of curl_multi_perform: every transfer's pending bytes.
  void PushAllPending();
  void OnDone(CURL* easy, CURLcode code);
  // Curl callbacks (network thread, inside curl_multi_perform).
  static size_t HeaderCallback(char* data, size_t size, size_t n, void* user);
  static size_t WriteCallback(char* data, size_t size, size_t n, void* user);
  static CURLcode SslContextCallback(CURL* easy, void* ssl_ctx, void* user);
  size_t OnHeaderLine(Transfer* t, std::string_view line);
  bool OnHeadersComplete(Transfer* t);
  size_t OnBody(Transfer* t, const char* data, size_t n);
  void OpenBody(const std::shared_ptr<Job>& job, Response::Parts parts);

  const FetcherOptions options_;
  // Buffers of network and file chunks (the readers give them back).
  const std::shared_ptr<ChunkPool> chunk_pool_;
  std::thread thread_;
  std::atomic<size_t> active_{0};
  std::mutex mutex_;
  // Wakes the network thread while libcurl is not loaded.
  std::condition_variable idle_;
  // Protected by {mutex_}; set once, together, by the network thread, which
  // reads them without the lock (it is their only writer):
  const CurlLibrary* curl_ = nullptr;
  CURLM* multi_ = nullptr;
  // Protected by {mutex_}:
  std::vector<std::function<void()>> commands_;
  bool stop_requested_ = false;
  // Network thread only:
  std::unordered_map<CURL*, std::shared_ptr<Transfer>> transfers_;
  std::unordered_map<Job*, std::shared_ptr<Job>> jobs_;  // started, not finished
  std::vector<std::shared_ptr<Transfer>> with_pending_;   // Transfer::pending not empty
  bool shutting_down_ = false;
};

// ---------------------------------------------------------------- loop

void Fetcher::Core::RunCommands(std::vector<std::function<void()>>* commands) {
  for (auto& c : *commands) c();
  commands->clear();
}

void Fetcher::Core::Run() {
  std::vector<std::function<void()>> commands;
  for (;;) {
    bool stop;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      commands.swap(commands_);
      stop = stop_requested_;
    }
    RunCommands(&commands);
    if (stop) {
      shutting_down_ = true;
      // Commands posted by the last ones (an abort, say) still run.
      for (;;) {
        {
          std::lock_guard<std::mutex> lock(mutex_);
          commands.swap(commands_);
        }
        if (commands.empty()) break;
        RunCommands(&commands);
      }
      break;
    }
    if (multi_) {
      int running = 0;
      curl_->multi_perform(multi_, &running);
      PushAllPending();
      int left = 0;
      while (CURLMsg* msg = curl_->multi_info_read(multi_, &left)) {
        if (msg->msg == CURLMSG_DONE) OnDone(msg->easy_handle, msg->data.result);
      }
    }
    {
      std::unique_lock<std::mutex> lock(mutex_);
      if (!commands_.empty() || stop_requested_) continue;
      if (!multi_) {
        idle_.wait(lock, [this] { return !commands_.empty() || stop_requested_; });
        continue;
      }
    }
    curl_->multi_poll(multi_, nullptr, 0, 1000, nullptr);
  }
  // Shutting down: every job still running ends with an error.
  std::vector<std::shared_ptr<Job>> left;
  for (auto& [ptr, job] : jobs_) left.push_back(job);
  for (auto& job : left) Fail(job, FetchError::Type("Fetcher shut down"));
}

void Fetcher::Core::Respond(const std::shared_ptr<Job>& job, Response response) {
  if (job->responded) return;
  job->responded = true;
  job->body = response.body();
  auto callback = std::move(job->callback);
  job->callback = nullptr;
  callback(std::move(response));
}

void Fetcher::Core::Finish(const std::shared_ptr<Job>& job) {
  if (job->finished) return;
  job->finished = true;
  jobs_.erase(job.get());
  if (job->request.signal && job->abort_id) job->request.signal->RemoveAlgorithm(job->abort_id);
  if (job->file >= 0) {
    ::close(job->file);
    job->file = -1;
  }
  active_--;
}

// A network error before the response, or the body's error after it.
void Fetcher::Core::Fail(const std::shared_ptr<Job>& job, FetchError error) {
  if (job->transfer) RemoveTransfer(job->transfer);
  if (!job->responded) Respond(job, Response::NetworkError(error));
  else if (job->body) job->body->Error(error);
  Finish(job);
}

void Fetcher::Core::Abort(const std::shared_ptr<Job>& job, const FetchError& reason) {
  if (job->finished) return;
  Fail(job, reason);
}

void Fetcher::Core::RemoveTransfer(const std::shared_ptr<Transfer>& t) {
  if (!t->easy) return;
  curl_->multi_remove_handle(multi_, t->easy);
  curl_->easy_cleanup(t->easy);
  transfers_.erase(t->easy);
  t->easy = nullptr;
  if (t->job->transfer == t) t->job->transfer = nullptr;
}

// ---------------------------------------------------------------- main fetch

void Fetcher::Core::MainFetch(const std::shared_ptr<Job>& job) {
  Request& req = job->request;
  const Url& url = job->current_url();
  const std::string& scheme = url.scheme();

  // Response tainting (main fetch step 12). Without a requester origin we act
  // as a client with no origin: everything is "basic", no CORS.
  if (!req.origin) {
    job->tainting = Tainting::kBasic;
  } else if (scheme == "data" ||
             (req.origin->SameOrigin(url.origin()) && job->tainting == Tainting::kBasic)) {
    job->tainting = Tainting::kBasic;
  } else if (scheme == "file" && req.origin->opaque()) {
    job->tainting = Tainting::kBasic;  // a file-origin client may read files
  } else if (req.mode == RequestMode::kSameOrigin) {
    return Fail(job, FetchError::Type("Request mode is 'same-origin' but the URL's origin is not "
                                      "same as the request origin " + req.origin->Serialize() + "."));
  } else if (req.mode == RequestMode::kNoCors) {
    if (req.redirect != RedirectMode::kFollow)
      return Fail(job, FetchError::Type("Redirect mode must be 'follow' in no-cors mode"));
    job->tainting = Tainting::kOpaque;
  } else {
    if (scheme != "http" && scheme != "https")
      return Fail(job, FetchError::Type("Cross origin requests are only supported for HTTP(S); "
                                        "URL scheme '" + scheme + "' is not."));
    job->tainting = Tainting::kCors;
    // No preflight support: only what the standard lets through without one.
    bool simple_method = req.method == "GET" || req.method == "HEAD" || req.method == "POST";
    if (!simple_method || req.headers.size() > 0)
      return Fail(job, FetchError::Type("CORS preflight requests are not supported (method '" +
                                        req.method + "' or request headers)"));
  }

  if (scheme == "data") {
    if (req.method != "GET")
      return Fail(job, FetchError::Type("data: URLs only support GET"));
    auto data = ProcessDataUrl(url);
    if (!data.ok()) return Fail(job, data.error());
    Headers headers;
    headers.AppendUnchecked("Content-Type", data.value().mime_type);
    Response::Parts parts;
    parts.type = ResponseType::kBasic;
    parts.url_list = job->url_list;
    parts.status = 200;
    parts.status_text = "OK";
    parts.headers = std::move(headers);
    parts.body = BodyStream::FromBytes(std::move(data.value().body));
    Respond(job, Response::FromParts(std::move(parts)));
    return Finish(job);
  }
  if (scheme == "file") {
    if (req.method != "GET" && req.method != "HEAD")
      return Fail(job, FetchError::Type("file: URLs only support GET and HEAD"));
    return StartFile(job);
  }
  if (scheme != "http" && scheme != "https")
    return Fail(job, FetchError::Type("URL scheme '" + scheme + "' is not supported."));
  StartCurl(job);
}

bool Fetcher::Core::EnsureCurl(std::string* error) {
  if (multi_) return true;
  const CurlLibrary* curl = LoadCurl(error);
  if (!curl) return false;
  CURLM* multi = curl->multi_init();
  if (!multi) {
    *error = "curl_multi_init failed";
    return false;
  }
  curl->multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS, kMaxConnectionsPerHost);
  curl->multi_setopt(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, kMaxTotalConnections);
  curl->multi_setopt(multi, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
  std::lock_guard<std::mutex> lock(mutex_);
  curl_ = curl;
  multi_ = multi;  // from now on Post() wakes curl_multi_poll
  return true;
}

void Fetcher::Core::StartCurl(const std::shared_ptr<Job>& job) {
  Request& req = job->request;
  const Url& url = job->current_url();
  if (std::string error; !EnsureCurl(&error)) {
    return Fail(job, FetchError::Type("Failed to fetch " + url.href() + ": " + error));
  }
  auto t = std::make_shared<Transfer>();
  t->job = job;
  t->core = this;
  t->curl = curl_;
  CURL* e = curl_->easy_init();
  t->easy = e;
  curl_->easy_setopt(e, CURLOPT_URL, url.WithoutFragment().c_str());
  curl_->easy_setopt(e, CURLOPT_PRIVATE, t.get());
  curl_->easy_setopt(e, CURLOPT_ERRORBUFFER, t->errbuf);
  curl_->easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  curl_->easy_setopt(e, CURLOPT_BUFFERSIZE, static_cast<long>(kCurlReceiveBufferBytes));
  curl_->easy_setopt(e, CURLOPT_WRITEFUNCTION, &Core::WriteCallback);
  curl_->easy_setopt(e, CURLOPT_WRITEDATA, t.get());
  curl_->easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");

  {
    curl_->easy_setopt(e, CURLOPT_HEADERFUNCTION, &Core::HeaderCallback);
    curl_->easy_setopt(e, CURLOPT_HEADERDATA, t.get());
    // Decoded here, not by curl, so decoding follows backpressure.
    curl_->easy_setopt(e, CURLOPT_ACCEPT_ENCODING, kAcceptEncoding);
    curl_->easy_setopt(e, CURLOPT_HTTP_CONTENT_DECODING, 0L);
    curl_->easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);   // redirects are ours
    curl_->easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, options_.connect_timeout_ms);
    long idle_s = std::max(1L, (options_.idle_timeout_ms + 999) / 1000);
    curl_->easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_->easy_setopt(e, CURLOPT_LOW_SPEED_TIME, idle_s);
    curl_->easy_setopt(e, CURLOPT_USERAGENT, options_.user_agent.c_str());
    long version = CURL_HTTP_VERSION_2TLS;
    if (options_.http_version == HttpVersion::kHttp1Only) version = CURL_HTTP_VERSION_1_1;
    if (options_.http_version == HttpVersion::kHttp2PriorKnowledge)
      version = CURL_HTTP_VERSION_2_PRIOR_KNOWLEDGE;
    curl_->easy_setopt(e, CURLOPT_HTTP_VERSION, version);
    if (!options_.extra_ca_file.empty()) {
      curl_->easy_setopt(e, CURLOPT_SSL_CTX_FUNCTION, &Core::SslContextCallback);
      curl_->easy_setopt(e, CURLOPT_SSL_CTX_DATA, this);
    }
    if (req.method == "HEAD") {
      curl_->easy_setopt(e, CURLOPT_NOBODY, 1L);
    } else if (req.method != "GET") {
      curl_->easy_setopt(e, CURLOPT_CUSTOMREQUEST, req.method.c_str());
    }
    if (req.body) {
      curl_->easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(req.body->size()));
      curl_->easy_setopt(e, CURLOPT_COPYPOSTFIELDS, reinterpret_cast<const char*>(req.body->data()));
      if (req.method != "POST") curl_->easy_setopt(e, CURLOPT_CUSTOMREQUEST, req.method.c_str());
    }
    bool send_origin = job->tainting == Tainting::kCors ||
                       (req.origin && req.method != "GET" && req.method != "HEAD");
    if (send_origin) {
      std::string line = "Origin: " + job->SerializedOrigin();
      t->header_list = curl_->slist_append(t->header_list, line.c_str());
    }
    for (const auto& [n, v] : req.headers.entries()) {
      std::string line = v.empty() ? n + ";" : n + ": " + v;  // "Name;" sends an empty value
      t->header_list = curl_->slist_append(t->header_list, line.c_str());
    }
    if (req.body && !req.headers.Has("Content-Type"))
      t->header_list = curl_->slist_append(t->header_list, "Content-Type: text/plain;charset=UTF-8");
    if (t->header_list) curl_->easy_setopt(e, CURLOPT_HTTPHEADER, t->header_list);
  }
  transfers_[e] = t;
  job->transfer = t;
  curl_->multi_add_handle(multi_, e);
}

// file: URLs. Headers come from stat(): 200 with Content-Length and a
// Content-Type by extension. The bytes are read on the network thread, a
// bounded slice per turn, paused by backpressure like a network body.
void Fetcher::Core::StartFile(const std::shared_ptr<Job>& job) {
  const Url& url = job->current_url();
  std::string path = PercentDecodePath(url.path());
  auto fail = [&](const std::string& why) {
    Fail(job, FetchError::Type("Failed to fetch " + url.href() + ": " + why));
  };
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return fail(std::strerror(errno));
  if (!S_ISREG(st.st_mode)) return fail("not a regular file");
  if (static_cast<uint64_t>(st.st_size) > options_.max_body_bytes)
    return Fail(job, FetchError::Type("Response body exceeds the maximum size of " +
                                      std::to_string(options_.max_body_bytes) + " bytes"));
  Response::Parts parts;
  parts.type = ResponseType::kBasic;
  parts.url_list = job->url_list;
  parts.status = 200;
  parts.status_text = "OK";
  parts.headers.AppendUnchecked("Content-Length", std::to_string(st.st_size));
  parts.headers.AppendUnchecked("Content-Type", ContentTypeForPath(path));
  if (job->request.method == "HEAD") {
    Respond(job, Response::FromParts(std::move(parts)));
    return Finish(job);
  }
  job->file = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (job->file < 0) return fail(std::strerror(errno));
  ::posix_fadvise(job->file, 0, 0, POSIX_FADV_SEQUENTIAL);  // a hint: larger read-ahead
  OpenBody(job, std::move(parts));
  ReadFile(job);
}

// Each chunk is read(2) straight into a pool buffer, handed to the body
// without a copy. A file that changes while it is read is read as it is then:
// one that shrank ends early, one that grew past the body limit errors.
// Not mmap: chunks that point into a mapping save the kernel's copy (about
// half the system time of this path, docs/fetch.md), but a file truncated
// while mapped turns the reader's next access into SIGBUS, a crash.
void Fetcher::Core::ReadFile(const std::shared_ptr<Job>& job) {
  constexpr int kChunksPerTurn = 16;  // then yield to other transfers
  const size_t room = chunk_pool_->buffer_bytes();
  for (int i = 0; i < kChunksPerTurn; ++i) {
    if (shutting_down_ || job->finished || job->file < 0 || !job->body || job->body->cancelled())
      return;
    if (!job->body->WantsMore()) return;  // OnResume() calls us again
    ChunkPool::Buffer buffer = chunk_pool_->Take();
    size_t n = 0;
    while (n < room) {
      ssize_t got = ::read(job->file, buffer.get() + n, room - n);
      if (got < 0 && errno == EINTR) continue;
      if (got < 0) {
        return Fail(job, FetchError::Type("Error reading " + job->current_url().href() + ": " +
                                          std::strerror(errno)));
      }
      if (got == 0) break;  // end of file
      n += static_cast<size_t>(got);
    }
    if (n > options_.max_body_bytes - job->file_bytes) {
      return Fail(job, FetchError::Type("Response body exceeds the maximum size of " +
                                        std::to_string(options_.max_body_bytes) + " bytes"));
    }
    job->file_bytes += n;
    if (n > 0) job->body->Push(chunk_pool_->Share(std::move(buffer), n));
    else chunk_pool_->Give(std::move(buffer));
    if (n < room) {
      job->body->Close();
      return Finish(job);
    }
  }
  std::weak_ptr<Job> weak_job = job;
  Post([this, weak_job] {
    if (auto j = weak_job.lock()) ReadFile(j);
  });
}

// The body's reader drained the buffer: continue the producer.
void Fetcher::Core::OnResume(const std::shared_ptr<Job>& job) {
  if (job->finished) return;
  if (job->file >= 0) return ReadFile(job);
  if (job->decoder) {
    // Decoded output first: the transfer stays paused while it fills the stream.
    std::optional<FetchError> failure;
    switch (PumpDecoded(*job, &failure)) {
      case Pump::kError: return Fail(job, *failure);
      case Pump::kFull: return;  // the next resume continues
      case Pump::kNeedInput:
        if (!job->transfer) return FinishDecoded(job);  // the network part ended earlier
        break;
    }
  }
  if (job->transfer && job->transfer->easy) {
    job->transfer->paused = false;
    curl_->easy_pause(job->transfer->easy, CURLPAUSE_CONT);
  }
}

CURLcode Fetcher::Core::SslContextCallback(CURL*, void* ssl_ctx, void* user) {
  // Adds the extra CA file to the store curl already filled from the system.
  auto* core = static_cast<Core*>(user);
  X509_STORE* store = SSL_CTX_get_cert_store(static_cast<SSL_CTX*>(ssl_ctx));
  if (X509_STORE_load_file(store, core->options_.extra_ca_file.c_str()) != 1)
    return CURLE_SSL_CACERT_BADFILE;
  return CURLE_OK;
}

// ---------------------------------------------------------------- callbacks

size_t Fetcher::Core::HeaderCallback(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  return static_cast<Core*>(t->core)->OnHeaderLine(t, std::string_view(data, size * n));
}

size_t Fetcher::Core::WriteCallback(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  return static_cast<Core*>(t->core)->OnBody(t, data, size * n);
}

size_t Fetcher::Core::OnHeaderLine(Transfer* t, std::string_view line) {
  const size_t len = line.size();
  if (t->phase != Phase::kHeaders) return len;  // trailers
  t->header_bytes += len;
  if (t->header_bytes > kMaxResponseHeaderBytes) {
    t->failure = FetchError::Type("Response headers exceed " +
                                  std::to_string(kMaxResponseHeaderBytes) + " bytes");
    return 0;
  }
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  if (line.rfind("HTTP/", 0) == 0) {
    // A status line starts a new response (after 1xx, a new head follows).
    t->headers = Headers();
    size_t sp = line.find(' ');
    if (sp == std::string_view::npos) return len;
    std::string_view rest = line.substr(sp + 1);
    t->status = 0;
    for (size_t i = 0; i < rest.size() && i < 3 && std::isdigit(static_cast<unsigned char>(rest[i])); ++i)
      t->status = t->status * 10 + (rest[i] - '0');
    t->status_text = rest.size() > 4 ? std::string(rest.substr(4)) : "";
    return len;
  }
  if (line.empty()) {
    if (t->status >= 100 && t->status < 200) return len;  // interim response: wait for the next
    return OnHeadersComplete(t) ? len : 0;
  }
  size_t colon = line.find(':');
  if (colon == std::string_view::npos) return len;  // obs-fold or garbage: dropped
  std::string_view name = line.substr(0, colon);
  std::string_view value = Headers::Normalize(line.substr(colon + 1));
  if (Headers::IsValidName(name) && Headers::IsValidValue(value))
    t->headers.AppendUnchecked(std::string(name), std::string(value));
  return len;
}

// The final response's head is complete. Returns false to stop the transfer.
bool Fetcher::Core::OnHeadersComplete(Transfer* t) {
  auto job = t->job;
  Request& req = job->request;
  const Url& current = job->current_url();

  // HTTP fetch: a cors-tainted response (redirects included) must pass the CORS check.
  if (job->tainting == Tainting::kCors) {
    if (FetchStatus cors = CorsCheck(t->headers, job->SerializedOrigin(), req.credentials);
        !cors.ok()) {
      t->failure = FetchError::Type("Access to " + current.href() + " from origin '" +
                                    job->SerializedOrigin() + "' has been blocked by CORS policy: " +
                                    cors.error().message);
      return false;
    }
  }

  auto location = t->headers.Get("Location");
  if (IsRedirectStatus(t->status) && location) {
    auto target = Url::Parse(*location, &current);
    if (!target.ok()) {
      t->failure = FetchError::Type("Redirect to an invalid URL: " + *location);
      return false;
    }
    if (req.redirect == RedirectMode::kError) {
      t->failure = FetchError::Type("Redirect from " + current.href() + " was not allowed (redirect mode 'error')");
      return false;
    }
    if (req.redirect == RedirectMode::kManual) {
      Response::Parts parts;
      parts.type = ResponseType::kOpaqueRedirect;
      parts.url_list = job->url_list;
      t->phase = Phase::kDiscard;
      Respond(job, Response::FromParts(std::move(parts)));
      return false;
    }
    // HTTP-redirect fetch.
    Url next = target.value();
    if (next.scheme() != "http" && next.scheme() != "https") {
      t->failure = FetchError::Type("Redirect to a non-HTTP(S) URL: " + next.href());
      return false;
    }
    if (job->redirect_count == kSpecMaxRedirects) {
      t->failure = FetchError::Type("Too many redirects (more than " +
                                    std::to_string(kSpecMaxRedirects) + ")");
      return false;
    }
    if (job->tainting == Tainting::kCors && next.has_credentials()) {
      t->failure = FetchError::Type("Redirect to a URL with credentials in CORS mode");
      return false;
    }
    job->redirect_count++;
    if ((t->status == 303 && req.method != "GET" && req.method != "HEAD") ||
        ((t->status == 301 || t->status == 302) && req.method == "POST")) {
      req.method = "GET";
      req.body.reset();
      for (const char* h : {"Content-Encoding", "Content-Language", "Content-Location", "Content-Type"})
        (void)req.headers.Delete(h);
    }
    if (req.origin && !current.origin().SameOrigin(next.origin()) &&
        !req.origin->SameOrigin(current.origin()))
      job->tainted_origin = true;
    t->redirect_to = std::move(next);
    t->phase = Phase::kRedirect;
    return false;  // end this hop now; OnDone starts the next
  }

  Response::Parts parts;
  parts.url_list = job->url_list;
  parts.status = t->status;
  parts.status_text = t->status_text;
  switch (job->tainting) {
    case Tainting::kBasic:
      parts.type = ResponseType::kBasic;
      parts.headers = BasicFilteredHeaders(t->headers);
      break;
    case Tainting::kCors:
      parts.type = ResponseType::kCors;
      parts.headers = CorsFilteredHeaders(t->headers, req.credentials);
      break;
    case Tainting::kOpaque: {
      Response::Parts opaque;
      opaque.type = ResponseType::kOpaque;
      t->phase = Phase::kDiscard;
      Respond(job, Response::FromParts(std::move(opaque)));
      return false;
    }
  }
  if (req.method == "HEAD" || IsNullBodyStatus(t->status)) {
    t->phase = Phase::kDiscard;
    Respond(job, Response::FromParts(std::move(parts)));
    return false;  // nothing more to read; OnDone finishes the job
  }
  OpenBody(job, std::move(parts));
  return true;
}

// Creates the body stream, hooks backpressure and cancel, responds.
void Fetcher::Core::OpenBody(const std::shared_ptr<Job>& job, Response::Parts parts) {
  auto body = BodyStream::Create(options_.body_buffer_bytes);
  std::weak_ptr<Core> weak_core = shared_from_this();
  std::weak_ptr<Job> weak_job = job;
  body->SetProducerHooks(
      [weak_core, weak_job] {  // resume: unpause on the network thread
        auto core = weak_core.lock();
        if (!core) return;
        core->Post([c = core.get(), weak_job] {
          if (auto j = weak_job.lock()) c->OnResume(j);
        });
      },
      [weak_core, weak_job] {  // cancel: end the transfer
        auto core = weak_core.lock();
        if (!core) return;
        core->Post([c = core.get(), weak_job] {
          auto j = weak_job.lock();
          if (!j || j->finished) return;
          if (j->transfer) c->RemoveTransfer(j->transfer);
          c->Finish(j);
        });
      });
  parts.body = body;
  auto decoder = ContentDecoder::Create(parts.headers.Get("Content-Encoding").value_or(""));
  if (decoder.ok()) {
    job->decoder = std::move(decoder).value();
  } else {
    FetchError e = FetchError::Type("Error reading the body of " + job->current_url().href() +
                                    ": " + decoder.error().message);
    if (job->transfer) {
      job->transfer->failure = e;  // the first body bytes end the transfer
    } else {
      body->Error(e);
    }
  }
  if (job->transfer) job->transfer->phase = Phase::kBody;
  Respond(job, Response::FromParts(std::move(parts)));
}

size_t Fetcher::Core::OnBody(Transfer* t, const char* data, size_t n) {
  if (t->phase != Phase::kBody) return t->phase == Phase::kDiscard ? n : 0;
  if (t->failure) return 0;
  auto& body = t->job->body;
  if (!body || body->cancelled()) return 0;
  if (t->paused) return CURL_WRITEFUNC_PAUSE;  // curl keeps {data} and offers it again
  if (Job& job = *t->job; job.decoder) {
    job.decoder->Feed(reinterpret_cast<const uint8_t*>(data), n);
    Pump p = PumpDecoded(job, &t->failure);
    if (p == Pump::kError) return 0;
    if (p == Pump::kFull) t->paused = true;  // the undecoded rest waits in the decoder
    return n;
  }
  if (n > options_.max_body_bytes - t->body_bytes) {
    t->failure = FetchError::Type("Response body exceeds the maximum size of " +
                                  std::to_string(options_.max_body_bytes) + " bytes");
    return 0;
  }
  const size_t room = chunk_pool_->buffer_bytes();
  if (t->pending_size + n > room) {
    PushPending(t);
    if (t->paused) return CURL_WRITEFUNC_PAUSE;  // the body is full: curl keeps {data}
  }
  t->body_bytes += n;
  if (n > room) {
    // libcurl documents writes of at most CURL_MAX_WRITE_SIZE (16 KiB); were
    // one bigger than a buffer, it would go as a chunk of its own.
    const auto* bytes = reinterpret_cast<const uint8_t*>(data);
    if (!body->Push(Bytes(bytes, bytes + n))) t->paused = true;
    return n;
  }
  if (t->pending_size == 0) {
    if (!t->pending) t->pending = chunk_pool_->Take();
    with_pending_.push_back(transfers_.at(t->easy));
  }
  std::memcpy(t->pending.get() + t->pending_size, data, n);
  t->pending_size += n;
  return n;
}

void Fetcher::Core::PushPending(Transfer* t) {
  if (t->pending_size == 0) return;
  BodyChunk chunk = chunk_pool_->Share(std::move(t->pending), t->pending_size);
  t->pending_size = 0;
  auto& body = t->job->body;
  if (body && !body->Push(std::move(chunk))) t->paused = true;
}

void Fetcher::Core::PushAllPending() {
  // Push() may run a reader's callback, which may start a fetch (on this
  // thread, through Post): walk a copy.
  std::vector<std::shared_ptr<Transfer>> transfers;
  transfers.swap(with_pending_);
  for (auto& t : transfers) {
    if (t->easy) PushPending(t.get());  // a removed transfer's bytes go with it
  }
}

void Fetcher::Core::OnDone(CURL* easy, CURLcode code) {
  auto it = transfers_.find(easy);
  if (it == transfers_.end()) return;
  std::shared_ptr<Transfer> t = it->second;
  auto job = t->job;
  RemoveTransfer(t);
  if (job->finished) return;
  if (t->phase == Phase::kRedirect) {
    job->url_list.push_back(*t->redirect_to);
    return MainFetch(job);
  }
  if (t->phase == Phase::kDiscard) {
    return Finish(job);
  }
  if (t->failure) return Fail(job, *t->failure);
  if (code != CURLE_OK) {
    std::string why = t->errbuf[0] ? t->errbuf : curl_->easy_strerror(code);
    std::string what = job->responded ? "Error reading the body of " : "Failed to fetch ";
    return Fail(job, FetchError::Type(what + job->current_url().href() + ": " + why));
  }
  if (!job->responded) {
    // HTTP/0.9 or a head curl never reported: treat as a network error.
    return Fail(job, FetchError::Type("Failed to fetch " + job->current_url().href() +
                                      ": no response head"));
  }
  if (job->decoder) {
    std::optional<FetchError> failure;
    switch (PumpDecoded(*job, &failure)) {
      case Pump::kError: return Fail(job, *failure);
      case Pump::kFull: return;  // OnResume decodes the rest, then finishes
      case Pump::kNeedInput: return FinishDecoded(job);
    }
  }
  if (job->body) job->body->Close();
  Finish(job);
}

Fetcher::Core::Pump Fetcher::Core::PumpDecoded(Job& job, std::optional<FetchError>* failure) {
  for (;;) {
    Bytes out;
    if (FetchStatus drained = job.decoder->Drain(kDecodedChunkBytes, &out); !drained.ok()) {
      *failure = FetchError::Type("Error reading the body of " + job.current_url().href() + ": " +
                                  drained.error().message);
      return Pump::kError;
    }
    if (out.empty()) return Pump::kNeedInput;
    if (out.size() > options_.max_body_bytes - job.decoded_bytes) {
      *failure = FetchError::Type("Response body exceeds the maximum size of " +
                                  std::to_string(options_.max_body_bytes) + " bytes");
      return Pump::kError;
    }
    job.decoded_bytes += out.size();
    if (!job.body->Push(std::move(out))) return Pump::kFull;
  }
}

// The transfer ended and the decoder has nothing left to give.
void Fetcher::Core::FinishDecoded(const std::shared_ptr<Job>& job) {
  if (FetchStatus finished = job->decoder->Finish(); !finished.ok()) {
    return Fail(job, FetchError::Type("Error reading the body of " + job->current_url().href() +
                                      ": " + finished.error().message));
  }
  job->body->Close();
  Finish(job);
}

// ---------------------------------------------------------------- Fetcher

Fetcher::Fetcher(FetcherOptions options) : core_(std::make_shared<Core>(std::move(options))) {
  core_->Start();
}

Fetcher::~Fetcher() { core_->Stop(); }

void Fetcher::Fetch(Request request, ResponseCallback callback) {
  auto job = std::make_shared<Job>(std::move(request));
  job->callback = std::move(callback);
  core_->Post([core = core_.get(), job] { core->StartJob(job); });
}

Response Fetcher::FetchBlocking(Request request) {
  std::promise<Response> promise;
  auto future = promise.get_future();
  Fetch(std::move(request), [&promise](Response r) { promise.set_value(std::move(r)); });
  return future.get();
}

size_t Fetcher::active_transfers() const { return core_->active(); }
const FetcherOptions& Fetcher::options() const { return core_->options(); }

}  // namespace wasmstream::fetch
