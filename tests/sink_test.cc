// The query side of delivery: EventSinkServiceImpl over a real gRPC server,
// with a recording BatchStore that can fail and stall on demand.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "query_service/sink/event_sink_service.h"
#include "testing/recording_store.h"
#include "testing/sink_server.h"

namespace newsevents::query {
namespace {

using newsevents::v1::EventSinkService;
using newsevents::v1::StreamEventBatchesRequest;
using newsevents::v1::StreamEventBatchesResponse;
using testing::RecordingStore;
using testing::SinkServer;

constexpr absl::Duration kTimeout = absl::Seconds(10);

StreamEventBatchesRequest Batch(const std::string& producer_id, uint64_t first,
                                uint64_t last) {
  StreamEventBatchesRequest request;
  request.set_producer_id(producer_id);
  for (uint64_t sequence = first; sequence <= last; ++sequence) {
    newsevents::v1::ArticleRecord* record = request.add_records();
    record->set_sequence(sequence);
    record->mutable_article()->set_id(absl::StrCat("article-", sequence));
    record->add_events()->set_id(absl::StrCat("event-", sequence));
  }
  return request;
}

class Sink : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server_.Start());
    stub_ = EventSinkService::NewStub(grpc::CreateChannel(
        server_.address(), grpc::InsecureChannelCredentials()));
  }

  std::unique_ptr<grpc::ClientContext> NewContext() {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(absl::ToChronoTime(absl::Now() + kTimeout));
    return context;
  }

  RecordingStore store_;
  SinkServer server_{&store_};
  std::unique_ptr<EventSinkService::Stub> stub_;
};

TEST_F(Sink, AcknowledgesOnlyStoredBatchesInOrder) {
  auto context = NewContext();
  auto stream = stub_->StreamEventBatches(context.get());
  ASSERT_TRUE(stream->Write(Batch("p1", 1, 3)));
  StreamEventBatchesResponse response;
  ASSERT_TRUE(stream->Read(&response));
  EXPECT_EQ(response.acknowledged_sequence(), 3u);
  EXPECT_EQ(response.stored_event_count(), 3);
  EXPECT_EQ(store_.distinct_articles(), 3u);

  ASSERT_TRUE(stream->Write(Batch("p1", 4, 4)));
  ASSERT_TRUE(stream->Read(&response));
  EXPECT_EQ(response.acknowledged_sequence(), 4u);

  // Half-closing ends the stream OK.
  ASSERT_TRUE(stream->WritesDone());
  EXPECT_FALSE(stream->Read(&response));
  EXPECT_TRUE(stream->Finish().ok());
}

TEST_F(Sink, ReadsAheadWhileStoringAndStoresQueuedBatchesTogether) {
  store_.SetStalled(true);
  auto context = NewContext();
  auto stream = stub_->StreamEventBatches(context.get());
  ASSERT_TRUE(stream->Write(Batch("p1", 1, 1)));
  ASSERT_TRUE(store_.WaitForBatchesStarted(1, kTimeout));
  // Read ahead (and queued) while batch 1 is in the store.
  ASSERT_TRUE(stream->Write(Batch("p1", 2, 2)));
  ASSERT_TRUE(stream->Write(Batch("p1", 3, 4)));
  // Wait until the sink has read both while batch 1 is still stalled.
  const absl::Time deadline = absl::Now() + kTimeout;
  while (server_.service()->batches_received() < 3 && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(5));
  }
  ASSERT_EQ(server_.service()->batches_received(), 3);
  StreamEventBatchesResponse response;
  store_.SetStalled(false);
  do {
    ASSERT_TRUE(stream->Read(&response));
  } while (response.acknowledged_sequence() < 4);
  EXPECT_EQ(response.acknowledged_sequence(), 4u);
  EXPECT_EQ(store_.distinct_articles(), 4u);
  // Batch 1, then batches 2 and 3 in one group commit.
  EXPECT_EQ(store_.batches_stored(), 2);
  ASSERT_TRUE(stream->WritesDone());
  EXPECT_FALSE(stream->Read(&response));
  EXPECT_TRUE(stream->Finish().ok());
}

TEST_F(Sink, RedeliveredBatchIsAcknowledgedAgain) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    auto context = NewContext();
    auto stream = stub_->StreamEventBatches(context.get());
    ASSERT_TRUE(stream->Write(Batch("p1", 1, 2)));
    StreamEventBatchesResponse response;
    ASSERT_TRUE(stream->Read(&response));
    EXPECT_EQ(response.acknowledged_sequence(), 2u);
    stream->WritesDone();
    EXPECT_TRUE(stream->Finish().ok());
  }
  EXPECT_EQ(store_.distinct_articles(), 2u);
  EXPECT_EQ(store_.deliveries_of("article-1"), 2);
}

TEST_F(Sink, EmptyProducerIdIsInvalidArgument) {
  auto context = NewContext();
  auto stream = stub_->StreamEventBatches(context.get());
  stream->Write(Batch("", 1, 1));
  StreamEventBatchesResponse response;
  EXPECT_FALSE(stream->Read(&response));
  grpc::Status status = stream->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("producer_id"), std::string::npos);
  EXPECT_EQ(store_.distinct_articles(), 0u);
}

TEST_F(Sink, DecreasingSequenceIsInvalidArgument) {
  auto context = NewContext();
  auto stream = stub_->StreamEventBatches(context.get());
  ASSERT_TRUE(stream->Write(Batch("p1", 5, 6)));
  StreamEventBatchesResponse response;
  ASSERT_TRUE(stream->Read(&response));
  stream->Write(Batch("p1", 3, 3));
  EXPECT_FALSE(stream->Read(&response));
  EXPECT_EQ(stream->Finish().error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(Sink, StoreErrorEndsStreamUnavailableWithoutAcknowledging) {
  store_.SetFailure(absl::InternalError("disk on fire"));
  auto context = NewContext();
  auto stream = stub_->StreamEventBatches(context.get());
  stream->Write(Batch("p1", 1, 2));
  StreamEventBatchesResponse response;
  EXPECT_FALSE(stream->Read(&response));
  grpc::Status status = stream->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_NE(status.error_message().find("disk on fire"), std::string::npos);
}

TEST_F(Sink, ShutdownFinishesAfterTheBatchBeingStored) {
  store_.SetStalled(true);
  auto context = NewContext();
  auto stream = stub_->StreamEventBatches(context.get());
  ASSERT_TRUE(stream->Write(Batch("p1", 1, 3)));
  ASSERT_TRUE(store_.WaitForBatchesStarted(1, kTimeout));
  server_.service()->BeginShutdown();
  store_.SetStalled(false);
  // The batch in the store is still acknowledged, then the stream ends OK.
  StreamEventBatchesResponse response;
  ASSERT_TRUE(stream->Read(&response));
  EXPECT_EQ(response.acknowledged_sequence(), 3u);
  EXPECT_FALSE(stream->Read(&response));
  EXPECT_TRUE(stream->Finish().ok());

  // New streams are refused while shutting down.
  auto late_context = NewContext();
  auto late = stub_->StreamEventBatches(late_context.get());
  EXPECT_FALSE(late->Read(&response));
  EXPECT_EQ(late->Finish().error_code(), grpc::StatusCode::UNAVAILABLE);
}

TEST_F(Sink, ShutdownFinishesIdleStreamOk) {
  auto context = NewContext();
  auto stream = stub_->StreamEventBatches(context.get());
  // Wait for the stream to be accepted (initial metadata is sent at once).
  stream->WaitForInitialMetadata();
  server_.service()->BeginShutdown();
  StreamEventBatchesResponse response;
  EXPECT_FALSE(stream->Read(&response));
  EXPECT_TRUE(stream->Finish().ok());
}

}  // namespace
}  // namespace newsevents::query
