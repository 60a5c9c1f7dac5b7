// IssuerAndSubject (RFC 8894 section 3.3.3): the CertPoll message content,
// SEQUENCE { issuer Name, subject Name }.
#pragma once

#include "crypto/openssl_ptr.hpp"

namespace mdmlab::scep {

struct IssuerAndSubject {
  crypto::X509NamePtr issuer;
  crypto::X509NamePtr subject;
};

Bytes encode_issuer_and_subject(const X509_NAME* issuer, const X509_NAME* subject);
Result<IssuerAndSubject> decode_issuer_and_subject(const Bytes& der);

}  // namespace mdmlab::scep
