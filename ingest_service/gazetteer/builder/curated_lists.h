#ifndef NEWSEVENTS_INGEST_SERVICE_GAZETTEER_BUILDER_CURATED_LISTS_H_
#define NEWSEVENTS_INGEST_SERVICE_GAZETTEER_BUILDER_CURATED_LISTS_H_

// Parsers for the two hand-curated gazetteer inputs:
//
// data/aliases.tsv: one directive per line, tab-separated, '#' comments:
//   alias   <name>  <target>   another name for the target place
//   rename  <name>  <target>   new canonical name; the old one stays an alias
//   demonym <word>  <CC>       "Kazakh" -> KZ (plural "Kazakhs" is implied)
//   city    <name>  <geonameid> <CC> <admin1> <lat> <lon> <population>
//                              a city the GeoNames extract lacks
// A <target> is a GeoNames id (digits), an ISO 3166-1 alpha-2 code ("KZ") or
// an ISO 3166-2 code ("KZ-ALA").
//
// data/gazetteer_stopwords.txt: one common word per line, '#' comments.
//
// Errors: INVALID_ARGUMENT naming the line for malformed directives.
// Thread-compatible.

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace newsevents::gazetteer::builder {

enum class DirectiveKind { kAlias, kRename, kDemonym, kCity };

struct CuratedDirective {
  DirectiveKind kind = DirectiveKind::kAlias;
  int line_number = 0;
  std::string name;
  std::string target;  // geoname id, country code or subdivision code
  // kCity only.
  std::string country_code;
  std::string admin1_code;
  double latitude = 0;
  double longitude = 0;
  int64_t population = 0;
};

absl::StatusOr<std::vector<CuratedDirective>> ParseAliases(
    absl::string_view text);

// Non-empty, non-comment lines, trimmed.
std::vector<std::string> ParseWordList(absl::string_view text);

}  // namespace newsevents::gazetteer::builder

#endif  // NEWSEVENTS_INGEST_SERVICE_GAZETTEER_BUILDER_CURATED_LISTS_H_
