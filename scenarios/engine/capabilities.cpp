#include "scenarios/engine/capabilities.hpp"

#include <algorithm>
#include <functional>

#include "scenarios/engine/profile_edits.hpp"

namespace mdmlab::scenarios {

namespace {
bool uses_apns(const Step& s) {
  auto party = s.action.substr(0, s.action.find('.'));
  auto verb = s.action.substr(s.action.find('.') + 1);
  return party == "apns" || verb == "go_online" || verb == "go_offline" ||
         s.expect.contains("apns.deliveries") ||
         (s.expect.contains("field") && s.expect["field"] == "pushes_received");
}
// Every step, parallel branches included.
void each_step(const std::vector<Step>& steps, const std::function<void(const Step&)>& f) {
  for (const auto& s : steps) {
    f(s);
    for (const auto& branch : s.branches) each_step(branch, f);
  }
}

// A command queued with a push and never fetched by a poll step reaches the device only
// through that push: the scenario depends on APNs even if no step names it.
bool relies_on_push(const Scenario& sc) {
  bool pushed_command = false, polls = false;
  each_step(sc.steps, [&](const Step& s) {
    if (s.action == "server.enqueue" && !(s.with.is_object() && s.with.value("no_push", false)))
      pushed_command = true;
    if (s.action.size() > 5 && s.action.compare(s.action.size() - 5, 5, ".poll") == 0) polls = true;
  });
  return pushed_command && !polls;
}
}  // namespace

namespace {
bool sc_requires_entra(const Scenario& sc) {
  return std::find(sc.required.begin(), sc.required.end(), "entra") != sc.required.end();
}
}  // namespace

std::set<std::string> inferred_needs(const Scenario& sc) {
  std::set<std::string> needs;
  if (relies_on_push(sc)) needs.insert("apns");
  if (!sc.server.empty()) needs.insert("server_settings");
  for (const auto& d : sc.devices) {
    if (d.settings.contains("apns") && d.settings["apns"] != "none") needs.insert("apns");
    if (d.type == "windows") needs.insert("windows");
  }
  // Parallel branches are walked with the rest: the scenario as a whole, not each branch
  // alone, decides (a branch that queues a command may rely on a poll outside it).
  each_step(sc.steps, [&](const Step& s) {
    if (s.action.rfind("clock.", 0) == 0 || s.virtual_time) needs.insert("virtual_clock");
    if (uses_apns(s)) needs.insert("apns");
    if (s.action == "server.enqueue")
      needs.insert("commands");
    else if (s.action == "server.windows_command" || s.action == "server.idp_account" ||
             s.action == "entra.provision")
      needs.insert("admin_api");
    else if (s.action == "server.dep_sync" || s.action.rfind("abm.", 0) == 0 ||
             s.action.ends_with(".enroll_ade") || s.expect.contains("abm.device") ||
             s.expect.contains("abm.api"))
      needs.insert("abm");
    else if (s.action.rfind("server.", 0) == 0)
      needs.insert("admin_api");
    if (s.action.ends_with(".enroll_ota") || s.action.ends_with(".ota_replay")) needs.insert("ota");
    // ADE or a Windows enrollment with an account needs the server's sign-in at Entra; ADE
    // without one, a server that hands out its profile without a sign-in.
    const bool with_account =
        s.with.is_object() && (s.with.contains("username") || s.with.contains("entra_join"));
    if (s.action.rfind("entra.", 0) == 0 ||
        ((s.action.ends_with(".enroll_ade") || s.action.ends_with(".enroll")) && with_account))
      needs.insert("entra");
    else if (s.action.ends_with(".enroll_ade") && !sc_requires_entra(sc))
      needs.insert("ade_automatic");
    if (s.expect.contains("server.device") || s.expect.contains("server.ddm") ||
        s.expect.contains("server.windows_command") || s.expect.contains("server.windows_device"))
      needs.insert("admin_api");
    if (s.expect.contains("server.command")) needs.insert("command_results");
    if (s.with.is_object() && s.with.contains("challenge") && !s.action.ends_with(".enroll_ota")) {
      needs.insert("scep_challenge");
      needs.insert("unsigned_profile");
    }
    if (s.with.is_object() && s.with.value("profile", std::string()) == "unsigned")
      needs.insert("unsigned_profile");
    if (has_profile_edits(s.with)) needs.insert("unsigned_profile");
  });
  return needs;
}

std::set<std::string> needs_of(const Scenario& sc) {
  auto needs = inferred_needs(sc);
  needs.insert(sc.required.begin(), sc.required.end());
  return needs;
}

std::string missing_capability(const Scenario& sc, const Endpoints& e) {
  auto needs = needs_of(sc);
  for (const auto& need : needs) {
    if (need == "server_settings" && !e.clock)
      return "server settings that only the embedded reference server takes (server_settings)";
    if (need == "virtual_clock" && !e.clock)
      return "a clock the scenario can advance, embedded mode only (virtual_clock)";
    if (need == "abm" && e.abm_control_url.empty())
      return "an ABM simulator the target syncs with over the DEP API (abm: set abm_control_url)";
    if (need == "ade_automatic" && !e.entra_control_url.empty())
      return "automatic ADE: this target signs users in first (entra_control_url is set)";
    if (need == "entra" && (e.entra_control_url.empty() || e.entra_tenant.empty()))
      return "an Entra simulator the server signs users in at (entra: set entra_control_url, "
             "entra_tenant and entra_ca_file)";
    if (need == "windows" && (e.windows_discovery_url.empty() || e.windows_roots.empty()))
      return "Windows enrollment (windows: set windows_discovery_url, windows_enrollment_secret "
             "and windows_ca_file)";
    if (need == "ota" && e.ota_profile_url.empty())
      return "over-the-air enrollment (ota: set ota_profile_url)";
    if (need == "apns" && e.apns_control_url.empty())
      return "an APNs simulator the target pushes to (apns: set apns_control_url)";
    if (need == "admin_api" && (e.admin_url.empty() || e.admin_token.empty()))
      return "the mdmlab admin API (admin_api: set server_url and admin_token)";
    if (need == "commands" && (e.admin_url.empty() || e.admin_token.empty()) && !e.command_api)
      return "a way to queue commands (commands: set command_api, or server_url and admin_token)";
    if (need == "command_results" && (e.admin_url.empty() || e.admin_token.empty()) &&
        !e.command_results)
      return "a way to read command results (command_results: set command_results, or "
             "server_url and admin_token)";
    if (need == "scep_challenge" && e.scep_challenge.empty())
      return "a known SCEP challenge (scep_challenge)";
    if (need == "unsigned_profile" && e.unsigned_profile_url.empty())
      return "an unsigned enrollment profile (unsigned_profile: set unsigned_profile_url)";
  }
  return {};
}

}  // namespace mdmlab::scenarios
