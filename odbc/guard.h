// The one boundary where an exception can become an SQLRETURN (DESIGN.md section 2, pattern 1).
// Every exported entry point calls Call<>(); nothing else catches at the API level.
#pragma once

#include <functional>
#include <mutex>
#include <new>

#include "common/log.h"
#include "driver/error.h"
#include "odbc/diag.h"
#include "odbc/handles.h"
#include "setup/config_error.h"

namespace lakebase::odbc {

struct CallPolicy {
  bool lock = true;        // SQLCancel comes from another thread and must not wait for the lock
  bool clear_diag = true;  // SQLGetDiag* read the records of the previous call
};
inline constexpr CallPolicy kDefaultPolicy{};
inline constexpr CallPolicy kCancelPolicy{.lock = false, .clear_diag = false};
inline constexpr CallPolicy kDiagPolicy{.lock = true, .clear_diag = false};

// Runs fn(handle) and turns what it throws into diagnostic records on that handle.
template <class H, CallPolicy P = kDefaultPolicy, class Fn>
SQLRETURN Call(SQLHANDLE raw, Fn&& fn) noexcept {
  H* h = FromHandle<H>(raw);
  if (h == nullptr) return SQL_INVALID_HANDLE;
  std::unique_lock<std::recursive_mutex> lock(h->mutex(), std::defer_lock);
  if constexpr (P.lock) lock.lock();
  if constexpr (P.clear_diag) h->diag().Clear();
  try {
    return h->diag().Finish(std::invoke(std::forward<Fn>(fn), *h));
  } catch (const OdbcError& e) {
    return h->diag().Post(e);
  } catch (const pg::PgError& e) {
    return h->diag().Post(e.sqlstate(), e.what());
  } catch (const setup::ConfigError& e) {
    return h->diag().Post(e.sqlstate(), e.what());
  } catch (const std::bad_alloc&) {
    return h->diag().Post("HY001", "memory allocation error");
  } catch (const std::exception& e) {
    return h->diag().Post("HY000", e.what());
  } catch (...) {
    return h->diag().Post("HY000", "unknown error");
  }
}

}  // namespace lakebase::odbc
