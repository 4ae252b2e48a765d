#include "ingest_service/outbox/outbox.h"

#include <rocksdb/db.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/iterator.h>
#include <rocksdb/options.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>

#include <algorithm>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/errors.h"
#include "common/status_macros.h"
#include "ingest_service/outbox/outbox_keys.h"

namespace newsevents::outbox {

using newsevents::v1::ArticleRecord;

// One caller's records waiting for the group leader.
struct Outbox::PendingAppend {
  std::vector<ArticleRecord> records;
  std::vector<AppendResult> results;
  absl::Status status;
  bool done = false;
};

namespace {

absl::Status OpenError(const std::string& path, const rocksdb::Status& status) {
  return absl::FailedPreconditionError(absl::StrCat(
      "outbox at ", path, ": cannot open the database: ", status.ToString()));
}

std::string NewProducerId() {
  absl::BitGen gen;
  return absl::StrFormat("ingest-%016x%016x", absl::Uniform<uint64_t>(gen),
                         absl::Uniform<uint64_t>(gen));
}

// Reads a big-endian u64 value under `key`; 0 when absent.
absl::StatusOr<uint64_t> ReadCounter(rocksdb::DB* db, const std::string& key) {
  std::string value;
  rocksdb::Status s = db->Get(rocksdb::ReadOptions(), key, &value);
  if (s.IsNotFound()) return 0;
  if (!s.ok()) return absl::UnavailableError(s.ToString());
  uint64_t decoded = 0;
  if (!keys::DecodeU64(value, &decoded)) {
    return absl::DataLossError(absl::StrCat("bad counter ", key));
  }
  return decoded;
}

// The highest record sequence present, 0 when there is none.
uint64_t LastRecordSequence(rocksdb::DB* db) {
  std::unique_ptr<rocksdb::Iterator> it(
      db->NewIterator(rocksdb::ReadOptions()));
  it->SeekForPrev(keys::RecordUpperBound());
  uint64_t sequence = 0;
  if (it->Valid()) keys::DecodeRecordKey(it->key().ToStringView(), &sequence);
  return sequence;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Outbox>> Outbox::Open(OutboxOptions options) {
  if (options.path.empty()) {
    return InvalidFieldError("path", "the outbox needs a directory");
  }
  rocksdb::Options db_options;
  db_options.create_if_missing = true;
  if (options.env_for_testing != nullptr)
    db_options.env = options.env_for_testing;
  // Article-id lookups on every append: a bloom filter keeps misses cheap.
  rocksdb::BlockBasedTableOptions table_options;
  table_options.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  db_options.table_factory.reset(
      rocksdb::NewBlockBasedTableFactory(table_options));
  rocksdb::DB* raw_db = nullptr;
  rocksdb::Status s = rocksdb::DB::Open(db_options, options.path, &raw_db);
  if (!s.ok()) return OpenError(options.path, s);
  std::unique_ptr<rocksdb::DB> db(raw_db);

  auto with_path = [&](const absl::Status& status) {
    return absl::Status(status.code(), absl::StrCat("outbox at ", options.path,
                                                    ": ", status.message()));
  };
  absl::StatusOr<uint64_t> acknowledged =
      ReadCounter(db.get(), keys::kAcknowledged);
  if (!acknowledged.ok()) return with_path(acknowledged.status());
  absl::StatusOr<uint64_t> written = ReadCounter(db.get(), keys::kLastWritten);
  if (!written.ok()) return with_path(written.status());
  uint64_t last_written =
      std::max({*written, *acknowledged, LastRecordSequence(db.get())});

  std::string producer_id;
  s = db->Get(rocksdb::ReadOptions(), keys::kProducerId, &producer_id);
  if (s.IsNotFound()) {
    producer_id = NewProducerId();
    rocksdb::WriteOptions write_options;
    write_options.sync = true;
    s = db->Put(write_options, keys::kProducerId, producer_id);
  }
  if (!s.ok()) return OpenError(options.path, s);

  return std::unique_ptr<Outbox>(new Outbox(std::move(options), std::move(db),
                                            std::move(producer_id),
                                            last_written, *acknowledged));
}

Outbox::Outbox(OutboxOptions options, std::unique_ptr<rocksdb::DB> db,
               std::string producer_id, uint64_t last_written,
               uint64_t acknowledged)
    : options_(std::move(options)),
      clock_(options_.clock != nullptr ? options_.clock : Clock::Real()),
      db_(std::move(db)),
      producer_id_(std::move(producer_id)),
      last_written_(last_written),
      acknowledged_(acknowledged) {}

Outbox::~Outbox() {
  SetAppendListener(nullptr);
  // Everything reported durable is already in the synced WAL; Close only
  // releases the DB lock and files.
  db_->Close().PermitUncheckedError();
}

void Outbox::SetAppendListener(AppendListener listener) {
  absl::MutexLock lock(&mu_);
  mu_.Await(absl::Condition(
      +[](int* calls) { return *calls == 0; }, &listener_calls_));
  listener_ = std::move(listener);
}

absl::StatusOr<AppendResult> Outbox::Append(ArticleRecord record) {
  std::vector<ArticleRecord> records;
  records.push_back(std::move(record));
  NE_ASSIGN_OR_RETURN(std::vector<AppendResult> results,
                      AppendAll(std::move(records)));
  return results.front();
}

absl::StatusOr<std::vector<AppendResult>> Outbox::AppendAll(
    std::vector<ArticleRecord> records) {
  for (size_t i = 0; i < records.size(); ++i) {
    if (records[i].article().id().empty()) {
      return InvalidFieldError(absl::StrCat("records[", i, "].article.id"),
                               "must be set: the outbox deduplicates by it");
    }
  }
  if (records.empty()) return std::vector<AppendResult>();

  PendingAppend mine;
  mine.records = std::move(records);
  std::vector<PendingAppend*> group;
  uint64_t first_sequence = 0;
  bool resume = false;
  {
    absl::MutexLock lock(&mu_);
    queue_.push_back(&mine);
    // Followers sleep here; the first caller to find no leader commits
    // everything queued so far, including other callers' records.
    auto done_or_leaderless = [this, &mine]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(
                                  mu_) { return mine.done || !leader_active_; };
    mu_.Await(absl::Condition(&done_or_leaderless));
    if (mine.done) {
      if (!mine.status.ok()) return mine.status;
      return std::move(mine.results);
    }
    leader_active_ = true;
    group.swap(queue_);
    first_sequence = last_written_ + 1;
    resume = needs_resume_;
  }

  if (resume) {
    // After a failed write RocksDB refuses writes until resumed (once disk
    // space is back). Busy means its own recovery is running; either way a
    // write that still cannot succeed reports UNAVAILABLE below.
    db_->Resume().PermitUncheckedError();
  }
  absl::StatusOr<uint64_t> written = CommitGroup(group, first_sequence);

  AppendListener listener;
  {
    absl::MutexLock lock(&mu_);
    for (PendingAppend* pending : group) {
      if (!written.ok()) pending->status = written.status();
      pending->done = true;
    }
    leader_active_ = false;
    needs_resume_ = !written.ok();
    if (written.ok() && *written > last_written_) {
      last_written_ = *written;
      listener = listener_;
      if (listener) ++listener_calls_;
    }
  }
  if (listener) {
    listener(*written);
    absl::MutexLock lock(&mu_);
    --listener_calls_;
  }
  if (!mine.status.ok()) return mine.status;
  return std::move(mine.results);
}

absl::StatusOr<uint64_t> Outbox::CommitGroup(
    const std::vector<PendingAppend*>& group, uint64_t first_sequence) {
  rocksdb::WriteBatch batch;
  absl::flat_hash_map<std::string, uint64_t> in_group;
  uint64_t next = first_sequence;
  const int64_t now_micros = absl::ToUnixMicros(clock_->Now());
  for (PendingAppend* pending : group) {
    pending->results.clear();
    pending->results.reserve(pending->records.size());
    for (ArticleRecord& record : pending->records) {
      const std::string& id = record.article().id();
      if (auto it = in_group.find(id); it != in_group.end()) {
        pending->results.push_back({it->second, true});
        continue;
      }
      std::string existing;
      rocksdb::Status s =
          db_->Get(rocksdb::ReadOptions(), keys::ArticleKey(id), &existing);
      if (s.ok()) {
        uint64_t sequence = 0;
        keys::DecodeU64(existing, &sequence);
        in_group.emplace(id, sequence);
        pending->results.push_back({sequence, true});
        continue;
      }
      if (!s.IsNotFound()) return WriteError("article id lookup", s.ToString());
      record.set_sequence(next);
      batch.Put(keys::RecordKey(next),
                keys::EncodeRecordValue(now_micros, record));
      batch.Put(keys::ArticleKey(id), keys::EncodeU64(next));
      in_group.emplace(id, next);
      pending->results.push_back({next, false});
      ++next;
    }
  }
  if (next == first_sequence) return first_sequence - 1;  // all duplicates
  batch.Put(keys::kLastWritten, keys::EncodeU64(next - 1));
  rocksdb::WriteOptions write_options;
  write_options.sync = options_.sync;
  rocksdb::Status s = db_->Write(write_options, &batch);
  if (!s.ok()) return WriteError("append", s.ToString());
  return next - 1;
}

absl::Status Outbox::WriteError(absl::string_view what,
                                const std::string& detail) const {
  // UNAVAILABLE: the condition (disk full, I/O error) may clear, and the
  // caller's request was not made durable, so retrying is safe.
  return absl::UnavailableError(absl::StrCat("outbox at ", options_.path, ": ",
                                             what, " failed: ", detail));
}

absl::StatusOr<std::vector<ArticleRecord>> Outbox::ReadAfter(
    uint64_t after, size_t max_records, size_t max_bytes) const {
  uint64_t first = 0;
  uint64_t last = 0;
  {
    absl::MutexLock lock(&mu_);
    first = std::max(after, acknowledged_) + 1;
    last = last_written_;
  }
  std::vector<ArticleRecord> records;
  if (first > last || max_records == 0) return records;
  std::unique_ptr<rocksdb::Iterator> it(
      db_->NewIterator(rocksdb::ReadOptions()));
  size_t bytes = 0;
  for (it->Seek(keys::RecordKey(first)); it->Valid(); it->Next()) {
    uint64_t sequence = 0;
    if (!keys::DecodeRecordKey(it->key().ToStringView(), &sequence) ||
        sequence > last) {
      break;
    }
    std::string_view value = it->value().ToStringView();
    size_t record_bytes = value.size() - std::min<size_t>(value.size(), 8);
    if (!records.empty() && bytes + record_bytes > max_bytes) break;
    ArticleRecord& record = records.emplace_back();
    if (!keys::DecodeRecordValue(value, nullptr, &record)) {
      return absl::DataLossError(absl::StrCat(
          "outbox at ", options_.path, ": record ", sequence, " is corrupt"));
    }
    bytes += record_bytes;
    if (records.size() >= max_records) break;
  }
  if (!it->status().ok()) return WriteError("read", it->status().ToString());
  return records;
}

absl::Status Outbox::Acknowledge(uint64_t sequence) {
  absl::MutexLock serial(&acknowledge_mu_);
  uint64_t from = 0;
  {
    absl::MutexLock lock(&mu_);
    if (sequence <= acknowledged_) return absl::OkStatus();
    if (sequence > last_written_) {
      return absl::InvalidArgumentError(
          absl::StrCat("cannot acknowledge sequence ", sequence,
                       ": the last written is ", last_written_));
    }
    from = acknowledged_ + 1;
  }
  rocksdb::WriteBatch batch;
  // Point deletes for the usual window-sized acknowledgement; one range
  // tombstone when a huge backlog is acknowledged at once.
  constexpr uint64_t kMaxPointDeletes = 1 << 16;
  if (sequence - from < kMaxPointDeletes) {
    for (uint64_t s = from; s <= sequence; ++s)
      batch.Delete(keys::RecordKey(s));
  } else {
    batch.DeleteRange(keys::RecordKey(from), keys::RecordKey(sequence + 1));
  }
  batch.Put(keys::kAcknowledged, keys::EncodeU64(sequence));
  // Not synced: losing an acknowledgement to a power cut only re-delivers
  // records, which the query service stores idempotently.
  rocksdb::Status s = db_->Write(rocksdb::WriteOptions(), &batch);
  if (!s.ok()) return WriteError("acknowledge", s.ToString());
  absl::MutexLock lock(&mu_);
  acknowledged_ = sequence;
  return absl::OkStatus();
}

DeliveryCounters Outbox::Counters() const {
  DeliveryCounters counters;
  {
    absl::MutexLock lock(&mu_);
    counters.last_acknowledged_sequence = acknowledged_;
    counters.last_written_sequence = last_written_;
  }
  counters.depth = static_cast<int64_t>(counters.last_written_sequence -
                                        counters.last_acknowledged_sequence);
  if (counters.depth > 0) {
    rocksdb::PinnableSlice value;
    rocksdb::Status s = db_->Get(
        rocksdb::ReadOptions(), db_->DefaultColumnFamily(),
        keys::RecordKey(counters.last_acknowledged_sequence + 1), &value);
    int64_t append_micros = 0;
    // A concurrent Acknowledge may have just deleted it: then the age is
    // simply unknown for this snapshot and reported as zero.
    if (s.ok() && keys::DecodeRecordValue(value.ToStringView(), &append_micros,
                                          nullptr)) {
      counters.oldest_unacknowledged_age =
          std::max(absl::ZeroDuration(),
                   clock_->Now() - absl::FromUnixMicros(append_micros));
    }
  }
  return counters;
}

}  // namespace newsevents::outbox
