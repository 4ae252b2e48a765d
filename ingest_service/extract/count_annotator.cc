#include "ingest_service/extract/count_annotator.h"

#include <algorithm>

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

bool CountAnnotator::IsNumberOfDead(const Sentence& s, int t) const {
  // "the number of people killed", "the number of dead": a word that makes
  // a death count follows "number of" closely.
  const std::vector<Token>& tokens = doc_.tokens;
  if (tokens[t].lower != "number" || t + 1 >= s.end_token ||
      tokens[t + 1].lower != "of") {
    return false;
  }
  std::vector<PhraseMatch> matches;
  for (int k = t + 2; k < s.end_token && k <= t + 4; ++k) {
    if (FirstCue(lex_, tokens, k, s.end_token, &matches,
                 [](const CountCue& cue, const PhraseMatch&) {
                   return cue.side == CountCue::Side::kAfter &&
                          cue.kind == v1::QUANTITY_KIND_KILLED;
                 }) != nullptr) {
      return true;
    }
  }
  return false;
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

void CountAnnotator::Annotate(int si, const std::vector<NumberMention>& numbers,
                              std::vector<CountMention>* counts) {
  const Sentence& s = doc_.sentences[si];
  const std::vector<Token>& tokens = doc_.tokens;
  const size_t sentence_start = counts->size();
  int list_total = -1;  // the total a breakdown in this sentence belongs to
  std::vector<PhraseMatch> matches;
  // The sentence's previous number when it gave no count, for "120 cars
  // and more than 100 shops were burned", where its cue comes after the
  // next number.
  struct Uncounted {
    const NumberMention* number = nullptr;
    NounPhrase np;
  };
  Uncounted previous;
  Uncounted current;
  size_t counts_at_start = counts->size();
  for (size_t ni = 0; ni < numbers.size(); ++ni) {
    previous = counts->size() == counts_at_start ? current : Uncounted{};
    current = Uncounted{};
    counts_at_start = counts->size();
    const NumberMention& n = numbers[ni];
    if (n.counts_nothing) continue;
    const int next_number =
        ni + 1 < numbers.size() ? numbers[ni + 1].first : s.end_token;
    NounPhrase np = ReadNounPhrase(n.end, next_number);
    current = Uncounted{&n, np};
    if (n.needs_person_noun && !np.has_people) continue;

    CountMention c;
    c.sentence = si;
    c.number = n;
    c.evidence_first = n.first;
    c.evidence_end = std::max(n.end, np.end);

    bool found = false;
    int cue_first = -1;
    // A cue right before the number: "killing at least one person".
    for (int j = n.first - 1; j >= s.first_token && j >= n.first - 6 && !found;
         --j) {
      int toll = -1;
      const CountCue* cue = FirstCue(
          lex_, tokens, j, n.first, &matches,
          [&](const CountCue& cue, const PhraseMatch& m) {
            for (int k = j + m.length; k < n.first; ++k) {
              if (!IsBeforeCueFiller(tokens[k].lower)) return false;
            }
            if (cue.side == CountCue::Side::kAfter ||
                !TargetFits(cue.target, np)) {
              return false;
            }
            toll = -1;
            if (cue.side == CountCue::Side::kToll) {
              for (int k = j - 1; k >= s.first_token && k >= j - 12; --k) {
                if (tokens[k].lower == "toll" || IsNumberOfDead(s, k)) toll = k;
              }
              if (toll < 0) return false;
            }
            return true;
          });
      if (cue == nullptr) continue;
      c.kind = cue->kind;
      c.evidence_first = toll >= 0 ? std::max(s.first_token, toll - 1) : j;
      cue_first = j;
      found = true;
    }

    // A cue after the noun phrase: "230 were killed".
    int scan_from = std::max(n.end, np.end);
    bool saw_auxiliary = false;
    const CountCue* after_cue = nullptr;
    for (int k = scan_from; k < s.end_token && k < scan_from + 8 && !found;
         ++k) {
      // Numbers end the search, except those of a skipped sub-total.
      if (k >= next_number && scan_from <= next_number) break;
      const absl::string_view w = tokens[k].lower;
      if (w == "were" || w == "was" || w == "are" || w == "is" || w == "been" ||
          w == "have" || w == "has" || w == "had") {
        saw_auxiliary = true;
      }
      // "17 people, including two soldiers, had died": the sub-total
      // between commas is the next number's business; the cue follows it.
      bool only_quotes_before = true;  // ("739 "rioters", including ...")
      for (int q = scan_from; q < k; ++q) {
        if (!IsQuote(tokens[q])) only_quotes_before = false;
      }
      if (w == "," && only_quotes_before && k + 1 < s.end_token &&
          tokens[k + 1].lower == "including") {
        int close = k + 2;
        while (close < s.end_token && close < k + 14 &&
               tokens[close].lower != "," && tokens[close].lower != ".") {
          ++close;
        }
        if (close < s.end_token && tokens[close].lower == ",") {
          k = close;
          scan_from = close + 1;
          continue;
        }
      }
      // "were charged and detained": after an auxiliary, "and" joins two
      // participles of the same clause, so the search goes on.
      if (!IsAfterCueFiller(tokens[k]) && !(saw_auxiliary && w == "and")) break;
      PhraseMatch m;
      after_cue = FirstCue(
          lex_, tokens, k, s.end_token, &matches,
          [&](const CountCue& cue, const PhraseMatch&) {
            return cue.side == CountCue::Side::kAfter &&
                   TargetFits(cue.target, np);
          },
          &m);
      if (after_cue != nullptr) {
        c.kind = after_cue->kind;
        c.evidence_end = k + m.length;
        found = true;
      }
    }
    // A participle inside the noun phrase: "dozens of wounded people",
    // "15 detained students".
    for (int k = n.end; k < np.end && !found && np.has_people; ++k) {
      const CountCue* cue = FirstCue(
          lex_, tokens, k, np.end, &matches,
          [](const CountCue& cue, const PhraseMatch& m) {
            return cue.side == CountCue::Side::kAfter &&
                   cue.target == CountCue::Target::kPerson && m.length == 1;
          });
      if (cue != nullptr) {
        c.kind = cue->kind;
        found = true;
      }
    }
    // Sub-totals: "including 19 ...", "N of them", a breakdown list.
    const absl::string_view before_number =
        n.first > s.first_token ? tokens[n.first - 1].lower : "";
    // "among them 3,393 officers", "among whom 12 children".
    const bool among_them =
        (before_number == "them" || before_number == "whom") &&
        n.first - 2 >= s.first_token && tokens[n.first - 2].lower == "among";
    const bool including =
        before_number == "including" || before_number == "among" ||
        before_number == "included" || before_number == "include" ||
        before_number == "includes" || among_them;
    int total = -1;
    if (including && counts->size() > sentence_start) {
      total = static_cast<int>(counts->size()) - 1;
      c.evidence_first = n.first - (among_them ? 2 : 1);
    } else if (np.of_them && !counts->empty() &&
               (*counts).back().sentence >= si - 2) {
      total = static_cast<int>(counts->size()) - 1;
      // "31 were wounded, 13 of them by live bullets": in the total's own
      // sentence, "them" can only be the people just counted.
      const bool total_in_sentence = counts->size() > sentence_start;
      if (!found) {
        // Without a cue of its own, only a breakdown ("19 of them are
        // members of ..., 27 are ...") or "N of them were <people>" counts,
        // or one in the total's sentence.
        bool list_follows = false;
        for (size_t nj = ni + 1; nj < numbers.size(); ++nj) {
          const int f = numbers[nj].first;
          if (!numbers[nj].counts_nothing && f > s.first_token &&
              (tokens[f - 1].lower == "," || tokens[f - 1].lower == "and")) {
            list_follows = true;
          }
        }
        bool copula_people = false;
        const int k = np.end;
        if (k < s.end_token &&
            (tokens[k].lower == "are" || tokens[k].lower == "were" ||
             tokens[k].lower == "is")) {
          for (int q = k + 1; q < s.end_token && q <= k + 3; ++q) {
            if (lex_.people.Match(tokens, q, s.end_token)) copula_people = true;
          }
        }
        if (!list_follows && !copula_people && !total_in_sentence) continue;
        list_total = total;
      }
    } else if (!found && list_total >= 0 && n.first > s.first_token &&
               (tokens[n.first - 1].lower == "," ||
                tokens[n.first - 1].lower == "and")) {
      total = list_total;  // "..., 27 are activists ... and 113 have ..."
    }
    if (total >= 0) {
      const CountMention& t = (*counts)[total];
      c.subtotal_of = total;
      if (!found) {
        c.kind = t.kind;
        found = true;
        // The sub-total's own words: up to the next comma or number.
        int e = std::max(n.end, np.end);
        while (e < next_number && e < n.end + 8 && tokens[e].lower != "," &&
               tokens[e].lower != "." && tokens[e].lower != ";" &&
               tokens[e].lower != "and") {
          ++e;
        }
        c.evidence_end = std::max(c.evidence_end, e);
      }
      if (c.kind == v1::QUANTITY_KIND_DAMAGED) {
        c.group = t.group;
      }
    }
    if (!found || c.kind == v1::QUANTITY_KIND_UNSPECIFIED) continue;

    // Group.
    if (c.kind == v1::QUANTITY_KIND_PARTICIPANTS) {
      c.group = v1::GROUP_PROTESTERS;
    } else if (c.kind == v1::QUANTITY_KIND_DAMAGED) {
      c.object = np.object;
      if (c.subtotal_of < 0) {
        v1::Group agent;
        if (cue_first >= 0 && GroupBefore(s.first_token, cue_first, &agent)) {
          c.group = agent;
        } else if (counts->size() > sentence_start &&
                   counts->back().kind == v1::QUANTITY_KIND_DAMAGED) {
          c.group = counts->back().group;  // "..., and damaged 400 businesses"
        } else if (cue_first > s.first_token &&
                   tokens[cue_first - 1].lower == "and" &&
                   SubjectGroup(s, cue_first, &agent)) {
          // "Protesters set fire to a police station and looted 30 shops":
          // the second verb shares the clause's subject.
          c.group = agent;
        } else {
          // "120 cars were burned by protesters".
          for (int k = c.evidence_end;
               k + 1 < s.end_token && k < c.evidence_end + 2; ++k) {
            if (tokens[k].lower != "by") continue;
            if (PhraseMatch m = lex_.people.Match(tokens, k + 1, s.end_token)) {
              c.group = lex_.people_groups[m.id];
            }
          }
        }
      }
    } else if (np.others && counts->size() > sentence_start) {
      c.group = counts->back().group;  // "18 others were killed"
    } else if (np.others && !counts->empty() &&
               counts->back().sentence >= si - 1) {
      c.group = counts->back().group;
    } else if (!np.has_people && counts->size() > sentence_start &&
               n.first > s.first_token && tokens[n.first - 1].lower == "and" &&
               counts->back().kind != v1::QUANTITY_KIND_DAMAGED) {
      // "18 officers were killed and 748 injured": the bare number counts
      // the same people as the one it is joined to.
      c.group = counts->back().group;
    } else if (np.of_them || (c.subtotal_of >= 0 && !np.has_people)) {
      c.group = c.subtotal_of >= 0 ? (*counts)[c.subtotal_of].group
                                   : v1::GROUP_UNSPECIFIED;
      // "90 people were injured, 23 of them police officers".
      if (np.of_them) {
        const NounPhrase who = ReadNounPhrase(np.end, next_number);
        if (who.has_specific_group) c.group = who.group;
      }
    } else {
      c.group = np.group;
    }
    // Did security forces do it? ("Security forces ... killed dozens").
    if (cue_first >= 0) {
      v1::Group agent;
      if (GroupBefore(s.first_token, cue_first, &agent) &&
          agent == v1::GROUP_SECURITY_FORCES) {
        c.security_agent = true;
      }
    }
    // "120 cars and more than 100 business premises were burned": the
    // number joined to this one by "and" shares its cue; so does the total
    // before "including" ("164 people including 103 in Almaty had died"),
    // which this count is then a part of.
    const absl::string_view joiner =
        previous.number != nullptr && previous.np.end < s.end_token
            ? tokens[previous.np.end].lower
            : absl::string_view();
    if (after_cue != nullptr && previous.number != nullptr &&
        previous.np.end + 1 == n.first &&
        (joiner == "and" || joiner == "including") &&
        TargetFits(after_cue->target, previous.np) &&
        !(previous.number->needs_person_noun && !previous.np.has_people)) {
      CountMention joined;
      joined.sentence = si;
      joined.number = *previous.number;
      joined.kind = c.kind;
      joined.evidence_first = previous.number->first;
      joined.evidence_end = c.evidence_end;
      joined.object = c.kind == v1::QUANTITY_KIND_DAMAGED ? previous.np.object
                                                          : std::string();
      joined.group = c.kind == v1::QUANTITY_KIND_DAMAGED ? c.group
                     : c.kind == v1::QUANTITY_KIND_PARTICIPANTS
                         ? v1::GROUP_PROTESTERS
                         : previous.np.group;
      joined.security_agent = c.security_agent;
      counts->push_back(std::move(joined));
      if (joiner == "including" && c.subtotal_of < 0) {
        c.subtotal_of = static_cast<int>(counts->size()) - 1;
        c.evidence_first = n.first - 1;
      }
    }
    counts->push_back(std::move(c));
  }
}

}  // namespace newsevents::extract
