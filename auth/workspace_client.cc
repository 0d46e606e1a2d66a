#include "auth/workspace_client.h"

#include <rapidjson/document.h>

#include <algorithm>
#include <random>

#include "auth/encoding.h"
#include "common/log.h"

namespace lakebase::auth {
namespace {

bool IsRetryableStatus(long status) {
  // 429 and 503 are the workspace saying "later" (LAKEBASE.md section 2); 502 and 504 come from
  // the load balancer in front of it and are as transient. 500 is not retried: the Databricks
  // SDKs do not either, and a server bug rarely fixes itself within a login timeout.
  return status == 429 || status == 502 || status == 503 || status == 504;
}

std::chrono::milliseconds Jitter(std::chrono::milliseconds upper) {
  thread_local std::minstd_rand rng{std::random_device{}()};
  if (upper.count() <= 1) return upper;
  std::uniform_int_distribution<int64_t> dist(upper.count() / 2, upper.count());
  return std::chrono::milliseconds(dist(rng));
}

std::string Printable(std::string_view text, size_t max) {
  std::string out;
  for (char c : text.substr(0, max)) {
    out.push_back(static_cast<unsigned char>(c) < 0x20 ? ' ' : c);
  }
  if (text.size() > max) out += "...";
  return out;
}

std::string Seconds(std::chrono::steady_clock::duration d) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
  return fmt::format("{}.{:03}s", ms / 1000, ms % 1000);
}

}  // namespace

std::string NormalizeWorkspaceUrl(std::string_view url) {
  std::string out(url);
  while (!out.empty() && (out.back() == ' ')) out.pop_back();
  while (!out.empty() && (out.front() == ' ')) out.erase(out.begin());
  if (!out.empty() && out.find("://") == std::string::npos) out = "https://" + out;
  while (!out.empty() && out.back() == '/') out.pop_back();
  return out;
}

std::string WorkspaceHost(std::string_view url) {
  size_t start = url.find("://");
  start = start == std::string_view::npos ? 0 : start + 3;
  size_t end = url.find('/', start);
  return std::string(url.substr(start, end == std::string_view::npos ? url.npos : end - start));
}

std::string Scrub(std::string text, const std::vector<SecretString>& secrets) {
  for (const auto& secret : secrets) {
    const std::string& s = secret.Reveal();
    if (s.empty()) continue;
    for (size_t pos = text.find(s); pos != std::string::npos; pos = text.find(s, pos + 3)) {
      text.replace(pos, s.size(), "***");
    }
  }
  return text;
}

WorkspaceClient::WorkspaceClient(std::string workspace_url, std::shared_ptr<HttpClient> http,
                                 std::shared_ptr<Clock> clock, RetryPolicy retry)
    : url_(NormalizeWorkspaceUrl(workspace_url)),
      http_(std::move(http)),
      clock_(std::move(clock)),
      retry_(retry) {}

std::string WorkspaceClient::DescribeError(const HttpResponse& response,
                                           const std::vector<SecretString>& scrub) {
  std::string text = fmt::format("HTTP {}", response.status);
  rapidjson::Document doc;
  doc.Parse(response.body.data(), response.body.size());
  bool described = false;
  if (!doc.HasParseError() && doc.IsObject()) {
    // Databricks REST errors: {"error_code","message"}; OAuth errors (RFC 6749 5.2):
    // {"error","error_description"}.
    auto str = [&](const char* name) -> std::string {
      auto it = doc.FindMember(name);
      if (it == doc.MemberEnd() || !it->value.IsString()) return {};
      return std::string(it->value.GetString(), it->value.GetStringLength());
    };
    std::string code = str("error_code");
    if (code.empty()) code = str("error");
    std::string message = str("message");
    if (message.empty()) message = str("error_description");
    if (!code.empty()) text += " " + Printable(code, 100);
    if (!message.empty()) text += ": " + Printable(message, 1000);
    described = !code.empty() || !message.empty();
  }
  if (!described && !response.body.empty()) {
    text += ": " + Printable(response.body, 200);
  }
  return Scrub(std::move(text), scrub);
}

HttpResponse WorkspaceClient::Send(const WorkspaceCall& call) const {
  HttpResponse response = SendRaw(call);
  if (response.status < 200 || response.status > 299) {
    throw AuthError(
        AuthErrorKind::kWorkspace,
        fmt::format("{} failed: {} ({})", call.action, DescribeError(response, call.scrub), url_));
  }
  return response;
}

HttpResponse WorkspaceClient::SendRaw(const WorkspaceCall& call) const {
  HttpRequest request;
  request.method = call.method;
  request.url = url_ + call.path;
  request.headers.emplace_back("Accept", "application/json");
  if (!call.content_type.empty()) request.headers.emplace_back("Content-Type", call.content_type);
  request.authorization = call.authorization;
  request.body = call.body;
  request.deadline = call.deadline;
  request.stop = call.stop;

  const auto started = clock_->SteadyNow();
  std::chrono::milliseconds backoff = retry_.initial_backoff;
  std::string last_problem;
  for (int attempt = 1;; ++attempt) {
    auto timeout_error = [&](const std::string& why) {
      std::string message = fmt::format("{} timed out after {} and {} attempt(s)", call.action,
                                        Seconds(clock_->SteadyNow() - started), attempt);
      if (!why.empty()) message += ": " + why;
      return AuthError(AuthErrorKind::kTimeout, Scrub(message, call.scrub));
    };
    if (call.stop.stop_requested()) {
      throw AuthError(AuthErrorKind::kTimeout, call.action + " was cancelled (driver shutdown)");
    }
    if (clock_->SteadyNow() >= call.deadline) throw timeout_error(last_problem);

    std::chrono::milliseconds wait{0};
    try {
      HttpResponse response = http_->Send(request);
      if (!IsRetryableStatus(response.status)) return response;
      last_problem = DescribeError(response, call.scrub);
      std::optional<std::chrono::seconds> retry_after;
      if (auto header = response.Header("retry-after")) {
        retry_after = ParseRetryAfter(*header, clock_->SystemNow());
      }
      if (retry_after) {
        wait = *retry_after;  // the server said when; jitter would only make it wrong
      } else if (response.status == 429 || response.status == 503) {
        wait = std::max(retry_.default_retry_after, Jitter(backoff));
      } else {
        wait = Jitter(backoff);
      }
      if (attempt >= retry_.max_attempts) {
        throw AuthError(AuthErrorKind::kWorkspace,
                        fmt::format("{} failed after {} attempts: {} ({})", call.action, attempt,
                                    last_problem, url_));
      }
    } catch (const TransportError& e) {
      switch (e.kind()) {
        case TransportErrorKind::kTimeout:
          throw timeout_error(Scrub(e.what(), call.scrub));
        case TransportErrorKind::kCancelled:
          throw AuthError(AuthErrorKind::kTimeout,
                          call.action + " was cancelled (driver shutdown)");
        case TransportErrorKind::kTls:
        case TransportErrorKind::kOther:
          throw AuthError(AuthErrorKind::kWorkspace,
                          Scrub(fmt::format("{} failed: {}", call.action, e.what()), call.scrub));
        case TransportErrorKind::kConnect:
          break;
      }
      last_problem = Scrub(e.what(), call.scrub);
      if (attempt >= retry_.max_attempts) {
        throw AuthError(AuthErrorKind::kWorkspace, fmt::format("{} failed after {} attempts: {}",
                                                               call.action, attempt, last_problem));
      }
      wait = Jitter(backoff);
    }
    backoff = std::min(backoff * 2, retry_.max_backoff);
    // Waiting past the deadline only to give up then helps no one: fail now, saying why.
    if (clock_->SteadyNow() + wait >= call.deadline) {
      throw timeout_error(
          fmt::format("{}; next retry in {} would pass the deadline", last_problem, Seconds(wait)));
    }
    log::Debug("auth: {} attempt {} failed ({}); retrying in {}", call.action, attempt,
               last_problem, Seconds(wait));
    if (!clock_->SleepFor(wait, call.stop)) {
      throw AuthError(AuthErrorKind::kTimeout, call.action + " was cancelled (driver shutdown)");
    }
  }
}

}  // namespace lakebase::auth
