// Authorizer (common/auth.h): the token table in force, its reload, and the
// per-client rate and stream limits.
#include <sys/stat.h>

#include <algorithm>
#include <cmath>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "common/auth.h"
#include "common/errors.h"
#include "common/logging.h"

namespace newsevents {
namespace {

// Buckets kept before full ones (clients idle for a while) are dropped.
constexpr size_t kMaxIdleBuckets = 4096;
constexpr absl::Duration kStreamRetryDelay = absl::Seconds(1);

absl::Status Denied(absl::StatusCode code, absl::string_view message,
                    absl::string_view reason, absl::string_view method,
                    absl::string_view client, uint32_t required_scope) {
  std::map<std::string, std::string> metadata = {
      {"method", std::string(method)}};
  if (!client.empty()) metadata["client"] = std::string(client);
  if (required_scope != 0)
    metadata["required_scope"] = ScopeNames(required_scope);
  return ErrorWithInfo(code, message, reason, metadata);
}

}  // namespace

// What decides whether the token file changed.
struct Authorizer::FileSignature {
  bool exists = false;
  int64_t mtime_ns = 0;
  int64_t size = 0;
  uint64_t inode = 0;
  bool operator==(const FileSignature&) const = default;
};

Authorizer::FileSignature Authorizer::SignatureOf(const std::string& path) {
  struct stat info;
  FileSignature signature;
  if (stat(path.c_str(), &info) != 0) return signature;
  signature.exists = true;
  signature.mtime_ns =
      int64_t{info.st_mtim.tv_sec} * 1'000'000'000 + info.st_mtim.tv_nsec;
  signature.size = info.st_size;
  signature.inode = info.st_ino;
  return signature;
}

struct Authorizer::StreamCounts {
  absl::Mutex mu;
  absl::flat_hash_map<std::string, int> open ABSL_GUARDED_BY(mu);
};

// One open streaming call of `client`; gives its count back when destroyed.
struct Admission::Slot {
  Slot(std::shared_ptr<Authorizer::StreamCounts> counts, std::string client)
      : counts(std::move(counts)), client(std::move(client)) {}
  Slot(const Slot&) = delete;
  Slot& operator=(const Slot&) = delete;
  const std::shared_ptr<Authorizer::StreamCounts> counts;
  const std::string client;
  ~Slot() {
    absl::MutexLock lock(&counts->mu);
    auto it = counts->open.find(client);
    if (it != counts->open.end() && --it->second <= 0) counts->open.erase(it);
  }
};

Authorizer::Authorizer(AuthOptions options)
    : options_(std::move(options)), streams_(std::make_shared<StreamCounts>()) {
  burst_ = options_.burst > 0 ? options_.burst
                              : std::max(1.0, options_.rate_per_second);
}

absl::StatusOr<std::unique_ptr<Authorizer>> Authorizer::Create(
    AuthOptions options) {
  if (options.rate_per_second < 0 || options.burst < 0 ||
      options.max_streams < 0 || options.refresh < absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        "--rate_limit_per_client, --rate_limit_burst, "
        "--max_streams_per_client and --auth_refresh_seconds must not be "
        "negative");
  }
  std::unique_ptr<Authorizer> authorizer(new Authorizer(std::move(options)));
  const AuthOptions& opts = authorizer->options_;
  if (opts.tokens_file.empty()) return authorizer;
  // Taken before reading, so a change while starting is seen as one.
  const FileSignature loaded = SignatureOf(opts.tokens_file);
  absl::StatusOr<TokenTable> table = TokenTable::ReadFile(opts.tokens_file);
  if (!table.ok()) {
    return absl::Status(
        table.status().code(),
        absl::StrCat("--auth_tokens_file=", table.status().message()));
  }
  {
    absl::MutexLock lock(&authorizer->mu_);
    authorizer->table_ = std::make_shared<const TokenTable>(std::move(*table));
  }
  if (opts.refresh > absl::ZeroDuration()) {
    Authorizer* self = authorizer.get();
    authorizer->watcher_ = std::make_unique<std::thread>(
        [self, loaded] { self->WatchFile(loaded); });
  }
  return authorizer;
}

Authorizer::~Authorizer() {
  stop_.Notify();
  if (watcher_ != nullptr) watcher_->join();
}

absl::Time Authorizer::Now() const {
  return options_.now ? options_.now() : absl::Now();
}

absl::StatusOr<Admission> Authorizer::Admit(absl::string_view full_method,
                                            absl::string_view authorization,
                                            absl::string_view peer) {
  const MethodRule rule = RuleFor(full_method);
  Admission admission;
  if (absl::Status status = Authenticate(full_method, rule, authorization, peer,
                                         &admission.client_);
      !status.ok()) {
    return Refuse(std::move(status), full_method, admission.client_, peer);
  }
  if (absl::Status status = TakeRate(full_method, admission.client_);
      !status.ok()) {
    return Refuse(std::move(status), full_method, admission.client_, peer);
  }
  if (!rule.streaming || options_.max_streams == 0) return admission;
  int open = 0;
  {
    absl::MutexLock lock(&streams_->mu);
    int& count = streams_->open[admission.client_];
    open = count;
    if (count < options_.max_streams) ++count;
  }
  if (open >= options_.max_streams) {
    absl::Status status =
        Denied(absl::StatusCode::kResourceExhausted,
               absl::StrCat("client ", admission.client_, " already has ", open,
                            " streaming calls open (--max_streams_per_client)"),
               "TOO_MANY_STREAMS", full_method, admission.client_, 0);
    status = WithQuotaFailure(
        WithRetryDelay(std::move(status), kStreamRetryDelay),
        absl::StrCat("client:", admission.client_),
        absl::StrCat("at most ", options_.max_streams, " streaming calls"));
    return Refuse(std::move(status), full_method, admission.client_, peer);
  }
  admission.slot_ =
      std::make_shared<Admission::Slot>(streams_, admission.client_);
  return admission;
}

absl::Status Authorizer::Authenticate(absl::string_view method,
                                      const MethodRule& rule,
                                      absl::string_view authorization,
                                      absl::string_view peer,
                                      std::string* client) {
  std::shared_ptr<const TokenTable> table;
  {
    absl::MutexLock lock(&mu_);
    table = table_;
  }
  if (table == nullptr) {
    *client = PeerHost(peer);
    if (rule.scope == kScopeAdmin && !IsLocalPeer(peer)) {
      return Denied(absl::StatusCode::kPermissionDenied,
                    absl::StrCat("without --auth_tokens_file, ", method,
                                 " answers only callers on this host"),
                    "ADMIN_LOCAL_ONLY", method, *client, rule.scope);
    }
    return absl::OkStatus();
  }
  const absl::string_view token = BearerToken(authorization);
  if (token.empty()) {
    return Denied(absl::StatusCode::kUnauthenticated,
                  "this service requires 'authorization: Bearer <token>'",
                  "TOKEN_MISSING", method, "", rule.scope);
  }
  const TokenClient* found = table->Find(token);
  if (found == nullptr) {
    return Denied(absl::StatusCode::kUnauthenticated,
                  "the bearer token is not known (revoked or mistyped)",
                  "TOKEN_UNKNOWN", method, "", rule.scope);
  }
  *client = found->name;
  if ((found->scopes & rule.scope) == 0) {
    return Denied(absl::StatusCode::kPermissionDenied,
                  absl::StrCat("client ", found->name, " lacks scope '",
                               ScopeNames(rule.scope), "' needed by ", method),
                  "SCOPE_MISSING", method, found->name, rule.scope);
  }
  return absl::OkStatus();
}

absl::Status Authorizer::TakeRate(absl::string_view method,
                                  const std::string& client) {
  if (options_.rate_per_second <= 0) return absl::OkStatus();
  const absl::Time now = Now();
  const double rate = options_.rate_per_second;
  absl::Duration wait;
  {
    absl::MutexLock lock(&mu_);
    if (buckets_.size() > kMaxIdleBuckets) {
      absl::erase_if(buckets_, [&](const auto& entry) {
        return entry.second.tokens +
                   absl::ToDoubleSeconds(now - entry.second.updated) * rate >=
               burst_;
      });
    }
    auto [it, added] = buckets_.try_emplace(client, Bucket{burst_, now});
    Bucket& bucket = it->second;
    const double elapsed =
        std::max(0.0, absl::ToDoubleSeconds(now - bucket.updated));
    bucket.tokens = std::min(burst_, bucket.tokens + elapsed * rate);
    bucket.updated = std::max(bucket.updated, now);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return absl::OkStatus();
    }
    wait = absl::Seconds((1 - bucket.tokens) / rate);
  }
  absl::Status status =
      Denied(absl::StatusCode::kResourceExhausted,
             absl::StrFormat("client %s is over %g calls per second "
                             "(--rate_limit_per_client); retry in %s",
                             client, rate, absl::FormatDuration(wait)),
             "RATE_LIMITED", method, client, 0);
  return WithQuotaFailure(
      WithRetryDelay(std::move(status), wait), absl::StrCat("client:", client),
      absl::StrFormat("at most %g calls per second, bursts of %g", rate,
                      burst_));
}

absl::Status Authorizer::Refuse(absl::Status status, absl::string_view method,
                                absl::string_view client,
                                absl::string_view peer) {
  const absl::Time now = absl::Now();
  int64_t suppressed = 0;
  {
    absl::MutexLock lock(&log_mu_);
    if (now - log_second_ >= absl::Seconds(1)) {
      suppressed = suppressed_;
      suppressed_ = 0;
      logged_this_second_ = 0;
      log_second_ = now;
    }
    if (logged_this_second_ >= kMaxDenialLogsPerSecond) {
      ++suppressed_;
      return status;
    }
    ++logged_this_second_;
  }
  if (suppressed > 0) {
    LogWarning(options_.service, "%d more refused calls were not logged",
               suppressed);
  }
  LogWarning(options_.service, "refused %s for client %s (peer %s): %s", method,
             client.empty() ? "(unknown)" : client, peer,
             status.ToString(absl::StatusToStringMode::kWithNoExtraData));
  return status;
}

absl::Status Authorizer::Reload() {
  if (options_.tokens_file.empty()) return absl::OkStatus();
  absl::StatusOr<TokenTable> table = TokenTable::ReadFile(options_.tokens_file);
  if (!table.ok()) {
    LogError(options_.service,
             "AUTH RELOAD FAILED, the previous tokens stay in force: %s",
             table.status().message());
    return table.status();
  }
  const size_t size = table->size();
  {
    absl::MutexLock lock(&mu_);
    table_ = std::make_shared<const TokenTable>(std::move(*table));
  }
  LogInfo(options_.service, "auth: %d tokens loaded from %s", size,
          options_.tokens_file);
  return absl::OkStatus();
}

void Authorizer::WatchFile(FileSignature seen) {
  while (!stop_.WaitForNotificationWithTimeout(options_.refresh)) {
    FileSignature now = SignatureOf(options_.tokens_file);
    if (now == seen) continue;
    seen = now;
    (void)Reload();  // logged either way
  }
}

std::string Authorizer::Describe() const {
  std::string tokens = "no tokens (every call allowed)";
  if (tokens_required()) {
    absl::MutexLock lock(&mu_);
    tokens = absl::StrCat("tokens from ", options_.tokens_file, " (",
                          table_ != nullptr ? table_->size() : 0, ")");
  }
  std::string rate = "no rate limit";
  if (options_.rate_per_second > 0) {
    rate = absl::StrFormat("%g calls/s (burst %g)", options_.rate_per_second,
                           burst_);
  }
  std::string streams = "no stream limit";
  if (options_.max_streams > 0) {
    streams = absl::StrCat(options_.max_streams, " streams");
  }
  return absl::StrCat(tokens, "; per client: ", rate, ", ", streams);
}

}  // namespace newsevents
