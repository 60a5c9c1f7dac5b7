// `mdmlab simulate abm`: the Apple Business Manager simulator alone — Apple's DEP API for an MDM
// server (nanodep, Fleet, ... point their DEP URL at it) and a control API to change the
// organisation. The server token an MDM server needs is written to --token-file (nanodep's
// OAuth1Tokens JSON); --devices seeds the organisation with that many Macs.
#include <fstream>
#include <iostream>

#include <nlohmann/json.hpp>

#include "apps/commands/commands.hpp"
#include "apps/commands/process_helpers.hpp"
#include "core/files/private_file.hpp"
#include "simulators/services/abm/abm_simulator.hpp"
#include "simulators/services/abm/server_token_file.hpp"

namespace mdmlab::apps {
namespace {
struct SimulateAbmOptions {
  std::string listen = "127.0.0.1:2199";
  std::string control_listen = "127.0.0.1:2200";
  std::string token_file = "mdmlab-abm-token.json";
  std::string mdm_cert;  // set: the token file is S/MIME, encrypted to this certificate
  int devices = 0;
};

int run_simulate_abm(const SimulateAbmOptions& o) {
  simulators::abm::AbmSimulatorConfig cfg;
  std::string control_host;
  if (!split_host_port(o.listen, cfg.bind_address, cfg.dep_port) ||
      !split_host_port(o.control_listen, control_host, cfg.control_port) ||
      control_host != cfg.bind_address) {
    std::cerr << "simulate abm: --listen and --control-listen must be HOST:PORT on the same host\n";
    return 2;
  }
  net::IoRuntime io(2);
  simulators::abm::AbmSimulator sim(io, cfg);
  if (auto r = sim.start(); !r) {
    std::cerr << "simulate abm: " << r.error().message << "\n";
    return 1;
  }
  // The token holds the secrets the OAuth signature needs: owner-only file. With --mdm-cert it
  // is what ABM's "Download Token" gives: S/MIME, encrypted to the MDM server's certificate.
  std::string token_text = simulators::abm::token_json(sim.state().token()).dump(2) + "\n";
  if (!o.mdm_cert.empty()) {
    auto pem = files::read_text_file(o.mdm_cert);
    auto cert =
        pem ? crypto::Certificate::from_pem(*pem) : Result<crypto::Certificate>(pem.error());
    if (!cert) {
      std::cerr << "simulate abm: --mdm-cert: " << cert.error().message << "\n";
      return 2;
    }
    auto smime = simulators::abm::smime_token_file(sim.state().token(), *cert);
    if (!smime) {
      std::cerr << "simulate abm: " << smime.error().message << "\n";
      return 1;
    }
    token_text = *smime;
  }
  if (auto w = files::write_private_file(o.token_file, token_text); !w) {
    std::cerr << "simulate abm: --token-file: " << w.error().message << "\n";
    return 1;
  }
  for (int i = 0; i < o.devices; ++i) {
    apple::dep::DepDevice d;
    auto number = std::to_string(i + 1);
    d.serial_number =
        "ABMSIM" + std::string(number.size() < 5 ? 5 - number.size() : 0, '0') + number;
    d.model = "MacBook Air";
    d.description = "MBA 13.6 MDNT";
    d.color = "MIDNIGHT";
    sim.state().add_device(d);
  }
  std::cout << "mdmlab simulate abm ready\n"
            << "  DEP API:  " << sim.dep_url() << "  (GET /session with OAuth 1.0a)\n"
            << "  control:  " << sim.control_url() << "/control/v1  devices: /device/v1/profile\n"
            << "  token:    " << o.token_file
            << (o.mdm_cert.empty() ? "  (consumer key/secret, access token/secret)\n"
                                   : "  (S/MIME, encrypted to --mdm-cert)\n")
            << "  devices:  " << o.devices << " in the organisation\n"
            << std::flush;
  wait_for_stop_signal(io);
  sim.stop();
  io.stop();
  return 0;
}
}  // namespace

Action add_simulate_abm_command(CLI::App& simulate) {
  auto o = std::make_shared<SimulateAbmOptions>();
  auto* cmd = simulate.add_subcommand(
      "abm", "Run the Apple Business Manager simulator (Apple's DEP API + control API)");
  cmd->add_option("--listen", o->listen, "HOST:PORT of the DEP API")->capture_default_str();
  cmd->add_option("--control-listen", o->control_listen,
                  "HOST:PORT of the control API and the device side")
      ->capture_default_str();
  cmd->add_option("--token-file", o->token_file,
                  "Write the server token (nanodep OAuth1Tokens JSON) here, owner-only")
      ->capture_default_str();
  cmd->add_option("--mdm-cert", o->mdm_cert,
                  "The MDM server's public key certificate (PEM): write the token file as ABM "
                  "does, S/MIME encrypted to it (smime.p7m)");
  cmd->add_option("--devices", o->devices, "Seed the organisation with this many Macs")
      ->check(CLI::Range(0, 100000))
      ->capture_default_str();
  return [o, cmd] { return cmd->parsed() ? run_simulate_abm(*o) : -1; };
}

}  // namespace mdmlab::apps
