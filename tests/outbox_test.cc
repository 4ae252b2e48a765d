// The outbox's contract: durable, idempotent by article id, ordered, and
// acknowledgements drop exactly what they cover, across reopen.
#include "ingest_service/outbox/outbox.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "testing/disk_faults.h"
#include "testing/test_directories.h"

namespace newsevents::outbox {
namespace {

using newsevents::v1::ArticleRecord;

// An empty directory path (the outbox creates it), removed after the run.
std::string FreshDir(const std::string& name) {
  const std::string path =
      newsevents::testing::FreshTestDirectory(absl::StrCat("outbox_", name));
  std::filesystem::remove_all(path);
  return path;
}

ArticleRecord Record(const std::string& article_id, int events = 1) {
  ArticleRecord record;
  record.mutable_article()->set_id(article_id);
  record.mutable_article()->set_text(absl::StrCat("text of ", article_id));
  for (int i = 0; i < events; ++i) {
    record.add_events()->set_id(absl::StrCat(article_id, "-e", i));
  }
  return record;
}

std::unique_ptr<Outbox> MustOpen(const std::string& path) {
  absl::StatusOr<std::unique_ptr<Outbox>> outbox = Outbox::Open({.path = path});
  EXPECT_TRUE(outbox.ok()) << outbox.status();
  return outbox.ok() ? std::move(*outbox) : nullptr;
}

std::vector<uint64_t> SequencesOf(const std::vector<ArticleRecord>& records) {
  std::vector<uint64_t> sequences;
  for (const ArticleRecord& record : records)
    sequences.push_back(record.sequence());
  return sequences;
}

TEST(Outbox, AppendIsIdempotentByArticleId) {
  std::unique_ptr<Outbox> outbox = MustOpen(FreshDir("idempotent"));
  absl::StatusOr<AppendResult> first = outbox->Append(Record("a1"));
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->sequence, 1u);
  EXPECT_FALSE(first->already_present);

  absl::StatusOr<AppendResult> again = outbox->Append(Record("a1", 3));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->sequence, 1u);
  EXPECT_TRUE(again->already_present);

  // Within one batch too, and still after the original was acknowledged.
  absl::StatusOr<std::vector<AppendResult>> batch =
      outbox->AppendAll({Record("a2"), Record("a2"), Record("a1")});
  ASSERT_TRUE(batch.ok());
  ASSERT_EQ(batch->size(), 3u);
  EXPECT_EQ((*batch)[0].sequence, 2u);
  EXPECT_FALSE((*batch)[0].already_present);
  EXPECT_EQ((*batch)[1].sequence, 2u);
  EXPECT_TRUE((*batch)[1].already_present);
  EXPECT_TRUE((*batch)[2].already_present);

  ASSERT_TRUE(outbox->Acknowledge(2).ok());
  absl::StatusOr<AppendResult> after_ack = outbox->Append(Record("a2"));
  ASSERT_TRUE(after_ack.ok());
  EXPECT_TRUE(after_ack->already_present);
  EXPECT_EQ(outbox->Counters().last_written_sequence, 2u);
  EXPECT_EQ(outbox->Counters().depth, 0);
}

TEST(Outbox, RejectsRecordWithoutArticleId) {
  std::unique_ptr<Outbox> outbox = MustOpen(FreshDir("no_id"));
  absl::StatusOr<AppendResult> result = outbox->Append(ArticleRecord());
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(Outbox, SurvivesReopenWithUnacknowledgedRecords) {
  std::string path = FreshDir("reopen");
  std::string producer_id;
  {
    std::unique_ptr<Outbox> outbox = MustOpen(path);
    producer_id = outbox->producer_id();
    EXPECT_FALSE(producer_id.empty());
    for (int i = 1; i <= 5; ++i) {
      ASSERT_TRUE(outbox->Append(Record(absl::StrCat("a", i), i)).ok());
    }
    ASSERT_TRUE(outbox->Acknowledge(2).ok());
  }
  std::unique_ptr<Outbox> outbox = MustOpen(path);
  EXPECT_EQ(outbox->producer_id(), producer_id);
  DeliveryCounters counters = outbox->Counters();
  EXPECT_EQ(counters.depth, 3);
  EXPECT_EQ(counters.last_acknowledged_sequence, 2u);
  EXPECT_EQ(counters.last_written_sequence, 5u);

  absl::StatusOr<std::vector<ArticleRecord>> records =
      outbox->ReadAfter(0, 100, 1 << 20);
  ASSERT_TRUE(records.ok());
  EXPECT_EQ(SequencesOf(*records), (std::vector<uint64_t>{3, 4, 5}));
  EXPECT_EQ((*records)[2].article().id(), "a5");
  EXPECT_EQ((*records)[2].events_size(), 5);

  // New appends continue the sequence; old ids stay deduplicated.
  absl::StatusOr<AppendResult> next = outbox->Append(Record("a6"));
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(next->sequence, 6u);
  EXPECT_TRUE(outbox->Append(Record("a1"))->already_present);
}

TEST(Outbox, AcknowledgeDropsOnlyAcknowledged) {
  std::unique_ptr<Outbox> outbox = MustOpen(FreshDir("ack"));
  for (int i = 1; i <= 10; ++i) {
    ASSERT_TRUE(outbox->Append(Record(absl::StrCat("a", i))).ok());
  }
  ASSERT_TRUE(outbox->Acknowledge(4).ok());
  ASSERT_TRUE(outbox->Acknowledge(3).ok());  // never moves backwards
  EXPECT_EQ(outbox->Acknowledge(11).code(), absl::StatusCode::kInvalidArgument);

  absl::StatusOr<std::vector<ArticleRecord>> records =
      outbox->ReadAfter(0, 100, 1 << 20);
  ASSERT_TRUE(records.ok());
  EXPECT_EQ(SequencesOf(*records), (std::vector<uint64_t>{5, 6, 7, 8, 9, 10}));
  records = outbox->ReadAfter(7, 2, 1 << 20);
  EXPECT_EQ(SequencesOf(*records), (std::vector<uint64_t>{8, 9}));
  // max_bytes stops a batch but always lets one record through.
  records = outbox->ReadAfter(0, 100, 1);
  EXPECT_EQ(SequencesOf(*records), (std::vector<uint64_t>{5}));

  DeliveryCounters counters = outbox->Counters();
  EXPECT_EQ(counters.depth, 6);
  EXPECT_EQ(counters.last_acknowledged_sequence, 4u);
  EXPECT_GE(counters.oldest_unacknowledged_age, absl::ZeroDuration());

  ASSERT_TRUE(outbox->Acknowledge(10).ok());
  EXPECT_TRUE(outbox->ReadAfter(0, 100, 1 << 20)->empty());
  EXPECT_EQ(outbox->Counters().depth, 0);
  EXPECT_EQ(outbox->Counters().oldest_unacknowledged_age, absl::ZeroDuration());
}

class FakeClock final : public Clock {
 public:
  absl::Time Now() const override { return now.load(); }
  std::atomic<absl::Time> now{absl::FromUnixSeconds(1'700'000'000)};
};

TEST(Outbox, ReportsAgeOfOldestUnacknowledged) {
  FakeClock clock;
  absl::StatusOr<std::unique_ptr<Outbox>> outbox =
      Outbox::Open({.path = FreshDir("age"), .clock = &clock});
  ASSERT_TRUE(outbox.ok());
  ASSERT_TRUE((*outbox)->Append(Record("a1")).ok());
  clock.now = clock.now.load() + absl::Seconds(30);
  ASSERT_TRUE((*outbox)->Append(Record("a2")).ok());
  clock.now = clock.now.load() + absl::Seconds(5);
  EXPECT_EQ((*outbox)->Counters().oldest_unacknowledged_age, absl::Seconds(35));
  ASSERT_TRUE((*outbox)->Acknowledge(1).ok());
  EXPECT_EQ((*outbox)->Counters().oldest_unacknowledged_age, absl::Seconds(5));
}

TEST(Outbox, ConcurrentAppendsGetDistinctContiguousSequences) {
  std::unique_ptr<Outbox> outbox = MustOpen(FreshDir("concurrent"));
  std::atomic<uint64_t> notified{0};
  outbox->SetAppendListener([&](uint64_t last) {
    uint64_t seen = notified.load();
    while (seen < last && !notified.compare_exchange_weak(seen, last)) {
    }
  });
  constexpr int kThreads = 8;
  constexpr int kPerThread = 50;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        // Every id twice across threads: one wins, one is a duplicate.
        std::string id = absl::StrCat("a", (t / 2), "-", i);
        ASSERT_TRUE(outbox->Append(Record(id)).ok());
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  constexpr uint64_t kUnique = kThreads / 2 * kPerThread;
  EXPECT_EQ(outbox->Counters().last_written_sequence, kUnique);
  EXPECT_EQ(notified.load(), kUnique);
  absl::StatusOr<std::vector<ArticleRecord>> records =
      outbox->ReadAfter(0, 10 * kUnique, 1 << 30);
  ASSERT_TRUE(records.ok());
  ASSERT_EQ(records->size(), kUnique);
  for (size_t i = 0; i < records->size(); ++i) {
    EXPECT_EQ((*records)[i].sequence(), i + 1);
  }
}

TEST(Outbox, UnwritableDirectoryGivesClearError) {
  // A path under a regular file fails for everyone (root included, who
  // ignores directory permissions).
  std::string parent = FreshDir("unwritable");
  std::filesystem::create_directories(parent);
  std::string file = parent + "/not_a_directory";
  {
    std::FILE* f = std::fopen(file.c_str(), "w");
    ASSERT_NE(f, nullptr);
    std::fclose(f);
  }
  std::string path = file + "/outbox";
  absl::StatusOr<std::unique_ptr<Outbox>> outbox = Outbox::Open({.path = path});
  ASSERT_FALSE(outbox.ok());
  EXPECT_EQ(outbox.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(outbox.status().message().find(path), absl::string_view::npos)
      << outbox.status();

  if (::geteuid() != 0) {  // permissions only bind non-root users
    std::string locked = parent + "/read_only";
    std::filesystem::create_directories(locked);
    ::chmod(locked.c_str(), 0500);
    outbox = Outbox::Open({.path = locked + "/outbox"});
    EXPECT_EQ(outbox.status().code(), absl::StatusCode::kFailedPrecondition);
    ::chmod(locked.c_str(), 0700);
  }
}

TEST(Outbox, DiskFullIsUnavailableAndLosesNothingDurable) {
  newsevents::testing::DiskFaults disk;
  std::string path = FreshDir("disk_full");
  {
    absl::StatusOr<std::unique_ptr<Outbox>> outbox =
        Outbox::Open({.path = path, .env_for_testing = disk.env()});
    ASSERT_TRUE(outbox.ok()) << outbox.status();
    ASSERT_TRUE((*outbox)->Append(Record("a1")).ok());
    ASSERT_TRUE((*outbox)->Append(Record("a2")).ok());
    ASSERT_TRUE((*outbox)->Acknowledge(1).ok());

    disk.SetFull(true);
    absl::StatusOr<AppendResult> failed = (*outbox)->Append(Record("a3"));
    ASSERT_FALSE(failed.ok());
    EXPECT_EQ(failed.status().code(), absl::StatusCode::kUnavailable);
    EXPECT_NE(failed.status().message().find(path), absl::string_view::npos)
        << failed.status();
    EXPECT_EQ((*outbox)->Counters().last_written_sequence, 2u);

    // Space comes back: a client retrying on UNAVAILABLE gets through once
    // the DB has resumed (RocksDB's own recovery may hold it "busy" for a
    // moment), and the failed record gets the next sequence.
    disk.SetFull(false);
    absl::Time start = absl::Now();
    absl::StatusOr<AppendResult> retried = (*outbox)->Append(Record("a3"));
    while (!retried.ok() && absl::Now() - start < absl::Seconds(30)) {
      absl::SleepFor(absl::Milliseconds(50));
      retried = (*outbox)->Append(Record("a3"));
    }
    ASSERT_TRUE(retried.ok()) << retried.status();
    EXPECT_EQ(retried->sequence, 3u);
    EXPECT_FALSE(retried->already_present);
  }
  std::unique_ptr<Outbox> reopened = MustOpen(path);
  absl::StatusOr<std::vector<ArticleRecord>> records =
      reopened->ReadAfter(0, 10, 1 << 20);
  ASSERT_TRUE(records.ok());
  EXPECT_EQ(SequencesOf(*records), (std::vector<uint64_t>{2, 3}));
  EXPECT_EQ(reopened->Counters().last_acknowledged_sequence, 1u);
}

TEST(Outbox, SecondOpenOfSameDirectoryFails) {
  std::string path = FreshDir("locked");
  std::unique_ptr<Outbox> first = MustOpen(path);
  absl::StatusOr<std::unique_ptr<Outbox>> second = Outbox::Open({.path = path});
  EXPECT_EQ(second.status().code(), absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace newsevents::outbox
