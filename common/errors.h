#ifndef NEWSEVENTS_COMMON_ERRORS_H_
#define NEWSEVENTS_COMMON_ERRORS_H_

// Builders for absl::Status values that carry google.rpc error details as
// payloads, so that the single conversion in common/rpc_status.h can send
// them to gRPC clients as google.rpc.Status details (AIP-193).
//
// Payload type URLs are "type.googleapis.com/<full message name>", the same
// form google.protobuf.Any uses, so conversion is a plain copy.

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace newsevents {

// Every string a builder below puts into a message or a detail (field names,
// descriptions, resource names, subjects: values that may echo a request) is
// cut to this many bytes, at a character boundary, with its original size
// noted, so an oversized request cannot make an oversized error (clients'
// default metadata limits would turn it into RESOURCE_EXHAUSTED).
inline constexpr size_t kMaxEchoedBytes = 256;

// The error domain in ErrorInfo details.
inline constexpr absl::string_view kErrorDomain = "newsevents";

// One request field and why its value is rejected.
struct FieldViolation {
  std::string field;
  std::string description;
};

// INVALID_ARGUMENT naming one field; the message is "<field>: <description>".
absl::Status InvalidFieldError(absl::string_view field,
                               absl::string_view description);

// INVALID_ARGUMENT naming several fields. `violations` must not be empty.
absl::Status InvalidFieldsError(const std::vector<FieldViolation>& violations);

// RESOURCE_EXHAUSTED for a limit, with a QuotaFailure detail.
absl::Status LimitExceededError(absl::string_view subject,
                                absl::string_view description);

// NOT_FOUND for a resource, with a ResourceInfo detail.
absl::Status ResourceNotFoundError(absl::string_view resource_type,
                                   absl::string_view resource_name);

// Adds an ErrorInfo{reason, domain=kErrorDomain} payload to `status`.
absl::Status WithReason(absl::Status status, absl::string_view reason);

// A status with `code` and `message` and an ErrorInfo{reason,
// domain=kErrorDomain, metadata} payload (values cut as above), e.g.
// UNAUTHENTICATED with reason "TOKEN_MISSING" and metadata {"method": ...}.
absl::Status ErrorWithInfo(absl::StatusCode code, absl::string_view message,
                           absl::string_view reason,
                           const std::map<std::string, std::string>& metadata);

// Adds a google.rpc.RetryInfo{retry_delay = `delay`} payload to `status`
// (negative delays become zero): when the client may try again.
absl::Status WithRetryDelay(absl::Status status, absl::Duration delay);

// Adds a google.rpc.QuotaFailure{subject, description} payload to `status`.
absl::Status WithQuotaFailure(absl::Status status, absl::string_view subject,
                              absl::string_view description);

// Returns the field violations carried by `status` (empty when none).
std::vector<FieldViolation> FieldViolationsOf(const absl::Status& status);

}  // namespace newsevents

#endif  // NEWSEVENTS_COMMON_ERRORS_H_
