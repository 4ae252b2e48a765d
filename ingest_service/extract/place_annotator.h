#ifndef NEWSEVENTS_INGEST_SERVICE_EXTRACT_PLACE_ANNOTATOR_H_
#define NEWSEVENTS_INGEST_SERVICE_EXTRACT_PLACE_ANNOTATOR_H_

// Finds place names with the gazetteer's PlaceFinder and decides which can
// be the place of an event. Two passes: the first collects the countries the
// article names (directly, through demonyms and through its cities); the
// second resolves ambiguous names with those countries as hints, most
// frequent first. A mention is flagged `actor` when its context says it is
// not a venue (data/extract/place_context.tsv: "Russia-led", "the size of
// France", "help from Russia", "Armenia Prime Minister"), when it is a member
// of a list of three or more countries, when it is part of a person's name
// ("Nursultan Nazarbayev"), or when it is a demonym.
//
// Thread-safety: pure function; the finder is const.

#include <string>
#include <vector>

#include "ingest_service/extract/annotations.h"
#include "ingest_service/extract/document.h"
#include "ingest_service/extract/lexicons.h"
#include "ingest_service/gazetteer/place_finder.h"

namespace newsevents::extract {

// Appends the place mentions of the article (outside boilerplate) to *out,
// in text order, and sets *country_order to the article's countries, most
// mentioned first.
void FindPlaces(const Document& doc, const Lexicons& lex,
                const gazetteer::PlaceFinder& finder,
                std::vector<PlaceSpan>* out,
                std::vector<std::string>* country_order);

}  // namespace newsevents::extract

#endif  // NEWSEVENTS_INGEST_SERVICE_EXTRACT_PLACE_ANNOTATOR_H_
