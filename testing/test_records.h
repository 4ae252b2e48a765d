#ifndef NEWSEVENTS_TESTING_TEST_RECORDS_H_
#define NEWSEVENTS_TESTING_TEST_RECORDS_H_

// Builders of ArticleRecords for tests and benchmarks of the query side.
// Header-only; not part of any production library.

#include <cstdint>
#include <string>

#include "absl/strings/str_cat.h"
#include "newsevents/v1/event_sink_service.pb.h"

namespace newsevents::query::testing_records {

inline v1::Date MakeDate(int year, int month, int day) {
  v1::Date date;
  date.set_year(year);
  date.set_month(month);
  date.set_day(day);
  return date;
}

// An article "a<n>" from `outlet` published on 2022-01-<5+n%5>.
inline v1::Article MakeArticle(int n, const std::string& outlet = "Reuters") {
  v1::Article article;
  article.set_id(absl::StrCat("a", n));
  article.set_name(absl::StrCat("articles/a", n));
  article.set_outlet(outlet);
  article.set_url(absl::StrCat("https://example.com/", n));
  article.set_title(absl::StrCat("Unrest report ", n));
  *article.mutable_published_date() = MakeDate(2022, 1, 5 + n % 5);
  article.set_text(absl::StrCat("Full text of article ", n, "."));
  return article;
}

// Event "<article id>-e<k>" of `type` in Almaty (KZ) on 2022-01-05.
inline v1::Event MakeEvent(const v1::Article& article, int k,
                           v1::EventType type = v1::EVENT_TYPE_PROTEST) {
  v1::Event event;
  event.set_id(absl::StrCat(article.id(), "-e", k));
  event.set_name(absl::StrCat("events/", event.id()));
  event.set_article_id(article.id());
  event.set_type(type);
  event.set_modality(v1::MODALITY_ACTUAL);
  *event.mutable_date() = MakeDate(2022, 1, 5);
  *event.mutable_published_date() = article.published_date();
  event.set_outlet(article.outlet());
  event.mutable_location()->set_name("Almaty");
  event.mutable_location()->set_country_code("KZ");
  event.mutable_location()->set_geoname_id(1526384);
  event.mutable_evidence()->set_text(
      absl::StrCat("Police fired tear gas at protesters, report ", k));
  event.set_confidence(0.9f);
  return event;
}

inline v1::Quantity* AddQuantity(v1::Event& event, v1::QuantityKind kind,
                                 int64_t value,
                                 v1::Group group = v1::GROUP_UNSPECIFIED) {
  v1::Quantity* q = event.add_quantities();
  q->set_kind(kind);
  q->set_value(value);
  q->set_group(group);
  q->set_qualifier(v1::QUALIFIER_EXACT);
  q->set_subtotal_of(-1);
  return q;
}

// A record of article `n` with `events` protest events, at outbox `sequence`.
inline v1::ArticleRecord MakeRecord(int n, int events, uint64_t sequence,
                                    const std::string& outlet = "Reuters") {
  v1::ArticleRecord record;
  *record.mutable_article() = MakeArticle(n, outlet);
  for (int k = 0; k < events; ++k)
    *record.add_events() = MakeEvent(record.article(), k);
  record.set_sequence(sequence);
  return record;
}

}  // namespace newsevents::query::testing_records

#endif  // NEWSEVENTS_TESTING_TEST_RECORDS_H_
