// A string that holds a secret (token, password, client secret). It never prints itself:
// fmt/spdlog formatting and operator<< give "***". The buffer is wiped when it is destroyed or
// overwritten, so a secret does not linger in freed heap memory longer than needed.
#pragma once

#include <fmt/format.h>

#include <ostream>
#include <string>
#include <string_view>
#include <utility>

namespace lakebase {

class SecretString {
 public:
  SecretString() = default;
  explicit SecretString(std::string value) : value_(std::move(value)) {}
  SecretString(const SecretString& other) : value_(other.value_) {}
  SecretString(SecretString&& other) noexcept : value_(std::move(other.value_)) { other.Wipe(); }
  SecretString& operator=(const SecretString& other) {
    if (this != &other) {
      Wipe();
      value_ = other.value_;
    }
    return *this;
  }
  SecretString& operator=(SecretString&& other) noexcept {
    if (this != &other) {
      Wipe();
      value_ = std::move(other.value_);
      other.Wipe();
    }
    return *this;
  }
  ~SecretString() { Wipe(); }

  // The only way to read the secret: call sites that reveal it are easy to find.
  const std::string& Reveal() const { return value_; }
  bool empty() const { return value_.empty(); }
  size_t size() const { return value_.size(); }
  void Wipe() noexcept;

  friend bool operator==(const SecretString& a, const SecretString& b) {
    return a.value_ == b.value_;
  }
  friend std::ostream& operator<<(std::ostream& os, const SecretString&) { return os << "***"; }

 private:
  std::string value_;
};

}  // namespace lakebase

template <>
struct fmt::formatter<lakebase::SecretString> : fmt::formatter<std::string_view> {
  template <class Ctx>
  auto format(const lakebase::SecretString&, Ctx& ctx) const {
    return fmt::formatter<std::string_view>::format("***", ctx);
  }
};
