#include "ingest_service/extract/document.h"

#include <algorithm>

namespace newsevents::extract {

int Document::SentenceOf(int t) const {
  auto it = std::upper_bound(
      sentences.begin(), sentences.end(), t,
      [](int token, const Sentence& s) { return token < s.first_token; });
  return static_cast<int>(it - sentences.begin()) - 1;
}

void BuildDocument(absl::string_view raw, const Lexicons& lexicons,
                   const SentenceSplitter& splitter, Document* doc) {
  doc->raw = raw;
  doc->norm = NormalizeText(raw);
  doc->lower = AsciiLower(doc->norm.text);
  FindBoilerplate(doc->norm.text, doc->lower, lexicons, &doc->boilerplate);
  doc->tokens.reserve(doc->norm.text.size() / 5);
  Tokenize(doc->norm.text, doc->lower, &doc->tokens);
  for (Token& token : doc->tokens) {
    token.id = lexicons.vocabulary.Find(token.lower);
  }
  // Mark the tokens inside boilerplate (both lists are in text order).
  size_t b = 0;
  for (Token& token : doc->tokens) {
    while (b < doc->boilerplate.size() &&
           doc->boilerplate[b].range.end <= token.begin) {
      ++b;
    }
    if (b < doc->boilerplate.size() &&
        doc->boilerplate[b].range.begin < token.end) {
      token.flags |= kBoilerplate;
    }
  }
  splitter.Split(doc->norm.text, doc->tokens, lexicons.abbreviations,
                 &doc->sentences);
}

}  // namespace newsevents::extract
