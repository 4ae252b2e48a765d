#ifndef NEWSEVENTS_INGEST_SERVICE_EXTRACT_SPEAKER_ANNOTATOR_H_
#define NEWSEVENTS_INGEST_SERVICE_EXTRACT_SPEAKER_ANNOTATOR_H_

// Finds who a sentence says gave its information: the noun phrase before a
// reporting verb ("police spokesman Saltanat Azirbek said", "Security forces
// in Kazakhstan said", "Kazakhstan Police on Thursday reported"), or after an
// introducing phrase ("according to the Astana Times", "as quoted by the
// Interfax and TASS agencies", "reports in the local news media that").
// Pronouns ("he added") are marked for resolution against earlier speakers
// (SpeakerResolver). Reporting words are in data/extract/reporting.tsv and
// the words a speaker's title may contain in speaker_words.txt.
//
// Thread-safety: FindSpeakers is a pure function; a SpeakerResolver is used
// by one parse at a time.

#include <string>
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
// surnames ("Asylov") to the fullest earlier speaker they refer to. Feed it
// the speakers in text order.
class SpeakerResolver {
 public:
  // Returns the speaker with its text replaced by its antecedent's when it
  // refers to one; records it as a possible antecedent.
  SpeakerMention Resolve(const SpeakerMention& speaker);

 private:
  std::vector<SpeakerMention> seen_;
  std::vector<std::vector<std::string>> seen_words_;  // lower-case words
};

}  // namespace newsevents::extract

#endif  // NEWSEVENTS_INGEST_SERVICE_EXTRACT_SPEAKER_ANNOTATOR_H_
