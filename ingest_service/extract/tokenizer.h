#ifndef NEWSEVENTS_INGEST_SERVICE_EXTRACT_TOKENIZER_H_
#define NEWSEVENTS_INGEST_SERVICE_EXTRACT_TOKENIZER_H_

// Splits normalized text into tokens: words, numbers ("3,500", "2nd"),
// abbreviations with inner periods ("U.S."), possessive "'s", URLs,
// hashtags and handles (one token each), and single punctuation marks.
// A hyphen is a token of its own, so "20-30" and "Nur-Sultan" are three.
//
// Tokens point into the text they were made from (which must outlive them)
// and allocate nothing of their own.
//
// Thread-safety: pure function.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "ingest_service/extract/forward_search.h"

namespace newsevents::extract {

enum TokenFlag : uint16_t {
  kWord = 1 << 0,         // letters (and inner digits)
  kNumber = 1 << 1,       // starts with a digit
  kPunct = 1 << 2,        // one punctuation or symbol character
  kCapitalized = 1 << 3,  // starts with an upper-case ASCII letter
  kAllCaps = 1 << 4,      // two or more letters, all upper case
  kUrl = 1 << 5,          // a URL or link
  kHashtag = 1 << 6,      // #tag or @handle
  kSpaceBefore = 1 << 7,  // preceded by white space
  kLineStart = 1 << 8,    // first token of a line
  kBoilerplate = 1 << 9,  // inside a boilerplate span (set by Document)
};

struct Token {
  uint32_t begin = 0;  // byte offsets into the normalized text
  uint32_t end = 0;
  absl::string_view text;   // the token as written
  absl::string_view lower;  // ASCII-lower-cased
  uint16_t flags = 0;
  uint32_t id = 0;  // the word's id in the lexicons' Vocabulary, 0 if none

  bool Is(TokenFlag flag) const { return (flags & flag) != 0; }
};

// Whether `t` is a list bullet: a hyphen, en or em dash, bullet sign or
// asterisk.
inline bool IsBullet(const Token& t) {
  return t.lower == "-" || t.lower == "\u2013" || t.lower == "\u2014" ||
         t.lower == "\u2022" || t.lower == "*";
}

// Tokenizes `text`; `lower` must be `text` with ASCII letters lower-cased
// (same length). Tokens are appended to *tokens in text order.
void Tokenize(absl::string_view text, absl::string_view lower,
              std::vector<Token>* tokens);

// ASCII-lower-cases `text` (other bytes unchanged, so offsets match).
std::string AsciiLower(absl::string_view text);

// Index of the first of `tokens` (in text order) that starts at or after
// byte `offset`; tokens.size() when there is none.
int FirstTokenAtOrAfter(const std::vector<Token>& tokens, size_t offset);

// FirstTokenAtOrAfter for a caller whose offsets mostly increase: it
// gallops forward from the previous answer (see ForwardSearch) instead of
// searching the whole article each time.
class TokenCursor {
 public:
  explicit TokenCursor(const std::vector<Token>& tokens)
      : tokens_(tokens), search_(tokens.size()) {}
  int FirstAtOrAfter(size_t offset) {
    return static_cast<int>(
        search_.Next([&](size_t i) { return tokens_[i].begin < offset; }));
  }

 private:
  const std::vector<Token>& tokens_;
  ForwardSearch search_;
};

}  // namespace newsevents::extract

#endif  // NEWSEVENTS_INGEST_SERVICE_EXTRACT_TOKENIZER_H_
