// Date annotator: absolute dates, weekdays and relative days resolved
// against the reference date, spans of days, announcement dates.

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "ingest_service/extract/date_annotator.h"
#include "ingest_service/extract/document.h"
#include "ingest_service/extract/lexicons.h"
#include "ingest_service/extract/sentence_splitter.h"

namespace newsevents::extract {
namespace {

v1::Date MakeDate(int y, int m, int d) {
  v1::Date date;
  date.set_year(y);
  date.set_month(m);
  date.set_day(d);
  return date;
}

std::vector<DateMention> Dates(const std::string& text,
                               const v1::Date& published) {
  static const Lexicons* lex = Lexicons::Load()->release();
  static const SentenceSplitter* splitter =
      SentenceSplitter::Create()->release();
  Document doc;
  BuildDocument(text, *lex, *splitter, &doc);
  std::vector<DateMention> out;
  FindDates(doc, *lex, 0, static_cast<int>(doc.tokens.size()), &out);
  const v1::Date reference = ReferenceDate(published, out);
  ResolveDates(reference, &out);
  MarkPageDates(doc, reference, &out);
  return out;
}

struct Case {
  const char* text;
  v1::Date published;
  int year, month, day;
};

class DatesTest : public testing::TestWithParam<Case> {};

TEST_P(DatesTest, FirstDate) {
  const Case& c = GetParam();
  std::vector<DateMention> dates = Dates(c.text, c.published);
  ASSERT_FALSE(dates.empty()) << c.text;
  EXPECT_TRUE(dates[0].resolved) << c.text;
  EXPECT_EQ(dates[0].year, c.year) << c.text;
  EXPECT_EQ(dates[0].month, c.month) << c.text;
  EXPECT_EQ(dates[0].day, c.day) << c.text;
}

INSTANTIATE_TEST_SUITE_P(
    Table, DatesTest,
    testing::Values(
        Case{"on January 5, 2022 police", {}, 2022, 1, 5},
        Case{"Since January 2nd 2022 demonstrations", {}, 2022, 1, 2},
        Case{"on 5 January the march", MakeDate(2023, 3, 1), 2023, 1, 5},
        Case{"protests on 1 and 2 July", MakeDate(2020, 7, 9), 2020, 7, 1},
        Case{"Back in January 2, protests", {}, 0, 1, 2},
        Case{"on March 14 he said. Later, on January 5, 2022 it ended.",
             {},
             2022,
             3,
             14},
        // Weekdays: the latest such day on or before the reference.
        Case{"on Wednesday night", MakeDate(2022, 1, 6), 2022, 1, 5},
        Case{"on Thursday morning", MakeDate(2022, 1, 6), 2022, 1, 6},
        Case{"began on Sunday in Zhanaozen. Updated January 5, 2022",
             {},
             2022,
             1,
             2},
        Case{"on Sunday, 6 September the", MakeDate(2020, 9, 10), 2020, 9, 6},
        Case{"Last night, extremists", MakeDate(2022, 1, 5), 2022, 1, 4},
        Case{"yesterday in Lima", MakeDate(2023, 1, 1), 2022, 12, 31},
        Case{"at 2022-01-05 the", {}, 2022, 1, 5},
        // An abbreviated month with its period; a comma before the year.
        Case{"Oct. 25, 2019 police", MakeDate(2020, 1, 1), 2019, 10, 25},
        Case{"on 13th Jun, 2024 the", MakeDate(2030, 1, 1), 2024, 6, 13}));

TEST(Dates, WeekdayWithoutReferenceStaysUnresolved) {
  std::vector<DateMention> dates = Dates("Police fired on Tuesday.", {});
  ASSERT_EQ(dates.size(), 1u);
  EXPECT_FALSE(dates[0].resolved);
}

TEST(Dates, AnnouncementDatesAreFlagged) {
  for (const char* text : {"the prosecutor stated on March 14 that",
                           "Police on Thursday reported that",
                           "according to figures released on June 30",
                           "a report published on Monday found",
                           // The time of a tally, a clock time between.
                           "the breakdown as of 4:34 a.m. of March 14 is",
                           "arrests as of Monday stood at"}) {
    std::vector<DateMention> dates = Dates(text, MakeDate(2022, 3, 20));
    ASSERT_EQ(dates.size(), 1u) << text;
    EXPECT_TRUE(dates[0].announcement) << text;
  }
  std::vector<DateMention> dates = Dates(
      "dozens had been killed on Thursday by police", MakeDate(2022, 1, 6));
  ASSERT_EQ(dates.size(), 1u);
  EXPECT_FALSE(dates[0].announcement);
}

// The bounds of a period: a start after "since" (even a few words after
// it in the clause), an end after "until".
TEST(Dates, PeriodBoundsAreFlagged) {
  std::vector<DateMention> dates =
      Dates("since the unrest began on Tuesday", MakeDate(2022, 1, 7));
  ASSERT_EQ(dates.size(), 1u);
  EXPECT_TRUE(dates[0].since);
  dates = Dates("the state of emergency was extended until January 19",
                MakeDate(2022, 1, 7));
  ASSERT_EQ(dates.size(), 1u);
  EXPECT_TRUE(dates[0].until);
  dates = Dates("police said on Tuesday, since the unrest began",
                MakeDate(2022, 1, 7));
  ASSERT_EQ(dates.size(), 1u);
  EXPECT_FALSE(dates[0].since);
  EXPECT_FALSE(dates[0].until);
}

// A dateline's or credit's full date beside a weekday or relative day is
// the page's date; alone, or not the reference, it is an ordinary date.
TEST(Dates, ThePagesDateBesideAWeekdayIsMarked) {
  std::vector<DateMention> dates =
      Dates("MOMBASA, 5 March 2020 - Troops opened fire yesterday.", {});
  ASSERT_EQ(dates.size(), 2u);
  EXPECT_TRUE(dates[0].page_date);
  EXPECT_FALSE(dates[1].page_date);
  EXPECT_EQ(dates[1].day, 4);
  dates = Dates("Troops opened fire on 5 March 2020.", {});
  ASSERT_EQ(dates.size(), 1u);
  EXPECT_FALSE(dates[0].page_date);
  dates = Dates("On 2 March 2020 troops came. They fired on Tuesday.",
                MakeDate(2020, 3, 5));
  ASSERT_EQ(dates.size(), 2u);
  EXPECT_FALSE(dates[0].page_date);  // not the reference date
}

TEST(Dates, MonthWordsNeedCapitals) {
  EXPECT_TRUE(Dates("troops may march 5 miles", {}).empty());
}

TEST(Dates, DayOfWeek) {
  EXPECT_EQ(DayOfWeek(2022, 1, 5), 3);  // Wednesday
  EXPECT_EQ(DayOfWeek(2000, 2, 29), 2);
}

}  // namespace
}  // namespace newsevents::extract
