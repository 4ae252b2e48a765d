#include "ingest_service/extract/trigger_annotator.h"

#include <algorithm>

namespace newsevents::extract {
namespace {

// Whether a phrase of class `cls` occurs in [from, to) of the sentence,
// outside [skip_first, skip_end).
bool ClassNear(const Document& doc, const Lexicons& lex, int cls, int from,
               int to, int skip_first, int skip_end) {
  for (int k = from; k < to; ++k) {
    if (k >= skip_first && k < skip_end) continue;
    if (lex.MatchClass(cls, doc.tokens, k, to) > 0) return true;
  }
  return false;
}

bool IsClauseBreak(const Token& t) {
  return t.lower == ";" || t.lower == ":" || t.lower == "." || t.lower == "?";
}

v1::Modality ModalityOf(const Document& doc, const Lexicons& lex,
                        const Sentence& s, int trigger) {
  constexpr int kMaxWindow = 6;
  for (int k = trigger - 1; k >= s.first_token && k >= trigger - kMaxWindow;
       --k) {
    if (IsClauseBreak(doc.tokens[k])) break;
    PhraseMatch m = lex.modality.Match(doc.tokens, k, trigger);
    if (!m) continue;
    const ModalityRule& rule = lex.modality_rules[m.id];
    if (trigger - (k + m.length) < rule.window) return rule.modality;
  }
  return v1::MODALITY_ACTUAL;
}

}  // namespace

void FindTriggers(const Document& doc, const Lexicons& lex, const Sentence& s,
                  std::vector<TriggerMention>* out) {
  std::vector<PhraseMatch> matches;
  int t = s.first_token;
  while (t < s.end_token) {
    if (doc.tokens[t].Is(kBoilerplate)) {
      ++t;
      continue;
    }
    // "in March" is a month, not a march.
    if (t > s.first_token && doc.tokens[t].Is(kCapitalized)) {
      PhraseMatch month = lex.date_words.Match(doc.tokens, t, t + 1);
      if (month && lex.date_word_values[month.id].word_class ==
                       DateWord::Class::kMonth) {
        ++t;
        continue;
      }
    }
    matches.clear();
    lex.triggers.MatchAll(doc.tokens, t, s.end_token, &matches);
    int consumed = 1;
    for (const PhraseMatch& m : matches) {
      bool any = false;
      for (const TriggerRule& rule : lex.trigger_rules[m.id]) {
        const int from = std::max(s.first_token, t - rule.window);
        const int to = std::min(s.end_token, t + m.length + rule.window);
        if (rule.needs_class >= 0 &&
            !ClassNear(doc, lex, rule.needs_class, from, to, t, t + m.length)) {
          continue;
        }
        if (rule.forbids_class >= 0 && ClassNear(doc, lex, rule.forbids_class,
                                                 from, to, t, t + m.length)) {
          continue;
        }
        TriggerMention trigger;
        trigger.first = t;
        trigger.end = t + m.length;
        trigger.type = rule.type;
        trigger.modality = ModalityOf(doc, lex, s, t);
        out->push_back(trigger);
        any = true;
      }
      if (any) {
        consumed = m.length;
        break;  // the longest phrase with a satisfied rule wins
      }
    }
    t += consumed;
  }
}

}  // namespace newsevents::extract
