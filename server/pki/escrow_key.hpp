// The key that seals secrets the server keeps for devices (escrowed bootstrap tokens):
// DATA_DIR/escrow.key, 32 random bytes as hex, 0600, created on first start. Losing it makes
// the escrowed tokens unreadable; replacing it is how an operator revokes them all.
#pragma once

#include <filesystem>

#include "crypto/sealed_box.hpp"

namespace mdmlab::server::pki {

Result<crypto::SealingKey> load_or_create_escrow_key(const std::filesystem::path& dir);

}  // namespace mdmlab::server::pki
