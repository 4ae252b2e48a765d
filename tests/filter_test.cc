// Pins the AIP-160 filter language: grammar, precedence, field semantics and
// error reporting, table-driven over one sample event.
#include "query_service/store/filter.h"

#include <gtest/gtest.h>

#include <string>

#include "common/errors.h"
#include "query_service/store/text_match.h"

namespace newsevents::query {
namespace {

v1::Event SampleEvent() {
  v1::Event e;
  e.set_name("events/e1");
  e.set_id("e1");
  e.set_article_id("a1");
  e.set_type(v1::EVENT_TYPE_RIOT);
  e.set_modality(v1::MODALITY_ACTUAL);
  e.mutable_date()->set_year(2022);
  e.mutable_date()->set_month(1);
  e.mutable_date()->set_day(5);
  e.mutable_published_date()->set_year(2022);
  e.mutable_published_date()->set_month(1);
  e.mutable_published_date()->set_day(6);
  e.mutable_location()->set_name("Almaty");
  e.mutable_location()->set_country_code("KZ");
  e.mutable_location()->set_geoname_id(1526384);
  e.mutable_location()->set_admin_region("KZ-75");
  e.set_outlet("Associated Press");
  auto* killed = e.add_quantities();
  killed->set_kind(v1::QUANTITY_KIND_KILLED);
  killed->set_value(18);
  killed->set_group(v1::GROUP_SECURITY_FORCES);
  killed->set_qualifier(v1::QUALIFIER_EXACT);
  auto* injured = e.add_quantities();
  injured->set_kind(v1::QUANTITY_KIND_INJURED);
  injured->set_value(748);
  injured->set_qualifier(v1::QUALIFIER_AT_LEAST);
  e.mutable_attribution()->set_text("Interior Ministry spokesman");
  e.mutable_evidence()->set_text(
      "Police fired Tear-gas and stun grenades at protesters in Almaty.");
  e.set_confidence(0.85f);
  e.mutable_create_time()->set_seconds(1641376800);  // 2022-01-05T10:00:00Z
  return e;
}

struct Case {
  const char* filter;
  bool matches;
};

class FilterMatchTest : public testing::TestWithParam<Case> {};

TEST_P(FilterMatchTest, MatchesSampleEvent) {
  absl::StatusOr<EventFilter> filter = EventFilter::Compile(GetParam().filter);
  ASSERT_TRUE(filter.ok()) << filter.status();
  EXPECT_EQ(filter->Matches(SampleEvent()), GetParam().matches)
      << GetParam().filter;
}

INSTANTIATE_TEST_SUITE_P(
    Filter, FilterMatchTest,
    testing::Values(
        Case{"", true}, Case{"   ", true},
        // Enums by full name and by suffix, any case.
        Case{"type = EVENT_TYPE_RIOT", true}, Case{"type = RIOT", true},
        Case{"type = riot", true}, Case{"type = PROTEST", false},
        Case{"type != PROTEST", true}, Case{"modality = ACTUAL", true},
        // Strings: case-insensitive equality, wildcards, quoting.
        Case{"location.country_code = \"KZ\"", true},
        Case{"location.country_code = kz", true},
        Case{"location.name = \"Alm*\"", true},
        Case{"location.name = \"*ty\"", true},
        Case{"location.name = Astana", false},
        Case{"outlet = \"Associated Press\"", true},
        Case{"outlet = 'associated press'", true},
        Case{"location.admin_region = KZ-75", true},
        Case{"location.geoname_id = 1526384", true},
        Case{"article_id = a1", true},
        // Numbers.
        Case{"confidence > 0.8", true}, Case{"confidence >= 0.9", false},
        Case{"confidence = 0.85", true},
        Case{"create_time > 2022-01-05T09:59:59Z", true},
        Case{"create_time >= \"2022-01-05T11:00:00+01:00\"", true},
        Case{"create_time < 2022-01-05T10:00:00Z", false},
        Case{"quantities.value > 100", true},
        Case{"quantities.value < 10", false},
        Case{"quantities.value = 18", true},
        // Repeated fields: each restriction is satisfied by some quantity.
        Case{"quantities.kind = KILLED", true},
        Case{"quantities.kind = ARRESTED", false},
        Case{"quantities.kind = KILLED AND quantities.value > 100", true},
        Case{"quantities.group = SECURITY_FORCES", true},
        Case{"quantities.group = GROUP_UNSPECIFIED", true},
        Case{"quantities.group = CIVILIANS", false},
        Case{"quantities.qualifier = AT_LEAST", true},
        // Dates.
        Case{"date = 2022-01-05", true}, Case{"date = 2022-01-06", false},
        Case{"date >= 2022-01-01 AND date < 2022-01-10", true},
        Case{"date > 2022-01-05", false}, Case{"date = 2022-01", true},
        Case{"date = 2022", true}, Case{"date <= 2022-01-05", true},
        Case{"published_date = 2022-01-06", true},
        Case{"date.year = 2022", true}, Case{"date:*", true},
        // Text search.
        Case{"evidence.text:\"tear gas\"", true},
        Case{"evidence.text:POLICE", true}, Case{"evidence.text:polic", false},
        Case{"evidence.text:polic*", true},
        Case{"evidence.text:\"gas tear\"", false},
        Case{"attribution.text:ministry", true},
        Case{"attribution.text:\"Interior Min\"", true},
        Case{"attribution.text:army", false}, Case{"\"tear gas\"", true},
        Case{"grenades", true}, Case{"almaty", true},
        Case{"\"rubber bullets\"", false},
        // Presence.
        Case{"quantities:*", true}, Case{"actors:*", false},
        Case{"attribution.text:*", true},
        // Boolean structure.
        Case{"type = RIOT AND location.country_code = KZ", true},
        Case{"type = RIOT location.country_code = KZ", true},
        Case{"type = PROTEST OR type = RIOT", true},
        Case{"NOT type = PROTEST", true}, Case{"-type = RIOT", false},
        Case{"NOT (type = RIOT AND outlet = x)", true},
        Case{"(type = PROTEST OR type = RIOT) AND confidence > 0.5", true},
        Case{"type = PROTEST OR (type = RIOT AND confidence > 0.9)", false}));

TEST(Filter, OrBindsTighterThanAnd) {
  // Read as `type = PROTEST AND (type = CRACKDOWN OR outlet = "Associated
  // Press")`; with AND binding tighter it would match via `outlet`.
  absl::StatusOr<EventFilter> filter = EventFilter::Compile(
      "type = PROTEST AND type = CRACKDOWN OR outlet = \"Associated Press\"");
  ASSERT_TRUE(filter.ok()) << filter.status();
  EXPECT_FALSE(filter->Matches(SampleEvent()));
  filter = EventFilter::Compile(
      "outlet = \"Associated Press\" OR type = PROTEST AND type = RIOT");
  ASSERT_TRUE(filter.ok()) << filter.status();
  EXPECT_TRUE(filter->Matches(SampleEvent()));
}

TEST(Filter, NegatedGroupAndDeepNesting) {
  EXPECT_FALSE(EventFilter::Compile("-(type = RIOT OR type = PROTEST)")
                   ->Matches(SampleEvent()));
  std::string deep =
      std::string(40, '(') + "type = RIOT" + std::string(40, ')');
  ASSERT_TRUE(EventFilter::Compile(deep).ok());
  EXPECT_TRUE(EventFilter::Compile(deep)->Matches(SampleEvent()));
  std::string too_deep =
      std::string(100, '(') + "type = RIOT" + std::string(100, ')');
  absl::StatusOr<EventFilter> rejected = EventFilter::Compile(too_deep);
  ASSERT_FALSE(rejected.ok());
  EXPECT_NE(rejected.status().message().find("nested too deeply"),
            std::string::npos);
}

TEST(Filter, UnknownDateYearNeverMatchesARange) {
  v1::Event event = SampleEvent();
  event.mutable_date()->set_year(0);
  for (const char* text :
       {"date >= 2000-01-01", "date < 2100-01-01", "date = 2022-01-05",
        "date != 2022-01-05", "date:*"}) {
    absl::StatusOr<EventFilter> filter = EventFilter::Compile(text);
    ASSERT_TRUE(filter.ok()) << filter.status();
    EXPECT_FALSE(filter->Matches(event)) << text;
  }
}

struct ErrorCase {
  const char* filter;
  const char* message_part;
};

class FilterErrorTest : public testing::TestWithParam<ErrorCase> {};

TEST_P(FilterErrorTest, RejectedWithReason) {
  absl::StatusOr<EventFilter> filter = EventFilter::Compile(GetParam().filter);
  ASSERT_FALSE(filter.ok()) << GetParam().filter;
  EXPECT_EQ(filter.status().code(), absl::StatusCode::kInvalidArgument);
  std::vector<FieldViolation> violations = FieldViolationsOf(filter.status());
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_EQ(violations[0].field, "filter");
  EXPECT_NE(violations[0].description.find(GetParam().message_part),
            std::string::npos)
      << violations[0].description;
}

INSTANTIATE_TEST_SUITE_P(
    Filter, FilterErrorTest,
    testing::Values(ErrorCase{"colour = red",
                              "unknown field \"colour\" at position 1"},
                    ErrorCase{"type = RIOT AND foo.bar = 1", "position 17"},
                    ErrorCase{"type = BANANA", "not a value of \"type\""},
                    ErrorCase{"type > RIOT", "supports only"},
                    ErrorCase{"date = 2022-13-01", "not a date"},
                    ErrorCase{"create_time > 2022-01-05", "not an RFC-3339"},
                    ErrorCase{"quantities.value > many", "not an integer"},
                    ErrorCase{"confidence > high", "not a number"},
                    ErrorCase{"(type = RIOT", "not closed"},
                    ErrorCase{"type = RIOT)", "unbalanced ')'"},
                    ErrorCase{"type =", "expected a value"},
                    ErrorCase{"outlet = \"AP", "unterminated string"},
                    ErrorCase{"type ! RIOT", "'!' must be followed by '='"},
                    ErrorCase{"AND type = RIOT", "position 1"},
                    ErrorCase{"type = RIOT OR", "position 15"},
                    ErrorCase{"quantities = 5", "supports only"},
                    ErrorCase{"NOT", "expected a restriction"}));

TEST(Filter, ArticleAndClaimFieldsResolve) {
  EXPECT_TRUE(ArticleFilter::Compile(
                  "outlet = Reuters AND published_date >= 2022-01-01")
                  .ok());
  EXPECT_TRUE(ArticleFilter::Compile("url = \"https://*\"").ok());
  EXPECT_FALSE(ArticleFilter::Compile("type = RIOT").ok());
  EXPECT_TRUE(ClaimFilter::Compile(
                  "kind = KILLED AND value > 100 AND sources:prosecutor")
                  .ok());
  v1::Claim claim;
  claim.set_kind(v1::QUANTITY_KIND_KILLED);
  claim.set_value(230);
  claim.add_sources("Prosecutor General Berik Asylov");
  EXPECT_TRUE(ClaimFilter::Compile(
                  "kind = KILLED AND value > 100 AND sources:prosecutor")
                  ->Matches(claim));
  EXPECT_TRUE(ClaimFilter::Compile("group = UNSPECIFIED")->Matches(claim));
}

TEST(TextMatch, PhraseNeedsWholeWordsInOrder) {
  const std::string words[] = {"tear", "gas"};
  EXPECT_TRUE(ContainsPhrase("fired tear gas.", words));
  EXPECT_TRUE(ContainsPhrase("TEAR-GAS", words));
  EXPECT_FALSE(ContainsPhrase("teargas", words));
  EXPECT_FALSE(ContainsPhrase("tear the gas", words));
  EXPECT_TRUE(GlobMatchesFolded("Almaty", "a*y"));
  EXPECT_FALSE(GlobMatchesFolded("Almaty", "a*x"));
}

}  // namespace
}  // namespace newsevents::query
