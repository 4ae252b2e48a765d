// Delivery throughput: events per second from the ingest outbox to the
// query store, with durable (fsynced) writes on both sides, through the
// real Forwarder, a real gRPC server with EventSinkServiceImpl and the
// query service's QueryHandler.
//
//   BM_DeliverBacklog: a backlog of articles already in the outbox is
//     drained; time is from forwarder start to the last acknowledgement.
//   BM_IngestAndDeliver: concurrent appenders (as IngestArticle calls
//     would) and the forwarder run together; time is until everything
//     appended is acknowledged.
//   BM_OutboxAppend: synced appends from N threads (group commit).
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "bench/bench_main.h"
#include "common/logging.h"
#include "ingest_service/outbox/forwarder.h"
#include "ingest_service/outbox/outbox.h"
#include "query_service/sink/batch_store.h"
#include "testing/sink_server.h"
#include "query_service/store/query_handler.h"
#include "testing/test_directories.h"

namespace newsevents {
namespace {

constexpr int kEventsPerArticle = 5;

std::string FreshDir(const std::string& name) {
  return testing::FreshTestDirectory(absl::StrCat("delivery_bench_", name));
}

// A record shaped like the extractor's output: a short article and a few
// events with locations, quantities and evidence spans.
v1::ArticleRecord MakeRecord(int run, int n) {
  v1::ArticleRecord record;
  v1::Article* article = record.mutable_article();
  std::string id = absl::StrCat("r", run, "-a", n);
  article->set_id(id);
  article->set_name(absl::StrCat("articles/", id));
  article->set_title(absl::StrCat("Protesters gather in city ", n % 97));
  article->set_outlet("bench-news");
  article->set_text(std::string(1200, 'x'));
  for (int e = 0; e < kEventsPerArticle; ++e) {
    v1::Event* event = record.add_events();
    std::string event_id = absl::StrCat(id, "-e", e);
    event->set_id(event_id);
    event->set_name(absl::StrCat("events/", event_id));
    event->set_article_id(id);
    event->set_type(static_cast<v1::EventType>(1 + (n + e) % 11));
    event->mutable_location()->set_name(absl::StrCat("City ", (n + e) % 500));
    event->mutable_location()->set_country_code("KZ");
    event->set_confidence(0.8f);
    event->mutable_evidence()->set_start(e * 100);
    event->mutable_evidence()->set_end(e * 100 + 80);
  }
  return record;
}

// Outbox + query store + sink server, all durable, in fresh directories.
struct Pipeline {
  explicit Pipeline(const std::string& name) {
    std::string dir = FreshDir(name);
    outbox = std::move(*outbox::Outbox::Open({.path = dir + "/outbox"}));
    query::QueryHandlerOptions options;
    options.data_dir = dir + "/query";
    handler = std::move(*query::QueryHandler::Create(options));
    store = query::NewQueryHandlerBatchStore(handler.get());
    server = std::make_unique<query::testing::SinkServer>(store.get());
    server->Start();
  }

  std::unique_ptr<outbox::Forwarder> StartForwarder(
      size_t batch_records = 256) {
    outbox::ForwarderOptions options;
    options.peer_address = server->address();
    options.max_batch_records = batch_records;
    options.max_batch_bytes = batch_records * 4096;
    auto forwarder =
        std::move(*outbox::Forwarder::Create(outbox.get(), options));
    forwarder->Start();
    return forwarder;
  }

  void WaitAllAcknowledged() {
    while (outbox->Counters().depth > 0)
      absl::SleepFor(absl::Microseconds(200));
  }

  std::unique_ptr<outbox::Outbox> outbox;
  std::unique_ptr<query::QueryHandler> handler;
  std::unique_ptr<query::BatchStore> store;
  std::unique_ptr<query::testing::SinkServer> server;
};

void BM_DeliverBacklog(benchmark::State& state) {
  SetQuietLogging(true);
  const int articles = static_cast<int>(state.range(0));
  const size_t batch_records = static_cast<size_t>(state.range(1));
  Pipeline pipeline("backlog");
  int run = 0;
  int64_t events = 0;
  for (auto _ : state) {
    ++run;
    std::vector<v1::ArticleRecord> records;
    for (int n = 0; n < articles; ++n) records.push_back(MakeRecord(run, n));
    // Large synced groups fill the backlog quickly; not what is measured.
    for (size_t i = 0; i < records.size(); i += 1000) {
      std::vector<v1::ArticleRecord> chunk(
          records.begin() + i,
          records.begin() + std::min(records.size(), i + 1000));
      (void)pipeline.outbox->AppendAll(std::move(chunk));
    }
    absl::Time start = absl::Now();
    auto forwarder = pipeline.StartForwarder(batch_records);
    pipeline.WaitAllAcknowledged();
    state.SetIterationTime(absl::ToDoubleSeconds(absl::Now() - start));
    forwarder->Shutdown(absl::Now() + absl::Seconds(5));
    events += int64_t{articles} * kEventsPerArticle;
  }
  state.counters["events_per_s"] = benchmark::Counter(
      static_cast<double>(events), benchmark::Counter::kIsRate);
  state.counters["articles_per_s"] =
      benchmark::Counter(static_cast<double>(events / kEventsPerArticle),
                         benchmark::Counter::kIsRate);
}
BENCHMARK(BM_DeliverBacklog)
    ->Args({20000, 256})
    ->Args({20000, 1024})
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3);

// The query store alone, batches as the forwarder would send them: the
// ceiling the delivery path can reach on this machine.
void BM_QueryStoreOnly(benchmark::State& state) {
  SetQuietLogging(true);
  const int batch_records = static_cast<int>(state.range(0));
  Pipeline pipeline("store_only");
  int run = 0;
  uint64_t sequence = 0;
  int64_t events = 0;
  for (auto _ : state) {
    state.PauseTiming();
    ++run;
    std::vector<v1::ArticleRecord> batch;
    for (int n = 0; n < batch_records; ++n) {
      batch.push_back(MakeRecord(run, n));
      batch.back().set_sequence(++sequence);
    }
    state.ResumeTiming();
    auto stored = pipeline.store->StoreBatch("bench", absl::MakeSpan(batch));
    benchmark::DoNotOptimize(stored);
    events += int64_t{batch_records} * kEventsPerArticle;
  }
  state.counters["events_per_s"] = benchmark::Counter(
      static_cast<double>(events), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_QueryStoreOnly)
    ->Arg(256)
    ->Arg(1024)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

void BM_IngestAndDeliver(benchmark::State& state) {
  SetQuietLogging(true);
  const int appenders = static_cast<int>(state.range(0));
  const int per_appender = 20000 / appenders;
  Pipeline pipeline("ingest");
  auto forwarder = pipeline.StartForwarder();
  int run = 0;
  int64_t events = 0;
  for (auto _ : state) {
    ++run;
    absl::Time start = absl::Now();
    std::vector<std::thread> threads;
    for (int t = 0; t < appenders; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < per_appender; ++i) {
          (void)pipeline.outbox->Append(MakeRecord(run, t * per_appender + i));
        }
      });
    }
    for (std::thread& thread : threads) thread.join();
    pipeline.WaitAllAcknowledged();
    state.SetIterationTime(absl::ToDoubleSeconds(absl::Now() - start));
    events += int64_t{appenders} * per_appender * kEventsPerArticle;
  }
  forwarder->Shutdown(absl::Now() + absl::Seconds(5));
  state.counters["events_per_s"] = benchmark::Counter(
      static_cast<double>(events), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_IngestAndDeliver)
    ->Arg(16)
    ->Arg(64)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond)
    ->Iterations(2);

void BM_OutboxAppend(benchmark::State& state) {
  static std::unique_ptr<outbox::Outbox> shared;
  static std::atomic<int> next{0};
  static int runs = 0;
  if (state.thread_index() == 0) {
    shared.reset();  // releases the previous run's DB lock
    shared = std::move(*outbox::Outbox::Open(
        {.path = FreshDir(absl::StrCat("append", ++runs)) + "/outbox"}));
  }
  // Google Benchmark syncs threads before the timed loop.
  for (auto _ : state) {
    auto result = shared->Append(MakeRecord(0, next.fetch_add(1)));
    benchmark::DoNotOptimize(result);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_OutboxAppend)->Threads(1)->Threads(16)->Threads(64)->UseRealTime();

}  // namespace
}  // namespace newsevents

int main(int argc, char** argv) {
  return newsevents::RunBenchmarksThenRemoveScratch(argc, argv);
}
