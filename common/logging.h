#ifndef NEWSEVENTS_COMMON_LOGGING_H_
#define NEWSEVENTS_COMMON_LOGGING_H_

// Minimal structured logging to stderr (Abseil 20220623 has no absl/log).
// One line per call: "<UTC time> <level> <component>: <message>".
// Thread-safe: each line is written with a single write(2).

#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"

namespace newsevents {

enum class LogLevel { kInfo, kWarning, kError };

// Writes one log line. `component` names the module, e.g. "forwarder".
void LogLine(LogLevel level, absl::string_view component,
             absl::string_view message);

// Suppresses kInfo lines (used by tests and the parse command line).
void SetQuietLogging(bool quiet);

template <typename... Args>
void LogInfo(absl::string_view component,
             const absl::FormatSpec<Args...>& format, const Args&... args) {
  LogLine(LogLevel::kInfo, component, absl::StrFormat(format, args...));
}

template <typename... Args>
void LogWarning(absl::string_view component,
                const absl::FormatSpec<Args...>& format, const Args&... args) {
  LogLine(LogLevel::kWarning, component, absl::StrFormat(format, args...));
}

template <typename... Args>
void LogError(absl::string_view component,
              const absl::FormatSpec<Args...>& format, const Args&... args) {
  LogLine(LogLevel::kError, component, absl::StrFormat(format, args...));
}

}  // namespace newsevents

#endif  // NEWSEVENTS_COMMON_LOGGING_H_
