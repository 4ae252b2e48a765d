#ifndef NEWSEVENTS_QUERY_SERVICE_STORE_EVENT_STORE_H_
#define NEWSEVENTS_QUERY_SERVICE_STORE_EVENT_STORE_H_

// The query service's durable store: articles and their events in one
// RocksDB database, written idempotently in synced batches.
//
// Every newly stored article and event gets a store sequence number from one
// counter, assigned at first write and never reused: it orders the event log
// (WatchEvents cursors, stable pagination) and stands in for create_time.
//
// Key layout (default column family; BE64 = 8-byte big-endian, so keys sort
// numerically):
//   "A/" BE64(seq)  -> serialized v1::Article (with text)
//   "E/" BE64(seq)  -> serialized v1::Event (create_time set)
//   "p/" producer   -> BE64(highest ArticleRecord.sequence stored)
// The log keys hold the bodies so that rebuilding the indexes at open is one
// sequential scan. "Is this a re-delivery?" is answered from in-memory id
// sets, which Open rebuilds from the ids inside the log records. There are
// deliberately no per-id keys: every new key is appended in sequence order,
// and RocksDB inserts such keys far more cheaply than keys in random (hash)
// order; the per-id keys cost most of the store's CPU (docs/delivery.md).
// Stores written before that change also hold "a/" id and "e/" id keys; they
// are ignored.
//
// Errors: Open gives FAILED_PRECONDITION naming the path when the directory
// cannot be created or opened, UNAVAILABLE when another process holds its
// lock. A failed write gives UNAVAILABLE, leaves the store unchanged and
// marks it unhealthy until a later write succeeds.
// Thread-safety: EventStore is thread-safe; writes are serialized internally.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "newsevents/v1/event_sink_service.pb.h"

namespace rocksdb {
class DB;
class Env;
}  // namespace rocksdb

namespace newsevents::query {

struct StoredEvent {
  uint64_t seq = 0;
  v1::Event event;
};

struct StoredArticle {
  uint64_t seq = 0;
  v1::Article article;
};

struct EventStoreOptions {
  std::string path;         // created if missing
  bool sync_writes = true;  // fsync the WAL for every batch
  // Tests only: the RocksDB environment (testing/disk_faults.h injects disk
  // failures through it); the default environment when null. Must outlive
  // the store.
  rocksdb::Env* env_for_testing = nullptr;
};

// What one WriteRecords call changed.
struct WriteOutcome {
  std::vector<StoredArticle> new_articles;  // first-time articles, seq order
  std::vector<StoredEvent> new_events;      // first-time events, seq order
  uint64_t acknowledged_sequence =
      0;                       // producer's high-water mark after the write
  int stored_event_count = 0;  // events in the records, re-deliveries included
};

class EventStore {
 public:
  static absl::StatusOr<std::unique_ptr<EventStore>> Open(
      EventStoreOptions options);
  ~EventStore();
  EventStore(const EventStore&) = delete;
  EventStore& operator=(const EventStore&) = delete;

  // Stores the articles and events not stored before, in one batch (synced
  // when sync_writes), stamping each new event's create_time with `now`, and
  // raises the producer's high-water mark to the records' highest sequence.
  // Re-delivered articles and events (same id, same content) are skipped, so
  // they change nothing. An article or event whose id is already stored, or
  // repeated within `records`, with different content (ignoring the stored
  // fields: name, article_id, outlet, published_date defaults, create_time,
  // ingest_time) is refused: ALREADY_EXISTS naming the record and field
  // ("records[i].events[j].id"), nothing of the call written, the store
  // stays healthy. The caller logs and counts it.
  absl::StatusOr<WriteOutcome> WriteRecords(
      absl::string_view producer_id,
      absl::Span<const v1::ArticleRecord> records, absl::Time now);
  // The same, without copies: the stored fields (name, create_time, ...) are
  // filled in `records` themselves, and once the write is durable the new
  // articles and events are moved out of them into the outcome. After an
  // error `records` are intact apart from those filled-in fields.
  absl::StatusOr<WriteOutcome> WriteAndTakeRecords(
      absl::string_view producer_id, absl::Span<v1::ArticleRecord> records,
      absl::Time now);

  // The full article stored under `seq`; NOT_FOUND when none.
  absl::StatusOr<v1::Article> ReadArticle(uint64_t seq) const;

  // Calls `visit` for every stored event / article in sequence order.
  absl::Status ScanEvents(const std::function<void(StoredEvent)>& visit) const;
  absl::Status ScanArticles(
      const std::function<void(StoredArticle)>& visit) const;

  // Highest record sequence stored for `producer_id`, 0 when none.
  uint64_t ProducerSequence(absl::string_view producer_id) const;

  // False after a failed write, until a write succeeds.
  bool Healthy() const;

  const std::string& path() const { return options_.path; }

 private:
  EventStore(EventStoreOptions options, std::unique_ptr<rocksdb::DB> db);
  absl::Status LoadState();
  // OK when the already stored event / article with this id at `seq` has the
  // same content as `incoming` (see WriteRecords); ALREADY_EXISTS naming
  // `field` otherwise, UNAVAILABLE when it cannot be read.
  absl::Status CheckSameEvent(uint64_t seq, const v1::Event& incoming,
                              const v1::Article& article,
                              const std::string& field) const;
  absl::Status CheckSameArticle(uint64_t seq, const v1::ArticleRecord& incoming,
                                const std::string& field) const;
  // Refuses (ALREADY_EXISTS) the first article or event of `records` whose
  // id is stored, or repeated earlier in `records`, with other content.
  absl::Status CheckConflicts(absl::Span<const v1::ArticleRecord> records) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);
  // WriteRecords (Record = const v1::ArticleRecord) and WriteAndTakeRecords.
  template <typename Record>
  absl::StatusOr<WriteOutcome> Write(absl::string_view producer_id,
                                     absl::Span<Record> records,
                                     absl::Time now);

  const EventStoreOptions options_;
  const std::unique_ptr<rocksdb::DB> db_;

  // Serializes writers, so that "is this id new?" and the batch that stores
  // it are one step. The id sets and the counter are only used by writers;
  // mu_ guards what readers need, and is never held across the (slow, synced)
  // RocksDB write. The id sets hold exactly the ids in the log records.
  absl::Mutex write_mu_ ABSL_ACQUIRED_BEFORE(mu_);
  uint64_t next_seq_ ABSL_GUARDED_BY(write_mu_) = 1;
  // id -> log sequence of the stored body (for the content comparison of a
  // re-delivery).
  absl::flat_hash_map<std::string, uint64_t> event_ids_
      ABSL_GUARDED_BY(write_mu_);
  absl::flat_hash_map<std::string, uint64_t> article_ids_
      ABSL_GUARDED_BY(write_mu_);
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, uint64_t> producers_ ABSL_GUARDED_BY(mu_);
  bool healthy_ ABSL_GUARDED_BY(mu_) = true;
};

}  // namespace newsevents::query

#endif  // NEWSEVENTS_QUERY_SERVICE_STORE_EVENT_STORE_H_
