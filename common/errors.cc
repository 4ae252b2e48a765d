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
    added->set_field(violation.field);
    added->set_description(violation.description);
    parts.push_back(absl::StrCat(violation.field, ": ", violation.description));
  }
  absl::Status status = absl::InvalidArgumentError(absl::StrJoin(parts, "; "));
  AttachPayload(status, bad_request);
  return WithReason(std::move(status), "INVALID_REQUEST_FIELD");
}

absl::Status LimitExceededError(absl::string_view subject,
                                absl::string_view description) {
  google::rpc::QuotaFailure failure;
  auto* violation = failure.add_violations();
  violation->set_subject(std::string(subject));
  violation->set_description(std::string(description));
  absl::Status status =
      absl::ResourceExhaustedError(absl::StrCat(subject, ": ", description));
  AttachPayload(status, failure);
  return WithReason(std::move(status), "LIMIT_EXCEEDED");
}

absl::Status ResourceNotFoundError(absl::string_view resource_type,
                                   absl::string_view resource_name) {
  google::rpc::ResourceInfo info;
  info.set_resource_type(std::string(resource_type));
  info.set_resource_name(std::string(resource_name));
  info.set_description("not found");
  absl::Status status =
      absl::NotFoundError(absl::StrCat(resource_name, " not found"));
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
