#include "ingest_service/extract/boilerplate.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"

namespace newsevents::extract {
namespace {

constexpr size_t kMaxMarkerLine = 400;

re2::StringPiece Piece(absl::string_view s) {
  return re2::StringPiece(s.data(), s.size());
}

// Which rules can apply to a line, by rule index (see BoilerplateScreen).
// When the set cannot answer (its automaton ran out of memory), all its
// rules are candidates, so the screen can cost time, never results.
void ScreenLine(absl::string_view line, absl::string_view line_lower,
                const Lexicons& lexicons, std::vector<uint8_t>* candidate,
                std::vector<int>* scratch) {
  const BoilerplateScreen& screen = lexicons.boilerplate_screen;
  candidate->assign(lexicons.boilerplate.size(), 0);
  scratch->clear();
  // Nearly every line of an article is told apart from all the rules by
  // its first bytes, for less than the set's automaton costs.
  if (screen.starts.Candidates(line) != 0) {
    RE2::Set::ErrorInfo error{RE2::Set::kNoError};
    // Asked without a list of rules, the set stops at the first match and
    // allocates nothing.
    const bool any =
        screen.written_at_start->Match(Piece(line), nullptr, &error);
    if (any && screen.written_at_start->Match(Piece(line), scratch, &error)) {
      for (int i : *scratch) (*candidate)[screen.written_at_start_rule[i]] = 1;
    } else if (error.kind != RE2::Set::kNoError) {
      for (int rule : screen.written_at_start_rule) (*candidate)[rule] = 1;
    }
  }
  // Share lines, embeds and contact lines are short; a long line is a
  // paragraph of the article.
  if (line.size() <= kMaxMarkerLine) {
    screen.contains.Find(line_lower, candidate);
  }
  for (int rule : screen.unscreened) (*candidate)[rule] = 1;
}

// Rules for one line [begin, end) of the text (already trimmed). Returns
// whether a rule ending the article matched it.
bool MatchLine(absl::string_view text, absl::string_view lower, uint32_t begin,
               uint32_t end, const Lexicons& lexicons,
               std::vector<BoilerplateRange>* out,
               std::vector<uint8_t>* candidate, std::vector<int>* scratch) {
  const absl::string_view line = text.substr(begin, end - begin);
  const absl::string_view line_lower = lower.substr(begin, end - begin);
  const size_t first_of_line = out->size();
  ScreenLine(line, line_lower, lexicons, candidate, scratch);
  for (size_t r = 0; r < lexicons.boilerplate.size(); ++r) {
    if (!(*candidate)[r]) continue;
    const BoilerplateRule& rule = lexicons.boilerplate[r];
    if (!rule.literals.empty()) {
      bool any = false;
      for (const std::string& literal : rule.literals) {
        if (absl::StrContains(line_lower, literal)) any = true;
      }
      if (!any) continue;
    }
    bool whole = false;
    switch (rule.match) {
      case BoilerplateRule::Match::kPrefix:
        whole = absl::StartsWith(line_lower, rule.pattern);
        break;
      case BoilerplateRule::Match::kLine:
        whole = line_lower == rule.pattern;
        break;
      case BoilerplateRule::Match::kContains:
        whole = line.size() <= kMaxMarkerLine &&
                absl::StrContains(line_lower, rule.pattern);
        break;
      case BoilerplateRule::Match::kLineRegex:
        whole = RE2::FullMatch(Piece(line), *rule.re);
        break;
      case BoilerplateRule::Match::kRegex: {
        re2::StringPiece input = Piece(line);
        size_t pos = 0;
        re2::StringPiece match;
        while (pos <= line.size() &&
               rule.re->Match(input, pos, line.size(), RE2::UNANCHORED, &match,
                              1)) {
          const size_t at = match.data() - line.data();
          if (match.empty()) break;
          out->push_back({{begin + static_cast<uint32_t>(at),
                           begin + static_cast<uint32_t>(at + match.size())},
                          rule.kind});
          pos = at + match.size();
        }
        break;
      }
    }
    if (whole) {
      // The whole line: drop the partial spans found so far on this line.
      out->resize(first_of_line);
      out->push_back(
          {{begin, rule.rest ? static_cast<uint32_t>(text.size()) : end},
           rule.kind});
      return rule.rest;
    }
  }
  return false;
}

}  // namespace

void FindBoilerplate(absl::string_view text, absl::string_view lower,
                     const Lexicons& lexicons,
                     std::vector<BoilerplateRange>* out) {
  const size_t start = out->size();
  std::vector<uint8_t> candidate;
  std::vector<int> scratch;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t line_end = text.find('\n', pos);
    if (line_end == absl::string_view::npos) line_end = text.size();
    size_t b = pos;
    size_t e = line_end;
    // The " date YYYY-MM-DD" header keeps its leading space for its rule.
    while (b < e && absl::ascii_isspace(static_cast<unsigned char>(text[b])) &&
           !(b == 0 && absl::StartsWith(text, " date "))) {
      ++b;
    }
    while (e > b &&
           absl::ascii_isspace(static_cast<unsigned char>(text[e - 1]))) {
      --e;
    }
    if (e > b && MatchLine(text, lower, static_cast<uint32_t>(b),
                           static_cast<uint32_t>(e), lexicons, out, &candidate,
                           &scratch)) {
      break;  // the rest of the text is not the article
    }
    pos = line_end + 1;
  }
  std::sort(out->begin() + start, out->end(),
            [](const BoilerplateRange& a, const BoilerplateRange& b) {
              return a.range.begin < b.range.begin;
            });
  // Merge overlaps (keep the first kind).
  std::vector<BoilerplateRange> merged;
  for (auto it = out->begin() + start; it != out->end(); ++it) {
    if (!merged.empty() && it->range.begin < merged.back().range.end) {
      merged.back().range.end =
          std::max(merged.back().range.end, it->range.end);
    } else {
      merged.push_back(*it);
    }
  }
  out->resize(start);
  out->insert(out->end(), merged.begin(), merged.end());
}

}  // namespace newsevents::extract
