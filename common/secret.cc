#include "common/secret.h"

#include <openssl/crypto.h>

namespace lakebase {

void SecretString::Wipe() noexcept {
  if (!value_.empty()) {
    // OPENSSL_cleanse is not optimised away, unlike a memset before free.
    OPENSSL_cleanse(value_.data(), value_.size());
    value_.clear();
  }
}

}  // namespace lakebase
