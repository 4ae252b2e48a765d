#ifndef NEWSEVENTS_INGEST_SERVICE_GAZETTEER_TEXT_WORDS_H_
#define NEWSEVENTS_INGEST_SERVICE_GAZETTEER_TEXT_WORDS_H_

// Splits UTF-8 text into words for PlaceFinder: maximal runs of letters,
// digits and combining marks, each with what separates it from the word
// before (so the finder knows which words may form one name). Invalid UTF-8
// bytes separate words. Internal to the gazetteer module; thread-safe.

#include <cstddef>
#include <vector>

#include "absl/strings/string_view.h"

namespace newsevents::gazetteer::internal {

// What lies between a word and the previous one.
enum class WordGap : unsigned char {
  kSpace,       // spaces or tabs only: "Nur Sultan"
  kHyphen,      // one hyphen: "Nur-Sultan"
  kApostrophe,  // one apostrophe, straight or curly: "Côte d'Ivoire"
  kDot,         // one "." and nothing else: "U.S."
  kDotSpace,    // "." then spaces: "St. Petersburg"
  kOther,       // anything else (punctuation, newline, start of text)
};

struct TextWord {
  size_t start = 0;  // byte offsets into the text
  size_t end = 0;
  WordGap gap_before = WordGap::kOther;
  bool capitalized = false;  // first character is upper or title case
  bool ascii = false;        // every byte < 0x80
  bool has_digit = false;
};

std::vector<TextWord> SplitWords(absl::string_view text);

}  // namespace newsevents::gazetteer::internal

#endif  // NEWSEVENTS_INGEST_SERVICE_GAZETTEER_TEXT_WORDS_H_
