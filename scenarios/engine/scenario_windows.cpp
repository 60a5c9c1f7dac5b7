// Windows PCs in scenarios: pcN.enroll | sync, server.windows_command (mdmlab's admin API), and
// what a PC shows the `device` subject (its state, the commands it answered, the policies its
// CSP tree holds).
#include <boost/asio/this_coro.hpp>

#include "core/net/http_message.hpp"
#include "scenarios/engine/scenario_run.hpp"
#include "scenarios/engine/seeded.hpp"
#include "simulators/devices/windows/windows_catalog.hpp"

namespace mdmlab::scenarios {
namespace asio = boost::asio;
using nlohmann::json;
using simulators::windows_pc::SimulatedWindowsPc;

ScenarioRun::Pc* ScenarioRun::pc(const std::string& id) {
  auto it = pcs_.find(id);
  return it == pcs_.end() ? nullptr : it->second.get();
}

Result<void> ScenarioRun::add_pc(const DeviceSpec& d, std::size_t key_index) {
  const auto& ep = env_->endpoints();
  const auto seed = to_bytes(seeded_hex(options_.seed, scenario_.name + "/" + d.id));
  auto identity = simulators::windows_pc::realistic_windows_identity(
      seed, d.settings.value("os", std::string()));
  if (d.settings.contains("model")) identity.model = d.settings["model"].get<std::string>();
  if (d.settings.contains("upn")) identity.upn = d.settings["upn"].get<std::string>();
  identity.enrollment_secret = ep.windows_enrollment_secret;
  simulators::windows_pc::WindowsKnobs knobs;
  knobs.trusted_roots = ep.windows_roots;
  knobs.transcript = transcript_;
  knobs.party = d.id;  // the report's sequence diagram names PCs as the scenario does
  auto key = pool_.get(key_index);
  if (!key) return key.error();
  pcs_[d.id] = std::make_unique<Pc>(io_->executor(), identity, knobs, *key);
  if (auto u = net::Url::parse(ep.windows_discovery_url); u)
    transcript_->name_origin(u->origin(), "server");
  return success();
}

asio::awaitable<Result<void>> ScenarioRun::windows_action(Pc& pc, const std::string& verb,
                                                          const Step& step) {
  const auto& ep = env_->endpoints();
  if (verb == "enroll") {
    if (step.with.contains("secret"))
      pc.set_enrollment_secret(step.with["secret"].get<std::string>());
    // With an account the PC offers Federated too and signs in where the server sends it (as
    // Windows does); without one it offers OnPremise only (a programmatic enrollment).
    pc.knobs().entra_token.clear();
    if (step.with.value("entra_join", false)) {
      // Azure AD join: the PC holds Entra's access token for the MDM app (the Entra simulator
      // issues it, as Entra does at the join) and offers Federated.
      json ask{{"upn", pc.identity().upn.value_or("")}};
      if (step.with.contains("entra_resource")) ask["resource"] = step.with["entra_resource"];
      auto res = co_await call(
          ep.entra_control_url, "POST",
          "/control/v1/tenants/" + net::percent_encode(ep.entra_tenant) + "/device_tokens",
          ask.dump(), false);
      if (!res) co_return res.error();
      auto answer = json::parse(res->body, nullptr, false);
      if (res->status != 201 || !answer.is_object() || !answer.contains("access_token"))
        co_return make_error("entra_control", "the Entra simulator answered " +
                                                  std::to_string(res->status) + ": " + res->body);
      pc.knobs().auth_policies = {"OnPremise", "Federated"};
      pc.knobs().entra_token = answer["access_token"].get<std::string>();
      pc.knobs().sign_in.reset();
    } else if (step.with.contains("username")) {
      pc.knobs().auth_policies = {"OnPremise", "Federated"};
      pc.knobs().sign_in =
          simulators::web::WebSignIn{step.with.value("username", std::string()),
                                     step.with.value("password", std::string()), ep.entra_roots};
    } else {
      pc.knobs().auth_policies = {"OnPremise"};
      pc.knobs().sign_in.reset();
    }
    auto r = co_await pc.enroll(ep.windows_discovery_url);
    co_return r;
  }
  if (verb == "send_malformed") {
    auto sending =
        pc.send_malformed(ep.windows_discovery_url, step.with.value("to", std::string("discovery")),
                          step.with.value("kind", std::string("not_xml")));
    auto refused = co_await std::move(sending);
    if (!refused) co_return refused.error();
    co_return success();
  }
  if (verb == "unenroll") {
    auto r = co_await pc.unenroll(step.with.value("forget", true));
    co_return r;
  }
  if (verb == "sync") {
    if (step.with.contains("max_msg_size"))
      pc.knobs().max_msg_size = step.with["max_msg_size"].get<long long>();
    auto r = co_await pc.sync();
    if (!r) co_return r.error();
    co_return success();
  }
  if (verb == "agent_enroll") {
    simulators::windows_pc::AgentToken token;
    const auto kind = step.with.value("token", std::string("job"));
    if (kind == "none") token.kind = simulators::windows_pc::AgentToken::none;
    if (kind == "tampered") token.kind = simulators::windows_pc::AgentToken::tampered;
    if (step.with.contains("token_of")) {
      auto* other = this->pc(step.with["token_of"].get<std::string>());
      if (!other || other->msi_jobs().empty())
        co_return make_error("bad_step", "token_of names a PC that received no agent install");
      token.kind = simulators::windows_pc::AgentToken::given;
      token.value = other->msi_jobs().back().eua_token;
    }
    auto r = co_await pc.enroll_agent(token);
    if (!r) co_return r.error();
    co_return success();
  }
  co_return make_error("unknown_action", "a Windows PC cannot '" + verb + "'");
}

// server.windows_command: queued through mdmlab's admin API; `as` names its command_uuid.
asio::awaitable<Result<void>> ScenarioRun::windows_command(const Step& step, std::string& note) {
  const auto& ep = env_->endpoints();
  auto names = device_names(step.with);
  auto* target = names.empty() ? nullptr : pc(names.front());
  if (!target) co_return make_error("bad_step", "server.windows_command needs a Windows PC");
  json body{{"device_id", target->identity().device_id}};
  for (const char* key : {"verb", "target", "format", "type", "data", "syncml"})
    if (step.with.contains(key)) body[key] = step.with[key];
  if (step.with.contains("repeat") && body.contains("data")) {
    // A large object without a suite that spells it out.
    const auto unit = body["data"].get<std::string>();
    std::string data;
    for (long i = 0; i < step.with["repeat"].get<long>(); ++i) data += unit;
    body["data"] = data;
  }
  auto text = body.dump();
  auto res = co_await call(ep.admin_url, "POST", "/admin/v1/windows/commands", text, true);
  if (!res) co_return res.error();
  if (res->status != 201)
    co_return make_error("enqueue_failed",
                         "admin API answered " + std::to_string(res->status) + ": " + res->body);
  auto answer = json::parse(res->body, nullptr, false);
  if (!answer.is_object() || !answer.contains("command_uuid"))
    co_return make_error("enqueue_failed", "the admin API's answer has no command_uuid");
  const auto uuid = answer["command_uuid"].get<std::string>();
  if (!step.as.empty()) vars_[step.as] = uuid;
  note = answer.value("verb", std::string()) + " " + uuid + " queued";
  co_return success();
}

// server.idp_account: an IdP account with names, through mdmlab's admin API.
asio::awaitable<Result<void>> ScenarioRun::idp_account(const Step& step) {
  const auto& ep = env_->endpoints();
  json body = json::object();
  for (const char* key : {"email", "first_name", "last_name"})
    if (step.with.contains(key)) body[key] = step.with[key];
  auto text = body.dump();
  auto res = co_await call(ep.admin_url, "PUT", "/admin/v1/idp/accounts", text, true);
  if (!res) co_return res.error();
  if (res->status != 200)
    co_return make_error("idp_account_failed",
                         "admin API answered " + std::to_string(res->status) + ": " + res->body);
  co_return success();
}

// The server.windows_device subject: the admin API's record of the PC, or state absent.
asio::awaitable<json> ScenarioRun::observe_windows_device(const std::string& id) {
  auto* target = pc(id);
  if (!target) co_return json(nullptr);
  const auto& ep = env_->endpoints();
  auto res = co_await call(ep.admin_url, "GET", "/admin/v1/windows/devices", "", true, false);
  if (!res || res->status != 200) co_return json(nullptr);
  auto body =
      json::parse(res->body, nullptr, false);  // named: a range-for over a temporary dangles
  if (!body.is_object() || !body.contains("devices") || !body["devices"].is_array())
    co_return json(nullptr);
  for (const auto& d : body["devices"])
    if (d.is_object() && d.value("device_id", std::string()) == target->identity().device_id)
      co_return d;
  co_return json{{"state", "absent"}, {"device_id", target->identity().device_id}};
}

json ScenarioRun::pc_document(const Pc& pc) const {
  json commands = json::array();
  for (const auto& c : pc.received_commands())
    commands.push_back({{"name", c.name},
                        {"cmd_id", c.cmd_id},
                        {"target", c.target},
                        {"status", c.status},
                        {"data", c.data}});
  // Policies by "<Area>/<Policy>" (the path's dots would split a field path).
  json policies = json::object();
  const std::string marker = "/Policy/Config/";
  for (const auto& [path, value] : const_cast<Pc&>(pc).csp().nodes()) {
    auto at = path.find(marker);
    if (at == std::string::npos || value.format == "node") continue;
    policies[path.substr(at + marker.size())] = value.data;
  }
  json doc{{"state", std::string(simulators::windows_pc::to_string(pc.state()))},
           {"device_id", pc.identity().device_id},
           {"last_error", pc.last_error()},
           {"sessions", pc.sessions()},
           {"management_url", pc.management_url()},
           {"commands", commands},
           {"policy", policies},
           {"msi_jobs", pc.msi_jobs().size()},
           {"agent_enrolled", pc.agent_enrolled()},
           {"auth_policy", pc.discovery().auth_policy}};
  if (!pc.certificate().empty())
    doc["certificate"] = {{"subject_cn", pc.certificate().subject_field("CN")},
                          {"issuer", pc.certificate().issuer()}};
  return doc;
}

}  // namespace mdmlab::scenarios
