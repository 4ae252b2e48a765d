#ifndef NEWSEVENTS_QUERY_SERVICE_INTERNAL_LISTEN_H_
#define NEWSEVENTS_QUERY_SERVICE_INTERNAL_LISTEN_H_

// The policy for the query service's internal listener (EventSinkService,
// the ingest -> query delivery stream): whoever reaches it can write to the
// store, so without transport security it may only listen on loopback.
//
// Loopback means: "localhost", an IPv4 address in 127.0.0.0/8, "[::1]" /
// "::1", or a "unix:" / "unix-abstract:" socket. Wildcards (0.0.0.0, [::]),
// other addresses and host names are not loopback.
//
// Thread-safety: pure functions.

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace newsevents::query {

// True when `address` ("host:port", "[v6]:port" or "unix:path") can only be
// reached from this machine.
bool IsLoopbackAddress(absl::string_view address);

// OK for a loopback address, or for any address when `allow_non_loopback`
// (the caller logs that loudly). Otherwise INVALID_ARGUMENT naming the
// field "internal_listen" and the override flag.
absl::Status CheckInternalListenAddress(absl::string_view address,
                                        bool allow_non_loopback);

}  // namespace newsevents::query

#endif  // NEWSEVENTS_QUERY_SERVICE_INTERNAL_LISTEN_H_
