#include "ingest_service/ingest_handler.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/errors.h"
#include "common/status_macros.h"
#include "google/protobuf/util/time_util.h"

namespace newsevents::ingest {
namespace {

using newsevents::v1::ArticleInput;

// A date may be partly known (year 0, or month and day 0) but each part that
// is set must be in range.
void ValidateDate(const newsevents::v1::Date& date, const std::string& field,
                  std::vector<FieldViolation>& violations) {
  if (date.year() < 0 || date.year() > 9999) {
    violations.push_back({field + ".year", "must be 0 (unknown) or 1..9999"});
  }
  if (date.month() < 0 || date.month() > 12) {
    violations.push_back({field + ".month", "must be 0 (unknown) or 1..12"});
  }
  if (date.day() < 0 || date.day() > 31) {
    violations.push_back({field + ".day", "must be 0 (unknown) or 1..31"});
  }
  if (date.day() != 0 && date.month() == 0) {
    violations.push_back({field + ".month", "must be set when day is set"});
  }
}

}  // namespace

IngestHandler::IngestHandler(const extract::Extractor* extractor,
                             outbox::Outbox* outbox, size_t max_record_bytes)
    : extractor_(extractor),
      outbox_(outbox),
      max_record_bytes_(max_record_bytes) {}

absl::Status IngestHandler::ValidateInput(const ArticleInput& input,
                                          bool present) {
  if (!present) return InvalidFieldError("article", "is required");
  std::vector<FieldViolation> violations;
  if (input.content_case() == ArticleInput::CONTENT_NOT_SET) {
    violations.push_back(
        {"article.text", "one of article.text or article.raw must be set"});
  }
  ValidateDate(input.published_date(), "article.published_date", violations);
  if (input.url().size() > 8192) {
    violations.push_back({"article.url", "must be at most 8192 bytes"});
  }
  if (!violations.empty()) return InvalidFieldsError(violations);
  return absl::OkStatus();
}

absl::StatusOr<newsevents::v1::ParseArticleResponse>
IngestHandler::ParseArticle(
    const newsevents::v1::ParseArticleRequest& request) const {
  NE_RETURN_IF_ERROR(ValidateInput(request.article(), request.has_article()));
  return extractor_->Parse(request.article());
}

absl::StatusOr<newsevents::v1::IngestArticleResponse>
IngestHandler::IngestArticle(
    const newsevents::v1::IngestArticleRequest& request) {
  NE_RETURN_IF_ERROR(ValidateInput(request.article(), request.has_article()));
  return Ingest(request.article());
}

newsevents::v1::IngestArticlesResponse IngestHandler::IngestStreamItem(
    const newsevents::v1::IngestArticlesRequest& request) {
  newsevents::v1::IngestArticlesResponse response;
  response.set_client_tag(request.client_tag());
  absl::Status valid = ValidateInput(request.article(), request.has_article());
  absl::StatusOr<newsevents::v1::IngestArticleResponse> result =
      valid.ok() ? Ingest(request.article())
                 : absl::StatusOr<newsevents::v1::IngestArticleResponse>(valid);
  if (!result.ok()) {
    response.set_code(static_cast<int>(result.status().code()));
    response.set_error_message(std::string(result.status().message()));
    return response;
  }
  response.set_article(result->article().name());
  response.set_event_count(result->events_size());
  response.set_already_ingested(result->already_ingested());
  return response;
}

absl::StatusOr<newsevents::v1::IngestArticleResponse> IngestHandler::Ingest(
    const ArticleInput& input) {
  NE_ASSIGN_OR_RETURN(newsevents::v1::ParseArticleResponse parsed,
                      extractor_->Parse(input));
  *parsed.mutable_article()->mutable_ingest_time() =
      google::protobuf::util::TimeUtil::GetCurrentTime();
  parsed.mutable_article()->set_event_count(parsed.events_size());

  newsevents::v1::ArticleRecord record;
  *record.mutable_article() = parsed.article();
  *record.mutable_events() = parsed.events();
  if (const size_t bytes = record.ByteSizeLong(); bytes > max_record_bytes_) {
    return LimitExceededError(
        "article record size",
        absl::StrCat("the article and its ", record.events_size(),
                     " events take ", bytes, " bytes; the limit is ",
                     max_record_bytes_,
                     " (what one message to the query service may carry)"));
  }
  NE_ASSIGN_OR_RETURN(outbox::AppendResult appended,
                      outbox_->Append(std::move(record)));

  newsevents::v1::IngestArticleResponse response;
  *response.mutable_article() = std::move(*parsed.mutable_article());
  *response.mutable_events() = std::move(*parsed.mutable_events());
  response.set_already_ingested(appended.already_present);
  return response;
}

}  // namespace newsevents::ingest
