// The Databricks workspace REST client: one place for retries, deadlines and error mapping
// (LAKEBASE.md section 2 "Errors"), used by OAuth, credential minting and lookups.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "auth/clock.h"
#include "auth/http.h"
#include "auth/token.h"
#include "common/secret.h"

namespace lakebase::auth {

struct RetryPolicy {
  // Backoff for connection errors and 502/504, doubling per attempt, with jitter: each wait is
  // drawn from [b/2, b] so a fleet of processes does not retry in lock step.
  std::chrono::milliseconds initial_backoff{1000};
  std::chrono::milliseconds max_backoff{10000};
  // 429/503 without a Retry-After header wait at least this long (LAKEBASE.md section 2).
  std::chrono::milliseconds default_retry_after{1000};
  // A hard cap on attempts, in case a server keeps answering "Retry-After: 0".
  int max_attempts = 10;
};

// One call's description; path is appended to the workspace URL.
struct WorkspaceCall {
  HttpMethod method = HttpMethod::kGet;
  std::string path;          // "/api/2.0/postgres/credentials"
  std::string content_type;  // empty: no body
  std::string body;
  SecretString authorization;  // full header value
  // What the call is for, in error messages: "minting a database credential for endpoint ...".
  std::string action;
  std::chrono::steady_clock::time_point deadline;
  std::stop_token stop;
  // Secret values that must never appear in an error message even if the server echoes them.
  std::vector<SecretString> scrub;
};

class WorkspaceClient {
 public:
  WorkspaceClient(std::string workspace_url, std::shared_ptr<HttpClient> http,
                  std::shared_ptr<Clock> clock, RetryPolicy retry = {});

  // Sends call, retrying 429/502/503/504 and connection errors with backoff until the deadline.
  // Returns a 2xx response. Throws AuthError: kWorkspace for an error status (message carries the
  // workspace's error_code, message and the HTTP status) or a TLS/transport failure, kTimeout
  // when the deadline passes (or the call is cancelled).
  HttpResponse Send(const WorkspaceCall& call) const;

  // Like Send but returns non-retryable error responses instead of throwing, for callers that
  // treat a status specially (401 with a renewable token). Still throws for transport errors,
  // timeouts and retryable statuses that outlast the deadline.
  HttpResponse SendRaw(const WorkspaceCall& call) const;

  // "HTTP 403 PERMISSION_DENIED: <workspace message>" for an error response (no secret).
  static std::string DescribeError(const HttpResponse& response,
                                   const std::vector<SecretString>& scrub);

  const std::string& url() const { return url_; }
  Clock& clock() const { return *clock_; }
  const std::shared_ptr<Clock>& shared_clock() const { return clock_; }

 private:
  std::string url_;
  std::shared_ptr<HttpClient> http_;
  std::shared_ptr<Clock> clock_;
  RetryPolicy retry_;
};

// Normalises a workspace URL as the Databricks SDKs do: add https:// when no scheme is given,
// drop trailing '/'.
std::string NormalizeWorkspaceUrl(std::string_view url);
// The host part of a normalised workspace URL (for identity strings).
std::string WorkspaceHost(std::string_view url);
// Replaces every occurrence of each secret in text with "***".
std::string Scrub(std::string text, const std::vector<SecretString>& secrets);

}  // namespace lakebase::auth
