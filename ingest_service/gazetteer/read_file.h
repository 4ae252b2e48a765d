#ifndef NEWSEVENTS_INGEST_SERVICE_GAZETTEER_READ_FILE_H_
#define NEWSEVENTS_INGEST_SERVICE_GAZETTEER_READ_FILE_H_

// Whole-file reads for the gazetteer loader and builder.
//
// ReadFileToString returns the bytes of `path`, NOT_FOUND when it does not
// exist, PERMISSION_DENIED or INTERNAL (with errno text) when it cannot be
// read. Thread-safe.

#include <string>

#include "absl/status/statusor.h"

namespace newsevents::gazetteer {

absl::StatusOr<std::string> ReadFileToString(const std::string& path);

}  // namespace newsevents::gazetteer

#endif  // NEWSEVENTS_INGEST_SERVICE_GAZETTEER_READ_FILE_H_
