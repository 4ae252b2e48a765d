// Benchmarks of the gazetteer: how long LoadEmbedded takes (paid once per
// process start) and how fast PlaceFinder scans news text (paid per byte of
// every article; the extraction pipeline targets >= 20 MB/s per core).

#include <memory>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "ingest_service/gazetteer/gazetteer.h"
#include "ingest_service/gazetteer/place_finder.h"

namespace newsevents::gazetteer {
namespace {

// News-like English with places, demonyms, possessives, sentence-initial
// capitals and some non-ASCII, repeated to about 64 KiB.
std::string NewsText() {
  static constexpr const char* kParagraph =
      "Two months after the January riots that rocked Kazakhstan, the "
      "Prosecutor General said the unrest had claimed 230 lives. Protests "
      "broke out in a number of Kazakh cities, starting in the oil town of "
      "Zhanaozen, before spreading to Almaty and the capital Nur-Sultan. "
      "Police said on Sunday that 3,500 officers were injured. Kazakhstan’s "
      "president blamed foreign-trained terrorists; Russian troops arrived "
      "from Moscow under the CSTO banner. Residents of Öskemen and "
      "Taldykorgan reported calm. Meanwhile, in Lima and Puno, Peruvian "
      "police clashed with protesters on the road to Juliaca.\n\n";
  std::string text;
  while (text.size() < 64 * 1024) text += kParagraph;
  return text;
}

void BM_LoadEmbedded(benchmark::State& state) {
  for (auto _ : state) {
    auto gazetteer = Gazetteer::LoadEmbedded();
    if (!gazetteer.ok()) {
      state.SkipWithError(gazetteer.status().ToString().c_str());
      return;
    }
    benchmark::DoNotOptimize(gazetteer->get());
  }
}
BENCHMARK(BM_LoadEmbedded)->Unit(benchmark::kMillisecond)->Iterations(5);

void BM_FindPlaces(benchmark::State& state) {
  auto gazetteer = Gazetteer::LoadEmbedded();
  if (!gazetteer.ok()) {
    state.SkipWithError(gazetteer.status().ToString().c_str());
    return;
  }
  PlaceFinder finder(gazetteer->get());
  const std::string text = NewsText();
  const std::vector<std::string> hints = {"KZ"};
  for (auto _ : state) {
    auto mentions = finder.Find(text, hints);
    benchmark::DoNotOptimize(mentions.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(text.size()));
}
BENCHMARK(BM_FindPlaces)->Unit(benchmark::kMicrosecond);

void BM_FoldName(benchmark::State& state) {
  const std::vector<std::string> names = {"Nur-Sultan", "Kazakhstan’s",
                                          "Öskemen", "Rio de Janeiro"};
  for (auto _ : state) {
    for (const std::string& name : names) {
      benchmark::DoNotOptimize(FoldName(name));
    }
  }
}
BENCHMARK(BM_FoldName);

}  // namespace
}  // namespace newsevents::gazetteer

BENCHMARK_MAIN();
