// A pool of pre-generated RSA keys cached on disk (RSA-2048 keygen costs ~135 ms here), shared
// by tests, simulated devices and load runs. Keys are PEM files named rsa<bits>-<index>.pem
// under the cache directory; missing ones are generated and written on first use.
#pragma once

#include <filesystem>
#include <functional>
#include <mutex>
#include <vector>

#include "crypto/key.hpp"

namespace mdmlab::keys {

// $MDMLAB_KEY_CACHE, else $XDG_CACHE_HOME/mdmlab/keys, else ~/.cache/mdmlab/keys.
std::filesystem::path default_cache_dir();

class KeyPool {
 public:
  explicit KeyPool(std::filesystem::path dir = default_cache_dir(), int bits = 2048);

  // Key number `index` (stable across runs); generated and cached if missing.
  Result<crypto::PrivateKey> get(std::size_t index);
  // Makes sure keys [0, count) exist, generating missing ones on every core; returns how many
  // were generated now. `progress(done, count)` is called after each generated key.
  Result<std::size_t> ensure(std::size_t count,
                             const std::function<void(std::size_t, std::size_t)>& progress = {});
  std::size_t cached_count() const;
  const std::filesystem::path& dir() const { return dir_; }

 private:
  std::filesystem::path path_for(std::size_t index) const;
  std::filesystem::path dir_;
  int bits_;
  mutable std::mutex mutex_;
  std::vector<crypto::PrivateKey> loaded_;
};

}  // namespace mdmlab::keys
