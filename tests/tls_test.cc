// common/tls.h: credentials are built from good files, and every bad
// configuration is refused at once with a message naming the flag, the file
// and the reason (the handshakes themselves are in tls_end_to_end_test).
#include "common/tls.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "testing/test_certificates.h"
#include "testing/test_directories.h"

namespace newsevents {
namespace {

using ::newsevents::testing::CertPath;
using ::testing::AllOf;
using ::testing::HasSubstr;

class TlsFilesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<std::string> made =
        ::newsevents::testing::MakeTestCertificates("tls_unit_certs");
    ASSERT_TRUE(made.ok()) << made.status();
    dir_ = new std::string(*made);
  }
  static void TearDownTestSuite() { delete dir_; }

  static std::string Path(const std::string& file) {
    return CertPath(*dir_, file);
  }
  static std::string WriteFile(const std::string& name,
                               const std::string& contents) {
    std::string path = Path(name);
    std::ofstream(path) << contents;
    return path;
  }
  static ServerTlsFiles Server() {
    ServerTlsFiles files;
    files.cert = Path("query.pem");
    files.key = Path("query.key");
    return files;
  }
  static ChannelTlsFiles Channel() {
    ChannelTlsFiles files;
    files.ca = Path("ca.pem");
    files.cert = Path("client.pem");
    files.key = Path("client.key");
    return files;
  }

  static std::string* dir_;
};

std::string* TlsFilesTest::dir_ = nullptr;

// A file problem: FAILED_PRECONDITION whose message names "<flag>=<file>"
// and the reason.
void ExpectFileRefused(const absl::Status& status,
                       const std::string& flag_and_file,
                       const std::string& reason) {
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << status;
  EXPECT_THAT(status.message(),
              AllOf(HasSubstr(flag_and_file), HasSubstr(reason)));
}

TEST_F(TlsFilesTest, NothingConfiguredIsPlaintext) {
  EXPECT_FALSE(TlsConfigured(ServerTlsFiles()));
  EXPECT_FALSE(TlsConfigured(ChannelTlsFiles()));
  EXPECT_EQ(DescribeTls(ServerTlsFiles()), "plaintext");
  auto server = ServerCredentialsFromFiles(ServerTlsFiles());
  ASSERT_TRUE(server.ok()) << server.status();
  EXPECT_NE(*server, nullptr);
  auto channel = ChannelCredentialsFromFiles(ChannelTlsFiles());
  ASSERT_TRUE(channel.ok()) << channel.status();
  EXPECT_NE(*channel, nullptr);
}

TEST_F(TlsFilesTest, GoodFilesBuildTlsAndMtls) {
  EXPECT_EQ(DescribeTls(Server()), "TLS");
  auto tls = ServerCredentialsFromFiles(Server());
  ASSERT_TRUE(tls.ok()) << tls.status();
  ServerTlsFiles mtls = Server();
  mtls.client_ca = Path("ca.pem");
  EXPECT_EQ(DescribeTls(mtls), "mTLS (client certificates required)");
  auto mutual = ServerCredentialsFromFiles(mtls);
  ASSERT_TRUE(mutual.ok()) << mutual.status();
  EXPECT_EQ(DescribeTls(Channel()), "mTLS (client certificate)");
  auto channel = ChannelCredentialsFromFiles(Channel());
  ASSERT_TRUE(channel.ok()) << channel.status();
  ChannelTlsFiles ca_only;
  ca_only.ca = Path("ca.pem");
  EXPECT_EQ(DescribeTls(ca_only), "TLS");
  EXPECT_TRUE(ChannelCredentialsFromFiles(ca_only).ok());
}

TEST_F(TlsFilesTest, CertificateWithoutKeyIsInvalidArgument) {
  ServerTlsFiles files = Server();
  files.key.clear();
  absl::Status status = ServerCredentialsFromFiles(files).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(),
              HasSubstr("--tls_cert and --tls_key must be given together"));
  ChannelTlsFiles channel = Channel();
  channel.cert.clear();
  channel.flag_prefix = "--query_tls_";
  status = ChannelCredentialsFromFiles(channel).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("--query_tls_cert and "
                                          "--query_tls_key must be given"));
}

TEST_F(TlsFilesTest, ClientCaWithoutServerCertificateIsInvalidArgument) {
  ServerTlsFiles files;
  files.client_ca = Path("ca.pem");
  absl::Status status = ServerCredentialsFromFiles(files).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(),
              HasSubstr("--tls_client_ca needs --tls_cert and --tls_key"));
}

TEST_F(TlsFilesTest, RefreshBelowOneSecondIsInvalidArgument) {
  ServerTlsFiles files = Server();
  files.refresh_seconds = 0;
  EXPECT_EQ(ServerCredentialsFromFiles(files).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(TlsFilesTest, MissingFileNamesFlagFileAndReason) {
  ServerTlsFiles files = Server();
  files.cert = Path("nowhere.pem");
  ExpectFileRefused(ServerCredentialsFromFiles(files).status(),
                    "--tls_cert=" + Path("nowhere.pem"),
                    "cannot open: No such file or directory");
}

TEST_F(TlsFilesTest, UnreadableFileNamesTheReason) {
  ChannelTlsFiles files;
  files.ca = *dir_;  // a directory opens but cannot be read
  ExpectFileRefused(ChannelCredentialsFromFiles(files).status(),
                    "--tls_ca=" + *dir_, "cannot read: Is a directory");
}

TEST_F(TlsFilesTest, NotPemIsRefused) {
  ServerTlsFiles files = Server();
  files.cert = WriteFile("garbage.pem", "not a certificate\n");
  ExpectFileRefused(ServerCredentialsFromFiles(files).status(),
                    "--tls_cert=" + Path("garbage.pem"),
                    "holds no PEM certificate");

  files = Server();
  files.key = Path("query.pem");  // a certificate where the key should be
  ExpectFileRefused(ServerCredentialsFromFiles(files).status(),
                    "--tls_key=" + Path("query.pem"),
                    "holds no unencrypted PEM private key");

  files = Server();
  files.client_ca = Path("query.key");  // a key where the CA should be
  ExpectFileRefused(ServerCredentialsFromFiles(files).status(),
                    "--tls_client_ca=" + Path("query.key"),
                    "holds no PEM certificate");
}

TEST_F(TlsFilesTest, KeyOfAnotherCertificateIsRefused) {
  ServerTlsFiles files = Server();
  files.key = Path("client.key");
  ExpectFileRefused(
      ServerCredentialsFromFiles(files).status(),
      "--tls_key=" + Path("client.key"),
      "the key does not match the certificate --tls_cert=" + Path("query.pem"));
  ChannelTlsFiles channel = Channel();
  channel.key = Path("query.key");
  channel.flag_prefix = "--query_tls_";
  ExpectFileRefused(ChannelCredentialsFromFiles(channel).status(),
                    "--query_tls_key=" + Path("query.key"),
                    "does not match the certificate --query_tls_cert=");
}

}  // namespace
}  // namespace newsevents
