#include "ingest_service/extract/date_annotator.h"

#include <string>
#include <tuple>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"

namespace newsevents::extract {
namespace {

// Days since 1970-01-01 (Howard Hinnant's civil-from-days inverse).
int64_t DaysFromCivil(int y, int m, int d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void CivilFromDays(int64_t z, int* y, int* m, int* d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  *d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  *m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  *y = static_cast<int>(yoe + era * 400 + (*m <= 2));
}

// A day of month token: "5", "2nd", "14th".
bool DayNumber(const Token& tok, int* day) {
  if (!tok.Is(kNumber)) return false;
  std::string digits;
  absl::string_view suffix;
  size_t i = 0;
  while (i < tok.lower.size() &&
         absl::ascii_isdigit(static_cast<unsigned char>(tok.lower[i]))) {
    digits.push_back(tok.lower[i++]);
  }
  suffix = tok.lower.substr(i);
  if (!suffix.empty() && suffix != "st" && suffix != "nd" && suffix != "rd" &&
      suffix != "th") {
    return false;
  }
  int value;
  if (digits.size() > 2 || !absl::SimpleAtoi(digits, &value)) return false;
  if (value < 1 || value > 31) return false;
  *day = value;
  return true;
}

bool YearNumber(const Token& tok, int* year) {
  if (!tok.Is(kNumber) || tok.text.size() != 4) return false;
  int value;
  if (!absl::SimpleAtoi(tok.text, &value)) return false;
  if (value < 1800 || value > 2100) return false;
  *year = value;
  return true;
}

const DateWord* WordAt(const Document& doc, const Lexicons& lex, int t, int end,
                       int* length) {
  PhraseMatch m = lex.date_words.Match(doc.tokens, t, end);
  if (!m) return nullptr;
  *length = m.length;
  return &lex.date_word_values[m.id];
}

bool IsMonth(const DateWord* w) {
  return w != nullptr && w->word_class == DateWord::Class::kMonth;
}

// A month name is a month only when capitalized ("may" is a verb, "march" a
// noun).
bool CapitalizedAt(const Document& doc, int t) {
  return doc.tokens[t].Is(kCapitalized);
}

// Whether tokens[t] starts a reporting.tsv phrase of role `role`.
bool ReportWordAt(const Document& doc, const Lexicons& lex, int t, int end,
                  ReportRole role) {
  PhraseMatch m = lex.reporting.Match(doc.tokens, t, end);
  return m && lex.reporting_roles[m.id] == role;
}

}  // namespace

int DayOfWeek(int year, int month, int day) {
  const int64_t days = DaysFromCivil(year, month, day);
  // 1970-01-01 was a Thursday (4).
  int64_t w = (days + 3) % 7;
  if (w < 0) w += 7;
  return static_cast<int>(w) + 1;
}

void AddDays(int days, int* year, int* month, int* day) {
  CivilFromDays(DaysFromCivil(*year, *month, *day) + days, year, month, day);
}

void FindDates(const Document& doc, const Lexicons& lex, int first, int end,
               std::vector<DateMention>* out) {
  const std::vector<Token>& tokens = doc.tokens;
  int t = first;
  while (t < end) {
    // Every date starts with digits or a date word.
    if (!tokens[t].Is(kNumber) && !lex.date_words.MayStartWith(tokens[t])) {
      ++t;
      continue;
    }
    DateMention d;
    d.first = t;
    int len = 0;
    const DateWord* w = WordAt(doc, lex, t, end, &len);
    int day;
    int year;
    if (IsMonth(w) && CapitalizedAt(doc, t)) {
      // "January 5, 2022", "January 2nd 2022", "March 14", "January 2022".
      int p = t + len;
      d.month = w->value;
      // "Oct. 25": the period of an abbreviated month.
      if (p + 1 < end && tokens[p].lower == "." && tokens[t].text.size() <= 4 &&
          DayNumber(tokens[p + 1], &day)) {
        ++p;
      }
      if (p < end && DayNumber(tokens[p], &day)) {
        d.day = day;
        ++p;
        int q = p;
        if (q < end && tokens[q].lower == ",") ++q;
        if (q < end && YearNumber(tokens[q], &year)) {
          d.year = year;
          d.explicit_year = true;
          p = q + 1;
        }
        d.resolved = true;
      } else if (p < end && YearNumber(tokens[p], &year)) {
        d.year = year;  // month precision: kept, but not a day
        d.explicit_year = true;
        ++p;
      } else {
        ++t;
        continue;  // "the January riots": a month alone is not a day
      }
      d.end = p;
    } else if (DayNumber(tokens[t], &day)) {
      // "5 January 2022", "1 and 2 July".
      int p = t + 1;
      if (p + 1 < end &&
          (tokens[p].lower == "and" || tokens[p].lower == "-" ||
           tokens[p].lower == "to") &&
          DayNumber(tokens[p + 1], &year)) {
        p += 2;  // a span of days: the first day is the date
      }
      const DateWord* mw = p < end ? WordAt(doc, lex, p, end, &len) : nullptr;
      if (IsMonth(mw) && CapitalizedAt(doc, p)) {
        d.day = day;
        d.month = mw->value;
        d.resolved = true;
        p += len;
        // "5 January 2022", "13th Jun, 2024".
        const int q = p + 1 < end && tokens[p].lower == "," ? p + 1 : p;
        if (q < end && YearNumber(tokens[q], &year)) {
          d.year = year;
          d.explicit_year = true;
          p = q + 1;
        }
        d.end = p;
      } else {
        ++t;
        continue;
      }
    } else if (YearNumber(tokens[t], &year) && t + 4 < end &&
               tokens[t + 1].lower == "-" && tokens[t + 3].lower == "-") {
      // ISO "2022-01-05".
      int month;
      if (absl::SimpleAtoi(tokens[t + 2].text, &month) && month >= 1 &&
          month <= 12 && DayNumber(tokens[t + 4], &day)) {
        d.year = year;
        d.month = month;
        d.day = day;
        d.explicit_year = true;
        d.resolved = true;
        d.end = t + 5;
      } else {
        ++t;
        continue;
      }
    } else if (YearNumber(tokens[t], &year) && t > first &&
               tokens[t - 1].lower == "in") {
      d.year = year;
      d.year_only = true;
      d.end = t + 1;
    } else if (w != nullptr && w->word_class == DateWord::Class::kWeekday &&
               CapitalizedAt(doc, t)) {
      d.weekday = w->value;
      int p = t + len;
      // "Sunday, 6 September": the day and month win.
      int q = p;
      if (q < end && tokens[q].lower == ",") ++q;
      int mlen = 0;
      if (q + 1 < end && DayNumber(tokens[q], &day)) {
        const DateWord* mw = WordAt(doc, lex, q + 1, end, &mlen);
        if (IsMonth(mw)) {
          d.day = day;
          d.month = mw->value;
          d.resolved = true;
          d.weekday = 0;
          p = q + 1 + mlen;
        }
      }
      if (p < end &&
          (tokens[p].lower == "night" || tokens[p].lower == "morning" ||
           tokens[p].lower == "afternoon" || tokens[p].lower == "evening")) {
        ++p;
      }
      d.end = p;
    } else if (w != nullptr && w->word_class == DateWord::Class::kRelative) {
      d.relative = true;
      d.relative_days = w->value;
      d.end = t + len;
    } else {
      ++t;
      continue;
    }
    // "since October 25", "Since the unrest began on Tuesday": the start
    // of a period, within the same clause.
    for (int k = d.first - 1; k >= first && k >= d.first - 8; --k) {
      const absl::string_view w = tokens[k].lower;
      if (w == "since") d.since = true;
      // "extended until January 19": where a period ends.
      if ((w == "until" || w == "till") && k >= d.first - 2) d.until = true;
      if (w == "," || w == ";" || w == ":" || w == "\"" || w == "and") break;
    }
    // "as of 4:34 a.m. of Sept. 22", "as of Monday": the time of a tally,
    // not of what it counts (a clock time's colon does not end the clause).
    for (int k = d.first - 1; k > first && k >= d.first - 8; --k) {
      const absl::string_view w = tokens[k].lower;
      if (w == "of" && tokens[k - 1].lower == "as") d.announcement = true;
      const bool clock_colon = w == ":" && tokens[k - 1].Is(kNumber) &&
                               tokens[k + 1].Is(kNumber);
      if ((w == "," || w == ";" || w == ":") && !clock_colon) break;
    }
    // The day of an announcement: next to a reporting verb.
    for (int k = d.end; k < end && k <= d.end + 1; ++k) {
      if (ReportWordAt(doc, lex, k, end, ReportRole::kVerb)) {
        d.announcement = true;
      }
    }
    // ("told journalists on Wednesday": up to three words before.)
    for (int k = d.first - 1; k >= first && k >= d.first - 3; --k) {
      // "figures released on June 30", "a report published on Monday": the
      // day of a publication, not of what it counts.
      if (ReportWordAt(doc, lex, k, end, ReportRole::kVerb) ||
          ReportWordAt(doc, lex, k, end, ReportRole::kPublication)) {
        d.announcement = true;
      }
    }
    out->push_back(d);
    t = d.end;
  }
}

v1::Date ReferenceDate(const v1::Date& published,
                       const std::vector<DateMention>& mentions) {
  if (published.year() > 0 && published.month() > 0 && published.day() > 0) {
    return published;
  }
  v1::Date best;
  for (const DateMention& d : mentions) {
    if (!d.explicit_year || !d.resolved || d.day == 0) continue;
    if (std::make_tuple(d.year, d.month, d.day) >
        std::make_tuple(best.year(), best.month(), best.day())) {
      best.set_year(d.year);
      best.set_month(d.month);
      best.set_day(d.day);
    }
  }
  return best;
}

void MarkPageDates(const Document& doc, const v1::Date& reference,
                   std::vector<DateMention>* mentions) {
  if (reference.year() == 0) return;
  std::vector<DateMention>& all = *mentions;
  // Mentions are in text order: each sentence's are one run.
  for (size_t begin = 0; begin < all.size();) {
    const int sentence = doc.SentenceOf(all[begin].first);
    size_t end = begin + 1;
    bool weekday_or_relative = all[begin].weekday > 0 || all[begin].relative;
    for (; end < all.size() && doc.SentenceOf(all[end].first) == sentence;
         ++end) {
      weekday_or_relative |= all[end].weekday > 0 || all[end].relative;
    }
    for (size_t k = begin; weekday_or_relative && k < end; ++k) {
      DateMention& d = all[k];
      d.page_date = d.explicit_year && d.resolved &&
                    d.year == reference.year() &&
                    d.month == reference.month() && d.day == reference.day();
    }
    begin = end;
  }
}

void ResolveDates(const v1::Date& reference,
                  std::vector<DateMention>* mentions) {
  const bool have_reference = reference.year() > 0 && reference.month() > 0;
  for (DateMention& d : *mentions) {
    if (d.year_only) continue;
    if (d.resolved) {
      if (!d.explicit_year) d.year = have_reference ? reference.year() : 0;
      continue;
    }
    if (!have_reference) continue;
    int y = reference.year();
    int m = reference.month();
    int day = reference.day();
    if (d.weekday > 0) {
      const int ref_weekday = DayOfWeek(y, m, day);
      const int back = (ref_weekday - d.weekday + 7) % 7;
      AddDays(-back, &y, &m, &day);
    } else if (d.relative) {
      AddDays(d.relative_days, &y, &m, &day);
    } else {
      continue;
    }
    d.year = y;
    d.month = m;
    d.day = day;
    d.resolved = true;
  }
}

}  // namespace newsevents::extract
