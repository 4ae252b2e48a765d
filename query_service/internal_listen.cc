#include "query_service/internal_listen.h"

#include <arpa/inet.h>

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/errors.h"
#include "common/server_support.h"

namespace newsevents::query {

bool IsLoopbackAddress(absl::string_view address) {
  if (absl::StartsWith(address, "unix:") ||
      absl::StartsWith(address, "unix-abstract:")) {
    return true;
  }
  std::string host = HostOf(address);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  if (absl::EqualsIgnoreCase(host, "localhost")) return true;
  in_addr v4{};
  if (inet_pton(AF_INET, host.c_str(), &v4) == 1)
    return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  if (inet_pton(AF_INET6, host.c_str(), &v6) == 1)
    return IN6_IS_ADDR_LOOPBACK(&v6);
  return false;
}

absl::Status CheckInternalListenAddress(absl::string_view address,
                                        bool allow_non_loopback) {
  if (address.empty()) {
    return InvalidFieldError("internal_listen",
                             "must name the internal listener's address");
  }
  if (allow_non_loopback || IsLoopbackAddress(address)) {
    return absl::OkStatus();
  }
  return InvalidFieldError(
      "internal_listen",
      absl::StrCat("\"", address,
                   "\" is not a loopback address; the internal stream has no "
                   "transport security, so anyone reaching it could write "
                   "events. Bind 127.0.0.1, or pass "
                   "--allow_insecure_internal_listen_on_non_loopback"));
}

}  // namespace newsevents::query
