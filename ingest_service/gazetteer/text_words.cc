#include "ingest_service/gazetteer/text_words.h"

#include <bit>
#include <cstdint>
#include <cstring>
#include <vector>

#include "unicode/uchar.h"
#include "unicode/utf8.h"

namespace newsevents::gazetteer::internal {
namespace {

bool IsAsciiAlnum(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9');
}

bool IsWordCodePoint(UChar32 c) {
  return c >= 0 && (u_isalnum(c) || (U_GET_GC_MASK(c) & U_GC_M_MASK) != 0);
}

bool IsApostrophe(UChar32 c) {
  return c == '\'' || c == 0x2019 || c == 0x2018 || c == 0x02BC;
}

bool IsHyphen(UChar32 c) { return c == '-' || c == 0x2010 || c == 0x2011; }

bool IsInlineSpace(UChar32 c) { return c == ' ' || c == '\t' || c == 0xA0; }

// Classifies the bytes between two words.
WordGap ClassifyGap(absl::string_view gap) {
  // Nearly every gap is one ASCII byte: decide those without decoding. The
  // answers are the code-point path's (a lone non-ASCII byte is invalid
  // UTF-8, so kOther).
  if (gap.size() == 1) {
    switch (gap[0]) {
      case ' ':
      case '\t':
        return WordGap::kSpace;
      case '-':
        return WordGap::kHyphen;
      case '\'':
        return WordGap::kApostrophe;
      case '.':
        return WordGap::kDot;
      default:
        return WordGap::kOther;
    }
  }
  if (gap.empty()) return WordGap::kOther;
  const auto* bytes = reinterpret_cast<const uint8_t*>(gap.data());
  const int32_t length = static_cast<int32_t>(gap.size());
  int32_t i = 0;
  UChar32 first = 0;
  U8_NEXT(bytes, i, length, first);
  if (i == length) {
    if (first == '.') return WordGap::kDot;
    if (IsHyphen(first)) return WordGap::kHyphen;
    if (IsApostrophe(first)) return WordGap::kApostrophe;
  }
  bool all_spaces = IsInlineSpace(first);
  const bool starts_with_dot = first == '.';
  if (!all_spaces && !starts_with_dot) return WordGap::kOther;
  while (i < length) {
    UChar32 c = 0;
    U8_NEXT(bytes, i, length, c);
    if (!IsInlineSpace(c)) return WordGap::kOther;
  }
  return starts_with_dot ? WordGap::kDotSpace : WordGap::kSpace;
}

// Reads the word whose first code point `c` (a word character) spans
// [start, i); extends it over the rest of the word. Returns the word with
// gap_before unset.
TextWord ReadWord(absl::string_view text, int32_t start, int32_t i, UChar32 c) {
  const auto* bytes = reinterpret_cast<const uint8_t*>(text.data());
  const int32_t length = static_cast<int32_t>(text.size());
  TextWord word;
  word.start = static_cast<size_t>(start);
  word.capitalized =
      (c >= 'A' && c <= 'Z') || (c >= 0x80 && (u_isupper(c) || u_istitle(c)));
  word.ascii = c < 0x80;
  word.has_digit = c < 0x80 ? (c >= '0' && c <= '9') : u_isdigit(c) != 0;
  while (i < length) {
    if (bytes[i] < 0x80) {
      if (!IsAsciiAlnum(bytes[i])) break;
      word.has_digit |= (bytes[i] >= '0' && bytes[i] <= '9');
      ++i;
      continue;
    }
    int32_t next = i;
    UChar32 d = 0;
    U8_NEXT(bytes, next, length, d);
    if (!IsWordCodePoint(d)) break;
    word.ascii = false;
    word.has_digit |= static_cast<bool>(u_isdigit(d));
    i = next;
  }
  word.end = static_cast<size_t>(i);
  return word;
}

// The next word starting at or after `from`, or false at the end of text.
bool NextWord(absl::string_view text, size_t from, TextWord* word) {
  const auto* bytes = reinterpret_cast<const uint8_t*>(text.data());
  const int32_t length = static_cast<int32_t>(text.size());
  int32_t i = static_cast<int32_t>(from);
  while (i < length) {
    const int32_t start = i;
    UChar32 c = 0;
    if (bytes[i] < 0x80) {
      if (!IsAsciiAlnum(bytes[i])) {
        ++i;
        continue;
      }
      c = bytes[i++];
    } else {
      U8_NEXT(bytes, i, length, c);
      if (!IsWordCodePoint(c)) continue;
    }
    *word = ReadWord(text, start, i, c);
    return true;
  }
  return false;
}

// Whether the code point ending just before `pos` is a word character.
bool WordCharBefore(absl::string_view text, size_t pos) {
  if (pos == 0) return false;
  const auto* bytes = reinterpret_cast<const uint8_t*>(text.data());
  if (bytes[pos - 1] < 0x80) return IsAsciiAlnum(bytes[pos - 1]);
  int32_t i = static_cast<int32_t>(pos);
  UChar32 c = 0;
  U8_PREV(bytes, 0, i, c);
  return IsWordCodePoint(c);
}

// The high bit of each of the eight bytes (little-endian) of `x` that may
// start a capitalised word: 'A'-'Z' or any non-ASCII byte (ICU decides
// those). Lower-case prose is the bulk of a text; this skips it eight bytes
// at a time. No carry crosses a byte: each sum is at most 0x7F + 0x3F.
uint64_t CapitalCandidateBytes(uint64_t x) {
  constexpr uint64_t kHigh = 0x8080808080808080ULL;
  const uint64_t low = x & ~kHigh;
  const uint64_t at_least_a = low + 0x3F3F3F3F3F3F3F3FULL;  // >= 'A'
  const uint64_t past_z = low + 0x2525252525252525ULL;      // >= '['
  return (x | (at_least_a & ~past_z)) & kHigh;
}

}  // namespace

size_t NextCapitalizedWordStart(absl::string_view text, size_t from) {
  static_assert(std::endian::native == std::endian::little);
  const auto* bytes = reinterpret_cast<const uint8_t*>(text.data());
  const int32_t length = static_cast<int32_t>(text.size());
  int32_t i = static_cast<int32_t>(from);
  while (i < length) {
    // Bytes that are neither 'A'-'Z' nor non-ASCII are skipped one by one
    // below anyway; skip whole words of them first.
    while (i + 8 <= length) {
      uint64_t chunk;
      std::memcpy(&chunk, bytes + i, sizeof(chunk));
      const uint64_t candidates = CapitalCandidateBytes(chunk);
      if (candidates != 0) {
        i += std::countr_zero(candidates) / 8;
        break;
      }
      i += 8;
    }
    if (i >= length) break;
    const int32_t start = i;
    const uint8_t b = bytes[i];
    if (b < 0x80) {
      ++i;
      if (b < 'A' || b > 'Z') continue;
    } else {
      UChar32 c = 0;
      U8_NEXT(bytes, i, length, c);
      if (c < 0 || !(u_isupper(c) || u_istitle(c))) continue;
    }
    if (!WordCharBefore(text, static_cast<size_t>(start))) {
      return static_cast<size_t>(start);
    }
  }
  return text.size();
}

const TextWord* WordRun::Extend(size_t index) {
  while (words_.size() <= index && !ended_) {
    TextWord word;
    if (!NextWord(text_, next_, &word)) {
      ended_ = true;
      break;
    }
    if (words_.empty()) {
      word.gap_before = WordGap::kOther;
    } else {
      const size_t previous_end = words_.back().end;
      word.gap_before =
          ClassifyGap(text_.substr(previous_end, word.start - previous_end));
      if (word.gap_before == WordGap::kOther) {
        ended_ = true;
        break;
      }
    }
    next_ = word.end;
    words_.push_back(word);
  }
  return index < words_.size() ? &words_[index] : nullptr;
}

}  // namespace newsevents::gazetteer::internal
