#ifndef NEWSEVENTS_INGEST_SERVICE_EXTRACT_EXTRACT_DATA_H_
#define NEWSEVENTS_INGEST_SERVICE_EXTRACT_EXTRACT_DATA_H_

// The lexicon and rule files of data/extract/, embedded into the library at
// build time by embed_data.cmake so that binaries need no data directory.
//
// Thread-safety: the data is immutable static storage.

#include <span>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace newsevents::extract {

struct EmbeddedFile {
  absl::string_view name;     // file name relative to data/extract/
  absl::string_view content;  // the file's bytes
};

// Every embedded file, sorted by name. Defined in the generated source.
std::span<const EmbeddedFile> EmbeddedExtractData();

// The content of one embedded file; NOT_FOUND if there is none by that name.
absl::StatusOr<absl::string_view> ExtractDataFile(absl::string_view name);

}  // namespace newsevents::extract

#endif  // NEWSEVENTS_INGEST_SERVICE_EXTRACT_EXTRACT_DATA_H_
