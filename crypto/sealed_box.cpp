#include "crypto/sealed_box.hpp"

#include <openssl/evp.h>

#include "crypto/openssl_ptr.hpp"
#include "crypto/random.hpp"

namespace mdmlab::crypto {
namespace {
constexpr unsigned char kVersion = 0x01;
constexpr std::size_t kNonceSize = 12;
constexpr std::size_t kTagSize = 16;

using CipherCtxPtr = OpenSslPtr<EVP_CIPHER_CTX, EVP_CIPHER_CTX_free>;

const auto* aad_bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

Error sealing_error(const char* what) {
  return make_error("sealed_box", what);
}
}  // namespace

SealingKey SealingKey::generate() {
  return SealingKey(random_bytes(kSealingKeySize));
}

Result<SealingKey> SealingKey::from_bytes(const Bytes& raw) {
  if (raw.size() != kSealingKeySize)
    return make_error("bad_key", "a sealing key is 32 bytes, not " + std::to_string(raw.size()));
  return SealingKey(raw);
}

Result<Bytes> seal(const SealingKey& key, const Bytes& plaintext, std::string_view associated) {
  Bytes nonce = random_bytes(kNonceSize);
  CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  if (!ctx ||
      EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key.bytes().data(), nonce.data()) !=
          1 ||
      EVP_EncryptUpdate(ctx.get(), nullptr, &len, aad_bytes(associated),
                        static_cast<int>(associated.size())) != 1)
    return sealing_error("cannot start AES-256-GCM");
  Bytes out;
  out.reserve(1 + kNonceSize + plaintext.size() + kTagSize);
  out.push_back(kVersion);
  out.insert(out.end(), nonce.begin(), nonce.end());
  const std::size_t body = out.size();
  out.resize(body + plaintext.size() + kTagSize);
  if (EVP_EncryptUpdate(ctx.get(), out.data() + body, &len, plaintext.data(),
                        static_cast<int>(plaintext.size())) != 1)
    return sealing_error("AES-256-GCM encryption failed");
  int tail = 0;
  if (EVP_EncryptFinal_ex(ctx.get(), out.data() + body + len, &tail) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagSize,
                          out.data() + body + plaintext.size()) != 1)
    return sealing_error("AES-256-GCM encryption failed");
  return out;
}

Result<Bytes> open_sealed(const SealingKey& key, const Bytes& sealed, std::string_view associated) {
  if (sealed.size() < 1 + kNonceSize + kTagSize || sealed[0] != kVersion)
    return sealing_error("not a sealed value");
  const unsigned char* nonce = sealed.data() + 1;
  const unsigned char* body = nonce + kNonceSize;
  const std::size_t body_size = sealed.size() - 1 - kNonceSize - kTagSize;
  Bytes tag(sealed.end() - kTagSize, sealed.end());
  CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  Bytes out(body_size);
  if (!ctx ||
      EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key.bytes().data(), nonce) != 1 ||
      EVP_DecryptUpdate(ctx.get(), nullptr, &len, aad_bytes(associated),
                        static_cast<int>(associated.size())) != 1 ||
      EVP_DecryptUpdate(ctx.get(), out.data(), &len, body, static_cast<int>(body_size)) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagSize, tag.data()) != 1)
    return sealing_error("cannot open the sealed value");
  int tail = 0;
  if (EVP_DecryptFinal_ex(ctx.get(), out.data() + len, &tail) != 1)
    return sealing_error("cannot open the sealed value");
  return out;
}

}  // namespace mdmlab::crypto
