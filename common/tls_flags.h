#ifndef NEWSEVENTS_COMMON_TLS_FLAGS_H_
#define NEWSEVENTS_COMMON_TLS_FLAGS_H_

// The TLS flags both services share (docs/security.md):
//   --tls_cert, --tls_key     PEM certificate chain and key of the listener;
//                             together they turn on TLS
//   --tls_client_ca           PEM CA bundle; when set, clients must present a
//                             certificate signed by it (mTLS)
//   --tls_refresh_seconds     how often every certificate file is re-read
//                             (default kDefaultTlsRefreshSeconds)
// Only the two service binaries link this library: newsevents_client has
// its own --tls_* flags with client meanings.

#include "common/tls.h"

namespace newsevents {

// The listener's files from the flags above (after absl::ParseCommandLine).
ServerTlsFiles ServerTlsFilesFromFlags();

// --tls_refresh_seconds, for channels configured by other flags.
int TlsRefreshSecondsFromFlags();

}  // namespace newsevents

#endif  // NEWSEVENTS_COMMON_TLS_FLAGS_H_
