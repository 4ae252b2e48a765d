// The event index's candidate planning: which filters narrow the search, and
// that candidates always include every match.
#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <vector>

#include "query_service/store/event_index.h"
#include "testing/test_records.h"

namespace newsevents::query {
namespace {

using testing_records::AddQuantity;
using testing_records::MakeArticle;
using testing_records::MakeDate;
using testing_records::MakeEvent;

// Ten events: even ones riots in KZ, odd ones protests in KG; event 3 has a
// KILLED figure; event 7 mentions rubber bullets; event 9 has no date.
class IndexTest : public testing::Test {
 protected:
  void SetUp() override {
    v1::Article article = MakeArticle(1);
    for (int i = 0; i < 10; ++i) {
      v1::Event e = MakeEvent(
          article, i, i % 2 ? v1::EVENT_TYPE_PROTEST : v1::EVENT_TYPE_RIOT);
      e.mutable_location()->set_country_code(i % 2 ? "KG" : "KZ");
      *e.mutable_date() = MakeDate(2022, 1, 1 + i);
      if (i == 3) AddQuantity(e, v1::QUANTITY_KIND_KILLED, 5);
      if (i == 7) e.mutable_evidence()->set_text("Rubber bullets were fired.");
      if (i == 9) e.clear_date();
      index_.Add(StoredEvent{static_cast<uint64_t>(10 + i), e});
    }
  }

  std::optional<std::vector<uint32_t>> Plan(const char* filter) {
    absl::StatusOr<EventFilter> compiled = EventFilter::Compile(filter);
    EXPECT_TRUE(compiled.ok()) << compiled.status();
    std::optional<std::vector<uint32_t>> candidates =
        index_.Candidates(*compiled);
    if (candidates) {
      // Candidates must include every match.
      for (size_t p = 0; p < index_.size(); ++p) {
        if (compiled->Matches(index_.at(p).event)) {
          EXPECT_TRUE(
              std::binary_search(candidates->begin(), candidates->end(), p))
              << filter << " misses position " << p;
        }
      }
    }
    return candidates;
  }

  EventIndex index_;
};

using Positions = std::vector<uint32_t>;

TEST_F(IndexTest, EqualityOnIndexedFieldGivesItsPostings) {
  EXPECT_EQ(Plan("type = RIOT"), (Positions{0, 2, 4, 6, 8}));
  EXPECT_EQ(Plan("location.country_code = kg"), (Positions{1, 3, 5, 7, 9}));
  EXPECT_EQ(Plan("quantities.kind = KILLED"), (Positions{3}));
  EXPECT_EQ(Plan("outlet = nobody"), (Positions{}));
}

TEST_F(IndexTest, ConjunctionsIntersectAndIgnoreUnindexedParts) {
  EXPECT_EQ(Plan("type = PROTEST AND quantities.kind = KILLED"),
            (Positions{3}));
  EXPECT_EQ(Plan("type = PROTEST AND confidence > 0.5"),
            (Positions{1, 3, 5, 7, 9}));
}

TEST_F(IndexTest, DisjunctionNarrowsOnlyWhenEveryBranchIsIndexed) {
  EXPECT_EQ(Plan("quantities.kind = KILLED OR evidence.text:rubber"),
            (Positions{3, 7}));
  EXPECT_EQ(Plan("quantities.kind = KILLED OR confidence > 0.5"), std::nullopt);
}

TEST_F(IndexTest, NegationWildcardAndNotEqualScanEverything) {
  EXPECT_EQ(Plan("NOT type = RIOT"), std::nullopt);
  EXPECT_EQ(Plan("type != RIOT"), std::nullopt);
  EXPECT_EQ(Plan("location.name = \"Alm*\""), std::nullopt);
  EXPECT_EQ(Plan(""), std::nullopt);
}

TEST_F(IndexTest, TextAndDateSearchesUseTheirIndexes) {
  EXPECT_EQ(Plan("evidence.text:\"rubber bullets\""), (Positions{7}));
  EXPECT_EQ(Plan("\"rubber bullets\""), (Positions{7}));
  EXPECT_EQ(Plan("almaty AND evidence.text:rubber"), (Positions{7}));
  std::optional<Positions> after_5th = Plan("date > 2022-01-05");
  ASSERT_TRUE(after_5th.has_value());
  EXPECT_FALSE(
      std::binary_search(after_5th->begin(), after_5th->end(), 9u));  // no date
  EXPECT_EQ(Plan("date < 2022-01-03"), (Positions{0, 1}));
}

TEST_F(IndexTest, FindsByIdAndSequence) {
  ASSERT_NE(index_.FindById("a1-e4"), nullptr);
  EXPECT_EQ(index_.FindById("a1-e4")->seq, 14u);
  EXPECT_EQ(index_.FindById("missing"), nullptr);
  EXPECT_EQ(index_.FirstAfter(0), 0u);
  EXPECT_EQ(index_.FirstAfter(14), 5u);
  EXPECT_EQ(index_.FirstAfter(99), 10u);
  EXPECT_EQ(index_.last_seq(), 19u);
}

}  // namespace
}  // namespace newsevents::query
