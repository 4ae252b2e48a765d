#include "ingest_service/gazetteer/builder/iso_reader.h"

#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "google/protobuf/message.h"
#include "google/protobuf/util/json_util.h"
#include "ingest_service/gazetteer/read_file.h"

namespace newsevents::gazetteer::builder {
namespace {

absl::Status ReadJsonMessage(const std::string& path,
                             google::protobuf::Message& message) {
  NE_ASSIGN_OR_RETURN(const std::string json, ReadFileToString(path));
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  const auto status =
      google::protobuf::util::JsonStringToMessage(json, &message, options);
  if (!status.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": ", status.ToString()));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<iso::IsoCountries> ReadIsoCountries(const std::string& path) {
  iso::IsoCountries countries;
  NE_RETURN_IF_ERROR(ReadJsonMessage(path, countries));
  if (countries.countries().empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": no \"3166-1\" entries"));
  }
  return countries;
}

absl::StatusOr<iso::IsoSubdivisions> ReadIsoSubdivisions(
    const std::string& path) {
  iso::IsoSubdivisions subdivisions;
  NE_RETURN_IF_ERROR(ReadJsonMessage(path, subdivisions));
  if (subdivisions.subdivisions().empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": no \"3166-2\" entries"));
  }
  return subdivisions;
}

}  // namespace newsevents::gazetteer::builder
