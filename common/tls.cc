#include "common/tls.h"

#include <grpcpp/security/tls_certificate_provider.h>
#include <grpcpp/security/tls_credentials_options.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/logging.h"
#include "common/status_macros.h"

namespace newsevents {
namespace {

using grpc::experimental::FileWatcherCertificateProvider;

struct BioFree {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
struct X509Free {
  void operator()(X509* cert) const { X509_free(cert); }
};
struct KeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
using UniqueX509 = std::unique_ptr<X509, X509Free>;
using UniqueKey = std::unique_ptr<EVP_PKEY, KeyFree>;

// "--tls_cert=/path/to/file".
std::string Named(absl::string_view flag, absl::string_view path) {
  return absl::StrCat(flag, "=", path);
}

absl::StatusOr<std::string> ReadWholeFile(absl::string_view flag,
                                          const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) {
    return absl::FailedPreconditionError(absl::StrCat(
        Named(flag, path), ": cannot open: ", std::strerror(errno)));
  }
  std::string contents;
  char buffer[4096];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof(buffer), file)) > 0) {
    contents.append(buffer, n);
  }
  const bool failed = std::ferror(file) != 0;
  const int error = errno;
  std::fclose(file);
  if (failed) {
    return absl::FailedPreconditionError(absl::StrCat(
        Named(flag, path), ": cannot read: ", std::strerror(error)));
  }
  return contents;
}

std::unique_ptr<BIO, BioFree> MemoryBio(const std::string& data) {
  return std::unique_ptr<BIO, BioFree>(
      BIO_new_mem_buf(data.data(), static_cast<int>(data.size())));
}

// Every PEM certificate in `path`; FAILED_PRECONDITION when there is none.
absl::StatusOr<std::vector<UniqueX509>> ReadCertificates(
    absl::string_view flag, const std::string& path) {
  NE_ASSIGN_OR_RETURN(std::string pem, ReadWholeFile(flag, path));
  auto bio = MemoryBio(pem);
  std::vector<UniqueX509> certs;
  while (X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
    certs.emplace_back(cert);
  }
  ERR_clear_error();  // the read that ended the loop
  if (certs.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        Named(flag, path), ": holds no PEM certificate (BEGIN CERTIFICATE)"));
  }
  return certs;
}

absl::StatusOr<UniqueKey> ReadPrivateKey(absl::string_view flag,
                                         const std::string& path) {
  NE_ASSIGN_OR_RETURN(std::string pem, ReadWholeFile(flag, path));
  auto bio = MemoryBio(pem);
  // An empty passphrase: an encrypted key fails here rather than prompting.
  char empty[] = "";
  UniqueKey key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, empty));
  ERR_clear_error();
  if (key == nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat(Named(flag, path),
                     ": holds no unencrypted PEM private key (BEGIN PRIVATE "
                     "KEY / BEGIN EC PRIVATE KEY / BEGIN RSA PRIVATE KEY)"));
  }
  return key;
}

void WarnIfOutsideValidity(absl::string_view flag, const std::string& path,
                           X509* cert) {
  if (X509_cmp_current_time(X509_get0_notAfter(cert)) < 0) {
    LogWarning("tls",
               "%s: the certificate has expired; peers will refuse it until "
               "it is replaced on disk",
               Named(flag, path));
  } else if (X509_cmp_current_time(X509_get0_notBefore(cert)) > 0) {
    LogWarning("tls", "%s: the certificate is not valid yet",
               Named(flag, path));
  }
}

// Checks a certificate chain and its key: readable, PEM, matching.
absl::Status CheckIdentity(absl::string_view cert_flag,
                           const std::string& cert_path,
                           absl::string_view key_flag,
                           const std::string& key_path) {
  NE_ASSIGN_OR_RETURN(std::vector<UniqueX509> chain,
                      ReadCertificates(cert_flag, cert_path));
  NE_ASSIGN_OR_RETURN(UniqueKey key, ReadPrivateKey(key_flag, key_path));
  if (X509_check_private_key(chain.front().get(), key.get()) != 1) {
    ERR_clear_error();
    return absl::FailedPreconditionError(absl::StrCat(
        Named(key_flag, key_path), ": the key does not match the certificate ",
        Named(cert_flag, cert_path)));
  }
  WarnIfOutsideValidity(cert_flag, cert_path, chain.front().get());
  return absl::OkStatus();
}

absl::Status CheckCertAndKeyTogether(absl::string_view prefix,
                                     const std::string& cert,
                                     const std::string& key) {
  if (cert.empty() != key.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        prefix, "cert and ", prefix, "key must be given together"));
  }
  return absl::OkStatus();
}

absl::Status CheckRefresh(int refresh_seconds) {
  if (refresh_seconds < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the certificate refresh interval must be at least 1 s, not ",
        refresh_seconds));
  }
  return absl::OkStatus();
}

}  // namespace

bool TlsConfigured(const ServerTlsFiles& files) {
  return !files.cert.empty() || !files.key.empty() || !files.client_ca.empty();
}

bool TlsConfigured(const ChannelTlsFiles& files) {
  return !files.ca.empty() || !files.cert.empty() || !files.key.empty();
}

std::string DescribeTls(const ServerTlsFiles& files) {
  if (!TlsConfigured(files)) return "plaintext";
  if (files.client_ca.empty()) return "TLS";
  return "mTLS (client certificates required)";
}

std::string DescribeTls(const ChannelTlsFiles& files) {
  if (!TlsConfigured(files)) return "plaintext";
  if (files.cert.empty()) return "TLS";
  return "mTLS (client certificate)";
}

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>>
ServerCredentialsFromFiles(const ServerTlsFiles& files) {
  if (!TlsConfigured(files)) return grpc::InsecureServerCredentials();
  const std::string& prefix = files.flag_prefix;
  NE_RETURN_IF_ERROR(CheckCertAndKeyTogether(prefix, files.cert, files.key));
  if (files.cert.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        prefix, "client_ca needs ", prefix, "cert and ", prefix, "key"));
  }
  NE_RETURN_IF_ERROR(CheckRefresh(files.refresh_seconds));
  NE_RETURN_IF_ERROR(CheckIdentity(absl::StrCat(prefix, "cert"), files.cert,
                                   absl::StrCat(prefix, "key"), files.key));
  if (!files.client_ca.empty()) {
    NE_RETURN_IF_ERROR(
        ReadCertificates(absl::StrCat(prefix, "client_ca"), files.client_ca)
            .status());
  }
  auto provider = std::make_shared<FileWatcherCertificateProvider>(
      files.key, files.cert, files.client_ca, files.refresh_seconds);
  grpc::experimental::TlsServerCredentialsOptions options(provider);
  options.watch_identity_key_cert_pairs();
  if (files.client_ca.empty()) {
    options.set_cert_request_type(GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE);
  } else {
    options.watch_root_certs();
    options.set_cert_request_type(
        GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  }
  // The options hand their C object to the credentials: use them once.
  return grpc::experimental::TlsServerCredentials(options);
}

absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>>
ChannelCredentialsFromFiles(const ChannelTlsFiles& files) {
  if (!TlsConfigured(files)) return grpc::InsecureChannelCredentials();
  const std::string& prefix = files.flag_prefix;
  NE_RETURN_IF_ERROR(CheckCertAndKeyTogether(prefix, files.cert, files.key));
  NE_RETURN_IF_ERROR(CheckRefresh(files.refresh_seconds));
  if (!files.ca.empty()) {
    NE_RETURN_IF_ERROR(
        ReadCertificates(absl::StrCat(prefix, "ca"), files.ca).status());
  }
  if (!files.cert.empty()) {
    NE_RETURN_IF_ERROR(CheckIdentity(absl::StrCat(prefix, "cert"), files.cert,
                                     absl::StrCat(prefix, "key"), files.key));
  }
  grpc::experimental::TlsChannelCredentialsOptions options;
  if (!files.ca.empty() || !files.cert.empty()) {
    options.set_certificate_provider(
        std::make_shared<FileWatcherCertificateProvider>(
            files.key, files.cert, files.ca, files.refresh_seconds));
  }
  if (!files.ca.empty()) options.watch_root_certs();
  if (!files.cert.empty()) options.watch_identity_key_cert_pairs();
  options.set_verify_server_certs(true);
  return grpc::experimental::TlsCredentials(options);
}

}  // namespace newsevents
