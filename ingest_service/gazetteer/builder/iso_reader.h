#ifndef NEWSEVENTS_INGEST_SERVICE_GAZETTEER_BUILDER_ISO_READER_H_
#define NEWSEVENTS_INGEST_SERVICE_GAZETTEER_BUILDER_ISO_READER_H_

// Reads Debian iso-codes JSON (iso_3166-1.json, iso_3166-2.json) into the
// messages of iso_codes.proto. Unknown JSON fields (flag, numeric, ...) are
// ignored. Errors: the ReadFileToString errors; INVALID_ARGUMENT (naming the
// file) for JSON that does not parse. Thread-compatible.

#include <string>

#include "absl/status/statusor.h"
#include "ingest_service/gazetteer/builder/iso_codes.pb.h"

namespace newsevents::gazetteer::builder {

absl::StatusOr<iso::IsoCountries> ReadIsoCountries(const std::string& path);
absl::StatusOr<iso::IsoSubdivisions> ReadIsoSubdivisions(
    const std::string& path);

}  // namespace newsevents::gazetteer::builder

#endif  // NEWSEVENTS_INGEST_SERVICE_GAZETTEER_BUILDER_ISO_READER_H_
