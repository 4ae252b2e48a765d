#ifndef NEWSEVENTS_COMMON_HASHING_H_
#define NEWSEVENTS_COMMON_HASHING_H_

// Content hashes used as stable identifiers: the same bytes always give the
// same id, across processes and machines, which is what makes ingestion and
// delivery idempotent.

#include <string>

#include "absl/strings/string_view.h"

namespace newsevents {

// Lowercase hex of the first 16 bytes of SHA-256(`data`): 32 characters.
std::string ContentId(absl::string_view data);

}  // namespace newsevents

#endif  // NEWSEVENTS_COMMON_HASHING_H_
