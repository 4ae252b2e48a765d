// Query-side throughput: synced StoreRecords batches, ListEvents with an
// indexed filter against the same result found by a full scan, rebuilding
// the indexes at open, and per-event filter evaluation.
//
//   build/query_service/store/query_bench --benchmark_min_time=2
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/logging.h"
#include "query_service/store/query_handler.h"
#include "testing/test_records.h"

namespace newsevents::query {
namespace {

using testing_records::AddQuantity;
using testing_records::MakeArticle;
using testing_records::MakeDate;
using testing_records::MakeEvent;

constexpr int kRecordsPerBatch = 100;
constexpr int kEventsPerRecord = 5;
constexpr int kCorpusEvents = 100000;

const char* const kCountries[] = {"KZ", "KG", "UZ", "RU", "FR", "US", "BR",
                                  "IN", "NG", "ZA", "CL", "IR", "IQ", "LB",
                                  "SD", "MM", "TH", "GE", "AM", "BY"};
const char* const kOutlets[] = {
    "Reuters", "AP",         "AFP",    "BBC", "Al Jazeera",
    "TASS",    "Eurasianet", "RFE/RL", "DW",  "Kazinform"};
const char* const kWords[] = {
    "police",     "fired",     "tear",     "gas",       "protesters",
    "gathered",   "square",    "city",     "hall",      "officials",
    "said",       "clashes",   "erupted",  "after",     "prices",
    "rose",       "fuel",      "crowd",    "thousands", "marched",
    "government", "building",  "stormed",  "troops",    "deployed",
    "curfew",     "declared",  "internet", "shut",      "arrested",
    "detained",   "injured",   "killed",   "hospital",  "ministry",
    "interior",   "spokesman", "reported", "witnesses", "gunfire",
    "overnight"};

std::string DataDir(absl::string_view name) {
  return absl::StrCat("/tmp/query_bench_", name, "_", getpid());
}

// A deterministic pseudo-random record: article `n` with kEventsPerRecord
// events.
v1::ArticleRecord SyntheticRecord(int n, std::mt19937& rng) {
  v1::ArticleRecord record;
  *record.mutable_article() =
      MakeArticle(n, kOutlets[rng() % std::size(kOutlets)]);
  record.mutable_article()->set_text(std::string(2000, 'x'));
  record.set_sequence(n + 1);
  for (int k = 0; k < kEventsPerRecord; ++k) {
    v1::Event e = MakeEvent(record.article(), k,
                            static_cast<v1::EventType>(1 + rng() % 11));
    e.mutable_location()->set_country_code(
        kCountries[rng() % std::size(kCountries)]);
    e.mutable_location()->set_name(absl::StrCat("City ", rng() % 500));
    e.mutable_location()->set_geoname_id(0);
    *e.mutable_date() =
        MakeDate(2020 + rng() % 3, 1 + rng() % 12, 1 + rng() % 28);
    std::string text;
    for (int w = 0; w < 20; ++w)
      absl::StrAppend(&text, kWords[rng() % std::size(kWords)], " ");
    e.mutable_evidence()->set_text(text);
    e.set_confidence(static_cast<float>(rng() % 100) / 100.0f);
    if (rng() % 2) {
      AddQuantity(e, static_cast<v1::QuantityKind>(1 + rng() % 6),
                  1 + rng() % 300, static_cast<v1::Group>(rng() % 4));
    }
    *record.add_events() = std::move(e);
  }
  return record;
}

std::vector<v1::ArticleRecord> SyntheticBatch(int first, std::mt19937& rng) {
  std::vector<v1::ArticleRecord> batch;
  for (int n = first; n < first + kRecordsPerBatch; ++n)
    batch.push_back(SyntheticRecord(n, rng));
  return batch;
}

std::unique_ptr<QueryHandler> OpenHandler(const std::string& dir, bool sync) {
  QueryHandlerOptions options;
  options.data_dir = dir;
  options.sync_writes = sync;
  auto handler = QueryHandler::Create(options);
  if (!handler.ok()) {
    fprintf(stderr, "open %s: %s\n", dir.c_str(),
            handler.status().ToString().c_str());
    abort();
  }
  return std::move(*handler);
}

void BM_StoreRecordsSynced(benchmark::State& state) {
  const std::string dir = DataDir("store");
  std::filesystem::remove_all(dir);
  auto handler = OpenHandler(dir, /*sync=*/true);
  std::mt19937 rng(1);
  int next = 0;
  int64_t events = 0;
  for (auto _ : state) {
    state.PauseTiming();
    std::vector<v1::ArticleRecord> batch = SyntheticBatch(next, rng);
    next += kRecordsPerBatch;
    state.ResumeTiming();
    auto result = handler->StoreRecords("bench", batch);
    if (!result.ok())
      state.SkipWithError(std::string(result.status().message()).c_str());
    events += result->stored_event_count;
  }
  state.SetItemsProcessed(events);
  state.counters["events/s"] = benchmark::Counter(static_cast<double>(events),
                                                  benchmark::Counter::kIsRate);
  handler.reset();
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_StoreRecordsSynced)->Unit(benchmark::kMillisecond)->UseRealTime();

// The 100k-event corpus, stored once (unsynced, to build it quickly).
QueryHandler& Corpus() {
  static QueryHandler* handler = [] {
    const std::string dir = DataDir("corpus");
    std::filesystem::remove_all(dir);
    auto h = OpenHandler(dir, /*sync=*/false);
    std::mt19937 rng(7);
    for (int n = 0; n < kCorpusEvents / kEventsPerRecord;
         n += kRecordsPerBatch) {
      if (!h->StoreRecords("bench", SyntheticBatch(n, rng)).ok()) abort();
    }
    return h.release();
  }();
  return *handler;
}

void ListWithFilter(benchmark::State& state, const char* filter) {
  QueryHandler& handler = Corpus();
  v1::ListEventsRequest request;
  request.set_filter(filter);
  request.set_page_size(50);
  int total = 0;
  for (auto _ : state) {
    auto response = handler.ListEvents(request);
    if (!response.ok())
      state.SkipWithError(std::string(response.status().message()).c_str());
    total = response->total_size();
    benchmark::DoNotOptimize(response);
  }
  state.counters["matches"] = total;
}

// The same events selected through indexes and through a predicate the
// planner cannot use (NOT of a negation), which forces a scan of all 100k.
void BM_ListEventsIndexedCountry(benchmark::State& state) {
  ListWithFilter(state, "location.country_code = KG AND type = RIOT");
}
void BM_ListEventsScanCountry(benchmark::State& state) {
  ListWithFilter(state, "NOT location.country_code != KG AND NOT type != RIOT");
}
void BM_ListEventsIndexedText(benchmark::State& state) {
  ListWithFilter(state,
                 "evidence.text:\"tear gas\" AND evidence.text:curfew AND date "
                 ">= 2022-06-01");
}
void BM_ListEventsScanText(benchmark::State& state) {
  ListWithFilter(state,
                 "NOT (NOT evidence.text:\"tear gas\") AND NOT (NOT "
                 "evidence.text:curfew) AND NOT date < 2022-06-01");
}
void BM_ListEventsNoFilter(benchmark::State& state) {
  ListWithFilter(state, "");
}
BENCHMARK(BM_ListEventsIndexedCountry)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_ListEventsScanCountry)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_ListEventsIndexedText)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_ListEventsScanText)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_ListEventsNoFilter)->Unit(benchmark::kMicrosecond);

void BM_AggregateByTypeAndCountry(benchmark::State& state) {
  QueryHandler& handler = Corpus();
  v1::AggregateEventsRequest request;
  request.add_group_by("type");
  request.add_group_by("location.country_code");
  for (auto _ : state)
    benchmark::DoNotOptimize(handler.AggregateEvents(request));
}
BENCHMARK(BM_AggregateByTypeAndCountry)->Unit(benchmark::kMillisecond);

// Reopening the corpus: RocksDB open plus rebuilding every index and claim.
void BM_RebuildIndexesAtOpen(benchmark::State& state) {
  Corpus();  // make sure it exists; a second handler on it would hit the lock
  const std::string dir = DataDir("corpus_copy");
  std::filesystem::remove_all(dir);
  {
    auto h = OpenHandler(dir, false);
    std::mt19937 rng(7);
    for (int n = 0; n < kCorpusEvents / kEventsPerRecord;
         n += kRecordsPerBatch) {
      if (!h->StoreRecords("bench", SyntheticBatch(n, rng)).ok()) abort();
    }
  }
  for (auto _ : state) {
    auto handler = OpenHandler(dir, false);
    benchmark::DoNotOptimize(handler);
  }
  state.counters["events"] = kCorpusEvents;
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_RebuildIndexesAtOpen)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(2);

}  // namespace
}  // namespace newsevents::query

int main(int argc, char** argv) {
  newsevents::SetQuietLogging(true);
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  std::filesystem::remove_all(newsevents::query::DataDir("corpus"));
  return 0;
}
