#ifndef NEWSEVENTS_BENCH_BENCH_MAIN_H_
#define NEWSEVENTS_BENCH_BENCH_MAIN_H_

// The body of main() for benchmarks that keep stores on disk: runs the
// registered benchmarks, then removes the scratch directories they created
// with FreshTestDirectory (testing/test_directories.h).

#include "benchmark/benchmark.h"
#include "testing/test_directories.h"

namespace newsevents {

inline int RunBenchmarksThenRemoveScratch(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  testing::RemoveTestDirectories();
  return 0;
}

}  // namespace newsevents

#endif  // NEWSEVENTS_BENCH_BENCH_MAIN_H_
