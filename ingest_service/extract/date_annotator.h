#ifndef NEWSEVENTS_INGEST_SERVICE_EXTRACT_DATE_ANNOTATOR_H_
#define NEWSEVENTS_INGEST_SERVICE_EXTRACT_DATE_ANNOTATOR_H_

// Finds calendar expressions and resolves them against a reference date
// (the publication date, else the latest full date in the file; a date
// without a year takes the reference's year, year 0 without a reference):
// absolute dates ("January 5, 2022", "January 2nd 2022", "5 January",
// "1 and 2 July" -> first day, "2022-01-05"), weekdays ("on Wednesday",
// "Tuesday night": the latest such day on or before the reference),
// relative days ("yesterday", "last night"), and bare years ("in 1991", a
// marker of background). A date right next to a reporting verb ("stated on
// March 14", "on Thursday reported") is flagged as the day of an
// announcement, which is not the date of what it reports.
//
// Thread-safety: pure functions.

#include <vector>

#include "ingest_service/extract/annotations.h"
#include "ingest_service/extract/document.h"
#include "ingest_service/extract/lexicons.h"
#include "newsevents/v1/common.pb.h"

namespace newsevents::extract {

// Appends the date mentions of tokens [first, end) to *out (unresolved
// weekdays and relative days have month 0).
void FindDates(const Document& doc, const Lexicons& lex, int first, int end,
               std::vector<DateMention>* out);

// The reference date: `published` when it has a year, month and day, else
// the latest fully given date among `mentions`; year 0 when there is none.
v1::Date ReferenceDate(const v1::Date& published,
                       const std::vector<DateMention>& mentions);

// Fills in years, weekdays and relative days against `reference`.
void ResolveDates(const v1::Date& reference,
                  std::vector<DateMention>* mentions);

// Marks as `page_date` each full date with its year that is the reference
// date itself and shares its sentence with a weekday or relative day
// ("ANDIJAN, 14 May 2005 - Troops opened fire yesterday", "(Agency - 13th
// Jun, 2024) ... fired tear gas Wednesday"): there the full date is the
// page's dateline or credit, and the weekday dates the event.
void MarkPageDates(const Document& doc, const v1::Date& reference,
                   std::vector<DateMention>* mentions);

// Day of week, 1 (Monday) .. 7 (Sunday), of a proleptic Gregorian date.
int DayOfWeek(int year, int month, int day);

// Adds `days` (may be negative) to a date.
void AddDays(int days, int* year, int* month, int* day);

}  // namespace newsevents::extract

#endif  // NEWSEVENTS_INGEST_SERVICE_EXTRACT_DATE_ANNOTATOR_H_
