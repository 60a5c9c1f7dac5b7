#include "core/net/tls_context.hpp"

#include <openssl/ssl.h>

namespace mdmlab::net {
namespace ssl = boost::asio::ssl;

namespace {
Bytes alpn_wire(const std::vector<std::string>& protos) {
  Bytes wire;
  for (const auto& p : protos) {
    wire.push_back(static_cast<std::uint8_t>(p.size()));
    wire.insert(wire.end(), p.begin(), p.end());
  }
  return wire;
}

int select_alpn(SSL*, const unsigned char** out, unsigned char* outlen, const unsigned char* in,
                unsigned int inlen, void* arg) {
  const auto* wire = static_cast<const Bytes*>(arg);
  unsigned char* selected = nullptr;
  if (SSL_select_next_proto(&selected, outlen, wire->data(), static_cast<unsigned>(wire->size()),
                            in, inlen) != OPENSSL_NPN_NEGOTIATED)
    return SSL_TLSEXT_ERR_NOACK;
  *out = selected;
  return SSL_TLSEXT_ERR_OK;
}

// Keeps the ALPN wire bytes alive as long as the context.
struct ServerContext : ssl::context {
  ServerContext() : ssl::context(ssl::context::tls_server) {}
  Bytes alpn;
};

// Keeps the pins alive as long as the context (the verify callback reads them).
struct ClientContext : ssl::context {
  ClientContext() : ssl::context(ssl::context::tls_client) {}
  std::vector<crypto::Certificate> pinned;
  bool require_revocation_check = false;
};

// Chain verification as usual, then the pinning rules of TlsClientConfig.
int verify_pinned(X509_STORE_CTX* store_ctx, void* arg) {
  const auto* ctx = static_cast<const ClientContext*>(arg);
  const int ok = X509_verify_cert(store_ctx);
  if (ok <= 0) return ok;
  STACK_OF(X509)* chain = X509_STORE_CTX_get0_chain(store_ctx);
  bool pinned = false;
  for (int i = 0; chain && i < sk_X509_num(chain) && !pinned; ++i)
    for (const auto& pin : ctx->pinned)
      pinned = pinned || X509_cmp(sk_X509_value(chain, i), pin.get()) == 0;
  if (!pinned) {
    X509_STORE_CTX_set_error(store_ctx, X509_V_ERR_APPLICATION_VERIFICATION);
    return 0;
  }
  if (ctx->require_revocation_check) {
    X509_STORE_CTX_set_error(store_ctx, X509_V_ERR_UNABLE_TO_GET_CRL);
    return 0;
  }
  return 1;
}
}  // namespace

Result<std::shared_ptr<ssl::context>> make_server_context(const TlsServerConfig& cfg) {
  auto ctx = std::make_shared<ServerContext>();
  SSL_CTX* native = ctx->native_handle();
  SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION);
  if (SSL_CTX_use_certificate(native, cfg.certificate.get()) != 1 ||
      SSL_CTX_use_PrivateKey(native, cfg.key.get()) != 1 || SSL_CTX_check_private_key(native) != 1)
    return crypto::openssl_error("tls_config", "server certificate/key rejected");
  for (const auto& c : cfg.chain) SSL_CTX_add1_chain_cert(native, c.get());
  if (cfg.request_client_certificate || cfg.require_client_certificate) {
    X509_STORE* store = SSL_CTX_get_cert_store(native);
    STACK_OF(X509_NAME)* names = sk_X509_NAME_new_null();
    for (const auto& ca : cfg.client_cas) {
      X509_STORE_add_cert(store, ca.get());
      sk_X509_NAME_push(names, X509_NAME_dup(X509_get_subject_name(ca.get())));
    }
    SSL_CTX_set_client_CA_list(native, names);
    int mode = SSL_VERIFY_PEER;
    if (cfg.require_client_certificate) mode |= SSL_VERIFY_FAIL_IF_NO_PEER_CERT;
    SSL_CTX_set_verify(native, mode, nullptr);
  }
  if (!cfg.alpn.empty()) {
    ctx->alpn = alpn_wire(cfg.alpn);
    SSL_CTX_set_alpn_select_cb(native, select_alpn, &ctx->alpn);
  }
  return std::shared_ptr<ssl::context>(ctx);
}

Result<std::shared_ptr<ssl::context>> make_client_context(const TlsClientConfig& cfg) {
  auto ctx = std::make_shared<ClientContext>();
  SSL_CTX* native = ctx->native_handle();
  SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION);
  if (cfg.trusted_roots.empty()) {
    SSL_CTX_set_default_verify_paths(native);
  } else {
    X509_STORE* store = SSL_CTX_get_cert_store(native);
    for (const auto& r : cfg.trusted_roots) X509_STORE_add_cert(store, r.get());
  }
  if (!cfg.pinned.empty()) {
    X509_STORE* store = SSL_CTX_get_cert_store(native);
    for (const auto& pin : cfg.pinned) X509_STORE_add_cert(store, pin.get());
    ERR_clear_error();  // a pin that is also a root is "already in the store"
    X509_STORE_set_flags(store, X509_V_FLAG_PARTIAL_CHAIN);
    ctx->pinned = cfg.pinned;
    ctx->require_revocation_check = cfg.require_revocation_check;
    SSL_CTX_set_cert_verify_callback(native, verify_pinned, ctx.get());
  }
  SSL_CTX_set_verify(native, cfg.verify_peer ? SSL_VERIFY_PEER : SSL_VERIFY_NONE, nullptr);
  if (cfg.allow_small_client_key) SSL_CTX_set_security_level(native, 1);
  if (cfg.client_certificate) {
    if (SSL_CTX_use_certificate(native, cfg.client_certificate->get()) != 1 ||
        SSL_CTX_use_PrivateKey(native, cfg.client_key.get()) != 1)
      return crypto::openssl_error("tls_config", "client certificate/key rejected");
  }
  if (!cfg.alpn.empty()) {
    auto wire = alpn_wire(cfg.alpn);
    SSL_CTX_set_alpn_protos(native, wire.data(), static_cast<unsigned>(wire.size()));
  }
  return std::shared_ptr<ssl::context>(ctx);
}

}  // namespace mdmlab::net
