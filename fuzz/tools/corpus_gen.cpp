// Seed corpora from real messages: runs the reference server in-process (two of them: one that
// issues at once, one with manual approval for PENDING / CertPoll and no legacy algorithms), puts a
// recording HTTP proxy in front of each, and drives our simulators through the proxies: a simulated
// Mac enrolling from the server's own (unsigned, URL-rewritten) enrollment profile and answering
// commands (Idle, NotNow, Acknowledged with result fields, Error with ErrorChain, CheckOut), and
// our SCEP client (PKCSReq in AES/SHA-256 and 3DES/SHA-1, a wrong challenge, RenewalReq, CertPoll).
// Everything that crossed a proxy is sorted into fuzz/corpus/<target>/gen-<sha1 prefix>:
// PKIOperation requests and CertReps, the CSRs and IssuerAndSubjects inside their envelopes
// (opened with the server's CA key), GetCACaps answers, check-ins, command reports, command
// plists, admin JSON bodies, the enrollment profile (signed and unsigned). Two targets get
// messages built with the same code paths instead: apns_request (the headers and payload our
// server's pusher sends, for the Mac's real token and PushMagic) and scep_pki_crypto (real
// CSRs / IssuerAndSubjects / issued certificates, enveloped to the fixed fuzz test key).
//
// Usage: mdmlab_corpus_gen CORPUS_DIR   (replaces the gen-* files of the targets it writes)
#include <openssl/sha.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_future.hpp>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <set>

#include "core/keys/key_pool.hpp"
#include "core/net/http_server.hpp"
#include "crypto/ca.hpp"
#include "crypto/init.hpp"
#include "fuzz/targets/scep_test_key.hpp"
#include "protocol/apple/apns.hpp"
#include "protocol/apple/command.hpp"
#include "protocol/apple/profile.hpp"
#include "protocol/scep/issuer_and_subject.hpp"
#include "protocol/scep/pki_message.hpp"
#include "server/reference_server.hpp"
#include "simulators/devices/mac/simulated_mac.hpp"
#include "simulators/scep/scep_client.hpp"

namespace asio = boost::asio;
namespace fs = std::filesystem;
using namespace mdmlab;
using nlohmann::json;

namespace {

constexpr std::size_t kMaxPerTarget = 28;

// ---- the corpus being collected -------------------------------------------------------------

struct Corpus {
  std::map<std::string, std::vector<std::string>> files;  // target -> contents, in order
  void add(const std::string& target, std::string data) {
    auto& v = files[target];
    if (data.empty() || std::find(v.begin(), v.end(), data) != v.end()) return;
    v.push_back(std::move(data));
  }
  void add(const std::string& target, const Bytes& data) { add(target, to_string(data)); }
};

std::string sha1_hex(const std::string& data) {
  unsigned char md[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(data.data()), data.size(), md);
  return hex_encode(Bytes(md, md + SHA_DIGEST_LENGTH));
}

// ---- a recording reverse proxy --------------------------------------------------------------

struct Exchange {
  net::HttpRequest request;
  net::HttpResponse response;
};

struct Recorder {
  std::mutex mutex;
  std::vector<Exchange> exchanges;
};

asio::awaitable<net::HttpResponse> forward(std::shared_ptr<Recorder> recorder, std::string origin,
                                           net::HttpRequest in) {
  net::HttpRequest out;
  out.method = in.method;
  out.target = in.target;
  out.body = in.body;
  for (const auto& [k, v] : in.headers) {
    std::string name = k;
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    if (name == "host" || name == "content-length" || name == "connection" ||
        name == "transfer-encoding")
      continue;
    out.headers.emplace_back(k, v);
  }
  auto executor = co_await asio::this_coro::executor;
  net::HttpClient client(executor, origin);
  auto res = co_await client.send(out);
  net::HttpResponse answer;
  if (!res) {
    answer = net::HttpResponse::text(502, "proxy: " + res.error().message);
    co_return answer;
  }
  answer = *res;
  {
    std::lock_guard lock(recorder->mutex);
    recorder->exchanges.push_back({in, answer});
  }
  // Our own framing applies on the way back.
  std::erase_if(answer.headers, [](const auto& h) {
    std::string n = h.first;
    std::transform(n.begin(), n.end(), n.begin(), [](unsigned char c) { return std::tolower(c); });
    return n == "content-length" || n == "connection" || n == "transfer-encoding";
  });
  co_return answer;
}

struct Proxy {
  std::shared_ptr<Recorder> recorder = std::make_shared<Recorder>();
  std::unique_ptr<net::HttpServer> server;

  Proxy(net::IoRuntime& io, const std::string& origin) {
    net::Router router;
    auto rec = recorder;
    for (const char* method : {"GET", "POST", "PUT", "DELETE"}) {
      router.add(method, "/*",
                 [rec, origin](const net::HttpRequest& req) { return forward(rec, origin, req); });
    }
    net::HttpServerOptions options;
    options.name = "corpus-proxy";
    server = std::make_unique<net::HttpServer>(io, std::move(router), options);
    server->start().value();
  }
  ~Proxy() { server->stop(std::chrono::milliseconds(200)); }
  std::string url() const { return server->base_url(); }
};

// ---- a reference server with its proxy ------------------------------------------------------

struct Site {
  std::string dir;
  std::unique_ptr<server::ReferenceServer> server;
  std::unique_ptr<Proxy> proxy;
};

template <typename T>
T run(net::IoRuntime& io, asio::awaitable<T> aw) {
  return asio::co_spawn(io.executor(), std::move(aw), asio::use_future).get();
}

const std::string kChallenge = "corpus-s3cret";
const std::string kAdminToken = "corpus-admin-token";

Site start_site(net::IoRuntime& io, const std::string& name, bool manual_approval) {
  Site s;
  s.dir = (fs::temp_directory_path() / ("mdmlab-corpus-" + name + "-" + std::to_string(::getpid())))
              .string();
  fs::create_directories(s.dir);
  server::ReferenceServerConfig cfg;
  cfg.data_dir = s.dir;
  cfg.scep.challenge = kChallenge;
  cfg.scep.manual_approval = manual_approval;
  cfg.scep.allow_legacy_algorithms = !manual_approval;  // the second GetCACaps without SHA-1 / DES3
  cfg.admin_token = kAdminToken;
  s.server = std::make_unique<server::ReferenceServer>(io, cfg, std::make_shared<VirtualClock>());
  s.server->start().value();
  s.proxy = std::make_unique<Proxy>(io, s.server->http_url());
  return s;
}

net::HttpResponse send(net::IoRuntime& io, const std::string& origin, net::HttpRequest req) {
  net::HttpClient http(io.executor(), origin);
  return run(io, http.send(std::move(req))).value();
}

net::HttpResponse admin(net::IoRuntime& io, const Site& s, const std::string& method,
                        const std::string& target, const std::string& body = "") {
  net::HttpRequest req;
  req.method = method;
  req.target = target;
  req.headers = {{"Authorization", "Bearer " + kAdminToken}};
  if (!body.empty()) {
    req.headers.emplace_back("Content-Type", "application/json");
    req.body = body;
  }
  return send(io, s.proxy->url(), std::move(req));
}

void require(bool ok, const std::string& what) {
  if (!ok) throw std::runtime_error(what);
}

// ---- sorting what crossed the proxies -------------------------------------------------------

bool is_plist(const std::string& body) {
  return body.find("<plist") != std::string::npos;
}

void sort_exchanges(const Site& site, Corpus& corpus) {
  const auto& ca = site.server->ca();
  std::lock_guard lock(site.proxy->recorder->mutex);
  for (const auto& ex : site.proxy->recorder->exchanges) {
    const auto& req = ex.request;
    const auto& res = ex.response;
    const std::string path = req.path();
    const std::string op = req.query_param("operation").value_or("");
    if (path == "/scep" && op == "GetCACaps") {
      corpus.add("scep_capabilities", res.body);
    } else if (path == "/scep" && op == "PKIOperation") {
      Bytes message = to_bytes(req.body);
      if (req.method == "GET") {
        auto decoded = base64_decode(req.query_param("message").value_or(""));
        message = decoded ? *decoded : Bytes{};
      }
      corpus.add("scep_pki_message", message);
      if (res.status == 200) corpus.add("scep_pki_message", res.body);
      auto msg = scep::decode_pki_message(message);
      if (!msg) continue;
      auto inner = scep::open_envelope(*msg, ca.key(), &ca.certificate());
      if (!inner) continue;
      if (msg->type == scep::MessageType::cert_poll)
        corpus.add("scep_issuer_and_subject", *inner);
      else
        corpus.add("csr", *inner);
    } else if (path.starts_with("/mdm/apple/enroll")) {
      corpus.add("apple_profile", res.body);
      if (is_plist(res.body)) {
        corpus.add("plist_xml", res.body);
        corpus.add("plist_xml_structured", res.body);
      }
    } else if (req.method == "PUT" && path.starts_with("/mdm/")) {
      if (req.body.find("<key>MessageType</key>") != std::string::npos) {
        corpus.add("apple_checkin", req.body);
      } else {
        corpus.add("apple_command_report", req.body);
      }
      if (is_plist(res.body)) corpus.add("apple_command_report", res.body);  // the next command
      corpus.add("plist_xml", req.body);
      corpus.add("plist_xml_structured", req.body);
      if (is_plist(res.body)) corpus.add("plist_xml", res.body);
    } else if (path.starts_with("/admin/") && req.method == "POST" && !req.body.empty()) {
      corpus.add("admin_json", req.body);
    }
  }
}

// ---- scep_pki_crypto: real contents, enveloped to the fuzz test key ------------------------

void add_test_key_messages(const Site& site, Corpus& corpus, const crypto::PrivateKey& device_key,
                           const crypto::Certificate& issued,
                           const std::vector<crypto::Certificate>& returned) {
  const auto test_key = crypto::PrivateKey::from_pem(fuzz::kScepTestKeyPem).value();
  const auto test_cert = crypto::Certificate::from_pem(fuzz::kScepTestCertPem).value();
  const auto& ca = site.server->ca();
  const crypto::DistinguishedName subject = {{"CN", "corpus-device"}, {"O", "mdmlab"}};
  // The CSRs and IssuerAndSubject the simulators sent, re-enveloped to the test certificate.
  std::vector<Bytes> csrs, polls;
  for (const auto& c : corpus.files["csr"]) csrs.push_back(to_bytes(c));
  for (const auto& c : corpus.files["scep_issuer_and_subject"]) polls.push_back(to_bytes(c));
  require(!csrs.empty() && !polls.empty(), "no CSR / IssuerAndSubject captured");
  auto self = crypto::make_self_signed(device_key, subject, std::chrono::system_clock::now(),
                                       std::chrono::hours(1))
                  .value();

  struct Alg {
    const EVP_CIPHER* cipher;
    const EVP_MD* digest;
  };
  const std::vector<Alg> algs = {{EVP_aes_128_cbc(), EVP_sha256()},
                                 {EVP_des_ede3_cbc(), EVP_sha1()},
                                 {EVP_aes_256_cbc(), EVP_sha512()},
                                 {crypto::cipher_by_name("DES-CBC"), EVP_sha1()}};
  auto request = [&](scep::MessageType type, const Bytes& content,
                     const crypto::Certificate& signer, const crypto::PrivateKey& key,
                     const Alg& alg) {
    scep::RequestParams p;
    p.type = type;
    p.transaction_id = scep::transaction_id_for(device_key.get());
    p.content = content;
    p.recipients = {test_cert};
    p.cipher = alg.cipher;
    p.digest = alg.digest;
    p.signer = signer;
    p.signer_key = key;
    corpus.add("scep_pki_crypto", scep::build_request(p).value());
  };
  for (std::size_t i = 0; i < algs.size(); ++i) {
    if (!algs[i].cipher) continue;
    request(scep::MessageType::pkcs_req, csrs[i % csrs.size()], self, device_key, algs[i]);
  }
  request(scep::MessageType::renewal_req, csrs.back(), issued, device_key, algs[0]);
  request(scep::MessageType::cert_poll, polls[0], self, device_key, algs[0]);
  request(scep::MessageType::cert_poll, polls[0], self, device_key, algs[1]);

  // CertReps: SUCCESS enveloped to the test certificate as requester (signed by the real CA,
  // and by the test key itself, as an RA would), FAILURE and PENDING (no envelope).
  auto cert_rep = [&](scep::PkiStatus status, const crypto::Certificate& signer,
                      const crypto::PrivateKey& key, const Alg& alg) {
    scep::CertRepParams p;
    p.transaction_id = scep::transaction_id_for(device_key.get());
    p.recipient_nonce = scep::random_nonce();
    p.status = status;
    p.fail_info = scep::FailInfo::bad_message_check;
    if (status == scep::PkiStatus::success) p.issued = returned;
    p.requester = test_cert;
    p.cipher = alg.cipher;
    p.digest = alg.digest;
    p.signer = signer;
    p.signer_key = key;
    corpus.add("scep_pki_crypto", scep::build_cert_rep(p).value());
  };
  cert_rep(scep::PkiStatus::success, ca.certificate(), ca.key(), algs[0]);
  cert_rep(scep::PkiStatus::success, test_cert, test_key, algs[1]);
  cert_rep(scep::PkiStatus::failure, ca.certificate(), ca.key(), algs[0]);
  cert_rep(scep::PkiStatus::pending, test_cert, test_key, algs[0]);
  // And one real request as sent (enveloped to the server's CA: the envelope stays closed).
  corpus.add("scep_pki_crypto", corpus.files["scep_pki_message"].at(0));
}

// ---- apns_request: what our server's pusher sends -------------------------------------------

std::string apns_input(const std::string& certificate_topic,
                       const std::vector<apple::ApnsHeader>& headers, const std::string& body,
                       const std::string& sim_state = "") {
  std::string out = certificate_topic + "\n";
  if (!sim_state.empty()) out += "x-sim-state: " + sim_state + "\n";
  for (const auto& h : headers) out += h.name + ": " + h.value + "\n";
  return out + "\n" + body;
}

void add_apns_requests(Corpus& corpus, const std::string& token_hex, const std::string& topic,
                       const std::string& push_magic) {
  apple::ApnsPush base;
  base.token_hex = token_hex;
  base.topic = topic;
  base.payload = apple::mdm_push_payload(push_magic);
  const std::string authority = "api.push.apple.com:443";
  auto add = [&](const apple::ApnsPush& p, const std::string& sim_state = "",
                 const std::string& cert_topic = "") {
    corpus.add("apns_request",
               apns_input(cert_topic.empty() ? topic : cert_topic,
                          apple::apns_request_headers(p, authority), p.payload, sim_state));
  };
  add(base);                  // exactly what ApnsPusher sends
  add(base, "offline");       // stored, then coalesced by the retry
  add(base, "unregistered");  // 410 with a timestamp
  add(base, "none");          // 400 BadDeviceToken
  add(base, "fault:429:TooManyRequests");
  add(base, "fault:503:ServiceUnavailable");
  add(base, "", "com.apple.mgmt.External.other");  // TopicDisallowed
  auto p = base;
  p.topic.clear();  // the certificate's topic applies
  p.expiration = 0;
  p.priority = 5;
  p.apns_id = "123e4567-e89b-42d3-a456-426614174000";
  p.collapse_id = "mdm";
  add(p);
  p = base;
  p.expiration = 4102444800;  // 2100-01-01
  add(p, "offline");
  p = base;
  p.push_type = "alert";  // not for an MDM topic
  add(p);
  p = base;
  p.token_hex = "ABCDEF" + token_hex.substr(6);  // upper-case hex is accepted
  add(p);
  // Error answers as the simulator writes them (the body is also read as one).
  corpus.add("apns_request", apns_input(topic, apple::apns_request_headers(base, authority),
                                        apple::apns_error_body("Unregistered", 1700000000000)));
  corpus.add("apns_request", apns_input(topic, apple::apns_request_headers(base, authority),
                                        apple::apns_error_body("BadDeviceToken")));
}

// ---- writing --------------------------------------------------------------------------------

void write_corpus(const fs::path& root, const Corpus& corpus) {
  for (const auto& [target, items] : corpus.files) {
    fs::path dir = root / target;
    fs::create_directories(dir);
    for (const auto& e : fs::directory_iterator(dir))
      if (e.path().filename().string().starts_with("gen-")) fs::remove(e.path());
    std::size_t n = 0, bytes = 0;
    for (const auto& data : items) {
      if (n == kMaxPerTarget) break;
      std::ofstream(dir / ("gen-" + sha1_hex(data).substr(0, 12)), std::ios::binary) << data;
      ++n;
      bytes += data.size();
    }
    std::cout << "  " << target << ": " << n << " files, " << bytes << " bytes\n";
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: mdmlab_corpus_gen CORPUS_DIR\n";
    return 2;
  }
  const fs::path root = argv[1];
  try {
    crypto::init_openssl();
    keys::KeyPool pool;
    net::IoRuntime io{2};
    Corpus corpus;
    Site auto_site = start_site(io, "auto", false);
    Site manual_site = start_site(io, "manual", true);

    // 1. The enrollment profile, signed and unsigned, and a simulated Mac enrolling from the
    //    unsigned one (SignMessage: plain HTTP) with the server's URLs pointing at the proxy.
    net::HttpClient profile_http(io.executor(), auto_site.proxy->url());
    auto signed_profile = run(io, profile_http.get("/mdm/apple/enroll")).value();
    auto unsigned_profile = run(io, profile_http.get("/mdm/apple/enroll?signed=0")).value();
    require(signed_profile.status == 200 && unsigned_profile.status == 200, "enrollment profile");
    std::string profile = unsigned_profile.body;
    const std::string origin = auto_site.server->http_url();
    for (auto pos = profile.find(origin); pos != std::string::npos; pos = profile.find(origin, pos))
      profile.replace(pos, origin.size(), auto_site.proxy->url());

    simulators::mac::MacIdentity id;
    id.udid = "0000FE00-C0A1C0A1C0A1";
    id.serial_number = "C02CORPUS01";
    simulators::mac::MacKnobs knobs;
    knobs.not_now_polls = 1;
    knobs.error_for = {"SecurityInfo"};
    simulators::mac::SimulatedMac mac(io.executor(), id, pool.get(90).value(), knobs);
    auto enrolled = run(io, mac.enroll(profile));
    require(enrolled.ok(), "Mac enrollment: " + mac.last_error());

    // 2. Commands through the admin API (raw, typed, and raw plist forms), answered by the Mac.
    auto enqueue = [&](json body) {
      body["udids"] = {id.udid};
      auto r = admin(io, auto_site, "POST", "/admin/v1/apple/commands", body.dump());
      require(r.status == 201, "enqueue: " + r.body);
    };
    apple::Profile extra;
    extra.identifier = "com.example.wifi";
    extra.uuid = "11111111-2222-4333-8444-555555555555";
    extra.display_name = "Wi-Fi";
    const std::string extra_xml = apple::encode_profile(extra).value();
    corpus.add("apple_profile", extra_xml);
    enqueue({{"command",
              {{"RequestType", "DeviceInformation"},
               {"Queries", {"OSVersion", "SerialNumber", "UDID"}}}}});
    enqueue({{"command", {{"RequestType", "ProfileList"}}}});
    enqueue({{"command", {{"RequestType", "SecurityInfo"}}}});  // answered with Error + ErrorChain
    enqueue({{"command",
              {{"RequestType", "InstallProfile"},
               {"Payload", {{"$data", base64_encode(to_bytes(extra_xml))}}}}}});
    enqueue({{"type", "InstalledApplicationList"}, {"params", {{"managed_apps_only", false}}}});
    enqueue({{"type", "RemoveProfile"}, {"params", {{"identifier", "com.example.wifi"}}}});
    enqueue({{"type", "DeviceLock"}, {"params", {{"pin", "123456"}, {"message", "Call IT"}}}});
    apple::Command raw;
    raw.command_uuid = "7E57C0DE-0000-4000-8000-000000000001";
    raw.command.set("RequestType", "NoSuchCommand");  // Error 12021
    enqueue({{"plist", apple::encode_command(raw).value()}});
    for (int i = 0; i < 4; ++i) {
      auto polled = run(io, mac.poll());
      require(polled.ok(), "poll: " + mac.last_error());
      if (*polled == 0) break;
    }
    auto token_update = run(io, mac.send_checkin_message(apple::CheckinType::token_update));
    require(token_update.ok() && token_update->status == 200, "TokenUpdate");
    admin(io, auto_site, "POST", "/admin/v1/apple/push", json{{"udids", {id.udid}}}.dump());

    // 3. Our SCEP client: PKCSReq (AES/SHA-256, then 3DES/SHA-1 as old clients do), a wrong
    //    challenge (FAILURE), RenewalReq, and a GET PKIOperation.
    const crypto::DistinguishedName subject = {{"CN", "corpus-device"}, {"O", "mdmlab"}};
    auto device_key = pool.get(91).value();
    simulators::scep::ScepClient client(io.executor(), auto_site.proxy->url() + "/scep");
    simulators::scep::EnrollRequest req;
    req.key = device_key;
    req.subject = subject;
    req.challenge = kChallenge;
    req.alt_names.dns = {"corpus-device.example"};
    auto first = run(io, client.enroll(req)).value();
    require(first.status == scep::PkiStatus::success, "PKCSReq");
    simulators::scep::EnrollRequest renew = req;
    renew.challenge.clear();
    renew.renew_with = first.certificate;
    auto renewed = run(io, client.enroll(renew)).value();
    require(renewed.status == scep::PkiStatus::success, "RenewalReq");

    simulators::scep::ScepClientOptions legacy;
    legacy.cipher = "DES-EDE3-CBC";
    legacy.digest = "SHA1";
    legacy.force_get = true;
    simulators::scep::ScepClient old_client(io.executor(), auto_site.proxy->url() + "/scep",
                                            legacy);
    auto legacy_req = req;
    legacy_req.key = pool.get(92).value();
    auto old = run(io, old_client.enroll(legacy_req)).value();
    require(old.status == scep::PkiStatus::success, "legacy PKCSReq");
    auto wrong = req;
    wrong.key = pool.get(93).value();
    wrong.challenge = "not-the-challenge";
    auto refused = run(io, client.enroll(wrong)).value();
    require(refused.status == scep::PkiStatus::failure, "wrong challenge refused");

    // 4. Manual approval: PENDING, CertPoll (PENDING), approve, CertPoll (SUCCESS).
    simulators::scep::ScepClient manual_client(io.executor(), manual_site.proxy->url() + "/scep");
    auto pending_req = req;
    pending_req.key = pool.get(94).value();
    auto pending = run(io, manual_client.enroll(pending_req)).value();
    require(pending.status == scep::PkiStatus::pending, "PENDING");
    auto still = run(io, manual_client.poll(pending, pending_req.key, subject)).value();
    require(still.status == scep::PkiStatus::pending, "CertPoll PENDING");
    auto approved = admin(io, manual_site, "POST",
                          "/admin/v1/scep/transactions/" + pending.transaction_id + "/approve");
    require(approved.status == 200, "approve: " + approved.body);
    auto granted = run(io, manual_client.poll(pending, pending_req.key, subject)).value();
    require(granted.status == scep::PkiStatus::success, "CertPoll SUCCESS");

    // 5. Sort the wire into targets; then the built ones.
    sort_exchanges(auto_site, corpus);
    sort_exchanges(manual_site, corpus);
    corpus.add("apple_profile", signed_profile.body);
    add_test_key_messages(auto_site, corpus, device_key, first.certificate, first.returned);
    add_apns_requests(corpus, hex_encode(mac.push_token()), mac.enrollment_profile()->mdm->topic,
                      mac.push_magic());

    auto checkout = run(io, mac.check_out());
    require(checkout.ok(), "CheckOut");
    {  // the CheckOut crossed the proxy after the first sort
      std::lock_guard lock(auto_site.proxy->recorder->mutex);
      const auto& last = auto_site.proxy->recorder->exchanges.back();
      corpus.add("apple_checkin", last.request.body);
      corpus.add("plist_xml_structured", last.request.body);
    }

    std::cout << "corpus_gen: writing to " << root.string() << "\n";
    write_corpus(root, corpus);
    for (Site* s : {&auto_site, &manual_site}) {
      s->proxy.reset();
      s->server->stop();
      s->server.reset();
    }
    io.stop();
    fs::remove_all(auto_site.dir);
    fs::remove_all(manual_site.dir);
  } catch (const std::exception& e) {
    std::cerr << "corpus_gen: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
