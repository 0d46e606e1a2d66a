// The password-rejection classifier (EXAMPLES.md, "Tokens"): libpq reports no SQLSTATE for a
// failed connection attempt, so "the server refused the secret" is recognised from the text, and
// only when libpq really sent a password. One table.
#include <gtest/gtest.h>

#include "driver/error.h"

namespace lakebase::pg {
namespace {

struct Case {
  const char* message;
  bool used_password;
  ConnectFailure expected;
};

class Classify : public ::testing::TestWithParam<Case> {};

TEST_P(Classify, Message) {
  const Case& c = GetParam();
  EXPECT_EQ(ClassifyConnectError(c.message, c.used_password), c.expected) << c.message;
}

INSTANTIATE_TEST_SUITE_P(
    Table, Classify,
    ::testing::Values(
        // Rejected secrets: SCRAM/md5/password, PAM (Lakebase's token check), any case.
        Case{"connection to server at \"h\" (1.2.3.4), port 5432 failed: FATAL:  password "
             "authentication failed for user \"alice@example.com\"",
             true, ConnectFailure::kPasswordRejected},
        Case{"FATAL:  PAM authentication failed for user \"bob\"", true,
             ConnectFailure::kPasswordRejected},
        Case{"FATAL:  Password Authentication Failed for user \"x\"", true,
             ConnectFailure::kPasswordRejected},
        // The same words when no password was sent are not a rejected token.
        Case{"FATAL:  password authentication failed for user \"x\"", false,
             ConnectFailure::kOther},
        // Waking endpoints and restarts: retry with backoff.
        Case{"connection to server at \"localhost\" (127.0.0.1), port 5432 failed: Connection "
             "refused\n\tIs the server running on that host and accepting TCP/IP connections?",
             false, ConnectFailure::kRetryable},
        Case{"FATAL:  the database system is starting up", true, ConnectFailure::kRetryable},
        Case{"FATAL:  the database system is shutting down", false, ConnectFailure::kRetryable},
        Case{"server closed the connection unexpectedly", false, ConnectFailure::kRetryable},
        Case{"FATAL:  sorry, too many clients already", true, ConnectFailure::kRetryable},
        Case{"could not receive data from server: Connection reset by peer", false,
             ConnectFailure::kRetryable},
        // Timeouts.
        Case{"timeout expired", false, ConnectFailure::kTimeout},
        Case{"could not connect to server: Connection timed out", false, ConnectFailure::kTimeout},
        // Everything else fails at once: TLS verification, unknown host, missing database, no TLS.
        Case{"server certificate for \"localhost\" does not match host name \"127.0.0.1\"", false,
             ConnectFailure::kOther},
        Case{"could not translate host name \"nope.invalid\" to address: Name or service not "
             "known",
             false, ConnectFailure::kOther},
        Case{"FATAL:  database \"nope\" does not exist", true, ConnectFailure::kOther},
        Case{"FATAL:  pg_hba.conf rejects connection for host \"127.0.0.1\", user \"x\", "
             "database \"d\", no encryption",
             false, ConnectFailure::kOther},
        Case{"", false, ConnectFailure::kOther}));

TEST(TrimMessage, DropsTrailingNewlines) {
  EXPECT_EQ(TrimMessage("FATAL: x\n\n"), "FATAL: x");
  EXPECT_EQ(TrimMessage(""), "");
}

}  // namespace
}  // namespace lakebase::pg
