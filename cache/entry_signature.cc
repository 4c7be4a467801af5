#include "cache/entry_signature.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

namespace wasmstream::cache {
namespace {

constexpr char kDomain[] = "wasmstream cache entry v1";

void PutU64(std::vector<uint8_t>& out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

}  // namespace

std::optional<std::vector<uint8_t>> LoadSigningKey(const std::string& path, std::string* error) {
  auto fail = [&](const std::string& why) -> std::optional<std::vector<uint8_t>> {
    *error = "signing key " + path + ": " + why;
    return std::nullopt;
  };
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
  if (fd < 0) return fail(std::strerror(errno));
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    int e = errno;
    ::close(fd);
    return fail(std::strerror(e));
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return fail("not a regular file");
  }
  if (st.st_mode & 077) {
    ::close(fd);
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    return fail(std::string("mode ") + mode +
                " lets group or others read or write it; chmod 600 it");
  }
  if (st.st_size < static_cast<off_t>(kMinSigningKeyBytes) ||
      st.st_size > static_cast<off_t>(kMaxSigningKeyBytes)) {
    ::close(fd);
    return fail("must hold " + std::to_string(kMinSigningKeyBytes) + " to " +
                std::to_string(kMaxSigningKeyBytes) + " bytes, holds " +
                std::to_string(st.st_size));
  }
  std::vector<uint8_t> key(static_cast<size_t>(st.st_size));
  size_t got = 0;
  while (got < key.size()) {
    ssize_t n = ::read(fd, key.data() + got, key.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      int e = n < 0 ? errno : 0;
      ::close(fd);
      return fail(e ? std::strerror(e) : "shorter than its size");
    }
    got += static_cast<size_t>(n);
  }
  ::close(fd);
  return key;
}

Signature SignEntry(std::span<const uint8_t> signing_key, const CacheKey& key,
                    std::string_view fingerprint, const ContentDigest& content,
                    std::span<const uint8_t> payload) {
  std::vector<uint8_t> head(kDomain, kDomain + sizeof kDomain);  // with its NUL
  head.insert(head.end(), key.bytes.begin(), key.bytes.end());
  PutU64(head, fingerprint.size());
  head.insert(head.end(), fingerprint.begin(), fingerprint.end());
  PutU64(head, content.size);
  head.insert(head.end(), content.sha256.begin(), content.sha256.end());
  PutU64(head, payload.size());

  Signature mac{};
  size_t len = 0;
  char digest[] = "SHA256";
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
      OSSL_PARAM_construct_end(),
  };
  EVP_MAC* hmac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  EVP_MAC_CTX* ctx = hmac ? EVP_MAC_CTX_new(hmac) : nullptr;
  bool ok = ctx && EVP_MAC_init(ctx, signing_key.data(), signing_key.size(), params) == 1 &&
            EVP_MAC_update(ctx, head.data(), head.size()) == 1 &&
            EVP_MAC_update(ctx, payload.data(), payload.size()) == 1 &&
            EVP_MAC_final(ctx, mac.data(), &len, mac.size()) == 1 && len == mac.size();
  EVP_MAC_CTX_free(ctx);
  EVP_MAC_free(hmac);
  if (!ok) mac.fill(0);  // never matches a real MAC: VerifyEntry refuses all-zero
  return mac;
}

bool VerifyEntry(std::span<const uint8_t> signing_key, const CacheKey& key,
                 std::string_view fingerprint, const ContentDigest& content,
                 std::span<const uint8_t> payload, std::span<const uint8_t> signature) {
  if (signature.size() != kSignatureBytes) return false;
  Signature mac = SignEntry(signing_key, key, fingerprint, content, payload);
  if (mac == Signature{}) return false;
  return CRYPTO_memcmp(mac.data(), signature.data(), mac.size()) == 0;
}

}  // namespace wasmstream::cache
