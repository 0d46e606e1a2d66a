// SQLGetInfo and SQLGetFunctions.
#include <array>
#include <cstring>

#include "odbc/api/common.h"
#include "odbc/info.h"

using namespace lakebase;
using namespace lakebase::odbc;
using namespace lakebase::odbc::api;

namespace {

template <class E>
SQLRETURN GetInfo(SQLHDBC h, SQLUSMALLINT type, SQLPOINTER value, SQLSMALLINT max,
                  SQLSMALLINT* len) {
  return Call<Dbc>(h, [&](Dbc& dbc) -> SQLRETURN {
    auto v = GetInfoValue(dbc, type);
    if (!v) throw OdbcError("HY096", "information type out of range: " + std::to_string(type));
    if (auto* s = std::get_if<std::string>(&*v)) {
      // SQLGetInfoW counts bytes (SQLGetInfo, BufferLength).
      OutBytes<E>(dbc.diag(), *s, value, max, len);
    } else if (auto* u16 = std::get_if<SQLUSMALLINT>(&*v)) {
      if (value) std::memcpy(value, u16, sizeof *u16);
      if (len) *len = sizeof *u16;
    } else {
      auto u32 = std::get<SQLUINTEGER>(*v);
      if (value) std::memcpy(value, &u32, sizeof u32);
      if (len) *len = sizeof u32;
    }
    return SQL_SUCCESS;
  });
}

}  // namespace

extern "C" {

SQLRETURN SQL_API SQLGetInfo(SQLHDBC h, SQLUSMALLINT type, SQLPOINTER value, SQLSMALLINT max,
                             SQLSMALLINT* len) {
  return GetInfo<Narrow>(h, type, value, max, len);
}
SQLRETURN SQL_API SQLGetInfoW(SQLHDBC h, SQLUSMALLINT type, SQLPOINTER value, SQLSMALLINT max,
                              SQLSMALLINT* len) {
  return GetInfo<Wide>(h, type, value, max, len);
}

SQLRETURN SQL_API SQLGetFunctions(SQLHDBC h, SQLUSMALLINT id, SQLUSMALLINT* supported) {
  return Call<Dbc>(h, [&](Dbc&) -> SQLRETURN {
    if (supported == nullptr) throw OdbcError("HY009", "invalid use of null pointer");
    if (id == SQL_API_ODBC3_ALL_FUNCTIONS) {
      // The driver manager asks for this on every connect: the bitmap is built once.
      static const auto bitmap = [] {
        std::array<SQLUSMALLINT, SQL_API_ODBC3_ALL_FUNCTIONS_SIZE> b{};
        for (int f = 0; f < SQL_API_ODBC3_ALL_FUNCTIONS_SIZE * 16; ++f) {
          if (IsFunctionSupported(static_cast<SQLUSMALLINT>(f))) {
            b[f >> 4] |= static_cast<SQLUSMALLINT>(1 << (f & 0xf));
          }
        }
        return b;
      }();
      std::memcpy(supported, bitmap.data(), sizeof bitmap);
      return SQL_SUCCESS;
    }
    if (id == SQL_API_ALL_FUNCTIONS) {
      std::memset(supported, 0, sizeof(SQLUSMALLINT) * 100);
      for (int f = 0; f < 100; ++f) {
        supported[f] = IsFunctionSupported(static_cast<SQLUSMALLINT>(f)) ? SQL_TRUE : SQL_FALSE;
      }
      return SQL_SUCCESS;
    }
    *supported = IsFunctionSupported(id) ? SQL_TRUE : SQL_FALSE;
    return SQL_SUCCESS;
  });
}

}  // extern "C"
