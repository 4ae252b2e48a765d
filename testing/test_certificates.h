#ifndef NEWSEVENTS_TESTING_TEST_CERTIFICATES_H_
#define NEWSEVENTS_TESTING_TEST_CERTIFICATES_H_

// Certificates for TLS tests, made by the same script the docs use
// (deploy/make_certs.sh, Debian's openssl) in a fresh scratch directory.
//
// MakeTestCertificates(name) returns a directory holding ca.pem, ca.key,
// query.{pem,key}, ingest.{pem,key} and client.{pem,key}; each call makes a
// new CA, so two calls give two mutually untrusted sets. CertPath(dir, file)
// joins. MakeExpiredCertificate(dir, name) adds <name>.{pem,key}, signed by
// dir's CA and valid only on 2020-01-01.
// Errors: INTERNAL when the script fails (its stderr is in the test output).
// Thread-safety: any thread; each call runs one openssl script.

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace newsevents::testing {

absl::StatusOr<std::string> MakeTestCertificates(const std::string& name);
absl::Status MakeExpiredCertificate(const std::string& dir,
                                    const std::string& name);
std::string CertPath(const std::string& dir, const std::string& file);

}  // namespace newsevents::testing

#endif  // NEWSEVENTS_TESTING_TEST_CERTIFICATES_H_
