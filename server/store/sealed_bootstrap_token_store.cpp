#include "server/store/sealed_bootstrap_token_store.hpp"

#include "core/log/log.hpp"

namespace mdmlab::server::store {
using boost::asio::awaitable;

namespace {
// The associated data: what the sealed value belongs to, and what it is.
std::string binding(const std::string& udid) {
  return "bootstrap-token:" + udid;
}
}  // namespace

SealedBootstrapTokenStore::SealedBootstrapTokenStore(BootstrapTokenStore& backend,
                                                     crypto::SealingKey key,
                                                     metrics::Registry& registry)
    : backend_(backend),
      key_(std::move(key)),
      unreadable_(registry
                      .counter("mdmlab_bootstrap_token_unreadable_total",
                               "Escrowed bootstrap tokens that did not open under the escrow key "
                               "(another key, another device's row, or stored unsealed)")
                      .get()) {}

awaitable<Result<bool>> SealedBootstrapTokenStore::set_bootstrap_token(std::string udid,
                                                                       Bytes token) {
  // An empty token clears the escrow (the device's "no token"); it is kept empty, not sealed.
  Bytes stored;
  if (!token.empty()) {
    auto sealed = crypto::seal(key_, token, binding(udid));
    if (!sealed) co_return sealed.error();
    stored = std::move(*sealed);
  }
  co_return co_await backend_.set_bootstrap_token(std::move(udid), std::move(stored));
}

awaitable<Result<std::optional<Bytes>>> SealedBootstrapTokenStore::bootstrap_token(
    std::string udid) {
  auto found = co_await backend_.bootstrap_token(udid);
  if (!found || !*found || (*found)->empty()) co_return found;
  auto opened = crypto::open_sealed(key_, **found, binding(udid));
  if (!opened) {
    unreadable_.inc();
    log::warn("apple", "escrowed bootstrap token of {} does not open under the escrow key", udid);
    co_return std::optional<Bytes>(Bytes{});
  }
  co_return std::optional<Bytes>(std::move(*opened));
}

}  // namespace mdmlab::server::store
