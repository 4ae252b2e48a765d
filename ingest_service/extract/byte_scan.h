#ifndef NEWSEVENTS_INGEST_SERVICE_EXTRACT_BYTE_SCAN_H_
#define NEWSEVENTS_INGEST_SERVICE_EXTRACT_BYTE_SCAN_H_

// Scans for a few kinds of byte eight bytes at a time (one 64-bit word per
// step instead of a compare per byte), for the passes that read every byte
// of an article to find the rare ones that matter.
//
// Thread-safety: pure functions.

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "absl/strings/string_view.h"

namespace newsevents::extract {
namespace byte_scan_internal {

constexpr uint64_t kOnes = 0x0101010101010101ull;
constexpr uint64_t kHighBits = 0x8080808080808080ull;

// Non-zero when some byte of `word` equals `byte` (exact for the first
// match; see "determine if a word has a byte equal to n").
inline uint64_t HasByte(uint64_t word, unsigned char byte) {
  const uint64_t x = word ^ (kOnes * byte);
  return (x - kOnes) & ~x & kHighBits;
}

}  // namespace byte_scan_internal

// The position of the first byte >= 0x80 at or after `pos`, or text.size().
inline size_t FirstNonAscii(absl::string_view text, size_t pos) {
  using byte_scan_internal::kHighBits;
  while (pos + 8 <= text.size()) {
    uint64_t word;
    std::memcpy(&word, text.data() + pos, 8);
    if ((word & kHighBits) != 0) break;
    pos += 8;
  }
  while (pos < text.size() && static_cast<unsigned char>(text[pos]) < 0x80) {
    ++pos;
  }
  return pos;
}

// The position of the first byte at or after `pos` that is not printable
// ASCII (below 0x20, or 0x80 and above), or text.size().
inline size_t FirstNotPrintableAscii(absl::string_view text, size_t pos) {
  using byte_scan_internal::kHighBits;
  using byte_scan_internal::kOnes;
  while (pos + 8 <= text.size()) {
    uint64_t word;
    std::memcpy(&word, text.data() + pos, 8);
    // High bits of bytes >= 0x80, and of bytes below 0x20 (the borrow of
    // the subtraction reaches only bytes after one of those).
    if (((word | ((word - kOnes * 0x20) & ~word)) & kHighBits) != 0) break;
    pos += 8;
  }
  while (pos < text.size()) {
    const unsigned char c = static_cast<unsigned char>(text[pos]);
    if (c < 0x20 || c >= 0x80) break;
    ++pos;
  }
  return pos;
}

// The position of the first '.', '!' or '?' in [pos, end), or `end`.
inline size_t FirstTerminator(absl::string_view text, size_t pos, size_t end) {
  using byte_scan_internal::HasByte;
  while (pos + 8 <= end) {
    uint64_t word;
    std::memcpy(&word, text.data() + pos, 8);
    if ((HasByte(word, '.') | HasByte(word, '!') | HasByte(word, '?')) != 0) {
      break;
    }
    pos += 8;
  }
  while (pos < end && text[pos] != '.' && text[pos] != '!' &&
         text[pos] != '?') {
    ++pos;
  }
  return pos;
}

}  // namespace newsevents::extract

#endif  // NEWSEVENTS_INGEST_SERVICE_EXTRACT_BYTE_SCAN_H_
