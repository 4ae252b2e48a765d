#ifndef NEWSEVENTS_QUERY_SERVICE_STORE_QUERY_HANDLER_H_
#define NEWSEVENTS_QUERY_SERVICE_STORE_QUERY_HANDLER_H_

// Everything behind QueryService except the gRPC adapter: request
// validation, storage (EventStore), indexes, claims, pagination, aggregation
// and live watches. The adapter converts requests and absl::Status only.
//
// Errors (all via common/errors.h):
//  - INVALID_ARGUMENT naming the field: "name" (not "events/{id}" /
//    "articles/{id}"), "page_size" (negative), "page_token" (malformed or
//    issued for another filter/order_by), "filter", "order_by", "group_by",
//    "start_cursor".
//  - NOT_FOUND via ResourceNotFoundError for unknown events and articles.
//  - UNAVAILABLE when a store write fails (StoreRecords) or a read fails.
//  - Create: FAILED_PRECONDITION / UNAVAILABLE naming the data directory.
// Ordering: ListEvents accepts order_by over create_time, date,
// published_date and confidence (each optionally " desc"; default
// "create_time desc"); rows with unknown dates sort last; ties go to the most
// recently stored. Page tokens are keyset positions, so pages stay stable
// while events arrive. docs/filtering.md documents the filter language.
// Memory: every stored event (and its claims) is held in memory for
// filtering; article texts stay in RocksDB and are read per response.
// Thread-safety: QueryHandler and EventWatch are thread-safe. An EventWatch
// must be destroyed before the QueryHandler that created it.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/types/span.h"
#include "newsevents/v1/event_sink_service.pb.h"
#include "newsevents/v1/query_service.pb.h"
#include "query_service/store/article_index.h"
#include "query_service/store/claim_index.h"
#include "query_service/store/event_index.h"
#include "query_service/store/event_store.h"
#include "query_service/store/filter.h"

namespace newsevents::query {

struct QueryHandlerOptions {
  std::string data_dir;     // RocksDB directory (created if missing)
  bool sync_writes = true;  // WAL fsync per batch
  int default_page_size = 50;
  int max_page_size = 1000;
  // Tests only: the store's RocksDB environment, for injected disk failures
  // (see EventStoreOptions::env_for_testing).
  rocksdb::Env* env_for_testing = nullptr;
};

struct StoreResult {
  uint64_t acknowledged_sequence;
  int stored_event_count;
};

class EventWatchImpl;

class EventWatch {  // one WatchEvents call; thread-safe
 public:
  // Unregisters the notify callback: waits for a call of it in progress,
  // and none starts afterwards. So it must not run inside `notify`, nor
  // under a lock that `notify` takes.
  virtual ~EventWatch() = default;
  // Up to `max` matching events stored after the current cursor, advancing it.
  // Non-blocking (takes the index's read lock briefly).
  virtual std::vector<newsevents::v1::WatchEventsResponse> Next(size_t max) = 0;
  // `notify` is called whenever new events are stored, after they are
  // indexed: a Next that starts after a call of `notify` began sees them. It
  // runs on the storing thread under the handler's watch registry lock, so
  // it must be cheap and must not block or destroy the watch.
  virtual void SetNotify(std::function<void()> notify) = 0;
  // The cursor the watch started after (the request's start_cursor, or the
  // store's end when it had none): a watch resumed from it misses nothing.
  virtual const std::string& start_cursor() const = 0;
};

class QueryHandler {  // thread-safe: all methods may be called concurrently
 public:
  // Opens (creating if missing) the store in options.data_dir and rebuilds
  // the in-memory indexes from it.
  static absl::StatusOr<std::unique_ptr<QueryHandler>> Create(
      QueryHandlerOptions options);
  ~QueryHandler();

  absl::StatusOr<newsevents::v1::Event> GetEvent(
      const newsevents::v1::GetEventRequest&) const;
  absl::StatusOr<newsevents::v1::ListEventsResponse> ListEvents(
      const newsevents::v1::ListEventsRequest&) const;
  absl::StatusOr<newsevents::v1::Article> GetArticle(
      const newsevents::v1::GetArticleRequest&) const;
  absl::StatusOr<newsevents::v1::ListArticlesResponse> ListArticles(
      const newsevents::v1::ListArticlesRequest&) const;
  absl::StatusOr<newsevents::v1::AggregateEventsResponse> AggregateEvents(
      const newsevents::v1::AggregateEventsRequest&) const;
  absl::StatusOr<newsevents::v1::ListClaimsResponse> ListClaims(
      const newsevents::v1::ListClaimsRequest&) const;
  // Durably stores records (one synced batch) idempotently, then updates
  // indexes and notifies watchers. Returns the highest sequence among `records`
  // (or the producer's previous high-water mark if higher) once durable.
  absl::StatusOr<StoreResult> StoreRecords(
      absl::string_view producer_id,
      absl::Span<const newsevents::v1::ArticleRecord> records);
  // The same without copying: the new articles and events are moved out of
  // `records` into the indexes (EventStore::WriteAndTakeRecords). For
  // callers that drop the records afterwards, like the sink.
  absl::StatusOr<StoreResult> StoreAndTakeRecords(
      absl::string_view producer_id,
      absl::Span<newsevents::v1::ArticleRecord> records);
  // Highest sequence durably stored for the producer (0 if none).
  uint64_t LastStoredSequence(absl::string_view producer_id) const;
  // Validates filter and cursor (INVALID_ARGUMENT "filter"/"start_cursor") and
  // starts a watch. Empty start_cursor = only events stored from now on.
  absl::StatusOr<std::unique_ptr<EventWatch>> Watch(
      const newsevents::v1::WatchEventsRequest&);
  // False while the store is unusable (open failed or the last write failed).
  bool Healthy() const;

 private:
  friend class EventWatchImpl;

  QueryHandler(QueryHandlerOptions options, std::unique_ptr<EventStore> store);
  absl::Status Rebuild();
  // Indexes what a write stored and notifies watchers. Requires write_mu_.
  absl::StatusOr<StoreResult> IndexWrite(absl::string_view producer_id,
                                         size_t record_count,
                                         absl::StatusOr<WriteOutcome> outcome)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);

  // Matching events after *cursor, at most `max`, advancing *cursor past
  // every event examined.
  std::vector<v1::WatchEventsResponse> ReadAfter(uint64_t* cursor,
                                                 const EventFilter& filter,
                                                 size_t max) const;
  void Register(EventWatchImpl* watch);
  void Unregister(EventWatchImpl* watch);
  void NotifyWatches();

  const QueryHandlerOptions options_;
  const std::unique_ptr<EventStore> store_;

  // Serializes StoreRecords so the indexes grow in store-sequence order.
  absl::Mutex write_mu_ ABSL_ACQUIRED_BEFORE(mu_);
  mutable absl::Mutex mu_;
  EventIndex events_ ABSL_GUARDED_BY(mu_);
  ArticleIndex articles_ ABSL_GUARDED_BY(mu_);
  ClaimIndex claims_ ABSL_GUARDED_BY(mu_);

  absl::Mutex watch_mu_;
  absl::flat_hash_set<EventWatchImpl*> watches_ ABSL_GUARDED_BY(watch_mu_);
};

// Watch cursors: opaque strings for a store sequence.
std::string EncodeCursor(uint64_t seq);
absl::StatusOr<uint64_t> DecodeCursor(absl::string_view cursor);

}  // namespace newsevents::query

#endif  // NEWSEVENTS_QUERY_SERVICE_STORE_QUERY_HANDLER_H_
