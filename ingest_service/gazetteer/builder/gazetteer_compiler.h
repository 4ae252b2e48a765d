#ifndef NEWSEVENTS_INGEST_SERVICE_GAZETTEER_BUILDER_GAZETTEER_COMPILER_H_
#define NEWSEVENTS_INGEST_SERVICE_GAZETTEER_BUILDER_GAZETTEER_COMPILER_H_

// Merges the parsed gazetteer sources into the GazetteerData message that
// gazetteer_builder writes and Gazetteer::Load* reads:
//  - countries from ISO 3166-1 (everyday common_name preferred as the
//    canonical name), located at their capital (GeoNames PPLC) or, failing
//    that, their most populous city;
//  - ISO 3166-2 subdivisions as regions at 0,0 (no centroid source);
//  - GeoNames cities with their admin1 codes;
//  - the curated aliases, renames, demonyms and extra cities.
// EncodeGazetteer (gazetteer_encoder.h) then precomputes every folded lookup
// key and the candidate order, so loading needs no ICU and no sorting.
//
// Errors: INVALID_ARGUMENT naming the aliases.tsv line whose target is
// unknown or whose city id already exists. Thread-compatible.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "ingest_service/gazetteer/builder/cities_reader.h"
#include "ingest_service/gazetteer/builder/curated_lists.h"
#include "ingest_service/gazetteer/builder/iso_codes.pb.h"
#include "ingest_service/gazetteer/gazetteer_data.pb.h"

namespace newsevents::gazetteer::builder {

struct CompilerInputs {
  std::vector<CityRecord> cities;
  iso::IsoCountries countries;
  iso::IsoSubdivisions subdivisions;
  std::vector<CuratedDirective> directives;  // from data/aliases.tsv
  std::vector<std::string> common_words;     // from the stop-word list
};

absl::StatusOr<data::GazetteerData> CompileGazetteer(
    const CompilerInputs& inputs);

}  // namespace newsevents::gazetteer::builder

#endif  // NEWSEVENTS_INGEST_SERVICE_GAZETTEER_BUILDER_GAZETTEER_COMPILER_H_
