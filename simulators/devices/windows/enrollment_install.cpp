#include "simulators/devices/windows/enrollment_install.hpp"

namespace mdmlab::simulators::windows_pc {
namespace provisioning = mdmlab::windows::provisioning;
namespace {

Error bad(std::string why) {
  return make_error("windows_bad_provisioning", std::move(why));
}

// The certificates under a store characteristic (e.g. Root/System), each keyed by the
// thumbprint of its DER.
Result<std::vector<crypto::Certificate>> certificates_in(const provisioning::Characteristic* store,
                                                         const std::string& where) {
  std::vector<crypto::Certificate> out;
  if (!store) return out;
  for (const auto& entry : store->children) {
    const auto* encoded = entry.parm("EncodedCertificate");
    if (!encoded) continue;  // e.g. My/WSTEP: renewal settings, no certificate
    auto der = base64_decode(encoded->value);
    if (!der || der->empty())
      return bad(where + "/" + entry.type + ": EncodedCertificate is not base64");
    const auto print = provisioning::thumbprint(*der);
    if (entry.type != print)
      return make_error("windows_bad_thumbprint", where + "/" + entry.type +
                                                      ": the certificate's thumbprint is " + print +
                                                      " (upper-case hex SHA-1 of the DER)");
    auto cert = crypto::Certificate::from_der(*der);
    if (!cert) return bad(where + "/" + entry.type + ": " + cert.error().message);
    out.push_back(std::move(*cert));
  }
  return out;
}

const provisioning::Characteristic* top(const provisioning::Document& doc, const char* type,
                                        const char* appid = nullptr) {
  for (const auto& c : doc.children) {
    if (c.type != type) continue;
    const auto* id = c.parm("APPID");
    if (!appid || (id && id->value == appid)) return &c;
  }
  return nullptr;
}

}  // namespace

Result<InstalledEnrollment> install_enrollment(const provisioning::Document& doc,
                                               const crypto::PrivateKey& key,
                                               const std::string& device_id, bool user_enrollment,
                                               TimePoint now) {
  InstalledEnrollment e;
  auto roots = certificates_in(doc.at({"CertificateStore", "Root", "System"}), "Root/System");
  if (!roots) return roots.error();
  if (roots->empty()) return bad("no CertificateStore/Root/System certificate");
  e.roots = std::move(*roots);
  auto cas = certificates_in(doc.at({"CertificateStore", "CA", "System"}), "CA/System");
  if (!cas) return cas.error();
  e.intermediates = std::move(*cas);

  for (const char* store : {"User", "System"}) {
    const std::string where = std::string("My/") + store;
    auto mine = certificates_in(doc.at({"CertificateStore", "My", store}), where);
    if (!mine) return mine.error();
    for (auto& cert : *mine) {
      if (!crypto::same_public_key(cert.public_key(), key.get()))
        return make_error("windows_wrong_certificate",
                          where + ": " + cert.subject() + " is not for the key our CSR carried");
      if (!e.client.empty()) return bad("more than one client certificate in CertificateStore/My");
      e.client = cert;
      e.client_store = store;
    }
  }
  if (e.client.empty()) return bad("no client certificate in CertificateStore/My/User|System");
  if (e.client_store != (user_enrollment ? "User" : "System"))
    e.warnings.push_back("the client certificate is in My/" + e.client_store + " for a " +
                         (user_enrollment ? "Full" : "Device") + " enrollment");
  if (e.client.common_name() != device_id)
    e.warnings.push_back("the client certificate's CN is " + e.client.common_name() +
                         ", not the DeviceID " + device_id);
  if (auto chain = crypto::verify_chain(e.client, e.roots, e.intermediates, now,
                                        crypto::ChainPurpose::tls_client);
      !chain)
    e.warnings.push_back("the client certificate does not chain to the provisioned roots: " +
                         chain.error().message);

  const auto* app = top(doc, "APPLICATION", "w7");
  if (!app) return bad("no APPLICATION characteristic with APPID w7");
  const auto* addr = app->parm("ADDR");
  if (!addr || addr->value.empty()) return bad("APPLICATION has no ADDR");
  e.management_url = addr->value;
  if (const auto* name = app->parm("NAME")) e.server_name = name->value;
  if (const auto* id = app->parm("PROVIDER-ID")) e.provider_id = id->value;

  const auto* providers = doc.at({"DMClient", "Provider"});
  if (providers && !providers->children.empty()) {
    const auto& provider = providers->children.front();
    if (!e.provider_id.empty() && provider.type != e.provider_id)
      e.warnings.push_back("APPLICATION PROVIDER-ID " + e.provider_id +
                           " is not the DMClient Provider " + provider.type);
    e.provider_id = provider.type;
    for (const auto& p : provider.parms) e.provider_parms[p.name] = p.value;
    if (const auto* poll = provider.find("Poll"))
      for (const auto& p : poll->parms) e.poll[p.name] = p.value;
  }
  if (e.provider_id.empty()) e.warnings.push_back("no DMClient Provider and no PROVIDER-ID");
  return e;
}

}  // namespace mdmlab::simulators::windows_pc
