#ifndef NEWSEVENTS_INGEST_SERVICE_EXTRACT_ANNOTATIONS_H_
#define NEWSEVENTS_INGEST_SERVICE_EXTRACT_ANNOTATIONS_H_

// The typed spans the annotators add over a Document's tokens. Every span is
// a token range [first, end) into Document::tokens.

#include <cstdint>
#include <string>

#include "ingest_service/gazetteer/gazetteer.h"
#include "newsevents/v1/event.pb.h"

namespace newsevents::extract {

// A number: digits, number words, a vague word, with its qualifier.
struct NumberMention {
  int first = 0;      // first token, including the qualifier
  int end = 0;        // one past the last token of the number
  int num_first = 0;  // first token of the number itself
  int64_t value = 0;
  int64_t value_max = 0;  // upper bound of a range
  v1::Qualifier qualifier = v1::QUALIFIER_EXACT;
  bool needs_person_noun = false;  // a bare "one": only "one person" counts
  bool counts_nothing = false;     // a year, age, price, measure, name part
};

// A calendar expression, resolved against the reference date.
struct DateMention {
  int first = 0;
  int end = 0;
  int year = 0;   // 0 when unknown
  int month = 0;  // 0 for weekday/relative mentions before resolution
  int day = 0;
  int weekday = 0;        // 1 (Monday)..7 for "on Wednesday", else 0
  int relative_days = 0;  // -1 for "yesterday"/"last night"
  bool relative = false;  // "yesterday", "last night", "today"
  bool explicit_year = false;
  bool resolved = false;      // month and day known
  bool announcement = false;  // the day a report was made, not of the event
  bool year_only = false;     // "in 1991"
  bool since = false;         // "since October 25": the start of a period
  bool until = false;         // "until January 19": the end of a period
  bool page_date = false;     // the page's own date beside an event's day
};

// A place name resolved by the gazetteer.
struct PlaceSpan {
  int first = 0;
  int end = 0;
  const gazetteer::Place* place = nullptr;
  bool demonym = false;
  bool actor = false;  // an actor, list member or comparison, not a venue
};

// An event trigger.
struct TriggerMention {
  int first = 0;
  int end = 0;
  v1::EventType type = v1::EVENT_TYPE_UNSPECIFIED;
  v1::Modality modality = v1::MODALITY_ACTUAL;
};

// A source: "police spokesman Saltanat Azirbek said", "according to TASS".
struct SpeakerMention {
  int first = 0;  // the speaker's words
  int end = 0;
  int cue = 0;  // first token of the reporting verb or intro phrase
  std::string text;
  std::string person;
  std::string organization;
  bool pronoun = false;  // "he said": resolved to an earlier speaker
  bool intro = false;    // named after "according to": a body or outlet
};

}  // namespace newsevents::extract

#endif  // NEWSEVENTS_INGEST_SERVICE_EXTRACT_ANNOTATIONS_H_
