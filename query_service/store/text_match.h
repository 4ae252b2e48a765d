#ifndef NEWSEVENTS_QUERY_SERVICE_STORE_TEXT_MATCH_H_
#define NEWSEVENTS_QUERY_SERVICE_STORE_TEXT_MATCH_H_

// Case-insensitive text matching shared by the filter evaluator and the
// indexes, so that what the index finds and what the predicate accepts agree.
//
// A word is a maximal run of ASCII letters and digits and of bytes >= 0x80
// (so UTF-8 letters stay inside words). Case folding is ASCII-only: non-ASCII
// text is compared byte for byte. "Folded" arguments must already be
// lowercase (callers fold literals once, at compile time), which is what lets
// the matchers run without allocating. All functions are pure and
// thread-safe.

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace newsevents::query {

// ASCII-lowercased copy of `text`.
std::string FoldCase(absl::string_view text);

// True when `text` equals `folded` ignoring ASCII case.
bool EqualsFolded(absl::string_view text, absl::string_view folded);

// True when `text` matches `folded_pattern` ignoring ASCII case, where '*' in
// the pattern matches any run of bytes (possibly empty).
bool GlobMatchesFolded(absl::string_view text,
                       absl::string_view folded_pattern);

// True when `folded_needle` occurs in `text` ignoring ASCII case.
bool ContainsFolded(absl::string_view text, absl::string_view folded_needle);

// Finds the first word of `text` at or after byte `from`. On success sets
// `word` and `end` (one past the word) and returns true.
bool NextWord(absl::string_view text, size_t from, absl::string_view* word,
              size_t* end);

// The lowercased words of `text`, in order.
std::vector<std::string> FoldedWords(absl::string_view text);

// True when `text` contains the consecutive words `folded_words` (each
// lowercase; the last may end in '*' to match any word with that prefix).
// False for an empty phrase.
bool ContainsPhrase(absl::string_view text,
                    absl::Span<const std::string> folded_words);

}  // namespace newsevents::query

#endif  // NEWSEVENTS_QUERY_SERVICE_STORE_TEXT_MATCH_H_
