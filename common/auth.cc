#include "common/auth.h"

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/strip.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "common/errors.h"
#include "common/logging.h"

namespace newsevents {
namespace {

constexpr struct {
  const char* name;
  uint32_t bit;
} kScopes[] = {
    {"read", kScopeRead}, {"ingest", kScopeIngest}, {"admin", kScopeAdmin}};

// Every method that is not open (health and reflection never ask).
const std::map<std::string, MethodRule, std::less<>>& Rules() {
  static const auto* rules = new std::map<std::string, MethodRule, std::less<>>{
      {"/newsevents.v1.QueryService/GetEvent", {kScopeRead, false}},
      {"/newsevents.v1.QueryService/ListEvents", {kScopeRead, false}},
      {"/newsevents.v1.QueryService/GetArticle", {kScopeRead, false}},
      {"/newsevents.v1.QueryService/ListArticles", {kScopeRead, false}},
      {"/newsevents.v1.QueryService/AggregateEvents", {kScopeRead, false}},
      {"/newsevents.v1.QueryService/ListClaims", {kScopeRead, false}},
      {"/newsevents.v1.QueryService/WatchEvents", {kScopeRead, true}},
      {"/newsevents.v1.IngestService/ParseArticle", {kScopeIngest, false}},
      {"/newsevents.v1.IngestService/IngestArticle", {kScopeIngest, false}},
      {"/newsevents.v1.IngestService/IngestArticles", {kScopeIngest, true}},
      {"/newsevents.v1.IngestService/GetDeliveryStatus", {kScopeAdmin, false}},
      {"/newsevents.v1.EventSinkService/StreamEventBatches",
       {kScopeIngest, true}},
  };
  return *rules;
}

std::array<unsigned char, 32> Sha256(absl::string_view data) {
  std::array<unsigned char, 32> digest;
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(),
         digest.data());
  return digest;
}

bool IsClientName(absl::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '.' ||
           c == '_' || c == '-';
  });
}

absl::StatusOr<uint32_t> ParseScopeList(absl::string_view text) {
  uint32_t scopes = 0;
  for (absl::string_view word : absl::StrSplit(text, ',')) {
    bool known = false;
    for (const auto& scope : kScopes) {
      if (word == scope.name) {
        scopes |= scope.bit;
        known = true;
      }
    }
    if (!known) {
      return absl::InvalidArgumentError(absl::StrCat(
          "unknown scope '", word, "' (scopes are read, ingest, admin)"));
    }
  }
  return scopes;
}

absl::StatusOr<std::string> ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::FailedPreconditionError(
        absl::StrCat(path, ": cannot open: ", std::strerror(errno)));
  }
  std::ostringstream content;
  content << in.rdbuf();
  if (in.bad()) {
    return absl::FailedPreconditionError(absl::StrCat(path, ": cannot read"));
  }
  return content.str();
}

}  // namespace

std::string ScopeNames(uint32_t scopes) {
  std::vector<std::string> names;
  for (const auto& scope : kScopes) {
    if (scopes & scope.bit) names.push_back(scope.name);
  }
  return absl::StrJoin(names, ",");
}

MethodRule RuleFor(absl::string_view full_method) {
  if (absl::StartsWith(full_method, "/grpc.channelz.v1.Channelz/")) {
    return {kScopeAdmin, false};
  }
  auto it = Rules().find(full_method);
  return it != Rules().end() ? it->second : MethodRule{kScopeAdmin, false};
}

std::string TokenHash(absl::string_view token) {
  std::array<unsigned char, 32> digest = Sha256(token);
  return absl::BytesToHexString(absl::string_view(
      reinterpret_cast<const char*>(digest.data()), digest.size()));
}

absl::StatusOr<TokenTable> TokenTable::Parse(absl::string_view text,
                                             absl::string_view source) {
  TokenTable table;
  absl::flat_hash_set<std::string> hashes;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_number;
    auto bad = [&](absl::string_view reason) {
      return absl::InvalidArgumentError(
          absl::StrCat(source, ":", line_number, ": ", reason));
    };
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || line[0] == '#') continue;
    std::vector<absl::string_view> fields =
        absl::StrSplit(line, absl::ByAnyChar(" \t"), absl::SkipEmpty());
    if (fields.size() != 3) {
      return bad(
          absl::StrCat("expected 3 fields (sha256-hex scopes client), "
                       "found ",
                       fields.size()));
    }
    std::string hex = absl::AsciiStrToLower(fields[0]);
    if (hex.size() != 64 || !std::all_of(hex.begin(), hex.end(), [](char c) {
          return absl::ascii_isxdigit(static_cast<unsigned char>(c));
        })) {
      return bad("the first field must be 64 hex digits (the token's SHA-256)");
    }
    absl::StatusOr<uint32_t> scopes = ParseScopeList(fields[1]);
    if (!scopes.ok()) return bad(scopes.status().message());
    if (!IsClientName(fields[2])) {
      return bad(
          "the client name may hold only letters, digits, '.', '_', '-'");
    }
    if (!hashes.insert(hex).second) return bad("this hash is listed twice");
    Entry entry;
    std::string bytes = absl::HexStringToBytes(hex);
    std::copy(bytes.begin(), bytes.end(), entry.hash.begin());
    entry.client = {std::string(fields[2]), *scopes};
    table.entries_.push_back(std::move(entry));
  }
  return table;
}

absl::StatusOr<TokenTable> TokenTable::ReadFile(const std::string& path) {
  absl::StatusOr<std::string> text = ReadWholeFile(path);
  if (!text.ok()) return text.status();
  return Parse(*text, path);
}

const TokenClient* TokenTable::Find(absl::string_view token) const {
  const std::array<unsigned char, 32> digest = Sha256(token);
  const TokenClient* found = nullptr;
  // No early exit: the time taken does not depend on where (or whether) the
  // hash matches.
  for (const Entry& entry : entries_) {
    const bool same =
        CRYPTO_memcmp(entry.hash.data(), digest.data(), digest.size()) == 0;
    if (same) found = &entry.client;
  }
  return found;
}

absl::StatusOr<std::string> ReadTokenFile(const std::string& path) {
  absl::StatusOr<std::string> text = ReadWholeFile(path);
  if (!text.ok()) return text.status();
  absl::string_view token = absl::StripAsciiWhitespace(*text);
  if (token.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": no token"));
  }
  if (token.find_first_of(" \t\r\n") != absl::string_view::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": the token must be one word on one line"));
  }
  return std::string(token);
}

absl::string_view BearerToken(absl::string_view authorization) {
  authorization = absl::StripAsciiWhitespace(authorization);
  constexpr absl::string_view kScheme = "bearer ";
  if (authorization.size() <= kScheme.size() ||
      !absl::StartsWithIgnoreCase(authorization, kScheme)) {
    return "";
  }
  return absl::StripAsciiWhitespace(authorization.substr(kScheme.size()));
}

std::string PeerHost(absl::string_view peer) {
  if (!absl::StartsWith(peer, "ipv4:") && !absl::StartsWith(peer, "ipv6:")) {
    return std::string(peer);
  }
  size_t colon = peer.rfind(':');
  if (colon <= 4) return std::string(peer);
  return std::string(peer.substr(0, colon));
}

bool IsLocalPeer(absl::string_view peer) {
  if (absl::StartsWith(peer, "unix:") || absl::StartsWith(peer, "unix-abstract:")) {
    return true;
  }
  if (absl::ConsumePrefix(&peer, "ipv4:")) return absl::StartsWith(peer, "127.");
  if (!absl::ConsumePrefix(&peer, "ipv6:")) return false;
  if (!absl::ConsumePrefix(&peer, "[")) absl::ConsumePrefix(&peer, "%5B");
  return absl::StartsWith(peer, "::1]") || absl::StartsWith(peer, "::1%5D") ||
         absl::StartsWith(peer, "::ffff:127.");
}

}  // namespace newsevents
