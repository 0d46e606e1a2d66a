// libcurl implementation of HttpClient.
#include <curl/curl.h>
#include <openssl/crypto.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>

#include "auth/http.h"
#include "common/log.h"

namespace lakebase::auth {

std::string_view HttpMethodName(HttpMethod method) {
  switch (method) {
    case HttpMethod::kGet:
      return "GET";
    case HttpMethod::kPost:
      return "POST";
  }
  return "GET";
}

std::optional<std::string> HttpResponse::Header(std::string_view lower_name) const {
  auto it = headers.find(std::string(lower_name));
  if (it == headers.end()) return std::nullopt;
  return it->second;
}

namespace {

constexpr char kUserAgent[] = "lakebase-odbc/0.1";

// curl_global_init is not thread-safe against other curl calls, so it runs once, before any
// handle exists. It is never paired with curl_global_cleanup: the host process may use libcurl
// itself, and a driver that is unloaded must not tear down state the host relies on.
void GlobalInitOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    CURLcode rc = curl_global_init(CURL_GLOBAL_DEFAULT);
    if (rc != CURLE_OK) {
      throw TransportError(TransportErrorKind::kOther,
                           std::string("curl_global_init failed: ") + curl_easy_strerror(rc));
    }
  });
}

// Frees a header list after wiping it: one of its entries is the Authorization header.
struct SlistDeleter {
  void operator()(curl_slist* list) const {
    for (curl_slist* node = list; node != nullptr; node = node->next) {
      if (node->data != nullptr) OPENSSL_cleanse(node->data, std::strlen(node->data));
    }
    curl_slist_free_all(list);
  }
};
using SlistPtr = std::unique_ptr<curl_slist, SlistDeleter>;

void AppendHeader(SlistPtr& list, const std::string& line) {
  curl_slist* next = curl_slist_append(list.get(), line.c_str());
  if (next == nullptr) throw TransportError(TransportErrorKind::kOther, "out of memory");
  (void)
      list.release();  // curl_slist_append returned the same head (or a new one for an empty list)
  list.reset(next);
}

// One easy handle per thread, reused so that curl's connection cache keeps the TLS connection to
// the workspace alive between a lookup and the mint that follows. The pid is remembered: after
// fork() the child's copy shares sockets and TLS state with the parent, so it is abandoned
// (leaked on purpose, never cleaned up, which would write to the parent's connections).
class ThreadHandle {
 public:
  ~ThreadHandle() {
    if (handle_ != nullptr && pid_ == getpid()) curl_easy_cleanup(handle_);
  }
  CURL* Get() {
    if (handle_ != nullptr && pid_ != getpid()) handle_ = nullptr;  // inherited: abandon
    if (handle_ == nullptr) {
      handle_ = curl_easy_init();
      pid_ = getpid();
      if (handle_ == nullptr)
        throw TransportError(TransportErrorKind::kOther, "curl_easy_init failed");
    } else {
      curl_easy_reset(handle_);  // options go, live connections stay
    }
    return handle_;
  }

 private:
  CURL* handle_ = nullptr;
  pid_t pid_ = 0;
};

struct Transfer {
  HttpResponse* response;
  size_t max_bytes;
  bool too_large = false;
  const std::stop_token* stop;
};

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  size_t n = size * count;
  if (t->response->body.size() + n > t->max_bytes) {
    t->too_large = true;
    return 0;  // makes curl fail with CURLE_WRITE_ERROR
  }
  t->response->body.append(data, n);
  return n;
}

size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  size_t n = size * count;
  std::string_view line(data, n);
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.remove_suffix(1);
  if (line.rfind("HTTP/", 0) == 0) {
    t->response->headers.clear();  // a new response (after 100 Continue or a proxy CONNECT)
    return n;
  }
  size_t colon = line.find(':');
  if (colon == std::string_view::npos) return n;
  std::string name(line.substr(0, colon));
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  std::string_view value = line.substr(colon + 1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  t->response->headers[name] = std::string(value);
  return n;
}

int OnProgress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* t = static_cast<Transfer*>(user);
  return t->stop->stop_requested() ? 1 : 0;
}

TransportErrorKind Classify(CURLcode rc) {
  switch (rc) {
    case CURLE_OPERATION_TIMEDOUT:
      return TransportErrorKind::kTimeout;
    case CURLE_ABORTED_BY_CALLBACK:
      return TransportErrorKind::kCancelled;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      return TransportErrorKind::kConnect;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_USE_SSL_FAILED:
      return TransportErrorKind::kTls;
    default:
      return TransportErrorKind::kOther;
  }
}

template <class T>
void Set(CURL* curl, CURLoption option, T value) {
  CURLcode rc = curl_easy_setopt(curl, option, value);
  if (rc != CURLE_OK) {
    throw TransportError(TransportErrorKind::kOther,
                         std::string("curl_easy_setopt failed: ") + curl_easy_strerror(rc));
  }
}

class CurlHttpClient final : public HttpClient {
 public:
  explicit CurlHttpClient(CurlHttpClientOptions options) : options_(std::move(options)) {}

  HttpResponse Send(const HttpRequest& request) override {
    GlobalInitOnce();
    using std::chrono::duration_cast;
    using std::chrono::milliseconds;
    auto remaining =
        duration_cast<milliseconds>(request.deadline - std::chrono::steady_clock::now());
    if (request.deadline != std::chrono::steady_clock::time_point::max() &&
        remaining <= milliseconds(0)) {
      throw TransportError(TransportErrorKind::kTimeout, "deadline passed before the request");
    }
    if (request.stop.stop_requested()) {
      throw TransportError(TransportErrorKind::kCancelled, "request cancelled");
    }
    thread_local ThreadHandle thread_handle;
    CURL* curl = thread_handle.Get();

    HttpResponse response;
    Transfer transfer{&response, options_.max_response_bytes, false, &request.stop};
    char error_buffer[CURL_ERROR_SIZE] = {0};

    SlistPtr headers;
    for (const auto& [name, value] : request.headers) AppendHeader(headers, name + ": " + value);
    if (!request.authorization.empty()) {
      AppendHeader(headers, "Authorization: " + request.authorization.Reveal());
    }
    AppendHeader(headers, "Expect:");  // no 100-continue round trip for small bodies

    Set(curl, CURLOPT_NOSIGNAL, 1L);  // no SIGALRM for DNS timeouts: the host owns signals
    Set(curl, CURLOPT_ERRORBUFFER, error_buffer);
    Set(curl, CURLOPT_URL, request.url.c_str());
#if LIBCURL_VERSION_NUM >= 0x075500
    Set(curl, CURLOPT_PROTOCOLS_STR, options_.allow_plain_http ? "https,http" : "https");
#else
    Set(curl, CURLOPT_PROTOCOLS,
        options_.allow_plain_http ? (CURLPROTO_HTTPS | CURLPROTO_HTTP) : CURLPROTO_HTTPS);
#endif
    Set(curl, CURLOPT_FOLLOWLOCATION, 0L);  // never send the bearer to wherever a 3xx points
    Set(curl, CURLOPT_SSL_VERIFYPEER, 1L);
    Set(curl, CURLOPT_SSL_VERIFYHOST, 2L);
    if (!options_.ca_file.empty()) Set(curl, CURLOPT_CAINFO, options_.ca_file.c_str());
    Set(curl, CURLOPT_USERAGENT, kUserAgent);
    Set(curl, CURLOPT_ACCEPT_ENCODING, "");
    Set(curl, CURLOPT_HTTPHEADER, headers.get());
    if (request.method == HttpMethod::kPost) {
      Set(curl, CURLOPT_POST, 1L);
      Set(curl, CURLOPT_POSTFIELDS, request.body.c_str());
      Set(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
    } else {
      Set(curl, CURLOPT_HTTPGET, 1L);
    }
    if (request.deadline != std::chrono::steady_clock::time_point::max()) {
      Set(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(remaining.count()));
      Set(curl, CURLOPT_CONNECTTIMEOUT_MS,
          static_cast<long>(std::min(remaining, options_.connect_timeout).count()));
    } else {
      Set(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.connect_timeout.count()));
    }
    Set(curl, CURLOPT_WRITEFUNCTION, &OnBody);
    Set(curl, CURLOPT_WRITEDATA, &transfer);
    Set(curl, CURLOPT_HEADERFUNCTION, &OnHeader);
    Set(curl, CURLOPT_HEADERDATA, &transfer);
    Set(curl, CURLOPT_NOPROGRESS, 0L);
    Set(curl, CURLOPT_XFERINFOFUNCTION, &OnProgress);
    Set(curl, CURLOPT_XFERINFODATA, &transfer);

    CURLcode rc = curl_easy_perform(curl);
    // The handle outlives this call: drop pointers into this stack frame now.
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, nullptr);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, nullptr);
    if (rc != CURLE_OK) {
      if (transfer.too_large) {
        throw TransportError(TransportErrorKind::kOther,
                             "response from " + HostOf(request.url) + " is too large");
      }
      std::string detail = error_buffer[0] != '\0' ? error_buffer : curl_easy_strerror(rc);
      TransportErrorKind kind = Classify(rc);
      if (kind == TransportErrorKind::kTls && options_.ca_file.empty()) {
        detail += " (set WorkspaceCAFile if the workspace uses a private CA)";
      }
      throw TransportError(kind, std::string(HttpMethodName(request.method)) + " " +
                                     HostOf(request.url) + ": " + detail);
    }
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    response.status = status;
    return response;
  }

 private:
  // Only scheme and host go into error messages: paths are harmless, but short messages read
  // better and nothing after the host can then ever leak.
  static std::string HostOf(const std::string& url) {
    size_t start = url.find("://");
    start = start == std::string::npos ? 0 : start + 3;
    size_t end = url.find('/', start);
    return url.substr(0, end);
  }

  CurlHttpClientOptions options_;
};

}  // namespace

std::shared_ptr<HttpClient> MakeCurlHttpClient(const CurlHttpClientOptions& options) {
  return std::make_shared<CurlHttpClient>(options);
}

}  // namespace lakebase::auth
