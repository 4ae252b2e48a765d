#ifndef NEWSEVENTS_INGEST_SERVICE_EXTRACT_TEXT_NORMALIZER_H_
#define NEWSEVENTS_INGEST_SERVICE_EXTRACT_TEXT_NORMALIZER_H_

// Normalizes raw article bytes for matching while keeping a byte-exact map
// back to the raw input, so every span found in the normalized text can be
// reported as raw UTF-8 offsets (what clients and score.py check).
//
// Normalization: invalid UTF-8 -> U+FFFD; NFC for combining sequences;
// no-break and other odd spaces -> ' '; zero-width characters dropped;
// curly quotes and apostrophes -> '"' and '\''; dashes -> '-'; ellipsis ->
// "..."; control characters -> ' '.
//
// Thread-safety: pure functions.

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace newsevents::extract {

struct NormalizedText {
  // The normalized UTF-8 text.
  std::string text;
  // raw_offset[i] is the raw offset of the character that produced byte i of
  // `text`; raw_offset[text.size()] is the raw input size. Non-decreasing.
  std::vector<uint32_t> raw_offset;
  // Number of invalid UTF-8 sequences replaced by U+FFFD.
  int invalid_sequences = 0;

  // The raw span [raw_begin, raw_end) of normalized span [begin, end).
  uint32_t RawBegin(uint32_t begin) const { return raw_offset[begin]; }
  uint32_t RawEnd(uint32_t end) const { return raw_offset[end]; }
};

// Normalizes `raw` (any bytes).
NormalizedText NormalizeText(absl::string_view raw);

// `raw` with invalid UTF-8 sequences replaced by U+FFFD (valid input is
// returned unchanged). Used for texts reported back to clients.
std::string RepairUtf8(absl::string_view raw);

// Decodes one UTF-8 character at `pos`. Returns its length in bytes (1..4)
// and sets *code_point, or returns 0 for an invalid sequence.
int DecodeUtf8(absl::string_view text, size_t pos, char32_t* code_point);

}  // namespace newsevents::extract

#endif  // NEWSEVENTS_INGEST_SERVICE_EXTRACT_TEXT_NORMALIZER_H_
