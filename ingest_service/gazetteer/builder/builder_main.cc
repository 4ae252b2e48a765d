// gazetteer_builder: run at build time to turn the gazetteer sources into
// the binary gazetteer file that is embedded into the services.
//
//   gazetteer_builder --cities=cities.pbf --countries=iso_3166-1.json
//       --subdivisions=iso_3166-2.json --aliases=data/aliases.tsv
//       --stopwords=data/gazetteer_stopwords.txt --out=gazetteer.binpb
//
// Exits 0 on success, 1 with a message on stderr otherwise.

#include <cstdio>
#include <fstream>
#include <map>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "ingest_service/gazetteer/builder/cities_reader.h"
#include "ingest_service/gazetteer/builder/curated_lists.h"
#include "ingest_service/gazetteer/builder/gazetteer_compiler.h"
#include "ingest_service/gazetteer/builder/iso_reader.h"
#include "ingest_service/gazetteer/read_file.h"

namespace newsevents::gazetteer::builder {
namespace {

constexpr const char* kFlags[] = {"cities",  "countries", "subdivisions",
                                  "aliases", "stopwords", "out"};

absl::StatusOr<std::map<std::string, std::string>> ParseFlags(int argc,
                                                              char** argv) {
  std::map<std::string, std::string> flags;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const size_t equals = arg.find('=');
    if (!absl::StartsWith(arg, "--") || equals == std::string::npos) {
      return absl::InvalidArgumentError(absl::StrCat("bad argument ", arg));
    }
    flags[arg.substr(2, equals - 2)] = arg.substr(equals + 1);
  }
  for (const char* flag : kFlags) {
    if (!flags.contains(flag)) {
      return absl::InvalidArgumentError(absl::StrCat("missing --", flag));
    }
  }
  return flags;
}

absl::Status WriteFile(const std::string& path, const std::string& bytes) {
  // Written beside the target and renamed, so an interrupted build never
  // leaves a truncated gazetteer that looks up to date.
  const std::string temporary = path + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out.good()) {
      return absl::InternalError(absl::StrCat("cannot write ", temporary));
    }
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    return absl::InternalError(absl::StrCat("cannot rename to ", path));
  }
  return absl::OkStatus();
}

absl::Status Run(int argc, char** argv) {
  NE_ASSIGN_OR_RETURN(auto flags, ParseFlags(argc, argv));
  CompilerInputs inputs;
  NE_ASSIGN_OR_RETURN(inputs.cities, ReadCitiesPbf(flags["cities"]));
  NE_ASSIGN_OR_RETURN(inputs.countries, ReadIsoCountries(flags["countries"]));
  NE_ASSIGN_OR_RETURN(inputs.subdivisions,
                      ReadIsoSubdivisions(flags["subdivisions"]));
  NE_ASSIGN_OR_RETURN(const std::string aliases,
                      ReadFileToString(flags["aliases"]));
  NE_ASSIGN_OR_RETURN(inputs.directives, ParseAliases(aliases));
  NE_ASSIGN_OR_RETURN(const std::string stopwords,
                      ReadFileToString(flags["stopwords"]));
  inputs.common_words = ParseWordList(stopwords);
  NE_ASSIGN_OR_RETURN(const data::GazetteerData gazetteer,
                      CompileGazetteer(inputs));
  std::string bytes;
  if (!gazetteer.SerializeToString(&bytes)) {
    return absl::InternalError("cannot serialize the gazetteer");
  }
  NE_RETURN_IF_ERROR(WriteFile(flags["out"], bytes));
  std::fprintf(stderr,
               "gazetteer_builder: %d places, %d names, %d demonyms, %zu "
               "bytes\n",
               gazetteer.places().geoname_ids_size(),
               gazetteer.names().candidate_counts_size(),
               gazetteer.demonyms_size(), bytes.size());
  return absl::OkStatus();
}

}  // namespace
}  // namespace newsevents::gazetteer::builder

int main(int argc, char** argv) {
  const absl::Status status = newsevents::gazetteer::builder::Run(argc, argv);
  if (!status.ok()) {
    std::fprintf(stderr, "gazetteer_builder: %s\n", status.ToString().c_str());
    return 1;
  }
  return 0;
}
