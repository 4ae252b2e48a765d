#ifndef NEWSEVENTS_QUERY_SERVICE_STORE_FILTER_PARSER_H_
#define NEWSEVENTS_QUERY_SERVICE_STORE_FILTER_PARSER_H_

// Parses AIP-160 filter text into a syntax tree, without knowing any fields;
// filter.h resolves the tree against a message's fields.
//
// Grammar (AIP-160; note that OR binds tighter than AND):
//   filter      := [expression]
//   expression  := sequence { "AND" sequence }
//   sequence    := factor { factor }              (juxtaposition means AND)
//   factor      := term { "OR" term }
//   term        := ["NOT" | "-"] simple
//   simple      := "(" expression ")" | restriction
//   restriction := comparable [ comparator value ]
//   comparator  := "=" | "!=" | "<" | ">" | "<=" | ">=" | ":"
// A comparable or value is an unquoted text ("location.name", "2022-01-05",
// "RIOT", "-3.5", "Alm*") or a quoted string ("..." or '...', with backslash
// escapes). An unquoted value may contain ':' (timestamps). A restriction
// without a comparator is a global search term.
//
// Errors: INVALID_ARGUMENT on field "filter", built with InvalidFieldError,
// whose description names the problem and its 1-based character position.
// Thread-safety: ParseFilter is a pure function.

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace newsevents::query {

enum class CompareOp { kEq, kNe, kLt, kGt, kLe, kGe, kHas };

// Spelling of `op` as written in filters, e.g. "<=".
absl::string_view CompareOpName(CompareOp op);

// One node of a parsed filter.
struct FilterExpr {
  enum class Kind {
    kAnd,          // all of `children`
    kOr,           // any of `children`
    kNot,          // negation of children[0]
    kRestriction,  // `field op value`
    kGlobal,       // bare term: `value` searched across text fields
  };
  Kind kind = Kind::kAnd;
  std::vector<FilterExpr> children;
  std::string field;  // kRestriction: dotted path as written
  CompareOp op = CompareOp::kEq;
  std::string value;          // kRestriction/kGlobal: unescaped literal
  bool value_quoted = false;  // the literal was a quoted string
  size_t position = 0;        // 1-based position of the restriction/term
  size_t value_position = 0;  // 1-based position of the literal
};

// Parses `filter`. An empty or all-blank filter gives an empty kAnd (which
// matches everything).
absl::StatusOr<FilterExpr> ParseFilter(absl::string_view filter);

}  // namespace newsevents::query

#endif  // NEWSEVENTS_QUERY_SERVICE_STORE_FILTER_PARSER_H_
