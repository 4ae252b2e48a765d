#ifndef NEWSEVENTS_INGEST_SERVICE_INGEST_HANDLER_H_
#define NEWSEVENTS_INGEST_SERVICE_INGEST_HANDLER_H_

// The transport-independent logic of IngestService: validates requests,
// parses articles with the extractor and, for ingestion, appends the article
// and its events to the durable outbox before answering. The gRPC adapter
// (ingest_grpc_service.h) only moves messages and converts statuses.
//
// Errors: INVALID_ARGUMENT with BadRequest field violations for malformed
// requests; RESOURCE_EXHAUSTED for oversize articles; UNAVAILABLE when the
// outbox cannot write (nothing is reported OK unless it is on disk).
//
// Thread-safety: all methods may be called concurrently. The extractor and
// outbox must outlive the handler.

#include "absl/status/statusor.h"
#include "absl/time/clock.h"
#include "ingest_service/extract/extractor.h"
#include "ingest_service/outbox/outbox.h"
#include "newsevents/v1/ingest_service.pb.h"

namespace newsevents::ingest {

class IngestHandler {
 public:
  // A record (article plus events) must reach the query service in one
  // message, whose size its server limits (16 MiB by default): a larger one
  // could never be delivered and would hold up every article after it.
  // IngestArticle therefore refuses an article whose record exceeds
  // `max_record_bytes` with RESOURCE_EXHAUSTED, before accepting it.
  static constexpr size_t kDefaultMaxRecordBytes = 8 << 20;

  IngestHandler(const extract::Extractor* extractor, outbox::Outbox* outbox,
                size_t max_record_bytes = kDefaultMaxRecordBytes);

  absl::StatusOr<newsevents::v1::ParseArticleResponse> ParseArticle(
      const newsevents::v1::ParseArticleRequest& request) const;

  absl::StatusOr<newsevents::v1::IngestArticleResponse> IngestArticle(
      const newsevents::v1::IngestArticleRequest& request);

  // One item of the IngestArticles stream; errors are reported in the
  // response (code, error_message) so one bad article does not end the stream.
  newsevents::v1::IngestArticlesResponse IngestStreamItem(
      const newsevents::v1::IngestArticlesRequest& request);

 private:
  // Checks that `input` has exactly one content field and a valid date.
  static absl::Status ValidateInput(const newsevents::v1::ArticleInput& input,
                                    bool present);
  absl::StatusOr<newsevents::v1::IngestArticleResponse> Ingest(
      const newsevents::v1::ArticleInput& input);

  const extract::Extractor* extractor_;
  outbox::Outbox* outbox_;
  const size_t max_record_bytes_;
};

}  // namespace newsevents::ingest

#endif  // NEWSEVENTS_INGEST_SERVICE_INGEST_HANDLER_H_
