// Enrollment security (issue 9): Authenticate clears the previous enrollment's secrets, the
// bootstrap token needs an active enrollment, device identities are client certificates and
// never the server's own, and the certificate binding policies (strict, allow-duplicate,
// allow-retroactive, warn-only).
#include <boost/test/unit_test.hpp>

#include "core/files/private_file.hpp"
#include "protocol/plist/xml.hpp"
#include "tests/server/apple_fixture.hpp"

using namespace mdmlab;
using namespace mdmlab::testing;
using mdmlab::apple::CheckinType;
using mdmlab::apple::CommandStatus;

namespace {
apple::Checkin bootstrap(CheckinType type, const std::string& udid, std::string token = {}) {
  apple::Checkin c;
  c.type = type;
  c.udid = udid;
  c.topic = "com.apple.mgmt.External.mdmlab";
  c.bootstrap_token = to_bytes(token);
  return c;
}

// The BootstrapToken a GetBootstrapToken answer carries ("" when none), or "HTTP <status>".
std::string read_bootstrap(AppleFixture& f, net::HttpClient& http, const std::string& udid) {
  auto res =
      f.put(http, apple::kCheckinContentType,
            apple::encode_checkin(bootstrap(CheckinType::get_bootstrap_token, udid)).value());
  if (res.status != 200) return "HTTP " + std::to_string(res.status);
  auto v = plist::from_xml(res.body).value();
  auto* token = v.find("BootstrapToken");
  return token && token->data() ? to_string(*token->data()) : "";
}

int mdm_signed_checkin(AppleFixture& f, const crypto::Certificate& cert,
                       const crypto::PrivateKey& key, const apple::Checkin& c) {
  net::HttpClient plain(f.io.executor(), f.server->http_url());
  auto body = apple::encode_checkin(c).value();
  crypto::SignOptions o;
  o.detached = true;
  auto der = crypto::cms_sign(to_bytes(body), cert, key, {}, o).value();
  return f.put(plain, apple::kCheckinContentType, body, "Mdm-Signature", base64_encode(der)).status;
}

void enroll(AppleFixture& f, net::HttpClient& http, const std::string& udid) {
  BOOST_REQUIRE(f.checkin(http, f.authenticate(udid)) == 200);
  BOOST_REQUIRE(f.checkin(http, f.token_update(udid)) == 200);
}
}  // namespace

BOOST_AUTO_TEST_SUITE(apple_enrollment_security)

// The attack from issue 9: public profile -> SCEP certificate -> Authenticate with the
// victim's UDID -> GetBootstrapToken. It now reads nothing of the victim's.
BOOST_AUTO_TEST_CASE(reauthenticating_as_another_udid_reads_no_secret) {
  AppleFixture f;
  auto victim = f.enroll_identity(50, "UDID-VICTIM");
  auto victim_http = f.device_client(&victim);
  BOOST_REQUIRE(f.checkin(victim_http, f.authenticate(victim.udid)) == 200);
  auto tu = f.token_update(victim.udid);
  tu.unlock_token = Bytes(32, 0x5A);  // as an iPad sends it
  BOOST_REQUIRE(f.checkin(victim_http, tu) == 200);
  BOOST_REQUIRE(
      !f.from_store(f.server->apple_store().find_enrollment(victim.udid))->unlock_token.empty());
  BOOST_REQUIRE(f.checkin(victim_http, bootstrap(CheckinType::set_bootstrap_token, victim.udid,
                                                 "VICTIM-BOOTSTRAP")) == 200);
  BOOST_TEST(read_bootstrap(f, victim_http, victim.udid) == "VICTIM-BOOTSTRAP");

  auto attacker = f.enroll_identity(51, "attacker");
  auto attacker_http = f.device_client(&attacker);
  BOOST_TEST(f.checkin(attacker_http, f.authenticate(victim.udid)) == 200);
  // Authenticate disabled the enrollment: nothing to read yet.
  BOOST_TEST(read_bootstrap(f, attacker_http, victim.udid) == "HTTP 400");
  auto e = f.from_store(f.server->apple_store().find_enrollment(victim.udid)).value();
  BOOST_TEST(e.bootstrap_token.empty());
  BOOST_TEST(e.push_token.empty());
  BOOST_TEST(e.push_magic.empty());
  BOOST_TEST(e.unlock_token.empty());
  // Even after the attacker's own TokenUpdate the victim's token is gone.
  BOOST_TEST(f.checkin(attacker_http, f.token_update(victim.udid)) == 200);
  BOOST_TEST(read_bootstrap(f, attacker_http, victim.udid) == "");
  // The victim's certificate is no longer the enrollment's identity.
  BOOST_TEST(f.report(victim_http, victim.udid, CommandStatus::idle).status == 403);
}

BOOST_AUTO_TEST_CASE(bootstrap_token_needs_an_active_enrollment) {
  AppleFixture f;
  auto mac = f.enroll_identity(52, "UDID-BST");
  auto http = f.device_client(&mac);
  BOOST_REQUIRE(f.checkin(http, f.authenticate(mac.udid)) == 200);
  // Before TokenUpdate: neither set nor get.
  BOOST_TEST(f.checkin(http, bootstrap(CheckinType::set_bootstrap_token, mac.udid, "EARLY")) ==
             400);
  BOOST_REQUIRE(f.checkin(http, f.token_update(mac.udid)) == 200);
  BOOST_TEST(f.checkin(http, bootstrap(CheckinType::set_bootstrap_token, mac.udid, "BST")) == 200);
  BOOST_TEST(read_bootstrap(f, http, mac.udid) == "BST");
  apple::Checkin out;
  out.type = CheckinType::check_out;
  out.udid = mac.udid;
  out.topic = "com.apple.mgmt.External.mdmlab";
  BOOST_REQUIRE(f.checkin(http, out) == 200);
  BOOST_TEST(read_bootstrap(f, http, mac.udid) == "HTTP 400");
  BOOST_TEST(f.checkin(http, bootstrap(CheckinType::set_bootstrap_token, mac.udid, "LATE")) == 400);
}

// Escrowed bootstrap tokens are sealed at rest (issue 13): the database holds ciphertext bound
// to the UDID, under DATA_DIR/escrow.key (0600). A sealed token moved to another device's row
// reads as no token there and is counted.
BOOST_AUTO_TEST_CASE(bootstrap_tokens_are_sealed_at_rest_and_bound_to_their_device) {
  AppleFixture f;
  auto mac = f.enroll_identity(53, "UDID-SEALED");
  auto other = f.enroll_identity(54, "UDID-OTHER");
  auto http = f.device_client(&mac);
  auto other_http = f.device_client(&other);
  enroll(f, http, mac.udid);
  enroll(f, other_http, other.udid);
  const std::string token = "PLAINTEXT-BOOTSTRAP-TOKEN";
  BOOST_REQUIRE(f.checkin(http, bootstrap(CheckinType::set_bootstrap_token, mac.udid, token)) ==
                200);
  BOOST_TEST(read_bootstrap(f, http, mac.udid) == token);

  auto stored = f.from_store(f.server->apple_store().find_enrollment(mac.udid)).value();
  const std::string at_rest = to_string(stored.bootstrap_token);
  BOOST_TEST(at_rest.find(token) == std::string::npos);
  BOOST_TEST(stored.bootstrap_token.size() == 1 + 12 + token.size() + 16);
  const auto key_file = std::filesystem::path(f.dir) / "escrow.key";
  BOOST_TEST(((std::filesystem::status(key_file).permissions() & std::filesystem::perms::all) ==
              (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write)));
  BOOST_TEST(files::read_secret_file(key_file).value().size() == 64);

  // The sealed value copied into the other device's row (as a database thief might) opens
  // nowhere but where it was sealed.
  BOOST_REQUIRE(f.from_store(
      f.server->apple_store().set_bootstrap_token(other.udid, stored.bootstrap_token)));
  BOOST_TEST(read_bootstrap(f, other_http, other.udid) == "");
  BOOST_TEST(read_bootstrap(f, http, mac.udid) == token);
  auto text = f.server->metrics().render();
  BOOST_TEST(text.find("mdmlab_bootstrap_token_unreadable_total 1") != std::string::npos, text);
}

BOOST_AUTO_TEST_CASE(device_identities_are_client_certificates_never_the_servers_own) {
  AppleFixture f;
  // The server's TLS certificate comes from the same CA but is no device.
  auto tls_cert = crypto::Certificate::from_pem(
                      files::read_text_file(std::filesystem::path(f.dir) / "tls.pem").value())
                      .value();
  auto tls_key = crypto::PrivateKey::from_pem(
                     files::read_text_file(std::filesystem::path(f.dir) / "tls.key").value())
                     .value();
  BOOST_TEST(mdm_signed_checkin(f, tls_cert, tls_key, f.authenticate("UDID-TLS")) == 401);
  // Nor is the CA itself.
  BOOST_TEST(mdm_signed_checkin(f, f.server->ca().certificate(), f.server->ca().key(),
                                f.authenticate("UDID-CA")) == 401);
  // A certificate from our CA for servers only (EKU serverAuth): refused.
  auto key = test_key_pool().get(53).value();
  auto name = crypto::make_x509_name({{"CN", "UDID-SERVERAUTH"}}).value();
  crypto::IssueOptions server_only;
  server_only.extended_key_usage = {crypto::ExtendedKeyUsage::server_auth};
  auto server_cert = f.server->ca().issue(key.get(), name.get(), server_only, f.clock->now());
  BOOST_TEST(mdm_signed_checkin(f, server_cert.value(), key, f.authenticate("UDID-SERVERAUTH")) ==
             401);
  // The same key with a clientAuth certificate is a device.
  auto client_cert = f.server->ca().issue(key.get(), name.get(), {}, f.clock->now());
  BOOST_TEST(mdm_signed_checkin(f, client_cert.value(), key, f.authenticate("UDID-SERVERAUTH")) ==
             200);
  for (const char* udid : {"UDID-TLS", "UDID-CA"})
    BOOST_TEST(!f.from_store(f.server->apple_store().find_enrollment(udid)).has_value(), udid);
}

// Strict (the default): a new certificate for a known UDID is taken on Authenticate only, and
// the old one stops working.
BOOST_AUTO_TEST_CASE(a_new_certificate_replaces_the_old_one_on_authenticate_only) {
  AppleFixture f;
  auto first = f.enroll_identity(54, "UDID-REENROLL");
  auto second = f.enroll_identity(55, "UDID-REENROLL");
  auto first_http = f.device_client(&first);
  auto second_http = f.device_client(&second);
  enroll(f, first_http, first.udid);
  BOOST_TEST(f.checkin(second_http, f.token_update(first.udid)) == 403);  // not on TokenUpdate
  BOOST_TEST(f.report(second_http, first.udid, CommandStatus::idle).status == 403);
  BOOST_TEST(f.report(first_http, first.udid, CommandStatus::idle).status == 200);
  enroll(f, second_http, first.udid);  // re-enrollment with the new certificate
  BOOST_TEST(f.report(second_http, first.udid, CommandStatus::idle).status == 200);
  BOOST_TEST(f.report(first_http, first.udid, CommandStatus::idle).status == 403);
  BOOST_TEST(f.checkin(first_http, f.token_update(first.udid)) == 403);
  auto text = f.server->metrics().render();
  BOOST_TEST(text.find("mdmlab_apple_cert_binding_violations_total{kind=\"not_current\","
                       "action=\"refused\"}") != std::string::npos,
             text);
}

BOOST_AUTO_TEST_CASE(allow_duplicate_lets_one_certificate_identify_two_enrollments) {
  for (bool allow : {false, true}) {
    server::apple::CertBindingPolicy policy;
    policy.allow_duplicate = allow;
    AppleFixture f(policy);
    auto mac = f.enroll_identity(56, "UDID-DUP-1");
    auto http = f.device_client(&mac);
    enroll(f, http, mac.udid);
    BOOST_TEST(f.checkin(http, f.authenticate("UDID-DUP-2")) == (allow ? 200 : 403));
    BOOST_TEST(f.checkin(http, f.token_update("UDID-DUP-2")) == (allow ? 200 : 403));
    BOOST_TEST(f.report(http, mac.udid, CommandStatus::idle).status == 200);
  }
}

BOOST_AUTO_TEST_CASE(allow_retroactive_binds_an_enrollment_without_a_certificate) {
  for (bool allow : {false, true}) {
    server::apple::CertBindingPolicy policy;
    policy.allow_retroactive = allow;
    AppleFixture f(policy);
    auto mac = f.enroll_identity(57, "UDID-RETRO");
    auto http = f.device_client(&mac);
    enroll(f, http, mac.udid);
    BOOST_TEST(f.admin("DELETE", "/admin/v1/apple/devices/UDID-RETRO/certificate") == 204);
    BOOST_TEST(f.report(http, mac.udid, CommandStatus::idle).status == (allow ? 200 : 401));
    auto bound = f.from_store(f.server->apple_store().enrollment_certificate(mac.udid));
    BOOST_TEST(bound.has_value() == allow);
    // Once bound, another certificate is still refused.
    if (allow) {
      auto other = f.enroll_identity(58, "UDID-RETRO");
      auto other_http = f.device_client(&other);
      BOOST_TEST(f.report(other_http, mac.udid, CommandStatus::idle).status == 403);
    }
  }
}

BOOST_AUTO_TEST_CASE(warn_only_lets_violations_through_and_counts_them) {
  server::apple::CertBindingPolicy policy;
  policy.warn_only = true;
  AppleFixture f(policy);
  auto mac = f.enroll_identity(59, "UDID-WARN-1");
  auto other = f.enroll_identity(60, "UDID-WARN-2");
  auto http = f.device_client(&mac);
  auto other_http = f.device_client(&other);
  enroll(f, http, mac.udid);
  enroll(f, other_http, other.udid);
  BOOST_TEST(f.checkin(http, f.token_update(other.udid)) == 200);
  auto text = f.server->metrics().render();
  BOOST_TEST(text.find("mdmlab_apple_cert_binding_violations_total{kind=\"another_device\","
                       "action=\"allowed\"} 1") != std::string::npos,
             text);
  // Purpose and provenance are never waived.
  auto anonymous = f.device_client(nullptr);
  BOOST_TEST(f.checkin(anonymous, f.authenticate("UDID-ANON")) == 401);
}

BOOST_AUTO_TEST_SUITE_END()
