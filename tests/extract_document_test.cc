// The Document layer: normalization with an exact map back to raw bytes,
// tokens, sentences, and the Extractor's input checks and article fields.

#include <algorithm>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "ingest_service/extract/byte_scan.h"
#include "ingest_service/extract/document.h"
#include "ingest_service/extract/extractor.h"
#include "ingest_service/extract/forward_search.h"
#include "ingest_service/extract/lexicons.h"
#include "ingest_service/extract/sentence_splitter.h"
#include "ingest_service/extract/text_normalizer.h"
#include "ingest_service/extract/tokenizer.h"
#include "ingest_service/gazetteer/gazetteer.h"
#include "testing/embedded_gazetteer.h"

namespace newsevents::extract {
namespace {

const Lexicons& Lex() {
  static const Lexicons* lex = Lexicons::Load()->release();
  return *lex;
}

const SentenceSplitter& Splitter() {
  static const SentenceSplitter* s = SentenceSplitter::Create()->release();
  return *s;
}

const Extractor& TheExtractor() {
  ExtractorOptions options;
  options.max_article_bytes = 1000;
  return testing::EmbeddedExtractor(options);
}

TEST(TextNormalizer, FoldsTypographyAndKeepsRawOffsets) {
  // Curly quotes, a no-break space, an em dash and an ellipsis.
  const std::string raw =
      "\xE2\x80\x9C"
      "Dozens\xE2\x80\x9D of\xC2\xA0people \xE2\x80\x94 "
      "killed\xE2\x80\xA6";
  NormalizedText n = NormalizeText(raw);
  EXPECT_EQ(n.text, "\"Dozens\" of people - killed...");
  // Every normalized byte maps to a raw offset, in order.
  for (uint32_t i = 1; i <= n.text.size(); ++i) {
    EXPECT_LE(n.RawBegin(i - 1), n.RawBegin(i)) << i;
  }
  // The no-break space (raw 15..16) is the space at normalized 11; the
  // three bytes of "..." all come from the one raw ellipsis.
  EXPECT_EQ(n.RawBegin(11), 15u);
  EXPECT_EQ(n.RawBegin(12), 17u);
  EXPECT_EQ(n.RawBegin(n.text.size() - 1), raw.size() - 3);
  // "Dozens" starts at normalized 1 and raw 3 (after the 3-byte quote).
  EXPECT_EQ(n.RawBegin(1), 3u);
  const size_t killed = n.text.find("killed");
  EXPECT_EQ(
      raw.substr(n.RawBegin(killed), n.RawEnd(killed + 6) - n.RawBegin(killed)),
      "killed");
  EXPECT_EQ(n.RawEnd(n.text.size()), raw.size());
}

TEST(TextNormalizer, RepairsInvalidUtf8) {
  const std::string raw =
      "ab\xFF"
      "cd\xC3";
  NormalizedText n = NormalizeText(raw);
  EXPECT_EQ(n.invalid_sequences, 2);
  EXPECT_EQ(n.text,
            "ab\xEF\xBF\xBD"
            "cd\xEF\xBF\xBD");
  EXPECT_EQ(RepairUtf8(raw), n.text);
}

TEST(TextNormalizer, ComposesCombiningMarks) {
  NormalizedText n = NormalizeText("Zhanaoze\xCC\x81n");  // e + U+0301
  EXPECT_EQ(n.text, "Zhanaoz\xC3\xA9n");
}

TEST(Tokenizer, NumbersAbbreviationsLinksAndPossessives) {
  const std::string text = "U.S. police's 3,500 #Kazakhstan https://t.co/x 2nd";
  const std::string lower = AsciiLower(text);
  std::vector<Token> tokens;
  Tokenize(text, lower, &tokens);
  std::vector<std::string> got;
  for (const Token& t : tokens) got.emplace_back(t.text);
  EXPECT_EQ(got,
            (std::vector<std::string>{"U.S.", "police", "'s", "3,500",
                                      "#Kazakhstan", "https://t.co/x", "2nd"}));
  EXPECT_TRUE(tokens[3].Is(kNumber));
  EXPECT_TRUE(tokens[4].Is(kHashtag));
  EXPECT_TRUE(tokens[5].Is(kUrl));
}

// Capitalised: an upper-case ASCII first letter. All caps: two or more
// letters, none lower case (digits and inner dots do not count).
TEST(Tokenizer, MarksCapitalisedAndAllCapsWords) {
  const std::string text =
      "NATO U.S. u.S. U.s. Police iPhone A OK G7 7G COVID \xC3\x89mile ABCd";
  const std::string lower = AsciiLower(text);
  std::vector<Token> tokens;
  Tokenize(text, lower, &tokens);
  std::vector<std::string> got;
  for (const Token& t : tokens) {
    got.push_back(absl::StrCat(t.text, t.Is(kCapitalized) ? "/C" : "",
                               t.Is(kAllCaps) ? "/A" : ""));
  }
  EXPECT_EQ(got, (std::vector<std::string>{
                     "NATO/C/A", "U.S./C/A", "u.S.", "U.s./C", "Police/C",
                     "iPhone", "A/C", "OK/C/A", "G7/C", "7G", "COVID/C/A",
                     "\xC3\x89mile", "ABCd/C"}));
}

std::vector<std::string> SentencesOf(const std::string& raw) {
  Document doc;
  BuildDocument(raw, Lex(), Splitter(), &doc);
  std::vector<std::string> out;
  for (const Sentence& s : doc.sentences) {
    out.emplace_back(doc.norm.text.substr(s.begin, s.end - s.begin));
  }
  return out;
}

TEST(SentenceSplitter, AbbreviationsDoNotEndSentences) {
  EXPECT_EQ(SentencesOf("Mr. Tokayev met Gen. Smith in the U.S. on Monday. "
                        "Police fired tear gas."),
            (std::vector<std::string>{
                "Mr. Tokayev met Gen. Smith in the U.S. on Monday.",
                "Police fired tear gas."}));
}

// ICU asked about windows around terminators must find the boundaries it
// finds on whole lines: quotes, brackets, ellipses, decimals, initials,
// lower-case continuations, runs of "?!" and text without spaces.
TEST(SentenceSplitter, TerminatorWindowsAgreeWithWholeLines) {
  static const SentenceSplitter* whole =
      SentenceSplitter::Create(SentenceSplitter::IcuScope::kWholeLines)
          ->release();
  const std::string text =
      "\"We will not leave,\" he said. \"Never.\" The crowd cheered!\n"
      "Prices rose 3.5 per cent... and fell again. Why? Nobody knows?! "
      "Really.\n"
      "Gen. J. R. Smith (retd.) spoke. (He was angry.) Then he left.\n"
      "It cost $4.5m. e.g. the U.S.A. team won. i.e. it ended.The end\n"
      "He said: 'Go.' They went.   Much later,    in silence. a lower "
      "case start. 12 people died. \"Why?\" she asked.\n"
      "Ellipsis at the end...\n"
      "A.B.C. D.E.F. The No. 1 hit. Sept. 5 was hot. Dr. Who? Yes.\n"
      // Boundaries decided without ICU: closing quotes and brackets, runs
      // of spaces, then an upper-case letter; and their near misses.
      "They left.) Then it rained.] After that.' Silence.\" Dawn?' No!) "
      "Yes.)  ( Maybe.  \"Who?\" he asked. 'Ok.' she said. Fine.\" 5 left. "
      "Go.\"' Now.)' Then. _Under. \"Quote.\"\"Next. A.  B.\t C. Done\n"
      "He said. \"People left. (Police came. 'Yes. [Note. \"people. (police. "
      "'yes. \"\"Twice. (\"Mixed. ( Spaced. \"5 left. It ended.\"";
  Document fast;
  BuildDocument(text, Lex(), Splitter(), &fast);
  Document reference;
  BuildDocument(text, Lex(), *whole, &reference);
  ASSERT_EQ(fast.sentences.size(), reference.sentences.size());
  for (size_t i = 0; i < fast.sentences.size(); ++i) {
    EXPECT_EQ(fast.sentences[i].begin, reference.sentences[i].begin) << i;
    EXPECT_EQ(fast.sentences[i].end, reference.sentences[i].end) << i;
  }
  EXPECT_GE(fast.sentences.size(), 20u);
}

TEST(SentenceSplitter, LinesWithoutFinalPunctuationAreSentences) {
  EXPECT_EQ(
      SentencesOf("Dozens killed\nPolice said 20 were hurt."),
      (std::vector<std::string>{"Dozens killed", "Police said 20 were hurt."}));
}

TEST(Extractor, RejectsEmptyInput) {
  v1::ArticleInput input;
  input.set_text("  \n ");
  EXPECT_EQ(TheExtractor().Parse(input).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(Extractor, RejectsBinaryInput) {
  v1::ArticleInput input;
  input.set_raw(std::string("PK\x03\x04\0\0\x01", 7));
  EXPECT_EQ(TheExtractor().Parse(input).status().code(),
            absl::StatusCode::kInvalidArgument);
  input.set_raw(std::string(200, '\x80'));
  EXPECT_EQ(TheExtractor().Parse(input).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(Extractor, RejectsOversizeInput) {
  v1::ArticleInput input;
  input.set_text(std::string(2000, 'a'));
  EXPECT_EQ(TheExtractor().Parse(input).status().code(),
            absl::StatusCode::kResourceExhausted);
}

TEST(Extractor, RepairsInvalidUtf8WithAWarning) {
  v1::ArticleInput input;
  input.set_raw("Police said 12 people were killed in Lima.\xFF");
  auto response = TheExtractor().Parse(input);
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->article().warnings_size(), 1);
  ASSERT_GE(response->events_size(), 1);
  const auto& q = response->events(0).quantities(0);
  EXPECT_EQ(input.raw().substr(q.evidence().start(),
                               q.evidence().end() - q.evidence().start()),
            q.evidence().text());
}

TEST(Extractor, ArticleFieldsAndHeaderDate) {
  v1::ArticleInput input;
  input.set_raw(" date 2022-01-06 Protests broke out in Almaty on Wednesday.");
  input.set_outlet("Example News");
  auto response = TheExtractor().Parse(input);
  ASSERT_TRUE(response.ok()) << response.status();
  const v1::Article& a = response->article();
  EXPECT_EQ(a.id().size(), 32u);
  EXPECT_EQ(a.name(), "articles/" + a.id());
  EXPECT_EQ(a.language(), "en");
  EXPECT_EQ(a.published_date().year(), 2022);
  EXPECT_EQ(a.published_date().day(), 6);
  EXPECT_EQ(a.event_count(), response->events_size());
  ASSERT_EQ(response->events_size(), 1);
  const v1::Event& e = response->events(0);
  EXPECT_EQ(e.date().day(), 5);  // the Wednesday before 2022-01-06
  EXPECT_EQ(e.name(), "events/" + e.id());
  // Same input, same ids.
  auto again = TheExtractor().Parse(input);
  EXPECT_EQ(again->events(0).id(), e.id());
}

// The word-at-a-time scans agree with a byte loop from every start, on
// text with the wanted bytes at every offset of a word and none at all.
TEST(ByteScan, AgreesWithAByteLoop) {
  const std::string text =
      "Plain words then. a stop! and? more \xC3\xA9t\xC3\xA9 text!?. x"
      "................abcdefgh!abcdefg?abcdef.\xE2\x80\x9C\tab\n\x01 ~\x7F" +
      std::string(40, 'z');
  for (size_t from = 0; from <= text.size(); ++from) {
    size_t non_ascii = from;
    while (non_ascii < text.size() &&
           static_cast<unsigned char>(text[non_ascii]) < 0x80) {
      ++non_ascii;
    }
    EXPECT_EQ(FirstNonAscii(text, from), non_ascii) << from;
    size_t unprintable = from;
    while (unprintable < text.size() &&
           static_cast<unsigned char>(text[unprintable]) >= 0x20 &&
           static_cast<unsigned char>(text[unprintable]) < 0x80) {
      ++unprintable;
    }
    EXPECT_EQ(FirstNotPrintableAscii(text, from), unprintable) << from;
    for (size_t end = from; end <= text.size(); end += 7) {
      size_t terminator = from;
      while (terminator < end && text[terminator] != '.' &&
             text[terminator] != '!' && text[terminator] != '?') {
        ++terminator;
      }
      EXPECT_EQ(FirstTerminator(text, from, end), terminator)
          << from << " " << end;
    }
  }
}

// Questions mostly in order, some repeated, some stepping back: the
// answers are those of a binary search over the whole range.
TEST(ForwardSearch, AnswersAsALowerBoundDoes) {
  std::vector<int> values;
  for (int i = 0; i < 300; ++i) values.push_back(i * 3 + (i % 7 == 0 ? 1 : 0));
  ForwardSearch search(values.size());
  const std::vector<int> questions = {0,   1,   2,   50,  50, 51, 400,
                                      401, 899, 900, 901, 10, 11, 600,
                                      -5,  0,   905, 3,   4,  5};
  for (int question : questions) {
    const size_t expected =
        std::lower_bound(values.begin(), values.end(), question) -
        values.begin();
    EXPECT_EQ(search.Next([&](size_t i) { return values[i] < question; }),
              expected)
        << question;
  }
}

}  // namespace
}  // namespace newsevents::extract
