#ifndef NEWSEVENTS_INGEST_SERVICE_GAZETTEER_BUILDER_GAZETTEER_ENCODER_H_
#define NEWSEVENTS_INGEST_SERVICE_GAZETTEER_BUILDER_GAZETTEER_ENCODER_H_

// Writes an assembled gazetteer into the column layout of
// gazetteer_data.proto: folds every name and alternate name into the name
// index and orders each key's candidates (countries, cities of 100k+,
// regions, smaller cities; population descending within each). Output is
// deterministic for the same input. Thread-compatible.

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/btree_map.h"
#include "ingest_service/gazetteer/gazetteer_data.pb.h"
#include "newsevents/v1/event.pb.h"

namespace newsevents::gazetteer::builder {

// The value GazetteerData.format_version is written with.
inline constexpr uint32_t kGazetteerFormatVersion = 1;

// Cities at least this large outrank a region of the same name ("Puno" the
// city, not the Puno region); smaller towns rank below regions.
inline constexpr int64_t kLargeCityPopulation = 100000;

// One place as the compiler assembles it.
struct CompiledPlace {
  int64_t geoname_id = 0;
  std::string name;
  std::string country_code;  // exactly two letters
  std::string admin_region;
  int32_t latitude_e5 = 0;  // 1e-5 degrees
  int32_t longitude_e5 = 0;
  int64_t population = 0;
  v1::LocationPrecision precision = v1::LOCATION_PRECISION_UNSPECIFIED;
  std::vector<std::string> alternate_names;
};

// Folded demonym -> index of its country; sorted for a reproducible file.
using DemonymTable = absl::btree_map<std::string, uint32_t>;

data::GazetteerData EncodeGazetteer(
    const std::vector<CompiledPlace>& places, const DemonymTable& demonyms,
    const std::vector<std::string>& folded_common_words);

}  // namespace newsevents::gazetteer::builder

#endif  // NEWSEVENTS_INGEST_SERVICE_GAZETTEER_BUILDER_GAZETTEER_ENCODER_H_
