// micromdm's scepserver (Debian package `scep`) as a separate process on a free port, with a
// fresh depot (CA) in `dir`; stopped when destroyed.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>

#include "tests/support/process.hpp"

namespace mdmlab::testing {

struct ScepServerProcess {
  std::string dir;
  unsigned short port = 0;
  std::unique_ptr<BackgroundProcess> process;

  ScepServerProcess(std::string d, const std::string& challenge) : dir(std::move(d)) {
    auto init = run_command("cd " + dir + " && scepserver ca -init -depot depot -keySize 2048");
    if (init.exit_code != 0) throw std::runtime_error("scepserver ca -init: " + init.output);
    port = free_port();
    process = std::make_unique<BackgroundProcess>(
        std::vector<std::string>{"scepserver", "-depot", dir + "/depot", "-port",
                                 std::to_string(port), "-challenge", challenge, "-allowrenew", "0"},
        dir + "/scepserver.log");
    if (!wait_for_port(port, 20000)) throw std::runtime_error("scepserver did not start: " + log());
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port) + "/scep"; }
  std::string ca_pem_path() const { return dir + "/depot/ca.pem"; }
  std::string log() const { return read_file(dir + "/scepserver.log"); }
};

}  // namespace mdmlab::testing
