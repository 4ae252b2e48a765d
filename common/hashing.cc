#include "common/hashing.h"

#include <openssl/evp.h>
#include <openssl/sha.h>

#include <memory>

namespace newsevents {

std::string ContentId(absl::string_view data) {
  // OpenSSL 3's one-shot SHA256() looks the algorithm up by name on every
  // call, and EVP_Digest allocates and frees a context each time, which
  // costs more than hashing a short event key: fetch the algorithm once and
  // keep a context per thread.
  static const EVP_MD* const kSha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  struct ContextDeleter {
    void operator()(EVP_MD_CTX* context) const { EVP_MD_CTX_free(context); }
  };
  thread_local const std::unique_ptr<EVP_MD_CTX, ContextDeleter> context(
      EVP_MD_CTX_new());
  unsigned char digest[SHA256_DIGEST_LENGTH];
  const bool hashed =
      kSha256 != nullptr && context != nullptr &&
      EVP_DigestInit_ex2(context.get(), kSha256, nullptr) == 1 &&
      EVP_DigestUpdate(context.get(), data.data(), data.size()) == 1 &&
      EVP_DigestFinal_ex(context.get(), digest, nullptr) == 1;
  if (!hashed) {
    SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(),
           digest);
  }
  static constexpr char kHex[] = "0123456789abcdef";
  // Written in place: push_back checks the capacity at every byte.
  std::string out(32, '\0');
  for (int i = 0; i < 16; ++i) {
    out[2 * i] = kHex[digest[i] >> 4];
    out[2 * i + 1] = kHex[digest[i] & 0xf];
  }
  return out;
}

}  // namespace newsevents
