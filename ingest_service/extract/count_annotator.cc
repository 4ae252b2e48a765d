#include "ingest_service/extract/count_annotator.h"

#include <algorithm>
#include <utility>

#include "absl/strings/match.h"

namespace newsevents::extract {
namespace {

// Words that end a counted noun phrase.
bool EndsNounPhrase(absl::string_view w) {
  static constexpr absl::string_view kStops[] = {
      "were",      "was",   "are",    "is",    "have",   "has",   "had",
      "been",      "being", "be",     "will",  "would",  "could", "may",
      "might",     "in",    "on",     "at",    "during", "with",  "from",
      "by",        "for",   "to",     "after", "since",  "as",    "who",
      "that",      "which", "when",   "while", "but",    "or",    "said",
      "including", "into",  "across", "near",  "among",  "amid",  "after",
      "before",    "than",  "per",    "got",   "so",     "also",  "reportedly",
      "now"};
  for (absl::string_view stop : kStops) {
    if (w == stop) return true;
  }
  return false;
}

bool IsQuote(const Token& t) { return t.lower == "\"" || t.lower == "'"; }

// Words that may stand between a cue and the number it precedes
// ("drew a total of 50,000": "a total of" is the number's own qualifier).
bool IsBeforeCueFiller(absl::string_view w) {
  return w == "the" || w == "some" || w == "\"" || w == "of";
}

// Words that may stand between a number's noun phrase and its cue.
bool IsAfterCueFiller(const Token& t) {
  // A coordinated clause ("... 5 police stations and looted shops") has
  // its own verb: the cue search stops there.
  return !(t.lower == "." || t.lower == ";" || t.lower == "?" ||
           t.lower == "!" || t.lower == ":" || t.lower == "," ||
           t.lower == "(" || t.lower == "including" || t.lower == "and" ||
           t.lower == "but" || t.lower == "while" || t.lower == "whereas");
}

bool TargetFits(CountCue::Target target, const CountAnnotator::NounPhrase& np) {
  const bool property = !np.object.empty();
  switch (target) {
    case CountCue::Target::kAny:
      return true;
    case CountCue::Target::kProperty:
      return property;
    case CountCue::Target::kPerson:
      return !property;
    case CountCue::Target::kProtesters:
      return !property && np.group == v1::GROUP_PROTESTERS;
  }
  return false;
}

// The first cue, among the count_cues phrases starting at tokens[k]
// (longest first) and the cues of each, that `accept(cue, match)` takes;
// nullptr when none. `matches` is scratch space.
template <typename Accept>
const CountCue* FirstCue(const Lexicons& lex, const std::vector<Token>& tokens,
                         int k, int end, std::vector<PhraseMatch>* matches,
                         Accept accept, PhraseMatch* match = nullptr) {
  matches->clear();
  lex.count_cues.MatchAll(tokens, k, end, matches);
  for (const PhraseMatch& m : *matches) {
    for (const CountCue& cue : lex.count_cue_values[m.id]) {
      if (!accept(cue, m)) continue;
      if (match != nullptr) *match = m;
      return &cue;
    }
  }
  return nullptr;
}

// Whether the tokens [from, end) are all quotes (or there are none).
bool OnlyQuotes(const std::vector<Token>& tokens, int from, int end) {
  for (int k = from; k < end; ++k) {
    if (!IsQuote(tokens[k])) return false;
  }
  return true;
}

bool IsAuxiliary(absl::string_view w) {
  return w == "were" || w == "was" || w == "are" || w == "is" || w == "been" ||
         w == "have" || w == "has" || w == "had";
}

// Whether the number at token `first` follows a list separator ("..., 27
// are activists ... and 113 have ...").
bool AfterListSeparator(const std::vector<Token>& tokens, const Sentence& s,
                        int first) {
  return first > s.first_token &&
         (tokens[first - 1].lower == "," || tokens[first - 1].lower == "and");
}

// Whether the number at token `first` follows a dash or colon that opens a
// breakdown of what comes before ("757 were arrested - 304 in A ...").
bool AfterBreakdownOpener(const std::vector<Token>& tokens, const Sentence& s,
                          int first) {
  if (first <= s.first_token) return false;
  const absl::string_view w = tokens[first - 1].lower;
  return w == "-" || w == "\u2013" || w == "\u2014" || w == ":";
}

// Whether the words at `k` are a gapped clause's adjunct, the verb left
// out: "in Kitengela", "along Juja Road", "with firearms".
bool OpensGappedAdjunct(const std::vector<Token>& tokens, const Sentence& s,
                        int k) {
  if (k + 1 >= s.end_token) return false;
  const absl::string_view w = tokens[k].lower;
  return w == "in" || w == "at" || w == "from" || w == "along" || w == "near" ||
         w == "with" || w == "by";
}

// "17 people, including two soldiers, had died", "Two policemen, one a
// senior officer, were killed": when token `k` is the comma that opens such
// an aside, the comma that closes it; else -1.
int IncludingAsideEnd(const Lexicons& lex, const std::vector<Token>& tokens,
                      const Sentence& s, int k) {
  // ", including 19 officers," and the appositive ", one a senior officer,"
  // (digits or a number word, then "a"/"an" or "of them").
  if (tokens[k].lower != "," || k + 2 >= s.end_token) return -1;
  const absl::string_view next = tokens[k + 1].lower;
  const absl::string_view after = tokens[k + 2].lower;
  const bool appositive =
      (tokens[k + 1].Is(kNumber) ||
       lex.number_words.Match(tokens, k + 1, k + 2)) &&
      (after == "a" || after == "an" || after == "of");
  if (next != "including" && !appositive) return -1;
  int close = k + 2;
  while (close < s.end_token && close < k + 14 && tokens[close].lower != "," &&
         tokens[close].lower != ".") {
    ++close;
  }
  return close < s.end_token && tokens[close].lower == "," ? close : -1;
}

// The number of words right before the number at token `first` that make it
// part of the count before it: 2 for "among them", "among whom"; 1 for
// "including", "among", "include(s)", "included"; 0 otherwise.
int SubtotalMarkerLength(const std::vector<Token>& tokens, const Sentence& s,
                         int first) {
  if (first <= s.first_token) return 0;
  const absl::string_view w = tokens[first - 1].lower;
  if ((w == "them" || w == "whom") && first - 2 >= s.first_token &&
      tokens[first - 2].lower == "among") {
    return 2;
  }
  const bool opens_subtotal = w == "including" || w == "among" ||
                              w == "included" || w == "include" ||
                              w == "includes";
  return opens_subtotal ? 1 : 0;
}

// The group of a phrase whose nouns name `groups`: the one specified, or
// UNSPECIFIED when none is or they differ. *has_specific: one is specified.
v1::Group CommonGroup(const std::vector<v1::Group>& groups,
                      bool* has_specific) {
  v1::Group group = v1::GROUP_UNSPECIFIED;
  bool mixed = false;
  for (v1::Group g : groups) {
    if (g == v1::GROUP_UNSPECIFIED) continue;
    *has_specific = true;
    if (group == v1::GROUP_UNSPECIFIED) {
      group = g;
    } else if (group != g) {
      mixed = true;
    }
  }
  return mixed ? v1::GROUP_UNSPECIFIED : group;
}

}  // namespace

CountAnnotator::NounPhrase CountAnnotator::ReadNounPhrase(int from,
                                                          int end) const {
  const std::vector<Token>& tokens = doc_.tokens;
  NounPhrase np;
  int p = from;
  while (p < end && IsQuote(tokens[p])) ++p;
  if (p + 1 < end && tokens[p].lower == "of" &&
      (tokens[p + 1].lower == "them" || tokens[p + 1].lower == "those" ||
       tokens[p + 1].lower == "whom")) {
    np.of_them = true;
    np.end = p + 2;
    return np;
  }
  if (p < end && tokens[p].lower == "of") ++p;  // "dozens of people"
  std::vector<v1::Group> groups;
  int words = 0;
  np.end = from;
  while (p < end && words < 7) {
    const Token& tok = tokens[p];
    if (IsQuote(tok)) {
      ++p;
      continue;
    }
    if (tok.Is(kPunct) && tok.lower != "-") break;
    if (tok.Is(kNumber)) break;
    if (EndsNounPhrase(tok.lower)) break;
    if (tok.lower == "and") {
      if (!AndContinuesNounPhrase(p, end)) break;
      ++p;
      ++words;
      continue;
    }
    if (np.end > from && np.end == p && tokens[p].lower != "of" &&
        tokens[p].lower != "-" && !lex_.property.Match(tokens, p, end) &&
        !lex_.people.Match(tokens, p, end)) {
      break;  // the head noun was the last word of the phrase
    }
    if (PhraseMatch m = lex_.property.Match(tokens, p, end)) {
      np.object = lex_.property_names[m.id];
      p += m.length;
      words += m.length;
      np.end = p;
      continue;
    }
    if (PhraseMatch m = lex_.people.Match(tokens, p, end)) {
      const v1::Group g = lex_.people_groups[m.id];
      groups.push_back(g);
      np.has_people = true;
      if (tokens[p].lower == "other" || tokens[p].lower == "others") {
        np.others = true;
      }
      p += m.length;
      words += m.length;
      np.end = p;
      continue;
    }
    ++p;
    ++words;
    // Adjectives and modifiers are part of the phrase only if a noun
    // follows; np.end moves only past nouns.
  }
  np.group = CommonGroup(groups, &np.has_specific_group);
  if (np.others && groups.size() > 1) np.others = false;
  return np;
}

bool CountAnnotator::AndContinuesNounPhrase(int and_at, int end) const {
  // Only when a noun of people or property follows shortly.
  const std::vector<Token>& tokens = doc_.tokens;
  for (int k = and_at + 1; k < end && k < and_at + 4; ++k) {
    if (EndsNounPhrase(tokens[k].lower) || tokens[k].Is(kPunct)) return false;
    if (lex_.people.Match(tokens, k, end) ||
        lex_.property.Match(tokens, k, end)) {
      return true;
    }
  }
  return false;
}

v1::QuantityKind CountAnnotator::NumberOfKind(const Sentence& s, int t) const {
  // "the number of people killed", "the number of wounded", "the number
  // of detainees": a word that makes a count of some kind follows "number
  // of" closely; it names a toll of that kind.
  const std::vector<Token>& tokens = doc_.tokens;
  if (tokens[t].lower != "number" || t + 1 >= s.end_token ||
      tokens[t + 1].lower != "of") {
    return v1::QUANTITY_KIND_UNSPECIFIED;
  }
  std::vector<PhraseMatch> matches;
  for (int k = t + 2; k < s.end_token && k <= t + 4; ++k) {
    const CountCue* cue =
        FirstCue(lex_, tokens, k, s.end_token, &matches,
                 [](const CountCue& cue, const PhraseMatch&) {
                   return cue.side == CountCue::Side::kAfter &&
                          cue.kind != v1::QUANTITY_KIND_PARTICIPANTS &&
                          cue.kind != v1::QUANTITY_KIND_DAMAGED;
                 });
    if (cue != nullptr) return cue->kind;
  }
  return v1::QUANTITY_KIND_UNSPECIFIED;
}

bool CountAnnotator::GroupBefore(int sentence_first, int t,
                                 v1::Group* group) const {
  int k = t - 1;
  while (k >= sentence_first &&
         (doc_.tokens[k].lower == "have" || doc_.tokens[k].lower == "had" ||
          doc_.tokens[k].lower == "has" || doc_.tokens[k].lower == "also" ||
          doc_.tokens[k].lower == "reportedly")) {
    --k;
  }
  for (int start = std::max(sentence_first, k - 2); start <= k; ++start) {
    PhraseMatch m = lex_.people.Match(doc_.tokens, start, k + 1);
    if (m && start + m.length == k + 1) {
      *group = lex_.people_groups[m.id];
      return true;
    }
  }
  return false;
}

bool CountAnnotator::SubjectGroup(const Sentence& s, int end,
                                  v1::Group* group) const {
  // The subject opens the sentence, perhaps after one determiner or
  // adjective ("The protesters", "Angry rioters").
  for (int start = s.first_token; start < end && start <= s.first_token + 1;
       ++start) {
    PhraseMatch m = lex_.people.Match(doc_.tokens, start, end);
    if (!m) continue;
    // "Police said protesters burned ... and looted 30 shops": the opening
    // noun is then the speaker, not the subject of the verbs.
    for (int k = start + m.length; k < end; ++k) {
      if (lex_.reporting.Match(doc_.tokens, k, end)) return false;
    }
    *group = lex_.people_groups[m.id];
    return *group != v1::GROUP_UNSPECIFIED;
  }
  return false;
}

struct CountAnnotator::SentenceScan {
  // A number of the sentence that was read but gave no count.
  struct Uncounted {
    const NumberMention* number = nullptr;
    NounPhrase np;
  };

  SentenceScan(int si, const Sentence& s,
               const std::vector<NumberMention>& numbers,
               std::vector<CountMention>* counts)
      : si(si),
        sentence(s),
        numbers(numbers),
        counts(counts),
        sentence_start(counts->size()) {}

  // Whether a count of this sentence has been appended already.
  bool HasCountInSentence() const { return counts->size() > sentence_start; }
  // The count appended last, in this sentence or an earlier one; nullptr
  // when there is none. A sub-total right after it is part of it.
  const CountMention* Last() const {
    return counts->empty() ? nullptr : &counts->back();
  }
  int LastIndex() const { return static_cast<int>(counts->size()) - 1; }
  // Appends `c`; returns its index, which a later count's subtotal_of may
  // name.
  int Append(CountMention c) {
    counts->push_back(std::move(c));
    return LastIndex();
  }

  const int si;
  const Sentence& sentence;
  const std::vector<NumberMention>& numbers;
  std::vector<CountMention>* const counts;  // the article's
  const size_t sentence_start;  // counts->size() when the sentence began
  // The total that a breakdown in this sentence is part of ("19 of them are
  // members of ..., 27 are activists ..."), -1 while there is none.
  int list_total = -1;
  // The previous number when it was read but gave no count: "120 cars and
  // more than 100 shops were burned" counts it with this number's cue.
  Uncounted previous_uncounted;
  // Scratch space for FirstCue; holds nothing from one call to the next.
  mutable std::vector<PhraseMatch> matches;
};

struct CountAnnotator::Candidate {
  const NumberMention* number = nullptr;
  size_t index = 0;       // of the number among the sentence's numbers
  int next_number = 0;    // first token of the next number, else sentence end
  NounPhrase np;          // what the number counts
  CountMention count;     // appended when the number is a count
  bool has_kind = false;  // a cue or a total gave count.kind
  int cue_first = -1;     // first token of the cue before the number
  const CountCue* after_cue = nullptr;  // the cue after the noun phrase
  // A second cue of another kind after "and" ("wounded and hospitalised"):
  // the same number is a count of that kind too, its evidence to second_end.
  v1::QuantityKind second_kind = v1::QUANTITY_KIND_UNSPECIFIED;
  int second_end = 0;
};

struct CountAnnotator::TotalLink {
  enum How {
    kNone,
    kIncluding,  // "including 19 ...", "among them 3,393 ..."
    kOfThem,     // "N of them"
    kListItem,   // "..., 27 are activists ... and 113 have ..."
    kBreakdown,  // "757 were arrested - 304 in A and 453 in B"
  };
  How how = kNone;
  int total = -1;         // index among the article's counts
  int marker_length = 0;  // kIncluding: the words of "including"/"among them"
};

void CountAnnotator::Annotate(int si, const std::vector<NumberMention>& numbers,
                              std::vector<CountMention>* counts) {
  SentenceScan scan(si, doc_.sentences[si], numbers, counts);
  for (size_t ni = 0; ni < numbers.size(); ++ni) {
    Candidate c;
    c.number = &numbers[ni];
    c.index = ni;
    c.next_number = ni + 1 < numbers.size() ? numbers[ni + 1].first
                                            : scan.sentence.end_token;
    const NoCount why = CountNumber(&scan, &c);
    // Only a number that was read and gave no count can share the next
    // number's cue.
    if (why == NoCount::kNone || why == NoCount::kCountsNothing) {
      scan.previous_uncounted = SentenceScan::Uncounted();
    } else {
      scan.previous_uncounted = SentenceScan::Uncounted{c.number, c.np};
    }
  }
}

CountAnnotator::NoCount CountAnnotator::CountNumber(SentenceScan* scan,
                                                    Candidate* c) const {
  const NumberMention& n = *c->number;
  if (n.counts_nothing) return NoCount::kCountsNothing;
  c->np = ReadNounPhrase(n.end, c->next_number);
  if (n.needs_person_noun && !c->np.has_people && !GappedListItem(*scan, *c) &&
      NameBracketClose(scan->sentence, n) < 0) {
    return NoCount::kNoPersonNoun;
  }
  c->count.sentence = scan->si;
  c->count.number = n;
  c->count.evidence_first = n.first;
  c->count.evidence_end = std::max(n.end, c->np.end);

  // What happened to the people or things counted.
  c->has_kind = FindCueBefore(*scan, c) || FindCueAfter(*scan, c) ||
                FindCueInside(*scan, c) || FindBracketedItem(*scan, c);
  // The count it is part of.
  const TotalLink link = FindTotal(*scan, *c);
  if (link.how == TotalLink::kOfThem && !c->has_kind) {
    if (!OfThemIsCounted(*scan, *c)) return NoCount::kOfThemAside;
    scan->list_total = link.total;  // a breakdown of it may follow
  }
  if (link.how == TotalLink::kBreakdown) scan->list_total = link.total;
  if (link.total >= 0) {
    JoinTotal(*scan, link, c);
  } else if (const int total = ListLineTotal(*scan, *c); total >= 0) {
    JoinTotal(*scan, TotalLink{TotalLink::kBreakdown, total, 0}, c);
  }
  JoinGappedSibling(*scan, c);
  if (!c->has_kind || c->count.kind == v1::QUANTITY_KIND_UNSPECIFIED) {
    return NoCount::kNoKind;
  }

  // Who, and what.
  c->count.group = GroupOf(*scan, *c);
  if (c->count.kind == v1::QUANTITY_KIND_DAMAGED) {
    c->count.object = c->np.object;
  }
  c->count.security_agent = DoneBySecurityForces(*scan, *c);

  AddJoinedCount(scan, c);
  const CountMention counted = c->count;
  scan->Append(std::move(c->count));
  AddEachNames(scan, counted);
  if (c->second_kind != v1::QUANTITY_KIND_UNSPECIFIED) {
    CountMention again = counted;
    again.kind = c->second_kind;
    again.evidence_end = c->second_end;
    scan->Append(std::move(again));
  }
  return NoCount::kNone;
}

void CountAnnotator::AddEachNames(SentenceScan* scan,
                                  const CountMention& item) const {
  // "followed by Amazonas and Barinas (3 each)": the bracketed item is
  // counted at its last name; every earlier name of the same list (joined
  // by commas and "and") gets the same count, its evidence opening there.
  const std::vector<Token>& tokens = doc_.tokens;
  const Sentence& s = scan->sentence;
  if (NameBracketClose(s, item.number) < 0 ||
      tokens[item.number.end].lower != "each") {
    return;
  }
  auto name_start = [&](int last) {
    while (last - 1 >= s.first_token && tokens[last - 1].Is(kCapitalized)) {
      --last;
    }
    return last;
  };
  int k = name_start(item.evidence_first) - 1;
  for (int names = 0; names < kMaxEachNames && k >= s.first_token; ++names) {
    int separators = 0;
    while (k >= s.first_token &&
           (tokens[k].lower == "," || tokens[k].lower == "and")) {
      --k;
      ++separators;
    }
    if (separators == 0 || k < s.first_token ||
        !tokens[k].Is(kCapitalized)) {
      return;
    }
    CountMention sibling = item;
    sibling.evidence_first = name_start(k);
    k = sibling.evidence_first - 1;
    scan->Append(std::move(sibling));
  }
}

bool CountAnnotator::FindCueBefore(const SentenceScan& scan,
                                   Candidate* c) const {
  const std::vector<Token>& tokens = doc_.tokens;
  const Sentence& s = scan.sentence;
  const int first = c->number->first;
  for (int j = first - 1; j >= s.first_token && j >= first - 6; --j) {
    int toll = -1;  // the toll word a kToll cue needs
    const CountCue* cue = FirstCue(
        lex_, tokens, j, first, &scan.matches,
        [&](const CountCue& cue, const PhraseMatch& m) {
          for (int k = j + m.length; k < first; ++k) {
            if (!IsBeforeCueFiller(tokens[k].lower)) return false;
          }
          if (cue.side == CountCue::Side::kAfter ||
              !TargetFits(cue.target, c->np)) {
            return false;
          }
          toll = cue.side == CountCue::Side::kToll ? TollBefore(s, j) : -1;
          return cue.side != CountCue::Side::kToll || toll >= 0;
        });
    if (cue == nullptr) continue;
    c->count.kind = cue->kind;
    // A toll cue counts what its toll names: "the number of wounded ...
    // rose to 63" is INJURED.
    if (toll >= 0) {
      const v1::QuantityKind named = NumberOfKind(s, toll);
      if (named != v1::QUANTITY_KIND_UNSPECIFIED) c->count.kind = named;
    }
    c->count.evidence_first = toll >= 0 ? std::max(s.first_token, toll - 1) : j;
    c->cue_first = j;
    return true;
  }
  return false;
}

int CountAnnotator::NameBracketClose(const Sentence& s,
                                     const NumberMention& n) const {
  const std::vector<Token>& tokens = doc_.tokens;
  int close = n.end;
  if (close < s.end_token && tokens[close].lower == "each") ++close;
  const bool alone = n.first - 2 >= s.first_token &&
                     tokens[n.first - 1].lower == "(" &&
                     tokens[n.first - 2].Is(kCapitalized) &&
                     close < s.end_token && tokens[close].lower == ")";
  return alone ? close : -1;
}

bool CountAnnotator::FindBracketedItem(const SentenceScan& scan,
                                       Candidate* c) const {
  // "Most deaths were in Caracas (10) and Bolivar (8)": a number alone in
  // brackets right after a name, counted by a cue earlier in its sentence
  // (of people: the cue's target must be people or anything).
  const std::vector<Token>& tokens = doc_.tokens;
  const Sentence& s = scan.sentence;
  const int first = c->number->first;
  const int close = NameBracketClose(s, *c->number);
  if (close < 0) return false;
  for (int j = s.first_token; j < first - 2; ++j) {
    const CountCue* cue =
        FirstCue(lex_, tokens, j, first - 2, &scan.matches,
                 [](const CountCue& cue, const PhraseMatch&) {
                   return cue.side != CountCue::Side::kToll &&
                          cue.target != CountCue::Target::kProperty;
                 });
    if (cue == nullptr) continue;
    c->count.kind = cue->kind;
    c->count.evidence_first = first - 2;
    c->count.evidence_end = close + 1;
    return true;
  }
  return false;
}

bool CountAnnotator::PartOfADate(const Sentence& s, int k) const {
  // A year ("2013") or a day beside a month name ("17 June", "June 17").
  const std::vector<Token>& tokens = doc_.tokens;
  const absl::string_view text = tokens[k].lower;
  if (text.size() == 4 && (absl::StartsWith(text, "19") ||
                           absl::StartsWith(text, "20"))) {
    return true;
  }
  auto month = [&](int j) {
    return j >= s.first_token && j < s.end_token &&
           tokens[j].Is(kCapitalized) &&
           lex_.date_words.Match(tokens, j, j + 1);
  };
  return text.size() <= 2 && (month(k - 1) || month(k + 1));
}

int CountAnnotator::TollBefore(const Sentence& s, int cue) const {
  // The toll is the subject of the cue's clause: up to kTollReach tokens
  // back ("the death toll from the riots in A and parts of B has risen
  // to"), but not past another number, which would be its own figure (a
  // date's day or year is none: "as of 17 June 2013 has reached").
  int toll = -1;
  for (int k = cue - 1; k >= s.first_token && k >= cue - kTollReach; --k) {
    if (doc_.tokens[k].Is(kNumber) && !PartOfADate(s, k)) break;
    if (doc_.tokens[k].lower == "toll" ||
        NumberOfKind(s, k) != v1::QUANTITY_KIND_UNSPECIFIED) {
      toll = k;
    }
  }
  return toll;
}

bool CountAnnotator::FindCueAfter(const SentenceScan& scan,
                                  Candidate* c) const {
  const std::vector<Token>& tokens = doc_.tokens;
  const Sentence& s = scan.sentence;
  // The search looks at up to eight tokens after the noun phrase, or after
  // a sub-total between commas that stands there.
  int scan_from = std::max(c->number->end, c->np.end);
  bool saw_auxiliary = false;
  const CountCue* the_cue = nullptr;  // a cue word after "the"
  int the_cue_end = 0;
  for (int k = scan_from; k < s.end_token && k < scan_from + 8; ++k) {
    // Numbers end the search, except those of a skipped sub-total.
    if (k >= c->next_number && scan_from <= c->next_number) break;
    const absl::string_view w = tokens[k].lower;
    if (IsAuxiliary(w)) saw_auxiliary = true;
    // The sub-total is the next number's business; the cue follows it.
    // Quotes may stand before it ("739 "rioters", including ...").
    const int aside_end = IncludingAsideEnd(lex_, tokens, s, k);
    if (aside_end >= 0 && OnlyQuotes(tokens, scan_from, k)) {
      k = aside_end;
      scan_from = aside_end + 1;
      continue;
    }
    // "were charged and detained": after an auxiliary, "and" joins two
    // participles of the same clause, so the search goes on.
    if (!IsAfterCueFiller(tokens[k]) && !(saw_auxiliary && w == "and")) break;
    PhraseMatch m;
    const CountCue* cue = FirstCue(
        lex_, tokens, k, s.end_token, &scan.matches,
        [&](const CountCue& cue, const PhraseMatch&) {
          return cue.side == CountCue::Side::kAfter &&
                 TargetFits(cue.target, c->np);
        },
        &m);
    if (cue == nullptr) continue;
    // "Several of the injured were taken to hospital": after "the", a cue
    // word is a noun naming the set; what happened to them may come later,
    // else it is the cue.
    if (k > scan_from && tokens[k - 1].lower == "the") {
      if (the_cue == nullptr) {
        the_cue = cue;
        the_cue_end = k + m.length;
      }
      continue;
    }
    TakeAfterCue(s, cue, k + m.length, c);
    return true;
  }
  if (the_cue != nullptr) {
    TakeAfterCue(s, the_cue, the_cue_end, c);
    return true;
  }
  return false;
}

void CountAnnotator::TakeAfterCue(const Sentence& s, const CountCue* cue,
                                  int cue_end, Candidate* c) const {
  c->after_cue = cue;
  c->count.kind = cue->kind;
  c->count.evidence_end = cue_end;
  FindSecondCue(s, c);
}

void CountAnnotator::FindSecondCue(const Sentence& s, Candidate* c) const {
  // "46 are wounded and hospitalised", "dozens injured and detained": a
  // second cue of another kind joined by "and" counts the same people again.
  const std::vector<Token>& tokens = doc_.tokens;
  const int j = c->count.evidence_end;
  if (j + 1 >= s.end_token || tokens[j].lower != "and") return;
  PhraseMatch m;
  std::vector<PhraseMatch> matches;
  const CountCue* second = FirstCue(
      lex_, tokens, j + 1, s.end_token, &matches,
      [&](const CountCue& cue, const PhraseMatch&) {
        return cue.side == CountCue::Side::kAfter &&
               cue.kind != c->count.kind && TargetFits(cue.target, c->np);
      },
      &m);
  if (second == nullptr) return;
  c->second_kind = second->kind;
  c->second_end = j + 1 + m.length;
}

bool CountAnnotator::FindCueInside(const SentenceScan& scan,
                                   Candidate* c) const {
  // "dozens of wounded people", "15 detained students": a one-word cue
  // for people.
  if (!c->np.has_people) return false;
  for (int k = c->number->end; k < c->np.end; ++k) {
    const CountCue* cue = FirstCue(
        lex_, doc_.tokens, k, c->np.end, &scan.matches,
        [](const CountCue& cue, const PhraseMatch& m) {
          return cue.side == CountCue::Side::kAfter &&
                 cue.target == CountCue::Target::kPerson && m.length == 1;
        });
    if (cue != nullptr) {
      c->count.kind = cue->kind;
      return true;
    }
  }
  return false;
}

CountAnnotator::TotalLink CountAnnotator::FindTotal(const SentenceScan& scan,
                                                    const Candidate& c) const {
  const Sentence& s = scan.sentence;
  const int first = c.number->first;
  TotalLink link;
  // "230 were killed, including 19 ...": the count just before, if it is
  // of this sentence.
  const int marker = SubtotalMarkerLength(doc_.tokens, s, first);
  if (marker > 0 && scan.HasCountInSentence()) {
    link.how = TotalLink::kIncluding;
    link.total = scan.LastIndex();
    link.marker_length = marker;
    return link;
  }
  // "Two policemen, one a senior officer, were killed": a number opening an
  // appositive right after the count before (whose cue follows the aside).
  const CountMention* last = scan.Last();
  if (scan.HasCountInSentence() && first - 1 > s.first_token &&
      doc_.tokens[first - 1].lower == "," &&
      IncludingAsideEnd(lex_, doc_.tokens, s, first - 1) >= 0 &&
      last->number.end <= first - 1 && last->evidence_end > first) {
    link.how = TotalLink::kIncluding;
    link.total = scan.LastIndex();
    return link;
  }
  // "N of them": the count just before, of this sentence or the two before.
  if (c.np.of_them && last != nullptr && last->sentence >= scan.si - 2) {
    link.how = TotalLink::kOfThem;
    link.total = scan.LastIndex();
    return link;
  }
  // The next item of a breakdown, when it has no cue of its own.
  if (!c.has_kind && scan.list_total >= 0 &&
      AfterListSeparator(doc_.tokens, s, first)) {
    link.how = TotalLink::kListItem;
    link.total = scan.list_total;
    return link;
  }
  // "757 were arrested - 304 in A and 453 in B": a breakdown of the count
  // just before, after a dash or colon, its items gapped clauses.
  if (!c.has_kind && scan.HasCountInSentence() && GappedItem(scan, c) &&
      AfterBreakdownOpener(doc_.tokens, s, first)) {
    link.how = TotalLink::kBreakdown;
    link.total = scan.LastIndex();
  }
  return link;
}

bool CountAnnotator::GappedItem(const SentenceScan& scan,
                                const Candidate& c) const {
  const NounPhrase& np = c.np;
  if (!np.object.empty() || np.of_them) return false;
  if (np.end > c.number->end && !np.has_people) return false;
  return OpensGappedAdjunct(doc_.tokens, scan.sentence, np.end);
}

bool CountAnnotator::GappedListItem(const SentenceScan& scan,
                                    const Candidate& c) const {
  const std::vector<Token>& tokens = doc_.tokens;
  const int first = c.number->first;
  return scan.HasCountInSentence() &&
         (AfterListSeparator(tokens, scan.sentence, first) ||
          AfterBreakdownOpener(tokens, scan.sentence, first)) &&
         GappedItem(scan, c);
}

bool CountAnnotator::JoinGappedSibling(const SentenceScan& scan,
                                       Candidate* c) const {
  // "Four were shot dead in A, two in B, one in C": the verb of the count
  // before is left out of the items after it.
  // (After a dash or colon the item has joined its total already.)
  if (c->has_kind || !GappedListItem(scan, *c)) return false;
  const CountMention& last = *scan.Last();
  c->count.kind = last.kind;
  c->count.subtotal_of = last.subtotal_of;
  c->has_kind = true;
  ExtendToItemEnd(c);
  return true;
}

void CountAnnotator::ExtendToItemEnd(Candidate* c) const {
  // The item's own words: up to the next comma or number.
  const std::vector<Token>& tokens = doc_.tokens;
  const NumberMention& n = *c->number;
  int e = std::max(n.end, c->np.end);
  while (e < c->next_number && e < n.end + 8 && tokens[e].lower != "," &&
         tokens[e].lower != "." && tokens[e].lower != ";" &&
         tokens[e].lower != "and") {
    ++e;
  }
  c->count.evidence_end = std::max(c->count.evidence_end, e);
}

bool CountAnnotator::OfThemIsCounted(const SentenceScan& scan,
                                     const Candidate& c) const {
  // "31 were wounded, 13 of them by live bullets": in the total's own
  // sentence, "them" can only be the people just counted.
  if (scan.HasCountInSentence()) return true;
  // A breakdown: "19 of them are members of ..., 27 are ...".
  const std::vector<Token>& tokens = doc_.tokens;
  const Sentence& s = scan.sentence;
  for (size_t nj = c.index + 1; nj < scan.numbers.size(); ++nj) {
    if (!scan.numbers[nj].counts_nothing &&
        AfterListSeparator(tokens, s, scan.numbers[nj].first)) {
      return true;
    }
  }
  // "N of them were <people>".
  const int k = c.np.end;
  if (k < s.end_token &&
      (tokens[k].lower == "are" || tokens[k].lower == "were" ||
       tokens[k].lower == "is")) {
    for (int q = k + 1; q < s.end_token && q <= k + 3; ++q) {
      if (lex_.people.Match(tokens, q, s.end_token)) return true;
    }
  }
  return false;
}

int CountAnnotator::ListLineTotal(const SentenceScan& scan,
                                  const Candidate& c) const {
  // "A total of 51 individuals arrested:" then lines "-38 adults;" and
  // "-13 minors ...": a number right after the bullet that opens a line,
  // before a word, breaks down the count of the first line above the list
  // when that line ends with a colon. (The lines may or may not be
  // sentences of their own.)
  const std::vector<Token>& tokens = doc_.tokens;
  const int bullet = c.number->first - 1;
  const int after = c.number->end;
  if (bullet < 1 || !IsBullet(tokens[bullet]) ||
      !tokens[bullet].Is(kLineStart) ||
      after >= static_cast<int>(tokens.size()) || !tokens[after].Is(kWord) ||
      scan.counts->empty()) {
    return -1;
  }
  // Up over the list's lines to the line that introduces it.
  int end = bullet;  // one past the line above's last token
  int start = end - 1;
  for (int lines = 0; lines < kMaxListLines; ++lines) {
    start = end - 1;
    while (start > 0 && !tokens[start].Is(kLineStart)) --start;
    if (!IsBullet(tokens[start])) break;
    end = start;
    if (end < 1) return -1;
  }
  if (IsBullet(tokens[start]) || tokens[end - 1].lower != ":") return -1;
  for (int i = static_cast<int>(scan.counts->size()) - 1; i >= 0; --i) {
    const CountMention& total = (*scan.counts)[i];
    if (total.number.first < start) break;
    if (total.number.first < end && total.subtotal_of < 0) {
      return total.kind == v1::QUANTITY_KIND_DAMAGED ? -1 : i;
    }
  }
  return -1;
}

void CountAnnotator::JoinTotal(const SentenceScan& scan, const TotalLink& link,
                               Candidate* c) const {
  const NumberMention& n = *c->number;
  c->count.subtotal_of = link.total;
  if (link.how == TotalLink::kIncluding) {
    c->count.evidence_first = n.first - link.marker_length;
  }
  if (c->has_kind) return;
  c->count.kind = (*scan.counts)[link.total].kind;
  c->has_kind = true;
  ExtendToItemEnd(c);
}

v1::Group CountAnnotator::GroupOf(const SentenceScan& scan,
                                  const Candidate& c) const {
  const NounPhrase& np = c.np;
  const CountMention* last = scan.Last();
  if (c.count.kind == v1::QUANTITY_KIND_PARTICIPANTS) {
    return v1::GROUP_PROTESTERS;  // crowd sizes are protesters
  }
  if (c.count.kind == v1::QUANTITY_KIND_DAMAGED) return DoerGroup(scan, c);
  // "18 others were killed": the people of the count before, in this
  // sentence or the one before.
  if (np.others && last != nullptr && last->sentence >= scan.si - 1) {
    return last->group;
  }
  // "18 officers were killed and 748 injured": the bare number counts the
  // same people as the one it is joined to.
  if (!np.has_people && scan.HasCountInSentence() &&
      c.number->first > scan.sentence.first_token &&
      doc_.tokens[c.number->first - 1].lower == "and" &&
      last->kind != v1::QUANTITY_KIND_DAMAGED) {
    return last->group;
  }
  if (np.of_them || (c.count.subtotal_of >= 0 && !np.has_people)) {
    return SubtotalGroup(scan, c);
  }
  return np.group;
}

v1::Group CountAnnotator::DoerGroup(const SentenceScan& scan,
                                    const Candidate& c) const {
  const std::vector<Token>& tokens = doc_.tokens;
  const Sentence& s = scan.sentence;
  // A sub-total of damage was done by whoever did its total.
  if (c.count.subtotal_of >= 0) {
    return (*scan.counts)[c.count.subtotal_of].group;
  }
  // "protesters burned 120 cars".
  v1::Group agent;
  if (c.cue_first >= 0 && GroupBefore(s.first_token, c.cue_first, &agent)) {
    return agent;
  }
  // "..., and damaged 400 businesses".
  const CountMention* last = scan.Last();
  if (scan.HasCountInSentence() && last->kind == v1::QUANTITY_KIND_DAMAGED) {
    return last->group;
  }
  // "Protesters set fire to a police station and looted 30 shops": the
  // second verb shares the clause's subject.
  if (c.cue_first > s.first_token && tokens[c.cue_first - 1].lower == "and" &&
      SubjectGroup(s, c.cue_first, &agent)) {
    return agent;
  }
  // "120 cars were burned by protesters".
  v1::Group group = v1::GROUP_UNSPECIFIED;
  const int after = c.count.evidence_end;
  for (int k = after; k + 1 < s.end_token && k < after + 2; ++k) {
    if (tokens[k].lower != "by") continue;
    if (PhraseMatch m = lex_.people.Match(tokens, k + 1, s.end_token)) {
      group = lex_.people_groups[m.id];
    }
  }
  return group;
}

v1::Group CountAnnotator::SubtotalGroup(const SentenceScan& scan,
                                        const Candidate& c) const {
  v1::Group group = c.count.subtotal_of >= 0
                        ? (*scan.counts)[c.count.subtotal_of].group
                        : v1::GROUP_UNSPECIFIED;
  // "90 people were injured, 23 of them police officers".
  if (c.np.of_them) {
    const NounPhrase who = ReadNounPhrase(c.np.end, c.next_number);
    if (who.has_specific_group) group = who.group;
  }
  return group;
}

bool CountAnnotator::DoneBySecurityForces(const SentenceScan& scan,
                                          const Candidate& c) const {
  // "Security forces ... killed dozens".
  v1::Group agent;
  return c.cue_first >= 0 &&
         GroupBefore(scan.sentence.first_token, c.cue_first, &agent) &&
         agent == v1::GROUP_SECURITY_FORCES;
}

void CountAnnotator::AddJoinedCount(SentenceScan* scan, Candidate* c) const {
  // "120 cars and more than 100 business premises were burned": the number
  // joined to this one by "and" shares its cue after the noun phrase; so
  // does the total before "including" ("164 people including 103 in Almaty
  // had died"), which this count is then a part of.
  const SentenceScan::Uncounted& previous = scan->previous_uncounted;
  const NumberMention& n = *c->number;
  if (c->after_cue == nullptr || previous.number == nullptr ||
      previous.np.end + 1 != n.first) {
    return;
  }
  const absl::string_view joiner = doc_.tokens[previous.np.end].lower;
  if ((joiner != "and" && joiner != "including") ||
      !TargetFits(c->after_cue->target, previous.np) ||
      (previous.number->needs_person_noun && !previous.np.has_people)) {
    return;
  }
  const v1::QuantityKind kind = c->count.kind;
  CountMention joined;
  joined.sentence = scan->si;
  joined.number = *previous.number;
  joined.kind = kind;
  joined.evidence_first = previous.number->first;
  joined.evidence_end = c->count.evidence_end;
  joined.object =
      kind == v1::QUANTITY_KIND_DAMAGED ? previous.np.object : std::string();
  joined.group = kind == v1::QUANTITY_KIND_DAMAGED        ? c->count.group
                 : kind == v1::QUANTITY_KIND_PARTICIPANTS ? v1::GROUP_PROTESTERS
                                                          : previous.np.group;
  joined.security_agent = c->count.security_agent;
  const int joined_index = scan->Append(std::move(joined));
  if (joiner == "including" && c->count.subtotal_of < 0) {
    c->count.subtotal_of = joined_index;
    c->count.evidence_first = n.first - 1;
  }
}

}  // namespace newsevents::extract
