#include "ingest_service/gazetteer/builder/curated_lists.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace newsevents::gazetteer::builder {
namespace {

absl::string_view StripComment(absl::string_view line) {
  const size_t hash = line.find('#');
  if (hash != absl::string_view::npos) line = line.substr(0, hash);
  return absl::StripAsciiWhitespace(line);
}

absl::Status LineError(int line_number, absl::string_view what) {
  return absl::InvalidArgumentError(
      absl::StrCat("aliases.tsv line ", line_number, ": ", what));
}

absl::StatusOr<CuratedDirective> ParseCity(
    const std::vector<absl::string_view>& fields, CuratedDirective directive) {
  if (fields.size() != 8) {
    return LineError(directive.line_number,
                     "city needs name, geonameid, CC, admin1, lat, lon, "
                     "population");
  }
  int64_t geoname_id = 0;
  if (!absl::SimpleAtoi(fields[2], &geoname_id) ||
      !absl::SimpleAtod(fields[5], &directive.latitude) ||
      !absl::SimpleAtod(fields[6], &directive.longitude) ||
      !absl::SimpleAtoi(fields[7], &directive.population)) {
    return LineError(directive.line_number, "city has a malformed number");
  }
  directive.country_code = std::string(fields[3]);
  directive.admin1_code = std::string(fields[4]);
  return directive;
}

}  // namespace

absl::StatusOr<std::vector<CuratedDirective>> ParseAliases(
    absl::string_view text) {
  std::vector<CuratedDirective> directives;
  int line_number = 0;
  for (absl::string_view raw_line : absl::StrSplit(text, '\n')) {
    ++line_number;
    const absl::string_view line = StripComment(raw_line);
    if (line.empty()) continue;
    std::vector<absl::string_view> fields =
        absl::StrSplit(line, '\t', absl::SkipWhitespace());
    for (absl::string_view& field : fields) {
      field = absl::StripAsciiWhitespace(field);
    }
    if (fields.size() < 3) {
      return LineError(line_number, "expected <kind> TAB <name> TAB <target>");
    }
    CuratedDirective directive;
    directive.line_number = line_number;
    directive.name = std::string(fields[1]);
    directive.target = std::string(fields[2]);
    const absl::string_view kind = fields[0];
    if (kind == "city") {
      directive.kind = DirectiveKind::kCity;
      absl::StatusOr<CuratedDirective> city = ParseCity(fields, directive);
      if (!city.ok()) return city.status();
      directives.push_back(*std::move(city));
      continue;
    }
    if (fields.size() != 3) {
      return LineError(line_number, "too many fields");
    }
    if (kind == "alias") {
      directive.kind = DirectiveKind::kAlias;
    } else if (kind == "rename") {
      directive.kind = DirectiveKind::kRename;
    } else if (kind == "demonym") {
      directive.kind = DirectiveKind::kDemonym;
    } else {
      return LineError(line_number,
                       absl::StrCat("unknown kind \"", kind, "\""));
    }
    directives.push_back(std::move(directive));
  }
  return directives;
}

std::vector<std::string> ParseWordList(absl::string_view text) {
  std::vector<std::string> words;
  for (absl::string_view raw_line : absl::StrSplit(text, '\n')) {
    const absl::string_view line = StripComment(raw_line);
    if (!line.empty()) words.emplace_back(line);
  }
  return words;
}

}  // namespace newsevents::gazetteer::builder
