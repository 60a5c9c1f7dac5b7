// Pieces the Windows generators share (generator_windows*.cpp): SOAP requests written by hand,
// so that any part can be what a case needs, the MS-MDE2 fault expectations, and the classes
// every SOAP endpoint gets.
#pragma once

#include "protocol/windows/soap.hpp"
#include "tests/hostile/generator.hpp"

namespace mdmlab::testing::hostile {

// A SOAP request as a Windows client writes it: Envelope (namespace `ns`), Header with the
// WS-Addressing Action (left out when empty), MessageID and To, then `security` and
// `extra_headers` (XML), and `body` inside the Body.
struct SoapMessage {
  std::string ns = mdmlab::windows::soap::kSoapNs;
  std::string action;
  std::string message_id = "urn:uuid:0D5A1441-5891-453b-becf-a2e5f6ea3749";
  std::string to;
  std::string security;
  std::string extra_headers;
  std::string body;
  std::string text() const;
};
// A wsse:Security header (mustUnderstand) with a UsernameToken (PasswordText).
std::string username_token(const std::string& user, const std::string& password);
std::string replace_once(std::string s, const std::string& from, const std::string& to);

// MS-MDE2 2.2.9: a SOAP fault with `subcode` and that status (the server's mapping:
// s:MessageFormat 400, s:Authentication 401, s:CertificateRequest 400).
Expected soap_fault(int status, const char* subcode, const std::string& why);
Expected message_format(const std::string& why);

// A POST of `body` to `target`: raw bytes on the plain listener, or with `tls` on the HTTPS one
// presenting `cert`.
Case windows_case(const std::string& endpoint, const char* mutation, std::string name,
                  const std::string& target, const net::Headers& headers, const std::string& body,
                  Expected expect, bool tls, ClientCert cert = ClientCert::none);

struct SoapEndpoint {
  std::string endpoint, target;
  SoapMessage message;  // valid in everything (the secret included, where one is needed)
  std::string secret;   // "" where the endpoint takes none (discovery)
  std::size_t body_limit = 2 * 1024 * 1024;
};
// Envelopes that are none, Actions of other operations, media types, invalid UTF-8, tokens
// twice, cuts, bodies over the limit, framing: kPerClass cases of each class.
void add_soap_envelope_cases(Rng& rng, const SoapEndpoint& ep, std::vector<Case>& out);

}  // namespace mdmlab::testing::hostile
