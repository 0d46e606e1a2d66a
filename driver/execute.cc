#include "driver/execute.h"

#include <poll.h>

#include <cerrno>
#include <optional>

#include "driver/error.h"

namespace lakebase::pg {

namespace {

using Clock = std::chrono::steady_clock;

// Waits until libpq has a complete result, cancelling the query once when the deadline passes.
// Returns false when the connection failed while waiting.
bool AwaitResult(Session& s, std::optional<Clock::time_point> deadline, bool& timed_out) {
  PGconn* c = s.conn();
  while (PQisBusy(c)) {
    int wait_ms = -1;
    if (deadline && !timed_out) {
      auto now = Clock::now();
      if (now >= *deadline) {
        timed_out = true;
        s.Cancel();
        continue;  // the server answers the cancel with 57014; keep reading
      }
      wait_ms =
          static_cast<int>(
              std::chrono::duration_cast<std::chrono::milliseconds>(*deadline - now).count()) +
          1;
    }
    pollfd p{PQsocket(c), POLLIN, 0};
    int rc = ::poll(&p, 1, wait_ms);
    if (rc < 0 && errno != EINTR) return false;
    if (rc > 0 && !PQconsumeInput(c)) return false;
  }
  return true;
}

}  // namespace

std::vector<StatementResult> Execute(Session& s, const ExecRequest& r) {
  PGconn* c = s.conn();
  int sent = 0;
  switch (r.kind) {
    case ExecRequest::Kind::kSimple:
      sent = PQsendQuery(c, r.text);
      break;
    case ExecRequest::Kind::kParams:
      sent = PQsendQueryParams(c, r.text, r.nparams, r.types, r.values, r.lengths, r.formats, 0);
      break;
    case ExecRequest::Kind::kPrepared:
      sent = PQsendQueryPrepared(c, r.text, r.nparams, r.values, r.lengths, r.formats, 0);
      break;
  }
  if (!sent) {
    if (PQstatus(c) == CONNECTION_BAD) s.MarkBroken();
    CheckResult(c, nullptr);
  }
  std::optional<Clock::time_point> deadline;
  if (r.timeout.count() > 0) deadline = Clock::now() + r.timeout;
  bool timed_out = false;
  std::vector<StatementResult> out;
  std::optional<PgError> error;
  for (;;) {
    if (!AwaitResult(s, deadline, timed_out)) {
      s.MarkBroken();
      CheckResult(c, nullptr);
    }
    ResultPtr part(PQgetResult(c));
    if (!part) break;
    if (error) continue;  // drain the rest
    try {
      CheckResult(c, part.get());
      if (PQresultStatus(part.get()) == PGRES_EMPTY_QUERY) continue;
      out.push_back(MakeStatementResult(std::move(part)));
    } catch (const PgError& e) {
      error = e;
    }
  }
  if (PQstatus(c) == CONNECTION_BAD) s.MarkBroken();
  if (error) {
    if (error->sqlstate() == "57014") {
      if (timed_out) {
        throw PgError("HYT00", "timeout expired: the query ran longer than the query timeout (" +
                                   std::to_string(r.timeout.count() / 1000) +
                                   " s) and was cancelled on the server");
      }
      if (r.canceled != nullptr && r.canceled->load()) {
        throw PgError("HY008", "operation canceled (SQLCancel)");
      }
    }
    throw *error;
  }
  return out;
}

}  // namespace lakebase::pg
