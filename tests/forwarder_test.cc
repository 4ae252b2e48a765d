// End to end delivery in one process: a real Outbox (RocksDB under
// TempDir), the Forwarder, and the real EventSinkServiceImpl on a real gRPC
// server, storing through the query service's real QueryHandler. A
// recording layer counts what reached the store, to check that every
// accepted article arrives and that nothing is dropped before it is stored.
#include "ingest_service/outbox/forwarder.h"

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "ingest_service/outbox/outbox.h"
#include "testing/recording_store.h"
#include "testing/sink_server.h"
#include "query_service/store/query_handler.h"
#include "testing/test_directories.h"

namespace newsevents::forwarder_test {
namespace {

using outbox::DeliveryCounters;
using outbox::ForwarderOptions;
using outbox::Outbox;

using newsevents::query::testing::RecordingStore;
using newsevents::query::testing::SinkServer;

constexpr absl::Duration kTimeout = absl::Seconds(20);

std::string FreshDir(const std::string& name) {
  return newsevents::testing::FreshTestDirectory(
      absl::StrCat("forwarder_", name));
}

newsevents::v1::ArticleRecord Record(int n) {
  newsevents::v1::ArticleRecord record;
  record.mutable_article()->set_id(absl::StrCat("article-", n));
  record.mutable_article()->set_name(absl::StrCat("articles/article-", n));
  record.mutable_article()->set_text(std::string(100 + n % 500, 'x'));
  for (int e = 0; e < 3; ++e) {
    newsevents::v1::Event* event = record.add_events();
    event->set_id(absl::StrCat("event-", n, "-", e));
    event->set_name(absl::StrCat("events/event-", n, "-", e));
  }
  return record;
}

// Polls `condition` until it holds or `timeout` passes (for state that
// offers no notification, such as the outbox's acknowledged mark).
bool Eventually(const std::function<bool()>& condition,
                absl::Duration timeout = kTimeout) {
  absl::Time deadline = absl::Now() + timeout;
  while (!condition()) {
    if (absl::Now() > deadline) return false;
    absl::SleepFor(absl::Milliseconds(2));
  }
  return true;
}

// The store the sink writes to: the real query handler.
class QueryStore {
 public:
  explicit QueryStore(const std::string& dir) {
    query::QueryHandlerOptions options;
    options.data_dir = dir + "/query";
    auto handler = query::QueryHandler::Create(options);
    EXPECT_TRUE(handler.ok()) << handler.status();
    handler_ = std::move(*handler);
    adapter_ = query::NewQueryHandlerBatchStore(handler_.get());
    recording_ = std::make_unique<RecordingStore>(adapter_.get());
  }
  RecordingStore& recording() { return *recording_; }

 private:
  std::unique_ptr<query::QueryHandler> handler_;
  std::unique_ptr<query::BatchStore> adapter_;
  std::unique_ptr<RecordingStore> recording_;
};

// Named after the unit so the tests read Forwarder.<Behaviour>.
class Forwarder : public ::testing::Test {
 protected:
  void OpenOutbox(const std::string& name) {
    dir_ = FreshDir(name);
    auto outbox = Outbox::Open({.path = dir_ + "/outbox"});
    ASSERT_TRUE(outbox.ok()) << outbox.status();
    outbox_ = std::move(*outbox);
    store_ = std::make_unique<QueryStore>(dir_);
  }

  std::unique_ptr<outbox::Forwarder> StartForwarder(
      const std::string& address) {
    ForwarderOptions options;
    options.peer_address = address;
    options.max_batch_records = 64;  // many batches, exercising the window
    options.max_in_flight_batches = 4;
    options.initial_backoff = absl::Milliseconds(10);
    options.max_backoff = absl::Milliseconds(200);
    auto forwarder = outbox::Forwarder::Create(outbox_.get(), options);
    EXPECT_TRUE(forwarder.ok()) << forwarder.status();
    (*forwarder)->Start();
    return std::move(*forwarder);
  }

  void Append(int first, int last) {
    for (int n = first; n <= last; ++n) {
      ASSERT_TRUE(outbox_->Append(Record(n)).ok());
    }
  }

  bool AllAcknowledged() {
    DeliveryCounters counters = outbox_->Counters();
    return counters.depth == 0 && counters.last_acknowledged_sequence ==
                                      counters.last_written_sequence;
  }

  std::string dir_;
  std::unique_ptr<Outbox> outbox_;
  std::unique_ptr<QueryStore> store_;
};

TEST_F(Forwarder, DeliversEverythingToSink) {
  OpenOutbox("delivers");
  SinkServer server(&store_->recording());
  ASSERT_TRUE(server.Start());
  Append(1, 300);
  std::unique_ptr<outbox::Forwarder> forwarder =
      StartForwarder(server.address());
  Append(301, 1000);  // while streaming

  ASSERT_TRUE(store_->recording().WaitForArticles(1000, kTimeout));
  ASSERT_TRUE(Eventually([&] { return AllAcknowledged(); }));
  // One stream normally; a loaded machine may fail the first handshake, and
  // then the retry is the behaviour under test, not a failure.
  if (forwarder->streams_opened() == 1) {
    EXPECT_EQ(store_->recording().redeliveries(), 0);
  }

  newsevents::v1::GetDeliveryStatusResponse status;
  forwarder->FillStatus(&status);
  EXPECT_EQ(status.outbox_depth(), 0);
  EXPECT_EQ(status.last_acknowledged_sequence(), 1000u);
  EXPECT_EQ(status.last_written_sequence(), 1000u);
  EXPECT_TRUE(status.connected());
  EXPECT_EQ(status.peer_address(), server.address());

  forwarder->Shutdown(absl::Now() + absl::Seconds(5));
  EXPECT_FALSE(forwarder->connected());
}

TEST_F(Forwarder, ResendsAfterPeerRestart) {
  OpenOutbox("restart");
  auto server = std::make_unique<SinkServer>(&store_->recording());
  ASSERT_TRUE(server->Start());
  const int port = server->port();
  std::unique_ptr<outbox::Forwarder> forwarder =
      StartForwarder(server->address());
  Append(1, 200);
  ASSERT_TRUE(Eventually([&] { return AllAcknowledged(); }));

  // The next batch is stored but the peer dies before acknowledging it.
  store_->recording().SetStalled(true);
  int started = store_->recording().batches_stored();
  Append(201, 260);
  ASSERT_TRUE(store_->recording().WaitForBatchesStarted(started + 1, kTimeout));
  std::thread killer([&] { server->Kill(); });
  // Let the stalled store finish only after the call is cancelled.
  ASSERT_TRUE(Eventually([&] { return !forwarder->connected(); }));
  store_->recording().SetStalled(false);
  killer.join();
  server.reset();
  EXPECT_EQ(outbox_->Counters().last_acknowledged_sequence, 200u);

  Append(261, 400);  // accepted while the peer is away
  server = std::make_unique<SinkServer>(&store_->recording());
  ASSERT_TRUE(server->Start(port));
  ASSERT_TRUE(store_->recording().WaitForArticles(400, kTimeout));
  ASSERT_TRUE(Eventually([&] { return AllAcknowledged(); }));
  // The unacknowledged batch came again; the store absorbed the duplicates.
  EXPECT_GT(store_->recording().deliveries_of("article-201"), 1);
  EXPECT_EQ(store_->recording().deliveries_of("article-1"), 1);
  EXPECT_GE(forwarder->streams_opened(), 2);
  forwarder->Shutdown(absl::Now() + absl::Seconds(5));
}

TEST_F(Forwarder, QueuesWhilePeerDownThenDelivers) {
  OpenOutbox("queues");
  // Find a free port, then leave it unserved.
  int port = 0;
  {
    SinkServer probe(&store_->recording());
    ASSERT_TRUE(probe.Start());
    port = probe.port();
  }
  std::string address = absl::StrCat("127.0.0.1:", port);
  std::unique_ptr<outbox::Forwarder> forwarder = StartForwarder(address);
  Append(1, 500);
  // Several failed attempts with backoff, nothing lost meanwhile.
  ASSERT_TRUE(Eventually([&] { return forwarder->streams_opened() >= 3; }));
  newsevents::v1::GetDeliveryStatusResponse status;
  forwarder->FillStatus(&status);
  EXPECT_FALSE(status.connected());
  EXPECT_EQ(status.outbox_depth(), 500);
  EXPECT_EQ(status.last_written_sequence(), 500u);
  EXPECT_EQ(status.last_acknowledged_sequence(), 0u);

  SinkServer server(&store_->recording());
  ASSERT_TRUE(server.Start(port));
  ASSERT_TRUE(store_->recording().WaitForArticles(500, kTimeout));
  ASSERT_TRUE(Eventually([&] { return AllAcknowledged(); }));
  EXPECT_TRUE(forwarder->connected());
  forwarder->Shutdown(absl::Now() + absl::Seconds(5));
}

TEST_F(Forwarder, ShutdownReturnsByDeadlineWhenPeerStalls) {
  OpenOutbox("stall");
  SinkServer server(&store_->recording());
  ASSERT_TRUE(server.Start());
  store_->recording().SetStalled(true);
  std::unique_ptr<outbox::Forwarder> forwarder =
      StartForwarder(server.address());
  Append(1, 100);
  ASSERT_TRUE(store_->recording().WaitForBatchesStarted(1, kTimeout));
  absl::Time start = absl::Now();
  forwarder->Shutdown(start + absl::Milliseconds(300));
  EXPECT_LT(absl::Now() - start, absl::Seconds(2));
  store_->recording().SetStalled(false);
  // Nothing was acknowledged, so nothing was dropped.
  EXPECT_EQ(outbox_->Counters().depth, 100);
}

// A store that claims more than it was given, as a confused peer might.
class OverclaimingStore final : public query::BatchStore {
 public:
  explicit OverclaimingStore(query::BatchStore* inner) : inner_(inner) {}
  absl::StatusOr<query::StoredBatch> StoreBatch(
      absl::string_view producer_id,
      absl::Span<newsevents::v1::ArticleRecord> records) override {
    auto stored = inner_->StoreBatch(producer_id, records);
    if (stored.ok()) stored->acknowledged_sequence += 50;
    return stored;
  }

 private:
  query::BatchStore* const inner_;
};

TEST_F(Forwarder, NeverDropsMoreThanItSent) {
  OpenOutbox("overclaim");
  OverclaimingStore overclaiming(&store_->recording());
  SinkServer server(&overclaiming);
  ASSERT_TRUE(server.Start());
  Append(1, 200);
  std::unique_ptr<outbox::Forwarder> forwarder =
      StartForwarder(server.address());
  ASSERT_TRUE(store_->recording().WaitForArticles(200, kTimeout));
  ASSERT_TRUE(Eventually([&] { return AllAcknowledged(); }));
  forwarder->Shutdown(absl::Now() + absl::Seconds(5));
}

TEST_F(Forwarder, ProducerIdIsStableAcrossRestarts) {
  OpenOutbox("producer");
  std::string first = outbox_->producer_id();
  outbox_.reset();
  auto reopened = Outbox::Open({.path = dir_ + "/outbox"});
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ((*reopened)->producer_id(), first);
}

}  // namespace
}  // namespace newsevents::forwarder_test
