// `mdmlab scep ...`: our SCEP client from the command line, and manual-approval admin calls.
//   enroll   PKCSReq (or RenewalReq with --renew-cert) and write the certificate
//   caps     print GetCACaps
//   pending | approve | reject   admin API of a running `mdmlab serve`
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_future.hpp>

#include <nlohmann/json.hpp>

#include <iostream>

#include "apps/commands/commands.hpp"
#include "core/files/private_file.hpp"
#include "core/net/http_client.hpp"
#include "core/net/io_runtime.hpp"
#include "server/pki/identity_files.hpp"
#include "simulators/scep/scep_client.hpp"

namespace mdmlab::apps {
namespace asio = boost::asio;
namespace {
struct EnrollOptions {
  std::string url;
  std::string challenge;
  std::string subject = "CN=mdmlab-device,O=mdmlab";
  std::string key_path;
  std::string cert_out;
  std::string renew_cert;
  std::string renew_key;
  std::string cipher;
  std::string digest;
  std::string ca_fingerprint;
  bool force_get = false;
  int max_polls = 0;
  int poll_ms = 1000;
};

struct AdminOptions {
  std::string server = "http://127.0.0.1:8080";
  std::string token_file = "mdmlab-data/admin-token";
  std::string transaction;
  std::string status;
};

template <typename T>
T run_blocking(net::IoRuntime& io, asio::awaitable<T> aw) {
  return asio::co_spawn(io.executor(), std::move(aw), asio::use_future).get();
}

Result<crypto::PrivateKey> load_or_create_key(const std::string& path) {
  if (std::filesystem::exists(path)) {
    auto pem = files::read_text_file(path);
    if (!pem) return pem.error();
    return crypto::PrivateKey::from_pem(*pem);
  }
  auto key = crypto::PrivateKey::generate_rsa(2048);
  if (!key) return key;
  if (auto r = files::write_private_file(path, key->to_pem()); !r) return r.error();
  return key;
}

int run_enroll(const EnrollOptions& o) {
  auto key = load_or_create_key(o.key_path);
  if (!key) {
    std::cerr << "scep enroll: " << key.error().message << "\n";
    return 1;
  }
  auto subject = crypto::parse_distinguished_name(o.subject);
  if (!subject) {
    std::cerr << "scep enroll: --subject: " << subject.error().message << "\n";
    return 2;
  }
  simulators::scep::EnrollRequest req;
  req.key = *key;
  req.subject = *subject;
  req.challenge = o.challenge;
  if (!o.renew_cert.empty()) {
    auto pem = files::read_text_file(o.renew_cert);
    auto cert =
        pem ? crypto::Certificate::from_pem(*pem) : Result<crypto::Certificate>(pem.error());
    if (!cert) {
      std::cerr << "scep enroll: --renew-cert: " << cert.error().message << "\n";
      return 1;
    }
    req.renew_with = *cert;
    auto renew_key = load_or_create_key(o.renew_key.empty() ? o.key_path : o.renew_key);
    if (!renew_key) {
      std::cerr << "scep enroll: --renew-key: " << renew_key.error().message << "\n";
      return 1;
    }
    req.renew_key = *renew_key;
  }
  simulators::scep::ScepClientOptions copts;
  copts.cipher = o.cipher;
  copts.digest = o.digest;
  copts.ca_fingerprint = o.ca_fingerprint;
  copts.force_get = o.force_get;
  copts.max_polls = o.max_polls;
  copts.poll_interval = std::chrono::milliseconds(o.poll_ms);
  net::IoRuntime io(1);
  simulators::scep::ScepClient client(io.executor(), o.url, copts);
  auto result = run_blocking(io, client.enroll(req));
  if (!result) {
    std::cerr << "scep enroll: " << result.error().code << ": " << result.error().message << "\n";
    return 1;
  }
  std::cout << "transaction " << result->transaction_id << ": "
            << mdmlab::scep::to_string(result->status);
  if (result->fail_info) std::cout << " (" << mdmlab::scep::to_string(*result->fail_info) << ")";
  std::cout << "\n";
  if (result->status == mdmlab::scep::PkiStatus::success) {
    if (auto r = files::write_private_file(o.cert_out, result->certificate.to_pem()); !r) {
      std::cerr << "scep enroll: " << r.error().message << "\n";
      return 1;
    }
    std::cout << "certificate " << result->certificate.subject() << " serial "
              << result->certificate.serial_hex() << " written to " << o.cert_out << "\n";
    return 0;
  }
  return result->status == mdmlab::scep::PkiStatus::pending ? 3 : 1;
}

int run_caps(const std::string& url) {
  net::IoRuntime io(1);
  simulators::scep::ScepClient client(io.executor(), url);
  auto caps = run_blocking(io, client.get_ca_caps());
  if (!caps) {
    std::cerr << "scep caps: " << caps.error().message << "\n";
    return 1;
  }
  for (const auto& c : caps->list()) std::cout << c << "\n";
  return 0;
}

int run_admin(const AdminOptions& o, const std::string& action) {
  auto token = files::read_secret_file(o.token_file);
  if (!token) {
    std::cerr << "scep " << action << ": " << token.error().message << " (see --token-file)\n";
    return 1;
  }
  const std::string& t = *token;
  net::HttpRequest req;
  req.headers.emplace_back("Authorization", "Bearer " + t);
  if (action == "pending") {
    req.method = "GET";
    req.target = "/admin/v1/scep/transactions?status=" +
                 (o.status.empty() ? std::string("pending") : o.status);
  } else {
    req.method = "POST";
    req.target = "/admin/v1/scep/transactions/" + net::percent_encode(o.transaction) + "/" + action;
  }
  net::IoRuntime io(1);
  auto url = net::Url::parse(o.server);
  if (!url) {
    std::cerr << "scep " << action << ": " << url.error().message << "\n";
    return 2;
  }
  net::HttpClient http(io.executor(), url->origin());
  auto res = run_blocking(io, http.send(req));
  if (!res) {
    std::cerr << "scep " << action << ": " << res.error().message << "\n";
    return 1;
  }
  auto body = nlohmann::json::parse(res->body, nullptr, false);
  std::cout << (body.is_discarded() ? res->body : body.dump(2)) << "\n";
  return res->status == 200 ? 0 : 1;
}
}  // namespace

Action add_scep_command(CLI::App& app) {
  auto* scep = app.add_subcommand("scep", "SCEP client and manual-approval administration");
  scep->require_subcommand(1);

  auto e = std::make_shared<EnrollOptions>();
  auto* enroll =
      scep->add_subcommand("enroll", "Enroll (PKCSReq) or renew (RenewalReq) a certificate");
  enroll->add_option("--url", e->url, "SCEP URL, e.g. http://127.0.0.1:8080/scep")->required();
  enroll->add_option("--challenge", e->challenge, "challengePassword to put in the CSR");
  enroll->add_option("--subject", e->subject, "CSR subject, e.g. CN=mac-1,O=acme")
      ->capture_default_str();
  enroll->add_option("--key", e->key_path, "Private key PEM (created if missing)")->required();
  enroll->add_option("--cert-out", e->cert_out, "Where to write the issued certificate (PEM)")
      ->required();
  enroll->add_option("--renew-cert", e->renew_cert,
                     "Send RenewalReq signed with this existing certificate");
  enroll->add_option("--renew-key", e->renew_key, "Key of --renew-cert (default: --key)");
  enroll->add_option("--cipher", e->cipher,
                     "Force the envelope cipher, e.g. DES-CBC, DES-EDE3-CBC, AES-256-CBC");
  enroll->add_option("--digest", e->digest, "Force the signature digest, e.g. SHA1, SHA256");
  enroll->add_option("--ca-fingerprint", e->ca_fingerprint, "Pin the CA certificate (SHA-256 hex)");
  enroll->add_flag("--get", e->force_get,
                   "Send PKIOperation with GET even if the server allows POST");
  enroll->add_option("--poll", e->max_polls, "CertPoll this many times while PENDING")
      ->capture_default_str();
  enroll->add_option("--poll-interval-ms", e->poll_ms, "Delay between CertPolls")
      ->capture_default_str();

  std::string caps_url;
  auto* caps = scep->add_subcommand("caps", "Print a SCEP server's GetCACaps");
  caps->add_option("--url", caps_url, "SCEP URL")->required();

  auto a = std::make_shared<AdminOptions>();
  auto add_admin = [&](const char* name, const char* help, bool needs_tx) {
    auto* c = scep->add_subcommand(name, help);
    c->add_option("--server", a->server, "Base URL of a running mdmlab serve")
        ->capture_default_str();
    c->add_option("--token-file", a->token_file, "Admin bearer token file")->capture_default_str();
    if (needs_tx)
      c->add_option("--transaction", a->transaction, "SCEP transactionID")->required();
    else
      c->add_option("--status", a->status, "pending (default), issued or rejected");
    return c;
  };
  auto* pending = add_admin("pending", "List SCEP transactions waiting for approval", false);
  auto* approve =
      add_admin("approve", "Approve a pending SCEP request (issues the certificate)", true);
  auto* reject = add_admin("reject", "Reject a pending SCEP request", true);

  auto caps_url_ptr = std::make_shared<std::string>();
  caps->get_option("--url")->each([caps_url_ptr](const std::string& v) { *caps_url_ptr = v; });
  return [=] {
    if (enroll->parsed()) return run_enroll(*e);
    if (caps->parsed()) return run_caps(*caps_url_ptr);
    if (pending->parsed()) return run_admin(*a, "pending");
    if (approve->parsed()) return run_admin(*a, "approve");
    if (reject->parsed()) return run_admin(*a, "reject");
    return 2;
  };
}

}  // namespace mdmlab::apps
