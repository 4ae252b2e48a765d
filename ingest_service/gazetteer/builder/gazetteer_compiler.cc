#include "ingest_service/gazetteer/builder/gazetteer_compiler.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "ingest_service/gazetteer/builder/gazetteer_encoder.h"
#include "ingest_service/gazetteer/gazetteer.h"
#include "ingest_service/gazetteer/gazetteer_data.pb.h"

namespace newsevents::gazetteer::builder {
namespace {

using ::newsevents::v1::LOCATION_PRECISION_CITY;
using ::newsevents::v1::LOCATION_PRECISION_COUNTRY;
using ::newsevents::v1::LOCATION_PRECISION_REGION;

int32_t ToE5(double degrees) {
  return static_cast<int32_t>(std::lround(degrees * 1e5));
}

bool AllDigits(absl::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return absl::ascii_isdigit(c);
  });
}

// Plural of a demonym used as a noun ("Kazakhs", "Americans"); none for
// words that do not take an -s ("French", "Chinese", "Swiss", "Kyrgyz").
std::string DemonymPlural(absl::string_view word) {
  for (absl::string_view ending : {"s", "sh", "ch", "ese", "x", "z"}) {
    if (absl::EndsWith(word, ending)) return "";
  }
  return absl::StrCat(word, "s");
}

// The everyday form of an ISO 3166-2 name that carries its kind as a
// transliterated suffix: "Sichuan Sheng" -> "Sichuan", "Xinjiang Uygur
// Zizhiqu" -> "Xinjiang", "Dagestan, Respublika" -> "Dagestan". Empty when
// nothing applies. Suffixes are tried longest first.
std::string ShortRegionName(absl::string_view name) {
  static constexpr absl::string_view kSuffixes[] = {
      " Uygur Zizhiqu", " Zhuangzu Zizhiqu",
      " Huizi Zizhiqu", " Zizhiqu",
      " Sheng",         " Shi",
      ", Respublika",   " SAR"};
  for (absl::string_view suffix : kSuffixes) {
    if (absl::EndsWith(name, suffix) && name.size() > suffix.size()) {
      return std::string(name.substr(0, name.size() - suffix.size()));
    }
  }
  return "";
}

// Transliteration marks English usually drops: soft signs ("Kramators’k"),
// ayn and hamza ("Ta‘izz", "Ma'rib").
bool IsTransliterationMark(absl::string_view text, size_t at, size_t* length) {
  static constexpr absl::string_view kMarks[] = {"\u2019", "\u2018", "\u02B9",
                                                 "\u02BC", "'"};
  for (absl::string_view mark : kMarks) {
    if (text.substr(at, mark.size()) == mark) {
      *length = mark.size();
      return true;
    }
  }
  return false;
}

// Other spellings of a GeoNames city name that English news uses: without
// transliteration marks ("Kramators’k" -> "Kramatorsk", "‘Afrīn" -> "Afrīn")
// and without a leading Arabic article ("Al Fallūjah" -> "Fallūjah", "Ar
// Raqqah" -> "Raqqah").
std::vector<std::string> EverydayCitySpellings(absl::string_view name) {
  std::vector<std::string> spellings;
  std::string unmarked;
  for (size_t i = 0; i < name.size();) {
    size_t length = 0;
    if (IsTransliterationMark(name, i, &length)) {
      i += length;
    } else {
      unmarked.push_back(name[i++]);
    }
  }
  if (unmarked.size() != name.size()) spellings.push_back(unmarked);
  for (absl::string_view article :
       {"Al ", "Al-", "Ar ", "As ", "An ", "Ad ", "Ash ", "At ", "Az "}) {
    for (const std::string& base : {std::string(name), unmarked}) {
      if (absl::StartsWith(base, article) && base.size() > article.size() + 2) {
        spellings.push_back(base.substr(article.size()));
      }
    }
  }
  return spellings;
}

class Compiler {
 public:
  explicit Compiler(const CompilerInputs& inputs) : inputs_(inputs) {}

  absl::StatusOr<data::GazetteerData> Run() {
    AddCountries();
    AddSubdivisions();
    AddCities();
    NE_RETURN_IF_ERROR(AddCuratedCities());
    LocateCountries();
    NE_RETURN_IF_ERROR(ApplyNameDirectives());
    std::vector<std::string> common_words;
    for (const std::string& word : inputs_.common_words) {
      std::string key = FoldName(word);
      if (!key.empty()) common_words.push_back(std::move(key));
    }
    return EncodeGazetteer(places_, demonyms_, common_words);
  }

 private:
  CompiledPlace& NewPlace(uint32_t& index) {
    index = static_cast<uint32_t>(places_.size());
    return places_.emplace_back();
  }

  void AddCountries() {
    for (const iso::IsoCountry& country : inputs_.countries.countries()) {
      uint32_t index = 0;
      CompiledPlace& place = NewPlace(index);
      // ISO's short names are list forms ("Iran, Islamic Republic of");
      // news uses the common name where iso-codes gives one.
      place.name = country.common_name().empty() ? country.name()
                                                 : country.common_name();
      place.country_code = country.alpha_2();
      place.precision = LOCATION_PRECISION_COUNTRY;
      AddAlternate(place, country.name());
      AddAlternate(place, country.official_name());
      country_index_[country.alpha_2()] = index;
    }
  }

  void AddSubdivisions() {
    for (const iso::IsoSubdivision& region :
         inputs_.subdivisions.subdivisions()) {
      const size_t dash = region.code().find('-');
      if (dash == std::string::npos) continue;
      uint32_t index = 0;
      CompiledPlace& place = NewPlace(index);
      place.name = region.name();
      place.country_code = region.code().substr(0, dash);
      place.admin_region = region.code();
      place.precision = LOCATION_PRECISION_REGION;
      AddAlternate(place, ShortRegionName(region.name()));
      region_index_[region.code()] = index;
    }
  }

  void AddCity(int64_t geoname_id, const std::string& name,
               const std::string& country_code, const std::string& admin1,
               double latitude, double longitude, int64_t population) {
    uint32_t index = 0;
    CompiledPlace& place = NewPlace(index);
    place.geoname_id = geoname_id;
    place.name = name;
    place.country_code = country_code;
    place.admin_region = admin1;
    place.latitude_e5 = ToE5(latitude);
    place.longitude_e5 = ToE5(longitude);
    place.population = population;
    place.precision = LOCATION_PRECISION_CITY;
    for (const std::string& spelling : EverydayCitySpellings(name)) {
      AddAlternate(place, spelling);
    }
    city_index_[geoname_id] = index;
  }

  void AddCities() {
    for (const CityRecord& city : inputs_.cities) {
      if (city.name.empty() || city.country_code.size() != 2 ||
          city_index_.contains(city.geoname_id)) {
        continue;
      }
      AddCity(city.geoname_id, city.name, city.country_code, city.admin1_code,
              city.latitude, city.longitude, city.population);
      if (city.feature_code == "PPLC") {
        const uint32_t index = city_index_[city.geoname_id];
        auto [it, inserted] =
            capital_index_.try_emplace(city.country_code, index);
        if (!inserted && places_[it->second].population < city.population) {
          it->second = index;
        }
      }
    }
  }

  absl::Status AddCuratedCities() {
    for (const CuratedDirective& directive : inputs_.directives) {
      if (directive.kind != DirectiveKind::kCity) continue;
      int64_t geoname_id = 0;
      if (!absl::SimpleAtoi(directive.target, &geoname_id) ||
          city_index_.contains(geoname_id) ||
          directive.country_code.size() != 2) {
        return absl::InvalidArgumentError(absl::StrCat(
            "aliases.tsv line ", directive.line_number, ": city id ",
            directive.target,
            " is malformed or already in GeoNames, or its country code is "
            "not two letters"));
      }
      AddCity(geoname_id, directive.name, directive.country_code,
              directive.admin1_code, directive.latitude, directive.longitude,
              directive.population);
    }
    return absl::OkStatus();
  }

  // A country is placed at its capital, else at its most populous city, so
  // that a map shows it where its news happens; countries without any
  // GeoNames city stay at 0,0.
  void LocateCountries() {
    absl::flat_hash_map<std::string, uint32_t> largest_city;
    for (uint32_t i = 0; i < places_.size(); ++i) {
      const CompiledPlace& city = places_[i];
      if (city.precision != LOCATION_PRECISION_CITY) continue;
      auto [it, inserted] = largest_city.try_emplace(city.country_code, i);
      if (!inserted && places_[it->second].population < city.population) {
        it->second = i;
      }
    }
    for (const auto& [code, country_index] : country_index_) {
      const auto capital = capital_index_.find(code);
      const auto largest = largest_city.find(code);
      uint32_t city_index = 0;
      if (capital != capital_index_.end()) {
        city_index = capital->second;
      } else if (largest != largest_city.end()) {
        city_index = largest->second;
      } else {
        continue;
      }
      places_[country_index].latitude_e5 = places_[city_index].latitude_e5;
      places_[country_index].longitude_e5 = places_[city_index].longitude_e5;
    }
  }

  absl::StatusOr<uint32_t> ResolveTarget(const CuratedDirective& directive) {
    const std::string& target = directive.target;
    if (AllDigits(target)) {
      int64_t geoname_id = 0;
      if (absl::SimpleAtoi(target, &geoname_id)) {
        if (auto it = city_index_.find(geoname_id); it != city_index_.end()) {
          return it->second;
        }
      }
    } else if (auto it = country_index_.find(target);
               it != country_index_.end()) {
      return it->second;
    } else if (auto region = region_index_.find(target);
               region != region_index_.end()) {
      return region->second;
    }
    return absl::InvalidArgumentError(
        absl::StrCat("aliases.tsv line ", directive.line_number,
                     ": unknown target \"", target, "\""));
  }

  absl::Status ApplyNameDirectives() {
    for (const CuratedDirective& directive : inputs_.directives) {
      if (directive.kind == DirectiveKind::kCity) continue;
      NE_ASSIGN_OR_RETURN(const uint32_t index, ResolveTarget(directive));
      CompiledPlace& place = places_[index];
      switch (directive.kind) {
        case DirectiveKind::kAlias:
          AddAlternate(place, directive.name);
          break;
        case DirectiveKind::kRename: {
          std::string old_name = std::move(place.name);
          place.name = directive.name;
          // The new name may have been an alias already.
          std::erase_if(place.alternate_names, [&](const std::string& other) {
            return FoldName(other) == FoldName(place.name);
          });
          AddAlternate(place, old_name);
          break;
        }
        case DirectiveKind::kDemonym:
          if (place.precision != LOCATION_PRECISION_COUNTRY) {
            return absl::InvalidArgumentError(
                absl::StrCat("aliases.tsv line ", directive.line_number,
                             ": a demonym must name a country"));
          }
          AddDemonym(directive.name, index);
          AddDemonym(DemonymPlural(directive.name), index);
          break;
        case DirectiveKind::kCity:
          break;
      }
    }
    return absl::OkStatus();
  }

  // Records `other` as another name of `place` unless it folds to one the
  // place already has.
  static void AddAlternate(CompiledPlace& place, const std::string& other) {
    const std::string key = FoldName(other);
    if (key.empty() || key == FoldName(place.name)) return;
    for (const std::string& existing : place.alternate_names) {
      if (FoldName(existing) == key) return;
    }
    place.alternate_names.push_back(other);
  }

  void AddDemonym(const std::string& word, uint32_t index) {
    const std::string key = FoldName(word);
    if (!key.empty()) demonyms_.try_emplace(key, index);
  }

  const CompilerInputs& inputs_;
  std::vector<CompiledPlace> places_;
  absl::flat_hash_map<std::string, uint32_t> country_index_;
  absl::flat_hash_map<std::string, uint32_t> region_index_;
  absl::flat_hash_map<int64_t, uint32_t> city_index_;
  absl::flat_hash_map<std::string, uint32_t> capital_index_;
  DemonymTable demonyms_;
};

}  // namespace

absl::StatusOr<data::GazetteerData> CompileGazetteer(
    const CompilerInputs& inputs) {
  return Compiler(inputs).Run();
}

}  // namespace newsevents::gazetteer::builder
