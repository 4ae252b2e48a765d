#ifndef NEWSEVENTS_INGEST_SERVICE_GAZETTEER_TEXT_WORDS_H_
#define NEWSEVENTS_INGEST_SERVICE_GAZETTEER_TEXT_WORDS_H_

// Reads UTF-8 text as words for PlaceFinder: maximal runs of letters,
// digits and combining marks, each with what separates it from the word
// before (so the finder knows which words may form one name). Invalid UTF-8
// bytes separate words. Internal to the gazetteer module; thread-safe.

#include <cstddef>
#include <vector>

#include "absl/strings/string_view.h"

namespace newsevents::gazetteer::internal {

// What lies between a word and the previous one.
enum class WordGap : unsigned char {
  kSpace,       // spaces or tabs only: "Nur Sultan"
  kHyphen,      // one hyphen: "Nur-Sultan"
  kApostrophe,  // one apostrophe, straight or curly: "Côte d'Ivoire"
  kDot,         // one "." and nothing else: "U.S."
  kDotSpace,    // "." then spaces: "St. Petersburg"
  kOther,       // anything else (punctuation, newline, start of text)
};

struct TextWord {
  size_t start = 0;  // byte offsets into the text
  size_t end = 0;
  WordGap gap_before = WordGap::kOther;
  bool capitalized = false;  // first character is upper or title case
  bool ascii = false;        // every byte < 0x80
  bool has_digit = false;
};

// The byte offset of the first word at or after `from` that starts with an
// upper- or title-case letter, or text.size(). `from` must be at a code
// point boundary. Scanning for these is what lets PlaceFinder skip the
// lower-case bulk of a text without splitting it into words.
size_t NextCapitalizedWordStart(absl::string_view text, size_t from);

// The words from a word start on (the first with gap kOther), read only as
// far as a caller asks: a name rarely spans more than two words, and most
// capitalised words start none. The run ends at the end of text or before
// the first word separated by anything but a joining gap (WordGap::kOther).
class WordRun {
 public:
  // `text` must outlive the run. Call Reset before the first At.
  explicit WordRun(absl::string_view text) : text_(text) {}

  // Starts over at `start`, the first byte of a word (the buffer is kept,
  // so a scan allocates once).
  void Reset(size_t start) {
    words_.clear();
    next_ = start;
    ended_ = false;
  }

  // The index-th word of the run (0 is the one at `start`), or nullptr when
  // the run ends before it. Pointers stay valid until the next call.
  const TextWord* At(size_t index) {
    // Inline: the finder asks again for words it has already read.
    return index < words_.size() ? &words_[index] : Extend(index);
  }

 private:
  // Reads words until the index-th or the end of the run.
  const TextWord* Extend(size_t index);

  absl::string_view text_;
  std::vector<TextWord> words_;
  size_t next_ = 0;  // where to look for the next word
  bool ended_ = false;
};
}  // namespace newsevents::gazetteer::internal

#endif  // NEWSEVENTS_INGEST_SERVICE_GAZETTEER_TEXT_WORDS_H_
