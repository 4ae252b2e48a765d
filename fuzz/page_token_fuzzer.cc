// libFuzzer target: page tokens. The first byte picks how the rest is used:
//  0: as a token string, decoded directly;
//  1: as the key part of a token with a valid checksum (the checksum's salt
//     is in the source, so anyone can forge one): decoded, and re-encoding
//     what was decoded must give a token that decodes to the same key;
//  2: the same forged key, bound to a real ListEvents / ListArticles /
//     ListClaims request and sent through the QueryHandler of a filled store,
//     whose pages must stay within the page size.
// Failures other than INVALID_ARGUMENT "page_token" abort.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/hashing.h"
#include "fuzz/fuzz_support.h"
#include "query_service/store/paging.h"
#include "query_service/store/query_handler.h"

namespace {

namespace q = newsevents::query;
namespace v1 = newsevents::v1;

constexpr absl::string_view kFingerprint = "0123456789abcdef";
// The token layout of paging.cc: version, fingerprint, key, checksum.
constexpr size_t kPrefixSize = 1 + 16;
constexpr absl::string_view kChecksumSalt = "newsevents.page_token.v1";

void Check(const absl::Status& status) {
  if (status.ok() || status.code() == absl::StatusCode::kInvalidArgument) {
    return;
  }
  std::fprintf(stderr, "unexpected error: %s\n", status.ToString().c_str());
  std::abort();
}

std::string Forge(absl::string_view prefix, absl::string_view key) {
  std::string payload = absl::StrCat(prefix, key);
  std::string checksum =
      newsevents::ContentId(absl::StrCat(kChecksumSalt, payload)).substr(0, 8);
  return absl::WebSafeBase64Escape(absl::StrCat(payload, checksum));
}

bool SameKey(const q::SortKey& a, const q::SortKey& b) {
  return a.size == b.size && a.tiebreak == b.tiebreak &&
         std::memcmp(a.values.data(), b.values.data(),
                     sizeof(double) * a.size) == 0;
}

void DecodeAndRoundTrip(absl::string_view token) {
  auto key = q::DecodePageToken(token, kFingerprint);
  Check(key.status());
  if (!key.ok() || !key->has_value()) return;
  auto again =
      q::DecodePageToken(q::EncodePageToken(kFingerprint, **key), kFingerprint);
  if (!again.ok() || !again->has_value() || !SameKey(**key, **again)) {
    std::abort();
  }
}

q::QueryHandler& Handler() {
  static q::QueryHandler* const handler =
      newsevents::fuzz::NewFilledQueryHandler().release();
  return *handler;
}

// The version and fingerprint of a real token of `request`'s listing.
template <typename Request, typename Method>
std::string TokenPrefix(Request request, Method method) {
  request.set_page_size(1);
  auto response = (Handler().*method)(request);
  std::string raw;
  if (!response.ok() || response->next_page_token().empty() ||
      !absl::WebSafeBase64Unescape(response->next_page_token(), &raw)) {
    std::abort();  // the seed store has more than one row of each kind
  }
  return raw.substr(0, kPrefixSize);
}

template <typename Request, typename Method>
void ListWithForgedKey(Request request, Method method, absl::string_view key) {
  request.set_page_token(Forge(TokenPrefix(request, method), key));
  request.set_page_size(3);
  auto response = (Handler().*method)(request);
  Check(response.status());
  if (response.ok() && response->ByteSizeLong() > (1 << 20)) std::abort();
}

void ListEvents(uint8_t variant, absl::string_view key) {
  v1::ListEventsRequest request;
  switch (variant % 3) {
    case 0:
      return ListWithForgedKey(request, &q::QueryHandler::ListEvents, key);
    case 1:
      request.set_order_by("date, confidence desc");
      return ListWithForgedKey(request, &q::QueryHandler::ListEvents, key);
    default:
      request.set_order_by("published_date desc, date, create_time");
      return ListWithForgedKey(request, &q::QueryHandler::ListEvents, key);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  const uint8_t mode = data[0];
  const uint8_t variant = data[1];
  const absl::string_view rest(reinterpret_cast<const char*>(data) + 2,
                               size - 2);
  switch (mode % 3) {
    case 0:
      DecodeAndRoundTrip(rest);
      break;
    case 1:
      DecodeAndRoundTrip(Forge(absl::StrCat("\x01", kFingerprint), rest));
      break;
    default:
      if (variant % 4 == 0) {
        ListWithForgedKey(v1::ListArticlesRequest(),
                          &q::QueryHandler::ListArticles, rest);
      } else if (variant % 4 == 1) {
        v1::ListClaimsRequest request;
        request.set_order_by("value, first_reported desc");
        ListWithForgedKey(request, &q::QueryHandler::ListClaims, rest);
      } else {
        ListEvents(variant / 4, rest);
      }
  }
  return 0;
}
