#include <boost/test/unit_test.hpp>

#include "protocol/scep/issuer_and_subject.hpp"
#include "tests/server/scep_fixture.hpp"

using namespace mdmlab;
using namespace mdmlab::testing;
using mdmlab::scep::FailInfo;
using mdmlab::scep::PkiStatus;

BOOST_AUTO_TEST_SUITE(scep_server)

BOOST_AUTO_TEST_CASE(enroll_issues_a_certificate_that_chains_to_the_ca) {
  ScepServerFixture f;
  auto c = f.client();
  auto caps = f.run(c.get_ca_caps()).value();
  for (const char* cap : {"POSTPKIOperation", "AES", "SHA-256", "SCEPStandard", "Renewal"})
    BOOST_TEST(caps.has(cap), cap);
  auto r = f.enroll(c, f.request(0, "mac-0001"));
  BOOST_REQUIRE_MESSAGE(r.ok(), (r.ok() ? std::string() : r.error().message));
  BOOST_TEST((r->status == PkiStatus::success));
  BOOST_TEST(r->certificate.common_name() == "mac-0001");
  BOOST_TEST(
      crypto::verify_chain(r->certificate, {f.server->ca().certificate()}, {}, f.clock->now())
          .ok());
  BOOST_TEST(f.certificate_count() == 1);
  auto stored = f.from_store(f.server->scep_store().find_certificate(r->certificate.serial_hex()));
  BOOST_REQUIRE(stored.has_value());
  BOOST_TEST((stored->der == r->certificate.to_der()));
}

BOOST_AUTO_TEST_CASE(wrong_or_missing_challenge_fails_with_bad_request_and_stores_nothing) {
  ScepServerFixture f;
  auto c = f.client();
  auto wrong = f.enroll(c, f.request(1, "mac-wrong", "not-the-secret"));
  BOOST_REQUIRE(wrong.ok());
  BOOST_TEST((wrong->status == PkiStatus::failure));
  BOOST_TEST((wrong->fail_info == FailInfo::bad_request));
  auto missing = f.enroll(c, f.request(2, "mac-missing", ""));
  BOOST_REQUIRE(missing.ok());
  BOOST_TEST((missing->fail_info == FailInfo::bad_request));
  BOOST_TEST(f.certificate_count() == 0);
}

BOOST_AUTO_TEST_CASE(corrupted_signature_gets_a_signed_bad_message_check_with_our_nonces) {
  ScepServerFixture f;
  auto c = f.client();
  auto ca = f.run(c.get_ca_cert()).value();
  auto key = test_key_pool().get(3).value();
  auto csr = crypto::Csr::build(key, {{{"CN", "tampered"}}, f.challenge}).value();
  mdmlab::scep::RequestParams p;
  p.transaction_id = "TAMPERED-1";
  p.sender_nonce = Bytes(16, 0x5A);
  p.content = csr.to_der();
  p.recipients = {ca.recipient()};
  p.signer =
      crypto::make_self_signed(key, {{"CN", "tampered"}}, f.clock->now(), std::chrono::hours(1))
          .value();
  p.signer_key = key;
  auto der = mdmlab::scep::build_request(p).value();
  der[der.size() - 20] ^= 0x01;  // inside the RSA signature; the DER still parses
  BOOST_REQUIRE(mdmlab::scep::decode_pki_message(der).ok());
  auto res = f.run(c.send_pki_message(der)).value();
  BOOST_TEST(res.status == 200);
  BOOST_TEST(res.header("Content-Type") == "application/x-pki-message");
  auto rep = mdmlab::scep::decode_pki_message(to_bytes(res.body)).value();
  BOOST_TEST((rep.status == PkiStatus::failure));
  BOOST_TEST((rep.fail_info == FailInfo::bad_message_check));
  BOOST_TEST(rep.transaction_id == "TAMPERED-1");
  BOOST_TEST((rep.recipient_nonce.value() == Bytes(16, 0x5A)));
  BOOST_TEST(mdmlab::scep::verify_pki_message(rep, &f.server->ca().certificate()).ok());
  BOOST_TEST(f.certificate_count() == 0);
}

// An envelope for another recipient decrypts (implicit rejection: a random content key)
// into garbage or fails; either way the answer is a signed CertRep FAILURE badMessageCheck,
// and the same for every such request, so the reply carries no padding oracle.
BOOST_AUTO_TEST_CASE(envelope_for_another_key_gets_bad_message_check_never_a_5xx) {
  ScepServerFixture f;
  auto c = f.client();
  auto key = test_key_pool().get(5).value();
  auto stranger = crypto::make_self_signed(test_key_pool().get(6).value(), {{"CN", "not the CA"}},
                                           f.clock->now(), std::chrono::hours(1))
                      .value();
  auto csr = crypto::Csr::build(key, {{{"CN", "wrong-recipient"}}, f.challenge}).value();
  for (int i = 0; i < 8; ++i) {
    mdmlab::scep::RequestParams p;
    p.transaction_id = "WRONG-RECIPIENT-" + std::to_string(i);
    p.content = csr.to_der();
    p.recipients = {stranger};
    p.signer = crypto::make_self_signed(key, {{"CN", "wrong-recipient"}}, f.clock->now(),
                                        std::chrono::hours(1))
                   .value();
    p.signer_key = key;
    auto der = mdmlab::scep::build_request(p).value();
    auto res = f.run(c.send_pki_message(der)).value();
    BOOST_TEST(res.status == 200);
    auto rep = mdmlab::scep::decode_pki_message(to_bytes(res.body)).value();
    BOOST_TEST((rep.status == PkiStatus::failure));
    BOOST_TEST((rep.fail_info == FailInfo::bad_message_check));
    BOOST_TEST(mdmlab::scep::verify_pki_message(rep, &f.server->ca().certificate()).ok());
  }
  BOOST_TEST(f.certificate_count() == 0);
}

BOOST_AUTO_TEST_CASE(a_resent_request_gets_the_same_answer) {
  ScepServerFixture f;
  auto c = f.client();
  auto ca = f.run(c.get_ca_cert()).value();
  auto key = test_key_pool().get(4).value();
  auto csr = crypto::Csr::build(key, {{{"CN", "resend"}}, f.challenge}).value();
  mdmlab::scep::RequestParams p;
  p.transaction_id = mdmlab::scep::transaction_id_for(key.get());
  p.content = csr.to_der();
  p.recipients = {ca.recipient()};
  p.signer =
      crypto::make_self_signed(key, {{"CN", "resend"}}, f.clock->now(), std::chrono::hours(1))
          .value();
  p.signer_key = key;
  std::vector<std::string> serials;
  for (int i = 0; i < 2; ++i) {
    auto der = mdmlab::scep::build_request(p).value();  // fresh senderNonce each time
    auto res = f.run(c.send_pki_message(der)).value();
    auto rep = mdmlab::scep::decode_pki_message(to_bytes(res.body)).value();
    BOOST_REQUIRE((rep.status == PkiStatus::success));
    auto certs =
        crypto::parse_degenerate_pkcs7(mdmlab::scep::open_envelope(rep, key).value()).value();
    serials.push_back(certs.at(0).serial_hex());
  }
  BOOST_TEST(serials[0] == serials[1]);
  BOOST_TEST(f.certificate_count() == 1);
}

BOOST_AUTO_TEST_CASE(renewal_with_our_valid_certificate_succeeds_foreign_or_expired_fails) {
  ScepServerFixture f(
      [](server::ReferenceServerConfig& cfg) { cfg.scep.issue.validity = std::chrono::hours(24); });
  auto c = f.client();
  auto first = f.enroll(c, f.request(5, "renew-me")).value();
  BOOST_REQUIRE((first.status == PkiStatus::success));

  // Renew with a new key, signed by the current certificate.
  auto renew = f.request(6, "renew-me", "");
  renew.renew_with = first.certificate;
  renew.renew_key = test_key_pool().get(5).value();
  auto renewed = f.enroll(c, renew);
  BOOST_REQUIRE(renewed.ok());
  BOOST_TEST((renewed->status == PkiStatus::success));
  BOOST_TEST(renewed->certificate.serial_hex() != first.certificate.serial_hex());

  // A certificate from another CA cannot renew.
  auto foreign_ca = crypto::CertificateAuthority::create_root(
                        test_key(3), {{"CN", "other CA"}}, f.clock->now(), std::chrono::hours(48))
                        .value();
  auto foreign = foreign_ca
                     .issue(first.certificate.public_key(),
                            X509_get_subject_name(first.certificate.get()), {}, f.clock->now())
                     .value();
  auto forged = f.request(7, "renew-me", "");
  forged.renew_with = foreign;
  forged.renew_key = test_key_pool().get(5).value();
  auto refused = f.enroll(c, forged).value();
  BOOST_TEST((refused.status == PkiStatus::failure));

  // Our own certificate, but expired (the server's clock moves two days on).
  f.clock->advance(std::chrono::hours(48));
  auto late = f.request(8, "renew-me", "");
  late.renew_with = renewed->certificate;
  late.renew_key = test_key_pool().get(6).value();
  auto expired = f.enroll(c, late).value();
  BOOST_TEST((expired.status == PkiStatus::failure));
  BOOST_TEST(f.certificate_count() == 2);
}

BOOST_AUTO_TEST_CASE(manual_approval_pending_then_approved_or_rejected) {
  ScepServerFixture f([](server::ReferenceServerConfig& cfg) { cfg.scep.manual_approval = true; });
  auto c = f.client();
  auto req = f.request(9, "needs-approval");
  auto pending = f.enroll(c, req).value();
  BOOST_TEST((pending.status == PkiStatus::pending));
  auto again = f.run(c.poll(pending, req.key, req.subject)).value();
  BOOST_TEST((again.status == PkiStatus::pending));
  BOOST_TEST(f.certificate_count() == 0);

  auto id = net::percent_encode(pending.transaction_id);
  BOOST_TEST(f.admin("GET", "/admin/v1/scep/transactions?status=pending", "wrong-token") == 401);
  BOOST_TEST(f.admin("POST", "/admin/v1/scep/transactions/" + id + "/approve", "wrong-token") ==
             401);
  BOOST_TEST(f.admin("GET", "/admin/v1/scep/transactions?status=pending") == 200);
  BOOST_TEST(f.admin("POST", "/admin/v1/scep/transactions/" + id + "/approve") == 200);
  BOOST_TEST(f.admin("POST", "/admin/v1/scep/transactions/" + id + "/approve") == 409);
  auto done = f.run(c.poll(pending, req.key, req.subject)).value();
  BOOST_TEST((done.status == PkiStatus::success));
  BOOST_TEST(done.certificate.common_name() == "needs-approval");

  auto req2 = f.request(10, "to-reject");
  auto pending2 = f.enroll(c, req2).value();
  BOOST_TEST(f.admin("POST", "/admin/v1/scep/transactions/" +
                                 net::percent_encode(pending2.transaction_id) + "/reject") == 200);
  auto rejected = f.run(c.poll(pending2, req2.key, req2.subject)).value();
  BOOST_TEST((rejected.status == PkiStatus::failure));
  BOOST_TEST(f.admin("POST", "/admin/v1/scep/transactions/unknown-id/approve") == 404);

  // CertPoll for a transaction the server never saw.
  auto ghost = pending2;
  ghost.transaction_id = "NEVER-SEEN";
  auto unknown = f.run(c.poll(ghost, req2.key, req2.subject)).value();
  BOOST_TEST((unknown.status == PkiStatus::failure));
  BOOST_TEST((unknown.fail_info == FailInfo::bad_cert_id));
  BOOST_TEST(f.certificate_count() == 1);
}

BOOST_AUTO_TEST_CASE(polling_client_waits_until_approval) {
  ScepServerFixture f([](server::ReferenceServerConfig& cfg) { cfg.scep.manual_approval = true; });
  simulators::scep::ScepClientOptions o;
  o.max_polls = 50;
  o.poll_interval = std::chrono::milliseconds(50);
  auto c = f.client(o);
  auto req = f.request(11, "poller");
  auto fut = boost::asio::co_spawn(f.io.executor(), c.enroll(req), boost::asio::use_future);
  std::vector<server::store::ScepTransaction> list;
  for (int i = 0; i < 100 && list.empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    list = f.from_store(
        f.server->scep_store().list_transactions(server::store::ScepTransactionStatus::pending));
  }
  BOOST_REQUIRE(list.size() == 1u);
  BOOST_TEST(f.run(f.server->scep_authority().approve(list[0].transaction_id)).value());
  auto r = fut.get().value();
  BOOST_TEST((r.status == PkiStatus::success));
  BOOST_TEST(r.polls >= 1);
}

BOOST_AUTO_TEST_CASE(ra_form_encrypts_to_the_ra_which_the_ca_key_cannot_open) {
  ScepServerFixture f([](server::ReferenceServerConfig& cfg) { cfg.scep_ra = true; });
  auto c = f.client();
  auto ca = f.run(c.get_ca_cert()).value();
  BOOST_REQUIRE(ca.ra.has_value());
  BOOST_TEST(ca.all.size() == 2u);
  BOOST_TEST(ca.ca == f.server->ca().certificate());
  auto r = f.enroll(c, f.request(12, "via-ra")).value();
  BOOST_TEST((r.status == PkiStatus::success));
  BOOST_TEST(crypto::verify_chain(r.certificate, {ca.ca}, {}, f.clock->now()).ok());

  auto key = test_key_pool().get(13).value();
  auto env = crypto::cms_envelope(crypto::Csr::build(key, {{{"CN", "x"}}, ""}).value().to_der(),
                                  {*ca.ra}, EVP_aes_128_cbc())
                 .value();
  auto wrong = crypto::cms_decrypt(env, f.server->ca().key());  // implicit rejection: garbage
  BOOST_TEST(
      (!wrong.ok() || *wrong != crypto::Csr::build(key, {{{"CN", "x"}}, ""}).value().to_der()));
}

BOOST_AUTO_TEST_CASE(legacy_algorithms_are_answered_in_kind_or_refused_with_bad_alg) {
  {
    ScepServerFixture f;
    simulators::scep::ScepClientOptions o;
    o.cipher = "DES-CBC";
    o.digest = "SHA1";
    o.force_get = true;
    auto c = f.client(o);
    auto r = f.enroll(c, f.request(14, "old-client"));
    BOOST_REQUIRE_MESSAGE(r.ok(), (r.ok() ? std::string() : r.error().message));
    BOOST_TEST((r->status == PkiStatus::success));
  }
  ScepServerFixture strict(
      [](server::ReferenceServerConfig& cfg) { cfg.scep.allow_legacy_algorithms = false; });
  auto caps = strict.run(strict.client().get_ca_caps()).value();
  BOOST_TEST(!caps.has("DES3"));
  simulators::scep::ScepClientOptions o;
  o.cipher = "DES-EDE3-CBC";
  auto c = strict.client(o);
  auto r = strict.enroll(c, strict.request(15, "refused-3des")).value();
  BOOST_TEST((r.status == PkiStatus::failure));
  BOOST_TEST((r.fail_info == FailInfo::bad_alg));
  o.cipher = "";
  o.digest = "SHA1";
  auto c2 = strict.client(o);
  auto r2 = strict.enroll(c2, strict.request(16, "refused-sha1")).value();
  BOOST_TEST((r2.fail_info == FailInfo::bad_alg));
  BOOST_TEST(strict.certificate_count() == 0);
}

BOOST_AUTO_TEST_CASE(scep_over_https_with_the_server_certificate_from_our_ca) {
  ScepServerFixture f([](server::ReferenceServerConfig& cfg) { cfg.https_port = 0; });
  BOOST_REQUIRE(f.server->https_url().rfind("https://127.0.0.1:", 0) == 0);
  simulators::scep::ScepClientOptions o;
  o.http.tls = net::TlsClientConfig{};
  o.http.tls->trusted_roots = {f.server->ca().certificate()};
  simulators::scep::ScepClient c(f.io.executor(), f.server->https_url() + "/scep", o);
  auto r = f.enroll(c, f.request(17, "over-https"));
  BOOST_REQUIRE_MESSAGE(r.ok(), (r.ok() ? std::string() : r.error().message));
  BOOST_TEST((r->status == PkiStatus::success));

  // A client that does not trust our CA refuses the connection.
  simulators::scep::ScepClientOptions untrusting;
  untrusting.http.tls = net::TlsClientConfig{};
  untrusting.http.tls->trusted_roots = {r->certificate};
  simulators::scep::ScepClient c2(f.io.executor(), f.server->https_url() + "/scep", untrusting);
  auto refused = f.run(c2.get_ca_caps());
  BOOST_TEST(!refused.ok());
}

BOOST_AUTO_TEST_SUITE_END()
