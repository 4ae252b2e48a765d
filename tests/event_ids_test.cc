// Event ids (issue 13 defect 3, issue 14): unique per event within its
// article, stable for the same text and extractor, formula as documented in
// ingest_service/extract/event_assembler.h.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "common/hashing.h"
#include "ingest_service/extract/extractor.h"
#include "testing/embedded_gazetteer.h"

namespace newsevents::extract {
namespace {

const Extractor& TheExtractor() { return testing::EmbeddedExtractor(); }

v1::ParseArticleResponse ParseSample(const std::string& name) {
  std::ifstream in(absl::StrCat(std::getenv("NEWSEVENTS_SOURCE_DIR"),
                                "/data/samples/", name));
  std::stringstream text;
  text << in.rdbuf();
  v1::ArticleInput input;
  input.set_text(text.str());
  auto response = TheExtractor().Parse(input);
  EXPECT_TRUE(response.ok()) << response.status();
  return response.ok() ? *response : v1::ParseArticleResponse();
}

using SpanKey = std::tuple<int, uint32_t, uint32_t>;  // type, start, end

TEST(EventIds, EventsOnOneSpanAtDifferentPlacesGetDistinctIds) {
  const v1::ParseArticleResponse parsed =
      ParseSample("06_srilanka_economic_protest.txt");
  ASSERT_GT(parsed.events_size(), 0);
  std::set<std::string> ids;
  std::map<SpanKey, std::vector<const v1::Event*>> by_span;
  for (const v1::Event& e : parsed.events()) {
    ids.insert(e.id());
    by_span[{e.type(), e.evidence().start(), e.evidence().end()}].push_back(&e);
  }
  EXPECT_EQ(ids.size(), static_cast<size_t>(parsed.events_size()));

  // The sample has events sharing type and evidence span that differ only
  // in place; the first keeps the original formula, the others differ.
  int shared = 0;
  for (const auto& [key, events] : by_span) {
    if (events.size() < 2) continue;
    ++shared;
    EXPECT_NE(events[0]->location().name(), events[1]->location().name());
    EXPECT_EQ(events[0]->id(),
              ContentId(absl::StrCat(parsed.article().id(), "|",
                                     v1::EventType_Name(events[0]->type()), "|",
                                     std::get<1>(key), "|", std::get<2>(key))));
    EXPECT_NE(events[0]->id(), events[1]->id());
  }
  EXPECT_GE(shared, 1) << "the sample no longer has events on one span";
}

TEST(EventIds, StableForTheSameText) {
  const v1::ParseArticleResponse first =
      ParseSample("06_srilanka_economic_protest.txt");
  const v1::ParseArticleResponse second =
      ParseSample("06_srilanka_economic_protest.txt");
  ASSERT_EQ(first.events_size(), second.events_size());
  for (int i = 0; i < first.events_size(); ++i)
    EXPECT_EQ(first.events(i).id(), second.events(i).id());
}

TEST(EventIds, EverySampleHasDistinctIds) {
  for (const char* name :
       {"01_peru_fuel_protest.txt", "02_kenya_fees_march.txt",
        "03_france_pension_strike.txt", "04_nigeria_election_riot.txt",
        "05_iran_water_protest.txt", "06_srilanka_economic_protest.txt"}) {
    const v1::ParseArticleResponse parsed = ParseSample(name);
    EXPECT_GT(parsed.events_size(), 0) << name;
    std::set<std::string> ids;
    for (const v1::Event& e : parsed.events()) ids.insert(e.id());
    EXPECT_EQ(ids.size(), static_cast<size_t>(parsed.events_size())) << name;
  }
}

}  // namespace
}  // namespace newsevents::extract
