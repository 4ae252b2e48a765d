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
  // The map from normalized to raw offsets as runs: from `text_begin` on,
  // a linear run maps byte i to raw_begin + (i - text_begin) (ASCII copied
  // as is, most of an article); any other run maps all its bytes to
  // raw_begin, the start of the one raw character that produced them. A
  // map of runs rather than one entry per byte: spans are looked up a few
  // times per article, while every byte would be written.
  struct Run {
    uint32_t text_begin;
    uint32_t raw_begin;
    bool linear;
  };

  // The normalized UTF-8 text.
  std::string text;
  // In text order; the last run starts at text.size() and holds the raw
  // input size.
  std::vector<Run> runs;
  // Number of invalid UTF-8 sequences replaced by U+FFFD.
  int invalid_sequences = 0;

  // The raw offset of the character that produced byte `i` of `text`
  // (i == text.size(): the raw input size). Non-decreasing in `i`.
  uint32_t RawOffset(uint32_t i) const;
  // The raw span [raw_begin, raw_end) of normalized span [begin, end).
  uint32_t RawBegin(uint32_t begin) const { return RawOffset(begin); }
  uint32_t RawEnd(uint32_t end) const { return RawOffset(end); }
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
