// Bootstrap tokens encrypted at rest: a BootstrapTokenStore that seals each token
// (AES-256-GCM, crypto/sealed_box) with the server's escrow key before the backend sees it,
// bound to the device's UDID as associated data, and opens it on the way out. The backend only
// ever holds ciphertext; a token moved to another device's row, sealed under another key or
// stored before sealing existed does not open, and is answered as no token (counted in
// mdmlab_bootstrap_token_unreadable_total, logged without the token).
#pragma once

#include "core/metrics/registry.hpp"
#include "crypto/sealed_box.hpp"
#include "server/store/bootstrap_token_store.hpp"

namespace mdmlab::server::store {

class SealedBootstrapTokenStore final : public BootstrapTokenStore {
 public:
  SealedBootstrapTokenStore(BootstrapTokenStore& backend, crypto::SealingKey key,
                            metrics::Registry& registry);

  boost::asio::awaitable<Result<bool>> set_bootstrap_token(std::string udid, Bytes token) override;
  boost::asio::awaitable<Result<std::optional<Bytes>>> bootstrap_token(std::string udid) override;

 private:
  BootstrapTokenStore& backend_;
  crypto::SealingKey key_;
  metrics::Counter& unreadable_;
};

}  // namespace mdmlab::server::store
