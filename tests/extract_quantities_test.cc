// Counts end to end (the count rules of docs/extraction.md): kinds, values,
// qualifiers, groups, objects, sub-totals, merging of repeats, and numbers
// that are not counts. Sentences are invented, in the style of wire reports
// from many countries, so that no rule fits only the seed articles.

#include <algorithm>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "ingest_service/extract/extractor.h"
#include "ingest_service/gazetteer/gazetteer.h"
#include "testing/embedded_gazetteer.h"

namespace newsevents::extract {
namespace {

const Extractor& TheExtractor() { return testing::EmbeddedExtractor(); }

struct Count {
  v1::QuantityKind kind;
  int64_t value;
  v1::Qualifier qualifier;
  v1::Group group;
  std::string object;
  std::string place;
  int64_t value_max = 0;
  int subtotal_of = -1;
};

std::vector<Count> CountsOf(const std::string& text) {
  v1::ArticleInput input;
  input.set_text(text);
  auto response = TheExtractor().Parse(input);
  EXPECT_TRUE(response.ok()) << response.status();
  std::vector<Count> out;
  if (!response.ok()) return out;
  for (const v1::Event& e : response->events()) {
    for (const v1::Quantity& q : e.quantities()) {
      // Evidence must be the exact raw bytes.
      EXPECT_EQ(text.substr(q.evidence().start(),
                            q.evidence().end() - q.evidence().start()),
                q.evidence().text());
      const v1::Location& loc = q.has_location() ? q.location() : e.location();
      out.push_back({q.kind(), q.value(), q.qualifier(), q.group(), q.object(),
                     loc.name(), q.value_max(), q.subtotal_of()});
    }
  }
  return out;
}

std::string Describe(const std::vector<Count>& counts) {
  std::string out;
  for (const Count& c : counts) {
    absl::StrAppend(&out, v1::QuantityKind_Name(c.kind), " ", c.value, " ",
                    v1::Qualifier_Name(c.qualifier), " ",
                    v1::Group_Name(c.group), " [", c.object, "] @", c.place,
                    "\n");
  }
  return out;
}

// The (place, value) of every count, sorted.
std::vector<std::pair<std::string, int64_t>> PlacesAndValues(
    const std::vector<Count>& counts) {
  std::vector<std::pair<std::string, int64_t>> out;
  for (const Count& c : counts) out.emplace_back(c.place, c.value);
  std::sort(out.begin(), out.end());
  return out;
}

struct Case {
  const char* text;
  v1::QuantityKind kind;
  int64_t value;
  v1::Qualifier qualifier;
  v1::Group group;
  const char* object;
};

class QuantitiesTest : public ::testing::TestWithParam<Case> {};

TEST_P(QuantitiesTest, FindsTheCount) {
  const Case& c = GetParam();
  std::vector<Count> counts = CountsOf(c.text);
  bool found = false;
  for (const Count& got : counts) {
    if (got.kind == c.kind && got.value == c.value) {
      found = true;
      EXPECT_EQ(got.qualifier, c.qualifier) << c.text;
      EXPECT_EQ(got.group, c.group) << c.text;
      EXPECT_EQ(got.object, c.object) << c.text;
    }
  }
  EXPECT_TRUE(found) << c.text << "\ngot:\n" << Describe(counts);
}

using K = v1::QuantityKind;
constexpr K kKilled = v1::QUANTITY_KIND_KILLED;
constexpr K kInjured = v1::QUANTITY_KIND_INJURED;
constexpr K kHospital = v1::QUANTITY_KIND_HOSPITALIZED;
constexpr K kArrested = v1::QUANTITY_KIND_ARRESTED;
constexpr K kCrowd = v1::QUANTITY_KIND_PARTICIPANTS;
constexpr K kDamaged = v1::QUANTITY_KIND_DAMAGED;
constexpr v1::Qualifier kExact = v1::QUALIFIER_EXACT;
constexpr v1::Qualifier kAtLeast = v1::QUALIFIER_AT_LEAST;
constexpr v1::Qualifier kAtMost = v1::QUALIFIER_AT_MOST;
constexpr v1::Qualifier kAbout = v1::QUALIFIER_APPROXIMATE;
constexpr v1::Qualifier kVague = v1::QUALIFIER_VAGUE;
constexpr v1::Group kNone = v1::GROUP_UNSPECIFIED;
constexpr v1::Group kProtesters = v1::GROUP_PROTESTERS;
constexpr v1::Group kSecurity = v1::GROUP_SECURITY_FORCES;
constexpr v1::Group kCivilians = v1::GROUP_CIVILIANS;

INSTANTIATE_TEST_SUITE_P(
    Table, QuantitiesTest,
    ::testing::Values(
        // Killed.
        Case{"At least 17 people were killed in clashes in Juliaca on Monday.",
             kKilled, 17, kAtLeast, kNone, ""},
        // Crowds in headline tense and other crowd verbs; not "20 protest
        // sites" (see NotCounts).
        Case{"Thousands march against fuel prices in Lagos.", kCrowd, 2000,
             kVague, kProtesters, ""},
        Case{"Tens of thousands of protesters converged on Colombo.", kCrowd,
             20000, kVague, kProtesters, ""},
        // A bare number joined by "and" counts the same people; two numbers
        // joined by "and" share the cue after the second.
        Case{"In Almaty, 18 law enforcement officers were killed and 748 "
             "injured.",
             kInjured, 748, kExact, kSecurity, ""},
        Case{"In Almaty, 120 cars and more than 100 business premises were "
             "burned.",
             kDamaged, 120, kExact, kNone, "cars"},
        Case{"In Almaty, 120 cars and more than 100 business premises were "
             "burned.",
             kDamaged, 100, kAtLeast, kNone, "business premises"},
        // Session 5 cue vocabulary.
        Case{"The riots in Accra caused the loss of over 150 lives.", kKilled,
             150, kAtLeast, kNone, ""},
        Case{"In Accra, 87 people had been treated as outpatients.", kInjured,
             87, kExact, kNone, ""},
        Case{"In Accra, 12 people were treated at the scene.", kInjured, 12,
             kExact, kNone, ""},
        Case{"Police placed five organisers under house arrest in Accra.",
             kArrested, 5, kExact, kNone, ""},
        Case{"Police in Accra reported the arrest of 1,248 people.", kArrested,
             1248, kExact, kNone, ""},
        Case{"About 4,000 people took part in the march in Accra.", kCrowd,
             4000, kAbout, kProtesters, ""},
        Case{"In Accra, 617 vehicles were set alight overnight.", kDamaged, 617,
             kExact, kNone, "vehicles"},
        Case{"Rioters were blamed for the ransacking of 300 stores in Accra.",
             kDamaged, 300, kExact, kNone, "stores"},
        Case{"The death toll from the riots in Accra and parts of the northern "
             "region has risen to 72.",
             kKilled, 72, kExact, kNone, ""},
        Case{"The clashes took the toll in Accra to 34.", kKilled, 34, kExact,
             kNone, ""},
        Case{"Thousands of workers staged demonstrations in Accra.", kCrowd,
             2000, kVague, kProtesters, ""},
        Case{"In Accra, scores of youths went on the rampage.", kCrowd, 40,
             kVague, kProtesters, ""},
        Case{"In Accra, 15 people were captured by soldiers.", kArrested, 15,
             kExact, kNone, ""},
        Case{"In Accra, 52 suspects are being held.", kArrested, 52, kExact,
             kNone, ""},
        Case{"In Accra, 113 protesters were nabbed after the march.", kArrested,
             113, kExact, kProtesters, ""},
        Case{"In Accra, two officers have been beaten.", kInjured, 2, kExact,
             kSecurity, ""},
        Case{"In Accra, 416 people suffered gas inhalation.", kInjured, 416,
             kExact, kNone, ""},
        Case{"Local media put the death toll in Accra as high as 16.", kKilled,
             16, kExact, kNone, ""},
        // Bodies counted are deaths.
        Case{"The ministry said 44 bodies had been identified in Almaty.",
             kKilled, 44, kExact, kNone, ""},
        // Medical help sought or received is an injury.
        Case{"More than 4,500 people in Almaty had sought medical help.",
             kInjured, 4500, kAtLeast, kNone, ""},
        Case{"The bodies of 225 people had been delivered to morgues in "
             "Almaty.",
             kKilled, 225, kExact, kNone, ""},
        // A turnout "put at" a figure, often a second estimate.
        Case{"Unions said 3.5 million people joined the protests, while the "
             "ministry put the turnout at 1.09 million.",
             kCrowd, 1090000, kExact, kProtesters, ""},
        // Tolls named as "the number of people killed", or "put at".
        Case{"The number of people killed in the unrest in Dakar has risen "
             "to 10, the Red Cross said.",
             kKilled, 10, kExact, kNone, ""},
        Case{"The spokesman had earlier put the toll in Dakar at five.",
             kKilled, 5, kExact, kNone, ""},
        // A capitalised determiner before the number is not a name ("Khabar
        // 24"): the sentence just starts there.
        Case{"Another 16 were arrested in Arequipa.", kArrested, 16, kExact,
             kNone, ""},
        Case{"The 30 detained were taken to Mombasa.", kArrested, 30, kExact,
             kNone, ""},
        // "N of them" takes the group of the people named after it.
        Case{"Nearly 90 people were injured in Cali, 23 of them police "
             "officers.",
             kInjured, 23, kExact, kSecurity, ""},
        Case{"The unrest has claimed the lives of 56 people in Nigeria.",
             kKilled, 56, kExact, kNone, ""},
        Case{"Iranian security forces killed at least 41 protesters.", kKilled,
             41, kAtLeast, kProtesters, ""},
        Case{"Two people were shot dead in Colombo.", kKilled, 2, kExact, kNone,
             ""},
        Case{"Soldiers shot dead seven protesters in Khartoum.", kKilled, 7,
             kExact, kProtesters, ""},
        // A shooting that kills is KILLED, not INJURED.
        Case{"Four of the marchers were shot and killed near the bridge.",
             kKilled, 4, kExact, kProtesters, ""},
        Case{"One protester was fatally shot outside the campus on Monday.",
             kKilled, 1, kExact, kProtesters, ""},
        Case{"Three demonstrators were shot to death outside the mayor's "
             "office.",
             kKilled, 3, kExact, kProtesters, ""},
        Case{"Two guards were fatally wounded when the crowd rushed the gate.",
             kKilled, 2, kExact, kNone, ""},
        Case{"Dozens of rioters have been eliminated, police said.", kKilled,
             24, kVague, kProtesters, ""},
        Case{"The blaze caused the death of no less than eight soldiers.",
             kKilled, 8, kAtLeast, kSecurity, ""},
        Case{"Police opened fire on a march in Cusco, killing at least one "
             "person.",
             kKilled, 1, kAtLeast, kNone, ""},
        Case{"Three journalists died in the violence in Port-au-Prince.",
             kKilled, 3, kExact, kCivilians, ""},
        Case{"The death toll from a week of riots in Chile rose to 18.",
             kKilled, 18, kExact, kNone, ""},
        Case{"Nigeria: death toll rises to 56", kKilled, 56, kExact, kNone, ""},
        Case{"Eleven children lost their lives in the stampede in Dhaka.",
             kKilled, 11, kExact, kCivilians, ""},
        // Injured and hospitalized.
        Case{"More than 60 people were injured in the protests in Lima.",
             kInjured, 60, kAtLeast, kNone, ""},
        Case{"79 police officers were hurt in the clashes in Marseille.",
             kInjured, 79, kExact, kSecurity, ""},
        Case{"Some 300 demonstrators were wounded in Santiago.", kInjured, 300,
             kAbout, kProtesters, ""},
        Case{"Nearly 40 people were taken to hospital in Quito.", kHospital, 40,
             kAtMost, kNone, ""},
        Case{"Five protesters are in critical condition, doctors said.",
             kInjured, 5, kExact, kProtesters, ""},
        Case{"Doctors said nearly 200 people were seeking treatment in Accra.",
             kInjured, 200, kAtMost, kNone, ""},
        Case{"At least 14 officers sustained injuries in Dakar.", kInjured, 14,
             kAtLeast, kSecurity, ""},
        Case{"Some 60 people were being treated at hospitals in Accra.",
             kHospital, 60, kAbout, kNone, ""},
        Case{"About 90 people were admitted to hospitals in Tehran.", kHospital,
             90, kAbout, kNone, ""},
        Case{"Seven remain in intensive care in Kampala.", kHospital, 7, kExact,
             kNone, ""},
        // Arrested.
        Case{"Police said 50 arrests were made in Nairobi.", kArrested, 50,
             kExact, kNone, ""},
        Case{"French police detained 312 people overnight.", kArrested, 312,
             kExact, kNone, ""},
        Case{"More than 1,200 protesters have been arrested in Iran.",
             kArrested, 1200, kAtLeast, kProtesters, ""},
        Case{"Authorities said 45 students were taken into custody in Dhaka.",
             kArrested, 45, kExact, kNone, ""},
        // Crowds.
        Case{"Tens of thousands took to the streets of Santiago on Friday.",
             kCrowd, 20000, kVague, kProtesters, ""},
        Case{"The rally drew an estimated 50,000 people in Lagos.", kCrowd,
             50000, kAbout, kProtesters, ""},
        Case{"Hundreds of students marched in Tehran on Thursday.", kCrowd, 200,
             kVague, kProtesters, ""},
        Case{"Hundreds of angry protesters stormed the parliament in Colombo.",
             kCrowd, 200, kVague, kProtesters, ""},
        Case{"In Beijing, about 1,000 students held a vigil on Sunday.", kCrowd,
             1000, kAbout, kProtesters, ""},
        // A crowd is what police disperse or face, whatever its noun.
        Case{"Police dispersed 300 people in Lima on Tuesday.", kCrowd, 300,
             kExact, kProtesters, ""},
        Case{"Riot police faced about 5,000 rioters in Noumea.", kCrowd, 5000,
             kAbout, kProtesters, ""},
        Case{"Hundreds of supporters defied the curfew in Kathmandu.", kCrowd,
             200, kVague, kProtesters, ""},
        Case{"More than 2,000 people barricaded themselves inside the town "
             "hall in Yerevan.",
             kCrowd, 2000, kAtLeast, kProtesters, ""},
        Case{"Crowds estimated to number around 1,500 filled the square in "
             "Tbilisi.",
             kCrowd, 1500, kAbout, kProtesters, ""},
        // "The number of <kind>" names a toll of that kind; a date inside
        // the clause does not end the search for it.
        Case{"Hospital sources put the number of wounded at 63 in Kasserine.",
             kInjured, 63, kExact, kNone, ""},
        Case{"The number of detainees at the rally in Moscow exceeded a "
             "thousand people.",
             kArrested, 1000, kExact, kNone, ""},
        Case{"The number of the detained across Turkey as of 17 June 2013 has "
             "reached 3091.",
             kArrested, 3091, kExact, kNone, ""},
        Case{"Doctors put the total number of people treated in hospitals on "
             "Saturday at 230.",
             kHospital, 230, kExact, kNone, ""},
        // "the injured" names the set; the verb after it says what befell
        // them, when there is one.
        Case{"Several of the injured were taken to hospital in Kisumu.",
             kHospital, 3, kVague, kNone, ""},
        Case{"Twelve of the wounded died in hospital in Kisumu.", kKilled, 12,
             kExact, kNone, ""},
        // "Among the injured were N", "the dead included N".
        Case{"Among the injured were 60 police officers in Peshawar.",
             kInjured, 60, kExact, kSecurity, ""},
        Case{"The dead included three children, officials in Quetta said.",
             kKilled, 3, kExact, kCivilians, ""},
        // Factories and cameras are property.
        Case{"Workers burned at least 15 factories in Gazipur.", kDamaged, 15,
             kAtLeast, kNone, "factories"},
        Case{"64 video surveillance cameras were vandalized in Panama City.",
             kDamaged, 64, kExact, kNone, "video surveillance cameras"},
        // A qualifier before a range leaves it a range; lakh is 100,000.
        Case{"Police dispersed around 50,000 to 1 lakh people in Panchkula.",
             kCrowd, 50000, v1::QUALIFIER_RANGE, kProtesters, ""},
        // Damage.
        Case{"Rioters burned 1,350 cars across France.", kDamaged, 1350, kExact,
             kProtesters, "cars"},
        Case{"Protesters set fire to 5 police stations in Nigeria.", kDamaged,
             5, kExact, kProtesters, "police stations"},
        Case{"Between 20 and 30 vehicles were torched in Colombo.", kDamaged,
             20, v1::QUALIFIER_RANGE, kNone, "vehicles"},
        Case{"Several government buildings have been reduced to rubble.",
             kDamaged, 3, kVague, kNone, "government buildings"}));

// The evidence of "20 to 30" starts at 20 (it once started at the text's
// first byte).
TEST(Quantities, ARangesEvidenceStartsAtItsFirstNumber) {
  const std::string text =
      "Clashes in Lima\n\nPolice said 20 to 30 people were killed in Lima.\n";
  auto response = TheExtractor().Parse([&] {
    v1::ArticleInput input;
    input.set_text(text);
    return input;
  }());
  ASSERT_TRUE(response.ok()) << response.status();
  bool found = false;
  for (const v1::Event& e : response->events()) {
    for (const v1::Quantity& q : e.quantities()) {
      if (q.value() != 20) continue;
      found = true;
      EXPECT_EQ(q.value_max(), 30);
      EXPECT_EQ(q.evidence().text().rfind("20 to 30", 0), 0u)
          << q.evidence().text();
    }
  }
  EXPECT_TRUE(found);
}

TEST(Quantities, SubtotalsAreCountsLinkedToTheirTotal) {
  std::vector<Count> counts = CountsOf(
      "In Lima, 230 people were killed, including 19 police officers.");
  ASSERT_EQ(counts.size(), 2u) << Describe(counts);
  EXPECT_EQ(counts[0].value, 230);
  EXPECT_EQ(counts[0].group, kNone);
  EXPECT_EQ(counts[1].value, 19);
  EXPECT_EQ(counts[1].kind, kKilled);
  EXPECT_EQ(counts[1].group, kSecurity);
  EXPECT_EQ(counts[1].subtotal_of, 0);
}

TEST(Quantities, OfThemAndBreakdownLists) {
  std::vector<Count> counts = CountsOf(
      "Police in Peru said 500 people were detained. 40 of them are students, "
      "25 are union leaders and 3 have criminal records. Two of them were "
      "put on a bus.");
  std::vector<int64_t> arrested;
  for (const Count& c : counts) {
    if (c.kind == kArrested) arrested.push_back(c.value);
  }
  EXPECT_EQ(arrested, (std::vector<int64_t>{500, 40, 25, 3}))
      << Describe(counts);
}

// A list whose verb is left out after its first item: each item is a count
// of the first one's kind, at its own place.
TEST(Quantities, GappedListItemsTakeTheFirstItemsKind) {
  std::vector<Count> counts = CountsOf(
      "Three people were shot dead in Mombasa, two in Kisumu and one in "
      "Nakuru.");
  ASSERT_EQ(counts.size(), 3u) << Describe(counts);
  EXPECT_EQ(counts[1].kind, kKilled);
  EXPECT_EQ(counts[1].value, 2);
  EXPECT_EQ(counts[1].place, "Kisumu");
  EXPECT_EQ(counts[2].kind, kKilled);
  EXPECT_EQ(counts[2].place, "Nakuru");
  EXPECT_EQ(counts[1].subtotal_of, -1);
}

// After a dash or colon, the items break down the count before them.
TEST(Quantities, ABreakdownAfterADashIsPartOfTheTotal) {
  std::vector<Count> counts = CountsOf(
      "Police said 90 people have been arrested \u2013 60 in Mombasa and 30 in "
      "Kisumu.");
  ASSERT_EQ(counts.size(), 3u) << Describe(counts);
  EXPECT_EQ(counts[0].value, 90);
  EXPECT_EQ(counts[1].value, 60);
  EXPECT_EQ(counts[1].kind, kArrested);
  EXPECT_EQ(counts[1].subtotal_of, 0);
  EXPECT_EQ(counts[1].place, "Mombasa");
  EXPECT_EQ(counts[2].value, 30);
  EXPECT_EQ(counts[2].subtotal_of, 0);
  counts = CountsOf(
      "Twelve officers were injured: eight with stones and four with "
      "machetes.");
  ASSERT_EQ(counts.size(), 3u) << Describe(counts);
  EXPECT_EQ(counts[1].kind, kInjured);
  EXPECT_EQ(counts[1].group, kSecurity);
}

// Numbers in a list that are not gapped clauses stay uncounted.
TEST(Quantities, AListOfOtherThingsIsNotGapped) {
  std::vector<Count> counts = CountsOf(
      "Five people were killed in Mombasa, 300 kilometres from Nairobi.");
  ASSERT_EQ(counts.size(), 1u) << Describe(counts);
  counts =
      CountsOf("Five people were killed in 2019, 2020 and 2021 in Mombasa.");
  ASSERT_EQ(counts.size(), 1u) << Describe(counts);
}

// "Most deaths were in Caracas (10) and Bolivar (8)": each bracketed
// number after a name is a count of the cue before, at that name.
TEST(Quantities, BracketedNumbersAfterNamesAreCountsOfTheCueBefore) {
  std::vector<Count> counts = CountsOf(
      "Most of the deaths were in Mombasa (10) and Kisumu (8), a rights "
      "group said.");
  ASSERT_EQ(counts.size(), 2u) << Describe(counts);
  EXPECT_EQ(counts[0].kind, kKilled);
  EXPECT_EQ(counts[0].value, 10);
  EXPECT_EQ(counts[0].place, "Mombasa");
  EXPECT_EQ(counts[1].kind, kKilled);
  EXPECT_EQ(counts[1].value, 8);
  EXPECT_EQ(counts[1].place, "Kisumu");
  // Without a cue of people before them, bracketed numbers stay numbers.
  EXPECT_TRUE(CountsOf("The Group of Seven (7) met in Mombasa.").empty());
}

// "46 are wounded and hospitalised": the same people are counted under
// both kinds; two cues of one kind ("arrested and detained") are one count.
TEST(Quantities, TwoCuesOfTwoKindsCountTheSamePeopleTwice) {
  auto kinds_and_values = [](const std::vector<Count>& counts) {
    std::set<std::pair<v1::QuantityKind, int64_t>> out;
    for (const Count& c : counts) out.emplace(c.kind, c.value);
    return out;
  };
  std::vector<Count> counts =
      CountsOf("Doctors said 46 are wounded and hospitalised in Mombasa.");
  EXPECT_EQ(kinds_and_values(counts),
            (std::set<std::pair<v1::QuantityKind, int64_t>>{{kInjured, 46},
                                                             {kHospital, 46}}))
      << Describe(counts);
  counts = CountsOf("Dozens injured and detained in Mbabane.");
  EXPECT_EQ(kinds_and_values(counts),
            (std::set<std::pair<v1::QuantityKind, int64_t>>{{kInjured, 24},
                                                             {kArrested, 24}}))
      << Describe(counts);
  counts = CountsOf("Twelve people were arrested and detained in Mombasa.");
  EXPECT_EQ(counts.size(), 1u) << Describe(counts);
}

// Bulleted lines under a line that ends with a colon break down its count,
// whether or not the splitter made them sentences of their own.
TEST(Quantities, BulletedLinesBreakDownTheCountAboveTheList) {
  std::vector<Count> counts = CountsOf(
      "Old Town - A total of 51 individuals arrested:\n"
      "-38 adults;\n"
      "-2 minors (turned over to the children's desk); and\n"
      "-11 minors held for questioning.\n");
  ASSERT_EQ(counts.size(), 4u) << Describe(counts);
  EXPECT_EQ(counts[0].value, 51);
  for (size_t i = 1; i < counts.size(); ++i) {
    EXPECT_EQ(counts[i].kind, kArrested) << Describe(counts);
    EXPECT_EQ(counts[i].subtotal_of, 0) << Describe(counts);
  }
  EXPECT_EQ(counts[1].value, 38);
  EXPECT_EQ(counts[3].value, 11);
  // Without the colon line, a bulleted number is no count.
  EXPECT_TRUE(CountsOf("Figures for the week\n- 38 adults\n").empty());
}

// "Two policemen, one a senior officer, were killed": the appositive does
// not hide the cue from the total, and its number is a sub-total.
TEST(Quantities, AnAppositiveWithANumberIsASubtotal) {
  std::vector<Count> counts = CountsOf(
      "Two policemen, one a senior officer, were also killed in Kasserine.");
  ASSERT_EQ(counts.size(), 2u) << Describe(counts);
  EXPECT_EQ(counts[0].kind, kKilled);
  EXPECT_EQ(counts[0].value, 2);
  EXPECT_EQ(counts[1].kind, kKilled);
  EXPECT_EQ(counts[1].value, 1);
  EXPECT_EQ(counts[1].subtotal_of, 0);
}

// A place inside an item's own evidence is its place, even when another
// place of the sentence is more precise (Wakefield's "four" once took
// Bradford's place and merged with it).
TEST(Quantities, EachItemOfAGappedListHasItsOwnPlace) {
  std::vector<Count> counts = CountsOf(
      "Police made 90 arrests in Leeds, four in Bradford, four in Wakefield "
      "and one in Halifax.");
  for (const Count& c : counts) EXPECT_EQ(c.kind, kArrested);
  const std::vector<std::pair<std::string, int64_t>> expected = {
      {"Bradford", 4}, {"Halifax", 1}, {"Leeds", 90}, {"Wakefield", 4}};
  EXPECT_EQ(PlacesAndValues(counts), expected) << Describe(counts);
}

TEST(Quantities, EachInBracketsCountsAtEveryNameOfItsList) {
  std::vector<Count> counts = CountsOf(
      "Deaths were reported in Mombasa (4), Kisumu and Nakuru (2 each) and "
      "Eldoret, Thika and Machakos (one each).");
  for (const Count& c : counts) EXPECT_EQ(c.kind, kKilled);
  const std::vector<std::pair<std::string, int64_t>> expected = {
      {"Eldoret", 1}, {"Kisumu", 2},   {"Machakos", 1},
      {"Mombasa", 4}, {"Nakuru", 2},   {"Thika", 1}};
  EXPECT_EQ(PlacesAndValues(counts), expected) << Describe(counts);
}

// "N of them" right after its total, in the same sentence, is a sub-total
// even without a cue of its own (every "N of them" is a count: a sub-total).
TEST(Quantities, OfThemInTheTotalsSentenceIsASubtotal) {
  std::vector<Count> counts = CountsOf(
      "At least 31 people were wounded in Nairobi, 13 of them by live "
      "bullets, the medical association said.");
  ASSERT_EQ(counts.size(), 2u) << Describe(counts);
  EXPECT_EQ(counts[1].kind, kInjured);
  EXPECT_EQ(counts[1].value, 13);
  EXPECT_EQ(counts[1].subtotal_of, 0);
}

// In a later sentence, "N of them" without a cue of its own is a sub-total
// only when it names people ("were students"); otherwise it is not a count.
TEST(Quantities, OfThemAfterTheTotalsSentenceNeedsPeopleNamed) {
  using Links = std::vector<std::tuple<v1::QuantityKind, int64_t, int>>;
  // Kind, value and sub-total link of each count of `text`.
  const auto links = [](const std::string& text) {
    Links out;
    for (const Count& c : CountsOf(text)) {
      out.emplace_back(c.kind, c.value, c.subtotal_of);
    }
    return out;
  };
  EXPECT_EQ(links("Police in Peru said 500 people were detained. Forty of "
                  "them were students."),
            (Links{{kArrested, 500, -1}, {kArrested, 40, 0}}));
  EXPECT_EQ(links("Police in Peru said 500 people were detained. Forty of "
                  "them were put on a bus."),
            (Links{{kArrested, 500, -1}}));
}

// A participle before the counted noun says what happened to the people:
// "dozens of wounded people", "the 12 dead"; "included" opens a sub-total.
TEST(Quantities, ParticiplesInsideTheNounPhraseAreCues) {
  std::vector<Count> counts = CountsOf(
      "Hospitals in Harare were treating dozens of wounded people, doctors "
      "said.");
  ASSERT_EQ(counts.size(), 1u) << Describe(counts);
  EXPECT_EQ(counts[0].kind, kInjured);
  EXPECT_EQ(counts[0].value, 24);
  EXPECT_EQ(counts[0].qualifier, kVague);

  counts = CountsOf("The 12 dead in Lagos included three children.");
  ASSERT_EQ(counts.size(), 2u) << Describe(counts);
  EXPECT_EQ(counts[0].kind, kKilled);
  EXPECT_EQ(counts[0].value, 12);
  EXPECT_EQ(counts[1].kind, kKilled);
  EXPECT_EQ(counts[1].value, 3);
  EXPECT_EQ(counts[1].group, kCivilians);
  EXPECT_EQ(counts[1].subtotal_of, 0);

  // Not a cue for a noun of things, nor one after the noun's verb.
  EXPECT_TRUE(CountsOf("Engineers repaired 40 damaged pipes.").empty())
      << Describe(CountsOf("Engineers repaired 40 damaged pipes."));
}

// A sub-total between commas stands between a total and its cue.
TEST(Quantities, TheCueFollowsASubtotalBetweenCommas) {
  std::vector<Count> counts = CountsOf(
      "State television said 17 people, including two members of the "
      "security forces, had died in Zahedan.");
  ASSERT_EQ(counts.size(), 2u) << Describe(counts);
  EXPECT_EQ(counts[0].kind, kKilled);
  EXPECT_EQ(counts[0].value, 17);
  EXPECT_EQ(counts[1].kind, kKilled);
  EXPECT_EQ(counts[1].value, 2);
  EXPECT_EQ(counts[1].group, kSecurity);

  counts = CountsOf(
      "The governor said 739 \"rioters\", including 60 women, had been "
      "arrested in the province.");
  ASSERT_EQ(counts.size(), 2u) << Describe(counts);
  EXPECT_EQ(counts[0].kind, kArrested);
  EXPECT_EQ(counts[0].value, 739);
  EXPECT_EQ(counts[0].group, kProtesters);
  EXPECT_EQ(counts[1].value, 60);
  EXPECT_EQ(counts[1].subtotal_of, 0);
}

// Sub-totals after "among them", and a total before "including" without
// commas, whose cue follows the sub-total.
TEST(Quantities, SubtotalsWithoutCommas) {
  std::vector<Count> counts = CountsOf(
      "According to the office, 4,578 people were injured in Almaty, among "
      "them 3,393 law enforcement officers.");
  ASSERT_EQ(counts.size(), 2u) << Describe(counts);
  EXPECT_EQ(counts[1].kind, kInjured);
  EXPECT_EQ(counts[1].value, 3393);
  EXPECT_EQ(counts[1].group, kSecurity);
  EXPECT_EQ(counts[1].subtotal_of, 0);

  counts = CountsOf(
      "The ministry said 164 people including 103 in Almaty had "
      "died.");
  ASSERT_EQ(counts.size(), 2u) << Describe(counts);
  EXPECT_EQ(counts[0].kind, kKilled);
  EXPECT_EQ(counts[0].value, 164);
  EXPECT_EQ(counts[1].kind, kKilled);
  EXPECT_EQ(counts[1].value, 103);
  EXPECT_EQ(counts[1].subtotal_of, 0);
  // The place named in the sub-total is the sub-total's, not the total's.
  EXPECT_EQ(counts[0].place, "Kazakhstan");  // the article's country
  EXPECT_EQ(counts[1].place, "Almaty");
}

// The crowd security forces acted against is a crowd size, when its noun
// says protesters.
TEST(Quantities, ACrowdFiredAtIsACrowdSize) {
  std::vector<Count> counts = CountsOf(
      "Riot police fired tear gas at hundreds of demonstrators in "
      "Tabriz.");
  ASSERT_EQ(counts.size(), 1u) << Describe(counts);
  EXPECT_EQ(counts[0].kind, kCrowd);
  EXPECT_EQ(counts[0].value, 200);
  EXPECT_EQ(counts[0].qualifier, kVague);
  EXPECT_EQ(counts[0].group, kProtesters);
  EXPECT_TRUE(CountsOf("Soldiers fired at two journalists in Tabriz.").empty())
      << Describe(CountsOf("Soldiers fired at two journalists in Tabriz."));
}

TEST(Quantities, OthersTakeThePreviousGroup) {
  std::vector<Count> counts = CountsOf(
      "In Kenya, 48 police officers were injured and 6 others were killed.");
  ASSERT_EQ(counts.size(), 2u) << Describe(counts);
  EXPECT_EQ(counts[1].kind, kKilled);
  EXPECT_EQ(counts[1].group, kSecurity);
}

TEST(Quantities, DamageDoneByProtestersTakesTheirGroup) {
  std::vector<Count> counts = CountsOf(
      "The police said that protesters burned 40 buses, including 6 police "
      "vehicles, and damaged about 90 shops in Chile.");
  ASSERT_EQ(counts.size(), 3u) << Describe(counts);
  for (const Count& c : counts) {
    EXPECT_EQ(c.kind, kDamaged);
    EXPECT_EQ(c.group, kProtesters);
  }
  EXPECT_EQ(counts[1].object, "police vehicles");
  EXPECT_EQ(counts[2].object, "shops");
  EXPECT_EQ(counts[2].qualifier, kAbout);
}

TEST(Quantities, DamageInThePassiveTakesTheGroupAfterBy) {
  std::vector<Count> counts =
      CountsOf("In Chile, 120 cars were burned by protesters.");
  ASSERT_EQ(counts.size(), 1u) << Describe(counts);
  EXPECT_EQ(counts[0].kind, kDamaged);
  EXPECT_EQ(counts[0].group, kProtesters);
  EXPECT_EQ(counts[0].object, "cars");
}

TEST(Quantities, DamageByASecondVerbTakesTheSubjectsGroup) {
  std::vector<Count> counts = CountsOf(
      "Protesters set fire to a police station and looted about 30 "
      "shops in Accra.");
  ASSERT_EQ(counts.size(), 1u) << Describe(counts);
  EXPECT_EQ(counts[0].kind, kDamaged);
  EXPECT_EQ(counts[0].group, kProtesters);
  EXPECT_EQ(counts[0].object, "shops");
  // The opening noun of a reporting clause is the speaker, not the subject.
  std::vector<Count> reported = CountsOf(
      "Police said the crowd set fire to a police station and "
      "looted about 30 shops in Accra.");
  ASSERT_EQ(reported.size(), 1u) << Describe(reported);
  EXPECT_NE(reported[0].group, kSecurity);
}

TEST(Quantities, HeadlineAndBodyRepeatsMerge) {
  std::vector<Count> counts = CountsOf(
      "Dozens killed\nDozens of protesters were killed in Almaty, police "
      "said.");
  ASSERT_EQ(counts.size(), 1u) << Describe(counts);
  EXPECT_EQ(counts[0].group, kProtesters);
  EXPECT_EQ(counts[0].place, "Almaty");
}

// Headlines round: a count repeated in headline and body keeps the body's
// qualifier, whichever comes first.
TEST(Quantities, ARepeatKeepsTheBodysQualifierOverTheHeadlines) {
  struct Row {
    const char* text;
    v1::Qualifier qualifier;
  };
  for (const Row& row : {
           Row{"40 hurt in Tamale clashes\nAt least 40 people were hurt in "
               "Tamale on Sunday.",
               kAtLeast},
           Row{"At least 5 dead as riots hit Tamale\nFive people died in "
               "Tamale on Sunday, police said.",
               kExact},
           Row{"Over 40 hurt in Tamale clashes\nAbout 40 people were hurt "
               "in Tamale on Sunday.",
               kAbout},
       }) {
    std::vector<Count> counts = CountsOf(row.text);
    ASSERT_EQ(counts.size(), 1u) << row.text << "\n" << Describe(counts);
    EXPECT_EQ(counts[0].qualifier, row.qualifier) << row.text;
  }
}

// Where people came from is not where they were counted: the count takes
// the venue (or, lacking one, the article's country), never the origin.
TEST(Quantities, PlaceOfOriginIsNotTheVenue) {
  for (const char* text : {
           "In Nigeria, the march drew 8,000 people, most of them hailing "
           "from Kano.",
           "In Nigeria, the march drew 8,000 people, many coming from Kano.",
       }) {
    std::vector<Count> counts = CountsOf(text);
    ASSERT_EQ(counts.size(), 1u) << text << "\n" << Describe(counts);
    EXPECT_EQ(counts[0].place, "Nigeria") << text;
  }
  std::vector<Count> venue =
      CountsOf("In Kano, the march drew 8,000 people, police said.");
  ASSERT_EQ(venue.size(), 1u) << Describe(venue);
  EXPECT_EQ(venue[0].place, "Kano");
}

// Expects `text` to give exactly one count, with no date on it or on the
// event it sits on.
void ExpectOneUndatedCount(const std::string& text) {
  v1::ArticleInput input;
  input.set_text(text);
  auto response = TheExtractor().Parse(input);
  ASSERT_TRUE(response.ok());
  int counts = 0;
  for (const v1::Event& e : response->events()) {
    for (const v1::Quantity& q : e.quantities()) {
      ++counts;
      EXPECT_FALSE(q.has_date()) << text;
      EXPECT_FALSE(e.has_date()) << text;
    }
  }
  EXPECT_EQ(counts, 1) << text;
}

TEST(Quantities, APeriodsStartIsNotTheDateOfACumulativeFigure) {
  ExpectOneUndatedCount(
      "Since the October 25 coup, at least 40 people have been killed in "
      "protests in Sudan, the committee said on November 20, 2021.");
}

// A date inside a "since" clause is where a period starts, however far
// from "since" it stands in the clause.
TEST(Quantities, ADateInASinceClauseIsNotTheDateOfTheFigure) {
  ExpectOneUndatedCount(
      " date 2024-06-28\nSince the unrest began on Tuesday, more than 3,000 "
      "people have been detained, police said.");
}

TEST(Quantities, NotCounts) {
  for (const char* text : {
           "Sri Lanka, a country of 22 million people, faces 50% inflation.",
           "Fuel prices rose by 30 percent in 2022.",
           "Most of those detained were under 30 years old.",
           "Prosecutors opened 44 criminal cases into the riots.",
           "Chile is five times the size of Portugal.",
           "He said the 2019 election was rigged.",
           "Police fired 300 rounds of tear gas.",
           "There were 12 fires in Lima overnight.",
           "Some 45,000 police officers were deployed nationwide.",
           "Police closed 20 protest sites in Lagos.",
           "Read also: 12 killed in Lima bus crash",
           "Khabar 24 said protesters stormed the airport.",
           "Police said 111111111111111111111111 people were arrested.",
       }) {
    EXPECT_TRUE(CountsOf(text).empty()) << text << "\n"
                                        << Describe(CountsOf(text));
  }
}

}  // namespace
}  // namespace newsevents::extract
