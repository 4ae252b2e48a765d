#include "query_service/sink/record_validator.h"

#include <cmath>
#include <optional>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/errors.h"

namespace newsevents::query {
namespace {

using newsevents::v1::Article;
using newsevents::v1::Date;
using newsevents::v1::Event;
using newsevents::v1::Location;
using newsevents::v1::Quantity;
using newsevents::v1::TextSpan;

// Echoed values are cut to this many bytes, so an error never repeats a
// huge input.
constexpr size_t kEchoBytes = 48;

std::string Echo(absl::string_view value) {
  if (value.size() <= kEchoBytes) return absl::StrCat("\"", value, "\"");
  return absl::StrCat("\"", value.substr(0, kEchoBytes), "\"... (",
                      value.size(), " bytes)");
}

// The first violation found; later checks are skipped once there is one.
class Checker {
 public:
  explicit Checker(absl::string_view prefix) : prefix_(prefix) {}

  bool failed() const { return error_.has_value(); }
  void Fail(absl::string_view field, absl::string_view description) {
    if (!error_)
      error_ = InvalidFieldError(absl::StrCat(prefix_, field), description);
  }
  absl::Status status() const { return error_.value_or(absl::OkStatus()); }

  void Id(absl::string_view field, absl::string_view id) {
    if (!IsValidResourceId(id)) {
      Fail(field, absl::StrCat("must be 1 to ", kMaxIdBytes,
                               " characters of [A-Za-z0-9_-], not ", Echo(id)));
    }
  }
  // Empty, or `collection` + "/" + id.
  void Name(absl::string_view field, absl::string_view name,
            absl::string_view collection, absl::string_view id) {
    if (!name.empty() && name != absl::StrCat(collection, "/", id)) {
      Fail(field,
           absl::StrCat("must be empty or \"", collection,
                        "/<id>\" of this record's id, not ", Echo(name)));
    }
  }
  template <typename IsValid>
  void Enum(absl::string_view field, int value, IsValid is_valid) {
    if (!is_valid(value)) {
      Fail(field, absl::StrCat(value, " is not a defined value"));
    }
  }
  void Range(absl::string_view field, int64_t value, int64_t low,
             int64_t high) {
    if (value < low || value > high) {
      Fail(field,
           absl::StrCat("must be in ", low, "..", high, ", not ", value));
    }
  }
  void DateValue(const std::string& field, const Date& date);
  void Span(const std::string& field, const TextSpan& span) {
    if (span.start() > span.end()) {
      Fail(field + ".start", absl::StrCat("must not exceed end (", span.start(),
                                          " > ", span.end(), ")"));
    }
  }
  void LocationValue(const std::string& field, const Location& location);
  void QuantityValue(const std::string& field, const Quantity& quantity,
                     int count);
  void EventValue(const std::string& field, const Event& event,
                  const Article& article);
  void ArticleValue(const Article& article);

 private:
  const absl::string_view prefix_;
  std::optional<absl::Status> error_;
};

bool IsLeapYear(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

void Checker::DateValue(const std::string& field, const Date& date) {
  Range(field + ".year", date.year(), 0, 9999);
  Range(field + ".month", date.month(), 0, 12);
  Range(field + ".day", date.day(), 0, 31);
  if (failed() || date.day() == 0) return;
  if (date.month() == 0) {
    Fail(field + ".month", "must be set when day is set");
    return;
  }
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30,
                                  31, 31, 30, 31, 30, 31};
  int days = kDays[date.month() - 1];
  if (date.month() == 2 && date.year() != 0 && !IsLeapYear(date.year()))
    days = 28;
  if (date.day() > days) {
    Fail(field + ".day", absl::StrCat(date.year(), "-", date.month(),
                                      " has no day ", date.day()));
  }
}

void Checker::LocationValue(const std::string& field,
                            const Location& location) {
  const std::string& code = location.country_code();
  if (!code.empty() && (code.size() != 2 || !absl::ascii_isupper(code[0]) ||
                        !absl::ascii_isupper(code[1]))) {
    Fail(field + ".country_code",
         absl::StrCat("must be empty or two letters A-Z, not ", Echo(code)));
  }
  if (!std::isfinite(location.latitude()) ||
      std::abs(location.latitude()) > 90) {
    Fail(field + ".latitude", "must be a finite number in -90..90");
  }
  if (!std::isfinite(location.longitude()) ||
      std::abs(location.longitude()) > 180) {
    Fail(field + ".longitude", "must be a finite number in -180..180");
  }
  if (location.geoname_id() < 0) Fail(field + ".geoname_id", "must be >= 0");
  Enum(field + ".precision", location.precision(),
       v1::LocationPrecision_IsValid);
  Span(field + ".mention", location.mention());
}

void Checker::QuantityValue(const std::string& field, const Quantity& q,
                            int count) {
  Enum(field + ".kind", q.kind(), v1::QuantityKind_IsValid);
  Enum(field + ".qualifier", q.qualifier(), v1::Qualifier_IsValid);
  Enum(field + ".group", q.group(), v1::Group_IsValid);
  Range(field + ".value", q.value(), 0, kMaxQuantityValue);
  Range(field + ".value_max", q.value_max(), 0, kMaxQuantityValue);
  // 0 is also proto3's "not set", so a quantity may name itself.
  if (q.subtotal_of() < -1 || q.subtotal_of() >= count) {
    Fail(field + ".subtotal_of",
         absl::StrCat("must be -1 or the index of a quantity of the event "
                      "(0..",
                      count - 1, "), not ", q.subtotal_of()));
  }
  Span(field + ".evidence", q.evidence());
  if (q.has_location()) LocationValue(field + ".location", q.location());
  if (q.has_date()) DateValue(field + ".date", q.date());
  Span(field + ".attribution.evidence", q.attribution().evidence());
}

void Checker::EventValue(const std::string& field, const Event& event,
                         const Article& article) {
  Id(field + ".id", event.id());
  if (failed()) return;
  Name(field + ".name", event.name(), "events", event.id());
  if (!event.article_id().empty() && event.article_id() != article.id()) {
    Fail(field + ".article_id",
         absl::StrCat("must be empty or the record's article id, not ",
                      Echo(event.article_id())));
  }
  Enum(field + ".type", event.type(), v1::EventType_IsValid);
  Enum(field + ".modality", event.modality(), v1::Modality_IsValid);
  DateValue(field + ".date", event.date());
  DateValue(field + ".published_date", event.published_date());
  LocationValue(field + ".location", event.location());
  if (event.actors_size() > kMaxActorsPerEvent) {
    Fail(field + ".actors",
         absl::StrCat("at most ", kMaxActorsPerEvent, " per event, not ",
                      event.actors_size()));
  }
  for (int i = 0; i < event.actors_size() && !failed(); ++i) {
    const std::string actor = absl::StrCat(field, ".actors[", i, "]");
    Enum(actor + ".group", event.actors(i).group(), v1::Group_IsValid);
    Enum(actor + ".role", event.actors(i).role(), v1::ActorRole_IsValid);
  }
  if (event.quantities_size() > kMaxQuantitiesPerEvent) {
    Fail(field + ".quantities",
         absl::StrCat("at most ", kMaxQuantitiesPerEvent, " per event, not ",
                      event.quantities_size()));
  }
  for (int i = 0; i < event.quantities_size() && !failed(); ++i) {
    QuantityValue(absl::StrCat(field, ".quantities[", i, "]"),
                  event.quantities(i), event.quantities_size());
  }
  Span(field + ".evidence", event.evidence());
  Span(field + ".attribution.evidence", event.attribution().evidence());
  if (!std::isfinite(event.confidence()) || event.confidence() < 0 ||
      event.confidence() > 1) {
    Fail(field + ".confidence", "must be a number in 0..1");
  }
}

void Checker::ArticleValue(const Article& article) {
  Id("article.id", article.id());
  if (failed()) return;
  Name("article.name", article.name(), "articles", article.id());
  if (article.url().size() > kMaxUrlBytes) {
    Fail("article.url", absl::StrCat("must be at most ", kMaxUrlBytes,
                                     " bytes, not ", article.url().size()));
  }
  DateValue("article.published_date", article.published_date());
  for (int i = 0; i < article.boilerplate_spans_size() && !failed(); ++i) {
    const std::string field =
        absl::StrCat("article.boilerplate_spans[", i, "]");
    Enum(field + ".kind", article.boilerplate_spans(i).kind(),
         v1::BoilerplateKind_IsValid);
    Span(field + ".span", article.boilerplate_spans(i).span());
  }
  if (article.event_count() < 0) Fail("article.event_count", "must be >= 0");
}

}  // namespace

bool IsValidResourceId(absl::string_view id) {
  if (id.empty() || id.size() > kMaxIdBytes) return false;
  for (char c : id) {
    if (!absl::ascii_isalnum(c) && c != '_' && c != '-') return false;
  }
  return true;
}

absl::Status ValidateArticleRecord(const newsevents::v1::ArticleRecord& record,
                                   absl::string_view field_prefix) {
  Checker check(field_prefix);
  if (record.sequence() == 0 || record.sequence() > kMaxSequence) {
    check.Fail("sequence", absl::StrCat("must be in 1..", kMaxSequence,
                                        ", not ", record.sequence()));
  }
  if (!record.has_article()) check.Fail("article", "is required");
  if (check.failed()) return check.status();
  check.ArticleValue(record.article());
  if (record.events_size() > kMaxEventsPerRecord) {
    check.Fail("events",
               absl::StrCat("at most ", kMaxEventsPerRecord,
                            " per record, not ", record.events_size()));
  }
  for (int i = 0; i < record.events_size() && !check.failed(); ++i) {
    check.EventValue(absl::StrCat("events[", i, "]"), record.events(i),
                     record.article());
  }
  return check.status();
}

}  // namespace newsevents::query
