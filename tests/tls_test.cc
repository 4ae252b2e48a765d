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
  absl::Status status = ServerCredentialsFromFiles(files).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(),
              AllOf(HasSubstr("--tls_cert=" + Path("nowhere.pem")),
                    HasSubstr("No such file or directory")));
}

TEST_F(TlsFilesTest, UnreadableFileNamesTheReason) {
  ChannelTlsFiles files;
  files.ca = *dir_;  // a directory opens but cannot be read
  absl::Status status = ChannelCredentialsFromFiles(files).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(), AllOf(HasSubstr("--tls_ca=" + *dir_),
                                      HasSubstr("Is a directory")));
}

TEST_F(TlsFilesTest, NotPemIsRefused) {
  ServerTlsFiles files = Server();
  files.cert = WriteFile("garbage.pem", "not a certificate\n");
  absl::Status status = ServerCredentialsFromFiles(files).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(), HasSubstr("holds no PEM certificate"));

  files = Server();
  files.key = Path("query.pem");  // a certificate where the key should be
  status = ServerCredentialsFromFiles(files).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(),
              AllOf(HasSubstr("--tls_key=" + Path("query.pem")),
                    HasSubstr("holds no unencrypted PEM private key")));

  files = Server();
  files.client_ca = Path("query.key");  // a key where the CA should be
  status = ServerCredentialsFromFiles(files).status();
  EXPECT_THAT(status.message(),
              AllOf(HasSubstr("--tls_client_ca="), HasSubstr("no PEM")));
}

TEST_F(TlsFilesTest, KeyOfAnotherCertificateIsRefused) {
  ServerTlsFiles files = Server();
  files.key = Path("client.key");
  absl::Status status = ServerCredentialsFromFiles(files).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(),
              AllOf(HasSubstr("--tls_key=" + Path("client.key")),
                    HasSubstr("does not match the certificate --tls_cert=" +
                              Path("query.pem"))));
  ChannelTlsFiles channel = Channel();
  channel.key = Path("query.key");
  EXPECT_EQ(ChannelCredentialsFromFiles(channel).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace newsevents
