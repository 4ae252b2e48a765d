// QueryHandler lifecycle, writes and single-resource reads. Listing is in
// query_handler_list.cc, aggregation in query_handler_aggregate.cc, watches
// in query_handler_watch.cc.
#include "query_service/store/query_handler.h"

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "common/errors.h"
#include "common/logging.h"
#include "common/status_macros.h"

namespace newsevents::query {
namespace {

constexpr absl::string_view kComponent = "query_store";

// The id in "<collection>/<id>", or INVALID_ARGUMENT on "name".
absl::StatusOr<absl::string_view> IdFromName(absl::string_view name,
                                             absl::string_view collection) {
  absl::string_view id = name;
  if (!absl::ConsumePrefix(&id, collection) || !absl::ConsumePrefix(&id, "/") ||
      id.empty() || absl::StrContains(id, '/')) {
    return InvalidFieldError(
        "name",
        absl::StrCat("must be \"", collection, "/{id}\", got \"", name, "\""));
  }
  return id;
}

}  // namespace

QueryHandler::QueryHandler(QueryHandlerOptions options,
                           std::unique_ptr<EventStore> store)
    : options_(std::move(options)), store_(std::move(store)) {}

QueryHandler::~QueryHandler() = default;

absl::StatusOr<std::unique_ptr<QueryHandler>> QueryHandler::Create(
    QueryHandlerOptions options) {
  if (options.default_page_size <= 0 ||
      options.max_page_size < options.default_page_size) {
    return absl::InvalidArgumentError(
        "page sizes must satisfy 0 < default_page_size <= max_page_size");
  }
  EventStoreOptions store_options;
  store_options.path = options.data_dir;
  store_options.sync_writes = options.sync_writes;
  store_options.env_for_testing = options.env_for_testing;
  NE_ASSIGN_OR_RETURN(std::unique_ptr<EventStore> store,
                      EventStore::Open(std::move(store_options)));
  std::unique_ptr<QueryHandler> handler(
      new QueryHandler(std::move(options), std::move(store)));
  NE_RETURN_IF_ERROR(handler->Rebuild());
  return handler;
}

absl::Status QueryHandler::Rebuild() {
  const absl::Time start = absl::Now();
  absl::MutexLock lock(&mu_);
  NE_RETURN_IF_ERROR(store_->ScanArticles([&](StoredArticle stored) {
    mu_.AssertHeld();  // the scan runs under `lock`
    articles_.Add(std::move(stored));
  }));
  NE_RETURN_IF_ERROR(store_->ScanEvents([&](StoredEvent stored) {
    mu_.AssertHeld();
    claims_.Add(stored.event, articles_.FindById(stored.event.article_id()));
    events_.Add(std::move(stored));
  }));
  claims_.Refresh();
  LogInfo(kComponent,
          "opened %s: %d articles, %d events, %d claims indexed in %s",
          store_->path(), articles_.size(), events_.size(), claims_.size(),
          absl::FormatDuration(absl::Now() - start));
  return absl::OkStatus();
}

absl::StatusOr<StoreResult> QueryHandler::StoreRecords(
    absl::string_view producer_id,
    absl::Span<const v1::ArticleRecord> records) {
  absl::MutexLock write_lock(&write_mu_);
  return IndexWrite(producer_id, records.size(),
                    store_->WriteRecords(producer_id, records, absl::Now()));
}

absl::StatusOr<StoreResult> QueryHandler::StoreAndTakeRecords(
    absl::string_view producer_id, absl::Span<v1::ArticleRecord> records) {
  absl::MutexLock write_lock(&write_mu_);
  return IndexWrite(
      producer_id, records.size(),
      store_->WriteAndTakeRecords(producer_id, records, absl::Now()));
}

absl::StatusOr<StoreResult> QueryHandler::IndexWrite(
    absl::string_view producer_id, size_t record_count,
    absl::StatusOr<WriteOutcome> outcome) {
  if (!outcome.ok()) {
    LogError(kComponent, "storing %d records from %s failed: %s", record_count,
             producer_id, outcome.status().ToString());
    return outcome.status();
  }
  const bool changed = !outcome->new_events.empty();
  {
    absl::MutexLock lock(&mu_);
    for (StoredArticle& article : outcome->new_articles)
      articles_.Add(std::move(article));
    for (StoredEvent& event : outcome->new_events) {
      claims_.Add(event.event, articles_.FindById(event.event.article_id()));
      events_.Add(std::move(event));
    }
    claims_.Refresh();
  }
  if (changed) NotifyWatches();
  return StoreResult{outcome->acknowledged_sequence,
                     outcome->stored_event_count};
}

uint64_t QueryHandler::LastStoredSequence(absl::string_view producer_id) const {
  return store_->ProducerSequence(producer_id);
}

bool QueryHandler::Healthy() const { return store_->Healthy(); }

absl::StatusOr<v1::Event> QueryHandler::GetEvent(
    const v1::GetEventRequest& request) const {
  NE_ASSIGN_OR_RETURN(absl::string_view id,
                      IdFromName(request.name(), "events"));
  absl::ReaderMutexLock lock(&mu_);
  const EventEntry* entry = events_.FindById(id);
  if (entry == nullptr)
    return ResourceNotFoundError("newsevents/Event", request.name());
  return entry->event;
}

absl::StatusOr<v1::Article> QueryHandler::GetArticle(
    const v1::GetArticleRequest& request) const {
  NE_ASSIGN_OR_RETURN(absl::string_view id,
                      IdFromName(request.name(), "articles"));
  uint64_t seq = 0;
  {
    absl::ReaderMutexLock lock(&mu_);
    const ArticleEntry* entry = articles_.FindById(id);
    if (entry == nullptr)
      return ResourceNotFoundError("newsevents/Article", request.name());
    seq = entry->seq;
  }
  // The text is read from RocksDB outside the lock; stored articles never
  // change.
  return store_->ReadArticle(seq);
}

}  // namespace newsevents::query
