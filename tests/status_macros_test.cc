// NE_RETURN_IF_ERROR and NE_ASSIGN_OR_RETURN (common/status_macros.h).
#include "common/status_macros.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace newsevents {
namespace {

absl::StatusOr<int> Parse(const std::string& text) {
  if (text.empty()) return absl::InvalidArgumentError("empty");
  return static_cast<int>(text.size());
}

absl::Status Check(bool ok) {
  return ok ? absl::OkStatus() : absl::NotFoundError("missing");
}

absl::StatusOr<int> SumOfLengths(const std::string& a, const std::string& b) {
  NE_ASSIGN_OR_RETURN(int first, Parse(a));
  NE_ASSIGN_OR_RETURN(const int second, Parse(b));
  return first + second;
}

TEST(StatusMacros, AssignOrReturnDeclaresTheValue) {
  EXPECT_EQ(SumOfLengths("ab", "cde").value(), 5);
}

TEST(StatusMacros, AssignOrReturnReturnsTheFirstError) {
  absl::StatusOr<int> sum = SumOfLengths("ab", "");
  EXPECT_EQ(sum.status().code(), absl::StatusCode::kInvalidArgument);
}

absl::Status AssignExisting(const std::string& text, int* out,
                            int* lhs_evaluations) {
  int value = -1;
  auto target = [&]() -> int& {
    ++*lhs_evaluations;
    return value;
  };
  NE_ASSIGN_OR_RETURN(target(), Parse(text));
  *out = value;
  return absl::OkStatus();
}

TEST(StatusMacros, AssignOrReturnEvaluatesTheTargetOnlyOnSuccess) {
  int out = 0;
  int evaluations = 0;
  EXPECT_TRUE(AssignExisting("four", &out, &evaluations).ok());
  EXPECT_EQ(out, 4);
  EXPECT_EQ(evaluations, 1);
  EXPECT_FALSE(AssignExisting("", &out, &evaluations).ok());
  EXPECT_EQ(evaluations, 1);
}

absl::StatusOr<std::unique_ptr<int>> Boxed(int v) {
  return std::make_unique<int>(v);
}

absl::StatusOr<int> Unbox() {
  NE_ASSIGN_OR_RETURN(std::unique_ptr<int> boxed, Boxed(7));
  return *boxed;
}

TEST(StatusMacros, AssignOrReturnMovesMoveOnlyValues) {
  EXPECT_EQ(Unbox().value(), 7);
}

absl::StatusOr<int> TwoOnOneLine() {
  // Both temporaries get distinct names (__COUNTER__, not __LINE__).
  NE_ASSIGN_OR_RETURN(int a, Parse("x"));
  NE_ASSIGN_OR_RETURN(int b, Parse("yy"));  // NOLINT
  return a + b;
}

TEST(StatusMacros, AssignOrReturnTwiceOnOneLine) {
  EXPECT_EQ(TwoOnOneLine().value(), 3);
}

int ReturnIfErrorInUnbracedIf(bool take_branch, bool ok, int* reached) {
  auto run = [&]() -> absl::Status {
    if (take_branch)
      NE_RETURN_IF_ERROR(Check(ok));
    else
      *reached += 100;
    *reached += 1;
    return absl::OkStatus();
  };
  return run().ok() ? 1 : 0;
}

TEST(StatusMacros, ReturnIfErrorIsOneStatementInAnUnbracedIfElse) {
  int reached = 0;
  EXPECT_EQ(ReturnIfErrorInUnbracedIf(true, true, &reached), 1);
  EXPECT_EQ(reached, 1);
  EXPECT_EQ(ReturnIfErrorInUnbracedIf(true, false, &reached), 0);
  EXPECT_EQ(reached, 1);
  EXPECT_EQ(ReturnIfErrorInUnbracedIf(false, false, &reached), 1);
  EXPECT_EQ(reached, 102);
}

}  // namespace
}  // namespace newsevents
