// SCEP cases: GetCACaps, GetCACert, PKIOperation by GET (base64 `message`) and by POST (DER).
#include <openssl/x509.h>

#include "crypto/ca.hpp"
#include "crypto/csr.hpp"
#include "protocol/scep/issuer_and_subject.hpp"
#include "protocol/scep/pki_message.hpp"
#include "tests/hostile/generator.hpp"

namespace mdmlab::testing::hostile {
namespace {
using mdmlab::scep::FailInfo;
using mdmlab::scep::MessageType;

const std::string kCaps = "GET /scep?operation=GetCACaps";
const std::string kCert = "GET /scep?operation=GetCACert";
const std::string kGetOp = "GET /scep PKIOperation";
const std::string kPostOp = "POST /scep PKIOperation";

struct ScepBuilder {
  const Materials& m;

  std::string pkcs_req(const crypto::PrivateKey& key, const std::string& tx,
                       const std::string& challenge,
                       const crypto::PrivateKey* signer_key = nullptr) const {
    const auto& sk = signer_key ? *signer_key : key;
    mdmlab::scep::RequestParams p;
    p.transaction_id = tx;
    p.content = crypto::Csr::build(key, {{{"CN", "hostile-scep"}}, challenge}).value().to_der();
    p.recipients = {m.ca};
    p.signer =
        crypto::make_self_signed(sk, {{"CN", "hostile-signer"}}, m.now, std::chrono::hours(1))
            .value();
    p.signer_key = sk;
    return to_string(mdmlab::scep::build_request(p).value());
  }

  // A RenewalReq signed by `signer` (a certificate this server never issued, or expired).
  std::string renewal(const crypto::PrivateKey& key, const std::string& tx,
                      const crypto::Certificate& signer,
                      const crypto::PrivateKey& signer_key) const {
    mdmlab::scep::RequestParams p;
    p.type = MessageType::renewal_req;
    p.transaction_id = tx;
    p.content = crypto::Csr::build(key, {{{"CN", "hostile-renewal"}}, ""}).value().to_der();
    p.recipients = {m.ca};
    p.signer = signer;
    p.signer_key = signer_key;
    return to_string(mdmlab::scep::build_request(p).value());
  }

  // A CertPoll for `tx` signed by a key that is not the requester's.
  std::string cert_poll(const crypto::PrivateKey& key, const std::string& tx) const {
    mdmlab::scep::RequestParams p;
    p.type = MessageType::cert_poll;
    p.transaction_id = tx;
    auto subject = crypto::make_x509_name({{"CN", m.mac_a.udid}}).value();
    p.content =
        mdmlab::scep::encode_issuer_and_subject(X509_get_subject_name(m.ca.get()), subject.get());
    p.recipients = {m.ca};
    p.signer =
        crypto::make_self_signed(key, {{"CN", m.mac_a.udid}}, m.now, std::chrono::hours(1)).value();
    p.signer_key = key;
    return to_string(mdmlab::scep::build_request(p).value());
  }
};

std::string get_target(const std::string& der) {
  return "/scep?operation=PKIOperation&message=" +
         net::percent_encode(base64_encode(to_bytes(der)));
}
std::string post_raw(const std::string& der) {
  return raw_request("POST", "/scep?operation=PKIOperation",
                     {{"Content-Type", "application/x-pki-message"}}, der);
}
std::string get_raw(const std::string& target) {
  return raw_request("GET", target, {}, "");
}

// What a pkiMessage the server cannot take at all gets: there is no transactionID to echo in a
// CertRep, so the refusal is HTTP's.
Expected no_pki_message(std::string why) {
  return expect::bad_request(why + ": no pkiMessage (RFC 8894 §4.3)");
}

// A well-formed, signed pkiMessage the server refuses: a CertRep FAILURE (RFC 8894 §3.3.2.2).
Expected failure(FailInfo f, std::string why) {
  return Expected::cert_rep(f, "RFC 8894 §3.2.1.4.5: " + why);
}

// DER tag + length around `inner`.
std::string der_wrap(unsigned char tag, const std::string& inner) {
  std::string len;
  auto n = inner.size();
  if (n < 128) {
    len = std::string(1, static_cast<char>(n));
  } else {
    std::string be;
    while (n) {
      be.insert(be.begin(), static_cast<char>(n & 0xFF));
      n >>= 8;
    }
    len = std::string(1, static_cast<char>(0x80 | be.size())) + be;
  }
  return std::string(1, static_cast<char>(tag)) + len + inner;
}

void add_get_only(Rng& rng, const std::string& endpoint, const std::string& target,
                  const Materials& m, std::vector<Case>& out) {
  HttpBase base{endpoint, "GET", target, {}, ""};
  add_http_truncation(rng, base, kPerClass, out);
  add_http_huge(rng, base, m.body_limit, kPerClass, out);
  add_http_numbers(rng, base, kPerClass, out);
  auto op = target.substr(target.find("operation=") + 10);
  for (int i = 0; i < kPerClass; ++i) {
    auto bad = with_invalid_utf8(rng, op);
    // Half raw bytes in the request target, half percent-encoded.
    std::string value = i % 2 ? bad : net::percent_encode(bad);
    out.push_back(
        raw_case(endpoint, mutation::invalid_utf8,
                 std::string(i % 2 ? "raw" : "encoded") + " operation " + percent_all(bad),
                 get_raw("/scep?operation=" + value),
                 expect::bad_request("not a SCEP operation (RFC 8894 §4)")));
  }
}
}  // namespace

void add_scep_cases(Rng& rng, const Materials& m, std::vector<Case>& out) {
  ScepBuilder b{m};
  add_get_only(rng, kCaps, "/scep?operation=GetCACaps", m, out);
  add_get_only(rng, kCert, "/scep?operation=GetCACert", m, out);

  // The valid request every PKIOperation mutation starts from; never sent as is.
  const auto& fresh = m.keys.at(0);
  const auto valid = b.pkcs_req(fresh, "HOSTILE-SCEP-BASE", m.scep_challenge);
  const auto valid_b64 = base64_encode(to_bytes(valid));

  // --- PKIOperation by GET ---
  add_http_truncation(rng, {kGetOp, "GET", get_target(valid), {}, ""}, kPerClass / 2, out);
  for (int i = 0; i < kPerClass / 2; ++i) {
    auto cut = rng.between(1, valid_b64.size() - 1);
    out.push_back(raw_case(kGetOp, mutation::truncation,
                           "message base64 cut at " + std::to_string(cut),
                           get_raw("/scep?operation=PKIOperation&message=" +
                                   net::percent_encode(valid_b64.substr(0, cut))),
                           no_pki_message("message cut short")));
  }
  static const std::string kBadChars = "*!$(),;:@~`^{}|<>\"\\'[]_.";
  for (int i = 0; i < kPerClass; ++i) {
    auto b64 = valid_b64;
    std::string what;
    if (i % 4 == 3) {
      b64 = rng.bytes(rng.between(8, 64));
      for (auto& c : b64) c = kBadChars[static_cast<unsigned char>(c) % kBadChars.size()];
      what = "no base64 at all";
    } else {
      int n = 1 + static_cast<int>(rng.below(4));
      for (int k = 0; k < n; ++k)
        b64[rng.below(b64.size())] = kBadChars[rng.below(kBadChars.size())];
      what = std::to_string(n) + " bad characters";
    }
    out.push_back(
        raw_case(kGetOp, mutation::bad_base64, what,
                 get_raw("/scep?operation=PKIOperation&message=" + net::percent_encode(b64)),
                 no_pki_message("message is not base64 (RFC 4648 §4)")));
  }
  add_http_huge(rng, {kGetOp, "GET", get_target(valid), {}, ""}, m.body_limit, kPerClass / 2, out);
  for (int i = 0; i < kPerClass / 2; ++i) {  // a `message` beyond the 16 KiB head limit
    auto big = base64_encode(to_bytes(rng.bytes(rng.between(16 * 1024, 96 * 1024))));
    out.push_back(raw_case(
        kGetOp, mutation::huge, "message of " + std::to_string(big.size()) + " base64 chars",
        get_raw("/scep?operation=PKIOperation&message=" + net::percent_encode(big)),
        Expected::status(414,
                         "RFC 9112 §3: a request-target longer than the server parses "
                         "MUST get 414")));
  }
  add_http_numbers(rng, {kGetOp, "GET", get_target(valid), {}, ""}, kPerClass, out);
  for (int i = 0; i < kPerClass; ++i) {
    auto bad = with_invalid_utf8(rng, valid_b64.substr(0, rng.between(4, valid_b64.size())));
    out.push_back(
        raw_case(kGetOp, mutation::invalid_utf8, "invalid UTF-8 inside message",
                 get_raw("/scep?operation=PKIOperation&message=" + net::percent_encode(bad)),
                 no_pki_message("message is not base64 (RFC 4648 §4)")));
  }

  // Signed, well-formed requests that must be refused with a CertRep FAILURE, sent by GET and POST.
  struct Signed {
    std::string name, der;
    Expected expect;
  };
  std::vector<Signed> forged, wrong_identity, utf8;
  for (int i = 0; i < kPerClass; ++i) {
    auto der = valid;
    auto k = rng.between(1, 200);  // inside the trailing RSA signature
    der[der.size() - k] = static_cast<char>(der[der.size() - k] ^ (1 + rng.below(255)));
    forged.push_back({"signature byte -" + std::to_string(k) + " flipped", der,
                      failure(FailInfo::bad_message_check, "the signature does not verify")});
  }
  auto foreign_ca = crypto::CertificateAuthority::create_root(
                        m.keys.at(1), {{"CN", "Not the mdmlab CA"}}, m.now, std::chrono::hours(24))
                        .value();
  crypto::CertificateAuthority our_ca(m.ca, m.ca_key);
  for (int i = 0; i < 6; ++i) {
    auto forged_cert =
        foreign_ca.issue(m.mac_a.key.get(), X509_get_subject_name(m.mac_a.cert.get()), {}, m.now)
            .value();
    forged.push_back(
        {"RenewalReq signed by a foreign CA's copy of mac A",
         b.renewal(m.keys.at(2), "HOSTILE-RENEW-F" + std::to_string(i), forged_cert, m.mac_a.key),
         failure(FailInfo::bad_request,
                 "a renewal signed by a certificate this CA never issued is not permitted")});
    crypto::IssueOptions expired;
    expired.validity = std::chrono::hours(1);
    auto old = our_ca
                   .issue(m.mac_a.key.get(), X509_get_subject_name(m.mac_a.cert.get()), expired,
                          m.now - std::chrono::hours(24 * (2 + static_cast<int>(rng.below(400)))))
                   .value();
    forged.push_back(
        {"RenewalReq signed by an expired certificate",
         b.renewal(m.keys.at(2), "HOSTILE-RENEW-E" + std::to_string(i), old, m.mac_a.key),
         failure(FailInfo::bad_request,
                 "a renewal signed by an expired certificate is not "
                 "permitted (badTime is for signingTime only)")});
  }
  for (int i = 0; i < kPerClass; ++i) {
    auto tx = "HOSTILE-ID-" + std::to_string(i);
    switch (i % 4) {
      case 0: {
        auto challenge = m.scep_challenge;
        challenge[rng.below(challenge.size())] ^= 0x20;
        wrong_identity.push_back({i % 8 ? "wrong challenge" : "no challenge",
                                  b.pkcs_req(m.keys.at(3), tx, i % 8 ? challenge : ""),
                                  failure(FailInfo::bad_request, "wrong or missing challenge")});
        break;
      }
      case 1:
        wrong_identity.push_back(
            {"signer key is not the CSR key",
             b.pkcs_req(m.keys.at(3), tx, m.scep_challenge, &m.keys.at(4)),
             failure(FailInfo::bad_message_check,
                     "a PKCSReq must be signed with the CSR's own key (RFC 8894 §3.3.1)")});
        break;
      case 2:
        wrong_identity.push_back(
            {"CertPoll for mac A's transaction by another key",
             b.cert_poll(m.keys.at(3), m.mac_a_transaction),
             failure(FailInfo::bad_request, "only the requester may poll its transaction")});
        break;
      default:
        wrong_identity.push_back(
            {"PKCSReq reusing mac A's transactionID with another key",
             b.pkcs_req(m.keys.at(3), m.mac_a_transaction, m.scep_challenge),
             failure(FailInfo::bad_request, "a transactionID belongs to one key")});
        break;
    }
  }
  for (int i = 0; i < kPerClass; ++i) {
    // Our builder refuses a non-PrintableString transactionID, so build with a placeholder
    // and overwrite its bytes in the DER (the signature over them then fails too).
    const std::string placeholder = "HOSTILE-UTF8-" + std::to_string(i) + "-XXXXX";
    auto der = b.pkcs_req(m.keys.at(5), placeholder, m.scep_challenge);
    auto bad = invalid_utf8(rng);
    bad.resize(5, 'A');
    auto pos = der.find(placeholder);
    if (pos != std::string::npos) der.replace(pos + placeholder.size() - 5, 5, bad);
    utf8.push_back(
        {"transactionID " + percent_all(placeholder.substr(0, placeholder.size() - 5) + bad), der,
         no_pki_message("transactionID is not a PrintableString (RFC 8894 §3.2.1.1), so no "
                        "CertRep can echo it")});
  }
  for (const auto& [list, cls] :
       {std::pair{&forged, mutation::forged}, std::pair{&wrong_identity, mutation::identity},
        std::pair{&utf8, mutation::invalid_utf8}}) {
    for (const auto& [name, der, want] : *list) {
      out.push_back(raw_case(kPostOp, cls, name, post_raw(der), want));
      if (cls != mutation::invalid_utf8)
        out.push_back(raw_case(kGetOp, cls, name, get_raw(get_target(der)), want));
    }
  }

  // --- PKIOperation by POST ---
  HttpBase post{kPostOp,
                "POST",
                "/scep?operation=PKIOperation",
                {{"Content-Type", "application/x-pki-message"}},
                valid};
  add_http_truncation(rng, post, kPerClass / 2, out);
  for (int i = 0; i < kPerClass / 2; ++i) {
    auto cut = rng.between(1, valid.size() - 1);
    out.push_back(raw_case(kPostOp, mutation::truncation, "DER cut at " + std::to_string(cut),
                           post_raw(valid.substr(0, cut)), no_pki_message("DER cut short")));
  }
  add_http_huge(rng, post, m.body_limit, kPerClass, out);
  add_http_numbers(rng, post, kPerClass, out);
  for (int i = 0; i < kPerClass; ++i) {
    std::string der, name;
    switch (i % 5) {
      case 0:
      case 1: {
        static const unsigned char kTags[] = {0x30, 0x31, 0x04, 0xA0, 0xA1};
        der = valid;
        int levels = 1 + static_cast<int>(rng.below(4));
        for (int l = 0; l < levels; ++l) der = der_wrap(kTags[rng.below(sizeof kTags)], der);
        name = "pkiMessage wrapped " + std::to_string(levels) + " levels deep";
        break;
      }
      case 2:
        der = to_string(
            crypto::Csr::build(fresh, {{{"CN", "bare"}}, m.scep_challenge}).value().to_der());
        name = "a bare CSR instead of a pkiMessage";
        break;
      case 3:
        der = to_string(m.mac_a.cert.to_der());
        name = "a certificate instead of a pkiMessage";
        break;
      default:
        der = der_wrap(0x30, der_wrap(0x06, "\x2A\x86\x48\x86\xF7\x0D\x01\x07\x02") +
                                 der_wrap(0xA0, der_wrap(0x30, "")));
        name = "SignedData with an empty body";
        break;
    }
    out.push_back(raw_case(kPostOp, mutation::nesting, name, post_raw(der),
                           no_pki_message("not a SignedData pkiMessage")));
  }
}

}  // namespace mdmlab::testing::hostile
