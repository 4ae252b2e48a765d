#ifndef NEWSEVENTS_INGEST_SERVICE_EXTRACT_PHRASE_LEXICON_H_
#define NEWSEVENTS_INGEST_SERVICE_EXTRACT_PHRASE_LEXICON_H_

// A set of phrases (token sequences) with a payload each, matched against a
// token stream by hash lookup on the first token and a comparison of the
// rest: no regular expression, no allocation per match. Phrases are
// tokenized with the same tokenizer as articles, so "law-enforcement" in a
// data file matches "law-enforcement" in text.
//
// Also the TSV reader every lexicon file uses.
//
// Thread-safety: immutable after loading; Match may be called concurrently.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "ingest_service/extract/tokenizer.h"

namespace newsevents::extract {

// The non-comment, non-blank lines of a data file, split on TABs. Fails with
// INVALID_ARGUMENT naming the file and line when a line has fewer than
// `min_columns` columns.
absl::StatusOr<std::vector<std::vector<std::string>>> ReadTsv(
    absl::string_view file_name, absl::string_view content, int min_columns);

// A phrase match: `length` tokens from the start position, payload `id`.
struct PhraseMatch {
  int length = 0;
  int id = -1;
  explicit operator bool() const { return length > 0; }
};

// Ids for every word of every phrase, so that lexicon lookups on article
// tokens are array indexing: a token's id is found once per document
// (Token::id), 0 for words no lexicon uses.
class Vocabulary {
 public:
  uint32_t Intern(absl::string_view word);
  uint32_t Find(absl::string_view word) const;

 private:
  // Most words of an article are in no lexicon. A bitmap keyed by a cheap
  // hash of a word's length and a few of its bytes answers "not here" for
  // nearly all of them without hashing the whole word.
  static uint32_t FilterKey(absl::string_view word) {
    const size_t n = word.size();
    if (n == 0) return 0;
    const auto byte = [&](size_t i) {
      return static_cast<uint32_t>(static_cast<unsigned char>(word[i]));
    };
    const uint32_t mix = static_cast<uint32_t>(n) * 0x9E3779B1u ^
                         byte(0) * 0x85EBCA77u ^ byte(n - 1) * 0xC2B2AE3Du ^
                         byte(n / 2) * 0x27D4EB2Fu;
    return mix >> 16;
  }
  std::vector<uint64_t> filter_ = std::vector<uint64_t>(65536 / 64);
  absl::flat_hash_map<std::string, uint32_t> ids_;
};

class PhraseLexicon {
 public:
  // `vocabulary` interns the phrases' words; it must outlive the lexicon.
  explicit PhraseLexicon(Vocabulary* vocabulary) : vocabulary_(vocabulary) {}

  // Adds a phrase (any text; it is tokenized and lower-cased) with payload
  // `id`. Returns false for a phrase with no tokens.
  bool Add(absl::string_view phrase, int id);

  // The longest phrase starting at tokens[pos] and ending before `end`.
  PhraseMatch Match(const std::vector<Token>& tokens, int pos, int end) const;

  // Every phrase starting at tokens[pos] (any length), longest first.
  void MatchAll(const std::vector<Token>& tokens, int pos, int end,
                std::vector<PhraseMatch>* out) const;

  // The payload of a phrase equal to `phrase` (already lower-cased, tokens
  // separated by single spaces), or -1.
  int Find(absl::string_view phrase) const;

  bool empty() const { return by_text_.empty(); }

 private:
  struct Entry {
    std::vector<uint32_t> rest;  // word ids of the tokens after the first
    int id;
  };
  Vocabulary* vocabulary_;
  // Entries by the word id of their first token, longest first.
  std::vector<std::vector<Entry>> by_first_;
  absl::flat_hash_map<std::string, int> by_text_;
};

}  // namespace newsevents::extract

#endif  // NEWSEVENTS_INGEST_SERVICE_EXTRACT_PHRASE_LEXICON_H_
