#ifndef NEWSEVENTS_COMMON_AUTH_FLAGS_H_
#define NEWSEVENTS_COMMON_AUTH_FLAGS_H_

// The access flags both services share (docs/security.md, "Tokens"):
//   --auth_tokens_file        token hashes, scopes and client names
//                             (common/auth.h); empty: every call allowed
//   --auth_refresh_seconds    how often the file's modification time is
//                             checked (default 5; 0: only on SIGHUP)
//   --rate_limit_per_client   calls per second per client (0: unlimited)
//   --rate_limit_burst        calls a client may make at once (0: one
//                             second's worth, at least 1)
//   --max_streams_per_client  concurrent streaming calls per client
//                             (0: unlimited)

#include <string>

#include "common/auth.h"

namespace newsevents {

// The options from the flags above (after absl::ParseCommandLine); `service`
// names the program in logs.
AuthOptions AuthOptionsFromFlags(const std::string& service);

}  // namespace newsevents

#endif  // NEWSEVENTS_COMMON_AUTH_FLAGS_H_
