// `mdmlab serve`: the reference server alone, until SIGINT/SIGTERM.
#include <boost/asio/signal_set.hpp>

#include <future>
#include <iostream>

#include "apps/commands/commands.hpp"
#include "apps/commands/process_helpers.hpp"
#include "common/bytes.hpp"
#include "core/files/private_file.hpp"
#include "core/log/log.hpp"
#include "crypto/random.hpp"
#include "server/pki/identity_files.hpp"
#include "server/reference_server.hpp"

namespace mdmlab::apps {
namespace {
struct ServeOptions {
  std::string data_dir = "mdmlab-data";
  std::string listen = "127.0.0.1:8080";
  std::string https_listen;
  std::string challenge;
  std::string challenge_file;
  bool manual_approval = false;
  bool ra = false;
  bool no_legacy = false;
  bool admin_insecure = false;
  std::string admin_token_file;
  unsigned io_threads = 2;
  int cert_days = 365;
  std::string apns_url, apns_cert, apns_key, apns_ca;
  std::vector<std::string> identity_cas;
  std::vector<std::string> cert_binding;
  std::string webhook_url, webhook_secret_file;
  std::string dep_url, dep_token;
  std::string sso_authority, sso_client_id, sso_secret_file, sso_ca;
  int dep_interval = 300;
};

int run_serve(const ServeOptions& o) {
  server::ReferenceServerConfig cfg;
  cfg.data_dir = o.data_dir;
  if (!split_host_port(o.listen, cfg.bind_address, cfg.http_port)) {
    std::cerr << "serve: --listen must be HOST:PORT\n";
    return 2;
  }
  if (!o.https_listen.empty()) {
    std::string host;
    unsigned short port = 0;
    if (!split_host_port(o.https_listen, host, port) || host != cfg.bind_address) {
      std::cerr << "serve: --https-listen must be HOST:PORT on the same host as --listen\n";
      return 2;
    }
    cfg.https_port = port;
  }
  // The admin API's bearer token must not cross a network in clear: off loopback it is served
  // over HTTPS only, and without HTTPS the operator has to say --admin-insecure.
  if (!is_loopback_host(cfg.bind_address) && !o.admin_insecure) {
    if (!cfg.https_port) {
      std::cerr << "serve: --listen " << o.listen
                << " is not a loopback address: the admin API would carry its bearer token in "
                   "clear over plain HTTP. Add --https-listen (the admin API is then served over "
                   "HTTPS only), or accept the risk with --admin-insecure\n";
      return 2;
    }
    cfg.admin_over_plain_http = false;
  }
  auto policy = server::apple::parse_cert_binding_policy(o.cert_binding);
  if (!policy) {
    std::cerr << "serve: --cert-binding: " << policy.error().message << "\n";
    return 2;
  }
  cfg.cert_binding = *policy;
  cfg.scep.challenge = o.challenge;
  if (!o.challenge_file.empty()) {
    // An unreadable challenge file must not silently mean "no challenge required".
    auto challenge = files::read_secret_file(o.challenge_file);
    if (!challenge || challenge->empty()) {
      std::cerr << "serve: --scep-challenge-file: "
                << (challenge ? "file is empty" : challenge.error().message) << "\n";
      return 2;
    }
    cfg.scep.challenge = *challenge;
  }
  if (const char* env = std::getenv("MDMLAB_SCEP_CHALLENGE"); env && cfg.scep.challenge.empty())
    cfg.scep.challenge = env;
  cfg.scep.manual_approval = o.manual_approval;
  cfg.scep.allow_legacy_algorithms = !o.no_legacy;
  cfg.scep.issue.validity = std::chrono::hours(24) * o.cert_days;
  cfg.scep_ra = o.ra;
  for (const auto& file : o.identity_cas) {
    auto pem = files::read_text_file(file);
    auto certs = pem ? crypto::Certificate::all_from_pem(*pem)
                     : Result<std::vector<crypto::Certificate>>(pem.error());
    if (!certs || certs->empty()) {
      std::cerr << "serve: --identity-ca " << file << ": "
                << (certs ? "no certificate" : certs.error().message) << "\n";
      return 2;
    }
    cfg.extra_identity_cas.insert(cfg.extra_identity_cas.end(), certs->begin(), certs->end());
  }
  if (!o.apns_url.empty()) {
    if (o.apns_cert.empty() || o.apns_key.empty()) {
      std::cerr
          << "serve: --apns-url needs --apns-cert and --apns-key (the MDM push certificate)\n";
      return 2;
    }
    auto cert_pem = files::read_text_file(o.apns_cert);
    auto key_pem = files::read_secret_file(o.apns_key);
    auto cert = cert_pem ? crypto::Certificate::from_pem(*cert_pem)
                         : Result<crypto::Certificate>(cert_pem.error());
    auto key = key_pem ? crypto::PrivateKey::from_pem(*key_pem)
                       : Result<crypto::PrivateKey>(key_pem.error());
    if (!cert || !key) {
      std::cerr << "serve: push certificate: "
                << (!cert ? cert.error().message : key.error().message) << "\n";
      return 2;
    }
    server::apple::ApnsClientConfig apns;
    apns.url = o.apns_url;
    apns.certificate = *cert;
    apns.key = *key;
    if (!o.apns_ca.empty()) {
      auto ca_pem = files::read_text_file(o.apns_ca);
      auto roots = ca_pem ? crypto::Certificate::all_from_pem(*ca_pem)
                          : Result<std::vector<crypto::Certificate>>(ca_pem.error());
      if (!roots) {
        std::cerr << "serve: --apns-ca: " << roots.error().message << "\n";
        return 2;
      }
      apns.trusted_roots = *roots;
    }
    cfg.apns = apns;
  }

  // The admin token: from a file, from the environment, or generated into the data directory.
  // It is never printed; the log says where it is.
  auto token_path = o.admin_token_file.empty() ? std::filesystem::path(o.data_dir) / "admin-token"
                                               : std::filesystem::path(o.admin_token_file);
  if (const char* env = std::getenv("MDMLAB_ADMIN_TOKEN"); env && *env) {
    cfg.admin_token = env;
  } else if (std::filesystem::exists(token_path)) {
    auto token = files::read_secret_file(token_path);
    if (!token) {
      std::cerr << "serve: " << token.error().message << "\n";
      return 1;
    }
    cfg.admin_token = *token;
  } else {
    cfg.admin_token = hex_encode(crypto::random_bytes(32));
    if (auto r = files::write_private_file(token_path, cfg.admin_token + "\n"); !r) {
      std::cerr << "serve: " << r.error().message << "\n";
      return 1;
    }
  }

  if (!o.webhook_url.empty()) {
    server::apple::WebhookConfig webhook;
    webhook.url = o.webhook_url;
    if (!o.webhook_secret_file.empty()) {
      auto secret = files::read_secret_file(o.webhook_secret_file);
      if (!secret) {
        std::cerr << "serve: --webhook-hmac-secret-file: " << secret.error().message << "\n";
        return 2;
      }
      webhook.hmac_secret = *secret;
    }
    cfg.webhook = webhook;
  } else if (!o.webhook_secret_file.empty()) {
    std::cerr << "serve: --webhook-hmac-secret-file needs --webhook-url\n";
    return 2;
  }

  if (!o.dep_url.empty() || !o.dep_token.empty()) {
    server::DepSettings dep;
    if (!o.dep_url.empty()) dep.url = o.dep_url;
    if (!o.dep_token.empty()) {
      auto text = files::read_secret_file(o.dep_token);
      if (!text || text->empty()) {
        std::cerr << "serve: --dep-token: " << (text ? "file is empty" : text.error().message)
                  << "\n";
        return 2;
      }
      dep.token_text = *text;
    }
    dep.interval = std::chrono::seconds(o.dep_interval);
    cfg.dep = dep;
  }

  if (!o.sso_authority.empty()) {
    server::AdeSsoSettings sso;
    sso.authority = o.sso_authority;
    sso.client_id = o.sso_client_id;
    auto secret = files::read_secret_file(o.sso_secret_file);
    if (sso.client_id.empty() || !secret || secret->empty()) {
      std::cerr << "serve: --ade-sso-authority needs --ade-sso-client-id and "
                   "--ade-sso-client-secret-file (a file holding the secret)\n";
      return 2;
    }
    sso.client_secret = *secret;
    if (!o.sso_ca.empty()) {
      auto pem = files::read_text_file(o.sso_ca);
      auto ca =
          pem ? crypto::Certificate::from_pem(*pem) : Result<crypto::Certificate>(pem.error());
      if (!ca) {
        std::cerr << "serve: --ade-sso-ca: " << ca.error().message << "\n";
        return 2;
      }
      sso.roots = {*ca};
    }
    cfg.ade_sso = sso;
  }

  net::IoRuntime io(o.io_threads);
  server::ReferenceServer srv(io, cfg);
  if (auto r = srv.start(); !r) {
    std::cerr << "serve: " << r.error().code << ": " << r.error().message << "\n";
    return 1;
  }
  std::cout << "mdmlab serve ready\n"
            << "  scep:     " << srv.scep_url() << "\n"
            << "  metrics:  " << srv.http_url() << "/metrics\n"
            << "  admin:    " << (cfg.admin_over_plain_http ? srv.http_url() : srv.https_url())
            << "/admin/v1 (bearer token in " << token_path.string() << ")\n";
  if (!srv.https_url().empty()) std::cout << "  https:    " << srv.https_url() << "\n";
  std::cout << "  apns:     "
            << (cfg.apns
                    ? cfg.apns->url + " (topic " + cfg.apns->certificate.subject_field("UID") + ")"
                    : "not configured: no pushes")
            << "\n";
  std::cout << "  webhook:  " << (cfg.webhook ? cfg.webhook->url : "none") << "\n";
  std::cout << "  ade:      "
            << (!cfg.dep ? std::string("not configured")
                : cfg.dep->token_text.empty()
                    ? "no token yet: upload " +
                          (std::filesystem::path(o.data_dir) / "dep.pem").string() + " to ABM"
                    : cfg.dep->url + " every " + std::to_string(o.dep_interval) +
                          "s, profile url " + srv.ade_enrollment_url())
            << "\n";
  if (cfg.ade_sso)
    std::cout << "  sign-in:  " << cfg.ade_sso->authority << " for authenticated ADE and "
              << "federated Windows enrollment (redirect URIs " << srv.ade_sso_redirect_uri()
              << " and " << srv.windows_auth_redirect_uri() << ")\n";
  std::cout << "  CA:       " << (std::filesystem::path(o.data_dir) / "ca.pem").string()
            << "  sha256 " << srv.ca().certificate().sha256_hex() << "\n"
            << "  challenge " << (cfg.scep.challenge.empty() ? "not required" : "required")
            << (cfg.scep.manual_approval ? ", manual approval on" : "") << std::endl;

  int sig = wait_for_stop_signal(io);
  log::info("serve", "signal {} received, stopping", sig);
  srv.stop();
  io.stop();
  return 0;
}
}  // namespace

Action add_serve_command(CLI::App& app) {
  auto o = std::make_shared<ServeOptions>();
  auto* cmd =
      app.add_subcommand("serve", "Run the reference MDM server (SCEP, admin API, /metrics)");
  cmd->add_option("--data-dir", o->data_dir,
                  "Directory for the CA, keys and the SQLite store (created)")
      ->capture_default_str();
  cmd->add_option("--listen", o->listen, "HOST:PORT for plain HTTP (SCEP, admin, /metrics)")
      ->capture_default_str();
  cmd->add_option("--https-listen", o->https_listen,
                  "HOST:PORT for HTTPS with client certificates requested");
  cmd->add_option(
      "--scep-challenge", o->challenge,
      "SCEP challenge password required in CSRs (or MDMLAB_SCEP_CHALLENGE; empty: none)");
  cmd->add_option("--scep-challenge-file", o->challenge_file,
                  "Read the SCEP challenge from this file");
  cmd->add_flag("--manual-approval", o->manual_approval,
                "PKCSReq answers PENDING until approved (mdmlab scep approve / admin API)");
  cmd->add_flag("--scep-ra", o->ra, "Serve GetCACert in the RA form: an RA key decrypts and signs");
  cmd->add_flag("--no-legacy-crypto", o->no_legacy,
                "Refuse DES/3DES envelopes and SHA-1 signatures (badAlg)");
  cmd->add_option("--admin-token-file", o->admin_token_file,
                  "Admin API bearer token file (default DATA_DIR/admin-token, generated; or "
                  "MDMLAB_ADMIN_TOKEN)");
  cmd->add_flag("--admin-insecure", o->admin_insecure,
                "Serve the admin API over plain HTTP on a non-loopback --listen address (the "
                "bearer token then travels in clear)");
  cmd->add_option("--io-threads", o->io_threads, "I/O threads")
      ->capture_default_str()
      ->check(CLI::Range(1u, 64u));
  cmd->add_option("--cert-validity-days", o->cert_days, "Validity of issued certificates")
      ->capture_default_str()
      ->check(CLI::Range(1, 3650));
  cmd->add_option("--identity-ca", o->identity_cas,
                  "Also accept device identities issued by this CA (PEM; repeatable), e.g. an "
                  "external SCEP server's");
  cmd->add_option("--cert-binding", o->cert_binding,
                  "Certificate binding option (repeatable): strict (default), allow-duplicate, "
                  "allow-retroactive, warn-only; see README \"Enrollment security\"")
      ->check(CLI::IsMember({"strict", "allow-duplicate", "allow-retroactive", "warn-only"}));
  cmd->add_option("--apns-url", o->apns_url,
                  "APNs provider URL, e.g. https://api.push.apple.com or the simulator's");
  cmd->add_option("--apns-cert", o->apns_cert,
                  "MDM push certificate (PEM); its UID is the topic put in profiles");
  cmd->add_option("--apns-key", o->apns_key, "Key of the push certificate (PEM)");
  cmd->add_option("--apns-ca", o->apns_ca,
                  "CA file to trust for the APNs endpoint (default: the system store)");
  cmd->add_option("--webhook-url", o->webhook_url,
                  "POST a MicroMDM-style webhook event (JSON) here for every check-in and "
                  "command report the server accepts");
  cmd->add_option("--webhook-hmac-secret-file", o->webhook_secret_file,
                  "Sign webhook bodies: HMAC-SHA256 under this file's secret, base64 in "
                  "X-Hmac-Signature");
  cmd->add_option("--dep-url", o->dep_url,
                  "Apple's DEP API (default https://mdmenrollment.apple.com), or mdmlab simulate "
                  "abm's; with no --dep-token, dep.pem is written to upload to ABM");
  cmd->add_option(
      "--dep-token", o->dep_token,
      "The DEP server token: the smime.p7m ABM gives out (encrypted to DATA_DIR/dep.pem) "
      "or its JSON; turns on the ADE sync loop");
  cmd->add_option("--dep-sync-interval", o->dep_interval, "Seconds between DEP sync passes")
      ->capture_default_str()
      ->check(CLI::Range(1, 86400));
  cmd->add_option("--ade-sso-authority", o->sso_authority,
                  "Authenticated ADE: sign users in at this OpenID Connect authority (e.g. "
                  "https://login.microsoftonline.com/<tenant>, or mdmlab simulate entra's) "
                  "before the enrollment profile is given");
  cmd->add_option("--ade-sso-client-id", o->sso_client_id, "The app registration's client id");
  cmd->add_option("--ade-sso-client-secret-file", o->sso_secret_file,
                  "A file holding the app registration's client secret");
  cmd->add_option("--ade-sso-ca", o->sso_ca,
                  "A CA certificate (PEM) to trust for the authority's TLS (default: the "
                  "system's)");
  return [o] { return run_serve(*o); };
}

}  // namespace mdmlab::apps
