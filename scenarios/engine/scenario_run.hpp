// One scenario, start to end: its environment (embedded or target), its simulated devices,
// then each step in order. Steps name a party and an action:
//   macN.enroll | poll | checkout | token_update | go_online | go_offline
//   server.enqueue | server.push        apns.fault | apns.unregister | apns.clear_faults
//   clock.advance (embedded: the server's and APNs' virtual clock)
// and expectations poll the parties (server admin API, APNs control API, the devices) until
// they match or the deadline passes.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <map>
#include <memory>
#include <optional>

#include <nlohmann/json.hpp>

#include "core/keys/key_pool.hpp"
#include "core/net/http_client.hpp"
#include "core/net/io_runtime.hpp"
#include "scenarios/engine/environment.hpp"
#include "scenarios/engine/runner.hpp"
#include "simulators/devices/mac/simulated_mac.hpp"
#include "simulators/devices/windows/simulated_windows_pc.hpp"

namespace mdmlab::scenarios {

class ScenarioRun {
 public:
  ScenarioRun(const Scenario& sc, const RunOptions& opts, std::size_t key_base)
      : scenario_(sc), options_(opts), key_base_(key_base) {}
  ScenarioResult run();

 private:
  using Mac = simulators::mac::SimulatedMac;
  using Pc = simulators::windows_pc::SimulatedWindowsPc;
  boost::asio::awaitable<void> steps(ScenarioResult& result);
  boost::asio::awaitable<Result<void>> run_step(const Step& step, std::string& note);
  boost::asio::awaitable<Result<void>> run_one(const Step& step, std::string& note);
  boost::asio::awaitable<Result<void>> run_action(const Step& step, std::string& note);
  // scenario_fleet.cpp: groups and parallel blocks.
  boost::asio::awaitable<Result<void>> run_group(const Step& step,
                                                 const std::vector<std::string>& members,
                                                 std::string& note);
  boost::asio::awaitable<Result<void>> run_parallel(const Step& step, std::string& note);
  boost::asio::awaitable<Result<void>> expect_step(const Step& step, std::string& note);
  boost::asio::awaitable<std::vector<Result<void>>> gather(
      std::vector<boost::asio::awaitable<Result<void>>> tasks);
  nlohmann::json failure_facts(const Step& step, const Error& error, double since) const;
  boost::asio::awaitable<Result<std::string>> runner_get(const std::string& url);
  boost::asio::awaitable<Result<void>> device_action(Mac& mac, const std::string& verb,
                                                     const Step& step);
  boost::asio::awaitable<Result<void>> server_action(const std::string& verb, const Step& step,
                                                     std::string& note);
  boost::asio::awaitable<Result<void>> apns_action(const std::string& verb, const Step& step);
  Result<void> advance_clock(const std::string& verb, const Step& step);
  boost::asio::awaitable<Result<void>> expect(const Step& step);
  boost::asio::awaitable<nlohmann::json> observe(const nlohmann::json& e);
  boost::asio::awaitable<nlohmann::json> observe_command_results(const nlohmann::json& e,
                                                                 const std::string& uuid);
  boost::asio::awaitable<void> describe_parties(ScenarioResult& result);
  boost::asio::awaitable<void> collect_messages(ScenarioResult& result);
  void collect_verdicts(ScenarioResult& result);
  void name_profile_origins();
  boost::asio::awaitable<Result<net::HttpResponse>> call(std::string base, std::string method,
                                                         std::string target, std::string body,
                                                         bool admin, bool transcribe = true);
  Result<std::vector<std::string>> udids_of(const nlohmann::json& with);
  // The devices `device` / `devices` name, groups expanded.
  std::vector<std::string> device_names(const nlohmann::json& with) const;
  boost::asio::awaitable<Result<void>> abm_action(const std::string& verb, const Step& step);
  boost::asio::awaitable<Result<void>> dep_sync(const Step& step);
  boost::asio::awaitable<Result<void>> entra_action(const std::string& verb, const Step& step);
  // scenario_ddm.cpp: server.ddm_* through mdmlab's admin API, and the server.ddm subject.
  boost::asio::awaitable<Result<void>> ddm_action(const std::string& verb, const Step& step,
                                                  std::string& note);
  boost::asio::awaitable<nlohmann::json> observe_ddm(const std::string& device_id);
  Mac* device(const std::string& id);
  // scenario_windows.cpp: Windows PCs.
  Pc* pc(const std::string& id);
  Result<void> add_pc(const DeviceSpec& d, std::size_t key_index);
  boost::asio::awaitable<Result<void>> windows_action(Pc& pc, const std::string& verb,
                                                      const Step& step);
  boost::asio::awaitable<Result<void>> windows_command(const Step& step, std::string& note);
  nlohmann::json pc_document(const Pc& pc) const;
  boost::asio::awaitable<Result<void>> idp_account(const Step& step);
  boost::asio::awaitable<nlohmann::json> observe_windows_device(const std::string& id);
  void fail(ScenarioResult& r, int step, std::string message);

  const Scenario& scenario_;
  const RunOptions& options_;
  std::size_t key_base_;
  keys::KeyPool pool_;
  net::IoRuntime* io_ = nullptr;
  Environment* env_ = nullptr;
  std::map<std::string, std::unique_ptr<Mac>> devices_;
  std::map<std::string, std::unique_ptr<Pc>> pcs_;
  std::map<std::string, std::string> vars_;
  std::shared_ptr<net::Transcript> transcript_ = std::make_shared<net::Transcript>();
  std::chrono::system_clock::time_point started_wall_ = std::chrono::system_clock::now();
  std::shared_ptr<simulators::ConformanceLog> conformance_ =
      std::make_shared<simulators::ConformanceLog>([t = transcript_] { return t->now_ms(); });
};

}  // namespace mdmlab::scenarios
