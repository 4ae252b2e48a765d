#include "query_service/store/event_store.h"

#include <algorithm>
#include <filesystem>
#include <system_error>
#include <type_traits>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/coding.h"
#include "common/errors.h"
#include "common/status_macros.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/util/message_differencer.h"
#include "google/protobuf/util/time_util.h"
#include "google/protobuf/wire_format_lite.h"
#include "rocksdb/db.h"
#include "rocksdb/options.h"
#include "rocksdb/slice_transform.h"
#include "rocksdb/write_batch.h"

namespace newsevents::query {
namespace {

constexpr absl::string_view kArticleLog = "A/";
constexpr absl::string_view kEventLog = "E/";
constexpr absl::string_view kProducer = "p/";
// Every key starts with one of the two-byte prefixes above.
constexpr size_t kPrefixSize = 2;
// v1::Article.id and v1::Event.id are both string field 2.
constexpr int kIdFieldNumber = 2;

std::string Key(absl::string_view prefix, absl::string_view suffix) {
  return absl::StrCat(prefix, suffix);
}

rocksdb::Slice ToSlice(absl::string_view s) {
  return rocksdb::Slice(s.data(), s.size());
}
absl::string_view ToView(const rocksdb::Slice& s) {
  return absl::string_view(s.data(), s.size());
}
// Debian's Abseil has its own string_view; common/coding.h takes the
// standard one.
std::string_view ToStd(absl::string_view s) {
  return std::string_view(s.data(), s.size());
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

// ScanPrefix over one of the sequence-keyed logs: calls visit(seq, value)
// for every record, in sequence order. A key whose suffix is not a
// sequence is DATA_LOSS.
absl::Status ScanLog(
    rocksdb::DB& db, absl::string_view prefix,
    const std::function<absl::Status(uint64_t, absl::string_view)>& visit) {
  return ScanPrefix(
      db, prefix, [&](absl::string_view suffix, absl::string_view value) {
        uint64_t seq = 0;
        if (!coding::DecodeExactBigEndian64(ToStd(suffix), &seq)) {
          return absl::DataLossError(
              absl::StrCat("corrupt store key: \"", prefix, "\" + ",
                           suffix.size(), " bytes, not a sequence"));
        }
        return visit(seq, value);
      });
}

// Field kIdFieldNumber of a serialized Article or Event, read without
// parsing the rest of the message (the bodies are parsed again, in full, by
// the index rebuild). False when the bytes are not a well-formed message.
bool ReadIdField(absl::string_view bytes, std::string* id) {
  using google::protobuf::internal::WireFormatLite;
  google::protobuf::io::CodedInputStream input(
      reinterpret_cast<const uint8_t*>(bytes.data()),
      static_cast<int>(bytes.size()));
  id->clear();
  while (uint32_t tag = input.ReadTag()) {
    if (WireFormatLite::GetTagFieldNumber(tag) == kIdFieldNumber &&
        WireFormatLite::GetTagWireType(tag) ==
            WireFormatLite::WIRETYPE_LENGTH_DELIMITED) {
      // Proto3: the last occurrence of a singular field wins.
      if (!WireFormatLite::ReadString(&input, id)) return false;
    } else if (!WireFormatLite::SkipField(&input, tag)) {
      return false;
    }
  }
  return input.ConsumedEntireMessage();
}

// ScanLog with each value parsed into Stored::*kMessage; a value that does
// not parse is DATA_LOSS naming `what` and its sequence.
template <typename Stored, auto kMessage>
absl::Status ScanParsed(rocksdb::DB& db, absl::string_view prefix,
                        absl::string_view what,
                        const std::function<void(Stored)>& visit) {
  return ScanLog(db, prefix, [&](uint64_t seq, absl::string_view value) {
    Stored stored;
    stored.seq = seq;
    if (!(stored.*kMessage)
             .ParseFromArray(value.data(), static_cast<int>(value.size()))) {
      return absl::DataLossError(
          absl::StrCat("corrupt ", what, " record at ", seq));
    }
    visit(std::move(stored));
    return absl::OkStatus();
  });
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

// The defaults the store fills in, applied to a copy (see Write).
void FillEventDefaults(const v1::Article& article, v1::Event* e) {
  if (e->name().empty()) e->set_name(absl::StrCat("events/", e->id()));
  if (e->article_id().empty()) e->set_article_id(article.id());
  if (e->outlet().empty()) e->set_outlet(article.outlet());
  if (!e->has_published_date() && article.has_published_date())
    *e->mutable_published_date() = article.published_date();
}

// The content of an event as compared for re-delivery: defaults filled from
// `article` (when given), the store's create_time cleared.
v1::Event ComparableEvent(const v1::Event& event, const v1::Article* article) {
  v1::Event copy = event;
  if (article != nullptr) FillEventDefaults(*article, &copy);
  copy.clear_create_time();
  return copy;
}

v1::Article ComparableArticle(const v1::Article& article, int event_count) {
  v1::Article copy = article;
  if (copy.name().empty()) copy.set_name(absl::StrCat("articles/", copy.id()));
  if (copy.event_count() == 0) copy.set_event_count(event_count);
  // When it was ingested is not content: the same article ingested by two
  // ingest services is the same article.
  copy.clear_ingest_time();
  return copy;
}

absl::Status ConflictError(const std::string& field, absl::string_view what,
                           absl::string_view id) {
  return WithReason(
      absl::AlreadyExistsError(absl::StrCat(
          field, ": ", what, " \"", id.substr(0, 64),
          "\" is already stored with different content; record refused")),
      "CONFLICTING_RECORD");
}

}  // namespace

absl::Status EventStore::CheckSameEvent(uint64_t seq, const v1::Event& incoming,
                                        const v1::Article& article,
                                        const std::string& field) const {
  std::string value;
  rocksdb::Status status =
      db_->Get(rocksdb::ReadOptions(),
               Key(kEventLog, coding::EncodeBigEndian64(seq)), &value);
  if (!status.ok()) return absl::UnavailableError(status.ToString());
  v1::Event stored;
  if (!stored.ParseFromString(value)) {
    return absl::DataLossError(absl::StrCat("corrupt event record at ", seq));
  }
  if (!google::protobuf::util::MessageDifferencer::Equals(
          ComparableEvent(incoming, &article),
          ComparableEvent(stored, nullptr))) {
    return ConflictError(field, "event", incoming.id());
  }
  return absl::OkStatus();
}

absl::Status EventStore::CheckSameArticle(uint64_t seq,
                                          const v1::ArticleRecord& incoming,
                                          const std::string& field) const {
  NE_ASSIGN_OR_RETURN(v1::Article stored, ReadArticle(seq));
  if (!google::protobuf::util::MessageDifferencer::Equals(
          ComparableArticle(incoming.article(), incoming.events_size()),
          ComparableArticle(stored, stored.event_count()))) {
    return ConflictError(field, "article", incoming.article().id());
  }
  return absl::OkStatus();
}

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
  if (options.env_for_testing != nullptr)
    db_options.env = options.env_for_testing;
  // Each batch appends to two logs at once (A/ and E/, interleaved). With a
  // per-prefix insert hint the memtable keeps one insert position per log,
  // so each in-order key is placed with a few comparisons instead of a
  // search from the top of the skip list.
  db_options.memtable_insert_with_hint_prefix_extractor.reset(
      rocksdb::NewFixedPrefixTransform(kPrefixSize));
  rocksdb::DB* raw = nullptr;
  rocksdb::Status status = rocksdb::DB::Open(db_options, options.path, &raw);
  if (!status.ok()) return OpenError(options.path, status);
  std::unique_ptr<EventStore> store(
      new EventStore(std::move(options), std::unique_ptr<rocksdb::DB>(raw)));
  NE_RETURN_IF_ERROR(store->LoadState());
  return store;
}

absl::Status EventStore::CheckConflicts(
    absl::Span<const v1::ArticleRecord> records) const {
  // First occurrences within `records`; only ids seen twice are compared.
  absl::flat_hash_map<absl::string_view, const v1::ArticleRecord*> articles;
  absl::flat_hash_map<absl::string_view,
                      std::pair<const v1::Event*, const v1::Article*>>
      events;
  for (size_t r = 0; r < records.size(); ++r) {
    const v1::ArticleRecord& record = records[r];
    const v1::Article& article = record.article();
    const std::string field = absl::StrCat("records[", r, "].");
    if (!article.id().empty()) {
      if (auto it = article_ids_.find(article.id()); it != article_ids_.end()) {
        NE_RETURN_IF_ERROR(
            CheckSameArticle(it->second, record, field + "article.id"));
      } else if (auto [first, added] = articles.emplace(article.id(), &record);
                 !added &&
                 !google::protobuf::util::MessageDifferencer::Equals(
                     ComparableArticle(article, record.events_size()),
                     ComparableArticle(first->second->article(),
                                       first->second->events_size()))) {
        return ConflictError(field + "article.id", "article", article.id());
      }
    }
    for (int i = 0; i < record.events_size(); ++i) {
      const v1::Event& event = record.events(i);
      if (event.id().empty()) continue;
      const std::string event_field = absl::StrCat(field, "events[", i, "].id");
      if (auto it = event_ids_.find(event.id()); it != event_ids_.end()) {
        NE_RETURN_IF_ERROR(
            CheckSameEvent(it->second, event, article, event_field));
      } else if (auto [first, added] = events.emplace(
                     event.id(), std::make_pair(&event, &article));
                 !added && !google::protobuf::util::MessageDifferencer::Equals(
                               ComparableEvent(event, &article),
                               ComparableEvent(*first->second.first,
                                               first->second.second))) {
        return ConflictError(event_field, "event", event.id());
      }
    }
  }
  return absl::OkStatus();
}

absl::Status EventStore::LoadState() {
  absl::MutexLock write_lock(&write_mu_);
  absl::MutexLock lock(&mu_);
  uint64_t max_seq = 0;
  std::string id;
  auto track_id = [&](absl::flat_hash_map<std::string, uint64_t>& ids,
                      absl::string_view what) {
    return [&ids, what, &id, &max_seq](uint64_t seq, absl::string_view value) {
      if (!ReadIdField(value, &id)) {
        return absl::DataLossError(
            absl::StrCat("corrupt ", what, " record at ", seq));
      }
      if (!id.empty()) ids.emplace(id, seq);
      max_seq = std::max(max_seq, seq);
      return absl::OkStatus();
    };
  };
  NE_RETURN_IF_ERROR(ScanLog(*db_, kEventLog, track_id(event_ids_, "event")));
  NE_RETURN_IF_ERROR(
      ScanLog(*db_, kArticleLog, track_id(article_ids_, "article")));
  NE_RETURN_IF_ERROR(ScanPrefix(
      *db_, kProducer, [&](absl::string_view id, absl::string_view seq) {
        mu_.AssertHeld();  // tells the analysis the lambda runs under `lock`
        uint64_t high = 0;
        if (!coding::DecodeExactBigEndian64(ToStd(seq), &high)) {
          return absl::DataLossError(
              absl::StrCat("corrupt producer sequence for \"", id, "\""));
        }
        producers_[std::string(id)] = high;
        return absl::OkStatus();
      }));
  next_seq_ = max_seq + 1;
  return absl::OkStatus();
}

absl::StatusOr<WriteOutcome> EventStore::WriteRecords(
    absl::string_view producer_id, absl::Span<const v1::ArticleRecord> records,
    absl::Time now) {
  return Write(producer_id, records, now);
}

absl::StatusOr<WriteOutcome> EventStore::WriteAndTakeRecords(
    absl::string_view producer_id, absl::Span<v1::ArticleRecord> records,
    absl::Time now) {
  return Write(producer_id, records, now);
}

template <typename Record>
absl::StatusOr<WriteOutcome> EventStore::Write(absl::string_view producer_id,
                                               absl::Span<Record> records,
                                               absl::Time now) {
  // Taking: defaults are filled in the caller's records, and the new ones
  // are moved into the outcome once durable. Otherwise they are copied.
  constexpr bool kTake = !std::is_const_v<Record>;
  absl::MutexLock write_lock(&write_mu_);
  NE_RETURN_IF_ERROR(CheckConflicts(
      absl::Span<const v1::ArticleRecord>(records.data(), records.size())));
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
  // too. They point into `records`, whose ids are not changed here.
  absl::flat_hash_set<absl::string_view> batch_article_ids, batch_event_ids;
  // With kTake: the new articles and events, in place in `records`.
  std::vector<std::pair<uint64_t, v1::Article*>> taken_articles;
  std::vector<std::pair<uint64_t, v1::Event*>> taken_events;
  rocksdb::WriteBatch batch;
  std::string value;  // reused serialization buffer
  uint64_t high = previous_high;
  for (Record& record : records) {
    high = std::max(high, record.sequence());
    outcome.stored_event_count += record.events_size();
    const v1::Article& article = record.article();
    if (!article.id().empty() && !article_ids_.contains(article.id()) &&
        batch_article_ids.insert(article.id()).second) {
      v1::Article* stored = nullptr;
      if constexpr (kTake) {
        stored = record.mutable_article();
        taken_articles.emplace_back(seq, stored);
      } else {
        stored = &outcome.new_articles.emplace_back(StoredArticle{seq, article})
                      .article;
      }
      if (stored->name().empty())
        stored->set_name(Key("articles/", stored->id()));
      if (stored->event_count() == 0)
        stored->set_event_count(record.events_size());
      stored->SerializeToString(&value);
      batch.Put(Key(kArticleLog, coding::EncodeBigEndian64(seq)), value);
      ++seq;
    }
    for (int i = 0; i < record.events_size(); ++i) {
      const v1::Event& event = record.events(i);
      if (event.id().empty() || event_ids_.contains(event.id()) ||
          !batch_event_ids.insert(event.id()).second) {
        continue;
      }
      v1::Event* e = nullptr;
      if constexpr (kTake) {
        e = record.mutable_events(i);
        taken_events.emplace_back(seq, e);
      } else {
        e = &outcome.new_events.emplace_back(StoredEvent{seq, event}).event;
      }
      if (e->name().empty()) e->set_name(Key("events/", e->id()));
      if (e->article_id().empty()) e->set_article_id(article.id());
      if (e->outlet().empty()) e->set_outlet(article.outlet());
      if (!e->has_published_date() && article.has_published_date()) {
        *e->mutable_published_date() = article.published_date();
      }
      *e->mutable_create_time() = create_time;
      e->SerializeToString(&value);
      batch.Put(Key(kEventLog, coding::EncodeBigEndian64(seq)), value);
      ++seq;
    }
  }
  if (high > previous_high)
    batch.Put(Key(kProducer, producer_id), coding::EncodeBigEndian64(high));
  outcome.acknowledged_sequence = high;
  if (batch.Count() == 0) return outcome;  // all re-delivered: already durable

  absl::Status result;
  if (!Healthy()) {
    // After a failed write RocksDB must be resumed before the next one (its
    // log writer is not reused after an error; Debian's build asserts on
    // it). Busy means its own recovery is running; either way a write that
    // still cannot succeed fails below and keeps the store unhealthy.
    db_->Resume().PermitUncheckedError();
  }
  rocksdb::WriteOptions write_options;
  write_options.sync = options_.sync_writes;
  rocksdb::Status status = db_->Write(write_options, &batch);
  if (!status.ok()) result = absl::UnavailableError(status.ToString());
  if (result.ok()) {
    if constexpr (kTake) {
      outcome.new_articles.reserve(taken_articles.size());
      for (auto& [article_seq, a] : taken_articles)
        outcome.new_articles.push_back(
            StoredArticle{article_seq, std::move(*a)});
      outcome.new_events.reserve(taken_events.size());
      for (auto& [event_seq, e] : taken_events)
        outcome.new_events.push_back(StoredEvent{event_seq, std::move(*e)});
    }
    next_seq_ = seq;
    for (const StoredArticle& a : outcome.new_articles)
      article_ids_.emplace(a.article.id(), a.seq);
    for (const StoredEvent& e : outcome.new_events)
      event_ids_.emplace(e.event.id(), e.seq);
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
  rocksdb::Status status =
      db_->Get(rocksdb::ReadOptions(),
               Key(kArticleLog, coding::EncodeBigEndian64(seq)), &value);
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
  return ScanParsed<StoredEvent, &StoredEvent::event>(*db_, kEventLog, "event",
                                                      visit);
}

absl::Status EventStore::ScanArticles(
    const std::function<void(StoredArticle)>& visit) const {
  return ScanParsed<StoredArticle, &StoredArticle::article>(*db_, kArticleLog,
                                                            "article", visit);
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
