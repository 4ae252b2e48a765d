// Tests of PlaceFinder against the embedded gazetteer.

#include "ingest_service/gazetteer/place_finder.h"

#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ingest_service/gazetteer/gazetteer.h"
#include "testing/embedded_gazetteer.h"

namespace newsevents::gazetteer {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

const Gazetteer& Embedded() { return testing::EmbeddedGazetteer(); }

// A mention as "<text>=<name>/<country>", with "~" marking demonyms, so a
// failing expectation shows everything at once.
std::string Describe(absl::string_view text, const PlaceMention& mention) {
  return std::string(text.substr(mention.start, mention.end - mention.start)) +
         "=" + (mention.demonym ? "~" : "") + mention.place->name + "/" +
         mention.place->country_code;
}

std::vector<std::string> FindAll(absl::string_view text,
                                 std::vector<std::string> hints = {}) {
  PlaceFinder finder(&Embedded());
  std::vector<std::string> found;
  for (const PlaceMention& mention : finder.Find(text, hints)) {
    found.push_back(Describe(text, mention));
  }
  return found;
}

TEST(PlaceFinder, FindsCityAndHyphenatedCapital) {
  EXPECT_THAT(
      FindAll("Protesters in Almaty and the capital Nur-Sultan clashed"),
      ElementsAre("Almaty=Almaty/KZ", "Nur-Sultan=Nur-Sultan/KZ"));
}

TEST(PlaceFinder, FindsCountryBeforeCurlyPossessive) {
  EXPECT_THAT(FindAll("Kazakhstan’s president spoke"),
              ElementsAre("Kazakhstan=Kazakhstan/KZ"));
  EXPECT_THAT(FindAll("Kazakhstan's president spoke"),
              ElementsAre("Kazakhstan=Kazakhstan/KZ"));
}

TEST(PlaceFinder, FindsTownAfterLowercaseWords) {
  EXPECT_THAT(FindAll("riots in the oil town of Zhanaozen last year"),
              ElementsAre("Zhanaozen=Zhanaozen/KZ"));
}

TEST(PlaceFinder, IgnoresCommonWordsAtSentenceStart) {
  EXPECT_THAT(FindAll("Police said on Sunday that"), IsEmpty());
  EXPECT_THAT(FindAll("UN. Over. Early. Supreme Court. Defence Force."),
              IsEmpty());
  EXPECT_THAT(FindAll("March. Protesters gathered. President Government "
                      "Security Reports Interior Mayor"),
              IsEmpty());
}

TEST(PlaceFinder, FindsDemonymAsItsCountry) {
  EXPECT_THAT(FindAll("protests broke out in a number of Kazakh cities"),
              ElementsAre("Kazakh=~Kazakhstan/KZ"));
  EXPECT_THAT(FindAll("Sri Lankan troops"),
              ElementsAre("Sri Lankan=~Sri Lanka/LK"));
}

TEST(PlaceFinder, FindsAliasesAndReportsTheirSpan) {
  EXPECT_THAT(FindAll("the former capital Alma-Ata, now Almaty."),
              ElementsAre("Alma-Ata=Almaty/KZ", "Almaty=Almaty/KZ"));
}

TEST(PlaceFinder, PrefersTheLongestName) {
  EXPECT_THAT(
      FindAll("flights to South Korea and New York"),
      ElementsAre("South Korea=South Korea/KR", "New York=New York City/US"));
}

TEST(PlaceFinder, FindsDottedInitialsAndAbbreviations) {
  EXPECT_THAT(FindAll("U.S. officials flew to St. Petersburg."),
              ElementsAre("U.S.=United States/US",
                          "St. Petersburg=Saint Petersburg/RU"));
  EXPECT_THAT(FindAll("the U.K.’s envoy"),
              ElementsAre("U.K.=United Kingdom/GB"));
}

TEST(PlaceFinder, ResolvesAmbiguousNamesWithCountryHints) {
  // Tripoli is the capital of Libya and a city in northern Lebanon.
  EXPECT_THAT(FindAll("clashes in Tripoli"), ElementsAre("Tripoli=Tripoli/LY"));
  EXPECT_THAT(FindAll("clashes in Tripoli", {"LB"}),
              ElementsAre("Tripoli=Tripoli/LB"));
  EXPECT_THAT(FindAll("clashes in Tripoli", {"FR", "LB", "LY"}),
              ElementsAre("Tripoli=Tripoli/LB"));
}

TEST(PlaceFinder, DropsSmallTownsOutsideHintedCountries) {
  // Nur, Poland (760 people) is only plausible in an article about Poland.
  EXPECT_THAT(FindAll("said Nur yesterday"), IsEmpty());
  EXPECT_THAT(FindAll("said Nur yesterday", {"PL"}), ElementsAre("Nur=Nur/PL"));
}

TEST(PlaceFinder, TakesPlaceNameBeforeASurnameForAGivenName) {
  EXPECT_THAT(FindAll("talks with Vladimir Putin in Moscow"),
              ElementsAre("Moscow=Moscow/RU"));
  EXPECT_THAT(FindAll("a court in Vladimir ruled"),
              ElementsAre("Vladimir=Vladimir/RU"));
  // Even in an article about Kazakhstan.
  EXPECT_THAT(FindAll("former president Nursultan Nazarbayev", {"KZ"}),
              IsEmpty());
  EXPECT_THAT(FindAll("Jordan Peterson said"), IsEmpty());
  EXPECT_THAT(FindAll("as per The Washington Post."), IsEmpty());
}

TEST(PlaceFinder, KeepsPlaceBeforeACommonNounOrAnotherPlace) {
  EXPECT_THAT(FindAll("Almaty Mayor Yerzhan Babakumarov"),
              ElementsAre("Almaty=Almaty/KZ"));
  EXPECT_THAT(FindAll("the Vladimir Region governor", {"RU"}),
              ElementsAre("Vladimir=Vladimir/RU"));
  EXPECT_THAT(FindAll("the Russia Ukraine war"),
              ElementsAre("Russia=Russia/RU", "Ukraine=Ukraine/UA"));
  // A big city is a city, even before a non-place word.
  EXPECT_THAT(FindAll("the Moscow Kremlin"), ElementsAre("Moscow=Moscow/RU"));
}

TEST(PlaceFinder, IgnoresContinentsAndOrdinaryWordTowns) {
  EXPECT_THAT(FindAll("Central Asia. Much of Europe. Man arrested"), IsEmpty());
}

TEST(PlaceFinder, ReportsUtf8ByteOffsets) {
  const std::string text = "Über Öskemen “Almaty”";
  PlaceFinder finder(&Embedded());
  const auto mentions = finder.Find(text, {});
  ASSERT_EQ(mentions.size(), 2u);
  EXPECT_EQ(text.substr(mentions[0].start, mentions[0].end - mentions[0].start),
            "Öskemen");
  EXPECT_EQ(text.substr(mentions[1].start, mentions[1].end - mentions[1].start),
            "Almaty");
}

TEST(PlaceFinder, FindsNamesWithConnectorWords) {
  EXPECT_THAT(FindAll("in Rio de Janeiro and Rostov-on-Don"),
              ElementsAre("Rio de Janeiro=Rio de Janeiro/BR",
                          "Rostov-on-Don=Rostov-na-Donu/RU"));
}

TEST(PlaceFinder, FindsNamesWithCurlyApostrophesAndCapitals) {
  EXPECT_THAT(FindAll("troops in Côte d’Ivoire"),
              ElementsAre("Côte d’Ivoire=Ivory Coast/CI"));
  EXPECT_THAT(FindAll("ALMATY, KAZAKHSTAN (AP) —"),
              ElementsAre("ALMATY=Almaty/KZ", "KAZAKHSTAN=Kazakhstan/KZ"));
}

TEST(PlaceFinder, PrefersHintedRegionOverSameNamedCountry) {
  EXPECT_THAT(FindAll("storms in Georgia"), ElementsAre("Georgia=Georgia/GE"));
  EXPECT_THAT(FindAll("storms in Georgia", {"US"}),
              ElementsAre("Georgia=Georgia/US"));
}

TEST(PlaceFinder, FindsPluralDemonyms) {
  EXPECT_THAT(
      FindAll("Kazakhs and Americans"),
      ElementsAre("Kazakhs=~Kazakhstan/KZ", "Americans=~United States/US"));
}

TEST(PlaceFinder, KeepsMentionsInBoundsOnArbitraryBytes) {
  PlaceFinder finder(&Embedded());
  uint32_t state = 12345;
  for (int round = 0; round < 200; ++round) {
    std::string text;
    for (int i = 0; i < 200; ++i) {
      state = state * 1103515245u + 12345u;  // deterministic LCG
      const char alphabet[] =
          "Almaty Nur-Sultan U.S. \xe2\x80\x99s \xc3\xb6\xff.";
      text.push_back(alphabet[(state >> 16) % (sizeof(alphabet) - 1)]);
    }
    size_t previous_end = 0;
    for (const PlaceMention& mention : finder.Find(text, {"KZ"})) {
      ASSERT_LE(previous_end, mention.start);
      ASSERT_LT(mention.start, mention.end);
      ASSERT_LE(mention.end, text.size());
      ASSERT_NE(mention.place, nullptr);
      previous_end = mention.end;
    }
  }
}

TEST(PlaceFinder, StopPhrasesHideThePlacesInside) {
  EXPECT_THAT(FindAll("the New York Times reported from Latin American "
                      "capitals and the Middle East"),
              IsEmpty());
  EXPECT_THAT(FindAll("the Moscow Times"), IsEmpty());
  EXPECT_THAT(FindAll("in New York"), ElementsAre("New York=New York City/US"));
}

TEST(PlaceFinder, HandlesEmptyAndPunctuationOnlyText) {
  EXPECT_THAT(FindAll(""), IsEmpty());
  EXPECT_THAT(FindAll(" ,.;-’ "), IsEmpty());
}

}  // namespace
}  // namespace newsevents::gazetteer
