// HTTP behind an interface: the workspace client, OAuth and credential minting are tested with a
// fake, and the real transport is libcurl (DESIGN.md section 3, section 6 "Threads and signals").
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <stop_token>
#include <string>
#include <utility>
#include <vector>

#include "common/secret.h"

namespace lakebase::auth {

enum class HttpMethod { kGet, kPost };

std::string_view HttpMethodName(HttpMethod method);

struct HttpRequest {
  HttpMethod method = HttpMethod::kGet;
  std::string url;
  // Headers other than Authorization, e.g. {"Content-Type", "application/json"}.
  std::vector<std::pair<std::string, std::string>> headers;
  // The whole Authorization header value ("Bearer ..." or "Basic ..."). Kept apart from the other
  // headers and typed as a secret so a logged or printed request can never show it.
  SecretString authorization;
  // Request bodies here never carry a secret (client secrets travel in Basic auth), so plain text.
  std::string body;
  // The whole exchange (connect, TLS, request, response) must end by this instant.
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
  // Aborts an exchange in flight (auth::Shutdown stopping the background refresher).
  std::stop_token stop;
};

struct HttpResponse {
  long status = 0;
  // Header names lower-cased; a repeated header keeps its last value.
  std::map<std::string, std::string> headers;
  // May hold a token: never log it.
  std::string body;

  std::optional<std::string> Header(std::string_view lower_name) const;
};

// A request that got no HTTP response at all.
enum class TransportErrorKind {
  kConnect,    // DNS, refused, reset, nothing received: worth retrying
  kTimeout,    // the deadline ran out
  kTls,        // handshake or certificate verification failed: never retried
  kCancelled,  // stop was requested
  kOther,      // anything else (bad URL, out of memory, response too large)
};

class TransportError : public std::runtime_error {
 public:
  TransportError(TransportErrorKind kind, const std::string& message)
      : std::runtime_error(message), kind_(kind) {}
  TransportErrorKind kind() const { return kind_; }

 private:
  TransportErrorKind kind_;
};

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  // Any HTTP status is a response (the caller interprets 4xx/5xx). Throws TransportError when no
  // response was received. Thread-safe.
  virtual HttpResponse Send(const HttpRequest& request) = 0;
};

struct CurlHttpClientOptions {
  // PEM bundle of CAs to trust for the workspace (WorkspaceCAFile); empty: the system bundle.
  // There is deliberately no option to turn verification off.
  std::string ca_file;
  // Upper bound on the connect phase even when the deadline is further away, so a black-holed
  // address fails over to a retry instead of eating the whole login timeout.
  std::chrono::milliseconds connect_timeout{10000};
  // Responses larger than this are refused (the workspace's JSON is a few KB).
  size_t max_response_bytes = 4u << 20;
  // Schemes allowed; https only outside tests of the client itself.
  bool allow_plain_http = false;
};

// libcurl transport. One curl_global_init per process (std::call_once), CURLOPT_NOSIGNAL, TLS
// always verified, one easy handle per thread reused across requests so keep-alive connections
// to the workspace are reused; after fork() the child never touches the parent's handles.
std::shared_ptr<HttpClient> MakeCurlHttpClient(const CurlHttpClientOptions& options);

}  // namespace lakebase::auth
