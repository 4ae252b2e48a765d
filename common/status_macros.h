#ifndef NEWSEVENTS_COMMON_STATUS_MACROS_H_
#define NEWSEVENTS_COMMON_STATUS_MACROS_H_

// Early-return helpers for absl::Status and absl::StatusOr, which Abseil
// 20220623 does not provide.
//
//   NE_RETURN_IF_ERROR(store->Write(batch));
//   NE_ASSIGN_OR_RETURN(auto event, store->GetEvent(id));

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define NE_STATUS_CONCAT_INNER_(a, b) a##b
#define NE_STATUS_CONCAT_(a, b) NE_STATUS_CONCAT_INNER_(a, b)

#define NE_RETURN_IF_ERROR(expr)             \
  do {                                       \
    ::absl::Status ne_status_ = (expr);      \
    if (!ne_status_.ok()) return ne_status_; \
  } while (false)

#define NE_ASSIGN_OR_RETURN(lhs, expr)                                      \
  NE_ASSIGN_OR_RETURN_IMPL_(NE_STATUS_CONCAT_(ne_statusor_, __LINE__), lhs, \
                            expr)

#define NE_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, expr) \
  auto statusor = (expr);                              \
  if (!statusor.ok()) return statusor.status();        \
  lhs = std::move(statusor).value()

#endif  // NEWSEVENTS_COMMON_STATUS_MACROS_H_
