#include "ingest_service/extract/tokenizer.h"

#include <algorithm>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"

namespace newsevents::extract {
namespace {

bool IsLetter(unsigned char c) { return absl::ascii_isalpha(c) || c >= 0x80; }
bool IsWordChar(unsigned char c) {
  return absl::ascii_isalnum(c) || c >= 0x80 || c == '_';
}
bool IsSpace(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
         c == '\v';
}

// Length of a URL starting at `pos`, or 0.
size_t UrlLength(absl::string_view lower, size_t pos) {
  const char first = lower[pos];
  if (first != 'h' && first != 'w' && first != 'p') return 0;
  absl::string_view rest = lower.substr(pos);
  if (!absl::StartsWith(rest, "http://") &&
      !absl::StartsWith(rest, "https://") && !absl::StartsWith(rest, "www.") &&
      !absl::StartsWith(rest, "pic.twitter.com/")) {
    return 0;
  }
  size_t n = 0;
  while (n < rest.size() && !IsSpace(static_cast<unsigned char>(rest[n])) &&
         rest[n] != '"' && rest[n] != ')' && rest[n] != ']') {
    ++n;
  }
  return n;
}

}  // namespace

int FirstTokenAtOrAfter(const std::vector<Token>& tokens, size_t offset) {
  return static_cast<int>(
      std::lower_bound(tokens.begin(), tokens.end(), offset,
                       [](const Token& t, size_t o) { return t.begin < o; }) -
      tokens.begin());
}

std::string AsciiLower(absl::string_view text) {
  std::string out(text.data(), text.size());
  for (char& c : out) c = absl::ascii_tolower(static_cast<unsigned char>(c));
  return out;
}

void Tokenize(absl::string_view text, absl::string_view lower,
              std::vector<Token>* tokens) {
  const size_t n = text.size();
  size_t pos = 0;
  bool space_before = true;
  bool line_start = true;
  const auto at = [&](size_t i) -> unsigned char {
    return i < n ? static_cast<unsigned char>(text[i]) : 0;
  };
  while (pos < n) {
    const unsigned char c = at(pos);
    if (IsSpace(c)) {
      if (c == '\n') line_start = true;
      space_before = true;
      ++pos;
      continue;
    }
    const size_t begin = pos;
    uint16_t flags = 0;
    if (size_t url = UrlLength(lower, pos); url > 0) {
      pos += url;
      flags = kUrl;
    } else if ((c == '#' || c == '@') && IsWordChar(at(pos + 1))) {
      ++pos;
      while (pos < n && IsWordChar(at(pos))) ++pos;
      flags = kHashtag;
    } else if (absl::ascii_isdigit(c)) {
      // Digits with thousands separators or a decimal part, then an optional
      // letter suffix ("2nd", "1990s").
      ++pos;
      while (pos < n) {
        if (absl::ascii_isdigit(at(pos))) {
          ++pos;
        } else if ((at(pos) == ',' || at(pos) == '.') &&
                   absl::ascii_isdigit(at(pos + 1))) {
          pos += 2;
        } else {
          break;
        }
      }
      while (pos < n && absl::ascii_isalpha(at(pos))) ++pos;
      flags = kNumber;
    } else if (IsLetter(c)) {
      // A single letter followed by ".x." is an abbreviation like "U.S.".
      if (absl::ascii_isalpha(c) && at(pos + 1) == '.' &&
          absl::ascii_isalpha(at(pos + 2)) && at(pos + 3) == '.') {
        pos += 4;
        while (absl::ascii_isalpha(at(pos)) && at(pos + 1) == '.') pos += 2;
        flags = kWord;
        if (absl::ascii_isupper(c)) flags |= kCapitalized;
        bool lower_case = false;
        for (size_t i = begin; i < pos; ++i) {
          lower_case |= absl::ascii_islower(at(i));
        }
        if (!lower_case) flags |= kAllCaps;  // at least two letters
      } else {
        // One pass: the word's end, its letter count and whether any of
        // them is lower case.
        int letters = 0;
        bool lower_case = false;
        while (pos < n) {
          const unsigned char ch = static_cast<unsigned char>(text[pos]);
          if (absl::ascii_isalpha(ch)) {
            ++letters;
            lower_case |= absl::ascii_islower(ch);
          } else if (!IsWordChar(ch)) {
            break;
          }
          ++pos;
        }
        flags = kWord;
        if (absl::ascii_isupper(c)) flags |= kCapitalized;
        if (letters >= 2 && !lower_case) flags |= kAllCaps;
      }
    } else if (c == '\'' && (at(pos + 1) == 's' || at(pos + 1) == 'S') &&
               !IsWordChar(at(pos + 2)) && (!space_before || pos == 0)) {
      pos += 2;
      flags = kWord;
    } else {
      // One punctuation character (a whole UTF-8 sequence if non-ASCII is
      // handled above as a letter, so this is ASCII).
      ++pos;
      flags = kPunct;
    }
    if (space_before) flags |= kSpaceBefore;
    if (line_start) flags |= kLineStart;
    // Filled in place: building a Token on the stack and copying it in
    // made the copy's wide loads wait on the narrow stores just before
    // them (a store-forwarding stall), half of this function's time.
    Token& token = tokens->emplace_back();
    token.begin = static_cast<uint32_t>(begin);
    token.end = static_cast<uint32_t>(pos);
    token.text = text.substr(begin, pos - begin);
    token.lower = lower.substr(begin, pos - begin);
    token.flags = flags;
    space_before = false;
    line_start = false;
  }
}

}  // namespace newsevents::extract
