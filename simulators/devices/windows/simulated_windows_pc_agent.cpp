// The agent a Windows PC installs from an MsiInstallJob (seed 001): the MSI downloaded and
// checked against the job's FileHash, then the agent's enrollment at FLEET_URL's
// /api/fleet/orbit/enroll with FLEET_SECRET and, unless told otherwise, the EUA_TOKEN the
// command line carried.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>

#include "core/net/http_client.hpp"
#include "crypto/digest.hpp"
#include "simulators/devices/windows/simulated_windows_pc.hpp"

namespace mdmlab::simulators::windows_pc {
namespace asio = boost::asio;
using nlohmann::json;

namespace {
std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// The SMBIOS UUID the agent reports, from the DeviceID's 32 hex digits.
std::string hardware_uuid(const std::string& device_id) {
  if (device_id.size() != 32) return device_id;
  return device_id.substr(0, 8) + "-" + device_id.substr(8, 4) + "-" + device_id.substr(12, 4) +
         "-" + device_id.substr(16, 4) + "-" + device_id.substr(20);
}
}  // namespace

net::HttpClientOptions SimulatedWindowsPc::agent_options(const std::string& scheme) const {
  auto options = client_options();
  if (scheme == "https") {
    options.tls = net::TlsClientConfig{};
    options.tls->trusted_roots = roots_;
    for (const auto& r : knobs_.trusted_roots) options.tls->trusted_roots.push_back(r);
  }
  return options;
}

asio::awaitable<Result<std::string>> SimulatedWindowsPc::enroll_agent(AgentToken token) {
  auto op = enroll_agent_locked(std::move(token));
  auto r = co_await exclusive(std::move(op));
  co_return r;
}

asio::awaitable<Result<std::string>> SimulatedWindowsPc::enroll_agent_locked(AgentToken token) {
  const auto& jobs = csp_.msi_jobs();
  if (jobs.empty())
    co_return make_error("agent_no_install_job", "no MsiInstallJob has reached this PC");
  const MsiJob job = jobs.back();
  if (job.content_urls.empty())
    co_return make_error("agent_no_install_job", "the MsiInstallJob names no ContentURL");
  // 1. The MSI, checked as msiexec's caller does.
  auto msi_url = net::Url::parse(job.content_urls.front());
  if (!msi_url) co_return msi_url.error();
  net::HttpClient download(executor_, msi_url->origin(), agent_options(msi_url->scheme));
  auto msi = co_await download.get(msi_url->target);
  if (!msi) co_return msi.error();
  if (msi->status != 200)
    co_return make_error("agent_download", "GET " + job.content_urls.front() + " answered " +
                                               std::to_string(msi->status));
  if (lower(crypto::sha256_hex(to_bytes(msi->body))) != lower(job.file_hash))
    co_return make_error("agent_hash_mismatch",
                         "the MSI's SHA-256 is not the FileHash the job names");
  // 2. The agent's enrollment.
  const auto server = job.properties.count("FLEET_URL") ? job.properties.at("FLEET_URL") : "";
  auto url = net::Url::parse(server + "/api/fleet/orbit/enroll");
  if (server.empty() || !url)
    co_return make_error("agent_no_server", "the command line names no FLEET_URL");
  json body{{"enroll_secret",
             job.properties.count("FLEET_SECRET") ? job.properties.at("FLEET_SECRET") : ""},
            {"hardware_uuid", hardware_uuid(identity_.device_id)},
            {"hardware_serial", identity_.device_id.substr(0, 12)},
            {"hostname", identity_.device_name},
            {"platform", "windows"}};
  std::string eua = token.kind == AgentToken::from_job ? job.eua_token
                    : token.kind == AgentToken::given  ? token.value
                                                       : std::string();
  if (token.kind == AgentToken::tampered && !job.eua_token.empty()) {
    // One character of the payload changed: the signature no longer holds.
    eua = job.eua_token;
    const auto at = eua.find('.') + 5;
    eua[at] = eua[at] == 'A' ? 'B' : 'A';
  }
  if (!eua.empty()) body["eua_token"] = eua;
  net::HttpClient http(executor_, url->origin(), agent_options(url->scheme));
  std::string text = body.dump();
  std::string type = "application/json";
  auto res = co_await http.post(url->target, std::move(text), std::move(type));
  if (!res) co_return res.error();
  if (res->status == 401 && res->body.find("END_USER_AUTH_REQUIRED") != std::string::npos)
    co_return make_error("agent_end_user_auth_required",
                         "the server asks the user to sign in again (END_USER_AUTH_REQUIRED)");
  if (res->status != 200)
    co_return make_error("agent_enroll_http", "POST " + server +
                                                  "/api/fleet/orbit/enroll answered " +
                                                  std::to_string(res->status) + ": " + res->body);
  auto answer = json::parse(res->body, nullptr, false);
  if (!answer.is_object() || !answer.contains("orbit_node_key") ||
      !answer["orbit_node_key"].is_string())
    co_return make_error("agent_enroll_bad_answer", "the answer has no orbit_node_key");
  agent_node_key_ = answer["orbit_node_key"].get<std::string>();
  agent_eua_token_ = job.eua_token;
  co_return agent_node_key_;
}

}  // namespace mdmlab::simulators::windows_pc
