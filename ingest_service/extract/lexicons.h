#ifndef NEWSEVENTS_INGEST_SERVICE_EXTRACT_LEXICONS_H_
#define NEWSEVENTS_INGEST_SERVICE_EXTRACT_LEXICONS_H_

// Every lexicon and pattern rule of the extractor, loaded once from the data
// files of data/extract/ (embedded in the binary; see extract_data.h and
// data/extract/README.md for the file formats).
//
// Errors: Load returns INVALID_ARGUMENT naming the file and line of a
// malformed row, NOT_FOUND for a missing file.
// Thread-safety: immutable after Load; share one instance between threads.

#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
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
  enum class Target { kPerson, kProperty, kAny };
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

enum class ReportRole { kVerb, kIntro };

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
};

// All boilerplate rules compiled into two RE2 sets, so that one pass over
// a line tells which rules can apply to it (instead of one scan per rule):
// `lower` holds the prefix/line/contains rules, matched against the
// lower-cased line; `as_written` the regular expressions, matched against
// the line itself. A rule reported by a set is then checked on its own.
struct BoilerplateScreen {
  std::unique_ptr<RE2::Set> lower;
  std::unique_ptr<RE2::Set> as_written;
  std::vector<int> lower_rule;       // set pattern index -> rule index
  std::vector<int> as_written_rule;  // set pattern index -> rule index
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
