#ifndef NEWSEVENTS_INGEST_SERVICE_EXTRACT_DOCUMENT_H_
#define NEWSEVENTS_INGEST_SERVICE_EXTRACT_DOCUMENT_H_

// The Document: one article read once into the layers every annotator
// shares: the raw bytes, the normalized text with its map back to raw byte
// offsets, the boilerplate ranges, the tokens and the sentences.
//
// Ownership: a Document views `raw` (which must outlive it) and owns the
// rest. Thread-safety: immutable once built.

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "ingest_service/extract/boilerplate.h"
#include "ingest_service/extract/lexicons.h"
#include "ingest_service/extract/sentence_splitter.h"
#include "ingest_service/extract/text_normalizer.h"
#include "ingest_service/extract/tokenizer.h"

namespace newsevents::extract {

struct Document {
  absl::string_view raw;
  NormalizedText norm;
  std::string lower;  // norm.text, ASCII-lower-cased
  std::vector<BoilerplateRange> boilerplate;
  std::vector<Token> tokens;
  std::vector<Sentence> sentences;

  // Raw byte span of normalized range [begin, end).
  TextRange RawRange(uint32_t begin, uint32_t end) const {
    return {norm.RawBegin(begin), norm.RawEnd(end)};
  }
  // Raw byte span of tokens [first, end_token).
  TextRange RawTokens(int first, int end_token) const {
    return RawRange(tokens[first].begin, tokens[end_token - 1].end);
  }
  // The normalized text of tokens [first, end_token).
  absl::string_view TextOf(int first, int end_token) const {
    return absl::string_view(norm.text).substr(
        tokens[first].begin, tokens[end_token - 1].end - tokens[first].begin);
  }
  // Index of the sentence holding token `t`.
  int SentenceOf(int t) const;
};

// Builds the document of `raw`.
void BuildDocument(absl::string_view raw, const Lexicons& lexicons,
                   const SentenceSplitter& splitter, Document* doc);

}  // namespace newsevents::extract

#endif  // NEWSEVENTS_INGEST_SERVICE_EXTRACT_DOCUMENT_H_
