#include "common/errors.h"

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/rpc/error_details.pb.h"

namespace newsevents {
namespace {

std::string TypeUrl(const google::protobuf::Message& message) {
  return absl::StrCat("type.googleapis.com/",
                      message.GetDescriptor()->full_name());
}

// `value` cut to at most kMaxEchoedBytes bytes, at a UTF-8 character
// boundary, with the size it had when it was longer.
std::string Bounded(absl::string_view value) {
  if (value.size() <= kMaxEchoedBytes) return std::string(value);
  size_t cut = kMaxEchoedBytes;
  while (cut > 0 && (static_cast<unsigned char>(value[cut]) & 0xC0) == 0x80) {
    --cut;  // value[cut] continues a character: cut before that character
  }
  return absl::StrCat(value.substr(0, cut), "... (", value.size(), " bytes)");
}

void AttachPayload(absl::Status& status,
                   const google::protobuf::Message& message) {
  status.SetPayload(TypeUrl(message), absl::Cord(message.SerializeAsString()));
}

}  // namespace

absl::Status InvalidFieldError(absl::string_view field,
                               absl::string_view description) {
  return InvalidFieldsError({{std::string(field), std::string(description)}});
}

absl::Status InvalidFieldsError(const std::vector<FieldViolation>& violations) {
  google::rpc::BadRequest bad_request;
  std::vector<std::string> parts;
  for (const FieldViolation& violation : violations) {
    auto* added = bad_request.add_field_violations();
    added->set_field(Bounded(violation.field));
    added->set_description(Bounded(violation.description));
    parts.push_back(absl::StrCat(added->field(), ": ", added->description()));
  }
  absl::Status status = absl::InvalidArgumentError(absl::StrJoin(parts, "; "));
  AttachPayload(status, bad_request);
  return WithReason(std::move(status), "INVALID_REQUEST_FIELD");
}

absl::Status LimitExceededError(absl::string_view subject,
                                absl::string_view description) {
  google::rpc::QuotaFailure failure;
  auto* violation = failure.add_violations();
  violation->set_subject(Bounded(subject));
  violation->set_description(Bounded(description));
  absl::Status status = absl::ResourceExhaustedError(
      absl::StrCat(violation->subject(), ": ", violation->description()));
  AttachPayload(status, failure);
  return WithReason(std::move(status), "LIMIT_EXCEEDED");
}

absl::Status ResourceNotFoundError(absl::string_view resource_type,
                                   absl::string_view resource_name) {
  google::rpc::ResourceInfo info;
  info.set_resource_type(Bounded(resource_type));
  info.set_resource_name(Bounded(resource_name));
  info.set_description("not found");
  absl::Status status =
      absl::NotFoundError(absl::StrCat(info.resource_name(), " not found"));
  AttachPayload(status, info);
  return WithReason(std::move(status), "RESOURCE_NOT_FOUND");
}

absl::Status WithReason(absl::Status status, absl::string_view reason) {
  google::rpc::ErrorInfo info;
  info.set_reason(std::string(reason));
  info.set_domain(std::string(kErrorDomain));
  AttachPayload(status, info);
  return status;
}

absl::Status ErrorWithInfo(absl::StatusCode code, absl::string_view message,
                           absl::string_view reason,
                           const std::map<std::string, std::string>& metadata) {
  absl::Status status(code, Bounded(message));
  google::rpc::ErrorInfo info;
  info.set_reason(std::string(reason));
  info.set_domain(std::string(kErrorDomain));
  for (const auto& [key, value] : metadata) {
    (*info.mutable_metadata())[key] = Bounded(value);
  }
  AttachPayload(status, info);
  return status;
}

absl::Status WithRetryDelay(absl::Status status, absl::Duration delay) {
  if (delay < absl::ZeroDuration()) delay = absl::ZeroDuration();
  google::rpc::RetryInfo retry;
  const int64_t nanos = absl::ToInt64Nanoseconds(delay);
  retry.mutable_retry_delay()->set_seconds(nanos / 1'000'000'000);
  retry.mutable_retry_delay()->set_nanos(
      static_cast<int32_t>(nanos % 1'000'000'000));
  AttachPayload(status, retry);
  return status;
}

absl::Status WithQuotaFailure(absl::Status status, absl::string_view subject,
                              absl::string_view description) {
  google::rpc::QuotaFailure failure;
  auto* violation = failure.add_violations();
  violation->set_subject(Bounded(subject));
  violation->set_description(Bounded(description));
  AttachPayload(status, failure);
  return status;
}

std::vector<FieldViolation> FieldViolationsOf(const absl::Status& status) {
  std::vector<FieldViolation> out;
  auto payload =
      status.GetPayload(TypeUrl(google::rpc::BadRequest::default_instance()));
  if (!payload.has_value()) return out;
  google::rpc::BadRequest bad_request;
  if (!bad_request.ParseFromString(std::string(*payload))) return out;
  for (const auto& violation : bad_request.field_violations()) {
    out.push_back({violation.field(), violation.description()});
  }
  return out;
}

}  // namespace newsevents
