// How a simulated Mac answers MDM commands: every command macOS supports (the command table in
// protocol/apple/command_table.hpp) is answered as a Mac would. An unknown RequestType, or one
// newer than the Mac's OS, gets Error 12021; a request whose keys have the wrong plist type (or
// lack a required key) gets CommandFormatError; anything else is Acknowledged with the
// documented response keys, filled from the Mac's identity and from the state earlier commands
// left behind: installed profiles and their certificates, apps, Settings (DeviceName,
// HostName, ...), lock and erase, passwords, users, scheduled OS updates.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "crypto/certificate.hpp"
#include "protocol/apple/command.hpp"
#include "protocol/apple/profile.hpp"
#include "simulators/devices/mac/mac_identity.hpp"

namespace mdmlab::simulators::mac {

struct InstalledProfile {
  std::string identifier, uuid, display_name;
  std::string organization, description;
  // Per payload: PayloadType, PayloadVersion, PayloadIdentifier, PayloadUUID (+ display name,
  // description, organization when the payload has them), as ProfileList reports them.
  std::vector<plist::Value> payloads;
  Bytes signer;  // DER of the CMS signer, when the profile was signed
};

struct InstalledApp {
  std::string identifier, name, version, short_version;
  std::int64_t bundle_size = 0;
  bool managed = false;
  std::int64_t management_flags = 0;
  std::optional<plist::Value> configuration;  // managed app configuration, when set
};

struct DeviceCertificate {
  std::string common_name;
  Bytes der;
  bool is_identity = false;
  std::string profile_identifier;  // the profile that installed it ("" for none)
};

struct MacUser {
  std::string short_name, full_name, guid;
  std::int64_t uid = 501;
  bool logged_in = false;
  bool has_secure_token = true;
};

struct CommandOutcome {
  mdmlab::apple::CommandStatus status = mdmlab::apple::CommandStatus::acknowledged;
  std::vector<mdmlab::apple::ErrorChainItem> error_chain;
  plist::Value fields;  // result keys merged into the report
};

class CommandResponder {
 public:
  // Keeps a reference to `identity`, which must outlive the responder.
  explicit CommandResponder(const MacIdentity& identity);
  CommandResponder(MacIdentity&&) = delete;

  CommandOutcome answer(const mdmlab::apple::Command& command);

  // Profiles. add_profile records one installed outside the command loop (enrollment).
  const std::vector<InstalledProfile>& profiles() const { return profiles_; }
  void add_profile(InstalledProfile p);
  // The enrollment, once it has succeeded: the profile (as add_profile, with its payloads), its
  // root certificates and the SCEP-issued identity (CertificateList), and the push token
  // (DeviceInformation PushToken).
  void note_enrollment(const mdmlab::apple::Profile& profile,
                       const crypto::Certificate& identity_certificate, const Bytes& push_token);
  void add_certificate(const crypto::Certificate& cert, bool is_identity,
                       std::string profile_identifier = {});
  const std::vector<DeviceCertificate>& certificates() const { return certificates_; }

  const std::vector<InstalledApp>& apps() const { return apps_; }
  const std::vector<MacUser>& users() const { return users_; }

  // What Settings changed (the identity's values until then).
  const std::string& device_name() const { return device_name_; }
  // ADE: Setup Assistant waits (AwaitingConfiguration) until DeviceConfigured; an ADE profile
  // with is_supervised makes the Mac supervised.
  bool awaiting_configuration() const { return awaiting_configuration_; }
  void set_awaiting_configuration(bool v) { awaiting_configuration_ = v; }
  const std::string& host_name() const { return host_name_; }
  bool bluetooth_enabled() const { return bluetooth_; }

  bool locked() const { return locked_; }
  const std::string& lock_pin() const { return lock_pin_; }
  const std::string& lock_message() const { return lock_message_; }
  bool erased() const { return erased_; }
  bool remote_desktop_enabled() const { return remote_desktop_; }
  bool recovery_lock_enabled() const { return !recovery_password_.empty(); }
  bool firmware_password_set() const { return !firmware_password_.empty(); }
  int restarts() const { return restarts_; }
  int shutdowns() const { return shutdowns_; }
  // The last DeclarativeManagement Data (the synchronization tokens a server sends).
  const Bytes& declarative_data() const { return declarative_data_; }

  // Reported as DeviceInformation IsSupervised (a Mac enrolled by hand is not).
  void set_supervised(bool supervised) { supervised_ = supervised; }
  bool supervised() const { return supervised_; }
  void set_push_token(Bytes token) { push_token_ = std::move(token); }

 private:
  using Fields = plist::Value;
  // command_responder.cpp: profiles, certificates, apps, settings and the simple commands.
  CommandOutcome install_profile(const plist::Value& c);
  CommandOutcome remove_profile(const plist::Value& c);
  Fields profile_list() const;
  Fields certificate_list() const;
  CommandOutcome install_application(const plist::Value& c, bool enterprise);
  Fields installed_application_list(const plist::Value& c) const;
  Fields managed_application_list(const plist::Value& c) const;
  Fields managed_application_configuration(const plist::Value& c) const;
  Fields settings(const plist::Value& c);
  InstalledApp* find_app(const std::string& identifier);
  // command_responder_info.cpp: queries, passwords, OS updates, users, and the rest.
  Fields device_information(const plist::Value& c) const;
  Fields all_device_information() const;
  Fields security_info() const;
  Fields content_caching_information() const;
  Fields available_os_updates() const;
  Fields schedule_os_update(const plist::Value& c);
  Fields os_update_status() const;
  Fields user_list() const;
  Fields extensions(const plist::Value& c, bool active) const;
  Fields rotate_filevault_key(const plist::Value& c);
  Fields lom_device_request(const plist::Value& c) const;
  Fields lom_setup_request() const;
  void account_configuration(const plist::Value& c);
  Fields answer_other(const std::string& type, const plist::Value& c);
  bool apple_silicon() const;
  bool laptop() const;
  std::string mac_address(std::string_view which) const;  // stable per device
  std::string next_os_version() const;
  std::string next_build_version() const;
  std::string os_update_product_key() const;

  const MacIdentity& identity_;
  std::vector<InstalledProfile> profiles_;
  std::vector<DeviceCertificate> certificates_;
  std::vector<InstalledApp> apps_;
  std::vector<MacUser> users_;
  std::vector<std::pair<std::string, std::string>> admin_accounts_;  // GUID, shortName
  std::map<std::string, plist::Value> app_configurations_;           // by identifier
  struct ProvisioningProfile {
    std::string name, uuid;
    std::optional<plist::Date> expiry;
  };
  std::vector<ProvisioningProfile> provisioning_profiles_;
  struct ScheduledUpdate {
    std::string product_key, install_action;
  };
  std::vector<ScheduledUpdate> scheduled_updates_;
  std::string device_name_, host_name_, local_host_name_;
  std::optional<plist::Value> organization_info_, mdm_options_;
  bool bluetooth_ = true;
  bool supervised_ = false;
  bool awaiting_configuration_ = false;
  Bytes push_token_;
  bool locked_ = false;
  std::string lock_pin_, lock_message_;
  bool erased_ = false;
  bool remote_desktop_ = false;
  std::string firmware_password_, recovery_password_;
  bool firmware_allow_oroms_ = false;
  std::string bypass_code_;
  std::string filevault_recovery_key_;
  Bytes filevault_escrow_cert_;  // DER: FDE_PersonalRecoveryKeyCMS is encrypted to it
  std::optional<plist::Date> last_update_scan_;
  Bytes declarative_data_;
  int restarts_ = 0, shutdowns_ = 0;
};

}  // namespace mdmlab::simulators::mac
