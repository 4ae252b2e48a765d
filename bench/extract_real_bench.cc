// Extraction on real text: Extractor::Parse over a directory of real news
// articles (*.txt), by default the shared dev set (../shared/eval/dev beside
// the checkout), else the project's own data/samples. Reports what the
// extraction issue's floors are stated in:
//
//   BM_ParseRealArticles   bytes/s of article text per core, and the slowest
//                          single article's CPU time (max_article_cpu_ms)
//   BM_ParseLargeArticle   one article of about 4 MB made of the same texts;
//                          peak_rss_mb is the process's peak resident memory
//                          after it (it runs last, so the peak is its own or
//                          an earlier, smaller one's)
//
//   extract_real_bench [--benchmark_min_time=3] [corpus_dir]
//   NEWSEVENTS_BENCH_CORPUS=dir extract_real_bench

#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "benchmark/benchmark.h"
#include "ingest_service/extract/extractor.h"
#include "ingest_service/gazetteer/gazetteer.h"

namespace {

using newsevents::extract::Extractor;

std::string g_corpus_dir;  // set in main()

std::vector<std::string> LoadTexts(const std::string& dir) {
  std::vector<std::filesystem::path> paths;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == ".txt") paths.push_back(entry.path());
  }
  std::sort(paths.begin(), paths.end());
  std::vector<std::string> texts;
  for (const auto& path : paths) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    texts.push_back(buffer.str());
  }
  return texts;
}

const std::vector<std::string>& Texts() {
  static const auto* texts =
      new std::vector<std::string>(LoadTexts(g_corpus_dir));
  return *texts;
}

const Extractor& TheExtractor() {
  static auto* gazetteer =
      newsevents::gazetteer::Gazetteer::LoadEmbedded()->release();
  static auto* extractor = Extractor::Create(gazetteer)->release();
  return *extractor;
}

// CPU time of this thread, so a busy machine does not inflate the slowest
// article's figure.
absl::Duration ThreadCpuTime() {
  timespec now;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return absl::DurationFromTimespec(now);
}

double PeakRssMb() {
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024.0;  // ru_maxrss is in KiB on Linux
}

void BM_ParseRealArticles(benchmark::State& state) {
  const Extractor& extractor = TheExtractor();
  std::vector<newsevents::v1::ArticleInput> inputs;
  size_t bytes = 0;
  for (const std::string& text : Texts()) {
    inputs.emplace_back().set_raw(text);
    bytes += text.size();
  }
  if (inputs.empty()) {
    state.SkipWithError("no *.txt in the corpus directory");
    return;
  }
  absl::Duration slowest;
  for (auto _ : state) {
    for (const auto& input : inputs) {
      const absl::Duration start = ThreadCpuTime();
      auto response = extractor.Parse(input);
      slowest = std::max(slowest, ThreadCpuTime() - start);
      if (!response.ok()) {
        state.SkipWithError("parse failed");
        return;
      }
      benchmark::DoNotOptimize(response);
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
  state.counters["articles"] = static_cast<double>(inputs.size());
  state.counters["max_article_cpu_ms"] = absl::ToDoubleMilliseconds(slowest);
}
BENCHMARK(BM_ParseRealArticles)->Unit(benchmark::kMillisecond);

void BM_ParseLargeArticle(benchmark::State& state) {
  const Extractor& extractor = TheExtractor();
  newsevents::v1::ArticleInput input;
  std::string* raw = input.mutable_raw();
  // Just under the extractor's default max_article_bytes (4 MiB).
  constexpr size_t kTargetBytes = (4 << 20) - (64 << 10);
  while (raw->size() < kTargetBytes && !Texts().empty()) {
    for (const std::string& text : Texts()) {
      if (raw->size() + text.size() + 2 > kTargetBytes) break;
      raw->append(text).append("\n\n");
    }
    if (raw->size() + Texts().front().size() + 2 > kTargetBytes) break;
  }
  for (auto _ : state) {
    auto response = extractor.Parse(input);
    if (!response.ok()) {
      state.SkipWithError(std::string(response.status().message()).c_str());
      return;
    }
    benchmark::DoNotOptimize(response);
  }
  state.SetBytesProcessed(
      static_cast<int64_t>(state.iterations() * raw->size()));
  state.counters["article_mb"] = raw->size() / 1048576.0;
  state.counters["peak_rss_mb"] = PeakRssMb();
}
BENCHMARK(BM_ParseLargeArticle)->Unit(benchmark::kMillisecond)->Iterations(3);

std::string DefaultCorpus() {
  if (const char* dir = std::getenv("NEWSEVENTS_BENCH_CORPUS")) return dir;
  const std::filesystem::path source = NEWSEVENTS_SOURCE_DIR;
  const std::filesystem::path dev = source / ".." / "shared" / "eval" / "dev";
  if (std::filesystem::is_directory(dev)) return dev.string();
  return (source / "data" / "samples").string();
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  g_corpus_dir = argc > 1 ? argv[1] : DefaultCorpus();
  std::cerr << "corpus: " << g_corpus_dir << " (" << Texts().size()
            << " articles)\n";
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
