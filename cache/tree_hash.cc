#include "cache/tree_hash.h"

#include <algorithm>
#include <condition_variable>
#include <mutex>

#include <openssl/evp.h>

#include "cache/hash_pool.h"

namespace wasmstream::cache {
namespace {

void Sha256(std::span<const uint8_t> bytes, Sha256Digest* out) {
  unsigned int n = 0;
  EVP_Digest(bytes.data(), bytes.size(), out->data(), &n, EVP_sha256(), nullptr);
}

}  // namespace

struct TreeHash::Leaf {
  Sha256Digest digest{};
};

// Leaves handed to the pool and not yet hashed. Shared with the tasks, so
// the last one can signal after the hasher stopped waiting.
struct TreeHash::InFlight {
  std::mutex mutex;
  std::condition_variable cv;
  size_t count = 0;

  void Wait() {
    std::unique_lock<std::mutex> lock(mutex);
    cv.wait(lock, [&] { return count == 0; });
  }
};

struct TreeHash::Ctx {
  EVP_MD_CTX* md = EVP_MD_CTX_new();
  ~Ctx() { EVP_MD_CTX_free(md); }
  void Reset() { EVP_DigestInit_ex(md, EVP_sha256(), nullptr); }
  void Update(std::span<const uint8_t> b) { EVP_DigestUpdate(md, b.data(), b.size()); }
  // Finalizes a copy, so the context may go on.
  void Peek(Sha256Digest* out) const {
    EVP_MD_CTX* copy = EVP_MD_CTX_new();
    unsigned int n = 0;
    if (copy && EVP_MD_CTX_copy_ex(copy, md) == 1) EVP_DigestFinal_ex(copy, out->data(), &n);
    EVP_MD_CTX_free(copy);
  }
};

TreeHash::TreeHash() : in_flight_(std::make_shared<InFlight>()), ctx_(std::make_unique<Ctx>()) {}

TreeHash::~TreeHash() { in_flight_->Wait(); }

void TreeHash::StopBorrowing() {
  if (!borrowing_) return;
  borrowing_ = false;
  ctx_->Reset();
  ctx_->Update({open_start_, open_fill_});
}

void TreeHash::Update(std::span<const uint8_t> bytes, bool stable) {
  while (!bytes.empty()) {
    size_t take = std::min(bytes.size(), kLeafBytes - open_fill_);
    std::span<const uint8_t> piece = bytes.first(take);
    if (open_fill_ == 0) {
      open_start_ = piece.data();
      borrowing_ = stable;
      if (!borrowing_) ctx_->Reset();
    } else if (borrowing_ && (!stable || piece.data() != open_start_ + open_fill_)) {
      StopBorrowing();
    }
    if (!borrowing_) ctx_->Update(piece);
    open_fill_ += take;
    size_ += take;
    bytes = bytes.subspan(take);
    if (open_fill_ == kLeafBytes) CloseLeaf();
  }
}

void TreeHash::CloseLeaf() {
  leaves_.push_back(std::make_unique<Leaf>());
  Leaf* leaf = leaves_.back().get();
  if (borrowing_) {
    {
      std::lock_guard<std::mutex> lock(in_flight_->mutex);
      ++in_flight_->count;
    }
    PostHashTask([leaf, bytes = std::span<const uint8_t>(open_start_, open_fill_),
                  in_flight = in_flight_] {
      Sha256(bytes, &leaf->digest);
      std::lock_guard<std::mutex> lock(in_flight->mutex);
      if (--in_flight->count == 0) in_flight->cv.notify_all();
    });
  } else {
    unsigned int n = 0;  // the context is reset when the next leaf opens
    EVP_DigestFinal_ex(ctx_->md, leaf->digest.data(), &n);
  }
  open_fill_ = 0;
  borrowing_ = false;
}

Sha256Digest TreeHash::Digest() const {
  in_flight_->Wait();
  Ctx root;
  root.Reset();
  for (const auto& leaf : leaves_) root.Update(leaf->digest);
  if (open_fill_ > 0) {
    Sha256Digest open;
    if (borrowing_) {
      Sha256({open_start_, open_fill_}, &open);
    } else {
      ctx_->Peek(&open);
    }
    root.Update(open);
  }
  uint8_t size_le[8];
  for (int i = 0; i < 8; ++i) size_le[i] = static_cast<uint8_t>(size_ >> (8 * i));
  root.Update(size_le);
  Sha256Digest out;
  root.Peek(&out);
  return out;
}

Sha256Digest TreeHashOf(std::span<const uint8_t> bytes) {
  TreeHash h;
  h.Update(bytes, /*stable=*/true);
  return h.Digest();
}

}  // namespace wasmstream::cache
