#include "protocol/apple/machine_info.hpp"

#include <array>

#include "crypto/cms.hpp"
#include "protocol/plist/xml.hpp"

namespace mdmlab::apple {

Result<std::string> encode_machine_info_plist(const MachineInfo& info) {
  plist::Value v;
  v.set("UDID", info.udid);
  v.set("SERIAL", info.serial);
  if (!info.product.empty()) v.set("PRODUCT", info.product);
  if (!info.version.empty()) v.set("VERSION", info.version);
  if (!info.language.empty()) v.set("LANGUAGE", info.language);
  if (!info.imei.empty()) v.set("IMEI", info.imei);
  if (!info.meid.empty()) v.set("MEID", info.meid);
  if (!info.challenge.empty()) v.set("CHALLENGE", info.challenge);
  return plist::to_xml(v);
}

Result<Bytes> encode_machine_info(const MachineInfo& info, const crypto::Certificate& signer,
                                  const crypto::PrivateKey& key) {
  auto xml = encode_machine_info_plist(info);
  if (!xml) return xml.error();
  return crypto::cms_sign(to_bytes(*xml), signer, key, {}, crypto::SignOptions{});
}

Result<SignedMachineInfo> parse_machine_info(const Bytes& der) {
  auto msg = crypto::SignedMessage::parse(der);
  if (!msg) return make_error("bad_machine_info", "not a CMS SignedData: " + msg.error().message);
  if (msg->signer_count() != 1) return make_error("bad_machine_info", "not exactly one signer");
  if (!msg->content()) return make_error("bad_machine_info", "no signed content");
  if (auto ok = msg->verify(msg->signer_certificate()); !ok)
    return make_error("bad_machine_info", "the signature does not verify: " + ok.error().message);
  auto v = plist::from_xml(to_string(*msg->content()));
  if (!v) return make_error("bad_machine_info", "not a plist: " + v.error().message);
  if (!v->is_dict()) return make_error("bad_machine_info", "the plist is not a dictionary");
  SignedMachineInfo out{{}, msg->signer_certificate()};
  const std::array<std::pair<const char*, std::string*>, 8> fields = {{
      {"CHALLENGE", &out.info.challenge},
      {"UDID", &out.info.udid},
      {"SERIAL", &out.info.serial},
      {"PRODUCT", &out.info.product},
      {"VERSION", &out.info.version},
      {"LANGUAGE", &out.info.language},
      {"IMEI", &out.info.imei},
      {"MEID", &out.info.meid},
  }};
  for (const auto& [key, field] : fields) {
    if (const auto* f = v->find(key)) {
      if (!f->string())
        return make_error("bad_machine_info", std::string(key) + " is not a string");
      *field = *f->string();
    }
  }
  if (out.info.udid.empty() || out.info.serial.empty())
    return make_error("bad_machine_info", "UDID and SERIAL are required");
  return out;
}

}  // namespace mdmlab::apple
