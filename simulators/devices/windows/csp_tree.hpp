// The configuration service provider tree of a simulated Windows PC, as OMA DM commands see it
// (MS-MDM, Microsoft Learn's CSP reference): nodes addressed by LocURI, each command answered
// with an OMA DM status code. What each part of the tree allows is a table of path patterns
// (csp_tree.cpp): ./DevInfo and ./DevDetail read-only; ./Device|User|(none)/Vendor/MSFT/Policy/
// Config/<Area>/<Policy> set by Add/Replace, removed by Delete, read back there and under
// Policy/Result; DMClient Provider settings writable; EnterpriseDesktopAppManagement MSI
// products created by an Add of DownloadInstall, installed by an Exec carrying an
// MsiInstallJob (recorded, not downloaded) and uninstalled by a Delete of the product.
// A Get of an interior node lists its children (Format node). The tree is a value: an Atomic
// copies it and puts the copy back to roll back.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "simulators/devices/windows/msi_install_job.hpp"
#include "simulators/devices/windows/windows_identity.hpp"

namespace mdmlab::simulators::windows_pc {

// OMA DM status codes (OMA-TS-DM_RepPro 1.2 and the SyncML representation protocol).
namespace dm_status {
inline constexpr int kOk = 200;
inline constexpr int kAccepted = 202;
inline constexpr int kChunkAccepted = 213;  // a large object's chunk taken, send the next
inline constexpr int kNotExecuted = 215;    // in a failed Atomic, after the failing command
inline constexpr int kRolledBack = 216;     // in a failed Atomic, done and undone
inline constexpr int kBadRequest = 400;
inline constexpr int kNotFound = 404;
inline constexpr int kNotAllowed = 405;  // e.g. a write to a read-only node
inline constexpr int kUnsupportedType = 415;
inline constexpr int kAlreadyExists = 418;  // Add of a node that exists
inline constexpr int kSizeMismatch = 424;   // a large object whose chunks do not add up to Size
inline constexpr int kCommandFailed = 500;  // Windows: Get or Atomic inside Atomic
inline constexpr int kAtomicFailed = 507;
inline bool success(int code) {
  return code >= 200 && code < 300;
}
}  // namespace dm_status

struct CspValue {
  std::string data;
  std::string format = "chr";  // chr, int, bool, b64, xml, node
};

class CspTree {
 public:
  struct GetResult {
    int status = dm_status::kNotFound;
    std::string data;
    std::string format;
  };

  CspTree() = default;
  // The nodes a PC has out of the box: DevInfo, DevDetail and DMClient's HWDevID.
  static CspTree for_device(const WindowsIdentity& identity);

  // The OMA DM commands on one LocURI.
  GetResult get(std::string_view uri) const;
  int add(std::string_view uri, std::string data, std::string format = "chr");
  int replace(std::string_view uri, std::string data, std::string format = "chr");
  int remove(std::string_view uri);  // Delete: the node and everything under it
  int exec(std::string_view uri, const std::string& data);

  // The device's own writes (enrollment installs DMClient's), whatever the rules say.
  void set(std::string_view uri, std::string data, std::string format = "chr");
  // A leaf's data, as Get would read it; nullopt for a missing node or an interior one.
  std::optional<std::string> value(std::string_view uri) const;
  const std::map<std::string, CspValue>& nodes() const { return nodes_; }
  // Every MsiInstallJob an Exec delivered, oldest first.
  const std::vector<MsiJob>& msi_jobs() const { return msi_jobs_; }
  // Writes and Execs on `uri` fail with `status` from now on (a CSP that refuses).
  void fail(std::string_view uri, int status);

  // The form nodes are kept under: trimmed, %7B/%7D as braces, no trailing '/'.
  static std::string canonical(std::string_view uri);

 private:
  bool has_children(const std::string& path) const;
  std::vector<std::string> children(const std::string& path) const;
  void erase_subtree(const std::string& path);
  std::optional<int> injected_failure(const std::string& path) const;

  std::map<std::string, CspValue> nodes_;
  std::vector<MsiJob> msi_jobs_;
  std::map<std::string, int> failures_;
};

}  // namespace mdmlab::simulators::windows_pc
