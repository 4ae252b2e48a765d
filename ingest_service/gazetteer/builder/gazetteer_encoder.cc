#include "ingest_service/gazetteer/builder/gazetteer_encoder.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <tuple>
#include <vector>

#include "absl/container/btree_map.h"
#include "ingest_service/gazetteer/gazetteer.h"

namespace newsevents::gazetteer::builder {
namespace {

// Candidate order for one name: countries, large cities, regions, small
// cities; within a tier the more populous first; ties by input order.
auto RankKey(const CompiledPlace& place, uint32_t index) {
  int tier = 3;
  if (place.precision == v1::LOCATION_PRECISION_COUNTRY) {
    tier = 0;
  } else if (place.precision == v1::LOCATION_PRECISION_CITY &&
             place.population >= kLargeCityPopulation) {
    tier = 1;
  } else if (place.precision == v1::LOCATION_PRECISION_REGION) {
    tier = 2;
  }
  return std::make_tuple(tier, -place.population, index);
}

void WritePlaces(const std::vector<CompiledPlace>& places,
                 data::GazetteerData& out) {
  data::PlaceColumns& columns = *out.mutable_places();
  for (uint32_t i = 0; i < places.size(); ++i) {
    const CompiledPlace& place = places[i];
    columns.add_geoname_ids(place.geoname_id);
    columns.mutable_names()->append(place.name).push_back('\0');
    columns.mutable_country_codes()->append(place.country_code);
    columns.mutable_admin_regions()->append(place.admin_region).push_back('\0');
    columns.add_latitudes_e5(place.latitude_e5);
    columns.add_longitudes_e5(place.longitude_e5);
    columns.add_populations(place.population);
    columns.mutable_precisions()->push_back(static_cast<char>(place.precision));
    if (!place.alternate_names.empty()) {
      data::AlternateNames& alternates = *out.add_alternate_names();
      alternates.set_place_index(i);
      for (const std::string& name : place.alternate_names) {
        alternates.add_names(name);
      }
    }
  }
}

void WriteNameIndex(const std::vector<CompiledPlace>& places,
                    data::GazetteerData& out) {
  // btree_map: keys come out sorted, so the file is reproducible.
  absl::btree_map<std::string, std::vector<uint32_t>> index;
  for (uint32_t i = 0; i < places.size(); ++i) {
    index[FoldName(places[i].name)].push_back(i);
    for (const std::string& other : places[i].alternate_names) {
      index[FoldName(other)].push_back(i);
    }
  }
  index.erase("");
  data::NameIndex& names = *out.mutable_names();
  for (auto& [key, candidates] : index) {
    std::sort(candidates.begin(), candidates.end(),
              [&](uint32_t a, uint32_t b) {
                return RankKey(places[a], a) < RankKey(places[b], b);
              });
    candidates.erase(std::unique(candidates.begin(), candidates.end()),
                     candidates.end());
    names.mutable_keys()->append(key).push_back('\0');
    names.add_candidate_counts(static_cast<uint32_t>(candidates.size()));
    names.mutable_candidates()->Add(candidates.begin(), candidates.end());
  }
}

}  // namespace

data::GazetteerData EncodeGazetteer(
    const std::vector<CompiledPlace>& places, const DemonymTable& demonyms,
    const std::vector<std::string>& folded_common_words) {
  data::GazetteerData out;
  out.set_format_version(kGazetteerFormatVersion);
  WritePlaces(places, out);
  WriteNameIndex(places, out);
  for (const auto& [key, index] : demonyms) {
    data::DemonymEntry& demonym = *out.add_demonyms();
    demonym.set_key(key);
    demonym.set_place_index(index);
  }
  for (const std::string& word : folded_common_words) {
    out.add_common_words(word);
  }
  return out;
}

}  // namespace newsevents::gazetteer::builder
