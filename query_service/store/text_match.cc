#include "query_service/store/text_match.h"

namespace newsevents::query {
namespace {

char Lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool IsWordByte(char c) {
  const auto u = static_cast<unsigned char>(c);
  return (u >= '0' && u <= '9') || (u >= 'a' && u <= 'z') ||
         (u >= 'A' && u <= 'Z') || u >= 0x80;
}

bool WordMatches(absl::string_view word, absl::string_view folded_pattern) {
  if (!folded_pattern.empty() && folded_pattern.back() == '*') {
    absl::string_view prefix =
        folded_pattern.substr(0, folded_pattern.size() - 1);
    return word.size() >= prefix.size() &&
           EqualsFolded(word.substr(0, prefix.size()), prefix);
  }
  return EqualsFolded(word, folded_pattern);
}

}  // namespace

std::string FoldCase(absl::string_view text) {
  std::string out(text);
  for (char& c : out) c = Lower(c);
  return out;
}

bool EqualsFolded(absl::string_view text, absl::string_view folded) {
  if (text.size() != folded.size()) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    if (Lower(text[i]) != folded[i]) return false;
  }
  return true;
}

bool GlobMatchesFolded(absl::string_view text, absl::string_view pattern) {
  // Classic linear-time glob with single backtrack point: on a mismatch after
  // a '*', retry with the star absorbing one more byte.
  size_t t = 0, p = 0;
  size_t star = absl::string_view::npos, resume = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = t;
    } else if (p < pattern.size() && Lower(text[t]) == pattern[p]) {
      ++t;
      ++p;
    } else if (star != absl::string_view::npos) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

bool ContainsFolded(absl::string_view text, absl::string_view needle) {
  if (needle.empty()) return true;
  if (needle.size() > text.size()) return false;
  for (size_t i = 0; i + needle.size() <= text.size(); ++i) {
    if (EqualsFolded(text.substr(i, needle.size()), needle)) return true;
  }
  return false;
}

bool NextWord(absl::string_view text, size_t from, absl::string_view* word,
              size_t* end) {
  size_t i = from;
  while (i < text.size() && !IsWordByte(text[i])) ++i;
  if (i >= text.size()) return false;
  size_t j = i;
  while (j < text.size() && IsWordByte(text[j])) ++j;
  *word = text.substr(i, j - i);
  *end = j;
  return true;
}

std::vector<std::string> FoldedWords(absl::string_view text) {
  std::vector<std::string> words;
  absl::string_view word;
  size_t pos = 0;
  while (NextWord(text, pos, &word, &pos)) words.push_back(FoldCase(word));
  return words;
}

bool ContainsPhrase(absl::string_view text,
                    absl::Span<const std::string> folded_words) {
  if (folded_words.empty()) return false;
  absl::string_view first;
  size_t pos = 0;
  while (NextWord(text, pos, &first, &pos)) {
    if (!WordMatches(first, folded_words[0])) continue;
    size_t after = pos;
    bool matched = true;
    for (size_t i = 1; i < folded_words.size() && matched; ++i) {
      absl::string_view next;
      matched = NextWord(text, after, &next, &after) &&
                WordMatches(next, folded_words[i]);
    }
    if (matched) return true;
  }
  return false;
}

}  // namespace newsevents::query
