// Number annotator: digits, number words, vague words, qualifiers, ranges,
// and numbers that count nothing (years, ages, money, measures, names).

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "ingest_service/extract/document.h"
#include "ingest_service/extract/lexicons.h"
#include "ingest_service/extract/number_annotator.h"
#include "ingest_service/extract/sentence_splitter.h"

namespace newsevents::extract {
namespace {

struct Case {
  const char* text;
  int64_t value;
  int64_t value_max;
  v1::Qualifier qualifier;
  bool counts_nothing;
};

std::vector<NumberMention> Numbers(const std::string& text) {
  static const Lexicons* lex = Lexicons::Load()->release();
  static const SentenceSplitter* splitter =
      SentenceSplitter::Create()->release();
  Document doc;
  BuildDocument(text, *lex, *splitter, &doc);
  std::vector<uint8_t> skip(doc.tokens.size(), 0);
  std::vector<NumberMention> out;
  FindNumbers(doc, *lex, 0, static_cast<int>(doc.tokens.size()), skip, &out);
  return out;
}

class NumbersTest : public testing::TestWithParam<Case> {};

TEST_P(NumbersTest, FirstNumber) {
  const Case& c = GetParam();
  std::vector<NumberMention> numbers = Numbers(c.text);
  ASSERT_FALSE(numbers.empty()) << c.text;
  EXPECT_EQ(numbers[0].value, c.value) << c.text;
  EXPECT_EQ(numbers[0].value_max, c.value_max) << c.text;
  EXPECT_EQ(numbers[0].qualifier, c.qualifier) << c.text;
  EXPECT_EQ(numbers[0].counts_nothing, c.counts_nothing) << c.text;
}

INSTANTIATE_TEST_SUITE_P(
    Table, NumbersTest,
    testing::Values(
        Case{"3,500 officers were injured", 3500, 0, v1::QUALIFIER_EXACT,
             false},
        Case{"so far 2300 people have been arrested", 2300, 0,
             v1::QUALIFIER_EXACT, false},
        Case{"Twelve officers died", 12, 0, v1::QUALIFIER_EXACT, false},
        Case{"two hundred students marched", 200, 0, v1::QUALIFIER_EXACT,
             false},
        Case{"twenty-five people were hurt", 25, 0, v1::QUALIFIER_EXACT, false},
        Case{"1.5 million people marched", 1500000, 0, v1::QUALIFIER_EXACT,
             false},
        Case{"a dozen shops were looted", 12, 0, v1::QUALIFIER_APPROXIMATE,
             false},
        Case{"more than a dozen were held", 12, 0, v1::QUALIFIER_AT_LEAST,
             false},
        Case{"Dozens of protesters", 24, 0, v1::QUALIFIER_VAGUE, false},
        Case{"hundreds of thousands rallied", 200000, 0, v1::QUALIFIER_VAGUE,
             false},
        Case{"tens of thousands rallied", 20000, 0, v1::QUALIFIER_VAGUE, false},
        Case{"scores of people", 40, 0, v1::QUALIFIER_VAGUE, false},
        Case{"a handful of journalists", 3, 0, v1::QUALIFIER_VAGUE, false},
        Case{"More than 1,000 people", 1000, 0, v1::QUALIFIER_AT_LEAST, false},
        Case{"no less than eight members", 8, 0, v1::QUALIFIER_AT_LEAST, false},
        Case{"Nearly 400 of them", 400, 0, v1::QUALIFIER_AT_MOST, false},
        Case{"up to 70 people", 70, 0, v1::QUALIFIER_AT_MOST, false},
        Case{"fewer than 30 people", 30, 0, v1::QUALIFIER_AT_MOST, false},
        Case{"About 1,000 people", 1000, 0, v1::QUALIFIER_APPROXIMATE, false},
        Case{"an estimated 50,000 people", 50000, 0, v1::QUALIFIER_APPROXIMATE,
             false},
        Case{"between 20 and 30 vehicles", 20, 30, v1::QUALIFIER_RANGE, false},
        Case{"20 to 30 vehicles", 20, 30, v1::QUALIFIER_RANGE, false},
        Case{"20-30 vehicles", 20, 30, v1::QUALIFIER_RANGE, false},
        Case{"around 20 to 30 vehicles", 20, 30, v1::QUALIFIER_RANGE, false},
        Case{"1 lakh people", 100000, 0, v1::QUALIFIER_EXACT, false},
        Case{"two crore people", 20000000, 0, v1::QUALIFIER_EXACT, false},
        Case{"independence in 1991", 1991, 0, v1::QUALIFIER_EXACT, true},
        Case{"after 30 years under the rule", 30, 0, v1::QUALIFIER_EXACT, true},
        Case{"most were under 30 years old", 30, 0, v1::QUALIFIER_EXACT, true},
        Case{"nearly 80% of the total", 80, 0, v1::QUALIFIER_AT_MOST, true},
        Case{"a two-week state of emergency", 2, 0, v1::QUALIFIER_EXACT, true},
        Case{"44 criminal cases were opened", 44, 0, v1::QUALIFIER_EXACT, true},
        Case{"prices rose by 30 percent", 30, 0, v1::QUALIFIER_EXACT, true},
        Case{"fuel costs $3 a litre", 3, 0, v1::QUALIFIER_EXACT, true},
        Case{"the news station Khabar 24 said", 24, 0, v1::QUALIFIER_EXACT,
             true},
        Case{"told Khabar-24 television", 24, 0, v1::QUALIFIER_EXACT, true},
        Case{"a 17-year-old was shot", 17, 0, v1::QUALIFIER_EXACT, true},
        Case{"at 10:30 am police moved in", 10, 0, v1::QUALIFIER_EXACT, true},
        Case{"the past several days", 3, 0, v1::QUALIFIER_VAGUE, true}));

TEST(Numbers, OrdinalsAreNotNumbers) {
  for (const char* text :
       {"the 2nd day", "the first unit arrived", "the second person"}) {
    EXPECT_TRUE(Numbers(text).empty()) << text;
  }
}

TEST(Numbers, BareOneNeedsAPersonNoun) {
  std::vector<NumberMention> n = Numbers("killing at least one person");
  ASSERT_EQ(n.size(), 1u);
  EXPECT_TRUE(n[0].needs_person_noun);
  EXPECT_EQ(n[0].qualifier, v1::QUALIFIER_AT_LEAST);
}

}  // namespace
}  // namespace newsevents::extract
