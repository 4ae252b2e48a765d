#ifndef NEWSEVENTS_INGEST_SERVICE_EXTRACT_EXTRACTOR_H_
#define NEWSEVENTS_INGEST_SERVICE_EXTRACT_EXTRACTOR_H_

// The extractor: raw article bytes plus metadata in, an Article and its
// Event records out. A pure, deterministic function of (input, gazetteer):
// the same input always yields the same article id, events and event ids.
//
// Every evidence span is a pair of UTF-8 byte offsets into the raw input.
// Nothing is extracted from boilerplate (teasers, credits, embeds). The
// rules (which numbers are counts, their kinds and groups, event types,
// places, dates and sources) are listed in docs/extraction.md, each with
// the test that pins it.
//
// Thread-safety: Parse is const and may be called from many threads at once.

#include <cstddef>
#include <memory>

#include "absl/status/statusor.h"
#include "ingest_service/gazetteer/gazetteer.h"
#include "newsevents/v1/ingest_service.pb.h"

namespace newsevents::extract {

struct ExtractorOptions {
  // Inputs larger than this are rejected with RESOURCE_EXHAUSTED.
  size_t max_article_bytes = 4 << 20;
  // Also return events the text reports as negated, hypothetical or
  // background (Event.modality says which). Off by default: most consumers
  // want what happened or is announced.
  bool keep_non_actual_events = false;
};

class Extractor {
 public:
  // `gazetteer` must outlive the extractor. Fails if the rule and lexicon
  // data cannot be loaded.
  static absl::StatusOr<std::unique_ptr<Extractor>> Create(
      const gazetteer::Gazetteer* gazetteer, ExtractorOptions options = {});

  ~Extractor();

  // Parses one article. Errors: INVALID_ARGUMENT (field "article.text" or
  // "article.raw") for empty or non-text input; RESOURCE_EXHAUSTED for input
  // over max_article_bytes. Invalid UTF-8 is repaired with U+FFFD and noted
  // in Article.warnings, not rejected. Article.ingest_time is left unset.
  absl::StatusOr<newsevents::v1::ParseArticleResponse> Parse(
      const newsevents::v1::ArticleInput& input) const;

 private:
  struct Impl;
  explicit Extractor(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace newsevents::extract

#endif  // NEWSEVENTS_INGEST_SERVICE_EXTRACT_EXTRACTOR_H_
