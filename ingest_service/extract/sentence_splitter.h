#ifndef NEWSEVENTS_INGEST_SERVICE_EXTRACT_SENTENCE_SPLITTER_H_
#define NEWSEVENTS_INGEST_SERVICE_EXTRACT_SENTENCE_SPLITTER_H_

// Splits normalized text into sentences: every line is split on its own (a
// headline or caption without final punctuation is its own sentence), with
// ICU's sentence BreakIterator, and a break after a known abbreviation
// ("Mr.", "Gen.", "U.S.") or an initial ("J.") is undone.
//
// Sentence boundaries under ICU's rules (UAX #29) can only follow a
// terminator ('.', '!', '?') and depend on a few characters around it, so on
// an ASCII line the iterator runs on a short window around each terminator
// rather than over the whole line (it costs ~10 ns per byte; most bytes of
// an article are far from any terminator). Lines with other characters go to
// ICU whole.
//
// Thread-safety: Split is const and uses a per-thread clone of the ICU
// iterator, so one splitter may serve many threads.

#include <unicode/uversion.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "ingest_service/extract/tokenizer.h"

U_NAMESPACE_BEGIN
class BreakIterator;
U_NAMESPACE_END

namespace newsevents::extract {

struct Sentence {
  uint32_t begin = 0;  // byte offsets into the normalized text
  uint32_t end = 0;
  int first_token = 0;  // token range [first_token, end_token)
  int end_token = 0;
  int paragraph = 0;         // index of the line the sentence is on
  bool boilerplate = false;  // every token is boilerplate
};

class SentenceSplitter {
 public:
  enum class IcuScope {
    kTerminatorWindows,  // the fast default (see above)
    kWholeLines,         // the reference the windows must agree with
  };

  // Fails with INTERNAL if ICU cannot create a sentence iterator.
  static absl::StatusOr<std::unique_ptr<SentenceSplitter>> Create(
      IcuScope scope = IcuScope::kTerminatorWindows);
  ~SentenceSplitter();

  // Appends the sentences of `text` to *out. `tokens` are the tokens of
  // `text`; `abbreviations` holds lower-case abbreviations without the final
  // period. Sentences without tokens are dropped.
  void Split(absl::string_view text, const std::vector<Token>& tokens,
             const absl::flat_hash_set<std::string>& abbreviations,
             std::vector<Sentence>* out) const;

 private:
  SentenceSplitter(std::unique_ptr<icu::BreakIterator> prototype,
                   IcuScope scope);
  std::unique_ptr<icu::BreakIterator> prototype_;
  IcuScope scope_;
};

}  // namespace newsevents::extract

#endif  // NEWSEVENTS_INGEST_SERVICE_EXTRACT_SENTENCE_SPLITTER_H_
