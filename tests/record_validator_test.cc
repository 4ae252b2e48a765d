// Sink records are validated like public input (issue 13): every probe the
// outside review stored through the unauthenticated sink is refused here
// with INVALID_ARGUMENT naming the field.
#include "query_service/sink/record_validator.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>

#include "common/errors.h"
#include "testing/test_records.h"

namespace newsevents::query {
namespace {

using testing_records::AddQuantity;
using testing_records::MakeRecord;

// The single field the validator names, or "" when the record is valid.
std::string RefusedField(const v1::ArticleRecord& record) {
  absl::Status status = ValidateArticleRecord(record, "records[0].");
  if (status.ok()) return "";
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  std::vector<FieldViolation> violations = FieldViolationsOf(status);
  EXPECT_EQ(violations.size(), 1u) << status;
  return violations.empty() ? "?" : violations[0].field;
}

TEST(RecordValidator, AcceptsAWellFormedRecord) {
  v1::ArticleRecord record = MakeRecord(1, 3, 7);
  AddQuantity(*record.mutable_events(0), v1::QUANTITY_KIND_KILLED, 12);
  EXPECT_EQ(RefusedField(record), "");
  record.mutable_article()->clear_name();  // filled in by the store
  record.mutable_events(1)->clear_name();
  record.mutable_events(1)->clear_article_id();
  EXPECT_EQ(RefusedField(record), "");
}

TEST(RecordValidator, RefusesBadIdsAndNames) {
  v1::ArticleRecord record = MakeRecord(1, 2, 7);
  record.mutable_events(1)->set_id("../../admin");
  record.mutable_events(1)->set_name("events/../../admin");
  EXPECT_EQ(RefusedField(record), "records[0].events[1].id");

  record = MakeRecord(1, 2, 7);
  record.mutable_events(0)->set_id(std::string(5000, 'x'));
  EXPECT_EQ(RefusedField(record), "records[0].events[0].id");

  record = MakeRecord(1, 2, 7);
  record.mutable_article()->set_id("");
  EXPECT_EQ(RefusedField(record), "records[0].article.id");

  record = MakeRecord(1, 2, 7);
  record.mutable_article()->set_name("articles/a1/../../a2");
  EXPECT_EQ(RefusedField(record), "records[0].article.name");

  record = MakeRecord(1, 2, 7);
  record.mutable_events(0)->set_name("events/somebody-else");
  EXPECT_EQ(RefusedField(record), "records[0].events[0].name");

  record = MakeRecord(1, 2, 7);
  record.mutable_events(0)->set_article_id("a2");  // another article's
  EXPECT_EQ(RefusedField(record), "records[0].events[0].article_id");
}

TEST(RecordValidator, RefusesUndefinedEnumValues) {
  v1::ArticleRecord record = MakeRecord(1, 2, 7);
  record.mutable_events(1)->set_type(static_cast<v1::EventType>(999));
  EXPECT_EQ(RefusedField(record), "records[0].events[1].type");

  record = MakeRecord(1, 2, 7);
  AddQuantity(*record.mutable_events(0), v1::QUANTITY_KIND_KILLED, 3)
      ->set_qualifier(static_cast<v1::Qualifier>(-4));
  EXPECT_EQ(RefusedField(record),
            "records[0].events[0].quantities[0].qualifier");

  record = MakeRecord(1, 2, 7);
  record.mutable_events(0)->mutable_location()->set_precision(
      static_cast<v1::LocationPrecision>(77));
  EXPECT_EQ(RefusedField(record), "records[0].events[0].location.precision");
}

TEST(RecordValidator, RefusesImpossibleDates) {
  v1::ArticleRecord record = MakeRecord(1, 1, 7);
  record.mutable_events(0)->mutable_date()->set_month(13);
  EXPECT_EQ(RefusedField(record), "records[0].events[0].date.month");

  record = MakeRecord(1, 1, 7);
  *record.mutable_events(0)->mutable_date() =
      testing_records::MakeDate(2023, 2, 29);
  EXPECT_EQ(RefusedField(record), "records[0].events[0].date.day");
  *record.mutable_events(0)->mutable_date() =
      testing_records::MakeDate(2024, 2, 29);
  EXPECT_EQ(RefusedField(record), "");  // a leap year
  *record.mutable_events(0)->mutable_date() =
      testing_records::MakeDate(2024, 4, 31);
  EXPECT_EQ(RefusedField(record), "records[0].events[0].date.day");

  record = MakeRecord(1, 1, 7);
  record.mutable_article()->mutable_published_date()->set_year(-5);
  EXPECT_EQ(RefusedField(record), "records[0].article.published_date.year");
}

TEST(RecordValidator, RefusesAbsurdSizesAndNumbers) {
  v1::ArticleRecord record = MakeRecord(1, 1, 7);
  for (int i = 0; i < 20'000; ++i)
    AddQuantity(*record.mutable_events(0), v1::QUANTITY_KIND_KILLED, i);
  EXPECT_EQ(RefusedField(record), "records[0].events[0].quantities");

  record = MakeRecord(1, 1, std::numeric_limits<uint64_t>::max());
  EXPECT_EQ(RefusedField(record), "records[0].sequence");
  record.set_sequence(0);
  EXPECT_EQ(RefusedField(record), "records[0].sequence");

  record = MakeRecord(1, 1, 7);
  AddQuantity(*record.mutable_events(0), v1::QUANTITY_KIND_KILLED,
              std::numeric_limits<int64_t>::max());
  EXPECT_EQ(RefusedField(record), "records[0].events[0].quantities[0].value");

  record = MakeRecord(1, 1, 7);
  AddQuantity(*record.mutable_events(0), v1::QUANTITY_KIND_KILLED, 5)
      ->set_subtotal_of(3);
  EXPECT_EQ(RefusedField(record),
            "records[0].events[0].quantities[0].subtotal_of");

  record = MakeRecord(1, 1, 7);
  record.mutable_events(0)->mutable_location()->set_latitude(1e9);
  EXPECT_EQ(RefusedField(record), "records[0].events[0].location.latitude");

  record = MakeRecord(1, 1, 7);
  record.mutable_events(0)->mutable_location()->set_country_code("kz!");
  EXPECT_EQ(RefusedField(record), "records[0].events[0].location.country_code");

  record = MakeRecord(1, 1, 7);
  record.mutable_article()->set_url(std::string(9000, 'u'));
  EXPECT_EQ(RefusedField(record), "records[0].article.url");
}

TEST(RecordValidator, ErrorsEchoOnlyAShortPrefix) {
  v1::ArticleRecord record = MakeRecord(1, 1, 7);
  record.mutable_events(0)->set_id(std::string(1 << 20, 'x'));
  absl::Status status = ValidateArticleRecord(record);
  EXPECT_LT(status.message().size(), 400u);
}

}  // namespace
}  // namespace newsevents::query
