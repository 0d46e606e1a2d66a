// Descriptor field access shared by SQLGetDescField/SQLSetDescField, the Rec forms and
// SQLCopyDesc (ODBC "Descriptors").
#pragma once

#include <string>

#include "odbc/handles.h"

namespace lakebase::odbc {

struct DescFieldValue {
  enum Kind { kSmall, kInt, kLen, kULen, kPtr, kString } kind = kSmall;
  SQLLEN i = 0;
  SQLULEN u = 0;
  void* p = nullptr;
  std::string s;
  bool no_data = false;  // record number past SQL_DESC_COUNT
};

// Keeps SQL_DESC_TYPE, SQL_DESC_CONCISE_TYPE and SQL_DESC_DATETIME_INTERVAL_CODE consistent.
void SetConciseType(DescRecord& r, SQLSMALLINT concise);
void SetVerboseType(DescRecord& r, SQLSMALLINT type, SQLSMALLINT code);

DescFieldValue GetDescField(Desc& d, SQLSMALLINT rec_number, SQLSMALLINT field);
// text: the decoded string for SQL_DESC_NAME (the caller knows A or W).
void SetDescField(Desc& d, SQLSMALLINT rec_number, SQLSMALLINT field, SQLPOINTER value,
                  SQLINTEGER length, const std::string* text);
void CopyDesc(const Desc& from, Desc& to);

}  // namespace lakebase::odbc
