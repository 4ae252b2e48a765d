#ifndef NEWSEVENTS_INGEST_SERVICE_OUTBOX_OUTBOX_H_
#define NEWSEVENTS_INGEST_SERVICE_OUTBOX_OUTBOX_H_

// The ingest service's durable outbox: accepted ArticleRecords wait here, in
// sequence order, until the query service acknowledges them.
//
// Contract:
//  - Append/AppendAll return OK only once the records are in RocksDB's WAL and
//    fsynced (when OutboxOptions::sync, the default). Each new record gets the
//    next sequence number (1, 2, ...), stored in ArticleRecord::sequence.
//  - Appends are idempotent by Article.id: a record whose article id was ever
//    appended (even if since acknowledged) writes nothing and returns the
//    original sequence with already_present=true.
//  - Concurrent appends are group-committed: one leader writes every queued
//    record in one synced WriteBatch, so N concurrent callers share one fsync.
//    Sequences become readable strictly in order, so a reader never sees a
//    gap that a slower writer fills in later.
//  - Acknowledge(s) deletes the records <= s and persists s; acknowledgements
//    never move backwards. The article-id index is kept forever.
//  - A stable producer id is created on first open and kept in the same DB,
//    so wiping the outbox also changes the identity the query service sees.
// Errors: FAILED_PRECONDITION naming the path when the DB cannot be opened
// (missing permissions, not a directory, locked by another process);
// UNAVAILABLE naming the path when a write fails (disk full, I/O error) --
// nothing is reported durable in that case and nothing acknowledged is lost;
// INVALID_ARGUMENT for a record without article.id; DATA_LOSS for a record
// that cannot be parsed back.
// Thread-safety: Outbox is thread-safe; every method may be called
// concurrently.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "ingest_service/outbox/clock.h"
#include "newsevents/v1/event_sink_service.pb.h"

namespace rocksdb {
class DB;
class Env;
}  // namespace rocksdb

namespace newsevents::outbox {

struct OutboxOptions {
  // Directory of the RocksDB database; created when missing.
  std::string path;
  // fsync the WAL on every append batch. Only tests and benchmarks that
  // measure something else should turn this off.
  bool sync = true;
  // Source of append times; Clock::Real() when null. Must outlive the Outbox.
  Clock* clock = nullptr;
  // RocksDB environment, for tests that inject I/O failures (disk full);
  // the default environment when null. Must outlive the Outbox.
  rocksdb::Env* env_for_testing = nullptr;
};

struct AppendResult {
  uint64_t sequence = 0;
  // True when the article id had been appended before; nothing was written.
  bool already_present = false;
};

// A snapshot of delivery progress, for GetDeliveryStatus and logs.
struct DeliveryCounters {
  // Records appended but not yet acknowledged.
  int64_t depth = 0;
  // Age of the oldest unacknowledged record; zero when depth == 0.
  absl::Duration oldest_unacknowledged_age = absl::ZeroDuration();
  uint64_t last_acknowledged_sequence = 0;
  uint64_t last_written_sequence = 0;
};

class Outbox {
 public:
  // Called after each durable append batch with the highest durable sequence.
  // Runs on the appending thread with no outbox lock held; must be quick.
  using AppendListener = std::function<void(uint64_t last_written_sequence)>;

  // Opens (creating when missing) the outbox at options.path.
  static absl::StatusOr<std::unique_ptr<Outbox>> Open(OutboxOptions options);

  ~Outbox();
  Outbox(const Outbox&) = delete;
  Outbox& operator=(const Outbox&) = delete;

  // Durably appends `record` (see the contract above).
  absl::StatusOr<AppendResult> Append(newsevents::v1::ArticleRecord record);

  // Appends `records` in one synced write batch, shared with any concurrent
  // appends; results are in input order. All-or-nothing: on error nothing of
  // this call is durable.
  absl::StatusOr<std::vector<AppendResult>> AppendAll(
      std::vector<newsevents::v1::ArticleRecord> records);

  // Up to max_records unacknowledged durable records with sequence > after,
  // in order, stopping before max_bytes of serialized records (at least one
  // record is returned when any is available, however large).
  absl::StatusOr<std::vector<newsevents::v1::ArticleRecord>> ReadAfter(
      uint64_t after, size_t max_records, size_t max_bytes) const;

  // Drops every record with sequence <= `sequence` and persists the mark.
  // A sequence at or below the current mark is a no-op. Returns
  // INVALID_ARGUMENT when `sequence` is above the last written sequence.
  absl::Status Acknowledge(uint64_t sequence);

  DeliveryCounters Counters() const;

  // The producer id stored in the DB; stable across reopen.
  const std::string& producer_id() const { return producer_id_; }

  // Replaces the append listener (nullptr to remove). The listener must
  // stay callable until it is replaced or the Outbox is destroyed.
  void SetAppendListener(AppendListener listener);

 private:
  struct PendingAppend;

  Outbox(OutboxOptions options, std::unique_ptr<rocksdb::DB> db,
         std::string producer_id, uint64_t last_written, uint64_t acknowledged);

  // Writes every queued append as one batch; called by the group leader
  // without mu_ held.
  // `first_sequence` is the sequence the first new record gets; returns the
  // highest sequence written (first_sequence - 1 when all were duplicates).
  absl::StatusOr<uint64_t> CommitGroup(const std::vector<PendingAppend*>& group,
                                       uint64_t first_sequence);
  absl::Status WriteError(absl::string_view what,
                          const std::string& detail) const;

  const OutboxOptions options_;
  Clock* const clock_;
  const std::unique_ptr<rocksdb::DB> db_;
  const std::string producer_id_;

  mutable absl::Mutex mu_;
  std::vector<PendingAppend*> queue_ ABSL_GUARDED_BY(mu_);
  bool leader_active_ ABSL_GUARDED_BY(mu_) = false;
  // Highest sequence that is durable and readable.
  uint64_t last_written_ ABSL_GUARDED_BY(mu_);
  uint64_t acknowledged_ ABSL_GUARDED_BY(mu_);
  // Set after a failed write; the next leader asks RocksDB to resume first.
  bool needs_resume_ ABSL_GUARDED_BY(mu_) = false;
  AppendListener listener_ ABSL_GUARDED_BY(mu_);
  // Listener calls running outside mu_; SetAppendListener waits for zero so
  // a replaced listener is never called afterwards.
  int listener_calls_ ABSL_GUARDED_BY(mu_) = 0;

  // Serializes Acknowledge calls so the mark only moves forwards.
  absl::Mutex acknowledge_mu_;
};

}  // namespace newsevents::outbox

#endif  // NEWSEVENTS_INGEST_SERVICE_OUTBOX_OUTBOX_H_
