// The hostile-input generator: valid requests for every endpoint of the reference server,
// mutated by class (hostile_case.hpp's mutation::*), deterministic from a seed.
//   truncation          a request cut short: inside the HTTP head, inside a body whose
//                       Content-Length promised more, or a body cut with a consistent length
//   wrong content type  a body labelled as something else
//   huge body           over the body limit: real bytes, declared lengths, chunked
//   bad base64          SCEP `message`, plist <data>, admin {"$data"}, Mdm-Signature
//   wrong nesting       plist / JSON / DER structure in the wrong shape
//   duplicate keys      a plist <dict> or JSON object with a key twice
//   invalid UTF-8       in targets, headers, plist strings and keys, JSON strings
//   negative/overflowing numbers   Content-Length, chunk sizes, HTTP versions, plist
//                       integers, JSON priorities
//   wrong identity      another device's UDID, no client certificate, wrong SCEP challenge
//                       or key
//   forged/expired token   wrong bearer tokens, forged or expired Mdm-Signature, tampered
//                       SCEP signatures, renewals signed by certificates we never issued
// The APNs simulator adds its own classes (hostile_case.hpp: wrong/unknown token, malformed
// token, wrong topic, missing/duplicate headers, bad header values, wrong method, wrong path,
// empty payload, invalid JSON, wrong types); see generator_apns.cpp. The ABM simulator's DEP API
// (generator_abm.cpp) and authenticated ADE's sign-in (generator_ade.cpp) reuse these classes;
// the SSO callback adds the IdP's error answer.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tests/hostile/hostile_case.hpp"

namespace mdmlab::testing::hostile {

// Every case of one run; the same seed gives the same mutations.
std::vector<Case> generate_cases(std::uint64_t seed, const Materials& m);

// Pieces shared by the per-protocol generators (generator_http.cpp).
inline constexpr int kPerClass = 20;

// "METHOD target HTTP/1.1" + Host + Connection: close + headers + Content-Length (if a body or
// the method carries one) + body.
std::string raw_request(const std::string& method, const std::string& target,
                        const net::Headers& headers, const std::string& body);
// One invalid UTF-8 sequence (lone continuation, overlong, surrogate, truncated, 0xFE/0xFF...).
std::string invalid_utf8(Rng& rng);
// Percent-encodes every byte.
std::string percent_all(const std::string& s);
// `s` with `invalid_utf8` inserted at a random position.
std::string with_invalid_utf8(Rng& rng, const std::string& s);

struct HttpBase {
  std::string endpoint;
  std::string method;
  std::string target;
  net::Headers headers;
  std::string body;
};
// HTTP-level classes, applicable to every endpoint: requests cut inside the head or body,
// bodies over the limit, and broken Content-Length / chunk-size / version numbers.
void add_http_truncation(Rng& rng, const HttpBase& base, int count, std::vector<Case>& out);
void add_http_huge(Rng& rng, const HttpBase& base, std::size_t body_limit, int count,
                   std::vector<Case>& out);
void add_http_numbers(Rng& rng, const HttpBase& base, int count, std::vector<Case>& out);
// Every case is built with the answer it must get (hostile_case.hpp's Expected).
Case raw_case(const std::string& endpoint, const char* mutation, std::string name, std::string raw,
              Expected expect);
Case tls_case(const std::string& endpoint, const char* mutation, std::string name,
              net::HttpRequest request, ClientCert cert, Expected expect);
// raw_case for the ABM simulator's DEP listener (Channel::abm_http); retarget_abm sends the cases
// out[from..] there (after add_http_* built them for the server).
Case abm_case(const std::string& endpoint, const char* mutation, std::string name, std::string raw,
              Expected expect);
void retarget_abm(std::vector<Case>& out, std::size_t from);

// The HTTP-level rules every endpoint shares (RFC 9110 / 9112), for the generators.
namespace expect {
// RFC 9112 §8: a request cut short before its end may get 400, or the connection just closes.
Expected incomplete();
// RFC 9110 §15.5.14: content over the server's limit.
Expected too_large();
// RFC 9112 §6.3, RFC 9110 §8.6: an invalid Content-Length / chunk size / framing.
Expected bad_framing();
// RFC 9110 §15.5.1: a request the server cannot parse (malformed syntax, body, query).
Expected bad_request(std::string why);
// RFC 9110 §15.5.5: the target names no resource.
Expected not_found(std::string why);
// RFC 9110 §15.5.6: the resource exists, not with this method.
Expected method_not_allowed(std::string why);
// RFC 9110 §15.5.16: a Content-Type the resource does not take.
Expected unsupported_media_type(std::string why);
// RFC 9110 §15.5.2 / RFC 6750 §3.1: missing or wrong credentials.
Expected unauthorized(std::string why);
// RFC 9110 §15.5.4: authenticated, but not allowed this.
Expected forbidden(std::string why);
// RFC 9112 §3.2: raw bytes that are no URI character in the request-target: 400 (SHOULD), or,
// from a parser that lets them through, the answer for a target that names nothing.
Expected raw_target(int lenient_status);
}  // namespace expect

void add_scep_cases(Rng& rng, const Materials& m, std::vector<Case>& out);
void add_mdm_cases(Rng& rng, const Materials& m, std::vector<Case>& out);
void add_admin_cases(Rng& rng, const Materials& m, std::vector<Case>& out);
// The ADE enrollment URL (generator_ade.cpp).
void add_ade_cases(Rng& rng, const Materials& m, std::vector<Case>& out);
// Authenticated ADE: GET /api/mdm/apple/ade/sso and its callback, refusals only
// (generator_ade.cpp).
void add_ade_sso_cases(Rng& rng, const Materials& m, std::vector<Case>& out);
// Declarative management: the DeclarativeManagement check-in and the DDM admin API
// (generator_ddm.cpp).
void add_ddm_cases(Rng& rng, const Materials& m, std::vector<Case>& out);
// The APNs simulator: provider endpoint (HTTP/2), control API, device side (generator_apns.cpp).
void add_apns_cases(Rng& rng, const Materials& m, std::vector<Case>& out);
// The ABM simulator's DEP API: GET /session (OAuth 1.0a) and the session-authenticated calls
// (generator_abm.cpp, generator_abm_session.cpp).
void add_abm_cases(Rng& rng, const Materials& m, std::vector<Case>& out);
void add_abm_session_cases(Rng& rng, const Materials& m, std::vector<Case>& out);
// Windows enrollment: Discovery.svc, GetPolicies and the WSTEP RST (generator_windows.cpp,
// generator_windows_enroll.cpp); management: SyncML at MDM.svc (generator_windows_mdm.cpp).
void add_windows_cases(Rng& rng, const Materials& m, std::vector<Case>& out);
void add_windows_mdm_cases(Rng& rng, const Materials& m, std::vector<Case>& out);
// Federated Windows enrollment's sign-in page (generator_windows_auth.cpp).
void add_windows_auth_cases(Rng& rng, const Materials& m, std::vector<Case>& out);
// The server's SCIM Users endpoint (generator_scim.cpp).
void add_scim_cases(Rng& rng, const Materials& m, std::vector<Case>& out);
// A SOAP 1.2 request as a Windows client writes it: Action, MessageID, To, and a UsernameToken
// (ada@contoso.example, `password`) unless `password` is empty (generator_windows.cpp).
std::string windows_soap_request(const std::string& action, const std::string& to,
                                 const std::string& body, const std::string& password,
                                 const std::string& message_id);
// The DEP admin API (generator_dep_admin.cpp).
void add_dep_admin_cases(Rng& rng, const Materials& m, std::vector<Case>& out);
// The Entra simulator: token, authorize, discovery, JWKS, control API (generator_entra*.cpp).
void add_entra_cases(Rng& rng, const Materials& m, std::vector<Case>& out);
// The admin API's bearer-token and HTTP-level classes for one route (generator_admin.cpp):
// forged tokens, cuts (no body), bodies over the limit, framing, invalid UTF-8 in the token.
void add_admin_auth_cases(Rng& rng, const Materials& m, const std::string& endpoint,
                          const std::string& method, const std::string& target,
                          const std::string& content_type, const std::string& body,
                          std::vector<Case>& out);

}  // namespace mdmlab::testing::hostile
