#ifndef NEWSEVENTS_COMMON_RPC_STATUS_H_
#define NEWSEVENTS_COMMON_RPC_STATUS_H_

// The one place where library errors (absl::Status) become gRPC statuses.
// Every payload attached with common/errors.h becomes a google.protobuf.Any
// in the google.rpc.Status details (grpc-status-details-bin trailer), so
// clients see BadRequest field violations, QuotaFailure and ErrorInfo.

#include <grpcpp/support/status.h>

#include "absl/status/status.h"

namespace newsevents {

// Converts `status` to a grpc::Status with the same canonical code, message
// and details. OK stays OK.
grpc::Status ToGrpcStatus(const absl::Status& status);

// Converts a grpc::Status received from a peer back to absl::Status,
// keeping the code and message (details are dropped).
absl::Status FromGrpcStatus(const grpc::Status& status);

}  // namespace newsevents

#endif  // NEWSEVENTS_COMMON_RPC_STATUS_H_
