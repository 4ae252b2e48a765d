#include "common/hashing.h"

#include <openssl/evp.h>
#include <openssl/sha.h>

namespace newsevents {

std::string ContentId(absl::string_view data) {
  // OpenSSL 3's one-shot SHA256() looks the algorithm up by name on every
  // call, which costs more than hashing a short event key; fetch it once.
  static const EVP_MD* const kSha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  unsigned char digest[SHA256_DIGEST_LENGTH];
  if (kSha256 == nullptr || EVP_Digest(data.data(), data.size(), digest,
                                       nullptr, kSha256, nullptr) != 1) {
    SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(),
           digest);
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(32);
  for (int i = 0; i < 16; ++i) {
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 0xf]);
  }
  return out;
}

}  // namespace newsevents
