#ifndef NEWSEVENTS_INGEST_SERVICE_EXTRACT_COUNT_ANNOTATOR_H_
#define NEWSEVENTS_INGEST_SERVICE_EXTRACT_COUNT_ANNOTATOR_H_

// Turns the numbers of a sentence into counts. A count is a number the
// article states about people or property affected by the unrest: people
// killed, injured, hospitalized or arrested, the size of a crowd, property
// damaged (docs/extraction.md lists the constructions and their tests). It
// is found as a number, its noun phrase ("law enforcement officers",
// "cars") and a cue of data/extract/count_cues.tsv after it ("230 were
// killed") or right before it ("killing at least one person", "protesters
// burned 120 cars").
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
  // Index of the count this one is part of among the article's counts, -1
  // for none. Counts are only ever appended, and a total is always appended
  // before its sub-totals, so subtotal_of is smaller than the count's own
  // index and stays valid (the assembler relies on both).
  int subtotal_of = -1;
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

  // How far before a `toll` cue the toll may be named, in tokens.
  static constexpr int kTollReach = 20;

  CountAnnotator(const Document& doc, const Lexicons& lex)
      : doc_(doc), lex_(lex) {}

  // Adds the counts of sentence `si` (whose numbers are `numbers`) to
  // *counts, which holds the counts of the earlier sentences. Counts are
  // appended in the order of their numbers, except that a number that shares
  // the cue of the number after it ("120 cars and more than 100 shops were
  // burned") is appended right before that number's count. A sub-total
  // ("including N", "N of them") is part of the count appended just before
  // it; a breakdown ("19 of them are ..., 27 are ...") is part of the total
  // its first item was part of.
  void Annotate(int si, const std::vector<NumberMention>& numbers,
                std::vector<CountMention>* counts);

 private:
  // Why a number is not a count. CountNumber returns one; each of its early
  // returns names the reason, and nothing else drops a number.
  enum class NoCount {
    kNone,  // it is a count, and has been appended
    // The number annotator ruled it out: a year, an age, a price, a
    // measure, part of a name.
    kCountsNothing,
    // A bare "one" with no noun of people after it ("one of the reasons").
    kNoPersonNoun,
    // "N of them" with no cue of its own, after its total's sentence, that
    // neither starts a breakdown ("19 of them are ..., 27 are ...") nor
    // names people ("were students"): "Two of them were put on a bus".
    kOfThemAside,
    // No cue says what happened to what it counts, and it is part of no
    // total whose kind it could take.
    kNoKind,
  };
  // Annotate's state for one sentence, carried from number to number.
  struct SentenceScan;
  // One number of the sentence on its way to becoming a count.
  struct Candidate;
  // The count a number is part of, and the words that say so.
  struct TotalLink;

  // The steps of Annotate for one number, in the order CountNumber takes
  // them.
  NoCount CountNumber(SentenceScan* scan, Candidate* c) const;
  // The kind from a cue right before the number ("killing at least one
  // person"), after its noun phrase ("230 were killed") or inside it
  // ("dozens of wounded people"); false if there is none there.
  bool FindCueBefore(const SentenceScan& scan, Candidate* c) const;
  bool FindCueAfter(const SentenceScan& scan, Candidate* c) const;
  // Makes `cue`, ending at token `cue_end`, the candidate's cue after its
  // noun phrase (kind, evidence, a second cue).
  void TakeAfterCue(const Sentence& s, const CountCue* cue, int cue_end,
                    Candidate* c) const;
  // After FindCueAfter: a cue of another kind joined to it by "and".
  void FindSecondCue(const Sentence& s, Candidate* c) const;
  bool FindCueInside(const SentenceScan& scan, Candidate* c) const;
  TotalLink FindTotal(const SentenceScan& scan, const Candidate& c) const;
  // Whether "N of them" without a cue of its own is a count.
  bool OfThemIsCounted(const SentenceScan& scan, const Candidate& c) const;
  // Makes the candidate a sub-total of link's total, whose kind it takes
  // when it has none.
  void JoinTotal(const SentenceScan& scan, const TotalLink& link,
                 Candidate* c) const;
  // For a number opening a bulleted line ("-38 adults;"): the index of the
  // count it breaks down (that of the line above the list, which ends with
  // a colon; at most kMaxListLines lines up), else -1.
  int ListLineTotal(const SentenceScan& scan, const Candidate& c) const;
  static constexpr int kMaxListLines = 20;
  // Whether the candidate, with no cue of its own, is an item of a list
  // whose verb is left out: a bare number (or one with a noun of people)
  // followed by "in"/"at"/"with"/... ("two in Kitengela").
  bool GappedItem(const SentenceScan& scan, const Candidate& c) const;
  // "deaths in Caracas (10) and Bolivar (8)": a number alone in brackets
  // after a capitalized name takes the kind of the first cue of people
  // earlier in its sentence; its evidence is "Caracas (10)".
  bool FindBracketedItem(const SentenceScan& scan, Candidate* c) const;
  // When `n` stands alone in brackets right after a capitalized name
  // ("Caracas (10)", "Sucre (one each)"): the token of its ")"; else -1.
  int NameBracketClose(const Sentence& s, const NumberMention& n) const;
  // After a bracketed item "(N each)" was counted: the same count at each
  // earlier name of its list ("Amazonas and Barinas (3 each)"), at most
  // kMaxEachNames of them.
  void AddEachNames(SentenceScan* scan, const CountMention& item) const;
  static constexpr int kMaxEachNames = 8;
  // GappedItem after a list separator, dash or colon, in a sentence that
  // has a count already: "..., one in Nakuru" ("one" needs no noun then).
  bool GappedListItem(const SentenceScan& scan, const Candidate& c) const;
  // "Four were shot dead in A, two in B": a gapped item after a list
  // separator takes the kind (and total) of the count before it in its
  // sentence. Returns whether it did.
  bool JoinGappedSibling(const SentenceScan& scan, Candidate* c) const;
  // Extends the candidate's evidence over its item: up to the next comma,
  // "and", number or sentence end.
  void ExtendToItemEnd(Candidate* c) const;
  v1::Group GroupOf(const SentenceScan& scan, const Candidate& c) const;
  // For DAMAGED: the group of who did it.
  v1::Group DoerGroup(const SentenceScan& scan, const Candidate& c) const;
  // For "N of them" and a sub-total without a noun of people.
  v1::Group SubtotalGroup(const SentenceScan& scan, const Candidate& c) const;
  bool DoneBySecurityForces(const SentenceScan& scan, const Candidate& c) const;
  // Appends the count of the number before the candidate when it shares the
  // candidate's cue; the candidate's count, appended next, may be part of it.
  void AddJoinedCount(SentenceScan* scan, Candidate* c) const;

  NounPhrase ReadNounPhrase(int from, int end) const;
  // Whether the noun phrase goes on after the "and" at token `and_at`
  // ("military and law enforcement officers").
  bool AndContinuesNounPhrase(int and_at, int end) const;
  // The earliest "toll" or "number of" + a word of a kind (NumberOfKind)
  // among the kTollReach tokens before token `cue` of sentence `s`, -1 if
  // none.
  int TollBefore(const Sentence& s, int cue) const;
  // Whether number token `k` is a year or a day beside a month name.
  bool PartOfADate(const Sentence& s, int k) const;
  // The group named by the people noun that opens sentence `s` (its
  // subject), when there is one and no reporting verb follows it before
  // token `end`.
  bool SubjectGroup(const Sentence& s, int end, v1::Group* group) const;
  // When token `t` of sentence `s` opens "number of" + a word of a kind of
  // people ("the number of people killed", "the number of wounded"), which
  // names a toll as "toll" does: that kind; else UNSPECIFIED.
  v1::QuantityKind NumberOfKind(const Sentence& s, int t) const;
  // The group of people that stand right before token `t` ("protesters").
  bool GroupBefore(int sentence_first, int t, v1::Group* group) const;

  const Document& doc_;
  const Lexicons& lex_;
};

}  // namespace newsevents::extract

#endif  // NEWSEVENTS_INGEST_SERVICE_EXTRACT_COUNT_ANNOTATOR_H_
