// Conversions between PostgreSQL values and application (SQL_C_*) buffers, as a table:
// (pg::ValueKind x SQL_C_*) -> a small leaf. An unlisted pair fails in one place with 07006.
// See the ODBC spec appendix D, "Converting Data from SQL to C Data Types" and
// "Converting Data from C to SQL Data Types".
#pragma once

#include <sql.h>
#include <sqlext.h>

#include <string>

#include "driver/types.h"
#include "odbc/diag.h"

namespace lakebase::odbc {

// A result cell as libpq hands it over: text format (PQgetvalue), NUL-terminated at data[len].
struct Cell {
  const char* data = nullptr;
  size_t len = 0;
  bool is_null = true;
};

// The application's buffer for one value: a bound column (ARD record) or SQLGetData's arguments.
struct CTarget {
  SQLSMALLINT c_type = SQL_C_DEFAULT;  // SQL_C_DEFAULT: the column's default C type
  SQLPOINTER data = nullptr;           // may be null: then only the length is returned
  SQLLEN buffer_length = 0;            // in bytes
  SQLLEN* octet_length = nullptr;      // SQL_DESC_OCTET_LENGTH_PTR, may be null
  SQLLEN* indicator = nullptr;         // SQL_DESC_INDICATOR_PTR, may be null or == octet_length
  SQLSMALLINT precision = 0;           // SQL_C_NUMERIC: from the ARD (SQL_DESC_PRECISION)
  SQLSMALLINT scale = 0;               // SQL_C_NUMERIC: from the ARD (SQL_DESC_SCALE)
};

// Where SQLGetData stands on one column: the part of the converted value already returned, so a
// long value comes back in pieces (ODBC "Getting Long Data").
struct GetDataState {
  SQLUSMALLINT column = 0;  // 0: no column in progress
  size_t offset = 0;        // bytes of the converted value already returned
  bool finished = false;    // all returned: the next call answers SQL_NO_DATA
  // Private to the conversions (reset the whole state, `GetDataState{}`, for a new column or
  // row): where `offset` falls in the source text (SQL_C_WCHAR) and the converted length.
  size_t source_offset = 0;
  size_t total = 0;
};

// Where the value is, for diagnostics (SQL_DIAG_ROW_NUMBER / SQL_DIAG_COLUMN_NUMBER).
struct CellPosition {
  SQLLEN row = SQL_NO_ROW_NUMBER;
  SQLINTEGER column = SQL_NO_COLUMN_NUMBER;
};

// Writes one value into the target. Returns SQL_SUCCESS, SQL_SUCCESS_WITH_INFO (a 01004 or 01S07
// record was added to diag), SQL_NO_DATA (SQLGetData: nothing left), or SQL_ERROR (a record was
// added: 07006, 22002 NULL without an indicator, 22003, 22007, 22018 ...). Never throws for bad
// data. getdata is null for bound columns (a bound column is written whole or truncated once).
SQLRETURN WriteValue(const Cell& cell, pg::ValueKind kind, const CTarget& target,
                     GetDataState* getdata, CellPosition where, Diagnostics& diag);

// The default C type for a value kind (SQL_C_DEFAULT), given the column's SQL type (ODBC
// "Default C Data Types"); sql_type 0 picks by kind alone. WriteValue resolves SQL_C_DEFAULT
// with sql_type 0, so text goes to SQL_C_CHAR there: resolve it yourself with the described
// SQL type (SQL_WVARCHAR -> SQL_C_WCHAR, unsigned oid -> SQL_C_ULONG) when that matters.
SQLSMALLINT DefaultCType(pg::ValueKind kind, SQLSMALLINT sql_type);

// Whether WriteValue converts `kind` to `c_type` at all (the table; otherwise 07006).
bool ConversionSupported(pg::ValueKind kind, SQLSMALLINT c_type);

// A parameter as the application bound it (APD + IPD records), one row of a parameter array
// already resolved to the row's addresses.
struct ParamSource {
  SQLSMALLINT c_type = SQL_C_DEFAULT;
  SQLSMALLINT sql_type = SQL_VARCHAR;  // IPD's SQL type; picks the PostgreSQL type sent
  SQLULEN column_size = 0;
  SQLSMALLINT decimal_digits = 0;
  const void* data = nullptr;
  SQLLEN buffer_length = 0;
  const SQLLEN* octet_length = nullptr;  // may be null: then data is NUL-terminated / fixed size
  const SQLLEN* indicator = nullptr;     // SQL_NULL_DATA makes NULL
  // APD SQL_DESC_PRECISION: fractional-second digits of a SQL_C_INTERVAL_* value (0: 6).
  // SQL_C_NUMERIC values carry their own scale in the struct.
  SQLSMALLINT precision = 0;
};

// What libpq is sent for it (text format unless binary is cheaper and safe).
struct EncodedParam {
  bool is_null = false;
  std::string value;
  pg::Oid type = 0;  // 0: let the server infer
  int format = 0;    // 0 text, 1 binary
};

// Throws OdbcError (07006 unsupported pair, 22003, 22018, 22008, 22001 fractional truncation to
// an integer type, HY090 bad length, HY009 null data pointer ...). Data-at-execution lengths
// (SQL_DATA_AT_EXEC, SQL_LEN_DATA_AT_EXEC(n)) are the caller's to resolve first: pass the
// collected bytes with an explicit octet length. Character SQL types are sent as OID 0
// (unknown: the server infers), bytea in binary format (1).
void EncodeParam(const ParamSource& source, EncodedParam& out);

}  // namespace lakebase::odbc
