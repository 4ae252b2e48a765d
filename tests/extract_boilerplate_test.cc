// Boilerplate: teasers, credits, slugs, links, embeds, share lines,
// navigation, datelines and decorations, with raw offsets.

#include <memory>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "ingest_service/extract/boilerplate.h"
#include "ingest_service/extract/lexicons.h"
#include "ingest_service/extract/tokenizer.h"
#include "re2/re2.h"

namespace newsevents::extract {
namespace {

std::vector<BoilerplateRange> Find(const std::string& text) {
  static const Lexicons* lex = Lexicons::Load()->release();
  std::vector<BoilerplateRange> out;
  const std::string lower = AsciiLower(text);
  FindBoilerplate(text, lower, *lex, &out);
  return out;
}

struct Case {
  const char* line;
  v1::BoilerplateKind kind;
  const char* span;  // the text marked; nullptr for the whole line
};

class BoilerplateTest : public testing::TestWithParam<Case> {};

TEST_P(BoilerplateTest, Marks) {
  const Case& c = GetParam();
  const std::string text =
      std::string("Police said 3 died.\n") + c.line + "\nProtests continued.";
  std::vector<BoilerplateRange> found = Find(text);
  ASSERT_EQ(found.size(), 1u) << c.line;
  EXPECT_EQ(found[0].kind, c.kind) << c.line;
  EXPECT_EQ(text.substr(found[0].range.begin,
                        found[0].range.end - found[0].range.begin),
            c.span != nullptr ? c.span : c.line);
}

INSTANTIATE_TEST_SUITE_P(
    Table, BoilerplateTest,
    testing::Values(
        Case{"Read also: 12 killed in Lima bus crash",
             v1::BOILERPLATE_KIND_TEASER, nullptr},
        Case{"ALSO READ: These 9 countries allow foreigners",
             v1::BOILERPLATE_KIND_TEASER, nullptr},
        Case{"ALOS READ: Trout fish declined", v1::BOILERPLATE_KIND_TEASER,
             nullptr},
        Case{"WATCH | Crowds gather outside parliament in Lusaka",
             v1::BOILERPLATE_KIND_TEASER, nullptr},
        Case{"Watch: Police disperse marchers in Lome",
             v1::BOILERPLATE_KIND_TEASER, nullptr},
        Case{"READ | Three killed as fuel protests spread",
             v1::BOILERPLATE_KIND_TEASER, nullptr},
        Case{"Related Articles: Chile votes on new constitution",
             v1::BOILERPLATE_KIND_TEASER, nullptr},
        Case{"(Photo : (Photo by JOHN DOE/AFP via Getty Images))",
             v1::BOILERPLATE_KIND_CREDIT, nullptr},
        Case{"TOPSHOT-PERU-POLITICS-PROTEST", v1::BOILERPLATE_KIND_CREDIT,
             nullptr},
        Case{"Protesters march in Lima. (Photo by Jane Roe / AFP)",
             v1::BOILERPLATE_KIND_CREDIT, "(Photo by Jane Roe / AFP)"},
        Case{"https://www.instagram.com/p/XYZ/", v1::BOILERPLATE_KIND_LINK,
             nullptr},
        Case{"Huge crowds in #Colombo pic.twitter.com/AbC",
             v1::BOILERPLATE_KIND_EMBED, nullptr},
        Case{"- Jane Roe (@janeroe) July 9, 2022", v1::BOILERPLATE_KIND_EMBED,
             nullptr},
        Case{"You can connect with Daily Report on Facebook",
             v1::BOILERPLATE_KIND_SHARE, nullptr},
        Case{"For tips mail us at [email protected]",
             v1::BOILERPLATE_KIND_SHARE, nullptr},
        Case{"Powered by", v1::BOILERPLATE_KIND_NAVIGATION, nullptr},
        Case{"By Ground Report", v1::BOILERPLATE_KIND_NAVIGATION, nullptr},
        Case{"Ground Report | New Delhi: Protests spread.",
             v1::BOILERPLATE_KIND_NAVIGATION, "Ground Report | New Delhi:"},
        Case{"LIMA, Peru (AP) - Police fired tear gas.",
             v1::BOILERPLATE_KIND_NAVIGATION, "LIMA, Peru (AP) -"},
        Case{"LIMA - Congress voted to remove the president.",
             v1::BOILERPLATE_KIND_NAVIGATION, "LIMA - "},
        // Agency credits at the end of a caption, both ways round.
        Case{"Protesters outside the parliament in Colombo. REUTERS/Dinuka "
             "Liyanawatte",
             v1::BOILERPLATE_KIND_CREDIT, "REUTERS/Dinuka Liyanawatte"},
        Case{"Riot police in Nairobi on Tuesday. Tony Karumba/AFP via Getty "
             "Images",
             v1::BOILERPLATE_KIND_CREDIT, "Tony Karumba/AFP via Getty Images"},
        // Time stamps.
        Case{"Updated: July 10, 2022 08:15 IST",
             v1::BOILERPLATE_KIND_NAVIGATION, nullptr},
        Case{"Published on 5 March 2024, 11:02",
             v1::BOILERPLATE_KIND_NAVIGATION, nullptr},
        // Time stamps on a line of their own (a "March" here is no march).
        Case{"April 3, 2019 - 9:45", v1::BOILERPLATE_KIND_NAVIGATION, nullptr},
        Case{"Sep 9, 2021 - 4:02PM", v1::BOILERPLATE_KIND_NAVIGATION, nullptr},
        Case{"14 March 2022 |", v1::BOILERPLATE_KIND_NAVIGATION, nullptr},
        Case{"2 Dec 2020", v1::BOILERPLATE_KIND_NAVIGATION, nullptr},
        Case{"Monday, June 7, 2021", v1::BOILERPLATE_KIND_NAVIGATION, nullptr},
        Case{"11:30 pm", v1::BOILERPLATE_KIND_NAVIGATION, nullptr},
        Case{"5 hours ago", v1::BOILERPLATE_KIND_NAVIGATION, nullptr},
        Case{"Duration 2:41", v1::BOILERPLATE_KIND_NAVIGATION, nullptr},
        Case{"4 min read", v1::BOILERPLATE_KIND_NAVIGATION, nullptr},
        // A title-case dateline.
        Case{"Almaty, Kazakhstan - Security forces killed dozens.",
             v1::BOILERPLATE_KIND_NAVIGATION, "Almaty, Kazakhstan - "},
        // Datelines with a date and no agency.
        Case{"NAIROBI, June 25 - Police fired tear gas.",
             v1::BOILERPLATE_KIND_NAVIGATION, "NAIROBI, June 25 - "},
        Case{"KYIV, Ukraine, Jan. 5, 2023 - Sirens sounded.",
             v1::BOILERPLATE_KIND_NAVIGATION, "KYIV, Ukraine, Jan. 5, 2023 - "},
        Case{"...............", v1::BOILERPLATE_KIND_DECORATION, nullptr}));

TEST(Boilerplate, ArticleTextIsNotBoilerplate) {
  for (const char* text :
       {"Kazakhstan President requested aid from CSTO",
        "By Wednesday, the protests had spread across the country.",
        "Protesters stormed the Home Ministry in Colombo.",
        "Published figures show 300 deaths in 2022 from road accidents.",
        "Updated on Monday, the figures showed 300 deaths across the whole "
        "country in 2022.",
        "Police said AP/Reuters footage showed the crowd.",
        "Meanwhile, police in Almaty - the largest city - fired tear gas.",
        "Comments by the minister angered the crowd.",
        "5 hours ago, police fired tear gas at the crowd.",
        "March 3, 2020 was the first day of the strike."}) {
    EXPECT_TRUE(Find(text).empty()) << text;
  }
}

// A heading that ends the article (comments, other stories) makes the rest
// of the text boilerplate; the article before it is untouched.
TEST(Boilerplate, SectionsThatEndTheArticleTakeTheRest) {
  for (const char* heading : {"Reader Comments (7)", "Comments",
                              "In this article", "You may also like"}) {
    const std::string article = "Police said 3 died in Tamale.\n";
    const std::string rest = std::string(heading) +
                             "\n4 Jan 2020\nTwelve people were killed in a "
                             "fire.\n\nProtests continued.";
    const std::string text = article + rest;
    std::vector<BoilerplateRange> found = Find(text);
    ASSERT_EQ(found.size(), 1u) << heading;
    EXPECT_EQ(found[0].range.begin, article.size()) << heading;
    EXPECT_EQ(found[0].range.end, text.size()) << heading;
  }
}

// The screen samples a few positions per line; whatever it skips, it must
// report exactly the needles a plain search finds, wherever they sit (at
// either end, overlapping, repeated, one inside another).
TEST(NeedleScreen, FindsExactlyWhatAPlainSearchFinds) {
  const std::vector<std::string> needles = {
      "follow us on", "mail us at", "pic.twitter.com",    "https://t.co/",
      "us on",        "at",         "share this article", "on twitter"};
  NeedleScreen screen;
  for (size_t i = 0; i < needles.size(); ++i) {
    screen.Add(needles[i], static_cast<int>(i));
  }
  std::mt19937 random(20261130);
  const std::string filler = "abcdefghijklmnopqrstuvwxyz ./:";
  for (int round = 0; round < 3000; ++round) {
    std::string text;
    const int pieces = static_cast<int>(random() % 6);
    for (int p = 0; p < pieces; ++p) {
      text.append(random() % 12, filler[random() % filler.size()]);
      const std::string& needle = needles[random() % needles.size()];
      // Sometimes only part of a needle, which must not be reported.
      text.append(random() % 4 == 0 ? needle.substr(0, random() % needle.size())
                                    : needle);
    }
    text.append(random() % 8, filler[random() % filler.size()]);
    std::vector<uint8_t> hit(needles.size(), 0);
    screen.Find(text, &hit);
    for (size_t i = 0; i < needles.size(); ++i) {
      // Needles shorter than four bytes are always reported.
      const bool present =
          text.find(needles[i]) != std::string::npos || needles[i].size() < 4;
      ASSERT_EQ(hit[i] != 0, present)
          << "needle \"" << needles[i] << "\" in \"" << text << "\"";
    }
  }
}

// The line screen may report a pattern that does not match, never miss one
// that does: checked against RE2 itself for the rules' own patterns and for
// syntax they do not use yet, on lines built from the patterns' pieces.
TEST(LineStartScreen, ReportsEveryPatternThatMatches) {
  struct Pattern {
    std::string regex;
    bool whole_line;
  };
  std::vector<Pattern> patterns = {
      {"Home(?: [A-Z][a-z]+){0,2}", true},
      {"By [A-Z][\\w.'-]*(?: [A-Z][\\w.'-]*){0,3}", true},
      {"^[A-Z][\\w .'-]{1,40} \\| [A-Z][\\w .'-]{1,30}:", false},
      {"^[A-Z][A-Z.'-]{2,20}(?: [A-Z][A-Z.'-]{1,20}){0,2} -\\s", false},
      {"^ date \\d{4}-\\d{2}-\\d{2}", false},
      {"\\s*\\(?(?:Photo|Image)s?\\s*[:(].*", true},
      {"[A-Z]+(?:-[A-Z]+){2,}", true},
      {"\\s*(?:https?://|www\\.)\\S+\\s*", true},
      {"[\\s.\u00b7\u2022*_=~#-]{3,}", true},
      {"a|b?c", true},
      {"(?P<x>ab)*c\\b", false},
      {"[^a]b", false},
      {"x{2}y{0,3}z", true},
      {"(?i)read", false},
      {"\\x41B", false},
      {"", true},
  };
  LineStartScreen screen;
  std::vector<std::unique_ptr<RE2>> compiled;
  for (const Pattern& p : patterns) {
    screen.AddRegex(p.regex, p.whole_line);
    compiled.push_back(std::make_unique<RE2>(
        "^(?:" + p.regex + (p.whole_line ? ")$" : ")"), RE2::Quiet));
    ASSERT_TRUE(compiled.back()->ok()) << p.regex;
  }
  const std::vector<std::string> pieces = {
      "Home",   " ",    "By",  "A",     "B",    "ab",      "c",     "x",
      "y",      "z",    "|",   " | ",   ":",    "-",       " -",    "\t",
      " date ", "2024", "-01", "Photo", "(",    "http://", "www.",  "\u00b7",
      "\u2022", "=",    "US",  "PERU",  "read", "e",       "\u00e9"};
  std::mt19937 random(20261201);
  for (int round = 0; round < 20000; ++round) {
    std::string line;
    const int count = static_cast<int>(random() % 7);
    for (int i = 0; i < count; ++i) line += pieces[random() % pieces.size()];
    const uint64_t candidates = screen.Candidates(line);
    for (size_t i = 0; i < patterns.size(); ++i) {
      if (!RE2::PartialMatch(line, *compiled[i])) continue;
      EXPECT_NE(candidates >> i & 1, 0u)
          << "pattern " << patterns[i].regex << " on \"" << line << "\"";
    }
  }
}

}  // namespace
}  // namespace newsevents::extract
