#include "common/logging.h"

#include <unistd.h>

#include <atomic>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace newsevents {
namespace {

std::atomic<bool> quiet{false};

absl::string_view LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kInfo:
      return "INFO";
    case LogLevel::kWarning:
      return "WARN";
    case LogLevel::kError:
      return "ERROR";
  }
  return "?";
}

}  // namespace

void SetQuietLogging(bool value) { quiet.store(value); }

void LogLine(LogLevel level, absl::string_view component,
             absl::string_view message) {
  if (level == LogLevel::kInfo && quiet.load()) return;
  std::string line =
      absl::StrCat(absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(),
                                    absl::UTCTimeZone()),
                   " ", LevelName(level), " ", component, ": ", message, "\n");
  // A single write keeps lines from different threads whole.
  [[maybe_unused]] ssize_t written =
      ::write(STDERR_FILENO, line.data(), line.size());
}

}  // namespace newsevents
