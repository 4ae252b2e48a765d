#include "ingest_service/extract/lexicons.h"

#include <algorithm>
#include <cstring>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/status_macros.h"
#include "ingest_service/extract/extract_data.h"

namespace newsevents::extract {

absl::StatusOr<absl::string_view> ExtractDataFile(absl::string_view name) {
  for (const EmbeddedFile& file : EmbeddedExtractData()) {
    if (file.name == name) return file.content;
  }
  return absl::NotFoundError(
      absl::StrCat("extract data file ", name, " is not embedded"));
}

namespace {

using Rows = std::vector<std::vector<std::string>>;

absl::StatusOr<Rows> Rows_(absl::string_view file, int min_columns) {
  NE_ASSIGN_OR_RETURN(absl::string_view content, ExtractDataFile(file));
  return ReadTsv(file, content, min_columns);
}

absl::Status BadValue(absl::string_view file, absl::string_view value) {
  return absl::InvalidArgumentError(
      absl::StrCat(file, ": unknown value \"", value, "\""));
}

absl::StatusOr<int64_t> ParseInt(absl::string_view file,
                                 absl::string_view text) {
  int64_t value;
  if (!absl::SimpleAtoi(text, &value)) return BadValue(file, text);
  return value;
}

template <typename Enum, typename ParseFn>
absl::StatusOr<Enum> ParseEnum(absl::string_view file, absl::string_view prefix,
                               absl::string_view name, ParseFn parse) {
  Enum value;
  if (!parse(absl::StrCat(prefix, name), &value)) return BadValue(file, name);
  return value;
}

// Adds `phrase` to `lexicon`, reusing the payload id of an equal phrase so
// that one phrase can carry several values. Returns the payload id.
int AddShared(PhraseLexicon* lexicon, absl::string_view phrase, int next_id) {
  const std::string key = AsciiLower(phrase);
  std::vector<Token> tokens;
  Tokenize(key, key, &tokens);
  std::string joined;
  for (const Token& t : tokens) {
    if (!joined.empty()) joined.push_back(' ');
    joined.append(t.lower.data(), t.lower.size());
  }
  const int existing = lexicon->Find(joined);
  if (existing >= 0) return existing;
  lexicon->Add(phrase, next_id);
  return next_id;
}

absl::Status LoadWordSet(absl::string_view file,
                         absl::flat_hash_set<std::string>* out) {
  NE_ASSIGN_OR_RETURN(Rows rows, Rows_(file, 1));
  for (const auto& row : rows) out->insert(AsciiLower(row[0]));
  return absl::OkStatus();
}

absl::Status LoadCountCues(Lexicons* lex) {
  constexpr absl::string_view kFile = "count_cues.tsv";
  NE_ASSIGN_OR_RETURN(Rows rows, Rows_(kFile, 4));
  for (const auto& row : rows) {
    CountCue cue;
    NE_ASSIGN_OR_RETURN(
        cue.kind, (ParseEnum<v1::QuantityKind>(kFile, "QUANTITY_KIND_", row[1],
                                               v1::QuantityKind_Parse)));
    if (row[2] == "after") {
      cue.side = CountCue::Side::kAfter;
    } else if (row[2] == "before") {
      cue.side = CountCue::Side::kBefore;
    } else if (row[2] == "toll") {
      cue.side = CountCue::Side::kToll;
    } else {
      return BadValue(kFile, row[2]);
    }
    if (row[3] == "person") {
      cue.target = CountCue::Target::kPerson;
    } else if (row[3] == "property") {
      cue.target = CountCue::Target::kProperty;
    } else if (row[3] == "any") {
      cue.target = CountCue::Target::kAny;
    } else if (row[3] == "protesters") {
      cue.target = CountCue::Target::kProtesters;
    } else {
      return BadValue(kFile, row[3]);
    }
    const int id = AddShared(&lex->count_cues, row[0],
                             static_cast<int>(lex->count_cue_values.size()));
    if (id == static_cast<int>(lex->count_cue_values.size())) {
      lex->count_cue_values.emplace_back();
    }
    lex->count_cue_values[id].push_back(cue);
  }
  return absl::OkStatus();
}

absl::Status LoadWordClasses(Lexicons* lex) {
  NE_ASSIGN_OR_RETURN(Rows rows, Rows_("word_classes.tsv", 2));
  for (const auto& row : rows) {
    int cls = lex->WordClass(row[0]);
    if (cls < 0) {
      cls = static_cast<int>(lex->word_class_names.size());
      lex->word_class_names.push_back(row[0]);
      lex->word_classes.emplace_back(&lex->vocabulary);
    }
    lex->word_classes[cls].Add(row[1], 0);
  }
  return absl::OkStatus();
}

absl::Status LoadTriggers(Lexicons* lex) {
  constexpr absl::string_view kFile = "triggers.tsv";
  NE_ASSIGN_OR_RETURN(Rows rows, Rows_(kFile, 5));
  for (const auto& row : rows) {
    TriggerRule rule;
    NE_ASSIGN_OR_RETURN(rule.type,
                        (ParseEnum<v1::EventType>(kFile, "EVENT_TYPE_", row[0],
                                                  v1::EventType_Parse)));
    if (row[2] != "-") {
      rule.needs_class = lex->WordClass(row[2]);
      if (rule.needs_class < 0) return BadValue(kFile, row[2]);
    }
    NE_ASSIGN_OR_RETURN(int64_t window, ParseInt(kFile, row[3]));
    rule.window = static_cast<int>(window);
    if (row[4] != "-") {
      rule.forbids_class = lex->WordClass(row[4]);
      if (rule.forbids_class < 0) return BadValue(kFile, row[4]);
    }
    const int id = AddShared(&lex->triggers, row[1],
                             static_cast<int>(lex->trigger_rules.size()));
    if (id == static_cast<int>(lex->trigger_rules.size())) {
      lex->trigger_rules.emplace_back();
    }
    lex->trigger_rules[id].push_back(rule);
  }
  return absl::OkStatus();
}

absl::Status LoadNumbers(Lexicons* lex) {
  {
    constexpr absl::string_view kFile = "number_words.tsv";
    NE_ASSIGN_OR_RETURN(Rows rows, Rows_(kFile, 3));
    for (const auto& row : rows) {
      NumberWord word;
      NE_ASSIGN_OR_RETURN(word.value, ParseInt(kFile, row[1]));
      if (row[2] == "unit") {
        word.word_class = NumberWord::Class::kUnit;
      } else if (row[2] == "ten") {
        word.word_class = NumberWord::Class::kTen;
      } else if (row[2] == "scale") {
        word.word_class = NumberWord::Class::kScale;
      } else {
        return BadValue(kFile, row[2]);
      }
      lex->number_words.Add(row[0],
                            static_cast<int>(lex->number_word_values.size()));
      lex->number_word_values.push_back(word);
    }
  }
  {
    constexpr absl::string_view kFile = "vague_numbers.tsv";
    NE_ASSIGN_OR_RETURN(Rows rows, Rows_(kFile, 3));
    for (const auto& row : rows) {
      VagueNumber vague;
      NE_ASSIGN_OR_RETURN(vague.value, ParseInt(kFile, row[1]));
      NE_ASSIGN_OR_RETURN(vague.qualifier,
                          (ParseEnum<v1::Qualifier>(kFile, "QUALIFIER_", row[2],
                                                    v1::Qualifier_Parse)));
      lex->vague_numbers.Add(row[0],
                             static_cast<int>(lex->vague_values.size()));
      lex->vague_values.push_back(vague);
    }
  }
  {
    constexpr absl::string_view kFile = "qualifiers.tsv";
    NE_ASSIGN_OR_RETURN(Rows rows, Rows_(kFile, 2));
    for (const auto& row : rows) {
      NE_ASSIGN_OR_RETURN(v1::Qualifier q,
                          (ParseEnum<v1::Qualifier>(kFile, "QUALIFIER_", row[1],
                                                    v1::Qualifier_Parse)));
      lex->qualifiers.Add(row[0],
                          static_cast<int>(lex->qualifier_values.size()));
      lex->qualifier_values.push_back(q);
    }
  }
  return LoadWordSet("non_count_units.txt", &lex->non_count_units);
}

absl::Status LoadNouns(Lexicons* lex) {
  constexpr absl::string_view kFile = "people_nouns.tsv";
  NE_ASSIGN_OR_RETURN(Rows rows, Rows_(kFile, 2));
  for (const auto& row : rows) {
    NE_ASSIGN_OR_RETURN(
        v1::Group group,
        (ParseEnum<v1::Group>(kFile, "GROUP_", row[1], v1::Group_Parse)));
    lex->people.Add(row[0], static_cast<int>(lex->people_groups.size()));
    lex->people_groups.push_back(group);
  }
  NE_ASSIGN_OR_RETURN(Rows property, Rows_("property_nouns.txt", 1));
  for (const auto& row : property) {
    lex->property.Add(row[0], static_cast<int>(lex->property_names.size()));
    lex->property_names.push_back(AsciiLower(row[0]));
  }
  return absl::OkStatus();
}

absl::Status LoadContextRules(Lexicons* lex) {
  {
    constexpr absl::string_view kFile = "modality.tsv";
    NE_ASSIGN_OR_RETURN(Rows rows, Rows_(kFile, 3));
    for (const auto& row : rows) {
      ModalityRule rule;
      NE_ASSIGN_OR_RETURN(rule.modality,
                          (ParseEnum<v1::Modality>(kFile, "MODALITY_", row[1],
                                                   v1::Modality_Parse)));
      NE_ASSIGN_OR_RETURN(int64_t window, ParseInt(kFile, row[2]));
      rule.window = static_cast<int>(window);
      lex->modality.Add(row[0], static_cast<int>(lex->modality_rules.size()));
      lex->modality_rules.push_back(rule);
    }
  }
  {
    constexpr absl::string_view kFile = "reporting.tsv";
    NE_ASSIGN_OR_RETURN(Rows rows, Rows_(kFile, 2));
    for (const auto& row : rows) {
      ReportRole role;
      if (row[1] == "verb") {
        role = ReportRole::kVerb;
      } else if (row[1] == "intro") {
        role = ReportRole::kIntro;
      } else if (row[1] == "publication") {
        role = ReportRole::kPublication;
      } else {
        return BadValue(kFile, row[1]);
      }
      lex->reporting.Add(row[0], static_cast<int>(lex->reporting_roles.size()));
      lex->reporting_roles.push_back(role);
    }
  }
  NE_RETURN_IF_ERROR(LoadWordSet("speaker_words.txt", &lex->speaker_words));
  {
    constexpr absl::string_view kFile = "place_context.tsv";
    NE_ASSIGN_OR_RETURN(Rows rows, Rows_(kFile, 2));
    for (const auto& row : rows) {
      if (row[0] == "before") {
        lex->place_before.Add(row[1], 0);
      } else if (row[0] == "after") {
        lex->place_after.Add(row[1], 0);
      } else {
        return BadValue(kFile, row[0]);
      }
    }
  }
  {
    constexpr absl::string_view kFile = "date_words.tsv";
    NE_ASSIGN_OR_RETURN(Rows rows, Rows_(kFile, 3));
    for (const auto& row : rows) {
      DateWord word;
      if (row[1] == "MONTH") {
        word.word_class = DateWord::Class::kMonth;
      } else if (row[1] == "WEEKDAY") {
        word.word_class = DateWord::Class::kWeekday;
      } else if (row[1] == "RELATIVE") {
        word.word_class = DateWord::Class::kRelative;
      } else {
        return BadValue(kFile, row[1]);
      }
      NE_ASSIGN_OR_RETURN(int64_t value, ParseInt(kFile, row[2]));
      word.value = static_cast<int>(value);
      lex->date_words.Add(row[0],
                          static_cast<int>(lex->date_word_values.size()));
      lex->date_word_values.push_back(word);
    }
  }
  return absl::OkStatus();
}

// See BoilerplateScreen. Each screened rule becomes one pattern whose match
// is necessary (not sufficient) for the rule to apply.
absl::Status BuildBoilerplateScreen(const std::vector<BoilerplateRule>& rules,
                                    BoilerplateScreen* screen) {
  RE2::Options options;
  options.set_log_errors(false);
  // The combined automaton of all rules is larger than one RE2's default.
  options.set_max_mem(32 << 20);
  screen->written_at_start =
      std::make_unique<RE2::Set>(options, RE2::ANCHOR_START);
  for (size_t i = 0; i < rules.size(); ++i) {
    const BoilerplateRule& rule = rules[i];
    const int id = static_cast<int>(i);
    std::string pattern;
    switch (rule.match) {
      // The rule compares the ASCII-lower-cased line; case-insensitively,
      // the set sees at least every line the rule would take.
      case BoilerplateRule::Match::kPrefix:
        pattern = absl::StrCat("(?i:", RE2::QuoteMeta(rule.pattern), ")");
        screen->starts.AddLowerLiteral(rule.pattern, /*whole_line=*/false);
        break;
      case BoilerplateRule::Match::kLine:
        pattern = absl::StrCat("(?i:", RE2::QuoteMeta(rule.pattern), ")$");
        screen->starts.AddLowerLiteral(rule.pattern, /*whole_line=*/true);
        break;
      case BoilerplateRule::Match::kContains:
        screen->contains.Add(rule.pattern, id);
        continue;
      case BoilerplateRule::Match::kRegex:
        if (!absl::StartsWith(rule.pattern, "^")) {
          screen->unscreened.push_back(id);
          continue;
        }
        pattern = rule.pattern;
        screen->starts.AddRegex(rule.pattern, /*whole_line=*/false);
        break;
      case BoilerplateRule::Match::kLineRegex:
        pattern = absl::StrCat("(?:", rule.pattern, ")$");
        screen->starts.AddRegex(rule.pattern, /*whole_line=*/true);
        break;
    }
    std::string error;
    if (screen->written_at_start->Add(pattern, &error) < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("boilerplate.tsv: rule ", rule.pattern,
                       " does not compile: ", error));
    }
    screen->written_at_start_rule.push_back(id);
  }
  if (!screen->written_at_start->Compile()) {
    return absl::ResourceExhaustedError(
        "boilerplate.tsv: the rules do not fit in RE2's memory budget");
  }
  return absl::OkStatus();
}

absl::Status LoadBoilerplate(Lexicons* lex) {
  constexpr absl::string_view kFile = "boilerplate.tsv";
  NE_ASSIGN_OR_RETURN(Rows rows, Rows_(kFile, 3));
  for (const auto& row : rows) {
    BoilerplateRule rule;
    NE_ASSIGN_OR_RETURN(rule.kind, (ParseEnum<v1::BoilerplateKind>(
                                       kFile, "BOILERPLATE_KIND_", row[0],
                                       v1::BoilerplateKind_Parse)));
    absl::string_view how = row[1];
    rule.rest = absl::ConsumeSuffix(&how, "+rest");
    if (how == "prefix") {
      rule.match = BoilerplateRule::Match::kPrefix;
    } else if (how == "line") {
      rule.match = BoilerplateRule::Match::kLine;
    } else if (how == "contains") {
      rule.match = BoilerplateRule::Match::kContains;
    } else if (how == "regex") {
      rule.match = BoilerplateRule::Match::kRegex;
    } else if (how == "lineregex") {
      rule.match = BoilerplateRule::Match::kLineRegex;
    } else {
      return BadValue(kFile, row[1]);
    }
    if (rule.rest && rule.match == BoilerplateRule::Match::kRegex) {
      return BadValue(kFile, row[1]);  // a rest rule must match a whole line
    }
    if (rule.match == BoilerplateRule::Match::kRegex ||
        rule.match == BoilerplateRule::Match::kLineRegex) {
      rule.pattern = row[2];
      if (row.size() > 3 && !row[3].empty()) {
        rule.literals = absl::StrSplit(AsciiLower(row[3]), '|');
      }
      rule.re = std::make_unique<RE2>(rule.pattern, RE2::Quiet);
      if (!rule.re->ok()) {
        return absl::InvalidArgumentError(
            absl::StrCat(kFile, ": bad regular expression ", row[2], ": ",
                         rule.re->error()));
      }
    } else {
      rule.pattern = AsciiLower(row[2]);
    }
    lex->boilerplate.push_back(std::move(rule));
  }
  return BuildBoilerplateScreen(lex->boilerplate, &lex->boilerplate_screen);
}

}  // namespace

void NeedleScreen::Add(absl::string_view needle, int id) {
  if (needle.size() < kPiece) {
    always_.push_back(id);
    return;
  }
  const uint32_t first = PieceHash(needle, 0);
  first_piece_bits_[first / 64] |= uint64_t{1} << (first % 64);
  for (size_t i = 0; i + kPiece <= needle.size(); ++i) {
    const uint32_t hash = PieceHash(needle, i);
    piece_bits_[hash / 64] |= uint64_t{1} << (hash % 64);
  }
  shortest_ =
      needles_.empty() ? needle.size() : std::min(shortest_, needle.size());
  longest_ = std::max(longest_, needle.size());
  needles_.push_back({std::string(needle), id});
}

void NeedleScreen::Find(absl::string_view text,
                        std::vector<uint8_t>* hit) const {
  for (int id : always_) (*hit)[id] = 1;
  if (needles_.empty()) return;
  const size_t step = shortest_ - kPiece + 1;
  size_t checked_until = 0;  // needle starts below this are checked
  for (size_t sample = 0; sample + kPiece <= text.size(); sample += step) {
    if (!Has(piece_bits_, PieceHash(text, sample))) continue;
    // A needle through this piece starts at most longest_ - kPiece before.
    const size_t from = std::max(
        checked_until,
        sample >= longest_ - kPiece ? sample - (longest_ - kPiece) : size_t{0});
    for (size_t start = from; start <= sample && start + kPiece <= text.size();
         ++start) {
      if (!Has(first_piece_bits_, PieceHash(text, start))) continue;
      const absl::string_view rest = text.substr(start);
      for (const Needle& needle : needles_) {
        if (absl::StartsWith(rest, needle.text)) (*hit)[needle.id] = 1;
      }
    }
    checked_until = sample + 1;
  }
}

int Lexicons::WordClass(absl::string_view name) const {
  for (size_t i = 0; i < word_class_names.size(); ++i) {
    if (word_class_names[i] == name) return static_cast<int>(i);
  }
  return -1;
}

int Lexicons::MatchClass(int cls, const std::vector<Token>& tokens, int pos,
                         int end) const {
  if (cls < 0 || cls >= static_cast<int>(word_classes.size())) return 0;
  return word_classes[cls].Match(tokens, pos, end).length;
}

absl::StatusOr<std::unique_ptr<Lexicons>> Lexicons::Load() {
  auto lex = std::make_unique<Lexicons>();
  NE_RETURN_IF_ERROR(LoadWordSet("abbreviations.txt", &lex->abbreviations));
  NE_RETURN_IF_ERROR(LoadNumbers(lex.get()));
  NE_RETURN_IF_ERROR(LoadNouns(lex.get()));
  NE_RETURN_IF_ERROR(LoadCountCues(lex.get()));
  NE_RETURN_IF_ERROR(LoadWordClasses(lex.get()));
  NE_RETURN_IF_ERROR(LoadTriggers(lex.get()));
  NE_RETURN_IF_ERROR(LoadContextRules(lex.get()));
  NE_RETURN_IF_ERROR(LoadBoilerplate(lex.get()));
  return lex;
}

}  // namespace newsevents::extract
