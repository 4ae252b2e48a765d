#ifndef NEWSEVENTS_INGEST_SERVICE_EXTRACT_BOILERPLATE_H_
#define NEWSEVENTS_INGEST_SERVICE_EXTRACT_BOILERPLATE_H_

// Finds the parts of a crawled page that are not article text: teasers
// ("Read also: ..."), photo credits and caption slugs, bare links, embedded
// posts, share and contact lines, navigation and bylines, datelines and
// decorative lines. The rules are the lines of data/extract/boilerplate.tsv,
// applied line by line (one pass of each rule over each line).
//
// Thread-safety: pure function of its arguments.

#include <cstdint>
#include <vector>

#include "absl/strings/string_view.h"
#include "ingest_service/extract/lexicons.h"

namespace newsevents::extract {

struct TextRange {
  uint32_t begin = 0;  // byte offsets into the normalized text
  uint32_t end = 0;
};

struct BoilerplateRange {
  TextRange range;
  v1::BoilerplateKind kind = v1::BOILERPLATE_KIND_UNSPECIFIED;
};

// Appends the boilerplate ranges of normalized `text` (`lower` is its
// ASCII-lower-cased copy) to *out, in text order, without overlaps.
void FindBoilerplate(absl::string_view text, absl::string_view lower,
                     const Lexicons& lexicons,
                     std::vector<BoilerplateRange>* out);

}  // namespace newsevents::extract

#endif  // NEWSEVENTS_INGEST_SERVICE_EXTRACT_BOILERPLATE_H_
