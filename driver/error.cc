#include "driver/error.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace lakebase::pg {
namespace {

bool Contains(std::string_view haystack, std::string_view needle) {
  auto it = std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end(),
                        [](char a, char b) {
                          return std::tolower(static_cast<unsigned char>(a)) ==
                                 std::tolower(static_cast<unsigned char>(b));
                        });
  return it != haystack.end();
}

}  // namespace

ConnectFailure ClassifyConnectError(std::string_view message, bool used_password) {
  // The server's own words for a rejected secret (auth.c: auth_failed). Only trusted when libpq
  // actually sent a password, so a "password authentication failed" echoed by anything else (a
  // role that does not exist answers the same text, by design) still counts: the server hides
  // which of the two it was, and a fresh token is the only cure we can offer either way.
  static constexpr std::array<std::string_view, 4> kRejected = {
      "password authentication failed", "PAM authentication failed",
      "authentication failed for user", "SCRAM authentication failed"};
  if (used_password) {
    for (auto p : kRejected) {
      if (Contains(message, p)) return ConnectFailure::kPasswordRejected;
    }
  }
  static constexpr std::array<std::string_view, 3> kTimeouts = {"timeout expired", "timed out",
                                                                "Connection timed out"};
  for (auto p : kTimeouts) {
    if (Contains(message, p)) return ConnectFailure::kTimeout;
  }
  // Scale-to-zero wake-up and restarts: refused or reset connections, 57P03, 57P01, 53300.
  static constexpr std::array<std::string_view, 8> kRetryable = {
      "Connection refused",
      "Connection reset",
      "the database system is starting up",
      "the database system is shutting down",
      "the database system is in recovery mode",
      "terminating connection due to administrator command",
      "server closed the connection unexpectedly",
      "sorry, too many clients already"};
  for (auto p : kRetryable) {
    if (Contains(message, p)) return ConnectFailure::kRetryable;
  }
  return ConnectFailure::kOther;
}

std::string TrimMessage(std::string_view message) {
  std::string s(message);
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ' || s.back() == '\r')) s.pop_back();
  return s;
}

}  // namespace lakebase::pg
