#ifndef NEWSEVENTS_INGEST_SERVICE_EXTRACT_TRIGGER_ANNOTATOR_H_
#define NEWSEVENTS_INGEST_SERVICE_EXTRACT_TRIGGER_ANNOTATOR_H_

// Finds event triggers (data/extract/triggers.tsv) in a sentence: a phrase
// whose rule's context class occurs near it ("deployed" needs a force noun
// within 6 tokens, and no weapon noun: "stun grenades were deployed" is not
// a deployment), with the modality the words before it give ("would deploy"
// is FUTURE, "could" HYPOTHETICAL, "not" NEGATED; data/extract/modality.tsv).
//
// Thread-safety: pure function.

#include <vector>

#include "ingest_service/extract/annotations.h"
#include "ingest_service/extract/document.h"
#include "ingest_service/extract/lexicons.h"

namespace newsevents::extract {

// Appends the triggers of sentence `s` to *out, in text order.
void FindTriggers(const Document& doc, const Lexicons& lex, const Sentence& s,
                  std::vector<TriggerMention>* out);

}  // namespace newsevents::extract

#endif  // NEWSEVENTS_INGEST_SERVICE_EXTRACT_TRIGGER_ANNOTATOR_H_
