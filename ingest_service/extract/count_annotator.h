#ifndef NEWSEVENTS_INGEST_SERVICE_EXTRACT_COUNT_ANNOTATOR_H_
#define NEWSEVENTS_INGEST_SERVICE_EXTRACT_COUNT_ANNOTATOR_H_

// Turns the numbers of a sentence into counts (GUIDELINES.md section 1): a
// number, its noun phrase ("law enforcement officers", "cars") and a cue of
// data/extract/count_cues.tsv after it ("230 were killed") or right before
// it ("killing at least one person", "protesters burned 120 cars").
//
//   group:     from the noun phrase (people_nouns.tsv); "N other(s)" takes
//              the group of the count before it; crowd sizes are PROTESTERS;
//              for DAMAGED, the group of the doer ("protesters burned").
//   object:    for DAMAGED, the property phrase ("police vehicles").
//   subtotals: "including N" and "N of them" are counts of their own, linked
//              to the count they are part of; a breakdown ("19 of them are
//              members of ..., 27 are activists ...") takes its total's kind.
//
// Thread-safety: a CountAnnotator is used by one parse at a time.

#include <string>
#include <vector>

#include "ingest_service/extract/annotations.h"
#include "ingest_service/extract/document.h"
#include "ingest_service/extract/lexicons.h"

namespace newsevents::extract {

struct CountMention {
  int sentence = 0;
  NumberMention number;
  v1::QuantityKind kind = v1::QUANTITY_KIND_UNSPECIFIED;
  v1::Group group = v1::GROUP_UNSPECIFIED;
  std::string object;
  int evidence_first = 0;  // token range of the evidence
  int evidence_end = 0;
  int subtotal_of = -1;         // index of the total among the article's counts
  bool security_agent = false;  // security forces did it ("police killed")
};

class CountAnnotator {
 public:
  // The words after a number that say what it counts.
  struct NounPhrase {
    int end = 0;  // one past its last token
    v1::Group group = v1::GROUP_UNSPECIFIED;
    bool has_people = false;
    bool has_specific_group = false;
    std::string object;  // property phrase, if any
    bool of_them = false;
    bool others = false;  // "other(s)" alone
  };

  CountAnnotator(const Document& doc, const Lexicons& lex)
      : doc_(doc), lex_(lex) {}

  // Adds the counts of sentence `si` (whose numbers are `numbers`) to
  // *counts, which holds the counts of the earlier sentences.
  void Annotate(int si, const std::vector<NumberMention>& numbers,
                std::vector<CountMention>* counts);

 private:
  NounPhrase ReadNounPhrase(int from, int end) const;
  // Whether the noun phrase goes on after the "and" at token `and_at`
  // ("military and law enforcement officers").
  bool AndContinuesNounPhrase(int and_at, int end) const;
  // The group named by the people noun that opens sentence `s` (its
  // subject), when there is one and no reporting verb follows it before
  // token `end`.
  bool SubjectGroup(const Sentence& s, int end, v1::Group* group) const;
  // Whether token `t` of sentence `s` opens "number of" + a death word
  // ("the number of people killed"), which names a toll as "toll" does.
  bool IsNumberOfDead(const Sentence& s, int t) const;
  // The group of people that stand right before token `t` ("protesters").
  bool GroupBefore(int sentence_first, int t, v1::Group* group) const;

  const Document& doc_;
  const Lexicons& lex_;
};

}  // namespace newsevents::extract

#endif  // NEWSEVENTS_INGEST_SERVICE_EXTRACT_COUNT_ANNOTATOR_H_
