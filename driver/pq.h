// RAII owners for libpq objects (the libpqxx habit): nothing in the driver calls PQfinish or
// PQclear by hand. The only layer that includes libpq-fe.h is driver/.
#pragma once

#include <libpq-fe.h>

#include <memory>

namespace lakebase::pg {

struct ConnDeleter {
  void operator()(PGconn* c) const noexcept { PQfinish(c); }
};
struct ResultDeleter {
  void operator()(PGresult* r) const noexcept { PQclear(r); }
};
struct CancelDeleter {
  void operator()(PGcancel* c) const noexcept { PQfreeCancel(c); }
};
using ConnPtr = std::unique_ptr<PGconn, ConnDeleter>;
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;
using CancelPtr = std::unique_ptr<PGcancel, CancelDeleter>;

}  // namespace lakebase::pg
