// Claim consolidation: which mentions make one claim, what the claim says,
// and that ids do not depend on arrival order.
#include <gtest/gtest.h>

#include <algorithm>
#include <deque>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "query_service/store/claim_index.h"
#include "testing/test_records.h"

namespace newsevents::query {
namespace {

using testing_records::AddQuantity;
using testing_records::MakeArticle;
using testing_records::MakeDate;
using testing_records::MakeEvent;

struct Report {
  int article;
  std::string outlet;
  v1::Date date;  // of the event
  int64_t value = 230;
  std::string source = "Prosecutor General";
  v1::Qualifier qualifier = v1::QUALIFIER_EXACT;
};

// Adds one event per report, each with a single KILLED figure in Almaty.
class ClaimsFixture {
 public:
  void Add(const Report& report) {
    ArticleEntry& article = articles_.emplace_back();
    article.meta = MakeArticle(report.article, report.outlet);
    v1::Event event = MakeEvent(article.meta, 0, v1::EVENT_TYPE_CRACKDOWN);
    *event.mutable_date() = report.date;
    event.mutable_attribution()->set_text(report.source);
    AddQuantity(event, v1::QUANTITY_KIND_KILLED, report.value)
        ->set_qualifier(report.qualifier);
    index_.Add(event, &article);
  }
  ClaimIndex& index() { return index_; }

 private:
  std::deque<ArticleEntry> articles_;
  ClaimIndex index_;
};

TEST(Claims, SameFigureFromFiveOutletsIsOneClaim) {
  ClaimsFixture fixture;
  for (int n = 0; n < 5; ++n) {
    fixture.Add({n, absl::StrCat("Outlet ", n), MakeDate(2022, 1, 5 + n % 3),
                 230, n < 3 ? "Prosecutor General" : "Health Ministry"});
  }
  fixture.index().Refresh();
  std::vector<const v1::Claim*> claims = fixture.index().All();
  ASSERT_EQ(claims.size(), 1u);
  const v1::Claim& claim = *claims[0];
  EXPECT_EQ(claim.kind(), v1::QUANTITY_KIND_KILLED);
  EXPECT_EQ(claim.value(), 230);
  EXPECT_EQ(claim.mention_count(), 5);
  EXPECT_EQ(claim.mentions_size(), 5);
  EXPECT_EQ(claim.outlets_size(), 5);
  EXPECT_EQ(claim.sources_size(), 2);
  EXPECT_EQ(claim.location().name(), "Almaty");
  EXPECT_EQ(claim.name(), absl::StrCat("claims/", claim.id()));
  // Articles n publish on 2022-01-(5 + n % 5): 5th..9th.
  EXPECT_EQ(claim.first_reported().day(), 5);
  EXPECT_EQ(claim.last_reported().day(), 9);
  EXPECT_EQ(claim.mentions(0).url(), "https://example.com/0");
}

TEST(Claims, DatesMoreThanAWindowApartAreSeparateClaims) {
  ClaimsFixture fixture;
  fixture.Add({0, "A", MakeDate(2022, 1, 5)});
  fixture.Add({1, "B", MakeDate(2022, 1, 11)});  // within 6 days of the 5th
  fixture.Add({2, "C", MakeDate(2022, 1, 12)});  // starts a new window
  fixture.index().Refresh();
  std::vector<const v1::Claim*> claims = fixture.index().All();
  ASSERT_EQ(claims.size(), 2u);
  std::vector<int> counts = {claims[0]->mention_count(),
                             claims[1]->mention_count()};
  std::sort(counts.begin(), counts.end());
  EXPECT_EQ(counts, (std::vector<int>{1, 2}));
}

TEST(Claims, UnknownDatesFormTheirOwnClaim) {
  ClaimsFixture fixture;
  fixture.Add({0, "A", MakeDate(2022, 1, 5)});
  fixture.Add({1, "B", MakeDate(0, 0, 0)});
  fixture.Add({2, "C", MakeDate(0, 0, 0)});
  fixture.index().Refresh();
  ASSERT_EQ(fixture.index().All().size(), 2u);
}

TEST(Claims, DifferentValueGroupOrPlaceAreDifferentClaims) {
  ClaimsFixture fixture;
  fixture.Add({0, "A", MakeDate(2022, 1, 5), 230});
  fixture.Add({1, "B", MakeDate(2022, 1, 5), 225});
  fixture.index().Refresh();
  EXPECT_EQ(fixture.index().All().size(), 2u);

  ClaimIndex index;
  ArticleEntry article{1, MakeArticle(1)};
  v1::Event a = MakeEvent(article.meta, 0);
  AddQuantity(a, v1::QUANTITY_KIND_KILLED, 10, v1::GROUP_SECURITY_FORCES);
  AddQuantity(a, v1::QUANTITY_KIND_KILLED, 10, v1::GROUP_CIVILIANS);
  v1::Quantity* elsewhere =
      AddQuantity(a, v1::QUANTITY_KIND_KILLED, 10, v1::GROUP_CIVILIANS);
  elsewhere->mutable_location()->set_name("Taraz");
  index.Add(a, &article);
  index.Refresh();
  EXPECT_EQ(index.All().size(), 3u);
  EXPECT_NE(index.ClaimOf(a.id(), 1), index.ClaimOf(a.id(), 2));
}

TEST(Claims, IdsDoNotDependOnArrivalOrder) {
  const std::vector<Report> reports = {{0, "A", MakeDate(2022, 1, 5)},
                                       {1, "B", MakeDate(2022, 1, 8)},
                                       {2, "C", MakeDate(2022, 1, 14)},
                                       {3, "D", MakeDate(2022, 1, 9)}};
  auto ids = [](const std::vector<int>& order, const std::vector<Report>& all) {
    ClaimsFixture fixture;
    for (int i : order) {
      fixture.Add(all[i]);
      fixture.index().Refresh();  // incremental, as batches arrive
    }
    std::vector<std::string> out;
    for (const v1::Claim* claim : fixture.index().All()) {
      out.push_back(absl::StrCat(claim->id(), "/", claim->mention_count()));
    }
    return out;
  };
  EXPECT_EQ(ids({0, 1, 2, 3}, reports), ids({3, 2, 1, 0}, reports));
  EXPECT_EQ(ids({0, 1, 2, 3}, reports), ids({2, 0, 3, 1}, reports));
}

TEST(Claims, ReAddingAnEventChangesNothing) {
  ClaimsFixture fixture;
  fixture.Add({0, "A", MakeDate(2022, 1, 5)});
  fixture.Add({0, "A", MakeDate(2022, 1, 5)});
  fixture.index().Refresh();
  ASSERT_EQ(fixture.index().All().size(), 1u);
  EXPECT_EQ(fixture.index().All()[0]->mention_count(), 1);
}

TEST(Claims, QualifierIsTheMostFrequent) {
  ClaimsFixture fixture;
  fixture.Add({0, "A", MakeDate(2022, 1, 5), 230, "x", v1::QUALIFIER_AT_LEAST});
  fixture.Add({1, "B", MakeDate(2022, 1, 5), 230, "x", v1::QUALIFIER_EXACT});
  fixture.Add({2, "C", MakeDate(2022, 1, 5), 230, "x", v1::QUALIFIER_AT_LEAST});
  fixture.index().Refresh();
  ASSERT_EQ(fixture.index().All().size(), 1u);
  EXPECT_EQ(fixture.index().All()[0]->qualifier(), v1::QUALIFIER_AT_LEAST);
}

}  // namespace
}  // namespace newsevents::query
