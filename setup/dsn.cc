#include "setup/dsn.h"

#include <odbcinst.h>

#include <mutex>

#include "setup/keywords.h"

namespace lakebase::setup {
namespace {

std::mutex& OdbcInstMutex() {
  static std::mutex* mutex = new std::mutex();  // never destroyed: may be used during exit
  return *mutex;
}

// One SQLGetPrivateProfileString call, growing the buffer until the answer fits. A NULL
// section or key asks for the list of sections or keys, NUL-separated.
std::string GetProfileString(const char* section, const char* key) {
  std::string buffer(4096, '\0');
  for (;;) {
    int n = SQLGetPrivateProfileString(section, key, "", buffer.data(),
                                       static_cast<int>(buffer.size()), "odbc.ini");
    if (n < 0) return {};
    // A result that fills the buffer may have been cut short; retry with more room.
    if (static_cast<size_t>(n) + 2 < buffer.size() || buffer.size() >= (1u << 22)) {
      buffer.resize(static_cast<size_t>(n));
      return buffer;
    }
    buffer.assign(buffer.size() * 2, '\0');
  }
}

std::vector<std::string> SplitNulList(const std::string& list) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos < list.size()) {
    size_t end = list.find('\0', pos);
    if (end == std::string::npos) end = list.size();
    if (end > pos) out.emplace_back(list, pos, end - pos);
    pos = end + 1;
  }
  return out;
}

}  // namespace

std::optional<DsnEntries> ReadDsnFromOdbcIni(std::string_view dsn) {
  std::string name(dsn);
  std::lock_guard lock(OdbcInstMutex());
  bool found = false;
  for (const std::string& section : SplitNulList(GetProfileString(nullptr, nullptr))) {
    if (EqualsIgnoreCase(section, name)) {
      found = true;
      name = section;  // the spelling in the file
      break;
    }
  }
  if (!found) return std::nullopt;
  DsnEntries entries;
  for (const std::string& key : SplitNulList(GetProfileString(name.c_str(), nullptr))) {
    std::string value = GetProfileString(name.c_str(), key.c_str());
    entries.emplace_back(key, std::move(value));
  }
  return entries;
}

DsnReader OdbcInstDsnReader() { return &ReadDsnFromOdbcIni; }

}  // namespace lakebase::setup
