#include "ingest_service/extract/sentence_splitter.h"

#include <unicode/brkiter.h>
#include <unicode/utext.h>

#include <algorithm>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace newsevents::extract {
namespace {

// Whether a sentence ending with tokens [.., end_token) stops on an
// abbreviation or an initial rather than a real sentence end.
bool EndsWithAbbreviation(const std::vector<Token>& tokens, int first,
                          int end_token,
                          const absl::flat_hash_set<std::string>& abbrevs) {
  if (end_token - first < 1) return false;
  const Token& last = tokens[end_token - 1];
  if (last.lower.size() > 1 && last.lower.back() == '.') {
    // "u.s." as one token.
    std::string word(last.lower.substr(0, last.lower.size() - 1));
    return abbrevs.contains(word);
  }
  if (last.lower != "." || end_token - first < 2) return false;
  const Token& word = tokens[end_token - 2];
  if (word.end != last.begin) return false;
  if (word.text.size() == 1 && absl::ascii_isupper(word.text[0])) return true;
  return abbrevs.contains(word.lower);
}

}  // namespace

SentenceSplitter::SentenceSplitter(
    std::unique_ptr<icu::BreakIterator> prototype)
    : prototype_(std::move(prototype)) {}
SentenceSplitter::~SentenceSplitter() = default;

absl::StatusOr<std::unique_ptr<SentenceSplitter>> SentenceSplitter::Create() {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::BreakIterator> it(
      icu::BreakIterator::createSentenceInstance(icu::Locale::getEnglish(),
                                                 status));
  if (U_FAILURE(status) || it == nullptr) {
    return absl::InternalError(
        absl::StrCat("ICU sentence iterator: ", u_errorName(status)));
  }
  return std::unique_ptr<SentenceSplitter>(new SentenceSplitter(std::move(it)));
}

void SentenceSplitter::Split(
    absl::string_view text, const std::vector<Token>& tokens,
    const absl::flat_hash_set<std::string>& abbreviations,
    std::vector<Sentence>* out) const {
  std::unique_ptr<icu::BreakIterator> it(prototype_->clone());
  int paragraph = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t line_end = text.find('\n', pos);
    if (line_end == absl::string_view::npos) line_end = text.size();
    const int line_first =
        FirstTokenAtOrAfter(tokens, static_cast<uint32_t>(pos));
    const int line_last =
        FirstTokenAtOrAfter(tokens, static_cast<uint32_t>(line_end));
    if (line_first < line_last) {
      UErrorCode status = U_ZERO_ERROR;
      UText* ut = utext_openUTF8(nullptr, text.data() + pos,
                                 static_cast<int64_t>(line_end - pos), &status);
      std::vector<uint32_t> breaks;
      if (U_SUCCESS(status)) {
        it->setText(ut, status);
        if (U_SUCCESS(status)) {
          for (int32_t b = it->next(); b != icu::BreakIterator::DONE;
               b = it->next()) {
            breaks.push_back(static_cast<uint32_t>(pos + b));
          }
        }
      }
      utext_close(ut);
      if (breaks.empty() || breaks.back() != line_end) {
        breaks.push_back(static_cast<uint32_t>(line_end));
      }
      int first = line_first;
      for (uint32_t b : breaks) {
        const int end_token = FirstTokenAtOrAfter(tokens, b);
        if (end_token <= first) continue;
        if (b != line_end &&
            EndsWithAbbreviation(tokens, first, end_token, abbreviations)) {
          continue;  // keep accumulating into the same sentence
        }
        Sentence s;
        s.first_token = first;
        s.end_token = std::min(end_token, line_last);
        s.begin = tokens[first].begin;
        s.end = tokens[s.end_token - 1].end;
        s.paragraph = paragraph;
        s.boilerplate = true;
        for (int i = first; i < s.end_token; ++i) {
          if (!tokens[i].Is(kBoilerplate)) {
            s.boilerplate = false;
            break;
          }
        }
        out->push_back(s);
        first = s.end_token;
      }
      ++paragraph;
    }
    pos = line_end + 1;
  }
}

}  // namespace newsevents::extract
