// Compiled by the StatusMacros compile tests (common/CMakeLists.txt), never
// linked. With NE_BRACED the macro stands in a braced body and this must
// compile; without it the macro is the unbraced body of an if and this must
// not compile, so the macro can never run half under the condition.
#include "absl/status/statusor.h"
#include "common/status_macros.h"

absl::StatusOr<int> Value(int v) { return v; }

absl::Status Assign(bool condition, int* out) {
  int value = 0;
#ifdef NE_BRACED
  if (condition) {
    NE_ASSIGN_OR_RETURN(value, Value(1));
  }
#else
  if (condition) NE_ASSIGN_OR_RETURN(value, Value(1));
#endif
  *out = value;
  return absl::OkStatus();
}
