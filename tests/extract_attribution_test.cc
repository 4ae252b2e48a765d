// Sources of counts: "X said", "according to X", "X told Y", "as quoted by",
// pronouns and bare titles or surnames resolved to the named speaker, and
// follow-on figures taking the speaker of the previous sentence.

#include <string>

#include "gtest/gtest.h"
#include "ingest_service/extract/extractor.h"
#include "ingest_service/gazetteer/gazetteer.h"
#include "testing/embedded_gazetteer.h"

namespace newsevents::extract {
namespace {

const Extractor& TheExtractor() { return testing::EmbeddedExtractor(); }

// The attribution text of the count with `value`, or "<none>".
std::string SourceOf(const std::string& text, int64_t value) {
  v1::ArticleInput input;
  input.set_text(text);
  auto response = TheExtractor().Parse(input);
  EXPECT_TRUE(response.ok()) << response.status();
  if (!response.ok()) return "<error>";
  for (const v1::Event& e : response->events()) {
    for (const v1::Quantity& q : e.quantities()) {
      if (q.value() != value) continue;
      const v1::Attribution& a =
          q.has_attribution() ? q.attribution() : e.attribution();
      return a.text().empty() ? "<none>" : a.text();
    }
  }
  return "<no count>";
}

struct Case {
  const char* text;
  int64_t value;
  const char* source;
};

class AttributionTest : public ::testing::TestWithParam<Case> {};

TEST_P(AttributionTest, Source) {
  const Case& c = GetParam();
  EXPECT_EQ(SourceOf(c.text, c.value), c.source) << c.text;
}

INSTANTIATE_TEST_SUITE_P(
    Table, AttributionTest,
    ::testing::Values(
        // The body behind a statement or a report is the source, not the
        // document.
        Case{"Police arrested five ringleaders in Noumea, according to a "
             "statement by the high commission.",
             5, "high commission"},
        Case{"According to a report from the Lagos State Police Command, 40 "
             "people were arrested.",
             40, "Lagos State Police Command"},
        // An opening conjunction is not part of the speaker.
        Case{"And medical sources told reporters that 15 people were killed.",
             15, "medical sources"},
        // A body that recorded or documented a figure gave it.
        Case{"Rights Watch Ghana recorded 23 deaths during the protests.", 23,
             "Rights Watch Ghana"},
        // A paragraph opening "The majority of" goes on with the figures
        // of the one before, and so with its source.
        Case{"Rights Watch Ghana recorded 23 deaths during the protests.\n"
             "The majority of deaths took place in Kumasi (10) and Tamale "
             "(8).",
             8, "Rights Watch Ghana"},
        // The body behind an assessment, data or a tally is the source.
        Case{"According to an assessment made by the Accra Medical "
             "Association, 740 people were injured.",
             740, "Accra Medical Association"},
        Case{"According to data collected by Rights Watch Ghana, 23 people "
             "have died.",
             23, "Rights Watch Ghana"},
        // A name's acronym in brackets belongs to the speaker.
        Case{"The Accra Police Command (APC) announced that 113 protesters "
             "were arrested.",
             113, "Accra Police Command (APC)"},
        Case{"More than 60 people were injured, health officials said.", 60,
             "health officials"},
        Case{"Police spokesman Nihal Thalduwa said 320 people were arrested.",
             320, "Police spokesman Nihal Thalduwa"},
        Case{"According to the Interior Ministry, 41 people were arrested.", 41,
             "Interior Ministry"},
        Case{"\"We arrested 320 people,\" police spokesman Nihal Thalduwa told "
             "reporters.",
             320, "police spokesman Nihal Thalduwa"},
        Case{"Twelve people were killed, as quoted by the Xinhua news agency.",
             12, "Xinhua news agency"},
        Case{"Lagos police on Friday reported that 17 people died.", 17,
             "Lagos police"},
        Case{"Interior Minister Gerald Darmanin spoke in Paris. He said 312 "
             "people were detained.",
             312, "Interior Minister Gerald Darmanin"},
        Case{"Prosecutor General Jose Perez spoke on Monday. The Prosecutor "
             "General added that 90 people were charged and detained.",
             90, "Prosecutor General Jose Perez"},
        Case{"Army spokesman Ali Khan briefed reporters. Khan also claimed "
             "that 14 soldiers were wounded.",
             14, "Army spokesman Ali Khan"},
        Case{"The ministry of health said the toll was rising. About 70 of "
             "the wounded were taken to hospital.",
             70, "ministry of health"},
        Case{"Dozens were killed in Lima.", 24, "<none>"},
        // Bodies named by lower-case words: "the regional police command",
        // "the medical association".
        Case{"Another 16 were arrested in Arequipa, according to the "
             "regional police command.",
             16, "regional police command"},
        Case{"At least 31 were wounded, the medical association said.", 31,
             "medical association"},
        Case{"Protesters torched 16 buses, according to the transport "
             "ministry.",
             16, "transport ministry"},
        Case{"The transport ministry said protesters torched 16 buses.", 16,
             "transport ministry"},
        Case{"The governor of Tehran province said 739 people had been "
             "arrested.",
             739, "governor of Tehran province"},
        Case{"Government spokesman Ali Diop had earlier put the toll at five.",
             5, "Government spokesman Ali Diop"},
        // The verb before its speaker, after a quote or a comma.
        Case{"\"We counted five dead bodies in Nairobi,\" said Richard "
             "Ochieng, a paramedic.",
             5, "Richard Ochieng"},
        Case{"At least 12 people died in Lagos, said Amina Bello of the Red "
             "Cross.",
             12, "Amina Bello of the Red Cross"},
        Case{"Thirteen members of the security forces were killed in Almaty, "
             "the city's commandant's office said.",
             13, "city's commandant's office"},
        Case{"The CGT union put national turnout at more than 3 million in "
             "France.",
             3000000, "CGT union"},
        Case{"Police detained 40 people in Almaty, while the United States "
             "urged restraint.",
             40, "<none>"},
        Case{"Over 5,800 people were detained in Almaty, the Interior "
             "Ministry was quoted as saying by Interfax.",
             5800, "Interior Ministry"},
        Case{"At least two journalists were detained in Almaty, the "
             "Committee to Protect Journalists said.",
             2, "Committee to Protect Journalists"},
        // A title, then the name between commas; what follows the verb
        // is not its speaker.
        Case{"Armenia's prime minister, Nikol Pashinyan, said the alliance "
             "would send troops, and that 12 soldiers had been injured.",
             12, "Nikol Pashinyan"},
        // A name, then its title between commas.
        Case{"Serik Shalabayev, head of criminal prosecution at the "
             "Prosecutor General's Office, told a briefing that 225 people had "
             "died.",
             225,
             "Serik Shalabayev, head of criminal prosecution at the Prosecutor "
             "General's Office"}));

TEST(Attribution, OutletsQuotedAreNotAntecedentsOfPronouns) {
  EXPECT_EQ(SourceOf("Police chief Ana Ruiz said 40 were hurt, according to "
                     "the Lima Times. She added that 9 of them were in "
                     "critical condition.",
                     9),
            "Police chief Ana Ruiz");
}

}  // namespace
}  // namespace newsevents::extract
