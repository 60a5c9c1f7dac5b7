// The server token file as Apple Business Manager hands it out: the OAuth 1.0a credentials as
// JSON, between "-----BEGIN MESSAGE-----" and "-----END MESSAGE-----" in a text/plain MIME part,
// encrypted (CMS EnvelopedData) to the MDM server's public key certificate and wrapped as an
// S/MIME attachment (smime.p7m). nanodep's deptokens and `openssl smime -decrypt` open it.
#pragma once

#include <string>

#include "crypto/certificate.hpp"
#include "simulators/services/abm/abm_state.hpp"

namespace mdmlab::simulators::abm {

Result<std::string> smime_token_file(const ServerToken& token, const crypto::Certificate& mdm_cert);

}  // namespace mdmlab::simulators::abm
