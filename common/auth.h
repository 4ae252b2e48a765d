#ifndef NEWSEVENTS_COMMON_AUTH_H_
#define NEWSEVENTS_COMMON_AUTH_H_

// Access control and per-client limits of both services (docs/security.md,
// "Tokens"): bearer tokens with scopes from a file, reloaded without a
// restart, a token bucket per client and a cap on each client's concurrent
// streaming calls.
//
// Token file (--auth_tokens_file), one client token per line:
//
//   # comment
//   <64 hex digits: SHA-256 of the token> <scopes> <client name>
//
// where <scopes> is a comma-separated subset of read, ingest, admin and the
// client name is [A-Za-z0-9._-]+ (it appears in logs; one client may have
// several lines, e.g. an old and a new token while rotating). Fields are
// separated by spaces or tabs; blank lines and lines starting with '#' are
// ignored. The file holds only hashes, so reading it does not reveal tokens.
//
// Decisions (Authorizer::Admit), in this order:
//   1. With a token table: no "authorization: Bearer <token>" ->
//      UNAUTHENTICATED, reason TOKEN_MISSING; a token whose SHA-256 is not
//      in the table -> UNAUTHENTICATED, TOKEN_UNKNOWN; a token without the
//      method's scope -> PERMISSION_DENIED, SCOPE_MISSING. The client is the
//      token's client name. Without a table every call is allowed and the
//      client is the peer's host ("ipv4:127.0.0.1"), so limits still apply,
//      except admin methods (channelz, GetDeliveryStatus) from a peer not
//      on this host (IsLocalPeer) -> PERMISSION_DENIED, ADMIN_LOCAL_ONLY:
//      channelz lists every peer's address.
//   2. Rate (rate_per_second > 0): each call takes one token from the
//      client's bucket (capacity `burst`, refilled at rate_per_second);
//      an empty bucket -> RESOURCE_EXHAUSTED, RATE_LIMITED, with RetryInfo
//      (when the next token is due).
//   3. Streams (max_streams > 0, streaming methods only): a client already
//      holding max_streams open streaming calls -> RESOURCE_EXHAUSTED,
//      TOO_MANY_STREAMS, with RetryInfo (1 s). An admitted streaming call
//      holds its slot until its Admission is destroyed.
// Every refusal carries google.rpc.ErrorInfo (domain kErrorDomain, metadata
// "method" and, where known, "client" and "required_scope"); the limits also
// carry QuotaFailure. Refusals are logged with the client's name, at most
// kMaxDenialLogsPerSecond lines a second (the rest are counted).
//
// Reload: Reload() re-reads the file (main calls it on SIGHUP), and a thread
// re-reads it whenever its modification time, size or inode changes, checked
// every `refresh` (like --tls_refresh_seconds). A file that fails to parse
// at a reload is logged as an error and the previous table stays in force.
// Calls are checked when they start: a stream opened with a token stays
// open after the token is revoked.
//
// Thread-safety: Authorizer and TokenTable are thread-safe (const methods;
// Reload swaps an immutable table). Admission is a value owned by one call.

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"

namespace newsevents {

// Scopes, as bits of a mask.
enum Scope : uint32_t {
  kScopeRead = 1,    // QueryService: list, get, aggregate, claims, watch
  kScopeIngest = 2,  // IngestService: parse and ingest; EventSinkService
  kScopeAdmin = 4,   // IngestService.GetDeliveryStatus, channelz
};

// "read", "ingest", "admin"; "read,admin" for a mask of several.
std::string ScopeNames(uint32_t scopes);

// What a method needs. Every method of IngestService, QueryService,
// EventSinkService and grpc.channelz.v1.Channelz is listed; any other method
// (a programming error) needs kScopeAdmin.
struct MethodRule {
  uint32_t scope;
  bool streaming;
};
MethodRule RuleFor(absl::string_view full_method);  // "/pkg.Service/Method"

struct TokenClient {
  std::string name;
  uint32_t scopes = 0;
};

// An immutable table of token hashes.
class TokenTable {
 public:
  // Parses the text of a token file. INVALID_ARGUMENT naming `source` (the
  // file, for messages), the 1-based line and the reason for the first bad
  // line: wrong field count, not 64 hex digits, an unknown or empty scope,
  // a bad client name, a hash listed twice.
  static absl::StatusOr<TokenTable> Parse(absl::string_view text,
                                          absl::string_view source);
  // Reads and parses `path`; FAILED_PRECONDITION when it cannot be read.
  static absl::StatusOr<TokenTable> ReadFile(const std::string& path);

  // The client whose hash is SHA-256(`token`), or null. Compares the hash
  // with every entry in constant time. The pointer lives as long as the
  // table.
  const TokenClient* Find(absl::string_view token) const;

  size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    std::array<unsigned char, 32> hash;
    TokenClient client;
  };
  std::vector<Entry> entries_;
};

// Reads a token for a client to present (ingest_service --query_token_file):
// the file's content with surrounding whitespace removed. FAILED_PRECONDITION
// when unreadable, INVALID_ARGUMENT when empty or several lines.
absl::StatusOr<std::string> ReadTokenFile(const std::string& path);

// Lowercase hex SHA-256 of `token`: the first field of its token-file line.
std::string TokenHash(absl::string_view token);

struct AuthOptions {
  // Token file; empty: no tokens, every call is allowed.
  std::string tokens_file;
  // How often the file's modification time is checked; zero: never (only
  // Reload()).
  absl::Duration refresh = absl::Seconds(5);
  // Calls per second per client; 0: unlimited.
  double rate_per_second = 0;
  // Bucket capacity; 0: max(1, rate_per_second).
  double burst = 0;
  // Concurrent streaming calls per client; 0: unlimited.
  int max_streams = 0;
  // Names the service in logs.
  std::string service = "server";
  // Time source of the rate limiter; absl::Now when null.
  std::function<absl::Time()> now;
};

class Authorizer;

// An admitted call: its client and, for a streaming call under a stream
// limit, the slot it holds until destroyed. Movable, not copyable.
class Admission {
 public:
  Admission() = default;
  const std::string& client() const { return client_; }

 private:
  friend class Authorizer;
  struct Slot;
  std::string client_;
  std::shared_ptr<Slot> slot_;
};

class Authorizer {
 public:
  static constexpr int kMaxDenialLogsPerSecond = 10;

  // Loads options.tokens_file (its errors, see TokenTable) and starts the
  // reload thread. INVALID_ARGUMENT for negative limits or refresh.
  static absl::StatusOr<std::unique_ptr<Authorizer>> Create(
      AuthOptions options);
  ~Authorizer();
  Authorizer(const Authorizer&) = delete;
  Authorizer& operator=(const Authorizer&) = delete;

  // Decides one call of `full_method` ("/pkg.Service/Method") given the
  // value of its authorization header (empty when absent) and its peer
  // (grpc::ServerContext::peer()). See the file comment.
  absl::StatusOr<Admission> Admit(absl::string_view full_method,
                                  absl::string_view authorization,
                                  absl::string_view peer)
      ABSL_LOCKS_EXCLUDED(mu_);

  // Re-reads the token file now. On error the old table stays, the error is
  // logged and returned. OK (nothing done) without a token file.
  absl::Status Reload() ABSL_LOCKS_EXCLUDED(mu_);

  bool tokens_required() const { return !options_.tokens_file.empty(); }
  // For startup logs: "tokens from FILE (N), 5 calls/s (burst 10) and 4
  // streams per client".
  std::string Describe() const ABSL_LOCKS_EXCLUDED(mu_);

 private:
  struct Bucket {
    double tokens;
    absl::Time updated;
  };
  struct StreamCounts;
  friend struct Admission::Slot;
  // Modification time, size and inode of the token file.
  struct FileSignature;
  static FileSignature SignatureOf(const std::string& path);

  explicit Authorizer(AuthOptions options);
  absl::Status Authenticate(absl::string_view method, const MethodRule& rule,
                            absl::string_view authorization,
                            absl::string_view peer, std::string* client)
      ABSL_LOCKS_EXCLUDED(mu_);
  absl::Status TakeRate(absl::string_view method, const std::string& client)
      ABSL_LOCKS_EXCLUDED(mu_);
  absl::Status Refuse(absl::Status status, absl::string_view method,
                      absl::string_view client, absl::string_view peer)
      ABSL_LOCKS_EXCLUDED(log_mu_);
  void WatchFile(FileSignature seen);
  absl::Time Now() const;

  const AuthOptions options_;
  double burst_ = 1;
  std::shared_ptr<StreamCounts> streams_;
  mutable absl::Mutex mu_;
  std::shared_ptr<const TokenTable> table_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, Bucket> buckets_ ABSL_GUARDED_BY(mu_);
  absl::Mutex log_mu_;
  absl::Time log_second_ ABSL_GUARDED_BY(log_mu_);
  int logged_this_second_ ABSL_GUARDED_BY(log_mu_) = 0;
  int64_t suppressed_ ABSL_GUARDED_BY(log_mu_) = 0;
  absl::Notification stop_;
  std::unique_ptr<std::thread> watcher_;
};

// The token of an authorization header value "Bearer <token>" (the scheme in
// any case), or "" when the value is not of that form.
absl::string_view BearerToken(absl::string_view authorization);

// The host part of a gRPC peer string: "ipv4:127.0.0.1:5000" ->
// "ipv4:127.0.0.1", "ipv6:[::1]:5000" -> "ipv6:[::1]"; others unchanged.
std::string PeerHost(absl::string_view peer);

// True for a gRPC peer string on this host: a Unix socket, or a loopback
// address ("ipv4:127.0.0.1:5000", "ipv6:[::1]:5000", "ipv6:%5B::1%5D:5000",
// "ipv6:[::ffff:127.0.0.1]:5000").
bool IsLocalPeer(absl::string_view peer);

}  // namespace newsevents

#endif  // NEWSEVENTS_COMMON_AUTH_H_
