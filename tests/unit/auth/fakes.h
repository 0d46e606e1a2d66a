// Test doubles for the auth layer: a scripted HttpClient (no network) and helpers to build
// responses and configurations.
#pragma once

#include <atomic>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <variant>
#include <vector>

#include "auth/http.h"
#include "common/secret.h"
#include "setup/config.h"

namespace lakebase::auth::testing {

inline constexpr char kWorkspace[] = "https://ws.example.com";

inline HttpResponse Json(long status, std::string body,
                         std::map<std::string, std::string> headers = {}) {
  HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  r.headers = std::move(headers);
  r.headers["content-type"] = "application/json";
  return r;
}

inline HttpResponse ErrorJson(long status, const std::string& code, const std::string& message,
                              std::map<std::string, std::string> headers = {}) {
  return Json(status, "{\"error_code\":\"" + code + "\",\"message\":\"" + message + "\"}",
              std::move(headers));
}

// Routes requests by "METHOD /path" (the URL with the workspace prefix and query removed). Each
// route has a queue of scripted outcomes, consumed first, then an optional handler; an
// unscripted request gets a 404. Every request is recorded. Thread-safe.
class FakeHttp : public HttpClient {
 public:
  using Outcome = std::variant<HttpResponse, TransportError>;
  using Handler = std::function<HttpResponse(const HttpRequest&)>;

  static std::string Route(HttpMethod method, const std::string& path) {
    return std::string(HttpMethodName(method)) + " " + path;
  }

  void Enqueue(HttpMethod method, const std::string& path, Outcome outcome) {
    std::lock_guard lock(mutex_);
    queues_[Route(method, path)].push_back(std::move(outcome));
  }
  void On(HttpMethod method, const std::string& path, Handler handler) {
    std::lock_guard lock(mutex_);
    handlers_[Route(method, path)] = std::move(handler);
  }

  HttpResponse Send(const HttpRequest& request) override {
    std::string path = request.url;
    size_t scheme = path.find("://");
    size_t slash = path.find('/', scheme == std::string::npos ? 0 : scheme + 3);
    path = slash == std::string::npos ? "/" : path.substr(slash);
    path = path.substr(0, path.find('?'));
    std::string route = Route(request.method, path);
    Handler handler;
    {
      std::lock_guard lock(mutex_);
      requests_.push_back(request);
      auto q = queues_.find(route);
      if (q != queues_.end() && !q->second.empty()) {
        Outcome outcome = std::move(q->second.front());
        q->second.pop_front();
        if (auto* error = std::get_if<TransportError>(&outcome)) throw *error;
        return std::get<HttpResponse>(outcome);
      }
      auto h = handlers_.find(route);
      if (h != handlers_.end()) handler = h->second;
    }
    if (handler) return handler(request);
    return ErrorJson(404, "NOT_FOUND", "no route " + route);
  }

  std::vector<HttpRequest> Requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }
  int Count(HttpMethod method, const std::string& path) const {
    std::lock_guard lock(mutex_);
    int n = 0;
    for (const auto& r : requests_) {
      if (r.method == method && r.url == std::string(kWorkspace) + path) ++n;
    }
    return n;
  }
  size_t Total() const {
    std::lock_guard lock(mutex_);
    return requests_.size();
  }

 private:
  mutable std::mutex mutex_;
  std::map<std::string, std::deque<Outcome>> queues_;
  std::map<std::string, Handler> handlers_;
  std::vector<HttpRequest> requests_;
};

}  // namespace lakebase::auth::testing
