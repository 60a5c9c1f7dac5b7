// `mdmlab simulate entra`: the Entra ID simulator alone — the Microsoft identity platform v2.0
// (OpenID configuration, JWKS, authorize with a sign-in page, token) over HTTPS with its own CA,
// and a control API. It starts with one tenant (--tenant-domain) holding one app registration
// (--redirect-uri) and the --user accounts; DATA_DIR/entra.json (0600) says what a client needs:
// authority, tenant id, client id and secret, the CA file.
#include <iostream>

#include <nlohmann/json.hpp>

#include "apps/commands/commands.hpp"
#include "apps/commands/process_helpers.hpp"
#include "core/files/private_file.hpp"
#include "simulators/services/entra/entra_simulator.hpp"

namespace mdmlab::apps {
namespace {
struct SimulateEntraOptions {
  std::string listen = "127.0.0.1:2201";
  std::string control_listen = "127.0.0.1:2202";
  std::string data_dir = "mdmlab-entra";
  std::string tenant_domain = "contoso.example";
  std::vector<std::string> redirect_uris;
  std::vector<std::string> users;  // upn=password
};

int run_simulate_entra(const SimulateEntraOptions& o) {
  simulators::entra::EntraSimulatorConfig cfg;
  std::string control_host;
  if (!split_host_port(o.listen, cfg.bind_address, cfg.port) ||
      !split_host_port(o.control_listen, control_host, cfg.control_port) ||
      control_host != cfg.bind_address) {
    std::cerr << "simulate entra: --listen and --control-listen must be HOST:PORT on the same "
                 "host\n";
    return 2;
  }
  cfg.data_dir = o.data_dir;
  net::IoRuntime io(2);
  simulators::entra::EntraSimulator sim(io, cfg);
  if (auto r = sim.start(); !r) {
    std::cerr << "simulate entra: " << r.error().message << "\n";
    return 1;
  }
  auto tenant = sim.state().add_tenant(o.tenant_domain, o.tenant_domain);
  simulators::entra::EntraApp app;
  app.name = "mdmlab MDM";
  app.redirect_uris = o.redirect_uris;
  auto added = sim.state().add_app(tenant.id, app);
  for (const auto& u : o.users) {
    auto eq = u.find('=');
    if (eq == std::string::npos || eq == 0) {
      std::cerr << "simulate entra: --user takes UPN=PASSWORD\n";
      return 2;
    }
    simulators::entra::EntraUser user;
    user.upn = u.substr(0, eq);
    user.password = u.substr(eq + 1);
    if (!sim.state().add_user(tenant.id, user)) {
      std::cerr << "simulate entra: --user " << user.upn << " given twice\n";
      return 2;
    }
  }
  const auto ca_file = (std::filesystem::path(o.data_dir) / "entra-ca.pem").string();
  nlohmann::json info{{"authority", sim.authority(tenant.id)},
                      {"tenant_id", tenant.id},
                      {"tenant_domain", tenant.domain},
                      {"client_id", added->client_id},
                      {"client_secret", added->client_secret},
                      {"redirect_uris", added->redirect_uris},
                      {"ca_file", ca_file},
                      {"control_url", sim.control_url()}};
  const auto info_file = (std::filesystem::path(o.data_dir) / "entra.json").string();
  if (auto w = files::write_private_file(info_file, info.dump(2) + "\n"); !w) {
    std::cerr << "simulate entra: " << w.error().message << "\n";
    return 1;
  }
  std::cout << "mdmlab simulate entra ready\n"
            << "  authority: " << sim.authority(tenant.id) << "  (tenant " << tenant.domain << ")\n"
            << "  CA:        " << ca_file << "\n"
            << "  app:       client id " << added->client_id << " (secret in " << info_file << ")\n"
            << "  control:   " << sim.control_url() << "/control/v1\n"
            << "  users:     " << o.users.size() << "\n"
            << std::flush;
  wait_for_stop_signal(io);
  sim.stop();
  io.stop();
  return 0;
}
}  // namespace

Action add_simulate_entra_command(CLI::App& simulate) {
  auto o = std::make_shared<SimulateEntraOptions>();
  auto* cmd = simulate.add_subcommand(
      "entra", "Run the Entra ID simulator (identity platform v2.0 over HTTPS + control API)");
  cmd->add_option("--listen", o->listen, "HOST:PORT of the HTTPS endpoints")->capture_default_str();
  cmd->add_option("--control-listen", o->control_listen, "HOST:PORT of the control API")
      ->capture_default_str();
  cmd->add_option("--data-dir", o->data_dir, "Write entra-ca.pem and entra.json here")
      ->capture_default_str();
  cmd->add_option("--tenant-domain", o->tenant_domain, "The first tenant's domain")
      ->capture_default_str();
  cmd->add_option("--redirect-uri", o->redirect_uris,
                  "A redirect URI of the app registration (repeatable)");
  cmd->add_option("--user", o->users, "A user account, UPN=PASSWORD (repeatable)");
  return [o, cmd] { return cmd->parsed() ? run_simulate_entra(*o) : -1; };
}

}  // namespace mdmlab::apps
