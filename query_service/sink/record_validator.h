#ifndef NEWSEVENTS_QUERY_SERVICE_SINK_RECORD_VALIDATOR_H_
#define NEWSEVENTS_QUERY_SERVICE_SINK_RECORD_VALIDATOR_H_

// The one place where an ArticleRecord arriving on the internal
// EventSinkService stream is checked before anything of it is stored. The
// stream is internal, but its records are treated like public input: a
// forged or corrupt record must not reach the store, the indexes or the
// claims.
//
// Rules (limits are the constants below):
//  - ids (article.id, events[].id): 1..kMaxIdBytes characters of
//    [A-Za-z0-9_-] (content ids are 32 lowercase hex characters);
//  - names: empty (filled in by the store) or exactly "articles/<id>" /
//    "events/<id>" of the record's own id (so no "..", no further slashes);
//    events[].article_id empty or the record's article id;
//  - enums: one of their defined values (UNSPECIFIED included);
//  - dates: year 0..9999, month 0..12, day 0..31 and valid for the month
//    (February 29 only in leap years or when the year is unknown), day only
//    with a month;
//  - sizes: at most kMaxEventsPerRecord events, kMaxQuantitiesPerEvent
//    quantities and kMaxActorsPerEvent actors per event, url at most
//    kMaxUrlBytes (as IngestArticle accepts), country codes empty or two
//    letters A-Z;
//  - numbers: quantity values and value_max in 0..kMaxQuantityValue,
//    subtotal_of -1 or the index of a quantity of the event,
//    confidence in [0, 1], latitude/longitude finite and in range,
//    geoname_id >= 0, spans with start <= end;
//  - sequence: 1..kMaxSequence (so a producer's high-water mark cannot be
//    pushed to 2^64-1).
// Free text (article text, title, outlet, evidence) is bounded only by the
// message size limit, as IngestArticle bounds it.
//
// Errors: INVALID_ARGUMENT with one BadRequest field violation whose field
// is the path inside the record ("article.id", "events[2].date.month", ...),
// prefixed by `field_prefix`; descriptions echo at most a short prefix of
// the offending value.
// Thread-safety: pure functions.

#include <cstdint>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "newsevents/v1/event_sink_service.pb.h"

namespace newsevents::query {

inline constexpr size_t kMaxIdBytes = 64;
inline constexpr size_t kMaxUrlBytes = 8192;
inline constexpr int kMaxEventsPerRecord = 10'000;
inline constexpr int kMaxQuantitiesPerEvent = 1'000;
inline constexpr int kMaxActorsPerEvent = 1'000;
inline constexpr int64_t kMaxQuantityValue = 1'000'000'000'000;  // 10^12
inline constexpr uint64_t kMaxSequence = uint64_t{1} << 62;

// Checks one record; `field_prefix` (e.g. "records[3].") is put before
// every field path in the error.
absl::Status ValidateArticleRecord(const newsevents::v1::ArticleRecord& record,
                                   absl::string_view field_prefix = "");

// Checks the ids rule above for one id (used for ids and names).
bool IsValidResourceId(absl::string_view id);

}  // namespace newsevents::query

#endif  // NEWSEVENTS_QUERY_SERVICE_SINK_RECORD_VALIDATOR_H_
