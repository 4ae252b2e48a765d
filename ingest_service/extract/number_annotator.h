#ifndef NEWSEVENTS_INGEST_SERVICE_EXTRACT_NUMBER_ANNOTATOR_H_
#define NEWSEVENTS_INGEST_SERVICE_EXTRACT_NUMBER_ANNOTATOR_H_

// Finds numbers in a sentence: digits with separators ("3,500", "2300",
// "1.5 million"), number words ("Twelve", "two hundred", "twenty-five"),
// vague words ("dozens" = 24, by the table of vague_numbers.tsv), their
// qualifiers ("more than", "nearly", "about") and ranges ("between 20 and
// 30", "20-30"). Numbers that count nothing (years, ages, durations, money,
// percentages, measures, numbers of cases, parts of names such as
// "Khabar 24") are kept but flagged counts_nothing, so that they are never
// taken for another number's neighbour.
//
// Thread-safety: pure function.

#include <cstdint>
#include <vector>

#include "ingest_service/extract/annotations.h"
#include "ingest_service/extract/document.h"
#include "ingest_service/extract/lexicons.h"

namespace newsevents::extract {

// Appends the numbers of tokens [first, end) to *out. Tokens with
// skip[t] != 0 (dates, boilerplate) are never part of a number.
void FindNumbers(const Document& doc, const Lexicons& lex, int first, int end,
                 const std::vector<uint8_t>& skip,
                 std::vector<NumberMention>* out);

}  // namespace newsevents::extract

#endif  // NEWSEVENTS_INGEST_SERVICE_EXTRACT_NUMBER_ANNOTATOR_H_
