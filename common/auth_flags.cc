#include "common/auth_flags.h"

#include "absl/flags/flag.h"

ABSL_FLAG(std::string, auth_tokens_file, "",
          "file of client tokens: '<sha256 hex> <scopes> <client>' per line, "
          "scopes from read,ingest,admin; when set, every call but health and "
          "reflection needs 'authorization: Bearer <token>' (default: open)");
ABSL_FLAG(int, auth_refresh_seconds, 5,
          "how often --auth_tokens_file is checked for changes (0: only on "
          "SIGHUP); a file that fails to parse keeps the previous tokens");
ABSL_FLAG(double, rate_limit_per_client, 0,
          "calls per second each client may make (token bucket; 0: no "
          "limit); the client is the token's name, else the peer's host");
ABSL_FLAG(double, rate_limit_burst, 0,
          "calls a client may make at once before --rate_limit_per_client "
          "applies (0: one second's worth, at least 1)");
ABSL_FLAG(int, max_streams_per_client, 0,
          "streaming calls each client may have open at once (0: no limit)");

namespace newsevents {

AuthOptions AuthOptionsFromFlags(const std::string& service) {
  AuthOptions options;
  options.tokens_file = absl::GetFlag(FLAGS_auth_tokens_file);
  options.refresh = absl::Seconds(absl::GetFlag(FLAGS_auth_refresh_seconds));
  options.rate_per_second = absl::GetFlag(FLAGS_rate_limit_per_client);
  options.burst = absl::GetFlag(FLAGS_rate_limit_burst);
  options.max_streams = absl::GetFlag(FLAGS_max_streams_per_client);
  options.service = service;
  return options;
}

}  // namespace newsevents
