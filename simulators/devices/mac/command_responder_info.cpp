// The simulated Mac's queries (DeviceInformation, SecurityInfo, ContentCachingInformation,
// OS updates, users, extensions) and the commands that only change a little state.
#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdlib>

#include "crypto/cms.hpp"
#include "crypto/digest.hpp"
#include "crypto/random.hpp"
#include "protocol/plist/xml.hpp"
#include "simulators/devices/mac/command_responder.hpp"

namespace mdmlab::simulators::mac {

namespace {

plist::Date now() {
  using namespace std::chrono;
  return {duration_cast<seconds>(system_clock::now().time_since_epoch()).count()};
}

std::string digest_of(const std::string& text) {
  return crypto::sha256_hex(to_bytes(text));
}

// A UUID-shaped string derived from `seed` (stable across answers).
std::string stable_uuid(const std::string& seed) {
  auto h = digest_of(seed);
  for (auto& ch : h) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-4" + h.substr(13, 3) + "-8" + h.substr(17, 3) +
         "-" + h.substr(20, 12);
}

// A FileVault personal recovery key: six groups of four characters.
std::string recovery_key() {
  static constexpr char alphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  auto bytes = crypto::random_bytes(24);
  std::string out;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i && i % 4 == 0) out += '-';
    out += alphabet[bytes[i] % 32];
  }
  return out;
}

std::string macos_name(int major) {
  switch (major) {
    case 11:
      return "Big Sur";
    case 12:
      return "Monterey";
    case 13:
      return "Ventura";
    case 14:
      return "Sonoma";
    case 15:
      return "Sequoia";
    default:
      return "";
  }
}

}  // namespace

bool CommandResponder::apple_silicon() const {
  // MacN,N identifiers, and the first M1 models that kept the old family names.
  const auto& m = identity_.model;
  if (m.size() > 3 && m.rfind("Mac", 0) == 0 && std::isdigit(static_cast<unsigned char>(m[3])))
    return true;
  for (const char* prefix :
       {"MacBookAir10,", "MacBookPro17,", "MacBookPro18,", "Macmini9,", "iMac21,"})
    if (m.rfind(prefix, 0) == 0) return true;
  return false;
}

bool CommandResponder::laptop() const {
  return identity_.model_name.find("MacBook") != std::string::npos ||
         identity_.model.rfind("MacBook", 0) == 0;
}

std::string CommandResponder::mac_address(std::string_view which) const {
  auto h = digest_of(identity_.udid + "/" + std::string(which));
  std::string out = "a4:83:e7";  // an Apple OUI
  for (int i = 0; i < 3; ++i) out += ":" + h.substr(static_cast<std::size_t>(i) * 2, 2);
  return out;
}

std::string CommandResponder::next_os_version() const {
  // 14.5 -> 14.6, 14.5.1 -> 14.6, 15 -> 15.1
  auto dot = identity_.os_version.find('.');
  auto major = identity_.os_version.substr(0, dot);
  int minor = 0;
  if (dot != std::string::npos) minor = std::atoi(identity_.os_version.c_str() + dot + 1);
  return major + "." + std::to_string(minor + 1);
}

std::string CommandResponder::next_build_version() const {
  // 23F79 -> 23G5: the next letter is the next minor release.
  const auto& b = identity_.build_version;
  auto letter = b.find_first_not_of("0123456789");
  if (letter == std::string::npos) return b + "a";
  return b.substr(0, letter) + static_cast<char>(b[letter] + 1) + "5";
}

std::string CommandResponder::os_update_product_key() const {
  return "MSU_UPDATE_" + next_build_version() + "_patch_" + next_os_version();
}

plist::Value CommandResponder::all_device_information() const {
  plist::Value all;
  const bool silicon = apple_silicon();
  all.set("UDID", identity_.udid)
      .set("AwaitingConfiguration", awaiting_configuration_)
      .set("iTunesStoreAccountIsActive", false)
      .set("DeviceName", device_name_)
      .set("OSVersion", identity_.os_version)
      .set("BuildVersion", identity_.build_version)
      .set("SupplementalBuildVersion", identity_.build_version)
      .set("ModelName", identity_.model_name)
      .set("Model", identity_.model)
      .set("IsAppleSilicon", silicon)
      .set("ProductName", identity_.model)
      .set("SerialNumber", identity_.serial_number)
      .set("DeviceCapacity", 494.38)
      .set("AvailableDeviceCapacity", 201.5)
      .set("HasBattery", laptop());
  if (laptop()) all.set("BatteryLevel", 0.87);
  all.set("IsSupervised", supervised_)
      .set("IsActivationLockEnabled", false)
      .set("IsActivationLockSupported", true)
      .set("SupportsLOMDevice", identity_.model_name.find("Mac Pro") != std::string::npos);
  plist::Array active;
  for (const auto& u : users_)
    if (u.logged_in) active.push_back(u.guid);
  all.set("ActiveManagedUsers", plist::Value(std::move(active)));
  plist::Value os_updates;
  os_updates
      .set("CatalogURL", "https://swscan.apple.com/content/catalogs/others/index-" +
                             identity_.os_version + ".merged-1.sucatalog")
      .set("IsDefaultCatalog", true);
  if (last_update_scan_) os_updates.set("PreviousScanDate", *last_update_scan_);
  os_updates.set("PerformPeriodicCheck", true)
      .set("AutoCheckEnabled", true)
      .set("BackgroundDownloadEnabled", true)
      .set("AutomaticAppInstallationEnabled", false)
      .set("AutomaticOSInstallationEnabled", false)
      .set("AutomaticSecurityUpdatesEnabled", true);
  all.set("OSUpdateSettings", std::move(os_updates))
      .set("LocalHostName", local_host_name_)
      .set("HostName", host_name_);
  plist::Array admins;
  for (const auto& [guid, name] : admin_accounts_) {
    plist::Value a;
    a.set("GUID", guid).set("shortName", name);
    admins.push_back(std::move(a));
  }
  all.set("AutoSetupAdminAccounts", plist::Value(std::move(admins)))
      .set("SystemIntegrityProtectionEnabled", true);
  if (!push_token_.empty()) all.set("PushToken", push_token_);
  all.set("BluetoothMAC", mac_address("bluetooth")).set("WiFiMAC", mac_address("wifi"));
  if (!laptop()) all.set("EthernetMAC", mac_address("ethernet"));
  all.set("PINRequiredForEraseDevice", !silicon)
      .set("PINRequiredForDeviceLock", !silicon)
      .set("SupportsiOSAppInstalls", silicon);
  if (organization_info_) all.set("OrganizationInfo", *organization_info_);
  plist::Value options{plist::Dict{}};
  if (mdm_options_) options = *mdm_options_;
  all.set("MDMOptions", std::move(options));
  return all;
}

plist::Value CommandResponder::device_information(const plist::Value& c) const {
  // Each query the Mac can answer; others are left out, as devices do.
  auto all = all_device_information();
  plist::Value answers{plist::Dict{}};
  for (const auto& q : *c.find("Queries")->array()) {
    if (!q.string()) continue;
    if (const auto* v = all.find(*q.string())) answers.set(*q.string(), *v);
  }
  plist::Value out;
  out.set("QueryResponses", std::move(answers));
  return out;
}

plist::Value CommandResponder::security_info() const {
  const bool silicon = apple_silicon();
  plist::Value firewall;
  firewall.set("FirewallEnabled", true)
      .set("BlockAllIncoming", false)
      .set("StealthMode", false)
      .set("Applications", plist::Value(plist::Array{}))
      .set("LoggingEnabled", true)
      .set("LoggingOption", "throttled");
  plist::Value firmware;
  firmware.set("PasswordExists", !firmware_password_.empty())
      .set("ChangePending", false)
      .set("AllowOroms", firmware_allow_oroms_);
  plist::Value management;
  management.set("EnrolledViaDEP", false)
      .set("UserApprovedEnrollment", true)
      .set("IsUserEnrollment", false)
      .set("IsActivationLockManageable", supervised_);
  plist::Value secure_boot;
  secure_boot.set("SecureBootLevel", "full")
      .set("ExternalBootLevel", silicon ? "not supported" : "disallowed");
  if (silicon) secure_boot.set("ReducedSecurity", plist::Value(plist::Array{}));

  plist::Value info;
  info.set("FDE_Enabled", true)
      .set("FDE_HasPersonalRecoveryKey", true)
      .set("FDE_HasInstitutionalRecoveryKey", false);
  if (!filevault_escrow_cert_.empty() && !filevault_recovery_key_.empty()) {
    auto cert = crypto::Certificate::from_der(filevault_escrow_cert_);
    auto cms = cert ? crypto::cms_envelope(to_bytes(filevault_recovery_key_), {*cert},
                                           crypto::cipher_by_name("AES-256-CBC"))
                    : Result<Bytes>(cert.error());
    if (cms) info.set("FDE_PersonalRecoveryKeyCMS", *cms);
    info.set("FDE_PersonalRecoveryKeyDeviceKey", identity_.serial_number);
  }
  info.set("SystemIntegrityProtectionEnabled", true)
      .set("FirewallSettings", std::move(firewall))
      .set("FirmwarePasswordStatus", std::move(firmware))
      .set("ManagementStatus", std::move(management))
      .set("SecureBoot", std::move(secure_boot))
      .set("RemoteDesktopEnabled", remote_desktop_)
      .set("AuthenticatedRootVolumeEnabled", true)
      .set("BootstrapTokenAllowedForAuthentication", silicon ? "allowed" : "not supported")
      .set("BootstrapTokenRequiredForSoftwareUpdate", false)
      .set("BootstrapTokenRequiredForKernelExtensionApproval", false)
      .set("IsRecoveryLockEnabled", !recovery_password_.empty());
  plist::Value out;
  out.set("SecurityInfo", std::move(info));
  return out;
}

plist::Value CommandResponder::content_caching_information() const {
  // Content caching is not turned on: the service reports itself inactive and empty.
  plist::Value status;
  status.set("Activated", false)
      .set("Active", false)
      .set("ActualCacheUsed", 0)
      .set("CacheFree", std::int64_t{150000000000})
      .set("CacheLimit", 0)
      .set("CacheStatus", "OK")
      .set("CacheUsed", 0)
      .set("Parents", plist::Value(plist::Array{}))
      .set("Peers", plist::Value(plist::Array{}))
      .set("Port", 0)
      .set("PrivateAddresses", plist::Value(plist::Array{}))
      .set("RegistrationStatus", 0)
      .set("RestrictedMedia", false)
      .set("ServerGUID", stable_uuid(identity_.udid + "/content-caching"))
      .set("StartupStatus", "PENDING")
      .set("TetheratorStatus", 0)
      .set("TotalBytesDropped", 0)
      .set("TotalBytesImported", 0)
      .set("TotalBytesReturnedToChildren", 0)
      .set("TotalBytesReturnedToClients", 0)
      .set("TotalBytesReturnedToPeers", 0)
      .set("TotalBytesStoredFromOrigin", 0)
      .set("TotalBytesStoredFromParents", 0)
      .set("TotalBytesStoredFromPeers", 0);
  plist::Value out;
  out.set("StatusResponse", std::move(status));
  return out;
}

plist::Value CommandResponder::available_os_updates() const {
  plist::Array list;
  const auto version = next_os_version();
  const auto name = macos_name(std::atoi(version.c_str()));
  plist::Value u;
  u.set("ProductKey", os_update_product_key())
      .set("HumanReadableName", "macOS " + (name.empty() ? "" : name + " ") + version)
      .set("HumanReadableNameLocale", "en")
      .set("MetadataURL",
           "https://swdist.apple.com/content/downloads/" + os_update_product_key() + ".plist")
      .set("Version", version)
      .set("Build", next_build_version())
      .set("DownloadSize", std::int64_t{1740000000})
      .set("AppIdentifiersToClose", plist::Value(plist::Array{}))
      .set("IsCritical", false)
      .set("IsConfigDataUpdate", false)
      .set("IsFirmwareUpdate", false)
      .set("IsMajorOSUpdate", false)
      .set("RestartRequired", true)
      .set("AllowsInstallLater", true)
      .set("RequiresBootstrapToken", apple_silicon())
      .set("IsSecurityResponse", false);
  list.push_back(std::move(u));
  plist::Value out;
  out.set("AvailableOSUpdates", plist::Value(std::move(list)));
  return out;
}

plist::Value CommandResponder::schedule_os_update(const plist::Value& c) {
  plist::Array results;
  for (const auto& u : *c.find("Updates")->array()) {
    auto key = u.string_or("ProductKey");
    const auto version = u.string_or("ProductVersion");
    if (key.empty() && (version.empty() || version == next_os_version()))
      key = os_update_product_key();
    auto action = u.string_or("InstallAction");
    if (action == "Default") action = "DownloadOnly";
    const bool known = key == os_update_product_key();
    plist::Value r;
    r.set("ProductKey", key.empty() ? version : key)
        .set("InstallAction", known ? action : "Error")
        .set("Status", known ? "Downloading" : "Idle");
    if (known) {
      scheduled_updates_.erase(
          std::remove_if(scheduled_updates_.begin(), scheduled_updates_.end(),
                         [&](const ScheduledUpdate& s) { return s.product_key == key; }),
          scheduled_updates_.end());
      scheduled_updates_.push_back({key, action});
    }
    results.push_back(std::move(r));
  }
  plist::Value out;
  out.set("UpdateResults", plist::Value(std::move(results)));
  return out;
}

plist::Value CommandResponder::os_update_status() const {
  plist::Array list;
  for (const auto& s : scheduled_updates_) {
    plist::Value item;
    item.set("ProductKey", s.product_key)
        .set("IsDownloaded", false)
        .set("DownloadPercentComplete", 0.0)
        .set("Status", "Downloading");
    list.push_back(std::move(item));
  }
  plist::Value out;
  out.set("OSUpdateStatus", plist::Value(std::move(list)));
  return out;
}

plist::Value CommandResponder::user_list() const {
  plist::Array list;
  for (const auto& u : users_) {
    plist::Value item;
    item.set("UserName", u.short_name)
        .set("FullName", u.full_name)
        .set("UID", u.uid)
        .set("UserGUID", u.guid)
        .set("IsLoggedIn", u.logged_in)
        .set("MobileAccount", false)
        .set("HasSecureToken", u.has_secure_token);
    list.push_back(std::move(item));
  }
  plist::Value out;
  out.set("Users", plist::Value(std::move(list)));
  return out;
}

plist::Value CommandResponder::extensions(const plist::Value& c, bool active) const {
  struct Ext {
    const char *id, *point, *name, *container, *container_id, *path;
  };
  static constexpr Ext known[] = {
      {"com.apple.share.Mail.compose", "com.apple.share-services", "Mail", "Mail", "com.apple.mail",
       "/System/Applications/Mail.app/Contents/PlugIns/MailShareExtension.appex"},
      {"com.apple.Safari.SafariQuickLookPreview", "com.apple.quicklook.preview",
       "Safari QuickLook Preview", "Safari", "com.apple.Safari",
       "/Applications/Safari.app/Contents/PlugIns/SafariQuickLookPreview.appex"}};
  std::optional<std::vector<std::string>> filter;
  if (const auto* f = c.find("FilterExtensionPoints"); f && f->array()) {
    filter.emplace();
    for (const auto& p : *f->array())
      if (p.string()) filter->push_back(*p.string());
  }
  plist::Array list;
  for (const auto& e : known) {
    if (filter && std::find(filter->begin(), filter->end(), e.point) == filter->end()) continue;
    plist::Value item;
    item.set("Identifier", e.id).set("ExtensionPoint", e.point).set("DisplayName", e.name);
    if (active) {
      item.set("ContainerDisplayName", e.container)
          .set("ContainerIdentifier", e.container_id)
          .set("Path", e.path)
          .set("Version", identity_.os_version)
          .set("UserElection", "Default");
    }
    list.push_back(std::move(item));
  }
  plist::Value out;
  out.set("Extensions", plist::Value(std::move(list)));
  return out;
}

plist::Value CommandResponder::rotate_filevault_key(const plist::Value& c) {
  filevault_recovery_key_ = recovery_key();
  if (const auto* cert = c.find("NewCertificate")) filevault_escrow_cert_ = *cert->data();
  plist::Value out;
  const auto* reply = c.find("ReplyEncryptionCertificate");
  if (!reply) return out;
  auto cert = crypto::Certificate::from_der(*reply->data());
  if (!cert) return out;
  auto cms = crypto::cms_envelope(to_bytes(filevault_recovery_key_), {*cert},
                                  crypto::cipher_by_name("AES-256-CBC"));
  if (!cms) return out;
  plist::Value result;
  result.set("EncryptedNewRecoveryKey", *cms);
  out.set("RotateResult", std::move(result));
  return out;
}

plist::Value CommandResponder::lom_device_request(const plist::Value& c) const {
  plist::Array list;
  for (const auto& r : *c.find("RequestList")->array()) {
    plist::Value item;
    item.set("DeviceRequestSuccess", true)
        .set("DeviceRequestUUID", r.string_or("DeviceRequestUUID"));
    list.push_back(std::move(item));
  }
  plist::Value out;
  out.set("ResponseList", plist::Value(std::move(list)));
  return out;
}

plist::Value CommandResponder::lom_setup_request() const {
  auto h = digest_of(identity_.udid + "/lom");
  plist::Value out;
  out.set("PrimaryIPv6AddressList",
          plist::Value(plist::Array{"fe80::" + h.substr(0, 4) + ":" + h.substr(4, 4) + ":" +
                                    h.substr(8, 4) + ":" + h.substr(12, 4)}))
      .set("SecondaryIPv6AddressList", plist::Value(plist::Array{}))
      .set("LOMProtocolVersion", 1);
  return out;
}

void CommandResponder::account_configuration(const plist::Value& c) {
  if (const auto* admins = c.find("AutoSetupAdminAccounts")) {
    for (const auto& a : *admins->array()) {
      const auto name = a.string_or("shortName");
      const auto guid = stable_uuid(identity_.udid + "/admin/" + name);
      admin_accounts_.emplace_back(guid, name);
      MacUser u;
      u.short_name = name;
      u.full_name = a.string_or("fullName", name);
      u.guid = guid;
      u.uid = 501 + static_cast<std::int64_t>(users_.size());
      users_.push_back(std::move(u));
    }
  }
  const auto primary = c.string_or("PrimaryAccountUserName");
  if (!primary.empty() && !c.find("SkipPrimarySetupAccountCreation")) {
    MacUser u;
    u.short_name = primary;
    u.full_name = c.string_or("PrimaryAccountFullName", primary);
    u.guid = stable_uuid(identity_.udid + "/user/" + primary);
    u.uid = 501 + static_cast<std::int64_t>(users_.size());
    users_.push_back(std::move(u));
  }
}

plist::Value CommandResponder::answer_other(const std::string& type, const plist::Value& c) {
  plist::Value out;
  if (type == "DeviceInformation") return device_information(c);
  if (type == "SecurityInfo") return security_info();
  if (type == "ContentCachingInformation") return content_caching_information();
  if (type == "AvailableOSUpdates") return available_os_updates();
  if (type == "ScheduleOSUpdate") return schedule_os_update(c);
  if (type == "OSUpdateStatus") return os_update_status();
  if (type == "UserList") return user_list();
  if (type == "ActiveNSExtensions") return extensions(c, true);
  if (type == "NSExtensionMappings") return extensions(c, false);
  if (type == "RotateFileVaultKey") return rotate_filevault_key(c);
  if (type == "LOMDeviceRequest") return lom_device_request(c);
  if (type == "LOMSetupRequest") return lom_setup_request();
  if (type == "AccountConfiguration") {
    account_configuration(c);
  } else if (type == "ScheduleOSUpdateScan") {
    last_update_scan_ = now();
    out.set("ScanInitiated", true);
  } else if (type == "DeviceConfigured") {
    awaiting_configuration_ = false;
  } else if (type == "DeclarativeManagement") {
    if (const auto* data = c.find("Data")) declarative_data_ = *data->data();
  } else if (type == "ActivationLockBypassCode") {
    if (bypass_code_.empty()) {
      auto key = recovery_key();  // same alphabet; Apple groups the code by five
      key.erase(std::remove(key.begin(), key.end(), '-'), key.end());
      for (std::size_t i = 0; i < key.size(); i += 5)
        bypass_code_ += (i ? "-" : "") + key.substr(i, 5);
    }
    out.set("ActivationLockBypassCode", bypass_code_);
  } else if (type == "ClearActivationLockBypassCode") {
    bypass_code_.clear();
  } else if (type == "RestartDevice") {
    ++restarts_;
  } else if (type == "ShutDownDevice") {
    ++shutdowns_;
  } else if (type == "EnableRemoteDesktop" || type == "DisableRemoteDesktop") {
    remote_desktop_ = type == "EnableRemoteDesktop";
  } else if (type == "SetFirmwarePassword") {
    const bool ok = c.string_or("CurrentPassword") == firmware_password_;
    if (ok) {
      firmware_password_ = c.string_or("NewPassword");
      firmware_allow_oroms_ = c.find("AllowOroms") && *c.find("AllowOroms")->boolean();
    }
    out.set("SetFirmwarePassword", plist::Value(plist::Dict{{"PasswordChanged", ok}}));
  } else if (type == "VerifyFirmwarePassword") {
    const bool ok = !firmware_password_.empty() && c.string_or("Password") == firmware_password_;
    out.set("VerifyFirmwarePassword", plist::Value(plist::Dict{{"PasswordVerified", ok}}));
  } else if (type == "SetRecoveryLock") {
    // An empty NewPassword clears the lock.
    if (c.string_or("CurrentPassword") == recovery_password_)
      recovery_password_ = c.string_or("NewPassword");
  } else if (type == "VerifyRecoveryLock") {
    out.set("PasswordVerified",
            !recovery_password_.empty() && c.string_or("Password") == recovery_password_);
  } else if (type == "InstallProvisioningProfile") {
    // A CMS-signed plist (Name, UUID, ExpirationDate); unreadable ones get a derived identity.
    const auto& der = *c.find("ProvisioningProfile")->data();
    ProvisioningProfile p{"Provisioning Profile", stable_uuid(hex_encode(der)), std::nullopt};
    if (auto signed_data = crypto::SignedMessage::parse(der);
        signed_data && signed_data->content()) {
      if (auto body = plist::from_xml(to_string(*signed_data->content()))) {
        p.name = body->string_or("Name", p.name);
        p.uuid = body->string_or("UUID", p.uuid);
        if (const auto* d = body->find("ExpirationDate")) p.expiry = d->date();
      }
    }
    provisioning_profiles_.push_back(std::move(p));
  } else if (type == "ProvisioningProfileList") {
    plist::Array list;
    for (const auto& p : provisioning_profiles_) {
      plist::Value item;
      item.set("Name", p.name).set("UUID", p.uuid);
      if (p.expiry) item.set("ExpiryDate", *p.expiry);
      list.push_back(std::move(item));
    }
    out.set("ProvisioningProfileList", plist::Value(std::move(list)));
  } else if (type == "RemoveProvisioningProfile") {
    const auto uuid = c.string_or("UUID");
    provisioning_profiles_.erase(
        std::remove_if(provisioning_profiles_.begin(), provisioning_profiles_.end(),
                       [&](const ProvisioningProfile& p) { return p.uuid == uuid; }),
        provisioning_profiles_.end());
  } else if (type == "SetAutoAdminPassword") {
    // The hash replaces the admin account's password; nothing to report.
  } else if (type == "DeleteUser") {
    const auto name = c.string_or("UserName");
    users_.erase(std::remove_if(users_.begin(), users_.end(),
                                [&](const MacUser& u) { return u.short_name == name; }),
                 users_.end());
  } else if (type == "InviteToProgram") {
    out.set("InvitationResult",
            c.string_or("ProgramID") == "com.apple.cloudvpp" ? "Acknowledged" : "InvalidProgramID");
  } else if (type == "ManagedApplicationFeedback") {
    plist::Array list;
    for (const auto& id : *c.find("Identifiers")->array())
      if (id.string()) list.push_back(plist::Value(plist::Dict{{"Identifier", *id.string()}}));
    out.set("ManagedApplicationFeedback", plist::Value(std::move(list)));
  } else if (type == "InstallMedia") {
    if (const auto* id = c.find("iTunesStoreID")) out.set("iTunesStoreID", *id);
    out.set("MediaType", c.string_or("MediaType")).set("State", "Queued");
  } else if (type == "RequestMirroring") {
    out.set("MirroringResult", c.find("DestinationName") || c.find("DestinationDeviceID")
                                   ? "Prompting"
                                   : "DestinationNotFound");
  }
  // StopMirroring, UnlockUserAccount: acknowledged, nothing to report.
  return out;
}

}  // namespace mdmlab::simulators::mac
