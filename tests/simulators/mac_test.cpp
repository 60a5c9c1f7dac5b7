// Simulated Macs enrolling from the reference server's real enrollment profile and answering
// commands over real sockets.
#include <boost/test/unit_test.hpp>

#include "crypto/ca.hpp"
#include "protocol/apple/machine_info.hpp"
#include "protocol/apple/profile_service.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_future.hpp>

#include <nlohmann/json.hpp>

#include "protocol/apple/profile.hpp"
#include "simulators/devices/mac/mac_catalog.hpp"
#include "simulators/devices/mac/simulated_mac.hpp"
#include "simulators/services/apns/apns_simulator.hpp"

#include <thread>
#include "tests/server/scep_fixture.hpp"
#include "tests/support/scepserver.hpp"

using namespace mdmlab;
using namespace mdmlab::testing;
using nlohmann::json;
using simulators::mac::MacIdentity;
using simulators::mac::MacState;
using simulators::mac::SimulatedMac;

namespace {
MacIdentity identity(const std::string& udid) {
  MacIdentity id;
  id.udid = udid;
  id.serial_number = "SN" + udid.substr(udid.size() - 6);
  return id;
}

std::string enqueue(ScepServerFixture& f, const std::vector<std::string>& udids, json command) {
  net::HttpClient http(f.io.executor(), f.server->http_url());
  net::HttpRequest req;
  req.method = "POST";
  req.target = "/admin/v1/apple/commands";
  req.headers = {{"Authorization", "Bearer " + f.admin_token},
                 {"Content-Type", "application/json"}};
  req.body = json{{"udids", udids}, {"command", command}}.dump();
  auto res = f.run(http.send(req)).value();
  BOOST_REQUIRE_MESSAGE(res.status == 201, res.body);
  return json::parse(res.body)["command_uuid"].get<std::string>();
}

std::string result_status(ScepServerFixture& f, const std::string& uuid,
                          std::string* result = nullptr) {
  auto results = f.from_store(f.server->apple_store().command_results(uuid));
  if (results.empty()) return "none";
  if (result) *result = results[0].result_plist;
  return results[0].status;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(simulated_mac)

BOOST_AUTO_TEST_CASE(enrolls_from_the_signed_profile_over_mtls_and_answers_commands) {
  ScepServerFixture f([](server::ReferenceServerConfig& cfg) { cfg.https_port = 0; });
  // The profile the server hands out is CMS-signed and names HTTPS for the command loop.
  net::HttpClient http(f.io.executor(), f.server->http_url());
  auto raw = f.run(http.get("/mdm/apple/enroll")).value();
  BOOST_TEST(raw.header("Content-Type") == "application/x-apple-aspen-config");
  auto profile = apple::decode_profile(raw.body).value();
  BOOST_TEST(profile.signed_by_cms);
  BOOST_TEST(profile.mdm->server_url.rfind("https://", 0) == 0u);
  BOOST_TEST(!profile.mdm->sign_message);
  BOOST_TEST(profile.mdm->identity_certificate_uuid == profile.scep->uuid);

  SimulatedMac mac(f.io.executor(), identity("0000FE00-AAAA00000001"),
                   test_key_pool().get(50).value());
  auto enrolled = f.run(mac.enroll_from_url(f.server->enrollment_profile_url()));
  BOOST_REQUIRE_MESSAGE(enrolled.ok(), mac.last_error());
  BOOST_TEST((mac.state() == MacState::enrolled));
  auto e = f.from_store(f.server->apple_store().find_enrollment(mac.identity().udid)).value();
  BOOST_TEST(e.enabled);
  BOOST_TEST(e.serial_number == mac.identity().serial_number);
  BOOST_TEST((e.push_token == mac.push_token()));

  auto info =
      enqueue(f, {mac.identity().udid},
              {{"RequestType", "DeviceInformation"}, {"Queries", {"OSVersion", "SerialNumber"}}});
  auto list = enqueue(f, {mac.identity().udid}, {{"RequestType", "ProfileList"}});
  auto bogus = enqueue(f, {mac.identity().udid}, {{"RequestType", "NoSuchCommand"}});
  auto handled = f.run(mac.poll());
  BOOST_REQUIRE(handled.ok());
  BOOST_TEST(*handled == 3);
  std::string result;
  BOOST_TEST(result_status(f, info, &result) == "Acknowledged");
  BOOST_TEST(result.find("<key>OSVersion</key>") != std::string::npos);
  BOOST_TEST(result.find(mac.identity().serial_number) != std::string::npos);
  BOOST_TEST(result_status(f, list, &result) == "Acknowledged");
  BOOST_TEST(result.find("com.mdmlab.enrollment") != std::string::npos);
  BOOST_TEST(result_status(f, bogus, &result) == "Error");
  BOOST_TEST(result.find("12021") != std::string::npos);

  BOOST_TEST(f.run(mac.check_out()).ok());
  BOOST_TEST(!f.from_store(f.server->apple_store().find_enrollment(mac.identity().udid))->enabled);
}

BOOST_AUTO_TEST_CASE(sign_message_profile_uses_mdm_signature_and_knobs_apply) {
  ScepServerFixture f;  // no HTTPS listener: the profile says SignMessage
  SimulatedMac mac(f.io.executor(), identity("0000FE00-BBBB00000002"),
                   test_key_pool().get(51).value());
  mac.knobs().not_now_polls = 2;
  mac.knobs().error_for = {"SecurityInfo"};
  auto enrolled = f.run(mac.enroll_from_url(f.server->enrollment_profile_url() + "?signed=0"));
  BOOST_REQUIRE_MESSAGE(enrolled.ok(), mac.last_error());
  BOOST_TEST(mac.enrollment_profile()->mdm->sign_message);
  BOOST_TEST(!mac.enrollment_profile()->signed_by_cms);

  auto info = enqueue(f, {mac.identity().udid}, {{"RequestType", "DeviceInformation"}});
  BOOST_TEST(f.run(mac.poll()).value() == 1);  // NotNow #1
  BOOST_TEST(result_status(f, info) == "NotNow");
  BOOST_TEST(f.run(mac.poll()).value() == 1);  // NotNow #2
  BOOST_TEST(f.run(mac.poll()).value() == 1);  // offered again after Idle: answered
  BOOST_TEST(result_status(f, info) == "Acknowledged");
  BOOST_TEST(f.from_store(f.server->apple_store().command_results(info)).at(0).not_now_count == 2);

  auto sec = enqueue(f, {mac.identity().udid}, {{"RequestType", "SecurityInfo"}});
  BOOST_TEST(f.run(mac.poll()).value() == 1);
  BOOST_TEST(result_status(f, sec) == "Error");

  // InstallProfile / RemoveProfile change the Mac's profile list.
  apple::Profile extra;
  extra.identifier = "com.example.wifi";
  extra.uuid = "11111111-2222-4333-8444-555555555555";
  extra.display_name = "Wi-Fi";
  auto xml = apple::encode_profile(extra).value();
  auto install = enqueue(
      f, {mac.identity().udid},
      {{"RequestType", "InstallProfile"}, {"Payload", {{"$data", base64_encode(to_bytes(xml))}}}});
  BOOST_TEST(f.run(mac.poll()).value() == 1);
  BOOST_TEST(result_status(f, install) == "Acknowledged");
  BOOST_TEST(mac.responder().profiles().size() == 2u);
  auto remove = enqueue(f, {mac.identity().udid},
                        {{"RequestType", "RemoveProfile"}, {"Identifier", "com.example.wifi"}});
  BOOST_TEST(f.run(mac.poll()).value() == 1);
  BOOST_TEST(result_status(f, remove) == "Acknowledged");
  BOOST_TEST(mac.responder().profiles().size() == 1u);
}

BOOST_AUTO_TEST_CASE(wrong_challenge_in_profile_fails_cleanly) {
  ScepServerFixture f;
  auto raw =
      f.run(
           net::HttpClient(f.io.executor(), f.server->http_url()).get("/mdm/apple/enroll?signed=0"))
          .value();
  auto pos = raw.body.find(f.challenge);
  BOOST_REQUIRE(pos != std::string::npos);
  auto tampered = raw.body;
  tampered.replace(pos, f.challenge.size(), "not-the-challenge");
  SimulatedMac mac(f.io.executor(), identity("0000FE00-CCCC00000003"),
                   test_key_pool().get(52).value());
  auto r = f.run(mac.enroll(tampered));
  BOOST_TEST(!r.ok());
  BOOST_TEST((mac.state() == MacState::failed));
  BOOST_TEST(mac.last_error().find("FAILURE") != std::string::npos, mac.last_error());
  BOOST_TEST(
      !f.from_store(f.server->apple_store().find_enrollment(mac.identity().udid)).has_value());
}

// A hand-built, CMS-signed profile whose SCEP payload points at micromdm's scepserver (another
// CA), with no CheckInURL and our CA as root payload: the Mac gets its identity there and
// uses it for mTLS at our server, which trusts that CA as an identity CA.
BOOST_AUTO_TEST_CASE(enrolls_with_an_identity_from_micromdm_scepserver) {
  // A missing peer is a failed test, not a silent pass (scripts/setup.sh installs it).
  BOOST_REQUIRE_MESSAGE(have_program("scepserver"), "scepserver missing (Debian package scep)");
  auto d = make_temp_dir("mdmlab-extscep-");
  ScepServerProcess scepserver(d, "their-secret");
  auto their_ca = crypto::Certificate::from_pem(read_file(scepserver.ca_pem_path())).value();

  ScepServerFixture f([&](server::ReferenceServerConfig& cfg) {
    cfg.https_port = 0;
    cfg.extra_identity_cas = {their_ca};
  });
  apple::Profile p;
  p.identifier = "com.example.mdm";
  p.uuid = "6B1C0B5E-1B58-4C37-9E5D-2D7C7B1D0F01";
  p.display_name = "Example MDM";
  apple::ScepPayload scep;
  scep.uuid = "0E4D7F8A-6C4B-4E5E-9A2B-1C3D5E7F9A0B";
  scep.identifier = "com.example.mdm.scep";
  scep.url = scepserver.url();
  scep.challenge = "their-secret";
  scep.subject = {{"CN", "0000FE00-EEEE00000005"}, {"O", "Example"}};
  scep.key_size = 2048;  // absent, Apple's default is 1024, which OpenSSL's TLS refuses
  p.scep = scep;
  apple::MdmPayload mdm;
  mdm.uuid = "9A8B7C6D-5E4F-4A3B-8C2D-1E0F9A8B7C6D";
  mdm.identifier = "com.example.mdm.mdm";
  mdm.server_url =
      f.server->https_url() + "/mdm/apple/mdm";  // no CheckInURL: check-ins go here too
  mdm.topic = "com.apple.mgmt.External.example";
  mdm.identity_certificate_uuid = scep.uuid;
  p.mdm = mdm;
  p.roots.push_back({"1F2E3D4C-5B6A-4978-8695-A4B3C2D1E0F9", "com.example.mdm.root",
                     f.server->ca().certificate()});
  auto xml = apple::encode_profile(p).value();
  auto signer_key = crypto::PrivateKey::generate_ec_p256().value();
  auto signer = crypto::make_self_signed(signer_key, {{"CN", "Example profile signer"}},
                                         f.clock->now(), std::chrono::hours(24))
                    .value();
  auto signed_profile = apple::sign_profile(xml, signer, signer_key).value();

  SimulatedMac mac(f.io.executor(), identity("0000FE00-EEEE00000005"),
                   test_key_pool().get(54).value());
  // scepserver's certificates start at the second they are issued (no backdating); the
  // fixture's virtual clock was set before that.
  f.clock->advance(std::chrono::minutes(1));
  auto enrolled = f.run(mac.enroll(to_string(signed_profile)));
  BOOST_REQUIRE_MESSAGE(enrolled.ok(), mac.last_error() + "\n" + scepserver.log());
  BOOST_TEST(mac.enrollment_profile()->signed_by_cms);
  BOOST_TEST(mac.enrollment_profile()->mdm->checkin_url.empty());
  BOOST_TEST(mac.identity_certificate().issuer() == their_ca.subject());  // the identity is theirs
  auto info = enqueue(f, {mac.identity().udid}, {{"RequestType", "DeviceInformation"}});
  BOOST_TEST(f.run(mac.poll()).value() == 1);
  BOOST_TEST(result_status(f, info) == "Acknowledged");
  std::filesystem::remove_all(d);
}

BOOST_AUTO_TEST_CASE(pushes_wake_the_mac_and_a_410_stops_them) {
  net::IoRuntime apns_io(1);
  simulators::apns::ApnsSimulator sim(apns_io, {});
  BOOST_REQUIRE(sim.start().ok());
  const std::string topic = "com.apple.mgmt.External.e2e-push";
  auto push_key = crypto::PrivateKey::generate_ec_p256().value();
  auto push_id = sim.issue_push_identity(topic, push_key).value();
  ScepServerFixture f([&](server::ReferenceServerConfig& cfg) {
    cfg.https_port = 0;
    server::apple::ApnsClientConfig a;
    a.url = sim.push_url();
    a.certificate = push_id.certificate;
    a.key = push_key;
    a.trusted_roots = {sim.ca().certificate()};
    a.backoff = std::chrono::milliseconds(10);
    cfg.apns = a;
  });
  simulators::mac::MacKnobs knobs;
  knobs.apns_url = sim.control_url();
  SimulatedMac mac(f.io.executor(), identity("0000FE00-DDDD00000004"),
                   test_key_pool().get(53).value(), knobs);
  auto enrolled = f.run(mac.enroll_from_url(f.server->enrollment_profile_url()));
  BOOST_REQUIRE_MESSAGE(enrolled.ok(), mac.last_error());
  BOOST_TEST(mac.enrollment_profile()->mdm->topic == topic);  // the push certificate's topic
  BOOST_TEST(mac.online());

  auto wait_for = [&](auto predicate) {
    for (int i = 0; i < 200 && !predicate(); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    return predicate();
  };
  // No explicit poll: the enqueue pushes, the push wakes the Mac, the Mac answers.
  auto info = enqueue(f, {mac.identity().udid}, {{"RequestType", "DeviceInformation"}});
  BOOST_TEST(wait_for([&] { return result_status(f, info) == "Acknowledged"; }));
  BOOST_TEST(mac.push_counts().received >= 1);
  BOOST_TEST(wait_for([&] {  // recorded once APNs' answer is back, maybe after the Mac answered
    return f.from_store(f.server->apple_store().find_enrollment(mac.identity().udid))
               ->push_status == "ok";
  }));

  // APNs says the token is gone: the server marks it invalid and stops pushing to it.
  sim.state().unregister(hex_encode(mac.push_token()));
  enqueue(f, {mac.identity().udid}, {{"RequestType", "ProfileList"}});
  BOOST_TEST(wait_for([&] {
    return f.from_store(f.server->apple_store().find_enrollment(mac.identity().udid))
               ->push_status == "invalid";
  }));
  auto before = sim.state().deliveries(hex_encode(mac.push_token())).size();
  enqueue(f, {mac.identity().udid}, {{"RequestType", "SecurityInfo"}});
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  BOOST_TEST(sim.state().deliveries(hex_encode(mac.push_token())).size() == before);
  auto metrics = f.server->metrics().render();
  BOOST_TEST(metrics.find("mdmlab_apns_pushes_total{outcome=\"invalid\"") != std::string::npos);
  BOOST_TEST(metrics.find("mdmlab_apns_pushes_total{outcome=\"skipped\"") != std::string::npos);
  f.run(mac.shutdown());
  sim.stop();
}

// The SCEP payload's Subject carries payload variables, as profiles written for macOS do: the
// Mac sends them expanded (the issued certificate names its hardware UUID and serial number),
// and a variable macOS does not know is sent as written.
BOOST_AUTO_TEST_CASE(the_scep_subject_is_sent_with_its_variables_expanded) {
  ScepServerFixture f([](server::ReferenceServerConfig& cfg) { cfg.https_port = 0; });
  net::HttpClient http(f.io.executor(), f.server->http_url());
  auto raw = f.run(http.get("/mdm/apple/enroll")).value();
  auto profile = apple::decode_profile(raw.body).value();
  profile.scep->subject = {
      {"CN", "%HardwareUUID%"}, {"O", "mdmlab %SerialNumber%"}, {"OU", "%NotAVariable%"}};
  auto xml = apple::encode_profile(profile).value();
  auto id = simulators::mac::realistic_identity(to_bytes("subject-variables"), "Mac14,2", "14.5");
  SimulatedMac mac(f.io.executor(), id, test_key_pool().get(57).value());
  auto enrolled = f.run(mac.enroll(xml));
  BOOST_REQUIRE_MESSAGE(enrolled.ok(), mac.last_error());
  const auto subject = mac.identity_certificate().subject();
  BOOST_TEST(subject.find("CN=" + id.hardware_uuid) != std::string::npos, subject);
  BOOST_TEST(subject.find("O=mdmlab " + id.serial_number) != std::string::npos, subject);
  BOOST_TEST(subject.find("OU=%NotAVariable%") != std::string::npos, subject);
  BOOST_TEST(subject.find("%HardwareUUID%") == std::string::npos, subject);
}

// CAFingerprint pins the CA the SCEP server must show: its SHA-1 (or SHA-256) lets the install
// go on; any other fails it, naming the payload, before a request is sent.
BOOST_AUTO_TEST_CASE(a_scep_ca_fingerprint_is_verified_against_get_ca_cert) {
  ScepServerFixture f([](server::ReferenceServerConfig& cfg) { cfg.https_port = 0; });
  net::HttpClient http(f.io.executor(), f.server->http_url());
  auto raw = f.run(http.get("/mdm/apple/enroll")).value();
  auto profile = apple::decode_profile(raw.body).value();
  auto with_fingerprint = [&](const std::string& hex) {
    Bytes fp;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
      fp.push_back(static_cast<std::uint8_t>(std::stoi(hex.substr(i, 2), nullptr, 16)));
    auto p = profile;
    p.scep->ca_fingerprint = fp;
    return apple::encode_profile(p).value();
  };
  const auto sha1 = f.server->ca().certificate().sha1_hex();
  auto good = with_fingerprint(sha1);
  BOOST_TEST(apple::decode_profile(good).value().scep->ca_fingerprint.size() == 20u);
  SimulatedMac pinned(f.io.executor(), identity("0000FE00-FFFF00000006"),
                      test_key_pool().get(58).value());
  auto enrolled = f.run(pinned.enroll(good));
  BOOST_TEST(enrolled.ok(), pinned.last_error());

  std::string wrong = sha1;
  wrong[0] = wrong[0] == '0' ? '1' : '0';
  SimulatedMac refused(f.io.executor(), identity("0000FE00-FFFF00000007"),
                       test_key_pool().get(59).value());
  auto failed = f.run(refused.enroll(with_fingerprint(wrong)));
  BOOST_TEST(!failed.ok());
  BOOST_TEST(refused.last_error().find("CAFingerprint: does not match") != std::string::npos,
             refused.last_error());
  BOOST_REQUIRE(refused.install_failure().has_value());
  BOOST_TEST(refused.install_failure()->payload_type == "com.apple.security.scep");
  BOOST_TEST(refused.install_failure()->key == "CAFingerprint");
  BOOST_TEST((refused.state() == MacState::failed));
}

// PENDING (a SCEP server waiting for an administrator): the Mac polls with CertPoll up to the
// payload's Retries, RetryDelay apart, and gets its certificate once the request is approved;
// with Retries 0 it gives up at the first PENDING, naming the payload.
BOOST_AUTO_TEST_CASE(a_pending_scep_request_is_polled_per_retries_until_approved) {
  ScepServerFixture f([](server::ReferenceServerConfig& cfg) {
    cfg.https_port = 0;
    cfg.scep.manual_approval = true;
  });
  net::HttpClient http(f.io.executor(), f.server->http_url());
  auto profile = apple::decode_profile(f.run(http.get("/mdm/apple/enroll")).value().body).value();
  profile.scep->retries = 5;
  profile.scep->retry_delay = 1;
  const auto patient = apple::encode_profile(profile).value();
  profile.scep->retries = 0;
  const auto impatient = apple::encode_profile(profile).value();

  SimulatedMac quitter(f.io.executor(), identity("0000FE00-AAAA00000010"),
                       test_key_pool().get(60).value());
  auto gave_up = f.run(quitter.enroll(impatient));
  BOOST_REQUIRE(!gave_up.ok());
  BOOST_TEST(quitter.scep_status() == "PENDING");
  BOOST_REQUIRE(quitter.install_failure().has_value());
  BOOST_TEST(quitter.install_failure()->payload_type == "com.apple.security.scep");

  SimulatedMac mac(f.io.executor(), identity("0000FE00-AAAA00000011"),
                   test_key_pool().get(61).value());
  auto enrolling =
      boost::asio::co_spawn(f.io.executor(), mac.enroll(patient), boost::asio::use_future);
  // The Mac's own request, found by its key.
  const auto fingerprint = crypto::public_key_fingerprint(test_key_pool().get(61).value().get());
  std::string pending_id;
  for (int i = 0; i < 200 && pending_id.empty(); ++i) {
    for (const auto& t : f.from_store(f.server->scep_store().list_transactions(
             server::store::ScepTransactionStatus::pending)))
      if (t.key_fingerprint == fingerprint) pending_id = t.transaction_id;
    if (pending_id.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  BOOST_REQUIRE(!pending_id.empty());
  BOOST_TEST(f.admin("POST", "/admin/v1/scep/transactions/" + pending_id + "/approve") == 200);
  auto enrolled = enrolling.get();
  BOOST_REQUIRE_MESSAGE(enrolled.ok(), mac.last_error());
  BOOST_TEST(!mac.identity_certificate().empty());
  BOOST_TEST((mac.state() == MacState::enrolled));
}

BOOST_AUTO_TEST_CASE(enrolls_over_the_air_through_a_throwaway_identity) {
  ScepServerFixture f;
  SimulatedMac mac(f.io.executor(), identity("0000FE00-07A000000001"),
                   test_key_pool().get(63).value());
  auto enrolled = f.run(mac.enroll_ota(f.server->ota_profile_url()));
  BOOST_REQUIRE_MESSAGE(enrolled.ok(), mac.last_error());
  BOOST_TEST((mac.state() == MacState::enrolled));
  // Two certificates: the throw-away identity (phase 2) and the MDM identity.
  BOOST_TEST(f.certificate_count() == 2);
  BOOST_TEST(mac.identity_certificate().subject().find("OTA") == std::string::npos);
  auto e = f.from_store(f.server->apple_store().find_enrollment(mac.identity().udid));
  BOOST_REQUIRE(e.has_value());
  BOOST_TEST(e->enabled);

  // By hand: attributes signed by a certificate we did not issue get phase 2's SCEP-only
  // profile; a wrong CHALLENGE 403; another Content-Type 415.
  net::HttpClient http(f.io.executor(), f.server->http_url());
  auto service = apple::decode_profile_service(f.run(http.get("/mdm/apple/ota"))->body).value();
  auto key = test_key_pool().get(64).value();
  auto cert =
      crypto::make_self_signed(key, {{"CN", "stranger"}}, f.clock->now(), std::chrono::hours(1))
          .value();
  apple::MachineInfo info{"0000FE00-07A000000002", "SNOTA0002", "Mac14,2", "14.5", "en-US", "", "",
                          service.challenge};
  auto body = mdmlab::to_string(apple::encode_machine_info(info, cert, key).value());
  auto phase2 =
      f.run(http.post("/api/latest/fleet/ota_enrollment", body, "application/pkcs7-signature"));
  BOOST_REQUIRE(phase2->status == 200);
  auto identity_profile = apple::decode_profile(phase2->body).value();
  BOOST_TEST(identity_profile.scep.has_value());
  BOOST_TEST(!identity_profile.mdm.has_value());
  // The same request again (captured and replayed): its challenge was used.
  auto replayed =
      f.run(http.post("/api/latest/fleet/ota_enrollment", body, "application/pkcs7-signature"));
  BOOST_TEST(replayed->status == 403);
  BOOST_TEST(replayed->body.find("used already") != std::string::npos);
  // The Mac's MDM identity is ours too, but not the throw-away one for this UDID: phase 2
  // (with a challenge of a profile downloaded again: each is good for one phase 2).
  auto again = apple::decode_profile_service(f.run(http.get("/mdm/apple/ota"))->body).value();
  BOOST_TEST(again.challenge != service.challenge);
  apple::MachineInfo own{
      mac.identity().udid, mac.identity().serial_number, "Mac14,2", "14.5", "en-US", "", "",
      again.challenge};
  auto by_mdm_identity = mdmlab::to_string(
      apple::encode_machine_info(own, mac.identity_certificate(), mac.identity_key()).value());
  auto not_phase3 = f.run(http.post("/api/latest/fleet/ota_enrollment", by_mdm_identity,
                                    "application/pkcs7-signature"));
  BOOST_REQUIRE(not_phase3->status == 200);
  BOOST_TEST(!apple::decode_profile(not_phase3->body).value().mdm.has_value());
  info.challenge = "wrong";
  auto wrong = mdmlab::to_string(apple::encode_machine_info(info, cert, key).value());
  BOOST_TEST(
      f.run(http.post("/api/latest/fleet/ota_enrollment", wrong, "application/pkcs7-signature"))
          ->status == 403);
  BOOST_TEST(
      f.run(http.post("/api/latest/fleet/ota_enrollment", body, "application/xml"))->status == 415);
}

BOOST_AUTO_TEST_SUITE_END()
