#ifndef NEWSEVENTS_INGEST_SERVICE_EXTRACT_EVENT_ASSEMBLER_H_
#define NEWSEVENTS_INGEST_SERVICE_EXTRACT_EVENT_ASSEMBLER_H_

// Assembly: turns the annotations of one article into Event records.
//
//  1. Each count gets its place (the most specific venue of its sentence,
//     else the article's main country: a nationwide figure), its date (a
//     resolved day of its sentence that is not the day of an announcement)
//     and its sources (the speakers of its sentence, else of the previous
//     sentence of the same paragraph: follow-on figures).
//  2. Repeats merge: the same kind and value at compatible places (equal, or
//     a city and its country) are one count with the most specific group and
//     place, the first date and every source.
//  3. Each trigger makes an event (place and date as for counts, nearest the
//     trigger); triggers that are negated, hypothetical or background
//     (HISTORICAL) are dropped unless options say otherwise.
//  4. Each count joins an event of its sentence whose type fits its kind
//     (ARREST for arrests, RIOT for damage, CRACKDOWN/ARMED_CLASH/RIOT/
//     PROTEST for casualties), else an event made for it.
//  5. Events of one type, place, date and modality merge.
//
// Event ids are unique within their article and stable for the same article
// text and extractor. For the events in output order (by evidence start):
//   key = "<article id>|<TYPE NAME>|<evidence start>|<evidence end>"
// and when an earlier event of the article already has that key (two events
// on one evidence span, e.g. at different places), the event's place,
// modality and date are appended:
//   key += "|place=<geoname id>:<name>" (or "-") "|modality=<number>"
//          "|date=<y>-<m>-<d>" (empty when undated)
// and, if that is still taken, "|#2", "|#3", ... (the first free one).
// id = ContentId(key) (common/hashing.h: 32 hex characters of SHA-256). The
// first event with a given span keeps the formula of earlier versions.
//
// Thread-safety: pure function of its arguments.

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "ingest_service/extract/annotations.h"
#include "ingest_service/extract/count_annotator.h"
#include "ingest_service/extract/document.h"
#include "ingest_service/extract/lexicons.h"
#include "ingest_service/gazetteer/gazetteer.h"
#include "newsevents/v1/event.pb.h"

namespace newsevents::extract {

struct ArticleAnnotations {
  std::vector<std::vector<TriggerMention>> triggers;  // by sentence
  std::vector<std::vector<SpeakerMention>> speakers;  // by sentence, resolved
  std::vector<DateMention> dates;                     // text order
  std::vector<PlaceSpan> places;                      // text order
  std::vector<CountMention> counts;                   // text order
  std::vector<std::string> country_order;             // most mentioned first
  v1::Date reference;                                 // year 0: none
  const gazetteer::Place* dateline = nullptr;  // DatelinePlace(), if any
};

// The views must outlive the AssembleEvents call.
struct AssemblyOptions {
  absl::string_view article_id;
  v1::Date published_date;
  absl::string_view outlet;
  bool keep_non_actual = false;  // keep NEGATED/HYPOTHETICAL/HISTORICAL
};

// Appends the events to *out, built in place so that none is copied or
// moved afterwards. `gazetteer` may be null (no places then).
void AssembleEvents(const Document& doc, const Lexicons& lex,
                    const gazetteer::Gazetteer* gazetteer,
                    const ArticleAnnotations& annotations,
                    const AssemblyOptions& options,
                    google::protobuf::RepeatedPtrField<v1::Event>* out);

}  // namespace newsevents::extract

#endif  // NEWSEVENTS_INGEST_SERVICE_EXTRACT_EVENT_ASSEMBLER_H_
