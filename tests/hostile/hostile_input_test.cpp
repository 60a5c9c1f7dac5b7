// Hostile input against the live reference server over loopback: every endpoint, every
// mutation class (generator.hpp), seeded (MDMLAB_HOSTILE_SEED, default 1). Each case states the
// answer the protocol rule calls for (Case::expect: a 4xx, a SCEP CertRep FAILURE with its
// failInfo, an APNs status and reason, or a refused/reset connection) and must get exactly that,
// leave every table unchanged and leave /healthz answering. Legitimate repeats (a resent SCEP
// request, a resent TokenUpdate) must get their normal answers. The APNs simulator next to it gets
// the same treatment (hostile_apns.hpp, generator_apns.cpp): its push endpoint over HTTP/2, its
// control API and device side; its stored state is read through the control API, and the same valid
// push sent again is accepted again. So does the ABM simulator's DEP API (hostile_abm.hpp,
// generator_abm*.cpp): GET /session and the session-authenticated calls, its devices and recorded
// changes compared around each case (and around the DEP admin cases, whose routes talk to it).
// Windows enrollment and management (generator_windows*.cpp) go to the server over plain HTTP
// and TLS (raw bytes, with the enrolled PC's certificate where it matters); the Entra simulator
// (generator_entra*.cpp) gets its identity platform over TLS and its control API, with its
// tenants and its token endpoint compared around each case. The table goes to stdout and, as
// JSON, to $MDMLAB_HOSTILE_REPORT.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "protocol/apple/checkin.hpp"
#include "protocol/scep/pki_message.hpp"
#include "tests/hostile/generator.hpp"
#include "tests/hostile/hostile_abm.hpp"
#include "tests/hostile/hostile_apns.hpp"
#include "tests/hostile/hostile_fixture.hpp"
#include "tests/hostile/known_bugs.hpp"
#include "tests/hostile/snapshot.hpp"

using namespace mdmlab;
using namespace mdmlab::testing;
using namespace mdmlab::testing::hostile;

namespace {
std::uint64_t seed() {
  const char* s = std::getenv("MDMLAB_HOSTILE_SEED");
  return s && *s ? std::stoull(s) : 1;
}

void write_report(const std::string& json) {
  const char* path = std::getenv("MDMLAB_HOSTILE_REPORT");
  if (path && *path) std::ofstream(path, std::ios::trunc) << json << "\n";
}

std::string describe(const Case& c, const Answer& a, const std::vector<std::string>& changed) {
  std::ostringstream out;
  out << c.endpoint << " [" << c.mutation << "] " << c.name << ": expected " << c.expect.describe()
      << ", got " << describe_answer(c, a);
  if (a.status < 0)
    out << " (" << a.error.substr(0, 120) << ")";
  else if (!a.body.empty())
    out << " (" << a.body.substr(0, 80) << ")";
  if (!c.expect.rule.empty()) out << " [rule: " << c.expect.rule << "]";
  if (!changed.empty()) {
    out << "; changed:";
    for (const auto& t : changed) out << " " << t;
  }
  return out.str();
}
}  // namespace

BOOST_AUTO_TEST_SUITE(hostile_input)

BOOST_AUTO_TEST_CASE(hostile_requests_get_clean_errors_and_change_nothing) {
  HostileServer f;
  const auto run_seed = seed();
  auto cases = generate_cases(run_seed, f.materials());
  BOOST_TEST_MESSAGE("hostile input: seed " << run_seed << ", " << cases.size() << " cases");
  BOOST_TEST(cases.size() >= 500u);
  std::map<std::pair<std::string, std::string>, int> per_class;
  for (const auto& c : cases) ++per_class[{c.endpoint, c.mutation}];
  for (const auto& [key, n] : per_class)
    BOOST_TEST(n >= kPerClass, key.first << " / " << key.second << ": " << n << " cases");
  // Every case says what it must get; one that does not is a generator bug, and fails the run.
  std::map<std::string, std::map<std::string, int>> expected;  // endpoint -> answer -> cases
  int without = 0;
  for (const auto& c : cases) {
    ++expected[c.endpoint][c.expect.describe()];
    if (c.expect.empty()) ++without;
  }
  BOOST_TEST(without == 0, without << " cases state no expected answer");

  StateReader reader(f.db_path());
  const auto baseline_path = f.dir + "/baseline.db";
  reader.save_baseline(baseline_path);
  const auto baseline = reader.take();
  // The Windows PC's enrollment (DeviceID, enabled, certificate fingerprint) and its commands'
  // statuses (one answered, one queued) are part of what no case may change.
  const auto& w = f.materials().windows;
  BOOST_REQUIRE(baseline.at("windows_enrollments").find("'" + w.pc.udid + "'") !=
                std::string::npos);
  BOOST_REQUIRE(baseline.at("windows_commands").find("'" + w.queued_command + "'") !=
                std::string::npos);
  std::vector<std::string> all_tables;
  for (const auto& [t, rows] : baseline) all_tables.push_back(t);

  Tally tally;
  std::vector<std::string> violations, known;
  int apns_sent = 0, abm_sent = 0, entra_sent = 0;
  std::map<std::string, int> apns_answers;  // "mutation -> answer", to show what the simulator said
  std::map<std::string, int> abm_answers;   // "endpoint mutation -> answer", likewise
  std::map<std::string, int> entra_answers;  // likewise for the Entra simulator
  std::map<std::string, int> choices;        // where a case allows several answers: which one came
  for (const auto& c : cases) {
    const bool to_apns = c.channel == Channel::apns_http || c.channel == Channel::apns_h2;
    const bool to_abm = c.channel == Channel::abm_http;
    const bool to_entra = c.channel == Channel::entra_tls || c.channel == Channel::entra_http;
    // The DEP admin routes talk to the ABM simulator when they are taken: compare it too.
    const bool abm_too = to_abm || c.endpoint.find("/admin/v1/apple/dep") != std::string::npos;
    auto before = reader.take();
    auto apns_before = to_apns ? f.apns->snapshot() : Snapshot{};
    auto abm_before = abm_too ? f.abm->snapshot() : Snapshot{};
    auto entra_before = to_entra ? f.entra_snapshot() : Snapshot{};
    auto answer = f.send(c);
    std::string said;
    auto verdict = judge(c, answer, &said);
    auto changed = changed_tables(before, reader.take());
    if (c.expect.any_of.size() > 1)
      ++choices[c.endpoint + ": [" + c.expect.describe() + "] -> " + said];
    if (to_apns) {
      for (const auto& t : changed_tables(apns_before, f.apns->snapshot()))
        changed.push_back("apns:" + t);
      ++apns_answers[(c.channel == Channel::apns_h2 ? "h2 " : "http ") + std::string(c.mutation) +
                     " -> " + said];
    }
    if (abm_too) {
      for (const auto& t : changed_tables(abm_before, f.abm->snapshot()))
        changed.push_back("abm:" + t);
      if (to_abm) ++abm_answers[c.endpoint + " " + c.mutation + " -> " + said];
    }
    if (to_entra) {
      for (const auto& t : changed_tables(entra_before, f.entra_snapshot()))
        changed.push_back("entra:" + t);
      ++entra_answers[c.endpoint + " " + c.mutation + " -> " + said];
    }
    const auto* bug = known_bug_for(c);
    bool violation = verdict != Verdict::clean || !changed.empty();
    tally.add(c.endpoint, verdict, !changed.empty(), bug != nullptr && !strict_mode());
    if (violation)
      (bug && !strict_mode() ? known : violations).push_back(describe(c, answer, changed));
    if (std::any_of(changed.begin(), changed.end(),
                    [](const std::string& t) { return t.find(':') == std::string::npos; })) {
      restore_baseline(f.server->database(), baseline_path, all_tables);
      BOOST_REQUIRE_MESSAGE(changed_tables(baseline, reader.take()).empty(),
                            "could not restore the baseline");
    }
    if (!f.healthy()) {
      violations.push_back("/healthz stopped answering after: " + describe(c, answer, changed));
      break;
    }
    if (to_apns && !f.apns->healthy(++apns_sent % 10 == 0)) {
      violations.push_back("the APNs simulator stopped answering after: " +
                           describe(c, answer, changed));
      break;
    }
    if (to_abm && !f.abm->healthy(++abm_sent % 10 == 0)) {
      violations.push_back("the ABM simulator stopped answering after: " +
                           describe(c, answer, changed));
      break;
    }
    if (to_entra && ++entra_sent % 10 == 0 && !f.entra_healthy()) {
      violations.push_back("the Entra simulator stopped answering after: " +
                           describe(c, answer, changed));
      break;
    }
  }
  BOOST_TEST(f.entra_healthy(), "the Entra simulator answers after every case");
  BOOST_TEST(f.apns->healthy(true), "the APNs simulator's push endpoint answers after every case");
  BOOST_TEST(f.abm->healthy(true),
             "the ABM simulator's DEP API answers the session after every case");

  std::ostringstream table;
  tally.print(table, "hostile input, seed " + std::to_string(run_seed));
  std::cout << table.str();
  write_report(tally.json("hostile input, seed " + std::to_string(run_seed)));
  std::cout << "expected answers (endpoint: answer x cases)\n";
  for (const auto& [endpoint, answers] : expected) {
    std::cout << "  " << endpoint << ":";
    for (const auto& [answer, n] : answers) std::cout << " [" << answer << "] x" << n;
    std::cout << "\n";
  }
  std::cout << "cases allowing several answers (endpoint: [expected] -> got: cases)\n";
  for (const auto& [k, n] : choices) std::cout << "  " << k << ": " << n << "\n";
  std::cout << "APNs simulator answers (class -> answer: cases)\n";
  for (const auto& [k, n] : apns_answers) std::cout << "  " << k << ": " << n << "\n";
  std::cout << "ABM simulator answers (endpoint class -> answer: cases)\n";
  for (const auto& [k, n] : abm_answers) std::cout << "  " << k << ": " << n << "\n";
  std::cout << "Entra simulator answers (endpoint class -> answer: cases)\n";
  for (const auto& [k, n] : entra_answers) std::cout << "  " << k << ": " << n << "\n";
  for (const auto& v : known) std::cout << "known bug: " << v << "\n";
  for (const auto& v : violations) std::cout << "VIOLATION: " << v << "\n";
  auto total = tally.total();
  BOOST_TEST(total.cases == static_cast<int>(cases.size()));
  BOOST_TEST(violations.empty(), violations.size() << " violations (see the lines above)");
  BOOST_TEST(total.server_errors - total.known <= 0);
}

BOOST_AUTO_TEST_CASE(legitimate_repeats_get_their_normal_answers) {
  HostileServer f;
  StateReader reader(f.db_path());
  const auto& m = f.materials();
  Tally tally;

  // A resent SCEP request (same transactionID, same key) gets the same certificate, and no new one.
  auto c = f.client();
  auto key = test_key_pool().get(78).value();
  auto req = f.request(78, "hostile-repeat");
  req.transaction_id = "HOSTILE-REPEAT";
  auto first = f.enroll(c, req).value();
  BOOST_REQUIRE((first.status == mdmlab::scep::PkiStatus::success));
  auto snap = reader.take();
  mdmlab::scep::RequestParams p;
  p.transaction_id = "HOSTILE-REPEAT";
  p.content = crypto::Csr::build(key, {{{"CN", "hostile-repeat"}}, f.challenge}).value().to_der();
  p.recipients = {m.ca};
  p.signer = crypto::make_self_signed(key, {{"CN", "hostile-repeat"}}, m.now, std::chrono::hours(1))
                 .value();
  p.signer_key = key;
  auto der = to_string(mdmlab::scep::build_request(p).value());
  for (int i = 0; i < 30; ++i) {
    Answer a;
    std::string endpoint;
    bool same = false;
    if (i % 3 == 2) {
      auto again = f.enroll(c, req);
      endpoint = "SCEP resend (client, new nonce)";
      a.status = again ? 200 : -1;
      same = again && again->status == mdmlab::scep::PkiStatus::success &&
             again->certificate.serial_hex() == first.certificate.serial_hex();
    } else {
      Case rc;
      rc.raw = i % 2 ? raw_request("POST", "/scep?operation=PKIOperation",
                                   {{"Content-Type", "application/x-pki-message"}}, der)
                     : raw_request("GET",
                                   "/scep?operation=PKIOperation&message=" +
                                       net::percent_encode(base64_encode(to_bytes(der))),
                                   {}, "");
      a = f.send(rc);
      endpoint = i % 2 ? "SCEP resend (POST, same bytes)" : "SCEP resend (GET, same bytes)";
      auto rep = mdmlab::scep::decode_pki_message(to_bytes(a.body));
      same = a.status == 200 && rep && rep->status == mdmlab::scep::PkiStatus::success;
    }
    auto changed = changed_tables(snap, reader.take());
    tally.add(
        endpoint,
        same ? Verdict::clean : (a.status >= 500 ? Verdict::server_error : Verdict::not_clean),
        !changed.empty(), false);
    BOOST_TEST(same, endpoint << " #" << i << ": " << a.status);
    BOOST_TEST(changed.empty(),
               endpoint << " #" << i << " changed " << changed.size() << " tables");
  }
  BOOST_TEST(f.certificate_count() == 3);  // mac A, mac B, the repeated request: once

  // A resent TokenUpdate is routine: 200 each time; only the enrollment row moves.
  apple::Checkin t;
  t.type = apple::CheckinType::token_update;
  t.udid = m.mac_a.udid;
  t.topic = "com.apple.mgmt.External.mdmlab";
  t.token = Bytes(32, 0x42);
  t.push_magic = "MAGIC-" + m.mac_a.udid;
  auto body = apple::encode_checkin(t).value();
  for (int i = 0; i < 20; ++i) {
    auto before = reader.take();
    auto a = f.device_put(ClientCert::mac_a, i % 2 ? "/mdm/checkin" : "/mdm/apple/mdm",
                          apple::kCheckinContentType, body);
    auto changed = changed_tables(before, reader.take());
    bool only_enrollment =
        changed.empty() || (changed.size() == 1 && changed[0] == "apple_enrollments");
    tally.add("TokenUpdate resend",
              a.status == 200   ? Verdict::clean
              : a.status >= 500 ? Verdict::server_error
                                : Verdict::not_clean,
              !only_enrollment, false);
    BOOST_TEST(a.status == 200);
    BOOST_TEST(only_enrollment);
  }
  auto e = f.from_store(f.server->apple_store().find_enrollment(m.mac_a.udid)).value();
  BOOST_TEST(e.enabled);
  BOOST_TEST(e.token_update_count == 21);

  // The same valid push, sent again and again, is accepted every time: the device is offline,
  // so each one replaces the stored one (coalescing), and nothing else moves.
  auto counts = [&] {
    auto a = f.apns->control("GET", "/control/v1/stats");
    auto j = nlohmann::json::parse(a.body);
    return std::make_pair(j["accepted"].get<int>(), j["coalesced"].get<int>());
  };
  const auto [accepted0, coalesced0] = counts();
  for (int i = 0; i < 10; ++i) {
    auto a = f.send(f.apns->valid_push());
    auto [accepted, coalesced] = counts();
    bool ok = a.status == 200 && accepted == accepted0 + i + 1 && coalesced == coalesced0 + i + 1;
    tally.add("APNs valid push resend",
              ok ? Verdict::clean : (a.status >= 500 ? Verdict::server_error : Verdict::not_clean),
              !ok && a.status == 200, false);
    BOOST_TEST(a.status == 200,
               "valid push #" << i << ": " << a.status << " " << a.body << a.error);
    BOOST_TEST(accepted == accepted0 + i + 1);
    BOOST_TEST(coalesced == coalesced0 + i + 1);
  }
  // The registered token is listed, exactly once, with the one coalesced notification pending.
  auto pending = nlohmann::json::parse(f.apns->control("GET", "/control/v1/tokens").body);
  std::vector<nlohmann::json> listed;
  for (const auto& t : pending["tokens"])
    if (t["token"] == m.apns.token) listed.push_back(t);
  BOOST_REQUIRE_MESSAGE(listed.size() == 1, "token " << m.apns.token << " listed " << listed.size()
                                                     << " times in " << pending.dump());
  BOOST_TEST(listed.front()["pending"] == 1, "pending: " << listed.front().dump());

  std::ostringstream table;
  tally.print(table,
              "legitimate repeats (clean = the normal answer; state = an unexpected change)");
  std::cout << table.str();
}

BOOST_AUTO_TEST_SUITE_END()
