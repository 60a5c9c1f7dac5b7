#include "server/pki/escrow_key.hpp"

#include "core/files/private_file.hpp"

namespace mdmlab::server::pki {

Result<crypto::SealingKey> load_or_create_escrow_key(const std::filesystem::path& dir) {
  const auto path = dir / "escrow.key";
  if (std::filesystem::exists(path)) {
    auto text = files::read_secret_file(path);
    if (!text) return text.error();
    auto raw = hex_decode(*text);
    if (!raw) return make_error("bad_escrow_key", path.string() + " is not 64 hex digits");
    return crypto::SealingKey::from_bytes(*raw);
  }
  auto key = crypto::SealingKey::generate();
  if (auto written = files::write_private_file(path, hex_encode(key.bytes())); !written)
    return written.error();
  return key;
}

}  // namespace mdmlab::server::pki
