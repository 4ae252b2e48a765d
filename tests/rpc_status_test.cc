// Pins the absl::Status -> grpc::Status mapping: codes, messages and the
// google.rpc details that clients decode.
#include "common/rpc_status.h"

#include <gtest/gtest.h>

#include <string>

#include "common/errors.h"
#include "common/hashing.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace newsevents {
namespace {

google::rpc::Status DetailsOf(const grpc::Status& status) {
  google::rpc::Status parsed;
  EXPECT_TRUE(parsed.ParseFromString(status.error_details()));
  return parsed;
}

TEST(RpcStatus, OkStaysOk) { EXPECT_TRUE(ToGrpcStatus(absl::OkStatus()).ok()); }

TEST(RpcStatus, InvalidFieldCarriesBadRequestDetail) {
  grpc::Status status =
      ToGrpcStatus(InvalidFieldError("page_size", "must not be negative"));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(), "page_size: must not be negative");
  google::rpc::Status details = DetailsOf(status);
  EXPECT_EQ(details.code(), 3);
  bool found_bad_request = false;
  bool found_error_info = false;
  for (const auto& any : details.details()) {
    google::rpc::BadRequest bad_request;
    google::rpc::ErrorInfo info;
    if (any.UnpackTo(&bad_request)) {
      found_bad_request = true;
      ASSERT_EQ(bad_request.field_violations_size(), 1);
      EXPECT_EQ(bad_request.field_violations(0).field(), "page_size");
    } else if (any.UnpackTo(&info)) {
      found_error_info = true;
      EXPECT_EQ(info.reason(), "INVALID_REQUEST_FIELD");
      EXPECT_EQ(info.domain(), "newsevents");
    }
  }
  EXPECT_TRUE(found_bad_request);
  EXPECT_TRUE(found_error_info);
}

TEST(RpcStatus, LimitMapsToResourceExhausted) {
  grpc::Status status =
      ToGrpcStatus(LimitExceededError("article", "larger than 4194304 bytes"));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  bool found_quota = false;
  google::rpc::Status details = DetailsOf(status);
  for (const auto& any : details.details()) {
    google::rpc::QuotaFailure failure;
    if (any.UnpackTo(&failure)) found_quota = true;
  }
  EXPECT_TRUE(found_quota);
}

TEST(RpcStatus, FieldViolationsRoundTrip) {
  auto violations =
      FieldViolationsOf(InvalidFieldsError({{"a", "bad"}, {"b", "worse"}}));
  ASSERT_EQ(violations.size(), 2u);
  EXPECT_EQ(violations[1].field, "b");
  EXPECT_TRUE(FieldViolationsOf(absl::InternalError("x")).empty());
}

// An 8 MB name or field value in a request must not come back as an 8 MB
// message and trailer (issue 13, defect 6).
TEST(RpcStatus, EchoedValuesAreCutSoErrorsStaySmall) {
  const std::string huge(8 << 20, 'x');
  const std::string accented =
      std::string(kMaxEchoedBytes - 1, 'a') + "\xc3\xa9";
  for (const absl::Status& error :
       {ResourceNotFoundError("Event", "events/" + huge),
        InvalidFieldError(huge, "is " + huge),
        InvalidFieldsError({{"a", huge}, {"b", huge}}),
        LimitExceededError(huge, huge)}) {
    grpc::Status status = ToGrpcStatus(error);
    EXPECT_LT(status.error_message().size(), 4 * kMaxEchoedBytes);
    EXPECT_LT(status.error_details().size(), 8 * kMaxEchoedBytes);
    EXPECT_NE(status.error_message().find("bytes)"), std::string::npos);
  }
  // Cut at a character boundary: the two-byte character is dropped whole.
  grpc::Status cut = ToGrpcStatus(ResourceNotFoundError("Event", accented));
  EXPECT_EQ(cut.error_message().find("\xc3"), std::string::npos);
  EXPECT_EQ(cut.error_message().rfind(std::string(kMaxEchoedBytes - 1, 'a'), 0),
            0u);
}

TEST(Hashing, ContentIdIsStableHex) {
  EXPECT_EQ(ContentId("abc"), "ba7816bf8f01cfea414140de5dae2223");
  EXPECT_EQ(ContentId("abc").size(), 32u);
  EXPECT_NE(ContentId("abc"), ContentId("abd"));
}

}  // namespace
}  // namespace newsevents
