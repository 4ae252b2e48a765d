#ifndef NEWSEVENTS_INGEST_SERVICE_EXTRACT_LEXICONS_H_
#define NEWSEVENTS_INGEST_SERVICE_EXTRACT_LEXICONS_H_

// Every lexicon and pattern rule of the extractor, loaded once from the data
// files of data/extract/ (embedded in the binary; see extract_data.h and
// data/extract/README.md for the file formats).
//
// Errors: Load returns INVALID_ARGUMENT naming the file and line of a
// malformed row, NOT_FOUND for a missing file.
// Thread-safety: immutable after Load; share one instance between threads.

#include <array>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "ingest_service/extract/line_start_screen.h"
#include "ingest_service/extract/phrase_lexicon.h"
#include "newsevents/v1/article.pb.h"
#include "newsevents/v1/event.pb.h"
#include "re2/re2.h"
#include "re2/set.h"

namespace newsevents::extract {

// A word that makes a number a count (count_cues.tsv).
struct CountCue {
  // kToll: like kBefore, but only in a sentence that speaks of a toll
  // earlier on ("the death toll from the riots rose to 18").
  enum class Side { kAfter, kBefore, kToll };
  // kProtesters: people whose noun says they are protesters ("fired tear
  // gas at hundreds of demonstrators" counts a crowd, "at two journalists"
  // does not).
  enum class Target { kPerson, kProperty, kAny, kProtesters };
  v1::QuantityKind kind;
  Side side;
  Target target;
};

// An event trigger and the context it needs (triggers.tsv).
struct TriggerRule {
  v1::EventType type;
  int needs_class = -1;  // index into Lexicons::word_classes, -1 for none
  int window = 0;
  int forbids_class = -1;  // index into Lexicons::word_classes, -1 for none
};

struct ModalityRule {
  v1::Modality modality;
  int window;
};

struct NumberWord {
  enum class Class { kUnit, kTen, kScale };
  int64_t value;
  Class word_class;
};

struct VagueNumber {
  int64_t value;
  v1::Qualifier qualifier;
};

// How a reporting.tsv phrase relates to a source: the speaker stands before
// a verb ("police said") and after an intro ("according to police"); a
// publication word ("released") names no speaker but marks an announcement
// date.
enum class ReportRole { kVerb, kIntro, kPublication };

struct DateWord {
  enum class Class { kMonth, kWeekday, kRelative };
  Class word_class;
  int value;
};

struct BoilerplateRule {
  enum class Match { kPrefix, kLine, kContains, kRegex, kLineRegex };
  v1::BoilerplateKind kind;
  Match match;
  std::string pattern;      // lower case for kPrefix/kLine/kContains
  std::unique_ptr<RE2> re;  // for kRegex/kLineRegex
  // For regex rules: the line (lower case) must contain one of these
  // before the regular expression runs (a cheap prefilter).
  std::vector<std::string> literals;
  // A whole-line match ends the article: the line and all the text after
  // it are boilerplate (a reader-comment section, a related-stories list).
  bool rest = false;
};

// Which of a fixed list of lower-case needles occur in a text, found in
// one pass that looks at a few positions only. Every needle at least
// `shortest` bytes long covers a stretch of shortest - 3 positions where a
// four-byte piece of it starts, so it suffices to sample every
// (shortest - 3)th position and ask a bitmap of hashes of all the needles'
// four-byte pieces; nearly every sample is rejected there, and the rare hit
// is checked against the needles that could span it. (An RE2::Set of the
// same literals costs several times as much per byte; two-byte pieces such
// as "sh" or "ma" are too common in English to reject much.)
class NeedleScreen {
 public:
  // Needles shorter than four bytes are always reported.
  void Add(absl::string_view needle, int id);
  // Sets (*hit)[id] = 1 for every needle that occurs in `text`.
  void Find(absl::string_view text, std::vector<uint8_t>* hit) const;

 private:
  static constexpr size_t kPiece = 4;
  // A 16-bit hash of text[i, i + 4).
  static uint32_t PieceHash(absl::string_view text, size_t i) {
    uint32_t word;
    std::memcpy(&word, text.data() + i, sizeof word);
    return (word * 2654435761u) >> 16;
  }
  static bool Has(const std::vector<uint64_t>& bits, uint32_t hash) {
    return (bits[hash / 64] >> (hash % 64) & 1) != 0;
  }
  // Hashes of each needle's first piece, and of all its pieces.
  std::vector<uint64_t> first_piece_bits_ = std::vector<uint64_t>(65536 / 64);
  std::vector<uint64_t> piece_bits_ = std::vector<uint64_t>(65536 / 64);
  size_t shortest_ = 0;  // length of the shortest needle (of kPiece or more)
  size_t longest_ = 0;
  struct Needle {
    std::string text;
    int id;
  };
  std::vector<Needle> needles_;
  std::vector<int> always_;
};

// The boilerplate rules organised so that a line is checked against all of
// them in about one pass, instead of one scan per rule. Prefix and line
// rules, and regular expressions anchored at the start of the line, share
// one RE2 set, whose automaton stops at the first byte no rule can continue
// with; a LineStartScreen of the same rules (in the same order) spares most
// lines of an article running even that.
// "contains" rules are needles of a NeedleScreen (and apply to short lines
// only). A rule the screen reports is then checked on its own. Unanchored
// regular expressions are not screened: RE2 finds their first byte with
// memchr on its own.
struct BoilerplateScreen {
  std::unique_ptr<RE2::Set> written_at_start;  // on the line as written
  std::vector<int> written_at_start_rule;      // set index -> rule index
  LineStartScreen starts;                      // set index -> bit
  NeedleScreen contains;                       // on the lower-cased line
  std::vector<int> unscreened;                 // rule indexes always checked
};

struct Lexicons {
  // Declared first: every PhraseLexicon below interns its words here.
  Vocabulary vocabulary;
  absl::flat_hash_set<std::string> abbreviations;
  PhraseLexicon number_words{&vocabulary};
  std::vector<NumberWord> number_word_values;
  PhraseLexicon vague_numbers{&vocabulary};
  std::vector<VagueNumber> vague_values;
  PhraseLexicon qualifiers{&vocabulary};
  std::vector<v1::Qualifier> qualifier_values;
  absl::flat_hash_set<std::string> non_count_units;
  PhraseLexicon people{&vocabulary};
  std::vector<v1::Group> people_groups;
  PhraseLexicon property{&vocabulary};
  std::vector<std::string> property_names;
  PhraseLexicon count_cues{&vocabulary};
  std::vector<std::vector<CountCue>> count_cue_values;
  std::vector<std::string> word_class_names;
  std::vector<PhraseLexicon> word_classes;
  PhraseLexicon triggers{&vocabulary};
  std::vector<std::vector<TriggerRule>> trigger_rules;
  PhraseLexicon modality{&vocabulary};
  std::vector<ModalityRule> modality_rules;
  PhraseLexicon reporting{&vocabulary};
  std::vector<ReportRole> reporting_roles;
  absl::flat_hash_set<std::string> speaker_words;
  PhraseLexicon place_before{&vocabulary};
  PhraseLexicon place_after{&vocabulary};
  PhraseLexicon date_words{&vocabulary};
  std::vector<DateWord> date_word_values;
  std::vector<BoilerplateRule> boilerplate;
  BoilerplateScreen boilerplate_screen;

  // The index of a word class by name, or -1.
  int WordClass(absl::string_view name) const;
  // Whether a phrase of word class `cls` starts at tokens[pos] (before end);
  // returns its length in tokens or 0.
  int MatchClass(int cls, const std::vector<Token>& tokens, int pos,
                 int end) const;

  // Loads every file from the embedded data.
  static absl::StatusOr<std::unique_ptr<Lexicons>> Load();
};

}  // namespace newsevents::extract

#endif  // NEWSEVENTS_INGEST_SERVICE_EXTRACT_LEXICONS_H_
