#ifndef NEWSEVENTS_COMMON_TLS_H_
#define NEWSEVENTS_COMMON_TLS_H_

// The one place where newsevents builds gRPC transport credentials from PEM
// files: for both servers (--tls_cert, --tls_key, --tls_client_ca), for
// ingest_service's channel to query_service (--query_tls_ca,
// --query_tls_cert, --query_tls_key) and for newsevents_client (--tls_ca,
// --tls_cert, --tls_key). docs/security.md describes the setup.
//
// Nothing configured means plaintext (insecure) credentials, as before TLS
// existed, so the localhost demo keeps working unchanged.
//
// Reload: the credentials use gRPC's FileWatcherCertificateProvider
// (grpc::experimental, gRPC 1.51), which re-reads every file every
// `refresh_seconds` in a thread of its own; new TLS handshakes use what it
// read last, connections already established keep their session. Replace
// files by renaming a complete new file over the old one: a file that cannot
// be read at a refresh empties that credential until a later refresh reads
// it again (handshakes fail meanwhile), and a key and certificate that do not
// match (one replaced, the other not yet) fail handshakes until both are.
//
// Errors, checked at once so a bad configuration fails at startup with a
// readable message rather than at the first handshake:
//   INVALID_ARGUMENT    flags that do not go together (a certificate without
//                       its key, a client CA without a server certificate,
//                       refresh_seconds < 1);
//   FAILED_PRECONDITION a file that is missing or unreadable, holds no PEM
//                       certificate / private key, or a key that does not
//                       match its certificate. The message names the flag,
//                       the file and the reason.
// A certificate outside its validity period is only logged as a warning: a
// renewed one on disk is picked up by the reload.
//
// Thread-safety: the functions are thread-safe; the credentials they return
// may be shared by any number of servers / channels.

#include <grpcpp/security/credentials.h>
#include <grpcpp/security/server_credentials.h>

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace newsevents {

// How often certificate files are re-read, unless configured otherwise
// (--tls_refresh_seconds).
inline constexpr int kDefaultTlsRefreshSeconds = 10;

// A server's files. All empty: plaintext.
struct ServerTlsFiles {
  // PEM certificate chain (leaf first) and its PEM private key: both or none.
  std::string cert;
  std::string key;
  // PEM CA bundle. When set, every client must present a certificate that
  // chains to it (mTLS); when empty, no client certificate is requested.
  // Needs cert and key.
  std::string client_ca;
  int refresh_seconds = kDefaultTlsRefreshSeconds;
  // Flag names in messages: <flag_prefix>cert, <flag_prefix>key,
  // <flag_prefix>client_ca.
  std::string flag_prefix = "--tls_";
};

// A client channel's files. All empty: plaintext.
struct ChannelTlsFiles {
  // PEM CA bundle the server's certificate must chain to; when empty (but a
  // client certificate is set) the system's default roots are used.
  std::string ca;
  // Client certificate and key presented for mTLS: both or none.
  std::string cert;
  std::string key;
  int refresh_seconds = kDefaultTlsRefreshSeconds;
  // Flag names in messages: <flag_prefix>ca, <flag_prefix>cert,
  // <flag_prefix>key.
  std::string flag_prefix = "--tls_";
};

bool TlsConfigured(const ServerTlsFiles& files);
bool TlsConfigured(const ChannelTlsFiles& files);

// For logs: "plaintext", "TLS" or "mTLS (client certificates required)";
// for a channel "plaintext", "TLS" or "mTLS (client certificate)".
std::string DescribeTls(const ServerTlsFiles& files);
std::string DescribeTls(const ChannelTlsFiles& files);

// Server credentials for `files`: InsecureServerCredentials when nothing is
// configured, else TlsServerCredentials over a FileWatcherCertificateProvider
// (client certificates requested, required and verified when client_ca is
// set). Errors as in the file comment.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>>
ServerCredentialsFromFiles(const ServerTlsFiles& files);

// Channel credentials for `files`: InsecureChannelCredentials when nothing is
// configured, else TlsCredentials over a FileWatcherCertificateProvider that
// verifies the server's certificate chain and its name (the target's host
// must be in the certificate's subjectAltName) and presents the client
// certificate when one is set. Errors as in the file comment.
absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>>
ChannelCredentialsFromFiles(const ChannelTlsFiles& files);

}  // namespace newsevents

#endif  // NEWSEVENTS_COMMON_TLS_H_
