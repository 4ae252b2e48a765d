#include "query_service/store/paging.h"

#include <cstring>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/errors.h"
#include "common/hashing.h"

namespace newsevents::query {
namespace {

constexpr char kTokenVersion = 1;
constexpr size_t kFingerprintSize = 16;
constexpr size_t kChecksumSize = 8;
// Salts the checksum so that it is not simply the hash of the visible bytes.
constexpr absl::string_view kChecksumSalt = "newsevents.page_token.v1";

std::string Checksum(absl::string_view payload) {
  return ContentId(absl::StrCat(kChecksumSalt, payload))
      .substr(0, kChecksumSize);
}

absl::Status BadToken(absl::string_view why) {
  return InvalidFieldError("page_token", why);
}

}  // namespace

absl::StatusOr<int> ResolvePageSize(int32_t requested, int default_size,
                                    int max_size) {
  if (requested < 0)
    return InvalidFieldError("page_size", "must not be negative");
  if (requested == 0) return default_size;
  return requested > max_size ? max_size : requested;
}

absl::StatusOr<std::vector<OrderField>> ParseOrderBy(
    absl::string_view order_by, absl::Span<const absl::string_view> allowed,
    absl::string_view default_order) {
  if (absl::StripAsciiWhitespace(order_by).empty()) order_by = default_order;
  std::vector<OrderField> fields;
  for (absl::string_view part : absl::StrSplit(order_by, ',')) {
    std::vector<absl::string_view> words = absl::StrSplit(
        absl::StripAsciiWhitespace(part), ' ', absl::SkipEmpty());
    if (words.empty() || words.size() > 2 ||
        (words.size() == 2 && words[1] != "desc" && words[1] != "asc")) {
      return InvalidFieldError(
          "order_by", absl::StrCat("cannot parse \"", part,
                                   "\"; expected \"field\" or \"field desc\""));
    }
    bool known = false;
    for (absl::string_view name : allowed) known |= name == words[0];
    if (!known) {
      return InvalidFieldError(
          "order_by", absl::StrCat("cannot sort by \"", words[0], "\" (one of ",
                                   absl::StrJoin(allowed, ", "), ")"));
    }
    fields.push_back(OrderField{std::string(words[0]),
                                words.size() == 2 && words[1] == "desc"});
  }
  if (fields.size() + 1 > SortKey::kMaxValues) {
    return InvalidFieldError("order_by", "too many sort fields");
  }
  return fields;
}

bool operator<(const SortKey& a, const SortKey& b) {
  for (int i = 0; i < a.size && i < b.size; ++i) {
    if (a.values[i] != b.values[i]) return a.values[i] < b.values[i];
  }
  if (a.size != b.size) return a.size < b.size;
  return a.tiebreak < b.tiebreak;
}

std::string RequestFingerprint(absl::Span<const absl::string_view> parts) {
  std::string joined;
  for (absl::string_view part : parts)
    absl::StrAppend(&joined, part.size(), ":", part, ";");
  return ContentId(joined).substr(0, kFingerprintSize);
}

std::string EncodePageToken(absl::string_view fingerprint,
                            const SortKey& last) {
  std::string payload;
  payload.push_back(kTokenVersion);
  payload.append(fingerprint.data(), fingerprint.size());
  payload.push_back(static_cast<char>(last.size));
  for (int i = 0; i < last.size; ++i) {
    char bytes[sizeof(double)];
    std::memcpy(bytes, &last.values[i], sizeof(double));
    payload.append(bytes, sizeof(double));
  }
  payload += last.tiebreak;
  return absl::WebSafeBase64Escape(absl::StrCat(payload, Checksum(payload)));
}

absl::StatusOr<std::optional<SortKey>> DecodePageToken(
    absl::string_view token, absl::string_view fingerprint) {
  if (token.empty()) return std::optional<SortKey>();
  std::string raw;
  if (!absl::WebSafeBase64Unescape(token, &raw) ||
      raw.size() < 2 + kFingerprintSize + kChecksumSize) {
    return BadToken("is not a token issued by this service");
  }
  absl::string_view payload =
      absl::string_view(raw).substr(0, raw.size() - kChecksumSize);
  if (Checksum(payload) != absl::string_view(raw).substr(payload.size()) ||
      payload[0] != kTokenVersion) {
    return BadToken(
        "is corrupt or was issued by another version of this service");
  }
  if (payload.substr(1, kFingerprintSize) != fingerprint) {
    return BadToken(
        "was issued for a different filter or order_by; start again without "
        "it");
  }
  payload.remove_prefix(1 + kFingerprintSize);
  SortKey key;
  key.size = static_cast<unsigned char>(payload[0]);
  payload.remove_prefix(1);
  if (key.size > SortKey::kMaxValues ||
      payload.size() < key.size * sizeof(double)) {
    return BadToken("is corrupt");
  }
  for (int i = 0; i < key.size; ++i) {
    std::memcpy(&key.values[i], payload.data(), sizeof(double));
    payload.remove_prefix(sizeof(double));
  }
  key.tiebreak = std::string(payload);
  return std::optional<SortKey>(std::move(key));
}

}  // namespace newsevents::query
