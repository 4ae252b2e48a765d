// The discourse state (discourse_state.h) end to end: what a sentence that
// names no place, date or speaker inherits from the sentences before it.
// Every article here is invented.

#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "ingest_service/extract/extractor.h"
#include "ingest_service/gazetteer/gazetteer.h"
#include "testing/embedded_gazetteer.h"

namespace newsevents::extract {
namespace {

const Extractor& TheExtractor() { return testing::EmbeddedExtractor(); }

// The first count of `kind` and `value` in the parse of `text`.
v1::Quantity CountOf(const std::string& text, v1::QuantityKind kind,
                     int64_t value) {
  v1::ArticleInput input;
  input.set_text(text);
  auto response = TheExtractor().Parse(input);
  EXPECT_TRUE(response.ok()) << response.status();
  if (!response.ok()) return v1::Quantity();
  for (const v1::Event& e : response->events()) {
    for (const v1::Quantity& q : e.quantities()) {
      if (q.kind() == kind && q.value() == value) return q;
    }
  }
  ADD_FAILURE() << "no count " << value << " in:\n" << text;
  return v1::Quantity();
}

std::string PlaceOf(const v1::Quantity& q) { return q.location().name(); }

// Filler paragraphs that name no place, date or speaker, to move text past
// the lead.
std::string Filler() {
  std::string out;
  for (int i = 0; i < 8; ++i) {
    out +=
        "Shops stayed shut and the streets were quiet for most of the "
        "morning while residents waited for news.\n\n";
  }
  return out;
}

TEST(DiscourseSetting, TheLeadsOneCityIsTheSettingOfLaterFigures) {
  const std::string text =
      "Police clash with protesters in Mombasa\n\n"
      "Police fired tear gas at protesters in Mombasa on Monday.\n\n"
      "Three people were killed, a hospital official said.\n";
  EXPECT_EQ(PlaceOf(CountOf(text, v1::QUANTITY_KIND_KILLED, 3)), "Mombasa");
}

TEST(DiscourseSetting, ALeadAboutTheCountryKeepsTheCountry) {
  // The lead names Kenya more often than its one city.
  const std::string text =
      "Unrest grips Kenya\n\n"
      "Kenya saw a second day of unrest, with a march in Mombasa. Protests "
      "in Kenya turned violent.\n\n"
      "Three people were killed, a hospital official said.\n";
  EXPECT_EQ(PlaceOf(CountOf(text, v1::QUANTITY_KIND_KILLED, 3)), "Kenya");
}

// The lead names no place; the article names one town as a venue twice,
// after the lead, and never its country: the town is the setting.
TEST(DiscourseSetting, ATownTheArticleKeepsNamingIsTheSettingOfSilentFigures) {
  const std::string text =
      "Deadly night of clashes\n\n"
      "Some 21 people were killed and 858 others injured in clashes between "
      "soldiers and demonstrators on Saturday night, a medical centre said.\n"
      "\n" + Filler() +
      "A total of 216 soldiers were hurt at various locations in Mombasa.\n\n"
      "Guards near the port in Mombasa were hit by stones.\n";
  EXPECT_EQ(PlaceOf(CountOf(text, v1::QUANTITY_KIND_KILLED, 21)), "Mombasa");
  // Naming the country as a venue keeps it.
  const std::string with_country =
      text + "\nThe unrest spread across Kenya on Sunday.\n";
  EXPECT_EQ(PlaceOf(CountOf(with_country, v1::QUANTITY_KIND_KILLED, 21)),
            "Kenya");
}

TEST(DiscourseSetting, AParagraphNamingSeveralCitiesGivesTheCountry) {
  const std::string text =
      "Police clash with protesters in Mombasa\n\n"
      "Police fired tear gas at protesters in Mombasa on Monday.\n\n"
      "Marchers also gathered in Kisumu and Nakuru. Five people were "
      "arrested.\n";
  EXPECT_EQ(PlaceOf(CountOf(text, v1::QUANTITY_KIND_ARRESTED, 5)), "Kenya");
}

TEST(DiscourseSetting, AParagraphsOneCityWinsOverTheLeads) {
  const std::string text =
      "Police clash with protesters in Mombasa\n\n"
      "Police fired tear gas at protesters in Mombasa on Monday.\n\n"
      "In Kisumu, marchers blocked a road. Five people were arrested.\n";
  EXPECT_EQ(PlaceOf(CountOf(text, v1::QUANTITY_KIND_ARRESTED, 5)), "Kisumu");
}

TEST(DiscourseSetting,
     NationwideFiguresAndTheRestOfTheirParagraphKeepTheCountry) {
  const std::string text =
      "Police clash with protesters in Mombasa\n\n"
      "Police fired tear gas at protesters in Mombasa on Monday.\n\n"
      "Across the country, 40 people were arrested. Another 12 were "
      "injured.\n";
  EXPECT_EQ(PlaceOf(CountOf(text, v1::QUANTITY_KIND_ARRESTED, 40)), "Kenya");
  EXPECT_EQ(PlaceOf(CountOf(text, v1::QUANTITY_KIND_INJURED, 12)), "Kenya");
}

TEST(DiscourseSetting, TheDatelineCityIsTheSetting) {
  const std::string text =
      "NAIROBI, Kenya (AP) - Police fired tear gas at protesters in Kenya on "
      "Monday.\n\n"
      "Three people were injured, a doctor said.\n";
  EXPECT_EQ(PlaceOf(CountOf(text, v1::QUANTITY_KIND_INJURED, 3)), "Nairobi");
}

TEST(DiscourseSetting, AWireDatelineInAnotherCountryIsNotTheSetting) {
  const std::string text =
      "NAIROBI, Kenya (AP) - Police in Uganda fired tear gas at protesters "
      "in Uganda on Monday, as Uganda braced for more.\n\n"
      "Three people were injured, a doctor said.\n";
  EXPECT_EQ(PlaceOf(CountOf(text, v1::QUANTITY_KIND_INJURED, 3)), "Uganda");
}

TEST(DiscourseSetting, AHeadingLineOpensASection) {
  const std::string text =
      "Police clash with protesters in Mombasa\n\n"
      "Police fired tear gas at protesters in Mombasa on Monday.\n\n" +
      Filler() +
      "Kisumu\n\n"
      "Five people were arrested, police said.\n";
  EXPECT_EQ(PlaceOf(CountOf(text, v1::QUANTITY_KIND_ARRESTED, 5)), "Kisumu");
}

std::string DateOf(const v1::Quantity& q) {
  if (!q.has_date()) return "none";
  return absl::StrCat(q.date().year(), "-", q.date().month(), "-",
                      q.date().day());
}

TEST(DiscourseDates, ACountTakesTheDateOfTheParagraphsDatedEvent) {
  const std::string text =
      "Police fired tear gas at protesters in Mombasa on March 2, 2020. "
      "Three people were killed.\n";
  EXPECT_EQ(DateOf(CountOf(text, v1::QUANTITY_KIND_KILLED, 3)), "2020-3-2");
}

TEST(DiscourseDates, ATotalToDateTakesNoDate) {
  const std::string text =
      "Police fired tear gas at protesters in Mombasa on March 2, 2020. So "
      "far, 12 people have been killed.\n";
  EXPECT_EQ(DateOf(CountOf(text, v1::QUANTITY_KIND_KILLED, 12)), "none");
}

TEST(DiscourseDates, ALaterParagraphTakesTheStorysDate) {
  const std::string text =
      "Police fired tear gas at protesters in Mombasa on March 2, 2020.\n\n"
      "Three people were killed.\n";
  EXPECT_EQ(DateOf(CountOf(text, v1::QUANTITY_KIND_KILLED, 3)), "2020-3-2");
}

TEST(DiscourseDates, ALaterTotalToDateTakesNoDate) {
  const std::string text =
      "Police fired tear gas at protesters in Mombasa on March 2, 2020.\n\n"
      "The death toll has risen to 12 since the unrest began.\n";
  EXPECT_EQ(DateOf(CountOf(text, v1::QUANTITY_KIND_KILLED, 12)), "none");
}

TEST(DiscourseDates, AStoryOfSeveralDaysGivesASilentFigureNoDate) {
  const std::string text =
      "Students marched in Mombasa on March 1, 2020.\n\n"
      "Police fired tear gas at protesters in Mombasa on March 2, 2020.\n\n"
      "Three people were killed.\n";
  EXPECT_EQ(DateOf(CountOf(text, v1::QUANTITY_KIND_KILLED, 3)), "none");
}

TEST(DiscourseDates, ADayNoEventSentenceGivesIsNoStoryDate) {
  const std::string text =
      "The city was tense on March 3, 2020.\n\n"
      "Five people were killed in Mombasa.\n";
  EXPECT_EQ(DateOf(CountOf(text, v1::QUANTITY_KIND_KILLED, 5)), "none");
}

TEST(DiscourseDates, ARepeatedCountTakesTheDateALaterMentionStates) {
  // The first mention only inherits its paragraph's date; the second
  // states its own.
  const std::string text =
      "Police fired tear gas at protesters in Mombasa on March 1, 2020. Ten "
      "people were killed in Mombasa.\n\n"
      "Ten people were killed in Mombasa on March 2, 2020, police said.\n";
  EXPECT_EQ(DateOf(CountOf(text, v1::QUANTITY_KIND_KILLED, 10)), "2020-3-2");
}

TEST(DiscourseDates, ADatelinesDateGivesWayToTheWeekdayBesideIt) {
  const std::string text =
      "MOMBASA, Kenya, 5 March 2020 - Police fired tear gas at protesters "
      "yesterday, killing three people.\n";
  EXPECT_EQ(DateOf(CountOf(text, v1::QUANTITY_KIND_KILLED, 3)), "2020-3-4");
}

TEST(DiscourseDates, AnEventsEvidenceIsTheSentenceWithItsFigures) {
  // A caption names the event first; the event that carries the figure
  // shows the sentence that gives it.
  const std::string text =
      "Police fire tear gas at protesters in Mombasa on March 2, 2020. "
      "(Photo: Agency)\n\n"
      "Police fired tear gas at protesters in Mombasa on March 2, 2020, "
      "and three people were killed.\n";
  v1::ArticleInput input;
  input.set_text(text);
  auto response = TheExtractor().Parse(input);
  ASSERT_TRUE(response.ok()) << response.status();
  bool found = false;
  for (const v1::Event& e : response->events()) {
    for (const v1::Quantity& q : e.quantities()) {
      if (q.kind() != v1::QUANTITY_KIND_KILLED) continue;
      found = true;
      EXPECT_GT(e.evidence().start(), text.find("\n\n")) << e.evidence().text();
    }
  }
  EXPECT_TRUE(found);
}

TEST(DiscourseDates, AnAnnouncementDateDatesNoEvent) {
  const std::string text =
      "Police said on March 2, 2020 that protesters had marched in Mombasa. "
      "Three people were killed.\n";
  EXPECT_EQ(DateOf(CountOf(text, v1::QUANTITY_KIND_KILLED, 3)), "none");
}

std::string SourceOf(const v1::Quantity& q) { return q.attribution().text(); }

TEST(DiscourseSpeakers, TheSpeakerCarriesThroughHisParagraph) {
  const std::string text =
      "Police spokesman John Mwangi said officers were attacked in Mombasa. "
      "Protesters burned a police post. Five people were arrested.\n";
  EXPECT_EQ(SourceOf(CountOf(text, v1::QUANTITY_KIND_ARRESTED, 5)),
            "Police spokesman John Mwangi");
}

TEST(DiscourseSpeakers, AFollowOnParagraphKeepsTheSpeaker) {
  const std::string text =
      "Police spokesman John Mwangi said five people were arrested in "
      "Mombasa.\n\n"
      "Additionally, seven people were injured.\n";
  EXPECT_EQ(SourceOf(CountOf(text, v1::QUANTITY_KIND_INJURED, 7)),
            "Police spokesman John Mwangi");
}

// Lines of a list (ending with a colon, or opening with a dash or bullet)
// go on with the speaker who introduced the list.
TEST(DiscourseSpeakers, ListLinesKeepTheSpeaker) {
  const std::string text =
      "Police spokesman John Mwangi said 90 protesters were arrested in "
      "Mombasa on Sunday.\n\n"
      "Old Town - A total of 51 individuals arrested:\n\n"
      "- 38 adults;\n\n"
      "Likoni - A total of 39 individuals arrested:\n";
  EXPECT_EQ(SourceOf(CountOf(text, v1::QUANTITY_KIND_ARRESTED, 51)),
            "Police spokesman John Mwangi");
  EXPECT_EQ(SourceOf(CountOf(text, v1::QUANTITY_KIND_ARRESTED, 39)),
            "Police spokesman John Mwangi");
}

TEST(DiscourseSpeakers, ANewParagraphDropsTheSpeaker) {
  const std::string text =
      "Police spokesman John Mwangi said five people were arrested in "
      "Mombasa.\n\n"
      "Seven people were injured.\n";
  EXPECT_EQ(SourceOf(CountOf(text, v1::QUANTITY_KIND_INJURED, 7)), "");
}

TEST(DiscourseSpeakers, AnOutletThatRelaysASpeakerIsNotTheSource) {
  const std::string text =
      "Police spokesman John Mwangi said five people were arrested in "
      "Mombasa, the Coast Times reported.\n";
  EXPECT_EQ(SourceOf(CountOf(text, v1::QUANTITY_KIND_ARRESTED, 5)),
            "Police spokesman John Mwangi");
}

TEST(DiscourseSpeakers, AnOutletsOwnTallyIsTheSource) {
  const std::string text =
      "Five people were arrested in Mombasa, the Coast Times reported.\n";
  EXPECT_EQ(SourceOf(CountOf(text, v1::QUANTITY_KIND_ARRESTED, 5)),
            "Coast Times");
}

}  // namespace
}  // namespace newsevents::extract
