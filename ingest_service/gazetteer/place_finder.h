#ifndef NEWSEVENTS_INGEST_SERVICE_GAZETTEER_PLACE_FINDER_H_
#define NEWSEVENTS_INGEST_SERVICE_GAZETTEER_PLACE_FINDER_H_

// PlaceFinder: spots gazetteer place names and demonyms in running text.
//
// Find() scans the text once, splitting it into words, and at every word
// that starts with a capital letter tries the longest run of up to
// max_name_words() words (joined by single spaces, hyphens or apostrophes,
// or dots between initials as in "U.S."; lowercase connector words such as
// "of", "de", "al" allowed inside) whose
// folded form is a gazetteer name or demonym. Possessives ("Kazakhstan's",
// "Kazakhstan’s") end a name before the apostrophe. Cost is a handful of
// hash lookups per capitalised word; no regular expressions.
//
// Ambiguous names resolve to the first candidate in a hinted country (hints
// strongest first), else the gazetteer's own order (countries, large cities,
// regions, small cities; population descending).
//
// Multi-word entries of the stop list ("New York Times", "Latin American")
// take part in the longest match and, when they win, hide their words.
//
// One-word matches (other than demonyms) are dropped when
//  - the word is on the common-word list (data/gazetteer_stopwords.txt:
//    "Police", "Sunday", "March"), or
//  - they resolve to a city outside every hinted country that has fewer
//    than kMinUnhintedCityPopulation people: such towns share their names
//    with too many ordinary words and surnames, or
//  - they are directly followed by a capitalised word that is neither a
//    common word nor a place ("Nursultan Nazarbayev", "Jordan Peterson",
//    but not "Almaty Mayor"), unless they resolve to a city of
//    kMinGivenNameCityPopulation or more: the name is then a given name.
//
// Output: mentions in text order, non-overlapping, with UTF-8 byte offsets
// into the `text` passed in. `place` points into the gazetteer. Find never
// fails: invalid UTF-8 bytes simply separate words.
//
// Finding names does not depend on the hints; only choosing among a name's
// places and the one-word plausibility rules do. Callers that resolve the
// same text with several hint lists (first without hints to learn the
// article's countries, then with them) call FindCandidates once and
// Resolve each candidate per hint list: Find(text, hints) is exactly that.
//
// Thread-safety: Find is const and may be called from many threads at once.
// The gazetteer must outlive the finder.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "ingest_service/gazetteer/gazetteer.h"

namespace newsevents::gazetteer {

struct PlaceMention {
  size_t start = 0;  // byte offset of the first byte of the name
  size_t end = 0;    // byte offset one past its last byte
  const Place* place = nullptr;
  bool demonym = false;  // "Kazakh": place is the country it names
};

// A name found in the text, before country hints choose among its places.
struct PlaceCandidate {
  size_t start = 0;  // byte offsets, as in PlaceMention
  size_t end = 0;
  std::span<const Place* const> places;    // when a place name; never empty
  const Place* demonym_country = nullptr;  // when a demonym
  // One-word place names only (the rules in the header comment):
  bool single_word = false;
  bool common_word = false;          // on the common-word list
  bool followed_by_surname = false;  // "Jordan Peterson"
};

// A one-word city smaller than this is only found in a hinted country.
inline constexpr int64_t kMinUnhintedCityPopulation = 15000;
// A one-word place followed by a capitalised non-place word is taken for a
// given name unless it is a city at least this large.
inline constexpr int64_t kMinGivenNameCityPopulation = 1000000;

class PlaceFinder {
 public:
  explicit PlaceFinder(const Gazetteer* gazetteer);

  // `country_hints`: upper-case ISO 3166-1 alpha-2 codes of countries the
  // article is already known to be about, strongest first; may be empty.
  std::vector<PlaceMention> Find(
      absl::string_view text,
      absl::Span<const std::string> country_hints) const;

  // Every name in `text`, in text order, non-overlapping.
  std::vector<PlaceCandidate> FindCandidates(absl::string_view text) const;

  // The mention a candidate makes under `country_hints`, or nullopt when
  // it is too weak to report.
  std::optional<PlaceMention> Resolve(
      const PlaceCandidate& candidate,
      absl::Span<const std::string> country_hints) const;

 private:
  const Gazetteer* gazetteer_;
  int max_name_words_;
};

}  // namespace newsevents::gazetteer

#endif  // NEWSEVENTS_INGEST_SERVICE_GAZETTEER_PLACE_FINDER_H_
