// SQLAllocHandle, SQLFreeHandle, SQLFreeStmt, environment attributes.
#include <algorithm>

#include "common/log.h"
#include "odbc/api/common.h"

using namespace lakebase::odbc;

namespace {

SQLRETURN AllocEnv(SQLHANDLE* out) {
  if (out == nullptr) return SQL_ERROR;
  static std::once_flag once;
  std::call_once(once, [] { lakebase::log::ConfigureFromEnvironment(); });
  try {
    *out = static_cast<Handle*>(new Env());
    return SQL_SUCCESS;
  } catch (...) {
    *out = SQL_NULL_HENV;
    return SQL_ERROR;
  }
}

void FreeStatementLocked(Stmt* s) {
  Dbc* dbc = s->dbc;
  std::lock_guard lock(dbc->mutex());
  dbc->statements.remove(s);
  delete s;
}

}  // namespace

extern "C" {

SQLRETURN SQL_API SQLAllocHandle(SQLSMALLINT type, SQLHANDLE input, SQLHANDLE* output) {
  switch (type) {
    case SQL_HANDLE_ENV:
      return AllocEnv(output);
    case SQL_HANDLE_DBC:
      return Call<Env>(input, [&](Env& env) -> SQLRETURN {
        if (output == nullptr) throw OdbcError("HY009", "invalid use of null pointer");
        *output = SQL_NULL_HDBC;
        auto* dbc = new Dbc(&env);
        env.connections.push_back(dbc);
        *output = static_cast<Handle*>(dbc);
        return SQL_SUCCESS;
      });
    case SQL_HANDLE_STMT:
      return Call<Dbc>(input, [&](Dbc& dbc) -> SQLRETURN {
        if (output == nullptr) throw OdbcError("HY009", "invalid use of null pointer");
        *output = SQL_NULL_HSTMT;
        if (!dbc.connected()) throw OdbcError("08003", "connection not open");
        auto* s = new Stmt(&dbc);
        dbc.statements.push_back(s);
        *output = static_cast<Handle*>(s);
        return SQL_SUCCESS;
      });
    case SQL_HANDLE_DESC:
      return Call<Dbc>(input, [&](Dbc& dbc) -> SQLRETURN {
        if (output == nullptr) throw OdbcError("HY009", "invalid use of null pointer");
        *output = SQL_NULL_HDESC;
        if (!dbc.connected()) throw OdbcError("08003", "connection not open");
        auto* d = new Desc(&dbc, DescRole::kExplicit, SQL_DESC_ALLOC_USER);
        dbc.descriptors.push_back(d);
        *output = static_cast<Handle*>(d);
        return SQL_SUCCESS;
      });
    default:
      // The spec wants HY092 on the input handle; with an unknown type we cannot know its kind.
      return SQL_ERROR;
  }
}

SQLRETURN SQL_API SQLFreeHandle(SQLSMALLINT type, SQLHANDLE handle) {
  switch (type) {
    case SQL_HANDLE_ENV: {
      Env* env = FromHandle<Env>(handle);
      if (env == nullptr) return SQL_INVALID_HANDLE;
      {
        std::lock_guard lock(env->mutex());
        if (!env->connections.empty()) {
          env->diag().Clear();
          env->diag().Add("HY010", "function sequence error: connections are still allocated");
          return SQL_ERROR;
        }
      }
      delete env;
      return SQL_SUCCESS;
    }
    case SQL_HANDLE_DBC: {
      Dbc* dbc = FromHandle<Dbc>(handle);
      if (dbc == nullptr) return SQL_INVALID_HANDLE;
      {
        std::lock_guard lock(dbc->mutex());
        if (dbc->connected()) {
          dbc->diag().Clear();
          dbc->diag().Add("HY010", "function sequence error: disconnect before freeing");
          return SQL_ERROR;
        }
        while (!dbc->statements.empty()) {
          Stmt* s = dbc->statements.front();
          dbc->statements.pop_front();
          delete s;
        }
        for (Desc* d : dbc->descriptors) delete d;
        dbc->descriptors.clear();
      }
      Env* env = dbc->env;
      {
        std::lock_guard lock(env->mutex());
        env->connections.remove(dbc);
      }
      delete dbc;
      return SQL_SUCCESS;
    }
    case SQL_HANDLE_STMT: {
      Stmt* s = FromHandle<Stmt>(handle);
      if (s == nullptr) return SQL_INVALID_HANDLE;
      {
        // Wait for a call running on this statement in another thread.
        std::lock_guard lock(s->mutex());
      }
      FreeStatementLocked(s);
      return SQL_SUCCESS;
    }
    case SQL_HANDLE_DESC: {
      Desc* d = FromHandle<Desc>(handle);
      if (d == nullptr) return SQL_INVALID_HANDLE;
      if (d->alloc_type != SQL_DESC_ALLOC_USER) {
        d->diag().Clear();
        d->diag().Add("HY017", "invalid use of an automatically allocated descriptor handle");
        return SQL_ERROR;
      }
      Dbc* dbc = d->dbc;
      std::lock_guard lock(dbc->mutex());
      // Statements using it fall back to their implicit descriptors (spec: SQLFreeHandle).
      for (Stmt* s : dbc->statements) {
        if (s->ard == d) s->ard = &s->implicit_ard;
        if (s->apd == d) s->apd = &s->implicit_apd;
      }
      dbc->descriptors.remove(d);
      delete d;
      return SQL_SUCCESS;
    }
    default:
      return SQL_ERROR;
  }
}

SQLRETURN SQL_API SQLAllocEnv(SQLHENV* env) { return SQLAllocHandle(SQL_HANDLE_ENV, nullptr, env); }
SQLRETURN SQL_API SQLAllocConnect(SQLHENV env, SQLHDBC* dbc) {
  return SQLAllocHandle(SQL_HANDLE_DBC, env, dbc);
}
SQLRETURN SQL_API SQLAllocStmt(SQLHDBC dbc, SQLHSTMT* stmt) {
  return SQLAllocHandle(SQL_HANDLE_STMT, dbc, stmt);
}
SQLRETURN SQL_API SQLFreeEnv(SQLHENV env) { return SQLFreeHandle(SQL_HANDLE_ENV, env); }
SQLRETURN SQL_API SQLFreeConnect(SQLHDBC dbc) { return SQLFreeHandle(SQL_HANDLE_DBC, dbc); }

SQLRETURN SQL_API SQLFreeStmt(SQLHSTMT handle, SQLUSMALLINT option) {
  if (option == SQL_DROP) return SQLFreeHandle(SQL_HANDLE_STMT, handle);
  return Call<Stmt>(handle, [&](Stmt& s) -> SQLRETURN {
    switch (option) {
      case SQL_CLOSE:
        s.ResetCursor();
        return SQL_SUCCESS;
      case SQL_UNBIND:
        s.ard->Unbind();
        return SQL_SUCCESS;
      case SQL_RESET_PARAMS:
        s.apd->Unbind();
        s.ipd->Unbind();
        return SQL_SUCCESS;
      default:
        throw OdbcError("HY092", "invalid attribute/option identifier");
    }
  });
}

SQLRETURN SQL_API SQLSetEnvAttr(SQLHENV handle, SQLINTEGER attr, SQLPOINTER value, SQLINTEGER) {
  return Call<Env>(handle, [&](Env& env) -> SQLRETURN {
    auto v = static_cast<SQLUINTEGER>(reinterpret_cast<uintptr_t>(value));
    switch (attr) {
      case SQL_ATTR_ODBC_VERSION:
        if (v != SQL_OV_ODBC2 && v != SQL_OV_ODBC3 && v != SQL_OV_ODBC3_80) {
          throw OdbcError("HY024", "invalid attribute value for SQL_ATTR_ODBC_VERSION");
        }
        env.odbc_version = static_cast<SQLINTEGER>(v);
        return SQL_SUCCESS;
      case SQL_ATTR_CONNECTION_POOLING:
        env.connection_pooling = v;
        return SQL_SUCCESS;
      case SQL_ATTR_CP_MATCH:
        env.cp_match = v;
        return SQL_SUCCESS;
      case SQL_ATTR_OUTPUT_NTS:
        if (v != SQL_TRUE)
          throw OdbcError("HYC00",
                          "optional feature not implemented: SQL_ATTR_OUTPUT_NTS must be SQL_TRUE");
        return SQL_SUCCESS;
      default:
        throw OdbcError("HY092", "invalid attribute/option identifier");
    }
  });
}

SQLRETURN SQL_API SQLGetEnvAttr(SQLHENV handle, SQLINTEGER attr, SQLPOINTER value, SQLINTEGER,
                                SQLINTEGER* out_len) {
  return Call<Env>(handle, [&](Env& env) -> SQLRETURN {
    SQLUINTEGER v;
    switch (attr) {
      case SQL_ATTR_ODBC_VERSION:
        v = static_cast<SQLUINTEGER>(env.odbc_version);
        break;
      case SQL_ATTR_CONNECTION_POOLING:
        v = env.connection_pooling;
        break;
      case SQL_ATTR_CP_MATCH:
        v = env.cp_match;
        break;
      case SQL_ATTR_OUTPUT_NTS:
        v = SQL_TRUE;
        break;
      default:
        throw OdbcError("HY092", "invalid attribute/option identifier");
    }
    if (value) *static_cast<SQLUINTEGER*>(value) = v;
    if (out_len) *out_len = sizeof(SQLUINTEGER);
    return SQL_SUCCESS;
  });
}

}  // extern "C"
