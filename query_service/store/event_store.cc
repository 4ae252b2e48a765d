#include "query_service/store/event_store.h"

#include <algorithm>
#include <filesystem>
#include <system_error>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "google/protobuf/util/time_util.h"
#include "rocksdb/db.h"
#include "rocksdb/options.h"
#include "rocksdb/write_batch.h"

namespace newsevents::query {
namespace {

constexpr absl::string_view kArticleLog = "A/";
constexpr absl::string_view kArticleId = "a/";
constexpr absl::string_view kEventLog = "E/";
constexpr absl::string_view kEventId = "e/";
constexpr absl::string_view kProducer = "p/";

std::string EncodeBE64(uint64_t value) {
  std::string out(8, '\0');
  for (int i = 7; i >= 0; --i) {
    out[i] = static_cast<char>(value & 0xff);
    value >>= 8;
  }
  return out;
}

uint64_t DecodeBE64(absl::string_view bytes) {
  uint64_t value = 0;
  for (size_t i = 0; i < 8 && i < bytes.size(); ++i) {
    value = (value << 8) | static_cast<unsigned char>(bytes[i]);
  }
  return value;
}

std::string Key(absl::string_view prefix, absl::string_view suffix) {
  return absl::StrCat(prefix, suffix);
}

rocksdb::Slice ToSlice(absl::string_view s) {
  return rocksdb::Slice(s.data(), s.size());
}
absl::string_view ToView(const rocksdb::Slice& s) {
  return absl::string_view(s.data(), s.size());
}

// Calls visit(key_suffix, value) for every key with `prefix`, in key order.
absl::Status ScanPrefix(
    rocksdb::DB& db, absl::string_view prefix,
    const std::function<absl::Status(absl::string_view, absl::string_view)>&
        visit) {
  std::unique_ptr<rocksdb::Iterator> it(db.NewIterator(rocksdb::ReadOptions()));
  for (it->Seek(ToSlice(prefix));
       it->Valid() && it->key().starts_with(ToSlice(prefix)); it->Next()) {
    NE_RETURN_IF_ERROR(
        visit(ToView(it->key()).substr(prefix.size()), ToView(it->value())));
  }
  if (!it->status().ok()) {
    return absl::UnavailableError(
        absl::StrCat("store scan failed: ", it->status().ToString()));
  }
  return absl::OkStatus();
}

absl::Status OpenError(const std::string& path, const rocksdb::Status& status) {
  const std::string detail = status.ToString();
  // RocksDB's PosixEnv words: another process holds the lock ("While lock
  // file") or this one does ("lock hold by current process").
  if (status.IsIOError() &&
      (absl::StrContains(detail, "While lock file") ||
       absl::StrContains(detail, "lock hold by current process"))) {
    return absl::UnavailableError(absl::StrCat(
        "data directory \"", path,
        "\" is in use by another store (RocksDB LOCK held): ", detail));
  }
  return absl::FailedPreconditionError(absl::StrCat(
      "cannot open the store in data directory \"", path, "\": ", detail));
}

}  // namespace

EventStore::EventStore(EventStoreOptions options,
                       std::unique_ptr<rocksdb::DB> db)
    : options_(std::move(options)), db_(std::move(db)) {}

EventStore::~EventStore() = default;

absl::StatusOr<std::unique_ptr<EventStore>> EventStore::Open(
    EventStoreOptions options) {
  if (options.path.empty()) {
    return absl::FailedPreconditionError(
        "no data directory given for the store");
  }
  std::error_code error;
  std::filesystem::create_directories(options.path, error);
  if (error) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot create data directory \"", options.path,
                     "\": ", error.message()));
  }
  rocksdb::Options db_options;
  db_options.create_if_missing = true;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status status = rocksdb::DB::Open(db_options, options.path, &raw);
  if (!status.ok()) return OpenError(options.path, status);
  std::unique_ptr<EventStore> store(
      new EventStore(std::move(options), std::unique_ptr<rocksdb::DB>(raw)));
  NE_RETURN_IF_ERROR(store->LoadState());
  return store;
}

absl::Status EventStore::LoadState() {
  absl::MutexLock write_lock(&write_mu_);
  absl::MutexLock lock(&mu_);
  uint64_t max_seq = 0;
  auto track_id = [&](absl::flat_hash_set<std::string>& ids) {
    return [&](absl::string_view id, absl::string_view seq) {
      ids.insert(std::string(id));
      max_seq = std::max(max_seq, DecodeBE64(seq));
      return absl::OkStatus();
    };
  };
  NE_RETURN_IF_ERROR(ScanPrefix(*db_, kEventId, track_id(event_ids_)));
  NE_RETURN_IF_ERROR(ScanPrefix(*db_, kArticleId, track_id(article_ids_)));
  NE_RETURN_IF_ERROR(ScanPrefix(
      *db_, kProducer, [&](absl::string_view id, absl::string_view seq) {
        mu_.AssertHeld();  // tells the analysis the lambda runs under `lock`
        producers_[std::string(id)] = DecodeBE64(seq);
        return absl::OkStatus();
      }));
  next_seq_ = max_seq + 1;
  return absl::OkStatus();
}

absl::StatusOr<WriteOutcome> EventStore::WriteRecords(
    absl::string_view producer_id, absl::Span<const v1::ArticleRecord> records,
    absl::Time now) {
  absl::MutexLock write_lock(&write_mu_);
  WriteOutcome outcome;
  uint64_t seq = next_seq_;
  uint64_t previous_high = 0;
  {
    absl::MutexLock lock(&mu_);
    auto it = producers_.find(producer_id);
    if (it != producers_.end()) previous_high = it->second;
  }
  const google::protobuf::Timestamp create_time =
      google::protobuf::util::TimeUtil::NanosecondsToTimestamp(
          absl::ToUnixNanos(now));

  // Ids first seen in this batch, so a record repeated within it is skipped
  // too.
  absl::flat_hash_set<std::string> batch_ids;
  rocksdb::WriteBatch batch;
  uint64_t high = previous_high;
  for (const v1::ArticleRecord& record : records) {
    high = std::max(high, record.sequence());
    outcome.stored_event_count += record.events_size();
    const v1::Article& article = record.article();
    if (!article.id().empty() && !article_ids_.contains(article.id()) &&
        batch_ids.insert(Key(kArticleId, article.id())).second) {
      StoredArticle stored{seq++, article};
      if (stored.article.name().empty())
        stored.article.set_name(Key("articles/", article.id()));
      if (stored.article.event_count() == 0)
        stored.article.set_event_count(record.events_size());
      batch.Put(Key(kArticleId, article.id()), EncodeBE64(stored.seq));
      batch.Put(Key(kArticleLog, EncodeBE64(stored.seq)),
                stored.article.SerializeAsString());
      outcome.new_articles.push_back(std::move(stored));
    }
    for (const v1::Event& event : record.events()) {
      if (event.id().empty() || event_ids_.contains(event.id()) ||
          !batch_ids.insert(Key(kEventId, event.id())).second) {
        continue;
      }
      StoredEvent stored{seq++, event};
      v1::Event& e = stored.event;
      if (e.name().empty()) e.set_name(Key("events/", e.id()));
      if (e.article_id().empty()) e.set_article_id(article.id());
      if (e.outlet().empty()) e.set_outlet(article.outlet());
      if (!e.has_published_date() && article.has_published_date()) {
        *e.mutable_published_date() = article.published_date();
      }
      *e.mutable_create_time() = create_time;
      batch.Put(Key(kEventId, e.id()), EncodeBE64(stored.seq));
      batch.Put(Key(kEventLog, EncodeBE64(stored.seq)), e.SerializeAsString());
      outcome.new_events.push_back(std::move(stored));
    }
  }
  if (high > previous_high)
    batch.Put(Key(kProducer, producer_id), EncodeBE64(high));
  outcome.acknowledged_sequence = high;
  if (batch.Count() == 0) return outcome;  // all re-delivered: already durable

  absl::Status result =
      options_.write_fault ? options_.write_fault() : absl::OkStatus();
  if (result.ok()) {
    rocksdb::WriteOptions write_options;
    write_options.sync = options_.sync_writes;
    rocksdb::Status status = db_->Write(write_options, &batch);
    if (!status.ok()) result = absl::UnavailableError(status.ToString());
  }
  if (result.ok()) {
    next_seq_ = seq;
    for (const StoredArticle& a : outcome.new_articles)
      article_ids_.insert(a.article.id());
    for (const StoredEvent& e : outcome.new_events)
      event_ids_.insert(e.event.id());
  }
  absl::MutexLock lock(&mu_);
  if (!result.ok()) {
    healthy_ = false;
    return absl::UnavailableError(absl::StrCat(
        "store write to \"", options_.path, "\" failed: ", result.message()));
  }
  healthy_ = true;
  if (high > previous_high) producers_[std::string(producer_id)] = high;
  return outcome;
}

absl::StatusOr<v1::Article> EventStore::ReadArticle(uint64_t seq) const {
  std::string value;
  rocksdb::Status status = db_->Get(rocksdb::ReadOptions(),
                                    Key(kArticleLog, EncodeBE64(seq)), &value);
  if (status.IsNotFound())
    return absl::NotFoundError(absl::StrCat("no article at ", seq));
  if (!status.ok()) return absl::UnavailableError(status.ToString());
  v1::Article article;
  if (!article.ParseFromString(value)) {
    return absl::DataLossError(absl::StrCat("corrupt article record at ", seq));
  }
  return article;
}

absl::Status EventStore::ScanEvents(
    const std::function<void(StoredEvent)>& visit) const {
  return ScanPrefix(
      *db_, kEventLog, [&](absl::string_view seq, absl::string_view value) {
        StoredEvent stored;
        stored.seq = DecodeBE64(seq);
        if (!stored.event.ParseFromArray(value.data(),
                                         static_cast<int>(value.size()))) {
          return absl::DataLossError(
              absl::StrCat("corrupt event record at ", stored.seq));
        }
        visit(std::move(stored));
        return absl::OkStatus();
      });
}

absl::Status EventStore::ScanArticles(
    const std::function<void(StoredArticle)>& visit) const {
  return ScanPrefix(
      *db_, kArticleLog, [&](absl::string_view seq, absl::string_view value) {
        StoredArticle stored;
        stored.seq = DecodeBE64(seq);
        if (!stored.article.ParseFromArray(value.data(),
                                           static_cast<int>(value.size()))) {
          return absl::DataLossError(
              absl::StrCat("corrupt article record at ", stored.seq));
        }
        visit(std::move(stored));
        return absl::OkStatus();
      });
}

uint64_t EventStore::ProducerSequence(absl::string_view producer_id) const {
  absl::MutexLock lock(&mu_);
  auto it = producers_.find(producer_id);
  return it == producers_.end() ? 0 : it->second;
}

bool EventStore::Healthy() const {
  absl::MutexLock lock(&mu_);
  return healthy_;
}

}  // namespace newsevents::query
