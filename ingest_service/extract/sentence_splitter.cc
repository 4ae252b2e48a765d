#include "ingest_service/extract/sentence_splitter.h"

#include <unicode/brkiter.h>
#include <unicode/utext.h>

#include <algorithm>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "ingest_service/extract/byte_scan.h"

namespace newsevents::extract {
namespace {

// Whether a sentence ending with tokens [.., end_token) stops on an
// abbreviation or an initial rather than a real sentence end.
bool EndsWithAbbreviation(const std::vector<Token>& tokens, int first,
                          int end_token,
                          const absl::flat_hash_set<std::string>& abbrevs) {
  if (end_token - first < 1) return false;
  const Token& last = tokens[end_token - 1];
  if (last.lower.size() > 1 && last.lower.back() == '.') {
    // "u.s." as one token.
    std::string word(last.lower.substr(0, last.lower.size() - 1));
    return abbrevs.contains(word);
  }
  if (last.lower != "." || end_token - first < 2) return false;
  const Token& word = tokens[end_token - 2];
  if (word.end != last.begin) return false;
  if (word.text.size() == 1 && absl::ascii_isupper(word.text[0])) return true;
  return abbrevs.contains(word.lower);
}

// Window around a terminator handed to ICU: enough before it for the rules
// that look back (an upper-case letter before "." in "U.S. Army") and after
// it for those that look ahead (closing quotes and spaces, then the first
// letter that decides, as in ". (see below) the").
constexpr size_t kWindowBefore = 16;
constexpr size_t kWindowAfter = 48;

bool IsTerminator(char c) { return c == '.' || c == '!' || c == '?'; }

// ICU boundaries strictly inside `line`, as offsets from text start, computed
// on the whole line.
void WholeLineBreaks(icu::BreakIterator& it, absl::string_view text,
                     size_t begin, size_t end, std::vector<uint32_t>* breaks) {
  UErrorCode status = U_ZERO_ERROR;
  UText* ut = utext_openUTF8(nullptr, text.data() + begin,
                             static_cast<int64_t>(end - begin), &status);
  if (U_SUCCESS(status)) {
    it.setText(ut, status);
    if (U_SUCCESS(status)) {
      for (int32_t b = it.next(); b != icu::BreakIterator::DONE;
           b = it.next()) {
        if (begin + b < end)
          breaks->push_back(static_cast<uint32_t>(begin + b));
      }
    }
  }
  utext_close(ut);
}

// Closing punctuation that may sit between a terminator and the spaces
// after it (UAX #29 "Close", the ASCII members that survive normalization).
bool IsClose(char c) { return c == '"' || c == '\'' || c == ')' || c == ']'; }

// Opening quotes and brackets that may stand before a sentence's first
// word (UAX #29 "Close" too, but after the spaces).
bool IsOpen(char c) { return c == '"' || c == '\'' || c == '(' || c == '['; }

// The boundary after the terminator run ending at `run_end`, when UAX #29
// decides it without ICU: terminators, closing quotes or brackets, at least
// one space, an optional opening quote or bracket, then an upper-case ASCII
// letter. Rule SB8 (no break before a lower-case word) cannot apply because
// the first letter is upper case, and SB7 ("U.S" with no space) needs no
// space; SB11 breaks after the spaces.
// Returns 0 when the window must go to ICU.
size_t ObviousBreak(absl::string_view text, size_t run_end, size_t end) {
  size_t q = run_end;
  while (q < end && IsClose(text[q])) ++q;
  const size_t spaces_begin = q;
  while (q < end && text[q] == ' ') ++q;
  if (q == spaces_begin || q >= end) return 0;
  const size_t boundary = q;
  if (IsOpen(text[q])) ++q;
  if (q >= end) return 0;
  return absl::ascii_isupper(static_cast<unsigned char>(text[q])) ? boundary
                                                                  : 0;
}

// The same boundaries for an ASCII line, asking ICU only about a window
// around each terminator whose boundary is not obvious.
void WindowedBreaks(icu::BreakIterator& it, absl::string_view text,
                    size_t begin, size_t end, std::vector<uint32_t>* breaks) {
  UText* ut = nullptr;
  size_t p = begin;
  while ((p = FirstTerminator(text, p, end)) < end) {
    size_t run_end = p;
    while (run_end < end && IsTerminator(text[run_end])) ++run_end;
    if (run_end == end) break;  // the line's end is a boundary anyway
    if (const size_t obvious = ObviousBreak(text, run_end, end); obvious > 0) {
      breaks->push_back(static_cast<uint32_t>(obvious));
      p = run_end;
      continue;
    }
    const size_t window_begin = p - std::min(p - begin, kWindowBefore);
    const size_t window_end = std::min(end, run_end + kWindowAfter);
    UErrorCode status = U_ZERO_ERROR;
    ut = utext_openUTF8(ut, text.data() + window_begin,
                        static_cast<int64_t>(window_end - window_begin),
                        &status);
    if (U_SUCCESS(status)) it.setText(ut, status);
    if (U_SUCCESS(status)) {
      const int32_t b =
          it.following(static_cast<int32_t>(run_end - 1 - window_begin));
      // A boundary at the window's cut end is an artefact of the cut, not
      // one of the line.
      if (b != icu::BreakIterator::DONE && window_begin + b < window_end) {
        breaks->push_back(static_cast<uint32_t>(window_begin + b));
      }
    }
    p = run_end;
  }
  utext_close(ut);
}

}  // namespace

SentenceSplitter::SentenceSplitter(
    std::unique_ptr<icu::BreakIterator> prototype, IcuScope scope)
    : prototype_(std::move(prototype)), scope_(scope) {}
SentenceSplitter::~SentenceSplitter() = default;

absl::StatusOr<std::unique_ptr<SentenceSplitter>> SentenceSplitter::Create(
    IcuScope scope) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::BreakIterator> it(
      icu::BreakIterator::createSentenceInstance(icu::Locale::getEnglish(),
                                                 status));
  if (U_FAILURE(status) || it == nullptr) {
    return absl::InternalError(
        absl::StrCat("ICU sentence iterator: ", u_errorName(status)));
  }
  return std::unique_ptr<SentenceSplitter>(
      new SentenceSplitter(std::move(it), scope));
}

void SentenceSplitter::Split(
    absl::string_view text, const std::vector<Token>& tokens,
    const absl::flat_hash_set<std::string>& abbreviations,
    std::vector<Sentence>* out) const {
  // A clone per call cost as much as splitting a short article, so each
  // thread keeps one. Every splitter's prototype is the same English
  // sentence iterator, and a clone holds its own reference to ICU's rule
  // data, so a clone may serve any splitter and outlive the one it came from.
  thread_local std::unique_ptr<icu::BreakIterator> cached;
  if (cached == nullptr) cached.reset(prototype_->clone());
  icu::BreakIterator* const it = cached.get();
  TokenCursor line_cursor(tokens);   // line starts and ends
  TokenCursor break_cursor(tokens);  // boundaries inside lines
  int paragraph = 0;
  std::vector<uint32_t> breaks;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t line_end = text.find('\n', pos);
    if (line_end == absl::string_view::npos) line_end = text.size();
    const int line_first = line_cursor.FirstAtOrAfter(pos);
    const int line_last = line_cursor.FirstAtOrAfter(line_end);
    if (line_first < line_last) {
      breaks.clear();
      const absl::string_view line = text.substr(pos, line_end - pos);
      const bool ascii = FirstNonAscii(line, 0) == line.size();
      if (ascii && scope_ == IcuScope::kTerminatorWindows) {
        WindowedBreaks(*it, text, pos, line_end, &breaks);
      } else {
        WholeLineBreaks(*it, text, pos, line_end, &breaks);
      }
      if (breaks.empty() || breaks.back() != line_end) {
        breaks.push_back(static_cast<uint32_t>(line_end));
      }
      int first = line_first;
      for (uint32_t b : breaks) {
        const int end_token = break_cursor.FirstAtOrAfter(b);
        if (end_token <= first) continue;
        if (b != line_end &&
            EndsWithAbbreviation(tokens, first, end_token, abbreviations)) {
          continue;  // keep accumulating into the same sentence
        }
        Sentence s;
        s.first_token = first;
        s.end_token = std::min(end_token, line_last);
        s.begin = tokens[first].begin;
        s.end = tokens[s.end_token - 1].end;
        s.paragraph = paragraph;
        s.boilerplate = true;
        for (int i = first; i < s.end_token; ++i) {
          if (!tokens[i].Is(kBoilerplate)) {
            s.boilerplate = false;
            break;
          }
        }
        out->push_back(s);
        first = s.end_token;
      }
      ++paragraph;
    }
    pos = line_end + 1;
  }
}

}  // namespace newsevents::extract
