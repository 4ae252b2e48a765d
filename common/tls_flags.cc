#include "common/tls_flags.h"

#include <string>

#include "absl/flags/flag.h"

ABSL_FLAG(std::string, tls_cert, "",
          "PEM certificate chain of this server; with --tls_key, turns on TLS "
          "(default: plaintext)");
ABSL_FLAG(std::string, tls_key, "", "PEM private key of --tls_cert");
ABSL_FLAG(std::string, tls_client_ca, "",
          "PEM CA bundle; when set, every client must present a certificate "
          "signed by it (mTLS)");
ABSL_FLAG(int, tls_refresh_seconds, newsevents::kDefaultTlsRefreshSeconds,
          "how often certificate files are re-read; replaced files are used "
          "for new connections without a restart");

namespace newsevents {

ServerTlsFiles ServerTlsFilesFromFlags() {
  ServerTlsFiles files;
  files.cert = absl::GetFlag(FLAGS_tls_cert);
  files.key = absl::GetFlag(FLAGS_tls_key);
  files.client_ca = absl::GetFlag(FLAGS_tls_client_ca);
  files.refresh_seconds = absl::GetFlag(FLAGS_tls_refresh_seconds);
  return files;
}

int TlsRefreshSecondsFromFlags() {
  return absl::GetFlag(FLAGS_tls_refresh_seconds);
}

}  // namespace newsevents
