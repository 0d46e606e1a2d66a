#include "driver/session.h"

#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/log.h"
#include "driver/error.h"

namespace lakebase::pg {

namespace {

// Waits for the socket to become readable/writable until the deadline. False on timeout.
bool WaitSocket(int fd, bool for_write, std::chrono::steady_clock::time_point deadline) {
  for (;;) {
    auto now = std::chrono::steady_clock::now();
    if (now >= deadline) return false;
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count();
    pollfd p{fd, static_cast<short>(for_write ? POLLOUT : POLLIN), 0};
    int rc = ::poll(&p, 1, static_cast<int>(std::min<long long>(ms + 1, 60000)));
    if (rc > 0) return true;
    if (rc < 0 && errno != EINTR) return true;  // let PQconnectPoll report the socket error
  }
}

}  // namespace

std::unique_ptr<Session> Session::Open(const SessionParams& params) {
  std::string port = std::to_string(params.port);
  std::vector<const char*> keys;
  std::vector<const char*> values;
  auto add = [&](const char* k, const std::string& v) {
    if (!v.empty()) {
      keys.push_back(k);
      values.push_back(v.c_str());
    }
  };
  add("host", params.host);
  add("port", port);
  add("dbname", params.database);
  add("user", params.user);
  add("password", params.password.Reveal());
  add("sslmode", params.ssl_mode);
  if (params.ssl_mode == "verify-full" || params.ssl_mode == "verify-ca") {
    add("sslrootcert", params.ssl_root_cert);
  }
  add("application_name", params.application_name);
  static const std::string kEncoding = "UTF8";
  add("client_encoding", kEncoding);
  // Server-side keepalives notice a dead peer on idle pooled sessions.
  static const std::string kOne = "1";
  add("keepalives", kOne);
  // Date/number formats the decoders rely on, whatever the role's defaults say.
  static const std::string kOptions =
      "-c DateStyle=ISO,MDY -c IntervalStyle=postgres -c extra_float_digits=3 -c bytea_output=hex "
      "-c lc_monetary=C";
  add("options", kOptions);
  keys.push_back(nullptr);
  values.push_back(nullptr);

  auto session = std::unique_ptr<Session>(new Session());
  session->conn_.reset(PQconnectStartParams(keys.data(), values.data(), 0));
  PGconn* c = session->conn_.get();
  if (c == nullptr) throw ConnectError(ConnectFailure::kOther, "out of memory");
  if (PQstatus(c) == CONNECTION_BAD) {
    std::string msg = TrimMessage(PQerrorMessage(c));
    throw ConnectError(ClassifyConnectError(msg, PQconnectionUsedPassword(c)), msg);
  }
  PostgresPollingStatusType st = PGRES_POLLING_WRITING;
  while (st != PGRES_POLLING_OK) {
    if (st == PGRES_POLLING_FAILED) {
      std::string msg = TrimMessage(PQerrorMessage(c));
      throw ConnectError(ClassifyConnectError(msg, PQconnectionUsedPassword(c)), msg);
    }
    if (!WaitSocket(PQsocket(c), st == PGRES_POLLING_WRITING, params.deadline)) {
      throw ConnectError(ConnectFailure::kTimeout,
                         "timeout expired while connecting to " + params.host + ":" + port);
    }
    st = PQconnectPoll(c);
  }
  session->cancel_.reset(PQgetCancel(c));
  // Notices go to the application as diagnostics, never to the host process's stderr (libpq's
  // default receiver prints them).
  PQsetNoticeReceiver(c, &Session::OnNotice, session.get());
  session->user_ = params.user;
  session->database_ = PQdb(c);
  session->host_ = params.host;
  session->port_ = params.port;
  session->owner_pid_ = ::getpid();
  log::Debug("connected to {}:{} db={} user={} server={} tls={}", params.host, port,
             session->database_, params.user, PQserverVersion(c), PQsslInUse(c) ? "on" : "off");
  return session;
}

Session::~Session() {
  if (conn_ && owner_pid_ != ::getpid()) Abandon();
}

void Session::Abandon() {
  // Closing the socket ourselves and leaking the PGconn avoids sending Terminate on a socket the
  // parent process still uses (DESIGN.md section 6, fork()).
  if (!conn_) return;
  int fd = PQsocket(conn_.get());
  if (fd >= 0) ::close(fd);
  (void)conn_.release();
  cancel_.reset();
}

void CheckResult(PGconn* conn, const PGresult* result) {
  if (result == nullptr) {
    std::string msg = TrimMessage(PQerrorMessage(conn));
    if (PQstatus(conn) == CONNECTION_BAD) {
      throw PgError("08S01", "communication link failure: " + msg);
    }
    throw PgError("HY000", msg.empty() ? "no result from the server" : msg);
  }
  switch (PQresultStatus(result)) {
    case PGRES_COMMAND_OK:
    case PGRES_TUPLES_OK:
    case PGRES_SINGLE_TUPLE:
    case PGRES_EMPTY_QUERY:
    case PGRES_COPY_IN:
    case PGRES_COPY_OUT:
    case PGRES_PIPELINE_SYNC:
      return;
    default:
      break;
  }
  const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
  std::string msg = FormatServerError(result);
  if (PQstatus(conn) == CONNECTION_BAD || state == nullptr) {
    throw PgError("08S01", "communication link failure: " + msg);
  }
  throw PgError(state, msg);
}

std::string FormatServerError(const PGresult* result) {
  const char* primary = PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY);
  std::string msg;
  if (primary != nullptr) {
    const char* severity = PQresultErrorField(result, PG_DIAG_SEVERITY);
    if (severity != nullptr) msg.append(severity).append(": ");
    msg.append(primary);
  } else {
    msg = TrimMessage(PQresultErrorMessage(result));
  }
  if (const char* detail = PQresultErrorField(result, PG_DIAG_MESSAGE_DETAIL)) {
    msg.append("\nDETAIL: ").append(detail);
  }
  if (const char* hint = PQresultErrorField(result, PG_DIAG_MESSAGE_HINT)) {
    msg.append("\nHINT: ").append(hint);
  }
  return msg;
}

void Session::OnNotice(void* self, const PGresult* result) {
  auto* s = static_cast<Session*>(self);
  if (s->notices_.size() < 64) s->notices_.push_back(FormatServerError(result));
}

void Session::Run(const std::string& sql) { Query(sql); }

ResultPtr Session::Query(const std::string& sql) {
  ResultPtr r(PQexec(conn_.get(), sql.c_str()));
  if (PQstatus(conn_.get()) == CONNECTION_BAD) broken_ = true;
  CheckResult(conn_.get(), r.get());
  return r;
}

bool Session::Cancel(std::string* error) {
  std::lock_guard lock(cancel_mutex_);
  if (!cancel_) return false;
  char buf[256] = {0};
  int ok = PQcancel(cancel_.get(), buf, sizeof buf);
  if (!ok && error != nullptr) *error = buf;
  return ok != 0;
}

bool Session::InTransaction() const {
  auto s = PQtransactionStatus(conn_.get());
  return s == PQTRANS_INTRANS || s == PQTRANS_INERROR || s == PQTRANS_ACTIVE;
}

bool Session::Broken() const {
  return broken_ || !conn_ || PQstatus(conn_.get()) == CONNECTION_BAD;
}

std::string Session::ServerVersionString() const {
  const char* v = PQparameterStatus(conn_.get(), "server_version");
  return v ? v : "";
}

}  // namespace lakebase::pg
