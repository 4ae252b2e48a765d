// Throughput of the whole extraction pipeline (Extractor::Parse) on a
// synthetic mix of news-like articles written for this benchmark (not the
// evaluation seeds), reported as bytes/second of article text per core.

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "ingest_service/extract/extractor.h"
#include "ingest_service/gazetteer/gazetteer.h"

namespace {

using newsevents::extract::Extractor;

// A mix in the proportions of wire reports: figures, quotes, background.
const char* const kParagraphs[] = {
    "Police in Lima fired tear gas at thousands of demonstrators on Tuesday "
    "night as protests over a rise in fuel prices spread to the south of "
    "Peru, the interior ministry said.",
    "At least 17 people were killed and more than 60 injured in clashes in "
    "Juliaca, according to the ombudsman's office. Nearly 40 of them were "
    "taken to hospital.",
    "Sri Lankan authorities imposed a nationwide curfew after protesters "
    "stormed the prime minister's office in Colombo and set fire to 12 "
    "vehicles, police spokesman Nihal Thalduwa told reporters.",
    "In Tehran, security forces arrested about 200 students, including 15 "
    "minors, the state news agency IRNA reported on Wednesday.",
    "Read also: Ten things to know before you travel this summer",
    "The government announced it would send troops to restore order in Abuja "
    "after gunmen attacked a police station, killing two officers. "
    "Fighting continued into the night.",
    "Between 20 and 30 shops were looted in central Santiago, where a march "
    "drew an estimated 50,000 people, the mayor said. Prosecutors opened "
    "criminal cases against 41 people.",
    "(Photo by Jane Doe/AFP via Getty Images)",
    "French police detained 312 people overnight across France after a third "
    "night of rioting in which 1,350 cars were burned and 234 buildings "
    "damaged, Interior Minister Gerald Darmanin said.",
    "Nigeria's president accepted the resignation of the police chief and "
    "asked neighbouring countries for help, as the death toll rose to 56.",
    // Background paragraphs: most of a real article has no figures.
    "The country has been gripped by a deep economic crisis since the "
    "pandemic, with inflation eroding wages and a shortage of imported "
    "goods, and many young people say they see no future at home.",
    "Analysts said the government had underestimated the anger over the "
    "cost of living. \"People feel that nobody listens to them,\" said a "
    "political scientist at the national university, who asked not to be "
    "named because of the sensitivity of the issue.",
    "The opposition, which boycotted the last election, has called for a "
    "transitional government and new elections within a year, a demand the "
    "ruling party has so far rejected as unconstitutional.",
};

std::string MakeArticle(int seed) {
  std::string text = " date 2023-03-14 ";
  const int n = sizeof(kParagraphs) / sizeof(kParagraphs[0]);
  for (int i = 0; i < 24; ++i) {
    absl::StrAppend(&text, kParagraphs[(seed * 7 + i * 3) % n], "\n\n");
  }
  return text;
}

void BM_Parse(benchmark::State& state) {
  static auto* gazetteer =
      newsevents::gazetteer::Gazetteer::LoadEmbedded()->release();
  static auto* extractor = Extractor::Create(gazetteer)->release();
  std::vector<newsevents::v1::ArticleInput> inputs;
  size_t bytes = 0;
  for (int i = 0; i < 8; ++i) {
    newsevents::v1::ArticleInput input;
    input.set_raw(MakeArticle(i));
    bytes += input.raw().size();
    inputs.push_back(std::move(input));
  }
  size_t events = 0;
  for (auto _ : state) {
    for (const auto& input : inputs) {
      auto response = extractor->Parse(input);
      if (!response.ok()) {
        state.SkipWithError("parse failed");
        return;
      }
      events += response->events_size();
      benchmark::DoNotOptimize(response);
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
  state.counters["events/article"] = benchmark::Counter(
      static_cast<double>(events) / (state.iterations() * inputs.size()));
}
BENCHMARK(BM_Parse)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
