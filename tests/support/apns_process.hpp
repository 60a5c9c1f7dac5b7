// `mdmlab simulate apns` as a separate process for a test: push and control endpoints on free
// ports, its CA and the topic's push identity in DIR/apns; killed when destroyed. serve_args()
// are the `mdmlab serve` arguments that make a server push to it.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "tests/support/process.hpp"

namespace mdmlab::testing {

struct ApnsSimulatorProcess {
  std::string dir, topic;
  unsigned short push_port = free_port(), control_port = free_port();
  BackgroundProcess process;

  ApnsSimulatorProcess(const std::string& d, std::string t)
      : dir(d + "/apns"),
        topic(std::move(t)),
        process({mdmlab_cli(), "--log-level", "warn", "simulate", "apns", "--data-dir", dir,
                 "--listen", "127.0.0.1:" + std::to_string(push_port), "--control-listen",
                 "127.0.0.1:" + std::to_string(control_port), "--topic", topic},
                d + "/apns.log") {}
  // Listening, and the push identity written.
  bool ready() {
    return wait_for_port(push_port) && wait_for_port(control_port) &&
           wait_for_file(dir + "/push-" + topic + ".key");
  }
  std::string control_url() const { return "http://127.0.0.1:" + std::to_string(control_port); }
  std::vector<std::string> serve_args() const {
    return {"--apns-url",  "https://127.0.0.1:" + std::to_string(push_port),
            "--apns-cert", dir + "/push-" + topic + ".pem",
            "--apns-key",  dir + "/push-" + topic + ".key",
            "--apns-ca",   dir + "/apns-ca.pem"};
  }
};

}  // namespace mdmlab::testing
