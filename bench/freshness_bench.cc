// Freshness: the time from IngestArticle answering OK to the article's
// events being visible to queries, with both services running as real
// processes (started on port 0 with fresh data directories, as the
// end-to-end tests do) and real gRPC clients.
//
// Articles are sent open-loop at a fixed rate (each at its scheduled time,
// whatever the previous ones took) for a fixed duration. For every article
// whose response lists events, the latency is taken from the moment its OK
// arrives to the moment the query service first shows one of its events
// (an article's events are stored and indexed together, so they become
// visible together):
//
//   BM_FreshnessListEvents/<rate>/<seconds>: a poller asks ListEvents for
//     the articles still pending (filter article_id = "..." OR ..., an
//     indexed lookup), then sleeps 1 ms. This is the definition of
//     "visible in ListEvents"; its poll period adds up to ~1-2 ms.
//   BM_FreshnessWatch/<rate>/<seconds>: the same through one WatchEvents
//     stream opened before the run.
//
// Counters: p50_ms, p90_ms, p99_ms, max_ms; `articles` measured; `missing`
// counts articles not visible 10 s after the run, `failed` the calls that
// failed or gave no events (both should be 0).
//
//   ninja -C build freshness_bench query_service ingest_service
//   build/query_service/sink/freshness_bench
#include <benchmark/benchmark.h>
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "bench/bench_main.h"
#include "newsevents/v1/ingest_service.grpc.pb.h"
#include "newsevents/v1/query_service.grpc.pb.h"
#include "testing/running_services.h"
#include "testing/test_directories.h"

namespace newsevents {
namespace {

using v1::IngestService;
using v1::QueryService;

constexpr const char* kCities[] = {"Lima",  "Nairobi", "Lagos", "Colombo",
                                   "Lyon",  "Isfahan", "Quito", "Dhaka",
                                   "Accra", "Almaty"};
constexpr int kSenders = 8;  // concurrent IngestArticle calls at most
constexpr absl::Duration kDrainTimeout = absl::Seconds(10);

// A distinct article of about 700 bytes with several events per index.
std::string ArticleText(int index) {
  const char* city = kCities[index % std::size(kCities)];
  return absl::StrFormat(
      "Police fire tear gas at protesters in %s\n\n"
      "Police in %s fired tear gas and water cannon on Tuesday to disperse "
      "thousands of protesters angered by a rise in fuel prices, and at least "
      "%d people were killed, the interior ministry said. More than %d people "
      "were arrested and %d were taken to hospital, according to a local "
      "rights group. The government declared a state of emergency in the "
      "capital and deployed troops to guard public buildings. Shops stayed "
      "closed for a second day. Dispatch %d.\n",
      city, city, 2 + index % 40, 50 + index % 900, 5 + index % 70, index);
}

std::unique_ptr<grpc::ClientContext> Context(absl::Duration timeout) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  return context;
}

// What is known about each article: when IngestArticle answered and when
// its events were first seen by the query side. Warm-up articles are
// tracked too (so the observer can be checked) but left out of the figures.
class Tracker {
 public:
  void Acknowledged(const std::string& article_id, absl::Time at,
                    bool measured) {
    absl::MutexLock lock(&mu_);
    Entry& entry = entries_[article_id];
    entry.ok_at = at;
    entry.measured = measured;
    if (entry.seen_at == absl::InfiniteFuture()) pending_.push_back(article_id);
  }
  void Seen(const std::string& article_id, absl::Time at) {
    absl::MutexLock lock(&mu_);
    Entry& entry = entries_[article_id];
    if (entry.seen_at == absl::InfiniteFuture()) entry.seen_at = at;
  }
  bool WasSeen(const std::string& article_id) {
    absl::MutexLock lock(&mu_);
    auto it = entries_.find(article_id);
    return it != entries_.end() && it->second.seen_at != absl::InfiniteFuture();
  }
  // Acknowledged articles not seen yet (pruning the seen ones).
  std::vector<std::string> Pending(bool measured_only = false) {
    absl::MutexLock lock(&mu_);
    std::vector<std::string> still;
    for (const std::string& id : pending_) {
      const Entry& entry = entries_[id];
      if (entry.seen_at == absl::InfiniteFuture()) still.push_back(id);
    }
    pending_ = still;
    if (measured_only) {
      still.erase(std::remove_if(still.begin(), still.end(),
                                 [&](const std::string& id) {
                                   mu_.AssertHeld();
                                   return !entries_[id].measured;
                                 }),
                  still.end());
    }
    return still;
  }
  // Latencies in ms of the measured articles seen; `missing` gets those
  // never seen.
  std::vector<double> Latencies(int* missing) {
    absl::MutexLock lock(&mu_);
    std::vector<double> out;
    *missing = 0;
    for (const auto& [id, entry] : entries_) {
      if (!entry.measured || entry.ok_at == absl::InfiniteFuture()) continue;
      if (entry.seen_at == absl::InfiniteFuture()) {
        ++*missing;
        continue;
      }
      // Visible before the OK reached the client counts as zero.
      out.push_back(std::max(
          0.0, absl::ToDoubleMilliseconds(entry.seen_at - entry.ok_at)));
    }
    std::sort(out.begin(), out.end());
    return out;
  }

 private:
  struct Entry {
    absl::Time ok_at = absl::InfiniteFuture();
    absl::Time seen_at = absl::InfiniteFuture();
    bool measured = false;
  };
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, Entry> entries_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> pending_ ABSL_GUARDED_BY(mu_);
};

// Lists the events of the pending articles until `stop`.
void PollListEvents(QueryService::Stub& query, Tracker& tracker,
                    std::atomic<bool>& stop) {
  while (!stop.load()) {
    std::vector<std::string> pending = tracker.Pending();
    if (!pending.empty()) {
      if (pending.size() > 50) pending.resize(50);
      v1::ListEventsRequest request;
      request.set_filter(absl::StrCat(
          "article_id = ",
          absl::StrJoin(pending, " OR article_id = ",
                        [](std::string* out, const std::string& id) {
                          absl::StrAppend(out, "\"", id, "\"");
                        })));
      request.set_page_size(1000);
      v1::ListEventsResponse response;
      grpc::Status status =
          query.ListEvents(Context(absl::Seconds(5)).get(), request, &response);
      const absl::Time now = absl::Now();
      if (status.ok()) {
        for (const v1::Event& event : response.events())
          tracker.Seen(event.article_id(), now);
      }
    }
    absl::SleepFor(absl::Milliseconds(1));
  }
}

// Ingests article `index`; records its OK time when it has events. Returns
// the article id ("" on failure or when it has no events).
std::string IngestOne(IngestService::Stub& ingest, Tracker& tracker, int index,
                      bool measured) {
  v1::IngestArticleRequest request;
  request.mutable_article()->set_text(ArticleText(index));
  request.mutable_article()->set_outlet("Freshness Wire");
  v1::IngestArticleResponse response;
  grpc::Status status = ingest.IngestArticle(Context(absl::Seconds(30)).get(),
                                             request, &response);
  const absl::Time now = absl::Now();
  if (!status.ok()) {
    fprintf(stderr, "IngestArticle %d failed: %s\n", index,
            status.error_message().c_str());
    return "";
  }
  if (response.events_size() == 0) return "";
  tracker.Acknowledged(response.article().id(), now, measured);
  return response.article().id();
}

double Percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  // Nearest rank.
  size_t rank = static_cast<size_t>(std::ceil(p / 100.0 * sorted.size()));
  return sorted[std::clamp<size_t>(rank, 1, sorted.size()) - 1];
}

enum class Observer { kListEvents, kWatch };

void RunFreshness(benchmark::State& state, Observer observer) {
  const int rate = static_cast<int>(state.range(0));
  const int seconds = static_cast<int>(state.range(1));
  const int articles = rate * seconds;
  for (auto _ : state) {
    testing::RunningServices services;
    absl::Status started = services.Start(absl::StrCat(
        "freshness_", observer == Observer::kWatch ? "watch" : "list"));
    if (!started.ok()) {
      state.SkipWithError(std::string(started.message()).c_str());
      return;
    }
    auto ingest = IngestService::NewStub(services.IngestChannel());
    auto query = QueryService::NewStub(services.QueryChannel());
    Tracker tracker;
    std::atomic<bool> stop{false};
    std::thread observer_thread;
    grpc::ClientContext watch_context;
    if (observer == Observer::kWatch) {
      observer_thread = std::thread([&] {
        auto reader =
            query->WatchEvents(&watch_context, v1::WatchEventsRequest());
        v1::WatchEventsResponse response;
        while (reader->Read(&response))
          tracker.Seen(response.event().article_id(), absl::Now());
        reader->Finish();
      });
    } else {
      observer_thread =
          std::thread([&] { PollListEvents(*query, tracker, stop); });
    }
    // Warm-up: once an article has come through, the forwarder's stream is
    // connected and the watch registered. Articles stored before the watch
    // registered are never seen by it, hence a new one per attempt.
    bool warm = false;
    for (int attempt = 1; attempt <= 20 && !warm; ++attempt) {
      const std::string id =
          IngestOne(*ingest, tracker, -attempt, /*measured=*/false);
      const absl::Time deadline = absl::Now() + absl::Seconds(2);
      while (!id.empty() && !(warm = tracker.WasSeen(id)) &&
             absl::Now() < deadline) {
        absl::SleepFor(absl::Milliseconds(5));
      }
    }
    if (!warm) {
      state.SkipWithError("no warm-up article became visible");
      stop.store(true);
      watch_context.TryCancel();
      observer_thread.join();
      return;
    }

    const absl::Time start = absl::Now();
    const absl::Duration period = absl::Seconds(1) / rate;
    std::atomic<int> next{0};
    std::atomic<int> failures{0};
    std::vector<std::thread> senders;
    for (int s = 0; s < kSenders; ++s) {
      senders.emplace_back([&] {
        for (int i = next.fetch_add(1); i < articles; i = next.fetch_add(1)) {
          absl::SleepFor(start + period * i - absl::Now());
          if (IngestOne(*ingest, tracker, i, /*measured=*/true).empty())
            failures.fetch_add(1);
        }
      });
    }
    for (std::thread& sender : senders) sender.join();
    const absl::Time sent = absl::Now();
    const absl::Time drain_deadline = sent + kDrainTimeout;
    while (!tracker.Pending(/*measured_only=*/true).empty() &&
           absl::Now() < drain_deadline) {
      absl::SleepFor(absl::Milliseconds(10));
    }
    state.SetIterationTime(absl::ToDoubleSeconds(sent - start));
    stop.store(true);
    watch_context.TryCancel();
    observer_thread.join();

    int missing = 0;
    std::vector<double> latencies = tracker.Latencies(&missing);
    state.counters["articles"] = static_cast<double>(latencies.size());
    state.counters["missing"] = missing;
    state.counters["failed"] = failures.load();
    state.counters["p50_ms"] = Percentile(latencies, 50);
    state.counters["p90_ms"] = Percentile(latencies, 90);
    state.counters["p99_ms"] = Percentile(latencies, 99);
    state.counters["max_ms"] = latencies.empty() ? 0 : latencies.back();
    state.counters["sent_per_s"] =
        articles / absl::ToDoubleSeconds(sent - start);
  }
}

void BM_FreshnessListEvents(benchmark::State& state) {
  RunFreshness(state, Observer::kListEvents);
}
void BM_FreshnessWatch(benchmark::State& state) {
  RunFreshness(state, Observer::kWatch);
}
BENCHMARK(BM_FreshnessListEvents)
    ->Args({100, 20})
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kSecond);
BENCHMARK(BM_FreshnessWatch)
    ->Args({100, 20})
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kSecond);

}  // namespace
}  // namespace newsevents

int main(int argc, char** argv) {
  // Where tests/support finds the service binaries (as testing/
  // test_main.cc does for the tests).
  setenv("NEWSEVENTS_BINARY_DIR", NEWSEVENTS_BINARY_DIR_DEFAULT,
         /*overwrite=*/0);
  return newsevents::RunBenchmarksThenRemoveScratch(argc, argv);
}
