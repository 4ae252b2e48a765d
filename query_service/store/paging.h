#ifndef NEWSEVENTS_QUERY_SERVICE_STORE_PAGING_H_
#define NEWSEVENTS_QUERY_SERVICE_STORE_PAGING_H_

// AIP-132/158 list plumbing: page sizes, order_by parsing, sort keys and
// opaque page tokens.
//
// Pagination is keyset-based: a page token holds the sort key of the last
// row returned, and the next page starts strictly after it. Because every
// key ends in a unique tiebreak (store sequence or id), rows stored after the
// first page was served never shift later pages.
//
// A token is web-safe base64 of (request fingerprint, key, checksum). The
// fingerprint is a hash of the parameters that must not change between pages
// (filter, order_by); the checksum makes edited tokens fail cleanly.
//
// Errors: INVALID_ARGUMENT via InvalidFieldError on "page_size", "order_by"
// or "page_token". Thread-safety: pure functions.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace newsevents::query {

// 0 -> `default_size`, above `max_size` -> `max_size`, negative -> error.
absl::StatusOr<int> ResolvePageSize(int32_t requested, int default_size,
                                    int max_size);

struct OrderField {
  std::string name;
  bool descending = false;
};

// Parses "field [asc|desc], ..." against `allowed` field names; empty
// `order_by` gives `default_order` (which must itself parse).
absl::StatusOr<std::vector<OrderField>> ParseOrderBy(
    absl::string_view order_by, absl::Span<const absl::string_view> allowed,
    absl::string_view default_order);

// A row's position in a listing: compared lexicographically, values first
// (already negated for descending fields), then the tiebreak.
struct SortKey {
  static constexpr int kMaxValues = 4;
  std::array<double, kMaxValues> values{};
  int size = 0;
  std::string tiebreak;

  void Push(double value, bool descending) {
    values[size++] = descending ? -value : value;
  }
  friend bool operator<(const SortKey& a, const SortKey& b);
};

// Fingerprint of the request parameters a page token is bound to.
std::string RequestFingerprint(absl::Span<const absl::string_view> parts);

std::string EncodePageToken(absl::string_view fingerprint, const SortKey& last);

// Empty `token` -> nullopt (first page). A token that is malformed, edited, or
// was issued for a different fingerprint -> INVALID_ARGUMENT "page_token".
absl::StatusOr<std::optional<SortKey>> DecodePageToken(
    absl::string_view token, absl::string_view fingerprint);

}  // namespace newsevents::query

#endif  // NEWSEVENTS_QUERY_SERVICE_STORE_PAGING_H_
