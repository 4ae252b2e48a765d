#ifndef NEWSEVENTS_INGEST_SERVICE_EXTRACT_LINE_START_SCREEN_H_
#define NEWSEVENTS_INGEST_SERVICE_EXTRACT_LINE_START_SCREEN_H_

// A cheap pre-check in front of the boilerplate rules' RE2 set (see
// BoilerplateScreen in lexicons.h).
//
// Thread-safety: immutable after the patterns are added; Candidates may be
// called concurrently.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace newsevents::extract {

// Which of a list of patterns, each matched at the start of a line, can
// match a given line, judged from the line's first kBytes bytes and one
// substring every match must contain. Both are derived from the patterns
// themselves, so the screen stays right when the rules change; a pattern
// whose syntax the analysis does not follow is always reported. Most lines
// of an article are told apart from every pattern by their first few bytes
// (or lack a pattern's required " | "), for far less than the cost of
// running an automaton over them.
class LineStartScreen {
 public:
  static constexpr size_t kBytes = 4;

  // Adds a regular expression (RE2 syntax, case-sensitive, UTF-8) matched
  // anchored at the start of the line, and, when `whole_line`, at its end.
  // Returns the pattern's index.
  int AddRegex(absl::string_view pattern, bool whole_line);
  // Adds a (lower-case) literal that the ASCII-lower-cased line starts with
  // or, when `whole_line`, equals. Returns the pattern's index.
  int AddLowerLiteral(absl::string_view literal, bool whole_line);

  // Bit i is set for every pattern i < 63 that may match `line`, bit 63 for
  // any pattern 63 or later that may. A pattern that matches always has its
  // bit set; a bit set does not mean the pattern matches.
  uint64_t Candidates(absl::string_view line) const;

 private:
  // Index 256 stands for "the line has ended".
  using ByteMasks = std::array<uint64_t, 257>;
  uint64_t AddPattern();

  int size_ = 0;
  // Bit b of start_[i][c]: pattern b can match a line whose byte i is c.
  std::array<ByteMasks, kBytes> start_{};
  struct Required {
    std::string text;  // every match contains it, as written
    size_t rare;       // the byte of `text` searched for first
    uint64_t bit;
  };
  std::vector<Required> required_;
};

}  // namespace newsevents::extract

#endif  // NEWSEVENTS_INGEST_SERVICE_EXTRACT_LINE_START_SCREEN_H_
