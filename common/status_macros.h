#ifndef NEWSEVENTS_COMMON_STATUS_MACROS_H_
#define NEWSEVENTS_COMMON_STATUS_MACROS_H_

// Early-return helpers for absl::Status and absl::StatusOr, which Abseil
// 20220623 does not provide.
//
//   NE_RETURN_IF_ERROR(store->Write(batch));
//   NE_ASSIGN_OR_RETURN(auto event, store->GetEvent(id));    // declares
//   NE_ASSIGN_OR_RETURN(cursor, DecodeCursor(token));        // assigns
//
// NE_RETURN_IF_ERROR(expr) is one statement: it may stand anywhere a
// statement may, including the unbraced body of an if, with or without an
// else.
//
// NE_ASSIGN_OR_RETURN(lhs, expr) evaluates `expr` (an absl::StatusOr<T>)
// once; on error it returns the status from the enclosing function (which
// must return absl::Status or absl::StatusOr<U>) without evaluating `lhs`;
// otherwise it moves the value into `lhs`. So that `lhs` may declare a
// variable visible after the macro, it expands to several statements, the
// first of which declares the StatusOr. As the unbraced body of an if, else,
// for or while it therefore does not compile (the later statements cannot
// see the StatusOr), so it can never run half under the condition; brace
// the body. tests/status_macros_test.cc holds both the runtime tests and a
// compile test that pins this.

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define NE_STATUS_CONCAT_INNER_(a, b) a##b
#define NE_STATUS_CONCAT_(a, b) NE_STATUS_CONCAT_INNER_(a, b)

#define NE_RETURN_IF_ERROR(expr)                                             \
  do {                                                                       \
    ::absl::Status ne_return_if_error_status_ = (expr);                      \
    if (!ne_return_if_error_status_.ok()) return ne_return_if_error_status_; \
  } while (false)

#define NE_ASSIGN_OR_RETURN(lhs, expr)                                         \
  NE_ASSIGN_OR_RETURN_IMPL_(NE_STATUS_CONCAT_(ne_statusor_, __COUNTER__), lhs, \
                            expr)

#define NE_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, expr)     \
  auto statusor = (expr);                                  \
  if (!statusor.ok()) return std::move(statusor).status(); \
  lhs = std::move(statusor).value()

#endif  // NEWSEVENTS_COMMON_STATUS_MACROS_H_
