#ifndef NEWSEVENTS_INGEST_SERVICE_EXTRACT_SPEAKER_ANNOTATOR_H_
#define NEWSEVENTS_INGEST_SERVICE_EXTRACT_SPEAKER_ANNOTATOR_H_

// Finds who a sentence says gave its information: the noun phrase before a
// reporting verb ("police spokesman Saltanat Azirbek said", "Security forces
// in Kazakhstan said", "Kazakhstan Police on Thursday reported"), or after an
// introducing phrase ("according to the Astana Times", "as quoted by the
// Interfax and TASS agencies", "reports in the local news media that").
// Pronouns ("he added") are marked for resolution against earlier speakers
// (ResolveSpeakers). Reporting words are in data/extract/reporting.tsv and
// the words a speaker's title may contain in speaker_words.txt.
//
// Thread-safety: FindSpeakers and ResolveSpeakers are pure functions of
// their arguments.

#include <cstdint>
#include <vector>

#include "ingest_service/extract/annotations.h"
#include "ingest_service/extract/document.h"
#include "ingest_service/extract/lexicons.h"

namespace newsevents::extract {

// Appends the speakers of sentence `s` to *out. Tokens with skip[t] != 0
// (dates) may be stepped over between a speaker and its verb.
void FindSpeakers(const Document& doc, const Lexicons& lex, const Sentence& s,
                  const std::vector<uint8_t>& skip,
                  std::vector<SpeakerMention>* out);

// Resolves pronouns ("he"), bare titles ("the Prosecutor General") and bare
// surnames ("Asylov") to the fullest earlier speaker they refer to: replaces
// the text, person and organization of each speaker that refers to one with
// its antecedent's. `speakers` holds the speakers of each sentence in text
// order, resolved in place.
void ResolveSpeakers(std::vector<std::vector<SpeakerMention>>* speakers);

}  // namespace newsevents::extract

#endif  // NEWSEVENTS_INGEST_SERVICE_EXTRACT_SPEAKER_ANNOTATOR_H_
