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
#include <cstring>
#include <deque>
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
  // Find runs once per token of every article, so the table is a plain
  // open-addressing array probed with a cheap hash of the (short) word,
  // about three times faster than a general-purpose hash map here.
  struct Slot {
    uint32_t hash = 0;
    uint32_t id = 0;  // 0: empty
    absl::string_view word;
  };
  // The first and last four bytes and the length, mixed by one multiply:
  // a byte-at-a-time hash cost more than the probe. Words that share all
  // three only cost an extra comparison.
  static uint32_t Hash(absl::string_view word) {
    const size_t n = word.size();
    uint64_t bits = 0;
    if (n >= 4) {
      uint32_t head;
      uint32_t tail;
      std::memcpy(&head, word.data(), 4);
      std::memcpy(&tail, word.data() + n - 4, 4);
      bits = (uint64_t{head} << 32) | tail;
    } else {
      for (size_t i = 0; i < n; ++i) {
        bits = (bits << 8) | static_cast<unsigned char>(word[i]);
      }
    }
    bits ^= n * 0x9E3779B97F4A7C15ull;
    // The high half of the product depends on every bit of `bits`.
    return static_cast<uint32_t>((bits * 0xC4CEB9FE1A85EC53ull) >> 32);
  }
  void Place(const Slot& slot);

  std::vector<Slot> slots_ = std::vector<Slot>(256);  // power of two
  std::deque<std::string> words_;  // stable storage the slots point into
};

class PhraseLexicon {
 public:
  // `vocabulary` interns the phrases' words; it must outlive the lexicon.
  explicit PhraseLexicon(Vocabulary* vocabulary) : vocabulary_(vocabulary) {}

  // Adds a phrase (any text; it is tokenized and lower-cased) with payload
  // `id`. Returns false for a phrase with no tokens.
  bool Add(absl::string_view phrase, int id);

  // The longest phrase starting at tokens[pos] and ending before `end`.
  PhraseMatch Match(const std::vector<Token>& tokens, int pos, int end) const {
    // Inline, and answered from a small bitmap: the annotators ask every
    // lexicon about every token, and nearly every answer is no.
    if (!MayStartAt(tokens, pos, end)) return {};
    return MatchStarted(tokens, pos, end);
  }

  // Whether some phrase starts with `token`'s word: false lets a caller
  // skip the token for this lexicon without asking Match.
  bool MayStartWith(const Token& token) const {
    return token.id < first_words_.size() && first_words_[token.id];
  }

  // Every phrase starting at tokens[pos] (any length), longest first.
  void MatchAll(const std::vector<Token>& tokens, int pos, int end,
                std::vector<PhraseMatch>* out) const {
    if (MayStartAt(tokens, pos, end)) MatchAllStarted(tokens, pos, end, out);
  }

  // The payload of a phrase equal to `phrase` (already lower-cased, tokens
  // separated by single spaces), or -1.
  int Find(absl::string_view phrase) const;

  bool empty() const { return by_text_.empty(); }

 private:
  struct Entry {
    std::vector<uint32_t> rest;  // word ids of the tokens after the first
    int id;
  };
  // The entries whose first word is tokens[pos] (empty when none), and
  // whether `entry` matches at pos in full before `end`.
  const std::vector<Entry>* EntriesAt(const std::vector<Token>& tokens, int pos,
                                      int end) const;
  static bool MatchesAt(const Entry& entry, const std::vector<Token>& tokens,
                        int pos, int end);
  // Whether some phrase starts with the word at tokens[pos] (pos < end).
  bool MayStartAt(const std::vector<Token>& tokens, int pos, int end) const {
    return pos >= 0 && pos < end && MayStartWith(tokens[pos]);
  }
  PhraseMatch MatchStarted(const std::vector<Token>& tokens, int pos,
                           int end) const;
  void MatchAllStarted(const std::vector<Token>& tokens, int pos, int end,
                       std::vector<PhraseMatch>* out) const;
  Vocabulary* vocabulary_;
  // Entries by the word id of their first token, longest first.
  std::vector<std::vector<Entry>> by_first_;
  // first_words_[id]: by_first_[id] is not empty. A bit per word, so it
  // stays in cache where by_first_ (24 bytes per word) does not.
  std::vector<bool> first_words_;
  absl::flat_hash_map<std::string, int> by_text_;
};

}  // namespace newsevents::extract

#endif  // NEWSEVENTS_INGEST_SERVICE_EXTRACT_PHRASE_LEXICON_H_
