// The Mac's declarative management engine (macOS's DDM client, in small): holds the
// declarations it synced, evaluates them and writes the status report. Rules:
//  - activations (com.apple.activation.simple) are valid when StandardConfigurations names
//    configurations the Mac holds, and then active;
//  - a configuration is active when valid and named by an active activation; the Mac checks
//    the types it knows (passcode.settings, softwareupdate.settings, management.test,
//    management.status-subscriptions) key by key and reports any other type, or a wrongly
//    typed or out-of-range value, as invalid with reasons;
//  - assets and management declarations are valid and active.
// The active passcode and software-update settings are what the Mac "applies".
// Reason codes are this simulator's (Error.UnknownDeclarationType, Error.InvalidPayload,
// Error.MissingConfigurations), shaped as Apple's {code, description, details}.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "protocol/apple/ddm/status_report.hpp"
#include "protocol/apple/ddm/sync_messages.hpp"

namespace mdmlab::simulators::mac {

class DeclarativeAgent {
 public:
  // The DeclarationsToken of the last completed sync ("" before any).
  const std::string& declarations_token() const { return token_; }
  // Keeps `declarations` (and forgets others), remembers `token`, evaluates everything.
  void install(std::vector<apple::ddm::Declaration> declarations, std::string token);
  // The server token the Mac holds for a declaration ("" if none): unchanged ones are not
  // fetched again.
  std::string held_token(const std::string& identifier) const;
  const apple::ddm::Declaration* held(const std::string& identifier) const;
  // The full status report of what the Mac holds.
  apple::ddm::StatusReport status_report(const std::string& udid, const std::string& serial) const;
  // For scenarios: token, syncs, per-declaration status, applied settings.
  nlohmann::json snapshot() const;
  int syncs() const { return syncs_; }

 private:
  void evaluate();
  std::map<std::string, apple::ddm::Declaration> declarations_;
  std::map<std::string, apple::ddm::DeclarationStatus> status_;
  nlohmann::json passcode_ = nullptr, software_update_ = nullptr;
  std::string token_;
  int syncs_ = 0;
};

}  // namespace mdmlab::simulators::mac
