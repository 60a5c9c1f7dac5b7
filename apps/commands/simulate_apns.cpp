// `mdmlab simulate apns`: the APNs simulator alone. Its CA lives in --data-dir (created once),
// and it writes a push certificate + key for each --topic there, for `mdmlab serve
// --apns-cert/--apns-key` or another team's server.
#include <boost/asio/signal_set.hpp>

#include <fstream>
#include <iostream>

#include "apps/commands/commands.hpp"
#include "apps/commands/process_helpers.hpp"
#include "core/files/private_file.hpp"
#include "core/log/log.hpp"
#include "server/pki/identity_files.hpp"
#include "simulators/services/apns/apns_simulator.hpp"

namespace mdmlab::apps {
namespace fs = std::filesystem;
namespace {
struct SimulateApnsOptions {
  std::string data_dir = "mdmlab-apns";
  std::string listen = "127.0.0.1:2197";
  std::string control_listen = "127.0.0.1:2198";
  std::vector<std::string> topics;
  std::uint32_t initial_streams = 1;
  std::uint32_t max_streams = 500;
};

Result<std::optional<crypto::CertificateAuthority>> load_ca(const fs::path& dir) {
  if (!fs::exists(dir / "apns-ca.pem")) return std::optional<crypto::CertificateAuthority>();
  auto cert_pem = files::read_text_file(dir / "apns-ca.pem");
  auto key_pem = files::read_text_file(dir / "apns-ca.key");
  if (!cert_pem) return cert_pem.error();
  if (!key_pem) return key_pem.error();
  auto cert = crypto::Certificate::from_pem(*cert_pem);
  auto key = crypto::PrivateKey::from_pem(*key_pem);
  if (!cert) return cert.error();
  if (!key) return key.error();
  return std::optional<crypto::CertificateAuthority>(crypto::CertificateAuthority(*cert, *key));
}

int run_simulate_apns(const SimulateApnsOptions& o) {
  simulators::apns::ApnsSimulatorConfig cfg;
  std::string control_host;
  if (!split_host_port(o.listen, cfg.bind_address, cfg.push_port) ||
      !split_host_port(o.control_listen, control_host, cfg.control_port) ||
      control_host != cfg.bind_address) {
    std::cerr
        << "simulate apns: --listen and --control-listen must be HOST:PORT on the same host\n";
    return 2;
  }
  cfg.initial_max_concurrent_streams = o.initial_streams;
  cfg.max_concurrent_streams = o.max_streams;
  const fs::path dir = o.data_dir;
  std::error_code ec;
  fs::create_directories(dir, ec);
  auto ca = load_ca(dir);
  if (!ca) {
    std::cerr << "simulate apns: " << ca.error().message << "\n";
    return 1;
  }
  cfg.ca = *ca;
  net::IoRuntime io(2);
  simulators::apns::ApnsSimulator sim(io, cfg);
  if (auto r = sim.start(); !r) {
    std::cerr << "simulate apns: " << r.error().message << "\n";
    return 1;
  }
  if (!*ca) {
    auto w1 = files::write_private_file(dir / "apns-ca.key", sim.ca().key().to_pem());
    if (!w1) std::cerr << "simulate apns: " << w1.error().message << "\n";
    std::ofstream(dir / "apns-ca.pem") << sim.ca().certificate().to_pem();
  }
  std::cout << "mdmlab simulate apns ready\n"
            << "  push:     " << sim.push_url() << "  (HTTP/2, client certificate required)\n"
            << "  control:  " << sim.control_url() << "/control/v1  devices: /device/v1\n"
            << "  CA:       " << (dir / "apns-ca.pem").string()
            << "  (trust it for the push endpoint)\n";
  for (const auto& topic : o.topics) {
    auto key = crypto::PrivateKey::generate_rsa(2048);
    if (!key) return 1;
    auto id = sim.issue_push_identity(topic, *key);
    if (!id) {
      std::cerr << "simulate apns: " << id.error().message << "\n";
      return 1;
    }
    auto base = dir / ("push-" + topic);
    std::ofstream(base.string() + ".pem") << id->certificate.to_pem();
    if (auto w = files::write_private_file(base.string() + ".key", key->to_pem()); !w) return 1;
    std::cout << "  topic " << topic << ": " << base.string() << ".pem / .key\n";
  }
  std::cout << std::flush;
  wait_for_stop_signal(io);
  sim.stop();
  io.stop();
  return 0;
}
}  // namespace

Action add_simulate_apns_command(CLI::App& simulate) {
  auto o = std::make_shared<SimulateApnsOptions>();
  auto* cmd =
      simulate.add_subcommand("apns", "Run the APNs simulator (HTTP/2 provider API + control API)");
  cmd->add_option("--data-dir", o->data_dir, "Where its CA and the push certificates live")
      ->capture_default_str();
  cmd->add_option("--listen", o->listen, "HOST:PORT of the HTTP/2 push endpoint")
      ->capture_default_str();
  cmd->add_option("--control-listen", o->control_listen,
                  "HOST:PORT of the control API and device side")
      ->capture_default_str();
  cmd->add_option("--topic", o->topics, "Write a push certificate for this topic (repeatable)");
  cmd->add_option("--initial-streams", o->initial_streams,
                  "MAX_CONCURRENT_STREAMS of a new connection")
      ->capture_default_str();
  cmd->add_option("--max-streams", o->max_streams,
                  "MAX_CONCURRENT_STREAMS after the first answered push")
      ->capture_default_str();
  return [o, cmd] { return cmd->parsed() ? run_simulate_apns(*o) : -1; };
}

}  // namespace mdmlab::apps
