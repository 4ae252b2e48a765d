#include "ingest_service/extract/number_annotator.h"

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"

namespace newsevents::extract {
namespace {

// The largest value a count may have (ten billion).
constexpr double kMaxCount = 1e10;

struct Parsed {
  int end = 0;  // one past the last token
  int64_t value = 0;
  bool is_word_one = false;
};

// Digits like "3,500", "2300", "1.5" (then an optional scale word).
bool ParseDigits(const Document& doc, const Lexicons& lex, int t, int end,
                 Parsed* out) {
  const Token& tok = doc.tokens[t];
  if (!tok.Is(kNumber)) return false;
  std::string digits;
  bool decimal = false;
  for (char c : tok.text) {
    if (absl::ascii_isdigit(static_cast<unsigned char>(c))) {
      digits.push_back(c);
    } else if (c == ',') {
      continue;
    } else if (c == '.') {
      decimal = true;
      digits.push_back(c);
    } else {
      return false;  // "2nd", "1990s"
    }
  }
  double value;
  if (!absl::SimpleAtod(digits, &value)) return false;
  int next = t + 1;
  if (next < end) {
    PhraseMatch scale = lex.number_words.Match(doc.tokens, next, end);
    if (scale && lex.number_word_values[scale.id].word_class ==
                     NumberWord::Class::kScale) {
      value *= static_cast<double>(lex.number_word_values[scale.id].value);
      next += scale.length;
    }
  }
  // Larger than any count of people or things (and than int64_t can hold):
  // an identifier or a garbled number.
  if (!(value <= kMaxCount)) return false;
  if (decimal && value != static_cast<double>(static_cast<int64_t>(value))) {
    return false;  // 1.5 alone is a measure, not a count
  }
  out->end = next;
  out->value = static_cast<int64_t>(value);
  return true;
}

// Number words: "twelve", "two hundred", "twenty-five", "a thousand".
bool ParseWords(const Document& doc, const Lexicons& lex, int t, int end,
                Parsed* out) {
  int pos = t;
  int64_t total = 0;
  int64_t current = 0;
  int words = 0;
  bool saw_unit_or_ten = false;
  // "a hundred", "a thousand" (but "a dozen" is a vague phrase).
  if (doc.tokens[pos].lower == "a" && pos + 1 < end) {
    PhraseMatch scale = lex.number_words.Match(doc.tokens, pos + 1, end);
    if (scale &&
        lex.number_word_values[scale.id].word_class ==
            NumberWord::Class::kScale &&
        lex.number_word_values[scale.id].value >= 100) {
      current = 1;
      ++pos;
    }
  }
  while (pos < end) {
    PhraseMatch m = lex.number_words.Match(doc.tokens, pos, end);
    if (!m) {
      // "twenty-five" and "hundred and fifty".
      const absl::string_view w = doc.tokens[pos].lower;
      if (words > 0 && (w == "-" || w == "and") && pos + 1 < end &&
          lex.number_words.Match(doc.tokens, pos + 1, end)) {
        const NumberWord& next =
            lex.number_word_values
                [lex.number_words.Match(doc.tokens, pos + 1, end).id];
        if (next.word_class != NumberWord::Class::kScale &&
            ((w == "-" && doc.tokens[pos].end == doc.tokens[pos + 1].begin) ||
             (w == "and" && current >= 100))) {
          ++pos;
          continue;
        }
      }
      break;
    }
    const NumberWord& word = lex.number_word_values[m.id];
    if (static_cast<double>(total) +
            static_cast<double>(current) * static_cast<double>(word.value) >
        kMaxCount) {
      break;  // "million million ...": stop before overflowing
    }
    if (word.word_class == NumberWord::Class::kScale) {
      if (words == 0 && current == 0) break;  // "hundred" alone
      if (word.value == 100 || word.value == 12) {
        current = (current == 0 ? 1 : current) * word.value;
      } else {
        total += (current == 0 ? 1 : current) * word.value;
        current = 0;
      }
    } else {
      if (saw_unit_or_ten && current % 100 != 0 &&
          !(word.word_class == NumberWord::Class::kUnit && current % 10 == 0 &&
            current % 100 >= 20 && word.value < 10)) {
        break;  // "one two" is two numbers
      }
      current += word.value;
      saw_unit_or_ten = true;
    }
    ++words;
    pos += m.length;
  }
  if (words == 0) return false;
  out->end = pos;
  out->value = total + current;
  out->is_word_one = words == 1 && out->value == 1;
  return out->value > 0;
}

bool ParseNumberAt(const Document& doc, const Lexicons& lex, int t, int end,
                   Parsed* out) {
  return ParseDigits(doc, lex, t, end, out) ||
         ParseWords(doc, lex, t, end, out);
}

// Whether the number at [num_first, num_end) counts nothing: a year, an age,
// a duration, money, a percentage, a measure, or part of a name.
bool CountsNothing(const Document& doc, const Lexicons& lex, int sentence_first,
                   int num_first, int num_end, int end, int64_t value) {
  const std::vector<Token>& tokens = doc.tokens;
  const Token& first = tokens[num_first];
  // A unit right after ("30 years", "80%", "two-week", "44 criminal cases").
  int next = num_end;
  if (next < end && tokens[next].lower == "-" &&
      tokens[next].begin == tokens[next - 1].end) {
    ++next;
  }
  for (int k = next; k < end && k < next + 2; ++k) {
    if (lex.non_count_units.contains(tokens[k].lower)) return true;
    if (tokens[k].lower == "criminal") continue;
    break;
  }
  if (next < end && tokens[next].lower == ":" && next + 1 < end &&
      tokens[next + 1].Is(kNumber)) {
    return true;  // a time
  }
  // A year: four digits without separators in 1800..2100, unless people
  // follow ("2022 people").
  if (first.Is(kNumber) && first.text.size() == 4 && value >= 1800 &&
      value <= 2100) {
    const bool people_follow =
        num_end < end && (lex.people.Match(tokens, num_end, end) ||
                          lex.property.Match(tokens, num_end, end));
    if (!people_follow) return true;
  }
  if (num_first > sentence_first) {
    const Token& prev = tokens[num_first - 1];
    // Money: "$500", "US$ 3 million".
    if (prev.text == "$" || prev.lower == "us$" || prev.lower == "usd" ||
        prev.lower == "rs" || prev.text == "\xE2\x82\xAC" ||
        prev.text == "\xC2\xA3") {
      return true;
    }
    if (prev.lower == "aged" || prev.lower == "age" || prev.lower == "no" ||
        prev.lower == "number" || prev.lower == "page") {
      return true;
    }
    // Part of a name: "Khabar 24", "Khabar-24", "COVID-19".
    // ("Another 20 people", "In Lima 20 people": people follow, a count.)
    const bool people_follow =
        num_end < end && (lex.people.Match(tokens, num_end, end) ||
                          lex.property.Match(tokens, num_end, end) ||
                          tokens[num_end].lower == "of");
    // ("The 12 dead": a capitalised determiner opens a sentence, not a name.)
    const bool determiner = prev.lower == "the" || prev.lower == "these" ||
                            prev.lower == "those" || prev.lower == "all" ||
                            prev.lower == "another" || prev.lower == "only";
    if (first.Is(kNumber) && prev.Is(kCapitalized) && !determiner &&
        !people_follow &&
        !lex.qualifiers.Match(tokens, num_first - 1, num_first).length &&
        !lex.date_words.Match(tokens, num_first - 1, num_first).length) {
      return true;
    }
    if (prev.lower == "-" && prev.begin == first.begin - 1 &&
        num_first - 2 >= sentence_first &&
        tokens[num_first - 2].end == prev.begin &&
        tokens[num_first - 2].Is(kWord) && !tokens[num_first - 2].Is(kNumber) &&
        !lex.number_words.Match(tokens, num_first - 2, num_first - 1)) {
      return true;
    }
  }
  return false;
}

// The qualifier phrase ending right before token `t`, if any.
bool QualifierBefore(const Document& doc, const Lexicons& lex,
                     int sentence_first, int t, int* qual_first,
                     v1::Qualifier* qualifier) {
  for (int len = 4; len >= 1; --len) {
    const int start = t - len;
    if (start < sentence_first) continue;
    PhraseMatch m = lex.qualifiers.Match(doc.tokens, start, t);
    if (m && m.length == len) {
      *qual_first = start;
      *qualifier = lex.qualifier_values[m.id];
      return true;
    }
  }
  return false;
}

}  // namespace

void FindNumbers(const Document& doc, const Lexicons& lex, int first, int end,
                 const std::vector<uint8_t>& skip,
                 std::vector<NumberMention>* out) {
  const std::vector<Token>& tokens = doc.tokens;
  // Numbers never span a skipped token: shorten the window at the first one.
  int t = first;
  int limit = first;  // end of the run of unskipped tokens holding t
  while (t < end) {
    if (skip[t]) {
      ++t;
      continue;
    }
    if (limit <= t) {
      limit = t;
      while (limit < end && !skip[limit]) ++limit;
    }
    // Most tokens can start no number: not digits, not a number word or
    // vague phrase, not the "a" of "a hundred".
    const Token& token = tokens[t];
    if (!token.Is(kNumber) && !lex.vague_numbers.MayStartWith(token) &&
        !lex.number_words.MayStartWith(token) && token.lower != "a") {
      ++t;
      continue;
    }

    NumberMention mention;
    mention.num_first = t;
    bool found = false;
    bool vague = false;
    // Vague words first ("a dozen", "tens of thousands", "several").
    if (PhraseMatch m = lex.vague_numbers.Match(tokens, t, limit)) {
      const VagueNumber& v = lex.vague_values[m.id];
      mention.value = v.value;
      mention.qualifier = v.qualifier;
      mention.end = t + m.length;
      vague = v.qualifier == v1::QUALIFIER_VAGUE;
      found = true;
    } else {
      Parsed parsed;
      if (ParseNumberAt(doc, lex, t, limit, &parsed)) {
        mention.value = parsed.value;
        mention.end = parsed.end;
        mention.needs_person_noun = parsed.is_word_one;
        found = true;
        // Ranges: "20-30", "20 to 30", "between 20 and 30".
        const int r = parsed.end;
        const bool between = t > first && tokens[t - 1].lower == "between";
        if (r + 1 < limit &&
            (tokens[r].lower == "-" || tokens[r].lower == "to" ||
             (between && tokens[r].lower == "and"))) {
          Parsed upper;
          if (ParseNumberAt(doc, lex, r + 1, limit, &upper) &&
              upper.value > parsed.value) {
            mention.value_max = upper.value;
            mention.qualifier = v1::QUALIFIER_RANGE;
            mention.end = upper.end;
          }
        }
        if (mention.qualifier == v1::QUALIFIER_RANGE) {
          mention.first = between ? t - 1 : t;
        }
      }
    }
    if (!found) {
      ++t;
      continue;
    }
    if (mention.qualifier != v1::QUALIFIER_RANGE) mention.first = t;
    int qual_first;
    v1::Qualifier qualifier;
    if (!vague && QualifierBefore(doc, lex, first, mention.first, &qual_first,
                                  &qualifier)) {
      // A range keeps its qualifier: "around 50,000 to 100,000" is RANGE.
      mention.first = qual_first;
      if (mention.qualifier != v1::QUALIFIER_RANGE) {
        mention.qualifier = qualifier;
      }
    }
    mention.counts_nothing =
        !vague &&
        CountsNothing(doc, lex, first, t, mention.end, limit, mention.value);
    if (vague && mention.end < limit &&
        lex.non_count_units.contains(tokens[mention.end].lower)) {
      mention.counts_nothing = true;  // "several days"
    }
    out->push_back(mention);
    t = mention.end;
  }
}

}  // namespace newsevents::extract
