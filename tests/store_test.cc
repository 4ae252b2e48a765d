// The durable store: idempotent synced writes, sequence order, producer
// high-water marks, reopen, open errors and health after a failed write.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "query_service/store/event_store.h"
#include "testing/disk_faults.h"
#include "testing/test_directories.h"
#include "testing/test_records.h"

namespace newsevents::query {
namespace {

using testing_records::MakeRecord;

// An empty directory path (the store creates it), removed after the run.
std::string FreshDir(absl::string_view name) {
  const std::string dir =
      newsevents::testing::FreshTestDirectory(absl::StrCat("store_", name));
  std::filesystem::remove_all(dir);
  return dir;
}

std::unique_ptr<EventStore> OpenOrDie(const std::string& dir) {
  absl::StatusOr<std::unique_ptr<EventStore>> store =
      EventStore::Open({.path = dir});
  EXPECT_TRUE(store.ok()) << store.status();
  return store.ok() ? std::move(*store) : nullptr;
}

std::vector<StoredEvent> AllEvents(const EventStore& store) {
  std::vector<StoredEvent> events;
  EXPECT_TRUE(
      store.ScanEvents([&](StoredEvent e) { events.push_back(std::move(e)); })
          .ok());
  return events;
}

TEST(Store, WritesEventsInSequenceOrderWithCreateTime) {
  auto store = OpenOrDie(FreshDir("order"));
  std::vector<v1::ArticleRecord> records = {MakeRecord(1, 2, 1),
                                            MakeRecord(2, 3, 2)};
  absl::StatusOr<WriteOutcome> outcome =
      store->WriteRecords("ingest-1", records, absl::Now());
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  EXPECT_EQ(outcome->acknowledged_sequence, 2u);
  EXPECT_EQ(outcome->stored_event_count, 5);
  EXPECT_EQ(outcome->new_events.size(), 5u);
  EXPECT_EQ(outcome->new_articles.size(), 2u);
  std::vector<StoredEvent> events = AllEvents(*store);
  ASSERT_EQ(events.size(), 5u);
  for (size_t i = 1; i < events.size(); ++i)
    EXPECT_LT(events[i - 1].seq, events[i].seq);
  EXPECT_EQ(events[0].event.id(), "a1-e0");
  EXPECT_TRUE(events[0].event.has_create_time());
}

TEST(Store, RedeliveredRecordCreatesNoDuplicate) {
  auto store = OpenOrDie(FreshDir("redeliver"));
  std::vector<v1::ArticleRecord> records = {MakeRecord(1, 3, 7)};
  ASSERT_TRUE(store->WriteRecords("p", records, absl::Now()).ok());
  std::vector<StoredEvent> before = AllEvents(*store);

  absl::StatusOr<WriteOutcome> again =
      store->WriteRecords("p", records, absl::Now());
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_TRUE(again->new_events.empty());
  EXPECT_TRUE(again->new_articles.empty());
  EXPECT_EQ(again->acknowledged_sequence, 7u);
  EXPECT_EQ(again->stored_event_count,
            3);  // re-delivered events still count as written
  std::vector<StoredEvent> after = AllEvents(*store);
  ASSERT_EQ(after.size(), before.size());
  for (size_t i = 0; i < after.size(); ++i) {
    EXPECT_EQ(after[i].seq, before[i].seq);
    EXPECT_EQ(after[i].event.SerializeAsString(),
              before[i].event.SerializeAsString());
  }
}

TEST(Store, DuplicateWithinOneBatchIsStoredOnce) {
  auto store = OpenOrDie(FreshDir("dup_batch"));
  std::vector<v1::ArticleRecord> records = {MakeRecord(1, 2, 1),
                                            MakeRecord(1, 2, 2)};
  absl::StatusOr<WriteOutcome> outcome =
      store->WriteRecords("p", records, absl::Now());
  ASSERT_TRUE(outcome.ok());
  EXPECT_EQ(outcome->new_events.size(), 2u);
  EXPECT_EQ(AllEvents(*store).size(), 2u);
}

TEST(Store, WriteAndTakeRecordsStoresTheSameWithoutCopying) {
  const std::string dir = FreshDir("take");
  const absl::Time now = absl::Now();
  std::vector<StoredEvent> copied;
  {
    auto store = OpenOrDie(FreshDir("take_copy"));
    std::vector<v1::ArticleRecord> records = {MakeRecord(1, 3, 1)};
    ASSERT_TRUE(store->WriteRecords("p", records, now).ok());
    copied = AllEvents(*store);
  }
  auto store = OpenOrDie(dir);
  std::vector<v1::ArticleRecord> records = {MakeRecord(1, 3, 1),
                                            MakeRecord(1, 3, 2)};
  absl::StatusOr<WriteOutcome> outcome =
      store->WriteAndTakeRecords("p", absl::MakeSpan(records), now);
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  EXPECT_EQ(outcome->acknowledged_sequence, 2u);
  EXPECT_EQ(outcome->stored_event_count, 6);
  ASSERT_EQ(outcome->new_articles.size(), 1u);
  EXPECT_EQ(outcome->new_articles[0].article.id(), "a1");
  EXPECT_EQ(outcome->new_articles[0].article.text(), "Full text of article 1.");
  // What was stored, and what the outcome holds, equals the copying path.
  std::vector<StoredEvent> stored = AllEvents(*store);
  ASSERT_EQ(stored.size(), copied.size());
  ASSERT_EQ(outcome->new_events.size(), copied.size());
  for (size_t i = 0; i < stored.size(); ++i) {
    EXPECT_EQ(stored[i].seq, copied[i].seq);
    EXPECT_EQ(stored[i].event.SerializeAsString(),
              copied[i].event.SerializeAsString());
    EXPECT_EQ(outcome->new_events[i].event.SerializeAsString(),
              copied[i].event.SerializeAsString());
  }
  // Re-delivery through the taking path is recognised too.
  std::vector<v1::ArticleRecord> again = {MakeRecord(1, 3, 3)};
  absl::StatusOr<WriteOutcome> second =
      store->WriteAndTakeRecords("p", absl::MakeSpan(again), now);
  ASSERT_TRUE(second.ok());
  EXPECT_TRUE(second->new_events.empty());
  EXPECT_EQ(AllEvents(*store).size(), 3u);
}

TEST(Store, AcknowledgesPreviousHighWaterMarkWhenHigher) {
  auto store = OpenOrDie(FreshDir("highwater"));
  std::vector<v1::ArticleRecord> late = {MakeRecord(1, 1, 10)};
  ASSERT_TRUE(store->WriteRecords("p", late, absl::Now()).ok());
  std::vector<v1::ArticleRecord> early = {MakeRecord(2, 1, 4)};
  absl::StatusOr<WriteOutcome> outcome =
      store->WriteRecords("p", early, absl::Now());
  ASSERT_TRUE(outcome.ok());
  EXPECT_EQ(outcome->acknowledged_sequence, 10u);
  EXPECT_EQ(store->ProducerSequence("p"), 10u);
  EXPECT_EQ(store->ProducerSequence("other"), 0u);
}

TEST(Store, SurvivesReopen) {
  const std::string dir = FreshDir("reopen");
  uint64_t last_seq = 0;
  {
    auto store = OpenOrDie(dir);
    std::vector<v1::ArticleRecord> records = {MakeRecord(1, 2, 3)};
    ASSERT_TRUE(store->WriteRecords("p", records, absl::Now()).ok());
    last_seq = AllEvents(*store).back().seq;
  }
  auto store = OpenOrDie(dir);
  EXPECT_EQ(store->ProducerSequence("p"), 3u);
  EXPECT_EQ(AllEvents(*store).size(), 2u);
  // Re-delivery after restart is still recognised: the id sets are rebuilt
  // from the ids inside the log records.
  std::vector<v1::ArticleRecord> records = {MakeRecord(1, 2, 3)};
  absl::StatusOr<WriteOutcome> again =
      store->WriteRecords("p", records, absl::Now());
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->new_events.empty());
  EXPECT_TRUE(again->new_articles.empty());
  // New events continue the sequence instead of reusing numbers.
  std::vector<v1::ArticleRecord> more = {MakeRecord(2, 1, 4)};
  absl::StatusOr<WriteOutcome> outcome =
      store->WriteRecords("p", more, absl::Now());
  ASSERT_TRUE(outcome.ok());
  EXPECT_GT(outcome->new_events[0].seq, last_seq);
  absl::StatusOr<v1::Article> article =
      store->ReadArticle(outcome->new_articles[0].seq);
  ASSERT_TRUE(article.ok());
  EXPECT_EQ(article->text(), "Full text of article 2.");
}

TEST(Store, UnwritableDataDirIsAClearError) {
  // A path below a regular file cannot be created, even by root.
  const std::string file = FreshDir("not_a_dir");
  std::ofstream(file) << "x";
  const std::string dir = file + "/db";
  absl::StatusOr<std::unique_ptr<EventStore>> store =
      EventStore::Open({.path = dir});
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StrContains(store.status().message(), dir))
      << store.status();
}

TEST(Store, LockedDataDirIsUnavailable) {
  const std::string dir = FreshDir("locked");
  auto first = OpenOrDie(dir);
  absl::StatusOr<std::unique_ptr<EventStore>> second =
      EventStore::Open({.path = dir});
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), absl::StatusCode::kUnavailable)
      << second.status();
  EXPECT_TRUE(absl::StrContains(second.status().message(), dir))
      << second.status();
}

TEST(Store, UnhealthyAfterFailedWriteUntilReopenedWithRoom) {
  // The write-ahead log fails, as a write would on a full disk. Once there
  // is room, the next write resumes RocksDB (EventStore::Write), but RocksDB
  // may also have given up on its background recovery, which only a reopen
  // clears; so this pins what always holds: the failed write left nothing
  // behind, and a reopen with room is healthy and writable.
  newsevents::testing::DiskFaults disk(".log");
  const std::string path = FreshDir("health");
  std::vector<v1::ArticleRecord> records = {MakeRecord(2, 1, 2)};
  {
    absl::StatusOr<std::unique_ptr<EventStore>> store =
        EventStore::Open({.path = path, .env_for_testing = disk.env()});
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE(
        (*store)->WriteRecords("p", {MakeRecord(1, 1, 1)}, absl::Now()).ok());
    EXPECT_TRUE((*store)->Healthy());
    disk.SetFull(true);
    absl::StatusOr<WriteOutcome> failed =
        (*store)->WriteRecords("p", records, absl::Now());
    EXPECT_EQ(failed.status().code(), absl::StatusCode::kUnavailable);
    EXPECT_FALSE((*store)->Healthy());
    EXPECT_EQ((*store)->ProducerSequence("p"), 1u);
    EXPECT_EQ(AllEvents(**store).size(), 1u);
  }
  disk.SetFull(false);
  absl::StatusOr<std::unique_ptr<EventStore>> reopened =
      EventStore::Open({.path = path, .env_for_testing = disk.env()});
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  EXPECT_TRUE((*reopened)->Healthy());
  EXPECT_EQ((*reopened)->ProducerSequence("p"), 1u);
  absl::StatusOr<WriteOutcome> retried =
      (*reopened)->WriteRecords("p", records, absl::Now());
  ASSERT_TRUE(retried.ok()) << retried.status();
  EXPECT_EQ(retried->new_events.size(), 1u);
  EXPECT_EQ(AllEvents(**reopened).size(), 2u);
}

}  // namespace
}  // namespace newsevents::query
