#include "ingest_service/extract/speaker_annotator.h"

#include <algorithm>

#include "absl/container/inlined_vector.h"
#include "absl/strings/match.h"
#include "absl/types/span.h"

namespace newsevents::extract {
namespace {

// Words between a speaker and its verb that are not part of either.
bool IsVerbFiller(absl::string_view w) {
  return w == "has" || w == "have" || w == "had" || w == "also" ||
         w == "further" || w == "later" || w == "earlier" || w == "then" ||
         w == "reportedly" || w == "again" || w == "previously" ||
         w == "officially" || w == "publicly" || w == "went" || w == "on" ||
         w == "and" || w == "was" || w == "is" || w == "had" || w == "alone";
}

bool IsPronoun(absl::string_view w) {
  return w == "he" || w == "she" || w == "they" || w == "it";
}

bool IsDeterminer(absl::string_view w) {
  return w == "the" || w == "a" || w == "an";
}

// ("to" for names such as "the Committee to Protect Journalists"; the
// callers join only name-like words on both sides.)
bool IsConnector(absl::string_view w) {
  return w == "of" || w == "in" || w == "for" || w == "'s" || w == "-" ||
         w == "(" || w == ")" || w == "&" || w == "to";
}

bool NameLike(const Document& doc, const Lexicons& lex, int t) {
  const Token& tok = doc.tokens[t];
  if (tok.Is(kBoilerplate)) return false;
  if (tok.Is(kCapitalized) || tok.Is(kAllCaps)) return true;
  return lex.speaker_words.contains(tok.lower);
}

// A lower-case word right before a speaker word that it qualifies: the
// "transport" of "the transport ministry", the "rights" of "a rights group".
bool ModifiesSpeakerWord(const Document& doc, const Lexicons& lex,
                         const Sentence& s, int t) {
  const Token& tok = doc.tokens[t];
  if (!tok.Is(kWord) || tok.Is(kCapitalized) || tok.Is(kBoilerplate) ||
      t + 1 >= s.end_token) {
    return false;
  }
  const absl::string_view w = tok.lower;
  if (IsDeterminer(w) || IsConnector(w) || IsVerbFiller(w) || IsPronoun(w) ||
      w == "and" || w == "his" || w == "her" || w == "their" || w == "its" ||
      w == "our" || w == "my" || w == "your") {
    return false;  // "his office" says no more than "office"
  }
  const Token& next = doc.tokens[t + 1];
  return !next.Is(kCapitalized) && lex.speaker_words.contains(next.lower);
}

// Fills text, person and organization from tokens [first, end).
void Describe(const Document& doc, const Lexicons& lex, SpeakerMention* sp) {
  int first = sp->first;
  while (first < sp->end && IsDeterminer(doc.tokens[first].lower)) ++first;
  if (first >= sp->end) first = sp->first;
  sp->text = std::string(doc.TextOf(first, sp->end));
  // The person: the last run of two or more capitalized words that are not
  // title words, or one after a title ("Mr Tokayev", "President Tokayev").
  int best_first = -1;
  int best_end = -1;
  int t = first;
  while (t < sp->end) {
    const Token& tok = doc.tokens[t];
    const bool name_word = tok.Is(kCapitalized) && !tok.Is(kAllCaps) &&
                           !lex.speaker_words.contains(tok.lower) &&
                           !IsDeterminer(tok.lower);
    if (!name_word) {
      ++t;
      continue;
    }
    int e = t;
    while (e < sp->end &&
           ((doc.tokens[e].Is(kCapitalized) && !doc.tokens[e].Is(kAllCaps) &&
             !lex.speaker_words.contains(doc.tokens[e].lower)) ||
            (doc.tokens[e].lower == "-" && e + 1 < sp->end &&
             doc.tokens[e + 1].Is(kCapitalized)))) {
      ++e;
    }
    // "the Astana Times", "the Associated Press": a determiner and no title
    // before the name make it a body, not a person.
    const bool determiner_only =
        t > first && IsDeterminer(doc.tokens[t - 1].lower);
    const bool titled =
        t > first &&
        (lex.speaker_words.contains(doc.tokens[t - 1].lower) ||
         doc.tokens[t - 1].lower == "mr" || doc.tokens[t - 1].lower == "ms" ||
         doc.tokens[t - 1].lower == "mrs" || doc.tokens[t - 1].lower == "dr");
    if ((e - t >= 2 && !determiner_only && !sp->intro) || titled) {
      best_first = t;
      best_end = e;
    }
    t = e;
  }
  if (best_first >= 0) {
    sp->person = std::string(doc.TextOf(best_first, best_end));
  }
  if (best_first != first || best_end != sp->end) {
    // Whatever is not the person: "Kazakhstan Police", "health ministry".
    const int org_end = best_first > first ? best_first : sp->end;
    if (best_first < 0 || best_first > first) {
      sp->organization = std::string(doc.TextOf(first, org_end));
    }
  }
}

// The speaker before a reporting verb at token `verb`.
bool SpeakerBefore(const Document& doc, const Lexicons& lex, const Sentence& s,
                   const std::vector<uint8_t>& skip, int verb,
                   SpeakerMention* sp) {
  int k = verb - 1;
  while (k >= s.first_token && (skip[k] || IsVerbFiller(doc.tokens[k].lower))) {
    --k;
  }
  if (k < s.first_token) return false;
  if (IsPronoun(doc.tokens[k].lower)) {
    sp->first = k;
    sp->end = k + 1;
    sp->pronoun = true;
    sp->text = std::string(doc.tokens[k].lower);
    return true;
  }
  const int end = k + 1;
  int first = end;
  // "The Manila Police District (MPD) announced": the name's acronym in
  // brackets belongs to the speaker.
  if (k - 2 > s.first_token && doc.tokens[k].lower == ")" &&
      doc.tokens[k - 2].lower == "(" && doc.tokens[k - 1].Is(kCapitalized) &&
      NameLike(doc, lex, k - 3)) {
    k -= 3;
  }
  while (k >= s.first_token) {
    const Token& tok = doc.tokens[k];
    if (NameLike(doc, lex, k) || (first == k + 1 && first < end &&
                                  ModifiesSpeakerWord(doc, lex, s, k))) {
      first = k;
      --k;
      continue;
    }
    if (IsConnector(tok.lower) && k > s.first_token && first <= k + 1 &&
        first < end && NameLike(doc, lex, k - 1)) {
      --k;
      continue;
    }
    if (IsDeterminer(tok.lower) && first < end) first = k;
    // Apposition: "the Prosecutor General of the country, Berik Asylov".
    bool name_only = first < end;
    for (int q = first; q < end; ++q) {
      if (!doc.tokens[q].Is(kCapitalized) ||
          lex.speaker_words.contains(doc.tokens[q].lower)) {
        name_only = false;
      }
    }
    if (tok.lower == "," && name_only && k - 1 >= s.first_token &&
        lex.speaker_words.contains(doc.tokens[k - 1].lower)) {
      int j = k - 1;
      while (j >= s.first_token &&
             (NameLike(doc, lex, j) || IsConnector(doc.tokens[j].lower) ||
              IsDeterminer(doc.tokens[j].lower))) {
        --j;
      }
      first = j + 1;
    }
    break;
  }
  if (first >= end) return false;
  // A lone capitalized sentence opener ("This", "That") is no speaker.
  bool has_content = false;
  for (int t = first; t < end; ++t) {
    const Token& tok = doc.tokens[t];
    if (IsDeterminer(tok.lower) || IsConnector(tok.lower)) continue;
    if (t == s.first_token && tok.Is(kCapitalized) &&
        !lex.speaker_words.contains(tok.lower) && end - first == 1) {
      // One capitalized word opening the sentence: a name ("Azirbek said")
      // unless it is a function word.
      if (tok.lower == "this" || tok.lower == "that" || tok.lower == "it" ||
          tok.lower == "there" || tok.lower == "which") {
        continue;
      }
    }
    has_content = true;
  }
  if (!has_content) return false;
  sp->first = first;
  sp->end = end;
  return true;
}

// "Serik Shalabayev, head of criminal prosecution at the Prosecutor
// General's Office, told ...": a name, then a title between commas that
// names the speaker's role, right before the verb at `verb`.
bool AppositiveSpeakerBefore(const Document& doc, const Lexicons& lex,
                             const Sentence& s, int verb, SpeakerMention* sp) {
  const int close = verb - 1;
  if (close <= s.first_token || doc.tokens[close].lower != ",") return false;
  int open = close - 1;
  bool titled = false;
  while (open > s.first_token && open >= close - 15 &&
         doc.tokens[open].lower != ",") {
    if (lex.speaker_words.contains(doc.tokens[open].lower)) titled = true;
    --open;
  }
  if (open <= s.first_token || doc.tokens[open].lower != "," ||
      open + 1 >= close) {
    return false;
  }
  if (!titled) {
    // "Armenia's prime minister, Nikol Pashinyan, said": the name between
    // the commas, after a title.
    bool name = close - open >= 3;
    for (int k = open + 1; k < close; ++k) {
      if (!doc.tokens[k].Is(kCapitalized)) name = false;
    }
    if (!name || !lex.speaker_words.contains(doc.tokens[open - 1].lower)) {
      return false;
    }
    sp->first = open + 1;
    sp->end = close;
    return true;
  }
  // The name: capitalised words right before the first comma.
  int first = open;
  while (first > s.first_token && doc.tokens[first - 1].Is(kCapitalized) &&
         !doc.tokens[first - 1].Is(kBoilerplate)) {
    --first;
  }
  if (open - first < 2) return false;  // a person's name has two words or more
  sp->first = first;
  sp->end = close;
  return true;
}

// The speaker after an introducing phrase ending before token `after`.
bool SpeakerAfter(const Document& doc, const Lexicons& lex, const Sentence& s,
                  int after, SpeakerMention* sp) {
  int k = after;
  int end = after;
  while (k < s.end_token && k < after + 10) {
    const Token& tok = doc.tokens[k];
    if (NameLike(doc, lex, k) || IsDeterminer(tok.lower)) {
      end = ++k;
      continue;
    }
    if (ModifiesSpeakerWord(doc, lex, s, k)) {
      ++k;  // "the transport ministry": part of the name if the noun follows
      continue;
    }
    if ((IsConnector(tok.lower) || tok.lower == "and") && k + 1 < s.end_token &&
        (NameLike(doc, lex, k + 1) || IsDeterminer(doc.tokens[k + 1].lower))) {
      ++k;
      continue;
    }
    if (tok.lower == ")" && end > after) {
      end = ++k;
      continue;
    }
    break;
  }
  while (end > after && (IsDeterminer(doc.tokens[end - 1].lower) ||
                         IsConnector(doc.tokens[end - 1].lower))) {
    if (doc.tokens[end - 1].lower == ")") break;
    --end;
  }
  if (end <= after) return false;
  sp->first = after;
  sp->end = end;
  return true;
}

}  // namespace

void FindSpeakers(const Document& doc, const Lexicons& lex, const Sentence& s,
                  const std::vector<uint8_t>& skip,
                  std::vector<SpeakerMention>* out) {
  for (int t = s.first_token; t < s.end_token; ++t) {
    if (doc.tokens[t].Is(kBoilerplate)) continue;
    PhraseMatch m = lex.reporting.Match(doc.tokens, t, s.end_token);
    if (!m) continue;
    // "the United States urged": a capitalised word inside a sentence is a
    // name, not the verb "states".
    if (t > s.first_token && doc.tokens[t].Is(kCapitalized)) continue;
    if (lex.reporting_roles[m.id] == ReportRole::kPublication) continue;
    SpeakerMention sp;
    sp.cue = t;
    bool found = false;
    if (lex.reporting_roles[m.id] == ReportRole::kVerb) {
      found = SpeakerBefore(doc, lex, s, skip, t, &sp) ||
              AppositiveSpeakerBefore(doc, lex, s, t, &sp);
      // '"...," said Richard Ochieng', '..., said the ministry': a verb
      // right after a quote or a comma comes before its speaker.
      if (!found && t > s.first_token &&
          (doc.tokens[t - 1].lower == "," || doc.tokens[t - 1].lower == "\"" ||
           doc.tokens[t - 1].lower == "'")) {
        // Only when the name ends the clause: in "Armenia's prime minister,
        // Nikol Pashinyan, said the alliance would ..." what follows "said"
        // is what was said.
        found = SpeakerAfter(doc, lex, s, t + m.length, &sp) &&
                !IsPronoun(doc.tokens[sp.first].lower) &&
                (sp.end >= s.end_token || doc.tokens[sp.end].lower == "," ||
                 doc.tokens[sp.end].lower == "." ||
                 doc.tokens[sp.end].lower == ";");
      }
    } else {
      found = SpeakerAfter(doc, lex, s, t + m.length, &sp);
      sp.intro = true;
      // "according to a statement by the commission": the inner intro's
      // speaker is the source, not the document.
      if (found) {
        const PhraseMatch inner = lex.reporting.Match(doc.tokens, sp.first,
                                                      s.end_token);
        if (inner && lex.reporting_roles[inner.id] == ReportRole::kIntro) {
          found = false;
        }
      }
    }
    // "And medical sources told AFP": a sentence's opening conjunction is
    // not part of the speaker.
    while (found && sp.end - sp.first > 1 &&
           (doc.tokens[sp.first].lower == "and" ||
            doc.tokens[sp.first].lower == "but")) {
      ++sp.first;
    }
    if (found) {
      if (!sp.pronoun) Describe(doc, lex, &sp);
      out->push_back(std::move(sp));
    }
    t += m.length - 1;
  }
}

namespace {

using Words = absl::InlinedVector<absl::string_view, 8>;

// The words of a speaker's text, split at spaces, commas and parentheses.
// Views into `text`.
void SplitWords(absl::string_view text, Words* words) {
  words->clear();
  size_t start = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i < text.size() && text[i] != ' ' && text[i] != ',' && text[i] != '(' &&
        text[i] != ')') {
      continue;
    }
    if (i > start) words->push_back(text.substr(start, i - start));
    start = i + 1;
  }
}

// Whether every word of `mine` but "the" is one of `theirs`, ignoring
// case: "the Prosecutor General" in "Prosecutor General Berik Asylov",
// "Asylov" in "Berik Asylov".
bool AllWordsIn(absl::Span<const absl::string_view> mine,
                absl::Span<const absl::string_view> theirs) {
  if (mine.empty()) return false;
  for (absl::string_view w : mine) {
    if (absl::EqualsIgnoreCase(w, "the")) continue;
    if (std::none_of(theirs.begin(), theirs.end(), [w](absl::string_view t) {
          return absl::EqualsIgnoreCase(w, t);
        })) {
      return false;
    }
  }
  return true;
}

void TakeNames(const SpeakerMention& from, SpeakerMention* to) {
  to->text = from.text;
  to->person = from.person;
  to->organization = from.organization;
}

}  // namespace

void ResolveSpeakers(std::vector<std::vector<SpeakerMention>>* speakers) {
  // The possible antecedents, resolved, in text order, with the words of
  // their texts (views into them) if they name a person. Resolution works in
  // place and the vectors do not change size, so the pointers and views stay
  // valid and nothing is copied but the names a speaker takes.
  struct Antecedent {
    const SpeakerMention* speaker;
    int words_begin;  // range in `words`
    int words_end;
  };
  std::vector<Antecedent> seen;
  std::vector<absl::string_view> words;
  Words mine;
  for (std::vector<SpeakerMention>& sentence : *speakers) {
    for (SpeakerMention& speaker : sentence) {
      if (speaker.pronoun) {
        const bool thing = speaker.text == "it";
        const bool they = speaker.text == "they";
        for (auto it = seen.rbegin(); it != seen.rend(); ++it) {
          const SpeakerMention& a = *it->speaker;
          if (a.intro) continue;  // outlets quoted are not who speaks on
          if (thing ? !a.organization.empty() && a.person.empty()
                    : !a.person.empty() || they) {
            TakeNames(a, &speaker);
            speaker.pronoun = false;
            break;
          }
        }
        continue;  // pronouns are never antecedents themselves
      }
      SplitWords(speaker.text, &mine);
      bool took = false;
      if (speaker.person.empty() || mine.size() == 1) {
        for (auto it = seen.rbegin(); it != seen.rend(); ++it) {
          const SpeakerMention& a = *it->speaker;
          if (a.person.empty()) continue;
          if (AllWordsIn(mine, absl::MakeConstSpan(words).subspan(
                                   it->words_begin,
                                   it->words_end - it->words_begin))) {
            TakeNames(a, &speaker);
            took = true;
            break;
          }
        }
      }
      Antecedent a{&speaker, static_cast<int>(words.size()), 0};
      if (!speaker.person.empty()) {
        // `mine` views the text it had before it took its antecedent's.
        if (took) SplitWords(speaker.text, &mine);
        words.insert(words.end(), mine.begin(), mine.end());
      }
      a.words_end = static_cast<int>(words.size());
      seen.push_back(a);
    }
  }
}

}  // namespace newsevents::extract
