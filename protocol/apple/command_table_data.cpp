// The table of macOS MDM commands (see command_table.hpp). Facts from Apple's device-management
// schema (mdm/commands/*.yaml): names, plist types, presence, macOS support. Keys a command
// documents only for other platforms (marked "n/a" for macOS) are left out.
#include "protocol/apple/command_table.hpp"

namespace mdmlab::apple {
namespace {

constexpr auto S = KeyType::string;
constexpr auto I = KeyType::integer;
constexpr auto R = KeyType::real;
constexpr auto B = KeyType::boolean;
constexpr auto T = KeyType::date;
constexpr auto X = KeyType::data;
constexpr auto A = KeyType::array;
constexpr auto D = KeyType::dict;

KeySpec req(std::string_view name, KeyType t, std::vector<KeySpec> keys = {}) {
  return {name, t, true, std::move(keys)};
}
KeySpec opt(std::string_view name, KeyType t, std::vector<KeySpec> keys = {}) {
  return {name, t, false, std::move(keys)};
}
// An array's elements.
KeySpec each(KeyType t, std::vector<KeySpec> keys = {}) {
  return {"", t, false, std::move(keys)};
}
// Every value of a dict keyed by arbitrary names (app identifiers, indexes).
KeySpec any_key(KeyType t, std::vector<KeySpec> keys = {}) {
  return {"*", t, false, std::move(keys)};
}
KeySpec array_of(std::string_view name, bool required, KeyType t, std::vector<KeySpec> keys = {}) {
  return {name, A, required, {each(t, std::move(keys))}};
}

std::vector<KeySpec> error_chain_result() {
  return {req("Status", S), array_of("ErrorChain", false, D)};
}

std::vector<KeySpec> cache_peer(bool parent) {
  std::vector<KeySpec> alert = {req("className", S), req("postDate", T),
                                array_of("addresses", parent, S)};
  if (!parent) alert.push_back(opt("peerAddress", S));
  std::vector<KeySpec> keys = {
      req("address", S),
      opt("alert", D, std::move(alert)),
      req("details", D,
          {opt("ac-power", B), opt("cache-size", I),
           opt("capabilities", D,
               {opt("im", B), opt("ns", B), opt("pc", B), opt("query-parameters", B), opt("sc", B),
                opt("ur", B)}),
           opt("is-portable", B), opt("local-network", D, {opt("speed", I), opt("wired", B)})}),
      req("guid", S),
      req("healthy", B),
      req("port", I),
      req("version", S)};
  if (!parent) keys.push_back(req("friendly", B));
  return keys;
}

std::vector<KeySpec> content_caching_status() {
  return {
      opt("Activated", B),
      opt("Active", B),
      opt("ActualCacheUsed", I),
      opt("AlertsForPeerFilterRanges", D,
          {any_key(D, {req("className", S), req("postDate", T), req("peerFilterRangeIndex", I),
                       array_of("addresses", true, S)})}),
      array_of("Alerts", false, D,
               {req("className", S), req("postDate", T), opt("cacheLimit", I),
                opt("reservedVolumeSpace", I), opt("resource", S), opt("pathPreventingAccess", S)}),
      opt("CacheDetails", D, {any_key(I)}),
      opt("CacheFree", I),
      opt("CacheLimit", I),
      opt("CacheStatus", S),
      opt("CacheUsed", I),
      opt("DataMigrationCompleted", B),
      opt("DataMigrationError", D, {req("domain", S), req("code", I), opt("userInfo", D)}),
      opt("DataMigrationProgress", R),
      opt("MaxCachePressureLast1Hour", R),
      array_of("Parents", false, D, cache_peer(true)),
      array_of("Peers", false, D, cache_peer(false)),
      opt("PersonalCacheFree", I),
      opt("PersonalCacheLimit", I),
      opt("PersonalCacheUsed", I),
      opt("Port", I),
      array_of("PrivateAddresses", false, S),
      opt("PublicAddress", S),
      opt("RegistrationError", S),
      opt("RegistrationResponseCode", I),
      opt("RegistrationStarted", T),
      opt("RegistrationStatus", I),
      opt("RestrictedMedia", B),
      opt("ServerGUID", S),
      opt("StartupStatus", S),
      opt("TetheratorStatus", I),
      opt("TotalBytesAreSince", T),
      opt("TotalBytesDropped", I),
      opt("TotalBytesImported", I),
      opt("TotalBytesReturnedToChildren", I),
      opt("TotalBytesReturnedToClients", I),
      opt("TotalBytesReturnedToPeers", I),
      opt("TotalBytesStoredFromOrigin", I),
      opt("TotalBytesStoredFromParents", I),
      opt("TotalBytesStoredFromPeers", I)};
}

std::vector<KeySpec> query_responses() {
  return {
      opt("UDID", S),
      opt("ProvisioningUDID", S),
      opt("OrganizationInfo", D,
          {req("OrganizationName", S), opt("OrganizationAddress", S), opt("OrganizationPhone", S),
           opt("OrganizationEmail", S), opt("OrganizationMagic", S)}),
      opt("MDMOptions", D,
          {opt("ActivationLockAllowedWhileSupervised", B), opt("BootstrapTokenAllowed", B),
           opt("PromptUserToAllowBootstrapTokenForAuthentication", B)}),
      opt("AwaitingConfiguration", B),
      opt("iTunesStoreAccountIsActive", B),
      opt("iTunesStoreAccountHash", S),
      opt("DeviceName", S),
      opt("OSVersion", S),
      opt("SupplementalOSVersionExtra", S),
      opt("BuildVersion", S),
      opt("SupplementalBuildVersion", S),
      opt("ModelName", S),
      opt("Model", S),
      opt("ModelNumber", S),
      opt("IsAppleSilicon", B),
      opt("ProductName", S),
      opt("SerialNumber", S),
      opt("DeviceCapacity", R),
      opt("AvailableDeviceCapacity", R),
      opt("BatteryLevel", R),
      opt("HasBattery", B),
      opt("IsSupervised", B),
      opt("IsActivationLockEnabled", B),
      opt("IsActivationLockSupported", B),
      opt("SupportsLOMDevice", B),
      array_of("ActiveManagedUsers", false, S),
      opt("OSUpdateSettings", D,
          {opt("CatalogURL", S), opt("IsDefaultCatalog", B), opt("PreviousScanDate", T),
           opt("PerformPeriodicCheck", B), opt("AutoCheckEnabled", B),
           opt("BackgroundDownloadEnabled", B), opt("AutomaticAppInstallationEnabled", B),
           opt("AutomaticOSInstallationEnabled", B), opt("AutomaticSecurityUpdatesEnabled", B)}),
      opt("LocalHostName", S),
      opt("HostName", S),
      array_of("AutoSetupAdminAccounts", false, D, {opt("GUID", S), opt("shortName", S)}),
      opt("SystemIntegrityProtectionEnabled", B),
      opt("PushToken", X),
      opt("BluetoothMAC", S),
      opt("WiFiMAC", S),
      opt("EthernetMAC", S),
      opt("PINRequiredForEraseDevice", B),
      opt("PINRequiredForDeviceLock", B),
      opt("SupportsiOSAppInstalls", B),
      opt("SoftwareUpdateDeviceID", S),
      array_of("DevicePropertiesAttestation", false, X),
      opt("EACSPreflight", S)};
}

std::vector<KeySpec> security_info() {
  return {opt("FDE_Enabled", B),
          opt("FDE_HasPersonalRecoveryKey", B),
          opt("FDE_HasInstitutionalRecoveryKey", B),
          opt("FDE_PersonalRecoveryKeyCMS", X),
          opt("FDE_PersonalRecoveryKeyDeviceKey", S),
          opt("SystemIntegrityProtectionEnabled", B),
          opt("FirewallSettings", D,
              {opt("FirewallEnabled", B), opt("BlockAllIncoming", B), opt("StealthMode", B),
               array_of("Applications", false, D,
                        {opt("Allowed", B), opt("BundleID", S), opt("Name", S)}),
               opt("LoggingEnabled", B), opt("LoggingOption", S)}),
          opt("FirmwarePasswordStatus", D,
              {opt("PasswordExists", B), opt("ChangePending", B), opt("AllowOroms", B)}),
          opt("ManagementStatus", D,
              {opt("EnrolledViaDEP", B), opt("UserApprovedEnrollment", B),
               opt("IsUserEnrollment", B), opt("IsActivationLockManageable", B)}),
          opt("SecureBoot", D,
              {opt("SecureBootLevel", S), opt("ExternalBootLevel", S),
               array_of("ReducedSecurity", false, S)}),
          opt("RemoteDesktopEnabled", B),
          opt("AuthenticatedRootVolumeEnabled", B),
          opt("BootstrapTokenAllowedForAuthentication", S),
          opt("BootstrapTokenRequiredForSoftwareUpdate", B),
          opt("BootstrapTokenRequiredForKernelExtensionApproval", B),
          opt("IsRecoveryLockEnabled", B)};
}

std::vector<KeySpec> profile_list_item() {
  return {req("PayloadUUID", S),
          req("PayloadIdentifier", S),
          opt("PayloadVersion", I),
          opt("PayloadDisplayName", S),
          opt("PayloadOrganization", S),
          opt("PayloadDescription", S),
          opt("PayloadRemovalDisallowed", B),
          opt("HasRemovalPasscode", B),
          opt("IsEncrypted", B),
          array_of("SignerCertificates", false, X),
          opt("Source", S),
          array_of("PayloadContent", false, D,
                   {req("PayloadType", S), req("PayloadVersion", I), req("PayloadIdentifier", S),
                    req("PayloadUUID", S), opt("PayloadDisplayName", S),
                    opt("PayloadDescription", S), opt("PayloadOrganization", S)})};
}

// The Settings items macOS applies, each chosen by its "Item" value.
KeySpec settings_item() {
  auto item = [](std::string_view name, std::vector<KeySpec> keys) {
    keys.insert(keys.begin(), req("Item", S));
    return opt(name, D, std::move(keys));
  };
  KeySpec s = each(
      D,
      {item("Bluetooth", {req("Enabled", B)}),
       item("ApplicationConfiguration", {req("Identifier", S), opt("Configuration", D)}),
       item("DeviceName", {req("DeviceName", S)}), item("HostName", {req("HostName", S)}),
       item("OrganizationInfo", {opt("OrganizationInfo", D,
                                     {req("OrganizationName", S), opt("OrganizationShortName", S),
                                      opt("OrganizationAddress", S), opt("OrganizationPhone", S),
                                      opt("OrganizationEmail", S), opt("OrganizationMagic", S)})}),
       item("MDMOptions",
            {req("MDMOptions", D,
                 {opt("ActivationLockAllowedWhileSupervised", B), opt("BootstrapTokenAllowed", B),
                  opt("PromptUserToAllowBootstrapTokenForAuthentication", B)})})});
  s.selector = "Item";
  return s;
}

std::vector<CommandSpec> build() {
  constexpr bool dev = true, user = true, no = false;
  std::vector<KeySpec> extensions = {req("Identifier", S), req("ExtensionPoint", S),
                                     req("DisplayName", S)};
  std::vector<KeySpec> active_extensions = extensions;
  for (auto k : {opt("ContainerDisplayName", S), opt("ContainerIdentifier", S), req("Path", S),
                 req("Version", S), req("UserElection", S)})
    active_extensions.push_back(std::move(k));
  return {
      {"AccountConfiguration",
       "10.11",
       dev,
       no,
       {opt("SkipPrimarySetupAccountCreation", B), opt("SetPrimarySetupAccountAsRegularUser", B),
        opt("PrimaryAccountFullName", S), opt("PrimaryAccountUserName", S),
        opt("DontAutoPopulatePrimaryAccountInfo", B), opt("LockPrimaryAccountInfo", B),
        array_of(
            "AutoSetupAdminAccounts", false, D,
            {req("shortName", S), opt("fullName", S), opt("passwordHash", X), opt("hidden", B)}),
        opt("ManagedLocalUserShortName", S)},
       {}},
      {"ActiveNSExtensions",
       "10.13",
       no,
       user,
       {array_of("FilterExtensionPoints", false, S)},
       {array_of("Extensions", true, D, active_extensions)}},
      {"NSExtensionMappings", "10.13", no, user, {}, {array_of("Extensions", true, D, extensions)}},
      {"InstallEnterpriseApplication",
       "10.13.6",
       dev,
       no,
       {opt("Manifest", D), opt("ManifestURL", S), array_of("ManifestURLPinningCerts", false, X),
        opt("PinningRevocationCheckRequired", B), opt("InstallAsManaged", B),
        opt("ManagementFlags", I), opt("Configuration", D), opt("ChangeManagementState", S),
        opt("iOSApp", B)},
       {}},
      {"InstallApplication",
       "10.9",
       dev,
       user,
       {opt("iTunesStoreID", I), opt("Identifier", S),
        opt("Options", D, {opt("PurchaseMethod", I)}), opt("ManifestURL", S),
        opt("ManagementFlags", I), opt("Configuration", D), opt("ChangeManagementState", S),
        opt("InstallAsManaged", B), opt("iOSApp", B)},
       {opt("Identifier", S), opt("State", S), opt("RejectionReason", S)}},
      {"InstalledApplicationList",
       "10.7",
       dev,
       user,
       {array_of("Identifiers", false, S), opt("ManagedAppsOnly", B)},
       {array_of(
           "InstalledApplicationList", true, D,
           {opt("Identifier", S), opt("ExternalVersionIdentifier", I), opt("Version", S),
            opt("ShortVersion", S), opt("Name", S), opt("BundleSize", I), opt("Installing", B),
            opt("HasUpdateAvailable", B), opt("DownloadFailed", B), opt("DownloadWaiting", B),
            opt("DownloadPaused", B), opt("DownloadCancelled", B)})}},
      {"InviteToProgram",
       "10.9",
       no,
       user,
       {req("ProgramID", S), req("InvitationURL", S)},
       {req("InvitationResult", S)}},
      {"ManagedApplicationList",
       "11.0",
       dev,
       user,
       {array_of("Identifiers", false, S)},
       {req("ManagedApplicationList", D,
            {any_key(D, {req("Status", S), req("ManagementFlags", I), req("HasConfiguration", B),
                         req("HasFeedback", B), req("ExternalVersionIdentifier", I)})})}},
      {"RemoveApplication", "11.0", dev, no, {req("Identifier", S)}, {}},
      {"CertificateList",
       "10.7",
       dev,
       user,
       {opt("ManagedOnly", B)},
       {array_of("CertificateList", true, D,
                 {req("CommonName", S), req("IsIdentity", B), req("Data", X)})}},
      {"DeclarativeManagement", "13.0", dev, user, {opt("Data", X)}, {}},
      {"ActivationLockBypassCode", "10.15", dev, no, {}, {req("ActivationLockBypassCode", S)}},
      {"ClearActivationLockBypassCode", "10.15", dev, no, {}, {}},
      {"DeviceConfigured", "10.11", dev, no, {}, {}},
      {"EraseDevice", "10.7", dev, no, {opt("PIN", S), opt("ObliterationBehavior", S)}, {}},
      {"DeviceLock",
       "10.7",
       dev,
       no,
       {opt("Message", S), opt("PhoneNumber", S), opt("PIN", S)},
       {opt("MessageResult", S)}},
      {"RestartDevice",
       "10.13",
       dev,
       no,
       {opt("RebuildKernelCache", B), array_of("KextPaths", false, S), opt("NotifyUser", B)},
       {}},
      {"ShutDownDevice", "10.13", dev, no, {}, {}},
      {"ContentCachingInformation",
       "10.15.4",
       dev,
       no,
       {},
       {req("StatusResponse", D, content_caching_status())}},
      {"DeviceInformation",
       "10.7",
       dev,
       user,
       {array_of("Queries", true, S), opt("DeviceAttestationNonce", X)},
       {req("QueryResponses", D, query_responses())}},
      {"SecurityInfo", "10.7", dev, user, {}, {req("SecurityInfo", D, security_info())}},
      {"LOMDeviceRequest",
       "11.0",
       dev,
       no,
       {array_of("RequestList", true, D,
                 {req("DeviceRequestType", S), req("DeviceRequestUUID", S), req("DeviceDNSName", S),
                  array_of("PrimaryIPv6AddressList", true, S),
                  array_of("SecondaryIPv6AddressList", true, S), req("LOMProtocolVersion", I)})},
       {array_of("ResponseList", true, D,
                 {req("DeviceRequestSuccess", B), req("DeviceRequestUUID", S),
                  opt("DeviceRequestReturnError", S)})}},
      {"LOMSetupRequest",
       "11.0",
       dev,
       no,
       {},
       {array_of("PrimaryIPv6AddressList", true, S), array_of("SecondaryIPv6AddressList", true, S),
        req("LOMProtocolVersion", I)}},
      {"ManagedApplicationConfiguration",
       "10.15",
       dev,
       no,
       {array_of("Identifiers", true, S)},
       {array_of("ApplicationConfigurations", true, D,
                 {req("Identifier", S), opt("Configuration", D)})}},
      {"ManagedApplicationFeedback",
       "11.0",
       no,
       user,
       {array_of("Identifiers", true, S), opt("DeleteFeedback", B)},
       {array_of("ManagedApplicationFeedback", true, D,
                 {req("Identifier", S), opt("Feedback", D)})}},
      {"InstallMedia",
       "10.9",
       no,
       user,
       {opt("iTunesStoreID", I), req("MediaType", S)},
       {opt("iTunesStoreID", I), opt("MediaType", S), opt("State", S), opt("RejectionReason", S)}},
      {"RequestMirroring",
       "10.10",
       dev,
       no,
       {opt("DestinationName", S), opt("DestinationDeviceID", S), opt("ScanTime", I),
        opt("Password", S)},
       {opt("MirroringResult", S)}},
      {"StopMirroring", "10.10", dev, no, {}, {}},
      {"SetFirmwarePassword",
       "10.13",
       dev,
       no,
       {opt("CurrentPassword", S), req("NewPassword", S), opt("AllowOroms", B)},
       {req("SetFirmwarePassword", D, {req("PasswordChanged", B)})}},
      {"VerifyFirmwarePassword",
       "10.13",
       dev,
       no,
       {req("Password", S)},
       {req("VerifyFirmwarePassword", D, {req("PasswordVerified", B)})}},
      {"SetRecoveryLock", "11.5", dev, no, {opt("CurrentPassword", S), req("NewPassword", S)}, {}},
      {"VerifyRecoveryLock", "11.5", dev, no, {req("Password", S)}, {req("PasswordVerified", B)}},
      {"InstallProfile", "10.7", dev, user, {req("Payload", X)}, {}},
      {"ProfileList",
       "10.7",
       dev,
       user,
       {opt("ManagedOnly", B)},
       {array_of("ProfileList", true, D, profile_list_item())}},
      {"InstallProvisioningProfile", "11.0", dev, no, {req("ProvisioningProfile", X)}, {}},
      {"ProvisioningProfileList",
       "11.0",
       dev,
       no,
       {opt("ManagedOnly", B)},
       {array_of("ProvisioningProfileList", true, D,
                 {req("Name", S), req("UUID", S), opt("ExpiryDate", T)})}},
      {"RemoveProvisioningProfile", "11.0", dev, no, {req("UUID", S)}, {}},
      {"RemoveProfile", "10.7", dev, user, {req("Identifier", S)}, {}},
      {"DisableRemoteDesktop", "10.14.4", dev, no, {}, {}},
      {"EnableRemoteDesktop", "10.14.4", dev, no, {}, {}},
      {"RotateFileVaultKey",
       "10.9",
       dev,
       no,
       {req("KeyType", S),
        req("FileVaultUnlock", D,
            {opt("Password", S), opt("PrivateKeyExport", X), opt("PrivateKeyExportPassword", S)}),
        opt("NewCertificate", X), opt("ReplyEncryptionCertificate", X)},
       {opt("RotateResult", D, {opt("EncryptedNewRecoveryKey", X)})}},
      {"SetAutoAdminPassword", "10.11", dev, no, {req("GUID", S), req("passwordHash", X)}, {}},
      {"Settings",
       "10.9",
       dev,
       user,
       {{"Settings", A, true, {settings_item()}}},
       {opt("Settings", D, error_chain_result())}},
      {"AvailableOSUpdates",
       "10.11",
       dev,
       no,
       {},
       {array_of(
           "AvailableOSUpdates", true, D,
           {req("ProductKey", S), req("HumanReadableName", S), req("HumanReadableNameLocale", S),
            req("MetadataURL", S), req("Version", S), req("Build", S), req("DownloadSize", I),
            array_of("AppIdentifiersToClose", true, S), opt("IsCritical", B),
            opt("IsConfigDataUpdate", B), opt("IsFirmwareUpdate", B), opt("IsMajorOSUpdate", B),
            opt("RestartRequired", B), opt("AllowsInstallLater", B), opt("DeferredUntil", T),
            opt("RequiresBootstrapToken", B), req("IsSecurityResponse", B),
            opt("SupplementalBuildVersion", S), opt("SupplementalOSVersionExtra", S)})}},
      {"ScheduleOSUpdateScan", "10.11", dev, no, {opt("Force", B)}, {req("ScanInitiated", B)}},
      {"ScheduleOSUpdate",
       "10.11",
       dev,
       no,
       {array_of("Updates", true, D,
                 {opt("ProductKey", S), opt("ProductVersion", S), req("InstallAction", S),
                  opt("MaxUserDeferrals", I), opt("Priority", S)})},
       {array_of("UpdateResults", true, D,
                 {req("ProductKey", S), req("InstallAction", S), req("Status", S),
                  array_of("ErrorChain", false, D)})}},
      {"OSUpdateStatus",
       "10.11.5",
       dev,
       no,
       {},
       {array_of("OSUpdateStatus", true, D,
                 {req("ProductKey", S), req("IsDownloaded", B), req("DownloadPercentComplete", R),
                  req("Status", S), opt("MaxDeferrals", I), opt("DeferralsRemaining", I),
                  opt("NextScheduledInstall", T), array_of("PastNotifications", false, T)})}},
      {"DeleteUser", "10.13", dev, no, {opt("UserName", S)}, {}},
      {"UserList",
       "10.13",
       dev,
       no,
       {},
       {array_of("Users", true, D,
                 {req("UserName", S), req("FullName", S), req("UID", I), req("UserGUID", S),
                  req("IsLoggedIn", B), req("MobileAccount", B), req("HasSecureToken", B)})}},
      {"UnlockUserAccount", "10.13", dev, no, {req("UserName", S)}, {}},
  };
}

}  // namespace

const std::vector<CommandSpec>& macos_commands() {
  static const std::vector<CommandSpec> table = build();
  return table;
}

}  // namespace mdmlab::apple
