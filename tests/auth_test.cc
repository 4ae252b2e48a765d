// common/auth.h: the token file's grammar, the decisions (scopes, limits) and
// reload, with a fake clock for the rate limiter. The same decisions through
// real processes are in auth_end_to_end_test.cc.
#include "absl/strings/match.h"
#include "common/auth.h"

#include <gtest/gtest.h>

#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "google/rpc/error_details.pb.h"
#include "testing/test_directories.h"

namespace newsevents {
namespace {

constexpr char kListEvents[] = "/newsevents.v1.QueryService/ListEvents";
constexpr char kWatch[] = "/newsevents.v1.QueryService/WatchEvents";
constexpr char kIngest[] = "/newsevents.v1.IngestService/IngestArticle";
constexpr char kPeer[] = "ipv4:127.0.0.1:40000";

std::string Line(absl::string_view token, absl::string_view scopes,
                 absl::string_view client) {
  return absl::StrCat(TokenHash(token), " ", scopes, " ", client, "\n");
}

std::string WriteFile(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::trunc) << text;
  return path;
}

template <typename Message>
std::optional<Message> Detail(const absl::Status& status) {
  Message message;
  auto payload = status.GetPayload(
      absl::StrCat("type.googleapis.com/", Message::descriptor()->full_name()));
  if (!payload.has_value() || !message.ParseFromString(std::string(*payload)))
    return std::nullopt;
  return message;
}

struct BadFile {
  std::string text;
  std::string expected;  // in the message
};

class TokenFileErrors : public ::testing::TestWithParam<BadFile> {};

TEST_P(TokenFileErrors, NameTheLineAndTheReason) {
  absl::StatusOr<TokenTable> table = TokenTable::Parse(GetParam().text, "f");
  ASSERT_FALSE(table.ok());
  EXPECT_EQ(table.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(table.status().message().find(GetParam().expected),
            std::string::npos)
      << table.status();
}

INSTANTIATE_TEST_SUITE_P(
    Auth, TokenFileErrors,
    ::testing::Values(
        BadFile{"# ok\n\n" + std::string(64, 'a') + " read\n",
                "f:3: expected 3 fields"},
        BadFile{"abc read client\n", "f:1: the first field must be 64 hex"},
        BadFile{std::string(64, 'g') + " read c\n", "64 hex digits"},
        BadFile{std::string(64, 'a') + " read,write c\n",
                "f:1: unknown scope 'write'"},
        BadFile{std::string(64, 'a') + " read, c\n", "unknown scope ''"},
        BadFile{std::string(64, 'a') + " read c/d\n", "client name"},
        BadFile{std::string(64, 'a') + " read c\n" + std::string(64, 'A') +
                    " ingest d\n",
                "f:2: this hash is listed twice"}));

TEST(Auth, TokenFileAllowsCommentsBlankLinesAndTabs) {
  absl::StatusOr<TokenTable> table = TokenTable::Parse(
      absl::StrCat("# clients\n\n   \n", TokenHash("t1"),
                   "\tread,admin\tdash\n", "  # indented comment\n",
                   Line("t2", "ingest", "crawler")),
      "f");
  ASSERT_TRUE(table.ok()) << table.status();
  EXPECT_EQ(table->size(), 2u);
  const TokenClient* dash = table->Find("t1");
  ASSERT_NE(dash, nullptr);
  EXPECT_EQ(dash->name, "dash");
  EXPECT_EQ(dash->scopes, kScopeRead | kScopeAdmin);
  EXPECT_EQ(table->Find("t3"), nullptr);
  EXPECT_EQ(table->Find(""), nullptr);
}

TEST(Auth, TokenHashIsTheSha256InHex) {
  EXPECT_EQ(TokenHash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Auth, BearerTokenAndPeerHost) {
  EXPECT_EQ(BearerToken("Bearer abc"), "abc");
  EXPECT_EQ(BearerToken("bearer  abc "), "abc");
  EXPECT_EQ(BearerToken("Basic abc"), "");
  EXPECT_EQ(BearerToken("Bearer "), "");
  EXPECT_EQ(PeerHost("ipv4:127.0.0.1:5000"), "ipv4:127.0.0.1");
  EXPECT_EQ(PeerHost("ipv6:[::1]:5000"), "ipv6:[::1]");
  EXPECT_EQ(PeerHost("unix:/tmp/s"), "unix:/tmp/s");
}

TEST(Auth, LocalPeersAreUnixSocketsAndLoopback) {
  for (const char* peer :
       {"ipv4:127.0.0.1:5000", "ipv4:127.8.9.1:1", "ipv6:[::1]:5000",
        "ipv6:%5B::1%5D:5000", "ipv6:[::ffff:127.0.0.1]:7", "unix:/tmp/s"}) {
    EXPECT_TRUE(IsLocalPeer(peer)) << peer;
  }
  for (const char* peer :
       {"ipv4:10.0.0.7:5000", "ipv4:128.0.0.1:1", "ipv6:[::2]:5000",
        "ipv6:[2001:db8::1]:1", "ipv6:[::ffff:10.0.0.1]:7", "", "127.0.0.1"}) {
    EXPECT_FALSE(IsLocalPeer(peer)) << peer;
  }
}

TEST(Auth, EveryMethodHasItsScope) {
  EXPECT_EQ(RuleFor(kListEvents).scope, kScopeRead);
  EXPECT_TRUE(RuleFor(kWatch).streaming);
  EXPECT_EQ(RuleFor(kIngest).scope, kScopeIngest);
  EXPECT_EQ(RuleFor("/newsevents.v1.EventSinkService/StreamEventBatches").scope,
            kScopeIngest);
  EXPECT_EQ(RuleFor("/grpc.channelz.v1.Channelz/GetTopChannels").scope,
            kScopeAdmin);
  EXPECT_EQ(RuleFor("/unknown.Service/Method").scope, kScopeAdmin);
}

class AuthorizerTest : public ::testing::Test {
 protected:
  std::unique_ptr<Authorizer> Make(AuthOptions options) {
    options.now = [this] { return now_; };
    auto authorizer = Authorizer::Create(std::move(options));
    EXPECT_TRUE(authorizer.ok()) << authorizer.status();
    return authorizer.ok() ? std::move(*authorizer) : nullptr;
  }
  std::string TokensFile(const std::string& text) {
    return WriteFile(dir_ + "/tokens", text);
  }

  std::string dir_ = ::newsevents::testing::FreshTestDirectory("auth");
  absl::Time now_ = absl::FromUnixSeconds(1'000'000);
};

TEST_F(AuthorizerTest, WithoutTokensEveryCallIsAdmittedAsItsPeerHost) {
  auto authorizer = Make({});
  absl::StatusOr<Admission> admitted = authorizer->Admit(kIngest, "", kPeer);
  ASSERT_TRUE(admitted.ok()) << admitted.status();
  EXPECT_EQ(admitted->client(), "ipv4:127.0.0.1");
}

TEST_F(AuthorizerTest, WithoutTokensAdminMethodsAnswerOnlyThisHost) {
  auto authorizer = Make({});
  constexpr char kChannelz[] = "/grpc.channelz.v1.Channelz/GetTopChannels";
  constexpr char kDelivery[] = "/newsevents.v1.IngestService/GetDeliveryStatus";
  EXPECT_TRUE(authorizer->Admit(kChannelz, "", kPeer).ok());
  EXPECT_TRUE(authorizer->Admit(kDelivery, "", "unix:/run/ne.sock").ok());
  for (const char* method : {kChannelz, kDelivery}) {
    absl::StatusOr<Admission> remote =
        authorizer->Admit(method, "", "ipv4:10.1.2.3:40000");
    ASSERT_FALSE(remote.ok()) << method;
    EXPECT_EQ(remote.status().code(), absl::StatusCode::kPermissionDenied);
    EXPECT_TRUE(absl::StrContains(remote.status().message(),
                                  "only callers on this host"))
        << remote.status();
  }
  EXPECT_TRUE(authorizer->Admit(kListEvents, "", "ipv4:10.1.2.3:40000").ok());
}

TEST_F(AuthorizerTest, MissingUnknownAndUnderScopedTokensAreRefused) {
  AuthOptions options;
  options.tokens_file = TokensFile(Line("reader-token", "read", "dash"));
  auto authorizer = Make(options);

  absl::StatusOr<Admission> none = authorizer->Admit(kListEvents, "", kPeer);
  EXPECT_EQ(none.status().code(), absl::StatusCode::kUnauthenticated);
  auto info = Detail<google::rpc::ErrorInfo>(none.status());
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->reason(), "TOKEN_MISSING");
  EXPECT_EQ(info->metadata().at("method"), kListEvents);

  absl::StatusOr<Admission> wrong =
      authorizer->Admit(kListEvents, "Bearer guessed", kPeer);
  EXPECT_EQ(wrong.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(Detail<google::rpc::ErrorInfo>(wrong.status())->reason(),
            "TOKEN_UNKNOWN");

  absl::StatusOr<Admission> scope =
      authorizer->Admit(kIngest, "Bearer reader-token", kPeer);
  EXPECT_EQ(scope.status().code(), absl::StatusCode::kPermissionDenied);
  info = Detail<google::rpc::ErrorInfo>(scope.status());
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->reason(), "SCOPE_MISSING");
  EXPECT_EQ(info->metadata().at("required_scope"), "ingest");
  EXPECT_EQ(info->metadata().at("client"), "dash");

  absl::StatusOr<Admission> good =
      authorizer->Admit(kListEvents, "Bearer reader-token", kPeer);
  ASSERT_TRUE(good.ok()) << good.status();
  EXPECT_EQ(good->client(), "dash");
}

TEST_F(AuthorizerTest, ABrokenFileAtStartupIsAnErrorNamingFlagAndLine) {
  AuthOptions options;
  options.tokens_file = TokensFile("# one\nnot a valid line\n");
  auto authorizer = Authorizer::Create(options);
  ASSERT_FALSE(authorizer.ok());
  EXPECT_NE(authorizer.status().message().find("--auth_tokens_file="),
            std::string::npos);
  EXPECT_NE(authorizer.status().message().find("tokens:2: expected 3 fields"),
            std::string::npos)
      << authorizer.status();
  options.tokens_file = dir_ + "/missing";
  EXPECT_EQ(Authorizer::Create(options).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(AuthorizerTest, ReloadRevokesTokensAndABrokenFileKeepsTheOldTable) {
  AuthOptions options;
  options.tokens_file =
      TokensFile(Line("old", "read", "a") + Line("new", "read", "b"));
  options.refresh = absl::ZeroDuration();
  auto authorizer = Make(options);
  ASSERT_TRUE(authorizer->Admit(kListEvents, "Bearer old", kPeer).ok());

  TokensFile(Line("new", "read", "b") + "broken line\n");
  EXPECT_FALSE(authorizer->Reload().ok());
  EXPECT_TRUE(authorizer->Admit(kListEvents, "Bearer old", kPeer).ok());

  TokensFile(Line("new", "read", "b"));
  ASSERT_TRUE(authorizer->Reload().ok());
  EXPECT_EQ(authorizer->Admit(kListEvents, "Bearer old", kPeer).status().code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_TRUE(authorizer->Admit(kListEvents, "Bearer new", kPeer).ok());
}

TEST_F(AuthorizerTest, RateLimitRefusesBeyondTheBurstWithRetryInfo) {
  AuthOptions options;
  options.rate_per_second = 2;
  options.burst = 3;
  auto authorizer = Make(options);
  for (int i = 0; i < 3; ++i) {
    EXPECT_TRUE(authorizer->Admit(kListEvents, "", kPeer).ok()) << i;
  }
  absl::StatusOr<Admission> refused = authorizer->Admit(kListEvents, "", kPeer);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kResourceExhausted);
  auto retry = Detail<google::rpc::RetryInfo>(refused.status());
  ASSERT_TRUE(retry.has_value());
  EXPECT_EQ(retry->retry_delay().seconds(), 0);
  EXPECT_EQ(retry->retry_delay().nanos(), 500'000'000);  // 1 token at 2/s
  EXPECT_EQ(Detail<google::rpc::ErrorInfo>(refused.status())->reason(),
            "RATE_LIMITED");
  EXPECT_TRUE(Detail<google::rpc::QuotaFailure>(refused.status()).has_value());

  // Another client has its own bucket; time refills this one.
  EXPECT_TRUE(authorizer->Admit(kListEvents, "", "ipv4:10.0.0.2:1").ok());
  now_ += absl::Milliseconds(500);
  EXPECT_TRUE(authorizer->Admit(kListEvents, "", kPeer).ok());
  EXPECT_FALSE(authorizer->Admit(kListEvents, "", kPeer).ok());
}

TEST_F(AuthorizerTest, StreamSlotsAreHeldUntilTheAdmissionGoes) {
  AuthOptions options;
  options.max_streams = 2;
  auto authorizer = Make(options);
  std::vector<Admission> open;
  for (int i = 0; i < 2; ++i) {
    absl::StatusOr<Admission> admitted = authorizer->Admit(kWatch, "", kPeer);
    ASSERT_TRUE(admitted.ok()) << admitted.status();
    open.push_back(std::move(*admitted));
  }
  absl::StatusOr<Admission> third = authorizer->Admit(kWatch, "", kPeer);
  EXPECT_EQ(third.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(Detail<google::rpc::ErrorInfo>(third.status())->reason(),
            "TOO_MANY_STREAMS");
  EXPECT_TRUE(Detail<google::rpc::RetryInfo>(third.status()).has_value());
  // Unary calls are not streams.
  EXPECT_TRUE(authorizer->Admit(kListEvents, "", kPeer).ok());
  open.pop_back();
  EXPECT_TRUE(authorizer->Admit(kWatch, "", kPeer).ok());
}

TEST_F(AuthorizerTest, AChangedFileIsReloadedByTheWatcher) {
  AuthOptions options;
  options.tokens_file = TokensFile(Line("old", "read", "a"));
  options.refresh = absl::Milliseconds(20);
  auto authorizer = Make(options);
  ASSERT_TRUE(authorizer->Admit(kListEvents, "Bearer old", kPeer).ok());
  // A new file renamed over the old one: another inode, so a change even
  // within the file system's timestamp granularity.
  WriteFile(dir_ + "/tokens.new", Line("new", "read", "b"));
  std::rename((dir_ + "/tokens.new").c_str(), (dir_ + "/tokens").c_str());
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  while (authorizer->Admit(kListEvents, "Bearer old", kPeer).ok() &&
         absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  EXPECT_FALSE(authorizer->Admit(kListEvents, "Bearer old", kPeer).ok());
  EXPECT_TRUE(authorizer->Admit(kListEvents, "Bearer new", kPeer).ok());
}

TEST_F(AuthorizerTest, TokenFilesForClientsAreOneWord) {
  EXPECT_EQ(*ReadTokenFile(WriteFile(dir_ + "/t", "  secret\n")), "secret");
  EXPECT_EQ(ReadTokenFile(WriteFile(dir_ + "/t", "\n")).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ReadTokenFile(WriteFile(dir_ + "/t", "a\nb\n")).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ReadTokenFile(dir_ + "/none").status().code(),
            absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace newsevents
