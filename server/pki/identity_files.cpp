#include "server/pki/identity_files.hpp"

#include <arpa/inet.h>

#include "core/files/private_file.hpp"

namespace mdmlab::server::pki {
namespace fs = std::filesystem;
using files::read_text_file;
using files::write_private_file;

namespace {
Result<Identity> load_pair(const fs::path& cert_path, const fs::path& key_path) {
  auto cert_pem = read_text_file(cert_path);
  if (!cert_pem) return cert_pem.error();
  auto key_pem = read_text_file(key_path);
  if (!key_pem) return key_pem.error();
  auto cert = crypto::Certificate::from_pem(*cert_pem);
  if (!cert) return cert.error();
  auto key = crypto::PrivateKey::from_pem(*key_pem);
  if (!key) return key.error();
  if (!crypto::same_public_key(cert->public_key(), key->get()))
    return make_error("bad_identity", cert_path.string() + " does not match " + key_path.string());
  return Identity{*cert, *key};
}

Result<void> save_pair(const fs::path& cert_path, const fs::path& key_path, const Identity& id) {
  if (auto r = write_private_file(key_path, id.key.to_pem()); !r) return r;
  return write_private_file(cert_path, id.certificate.to_pem());
}

bool is_ip(const std::string& s) {
  unsigned char buf[16];
  return inet_pton(AF_INET, s.c_str(), buf) == 1 || inet_pton(AF_INET6, s.c_str(), buf) == 1;
}
}  // namespace

Result<crypto::CertificateAuthority> load_or_create_ca(const fs::path& dir,
                                                       const std::string& common_name,
                                                       crypto::TimePoint now) {
  auto cert_path = dir / "ca.pem", key_path = dir / "ca.key";
  if (fs::exists(cert_path)) {
    auto id = load_pair(cert_path, key_path);
    if (!id) return id.error();
    return crypto::CertificateAuthority(id->certificate, id->key);
  }
  auto key = crypto::PrivateKey::generate_rsa(2048);
  if (!key) return key.error();
  auto ca = crypto::CertificateAuthority::create_root(*key, {{"CN", common_name}, {"O", "mdmlab"}},
                                                      now, std::chrono::hours(24 * 365 * 10));
  if (!ca) return ca.error();
  if (auto r = save_pair(cert_path, key_path, {ca->certificate(), ca->key()}); !r) return r.error();
  return ca;
}

namespace {
// An RSA-2048 identity issued by `ca` for five years with no extendedKeyUsage, kept as
// <stem>.pem / <stem>.key: the SCEP RA and the DEP token certificate.
Result<Identity> load_or_create_issued(const fs::path& dir, const std::string& stem,
                                       const std::string& common_name,
                                       const crypto::CertificateAuthority& ca,
                                       crypto::TimePoint now) {
  auto cert_path = dir / (stem + ".pem"), key_path = dir / (stem + ".key");
  if (fs::exists(cert_path)) return load_pair(cert_path, key_path);
  auto key = crypto::PrivateKey::generate_rsa(2048);
  if (!key) return key.error();
  auto name = crypto::make_x509_name({{"CN", common_name}, {"O", "mdmlab"}});
  if (!name) return name.error();
  crypto::IssueOptions opts;
  opts.validity = std::chrono::hours(24 * 365 * 5);
  opts.extended_key_usage = {};
  auto cert = ca.issue(key->get(), name->get(), opts, now);
  if (!cert) return cert.error();
  Identity id{*cert, *key};
  if (auto r = save_pair(cert_path, key_path, id); !r) return r.error();
  return id;
}
}  // namespace

Result<Identity> load_or_create_ra(const fs::path& dir, const crypto::CertificateAuthority& ca,
                                   crypto::TimePoint now) {
  return load_or_create_issued(dir, "ra", "mdmlab SCEP RA", ca, now);
}

Result<Identity> load_or_create_dep(const fs::path& dir, const crypto::CertificateAuthority& ca,
                                    crypto::TimePoint now) {
  return load_or_create_issued(dir, "dep", "mdmlab DEP token", ca, now);
}

Result<Identity> load_or_create_tls(const fs::path& dir, const crypto::CertificateAuthority& ca,
                                    const std::vector<std::string>& names, crypto::TimePoint now) {
  auto cert_path = dir / "tls.pem", key_path = dir / "tls.key";
  if (fs::exists(cert_path)) return load_pair(cert_path, key_path);
  auto key = crypto::PrivateKey::generate_rsa(2048);
  if (!key) return key.error();
  auto name = crypto::make_x509_name(
      {{"CN", names.empty() ? "localhost" : names.front()}, {"O", "mdmlab"}});
  if (!name) return name.error();
  crypto::IssueOptions opts;
  opts.validity = std::chrono::hours(24 * 365 * 2);
  opts.extended_key_usage = {crypto::ExtendedKeyUsage::server_auth};
  for (const auto& n : names) (is_ip(n) ? opts.ip_addresses : opts.dns_names).push_back(n);
  auto cert = ca.issue(key->get(), name->get(), opts, now);
  if (!cert) return cert.error();
  Identity id{*cert, *key};
  if (auto r = save_pair(cert_path, key_path, id); !r) return r.error();
  return id;
}

}  // namespace mdmlab::server::pki
