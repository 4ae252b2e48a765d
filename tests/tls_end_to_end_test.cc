// TLS and mTLS with real processes and real handshakes: certificates made by
// deploy/make_certs.sh (openssl) in scratch directories, both services
// started with the TLS flags, clients built by common/tls.h.
//
// Every refusal is checked against a control that succeeds with the same
// server, so a test cannot pass because the server is simply down.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <filesystem>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/tls.h"
#include "newsevents/v1/ingest_service.grpc.pb.h"
#include "newsevents/v1/query_service.grpc.pb.h"
#include "testing/poll.h"
#include "testing/running_services.h"
#include "testing/subprocess.h"
#include "testing/test_certificates.h"
#include "testing/test_directories.h"

namespace newsevents {
namespace {

using ::newsevents::testing::CertPath;
using ::newsevents::testing::RunningServices;
using ::newsevents::testing::Subprocess;

constexpr char kArticle[] =
    "Police fire tear gas at students in Nairobi\n\n"
    "Police in Nairobi fired tear gas on Monday at thousands of students "
    "protesting against higher university fees, and at least 3 people were "
    "killed, the police said.\n";

// Two unrelated CAs, each with query/ingest/client certificates; the first
// also has an expired client certificate ("expired").
struct Certificates {
  std::string a;
  std::string b;
};
Certificates* certs = nullptr;

std::string A(const std::string& file) { return CertPath(certs->a, file); }
std::string B(const std::string& file) { return CertPath(certs->b, file); }

// --tls_* flags of a server with `dir`'s query certificate; mTLS with `dir`'s
// CA when `mutual`.
std::vector<std::string> ServerFlags(const std::string& dir, bool mutual) {
  std::vector<std::string> flags = {
      absl::StrCat("--tls_cert=", CertPath(dir, "query.pem")),
      absl::StrCat("--tls_key=", CertPath(dir, "query.key")),
      "--tls_refresh_seconds=1"};
  if (mutual) {
    flags.push_back(absl::StrCat("--tls_client_ca=", CertPath(dir, "ca.pem")));
  } else {
    // The internal listener requires client certificates whenever TLS is on.
    flags.push_back(
        absl::StrCat("--internal_tls_client_ca=", CertPath(dir, "ca.pem")));
  }
  return flags;
}

std::shared_ptr<grpc::ChannelCredentials> Client(const std::string& ca,
                                                 const std::string& cert = "",
                                                 const std::string& key = "") {
  ChannelTlsFiles files;
  files.ca = ca;
  files.cert = cert;
  files.key = key;
  auto credentials = ChannelCredentialsFromFiles(files);
  EXPECT_TRUE(credentials.ok()) << credentials.status();
  return credentials.ok() ? *credentials : nullptr;
}

// One ListEvents call on a fresh connection (a channel of its own with its
// own subchannel pool, so every call makes a new TLS handshake).
grpc::Status ListOnNewConnection(
    int port, std::shared_ptr<grpc::ChannelCredentials> credentials,
    v1::ListEventsResponse* response = nullptr) {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  auto channel = grpc::CreateCustomChannel(absl::StrCat("127.0.0.1:", port),
                                           credentials, args);
  auto stub = v1::QueryService::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
  v1::ListEventsRequest request;
  request.set_page_size(100);
  v1::ListEventsResponse ignored;
  return stub->ListEvents(&context, request,
                          response != nullptr ? response : &ignored);
}

class TlsEndToEndTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto a = ::newsevents::testing::MakeTestCertificates("tls_ca_a");
    ASSERT_TRUE(a.ok()) << a.status();
    auto b = ::newsevents::testing::MakeTestCertificates("tls_ca_b");
    ASSERT_TRUE(b.ok()) << b.status();
    certs = new Certificates{*a, *b};
    ASSERT_TRUE(
        ::newsevents::testing::MakeExpiredCertificate(certs->a, "expired")
            .ok());
  }
  static void TearDownTestSuite() {
    delete certs;
    certs = nullptr;
  }

  // Query service alone, on `dir`'s certificate (mTLS when `mutual`).
  void StartQuery(const std::string& name, const std::string& dir,
                  bool mutual) {
    query_dir_ = ::newsevents::testing::FreshTestDirectory(name);
    auto process = Subprocess::Start(QueryArgv(ServerFlags(dir, mutual)));
    ASSERT_TRUE(process.ok()) << process.status();
    query_ = std::move(*process);
    auto port = query_->WaitForListeningPort(absl::Seconds(30));
    ASSERT_TRUE(port.ok()) << port.status();
    query_port_ = *port;
  }

  // Starts query_service with mTLS on CA a's certificates and checks that a
  // client with a's CA and client certificate gets in (the control) while a
  // client with `refused` gets UNAVAILABLE.
  void ExpectMutualTlsRefuses(
      const std::string& name,
      std::shared_ptr<grpc::ChannelCredentials> refused) {
    StartQuery(name, certs->a, /*mutual=*/true);
    EXPECT_TRUE(
        ListOnNewConnection(
            query_port_, Client(A("ca.pem"), A("client.pem"), A("client.key")))
            .ok());
    grpc::Status status = ListOnNewConnection(query_port_, refused);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE)
        << status.error_message();
  }

  std::vector<std::string> QueryArgv(const std::vector<std::string>& flags) {
    std::vector<std::string> argv = {
        ::newsevents::testing::BinaryPath("query_service/query_service"),
        "--listen=127.0.0.1:0", "--internal_listen=127.0.0.1:0",
        absl::StrCat("--data_dir=", query_dir_)};
    argv.insert(argv.end(), flags.begin(), flags.end());
    return argv;
  }

  RunningServices services_;
  std::string query_dir_;
  std::unique_ptr<Subprocess> query_;
  int query_port_ = 0;
};

// ingest -> query over mTLS (ingest presents its certificate); ingest serves
// TLS to a client that has only the CA; a client with the CA and a client
// certificate reads the events back from the mTLS query service.
TEST_F(TlsEndToEndTest, ArticlesFlowThroughMutualTlsAndBackOut) {
  services_.set_query_flags(ServerFlags(certs->a, /*mutual=*/true));
  services_.set_channel_credentials(Client(A("ca.pem")));
  ASSERT_TRUE(services_
                  .Start("tls_flow",
                         {absl::StrCat("--tls_cert=", A("ingest.pem")),
                          absl::StrCat("--tls_key=", A("ingest.key")),
                          absl::StrCat("--query_tls_ca=", A("ca.pem")),
                          absl::StrCat("--query_tls_cert=", A("ingest.pem")),
                          absl::StrCat("--query_tls_key=", A("ingest.key"))})
                  .ok());

  auto ingest = v1::IngestService::NewStub(services_.IngestChannel());
  v1::IngestArticleRequest request;
  request.mutable_article()->set_text(kArticle);
  v1::IngestArticleResponse ingested;
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(20)));
  grpc::Status status = ingest->IngestArticle(&context, request, &ingested);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_GT(ingested.events_size(), 0);

  auto reader = Client(A("ca.pem"), A("client.pem"), A("client.key"));
  v1::ListEventsResponse listed;
  EXPECT_TRUE(::newsevents::testing::PollUntil(
      [&] {
        return ListOnNewConnection(services_.query_port(), reader, &listed)
                   .ok() &&
               listed.events_size() == ingested.events_size();
      },
      absl::Seconds(20)));
  EXPECT_EQ(listed.events_size(), ingested.events_size());
  auto delivery = services_.DeliveryStatus();
  ASSERT_TRUE(delivery.ok()) << delivery.status();
  EXPECT_TRUE(delivery->connected());
}

TEST_F(TlsEndToEndTest, ServerCertificateFromAnotherCaIsRefusedByTheClient) {
  StartQuery("tls_wrong_ca", certs->a, /*mutual=*/false);
  EXPECT_TRUE(ListOnNewConnection(query_port_, Client(A("ca.pem"))).ok());
  grpc::Status status = ListOnNewConnection(query_port_, Client(B("ca.pem")));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE)
      << status.error_message();
}

TEST_F(TlsEndToEndTest, ClientCertificateFromAnotherCaIsRefusedByTheServer) {
  ExpectMutualTlsRefuses("tls_wrong_client_ca",
                         Client(A("ca.pem"), B("client.pem"), B("client.key")));
}

TEST_F(TlsEndToEndTest, MissingClientCertificateIsRefused) {
  ExpectMutualTlsRefuses("tls_no_client_cert", Client(A("ca.pem")));
  // Nor is a plaintext client let in.
  grpc::Status status =
      ListOnNewConnection(query_port_, grpc::InsecureChannelCredentials());
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
}

TEST_F(TlsEndToEndTest, ExpiredClientCertificateIsRefused) {
  ExpectMutualTlsRefuses(
      "tls_expired_client",
      Client(A("ca.pem"), A("expired.pem"), A("expired.key")));
}

// With TLS on, the internal listener (EventSinkService) lets in only
// clients with a certificate, even when the public one asks for none; and
// without a CA to check them against, query_service does not start.
TEST_F(TlsEndToEndTest, InternalListenerRequiresClientCertificatesWithTls) {
  query_dir_ = ::newsevents::testing::FreshTestDirectory("tls_internal");
  auto process = Subprocess::Start(QueryArgv(ServerFlags(certs->a, false)));
  ASSERT_TRUE(process.ok()) << process.status();
  ASSERT_TRUE((*process)->WaitForListeningPort(absl::Seconds(30)).ok());
  auto internal =
      (*process)->WaitForPortLine("internal listening on ", absl::Seconds(30));
  ASSERT_TRUE(internal.ok()) << internal.status();
  auto connects = [&](std::shared_ptr<grpc::ChannelCredentials> credentials) {
    auto channel =
        grpc::CreateChannel(absl::StrCat("localhost:", *internal), credentials);
    return channel->WaitForConnected(
        absl::ToChronoTime(absl::Now() + absl::Seconds(3)));
  };
  EXPECT_TRUE(connects(Client(A("ca.pem"), A("client.pem"), A("client.key"))));
  EXPECT_FALSE(connects(Client(A("ca.pem"))));
  EXPECT_FALSE(connects(grpc::InsecureChannelCredentials()));

  query_dir_ = ::newsevents::testing::FreshTestDirectory("tls_internal_no_ca");
  auto refused = Subprocess::Start(
      QueryArgv({absl::StrCat("--tls_cert=", A("query.pem")),
                 absl::StrCat("--tls_key=", A("query.key"))}));
  ASSERT_TRUE(refused.ok()) << refused.status();
  EXPECT_FALSE((*refused)->WaitForListeningPort(absl::Seconds(30)).ok());
}

TEST_F(TlsEndToEndTest, ExpiredServerCertificateIsRefusedByTheClient) {
  // The service starts (an expired certificate is only a warning: a renewed
  // one would be picked up), but no client accepts it.
  query_dir_ = ::newsevents::testing::FreshTestDirectory("tls_expired_server");
  auto process = Subprocess::Start(
      QueryArgv({absl::StrCat("--tls_cert=", A("expired.pem")),
                 absl::StrCat("--tls_key=", A("expired.key")),
                 absl::StrCat("--internal_tls_client_ca=", A("ca.pem"))}));
  ASSERT_TRUE(process.ok()) << process.status();
  auto port = (*process)->WaitForListeningPort(absl::Seconds(30));
  ASSERT_TRUE(port.ok()) << port.status();
  grpc::Status status = ListOnNewConnection(*port, Client(A("ca.pem")));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE)
      << status.error_message();
}

// The server's certificate, key and client CA are replaced on disk (by
// rename, as docs/security.md says) with ones from another CA: without a
// restart, new connections use them within the refresh interval (1 s here).
TEST_F(TlsEndToEndTest, ReplacedCertificatesArePickedUpWithoutRestart) {
  const std::string live = ::newsevents::testing::FreshTestDirectory("live");
  namespace fs = std::filesystem;
  for (const char* file : {"query.pem", "query.key", "ca.pem"}) {
    fs::copy_file(A(file), CertPath(live, file));
  }
  StartQuery("tls_reload", live, /*mutual=*/true);
  auto old_client = Client(A("ca.pem"), A("client.pem"), A("client.key"));
  auto new_client = Client(B("ca.pem"), B("client.pem"), B("client.key"));
  ASSERT_TRUE(ListOnNewConnection(query_port_, old_client).ok());
  ASSERT_FALSE(ListOnNewConnection(query_port_, new_client).ok());

  for (const char* file : {"query.key", "query.pem", "ca.pem"}) {
    fs::copy_file(B(file), CertPath(live, std::string(file) + ".new"));
    fs::rename(CertPath(live, std::string(file) + ".new"),
               CertPath(live, file));
  }
  EXPECT_TRUE(::newsevents::testing::PollUntil(
      [&] { return ListOnNewConnection(query_port_, new_client).ok(); },
      absl::Seconds(15)));
  EXPECT_FALSE(ListOnNewConnection(query_port_, old_client).ok());
  // The same process throughout.
  EXPECT_EQ(query_->Wait(absl::ZeroDuration()).status().code(),
            absl::StatusCode::kDeadlineExceeded);
}

// A bad file stops the service at startup with a message naming the flag,
// the file and the reason (stderr is folded into stdout to read it).
TEST_F(TlsEndToEndTest, BadCertificateFileStopsStartupWithAReadableMessage) {
  query_dir_ = ::newsevents::testing::FreshTestDirectory("tls_bad_file");
  std::vector<std::string> argv = {"/bin/sh", "-c", "exec \"$0\" \"$@\" 2>&1"};
  for (const std::string& word :
       QueryArgv({absl::StrCat("--tls_cert=", A("query.pem")),
                  absl::StrCat("--tls_key=", A("client.key"))})) {
    argv.push_back(word);
  }
  auto process = Subprocess::Start(argv);
  ASSERT_TRUE(process.ok()) << process.status();
  auto line = (*process)->ReadLineContaining("cannot start", absl::Seconds(30));
  ASSERT_TRUE(line.ok()) << line.status();
  EXPECT_NE(line->find("FAILED_PRECONDITION"), std::string::npos) << *line;
  EXPECT_NE(line->find("--tls_key=" + A("client.key") +
                       ": the key does not match the certificate"),
            std::string::npos)
      << *line;
  auto exit = (*process)->Wait(absl::Seconds(30));
  ASSERT_TRUE(exit.ok()) << exit.status();
  EXPECT_TRUE(WIFEXITED(*exit) && WEXITSTATUS(*exit) == 1);
}

}  // namespace
}  // namespace newsevents
