// Shared crypto fixtures for tests: a process-wide CA and keys generated once per test binary.
#pragma once

#include <chrono>

#include "crypto/ca.hpp"
#include "crypto/init.hpp"

namespace mdmlab::testing {

inline crypto::TimePoint now() {
  return std::chrono::system_clock::now();
}

inline const crypto::PrivateKey& test_key(int i) {
  static std::vector<crypto::PrivateKey> keys = [] {
    crypto::init_openssl();
    std::vector<crypto::PrivateKey> k;
    for (int j = 0; j < 4; ++j) k.push_back(crypto::PrivateKey::generate_rsa(2048).value());
    return k;
  }();
  return keys.at(static_cast<std::size_t>(i));
}

inline const crypto::CertificateAuthority& test_ca() {
  static crypto::CertificateAuthority ca =
      crypto::CertificateAuthority::create_root(test_key(0),
                                                {{"CN", "mdmlab test CA"}, {"O", "mdmlab"}}, now(),
                                                std::chrono::hours(24 * 365))
          .value();
  return ca;
}

}  // namespace mdmlab::testing
