#include "simulators/services/abm/server_token_file.hpp"

#include <nlohmann/json.hpp>

#include "crypto/cms.hpp"
#include "simulators/services/abm/abm_simulator.hpp"

namespace mdmlab::simulators::abm {

Result<std::string> smime_token_file(const ServerToken& token,
                                     const crypto::Certificate& mdm_cert) {
  const std::string inner =
      "Content-Type: text/plain;charset=UTF-8\r\n"
      "Content-Transfer-Encoding: 7bit\r\n"
      "\r\n"
      "-----BEGIN MESSAGE-----" +
      token_json(token).dump() + "-----END MESSAGE-----\r\n";
  auto enveloped =
      crypto::cms_envelope(to_bytes(inner), {mdm_cert}, crypto::cipher_by_name("AES-256-CBC"));
  if (!enveloped) return enveloped.error();
  // Base64 in 64-character lines, as S/MIME writers (and Apple) do.
  const auto b64 = base64_encode(*enveloped);
  std::string body;
  for (std::size_t i = 0; i < b64.size(); i += 64) body += b64.substr(i, 64) + "\r\n";
  return "Content-Type: application/pkcs7-mime; name=\"smime.p7m\"; smime-type=enveloped-data\r\n"
         "Content-Transfer-Encoding: base64\r\n"
         "Content-Disposition: attachment; filename=\"smime.p7m\"\r\n"
         "Content-Description: S/MIME Encrypted Message\r\n"
         "MIME-Version: 1.0\r\n"
         "\r\n" +
         body;
}

}  // namespace mdmlab::simulators::abm
