// SQLConnect, SQLDriverConnect, SQLDisconnect, connection attributes, SQLEndTran, SQLNativeSql.
#include "auth/login.h"
#include "common/log.h"
#include "driver/sql_rewrite.h"
#include "odbc/api/common.h"
#include "setup/connection_string.h"
#include "setup/resolve.h"

using namespace lakebase;
using namespace lakebase::odbc;
using namespace lakebase::odbc::api;

namespace {

void WarnUnknownKeys(Dbc& dbc, const setup::ConnectionConfig& cfg) {
  for (const auto& w : cfg.warnings) dbc.diag().Add("01000", w);
  for (const auto& k : cfg.unknown_keys) {
    dbc.diag().Add(
        "01S00", "invalid connection string attribute: unknown keyword \"" + k + "\" was ignored");
  }
}

template <class E>
SQLRETURN Connect(SQLHDBC h, typename E::Char* dsn, SQLSMALLINT dsn_len, typename E::Char* uid,
                  SQLSMALLINT uid_len, typename E::Char* pwd, SQLSMALLINT pwd_len) {
  return Call<Dbc>(h, [&](Dbc& dbc) -> SQLRETURN {
    if (dbc.connected()) throw OdbcError("08002", "connection name in use");
    SecretString password(E::In(pwd, pwd_len));
    auto attrs =
        setup::AttributesForSqlConnect(E::In(dsn, dsn_len), E::In(uid, uid_len), password.Reveal());
    auto cfg = setup::ResolveConfig(attrs);
    log::Debug("SQLConnect dsn={}", cfg.dsn);
    dbc.Connect(cfg);
    WarnUnknownKeys(dbc, cfg);
    return SQL_SUCCESS;
  });
}

template <class E>
SQLRETURN DriverConnect(SQLHDBC h, typename E::Char* in, SQLSMALLINT in_len, typename E::Char* out,
                        SQLSMALLINT out_max, SQLSMALLINT* out_len, SQLUSMALLINT completion) {
  return Call<Dbc>(h, [&](Dbc& dbc) -> SQLRETURN {
    if (dbc.connected()) throw OdbcError("08002", "connection name in use");
    if (completion != SQL_DRIVER_NOPROMPT && completion != SQL_DRIVER_COMPLETE &&
        completion != SQL_DRIVER_COMPLETE_REQUIRED && completion != SQL_DRIVER_PROMPT) {
      throw OdbcError("HY110", "invalid driver completion");
    }
    if (in == nullptr)
      throw OdbcError("HY009", "invalid use of null pointer: no connection string");
    if (in_len < 0 && in_len != SQL_NTS)
      throw OdbcError("HY090", "invalid string or buffer length");
    // There is no dialog to prompt with on this platform: every completion mode connects with
    // what it is given, as psqlODBC does on Unix, and reports what is missing.
    std::string text = E::In(in, in_len);
    log::Debug("SQLDriverConnect {}", setup::RedactConnectionString(text));
    auto attrs = setup::ParseConnectionString(text);
    auto cfg = setup::ResolveConfig(attrs);
    dbc.Connect(cfg);
    WarnUnknownKeys(dbc, cfg);
    std::string output = setup::BuildOutputConnectionString(cfg);
    if (out != nullptr || out_len != nullptr) {
      OutChars<E>(dbc.diag(), output, out, out_max, out_len);
    }
    return SQL_SUCCESS;
  });
}

template <class E>
SQLRETURN SetConnectAttr(SQLHDBC h, SQLINTEGER attr, SQLPOINTER value, SQLINTEGER len) {
  return Call<Dbc>(h, [&](Dbc& dbc) -> SQLRETURN {
    auto v = static_cast<SQLUINTEGER>(reinterpret_cast<uintptr_t>(value));
    switch (attr) {
      case SQL_ATTR_AUTOCOMMIT: {
        bool on = v == SQL_AUTOCOMMIT_ON;
        if (v != SQL_AUTOCOMMIT_ON && v != SQL_AUTOCOMMIT_OFF) {
          throw OdbcError("HY024", "invalid attribute value for SQL_ATTR_AUTOCOMMIT");
        }
        // Switching manual -> auto commits the open transaction (SQLSetConnectAttr, Comments).
        if (on && !dbc.autocommit && dbc.session && dbc.session->InTransaction()) {
          dbc.EndTran(SQL_COMMIT);
        }
        dbc.autocommit = on;
        return SQL_SUCCESS;
      }
      case SQL_ATTR_LOGIN_TIMEOUT:
        dbc.login_timeout = v;
        return SQL_SUCCESS;
      case SQL_ATTR_CONNECTION_TIMEOUT:
        dbc.connection_timeout = v;
        return SQL_SUCCESS;
      case SQL_ATTR_ACCESS_MODE:
        if (dbc.session) {
          dbc.session->Run(v == SQL_MODE_READ_ONLY
                               ? "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY"
                               : "SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE");
        }
        dbc.access_mode = v;
        return SQL_SUCCESS;
      case SQL_ATTR_TXN_ISOLATION: {
        const char* level = nullptr;
        switch (v) {
          case SQL_TXN_READ_UNCOMMITTED:
            level = "READ UNCOMMITTED";
            break;
          case SQL_TXN_READ_COMMITTED:
            level = "READ COMMITTED";
            break;
          case SQL_TXN_REPEATABLE_READ:
            level = "REPEATABLE READ";
            break;
          case SQL_TXN_SERIALIZABLE:
            level = "SERIALIZABLE";
            break;
          default:
            throw OdbcError("HY024", "invalid attribute value for SQL_ATTR_TXN_ISOLATION");
        }
        if (dbc.session) {
          if (dbc.session->InTransaction()) {
            throw OdbcError("HY011", "attribute cannot be set now: a transaction is open");
          }
          dbc.session->Run(
              std::string("SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL ") + level);
        }
        dbc.txn_isolation = v;
        return SQL_SUCCESS;
      }
      case SQL_ATTR_METADATA_ID:
        dbc.metadata_id = v;
        return SQL_SUCCESS;
      case SQL_ATTR_ASYNC_ENABLE:
        if (v != SQL_ASYNC_ENABLE_OFF)
          throw OdbcError("HYC00", "asynchronous execution is not supported");
        return SQL_SUCCESS;
      case SQL_ATTR_QUIET_MODE:
        dbc.quiet_mode = v;
        return SQL_SUCCESS;
      case SQL_ATTR_PACKET_SIZE:
        dbc.packet_size = v;
        return SQL_SUCCESS;
      case SQL_ATTR_TRACE:
        dbc.trace = v;
        return SQL_SUCCESS;
      case SQL_ATTR_TRACEFILE:
        dbc.tracefile =
            E::In(static_cast<typename E::Char*>(value), E::kWide && len > 0 ? len / 2 : len);
        return SQL_SUCCESS;
      case SQL_ATTR_ODBC_CURSORS:
        return SQL_SUCCESS;  // the driver manager's business
      case SQL_ATTR_CURRENT_CATALOG: {
        std::string db =
            E::In(static_cast<typename E::Char*>(value), E::kWide && len > 0 ? len / 2 : len);
        if (dbc.session && db != dbc.session->database()) {
          throw OdbcError("HYC00", "a PostgreSQL connection cannot change database; connect to \"" +
                                       db + "\" instead");
        }
        return SQL_SUCCESS;
      }
      case 122: {  // SQL_ATTR_CREDENTIALS (ODBC 4.0): a new passed-in access token
        if (value == nullptr) throw OdbcError("HY009", "invalid use of null pointer");
        SecretString token(
            E::In(static_cast<typename E::Char*>(value),
                  E::kWide && len > 0 ? len / static_cast<SQLINTEGER>(sizeof(SQLWCHAR)) : len));
        try {
          // Statements and the open session stay as they are: Lakebase checks a token only at
          // login, so the new one is used by the next physical connect.
          auth::ReplacePassedInToken(dbc.config, std::move(token));
        } catch (const auth::AuthError& e) {
          throw OdbcError(e.kind() == auth::AuthErrorKind::kExpired ? "08006" : "HY024", e.what());
        }
        return SQL_SUCCESS;
      }
      case 123: {  // SQL_ATTR_REFRESH_CONNECTION (ODBC 4.0)
        if (dbc.connected() && !dbc.session->Broken()) return SQL_SUCCESS;
        if (dbc.config.dsn.empty() && dbc.config.driver.empty() && dbc.config.host.empty() &&
            dbc.config.endpoint.empty() && dbc.config.instance.empty()) {
          throw OdbcError("08003", "connection not open");
        }
        if (dbc.connected()) dbc.session.Discard();
        auto timeout = dbc.login_timeout > 0 ? std::chrono::seconds(dbc.login_timeout)
                                             : dbc.config.connect_timeout;
        dbc.session = pg::Acquire(dbc.config, std::chrono::steady_clock::now() + timeout);
        return SQL_SUCCESS;
      }
      case 116:  // SQL_ATTR_RESET_CONNECTION (ODBC 3.8): the driver manager pools this connection
        if (v != 1)
          throw OdbcError("HY024", "invalid attribute value for SQL_ATTR_RESET_CONNECTION");
        dbc.ResetForPooling();
        return SQL_SUCCESS;
      case 115:  // SQL_ATTR_ANSI_APP (unixODBC): an ANSI application gets SQL_CHAR types
        dbc.unicode = v != 1;
        return SQL_SUCCESS;
      case 1209:  // SQL_ATTR_CONNECTION_DEAD is read-only
        throw OdbcError("HY092", "SQL_ATTR_CONNECTION_DEAD is read-only");
      default:
        throw OdbcError("HY092", "invalid attribute/option identifier " + std::to_string(attr));
    }
  });
}

template <class E>
SQLRETURN GetConnectAttr(SQLHDBC h, SQLINTEGER attr, SQLPOINTER value, SQLINTEGER buf_len,
                         SQLINTEGER* out_len) {
  return Call<Dbc>(h, [&](Dbc& dbc) -> SQLRETURN {
    auto put = [&](SQLUINTEGER v) {
      if (value) *static_cast<SQLUINTEGER*>(value) = v;
      if (out_len) *out_len = sizeof(SQLUINTEGER);
      return SQL_SUCCESS;
    };
    switch (attr) {
      case SQL_ATTR_AUTOCOMMIT:
        return put(dbc.autocommit ? SQL_AUTOCOMMIT_ON : SQL_AUTOCOMMIT_OFF);
      case SQL_ATTR_LOGIN_TIMEOUT:
        return put(dbc.login_timeout);
      case SQL_ATTR_CONNECTION_TIMEOUT:
        return put(dbc.connection_timeout);
      case SQL_ATTR_ACCESS_MODE:
        return put(dbc.access_mode);
      case SQL_ATTR_TXN_ISOLATION:
        return put(dbc.txn_isolation);
      case SQL_ATTR_METADATA_ID:
        return put(dbc.metadata_id);
      case SQL_ATTR_ASYNC_ENABLE:
        return put(SQL_ASYNC_ENABLE_OFF);
      case SQL_ATTR_QUIET_MODE:
        return put(dbc.quiet_mode);
      case SQL_ATTR_PACKET_SIZE:
        return put(static_cast<SQLUINTEGER>(dbc.packet_size));
      case SQL_ATTR_TRACE:
        return put(dbc.trace);
      case SQL_ATTR_AUTO_IPD:
        return put(SQL_FALSE);
      case SQL_ATTR_ODBC_CURSORS:
        return put(SQL_CUR_USE_DRIVER);
      case 1209:  // SQL_ATTR_CONNECTION_DEAD: no round trip, just what libpq knows
        return put(!dbc.session || dbc.session->Broken() ? SQL_CD_TRUE : SQL_CD_FALSE);
      case SQL_ATTR_CURRENT_CATALOG: {
        if (!dbc.session) throw OdbcError("08003", "connection not open");
        OutBytes<E>(dbc.diag(), dbc.session->database(), value, buf_len, out_len);
        return SQL_SUCCESS;
      }
      case SQL_ATTR_TRACEFILE:
        OutBytes<E>(dbc.diag(), dbc.tracefile, value, buf_len, out_len);
        return SQL_SUCCESS;
      default:
        throw OdbcError("HY092", "invalid attribute/option identifier " + std::to_string(attr));
    }
  });
}

template <class E>
SQLRETURN NativeSql(SQLHDBC h, typename E::Char* in, SQLINTEGER in_len, typename E::Char* out,
                    SQLINTEGER out_max, SQLINTEGER* out_len) {
  return Call<Dbc>(h, [&](Dbc& dbc) -> SQLRETURN {
    if (in == nullptr) throw OdbcError("HY009", "invalid use of null pointer");
    auto r = pg::RewriteSql(E::In(in, in_len));
    OutChars<E>(dbc.diag(), r.sql, out, out_max, out_len);
    return SQL_SUCCESS;
  });
}

}  // namespace

extern "C" {

SQLRETURN SQL_API SQLConnect(SQLHDBC h, SQLCHAR* dsn, SQLSMALLINT dsn_len, SQLCHAR* uid,
                             SQLSMALLINT uid_len, SQLCHAR* pwd, SQLSMALLINT pwd_len) {
  return Connect<Narrow>(h, dsn, dsn_len, uid, uid_len, pwd, pwd_len);
}
SQLRETURN SQL_API SQLConnectW(SQLHDBC h, SQLWCHAR* dsn, SQLSMALLINT dsn_len, SQLWCHAR* uid,
                              SQLSMALLINT uid_len, SQLWCHAR* pwd, SQLSMALLINT pwd_len) {
  return Connect<Wide>(h, dsn, dsn_len, uid, uid_len, pwd, pwd_len);
}

SQLRETURN SQL_API SQLDriverConnect(SQLHDBC h, SQLHWND, SQLCHAR* in, SQLSMALLINT in_len,
                                   SQLCHAR* out, SQLSMALLINT out_max, SQLSMALLINT* out_len,
                                   SQLUSMALLINT completion) {
  return DriverConnect<Narrow>(h, in, in_len, out, out_max, out_len, completion);
}
SQLRETURN SQL_API SQLDriverConnectW(SQLHDBC h, SQLHWND, SQLWCHAR* in, SQLSMALLINT in_len,
                                    SQLWCHAR* out, SQLSMALLINT out_max, SQLSMALLINT* out_len,
                                    SQLUSMALLINT completion) {
  return DriverConnect<Wide>(h, in, in_len, out, out_max, out_len, completion);
}

SQLRETURN SQL_API SQLDisconnect(SQLHDBC h) {
  return Call<Dbc>(h, [&](Dbc& dbc) -> SQLRETURN {
    if (!dbc.connected()) throw OdbcError("08003", "connection not open");
    dbc.Disconnect();
    return SQL_SUCCESS;
  });
}

SQLRETURN SQL_API SQLSetConnectAttr(SQLHDBC h, SQLINTEGER attr, SQLPOINTER v, SQLINTEGER len) {
  return SetConnectAttr<Narrow>(h, attr, v, len);
}
SQLRETURN SQL_API SQLSetConnectAttrW(SQLHDBC h, SQLINTEGER attr, SQLPOINTER v, SQLINTEGER len) {
  return SetConnectAttr<Wide>(h, attr, v, len);
}
SQLRETURN SQL_API SQLGetConnectAttr(SQLHDBC h, SQLINTEGER attr, SQLPOINTER v, SQLINTEGER len,
                                    SQLINTEGER* out) {
  return GetConnectAttr<Narrow>(h, attr, v, len, out);
}
SQLRETURN SQL_API SQLGetConnectAttrW(SQLHDBC h, SQLINTEGER attr, SQLPOINTER v, SQLINTEGER len,
                                     SQLINTEGER* out) {
  return GetConnectAttr<Wide>(h, attr, v, len, out);
}

SQLRETURN SQL_API SQLEndTran(SQLSMALLINT type, SQLHANDLE h, SQLSMALLINT completion) {
  if (type == SQL_HANDLE_DBC) {
    return Call<Dbc>(h, [&](Dbc& dbc) -> SQLRETURN {
      dbc.EndTran(completion);
      return SQL_SUCCESS;
    });
  }
  if (type == SQL_HANDLE_ENV) {
    return Call<Env>(h, [&](Env& env) -> SQLRETURN {
      for (Dbc* dbc : env.connections) {
        std::lock_guard lock(dbc->mutex());
        if (dbc->connected()) dbc->EndTran(completion);
      }
      return SQL_SUCCESS;
    });
  }
  return SQL_INVALID_HANDLE;
}

SQLRETURN SQL_API SQLTransact(SQLHENV env, SQLHDBC dbc, SQLUSMALLINT completion) {
  if (dbc != SQL_NULL_HDBC)
    return SQLEndTran(SQL_HANDLE_DBC, dbc, static_cast<SQLSMALLINT>(completion));
  return SQLEndTran(SQL_HANDLE_ENV, env, static_cast<SQLSMALLINT>(completion));
}

SQLRETURN SQL_API SQLNativeSql(SQLHDBC h, SQLCHAR* in, SQLINTEGER in_len, SQLCHAR* out,
                               SQLINTEGER out_max, SQLINTEGER* out_len) {
  return NativeSql<Narrow>(h, in, in_len, out, out_max, out_len);
}
SQLRETURN SQL_API SQLNativeSqlW(SQLHDBC h, SQLWCHAR* in, SQLINTEGER in_len, SQLWCHAR* out,
                                SQLINTEGER out_max, SQLINTEGER* out_len) {
  return NativeSql<Wide>(h, in, in_len, out, out_max, out_len);
}

}  // extern "C"
