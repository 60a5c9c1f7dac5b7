#include "simulators/devices/windows/csp_tree.hpp"

#include <array>
#include <cstdlib>

#include "protocol/windows/xml_names.hpp"

namespace mdmlab::simulators::windows_pc {
namespace {

using namespace dm_status;

// What a part of the tree allows.
enum class Kind {
  read_only,      // Get only
  writable,       // Get, Add, Replace, Delete
  policy_result,  // Get: the matching Policy/Config node's value
  msi_install,    // MSI/<ProductCode>/DownloadInstall: Add creates the product, Exec installs
  msi_product,    // MSI/<ProductCode>: Delete uninstalls
};

struct Rule {
  std::string_view pattern;  // segments; "*" one segment, "**" one or more (last only)
  Kind kind;
};

// First match wins.
constexpr std::array kRules = {
    Rule{"./DevInfo/**", Kind::read_only},
    Rule{"./DevDetail/**", Kind::read_only},
    Rule{"./Vendor/MSFT/DMClient/Provider/*/**", Kind::writable},
    Rule{"./Vendor/MSFT/DMClient/**", Kind::read_only},
    Rule{"./Device/Vendor/MSFT/Policy/Config/*/*", Kind::writable},
    Rule{"./User/Vendor/MSFT/Policy/Config/*/*", Kind::writable},
    Rule{"./Vendor/MSFT/Policy/Config/*/*", Kind::writable},
    Rule{"./Device/Vendor/MSFT/Policy/Result/*/*", Kind::policy_result},
    Rule{"./User/Vendor/MSFT/Policy/Result/*/*", Kind::policy_result},
    Rule{"./Vendor/MSFT/Policy/Result/*/*", Kind::policy_result},
    Rule{"./Device/Vendor/MSFT/EnterpriseDesktopAppManagement/MSI/*/DownloadInstall",
         Kind::msi_install},
    Rule{"./User/Vendor/MSFT/EnterpriseDesktopAppManagement/MSI/*/DownloadInstall",
         Kind::msi_install},
    Rule{"./Device/Vendor/MSFT/EnterpriseDesktopAppManagement/MSI/*", Kind::msi_product},
    Rule{"./User/Vendor/MSFT/EnterpriseDesktopAppManagement/MSI/*", Kind::msi_product},
    Rule{"./Device/Vendor/MSFT/EnterpriseDesktopAppManagement/MSI/*/**", Kind::read_only},
    Rule{"./User/Vendor/MSFT/EnterpriseDesktopAppManagement/MSI/*/**", Kind::read_only},
};

// The MSI job status the CSP reports (EnterpriseDesktopAppManagement .../Status).
constexpr const char* kMsiInitialized = "10";

std::vector<std::string_view> segments(std::string_view path) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (start <= path.size()) {
    auto slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    out.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return out;
}

// `prefix_only`: the path may stop short of the pattern (an interior node it could hold).
bool matches(std::string_view pattern, std::string_view path, bool prefix_only = false) {
  const auto want = segments(pattern);
  const auto have = segments(path);
  for (std::size_t i = 0; i < want.size(); ++i) {
    if (want[i] == "**") return i < have.size() || prefix_only;
    if (i >= have.size()) return prefix_only;
    if (have[i].empty()) return false;
    if (want[i] != "*" && want[i] != have[i]) return false;
  }
  return have.size() == want.size() && !prefix_only;
}

const Rule* rule_for(std::string_view path) {
  for (const auto& r : kRules)
    if (matches(r.pattern, path)) return &r;
  return nullptr;
}

// An interior node some writable or MSI rule could put children under.
bool could_hold(std::string_view path) {
  for (const auto& r : kRules)
    if (r.kind != Kind::read_only && r.kind != Kind::policy_result &&
        matches(r.pattern, path, true))
      return true;
  return false;
}

std::string config_for_result(const std::string& path) {
  std::string out = path;
  const std::string_view from = "/Policy/Result/";
  if (auto at = out.find(from); at != std::string::npos)
    out.replace(at, from.size(), "/Policy/Config/");
  return out;
}

std::string os_platform(const WindowsIdentity& id) {
  // 10.0.<build>.<revision>; Windows 11 is build 22000 and later.
  const auto& v = id.os_version;
  const auto first = v.find('.');
  const auto second = first == std::string::npos ? first : v.find('.', first + 1);
  const int build = second == std::string::npos ? 0 : std::atoi(v.c_str() + second + 1);
  static const std::map<std::string, std::string> kEditions = {
      {"4", "Enterprise"}, {"48", "Pro"}, {"101", "Home"}, {"121", "Education"}};
  auto edition = kEditions.find(id.os_edition);
  return std::string(build >= 22000 ? "Windows 11 " : "Windows 10 ") +
         (edition == kEditions.end() ? "Pro" : edition->second);
}

}  // namespace

std::string CspTree::canonical(std::string_view uri) {
  std::string s = mdmlab::windows::xml::trimmed(uri);
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && (s[i + 1] == '7') &&
        (s[i + 2] == 'B' || s[i + 2] == 'b' || s[i + 2] == 'D' || s[i + 2] == 'd')) {
      out += (s[i + 2] == 'B' || s[i + 2] == 'b') ? '{' : '}';
      i += 2;
    } else {
      out += s[i];
    }
  }
  while (out.size() > 1 && out.back() == '/') out.pop_back();
  return out;
}

CspTree CspTree::for_device(const WindowsIdentity& id) {
  struct Seed {
    const char* path;
    std::string data;
    const char* format;
  };
  const Seed seeds[] = {
      {"./DevInfo/DevId", id.device_id, "chr"},
      {"./DevInfo/Man", id.manufacturer, "chr"},
      {"./DevInfo/Mod", id.model, "chr"},
      {"./DevInfo/DmV", "1.3", "chr"},
      {"./DevInfo/Lang", id.locale, "chr"},
      {"./DevDetail/SwV", id.os_version, "chr"},
      {"./DevDetail/OEM", id.manufacturer, "chr"},
      {"./DevDetail/FwV", "1.0", "chr"},
      {"./DevDetail/HwV", "1.0", "chr"},
      {"./DevDetail/DevTyp", id.model, "chr"},
      {"./DevDetail/Ext/Microsoft/DeviceName", id.device_name, "chr"},
      {"./DevDetail/Ext/Microsoft/DNSComputerName", id.device_name, "chr"},
      {"./DevDetail/Ext/Microsoft/OSPlatform", os_platform(id), "chr"},
      {"./DevDetail/Ext/Microsoft/ProcessorArchitecture", "9", "int"},  // x64
      {"./DevDetail/Ext/Microsoft/TotalRAM", "8192", "int"},
      {"./DevDetail/Ext/WLANMACAddress", id.mac_address, "chr"},
      {"./Vendor/MSFT/DMClient/HWDevID", id.hw_dev_id, "chr"},
  };
  CspTree t;
  for (const auto& s : seeds) t.set(s.path, s.data, s.format);
  return t;
}

bool CspTree::has_children(const std::string& path) const {
  auto it = nodes_.lower_bound(path + "/");
  return it != nodes_.end() && it->first.compare(0, path.size() + 1, path + "/") == 0;
}

std::vector<std::string> CspTree::children(const std::string& path) const {
  std::vector<std::string> out;
  const std::string prefix = path + "/";
  for (auto it = nodes_.lower_bound(prefix);
       it != nodes_.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it) {
    auto name = it->first.substr(prefix.size());
    name = name.substr(0, name.find('/'));
    if (out.empty() || out.back() != name) out.push_back(name);
  }
  return out;
}

void CspTree::erase_subtree(const std::string& path) {
  nodes_.erase(path);
  const std::string prefix = path + "/";
  auto it = nodes_.lower_bound(prefix);
  while (it != nodes_.end() && it->first.compare(0, prefix.size(), prefix) == 0)
    it = nodes_.erase(it);
}

std::optional<int> CspTree::injected_failure(const std::string& path) const {
  auto it = failures_.find(path);
  if (it == failures_.end()) return std::nullopt;
  return it->second;
}

void CspTree::fail(std::string_view uri, int status) {
  failures_[canonical(uri)] = status;
}

void CspTree::set(std::string_view uri, std::string data, std::string format) {
  nodes_[canonical(uri)] = CspValue{std::move(data), std::move(format)};
}

std::optional<std::string> CspTree::value(std::string_view uri) const {
  auto r = get(uri);
  if (r.status != kOk || r.format == "node") return std::nullopt;
  return r.data;
}

CspTree::GetResult CspTree::get(std::string_view uri) const {
  const auto path = canonical(uri);
  const auto* rule = rule_for(path);
  if (rule && rule->kind == Kind::policy_result) {
    auto it = nodes_.find(config_for_result(path));
    if (it == nodes_.end()) return {};
    return {kOk, it->second.data, it->second.format};
  }
  if (auto it = nodes_.find(path); it != nodes_.end())
    return {kOk, it->second.data, it->second.format};
  auto names = children(path);
  if (names.empty()) return {};
  std::string list;
  for (const auto& n : names) list += (list.empty() ? "" : "/") + n;
  return {kOk, list, "node"};
}

int CspTree::add(std::string_view uri, std::string data, std::string format) {
  const auto path = canonical(uri);
  if (auto f = injected_failure(path)) return *f;
  const auto* rule = rule_for(path);
  const bool exists = nodes_.count(path) > 0 || has_children(path);
  if (format == "node") {
    // An interior node (Format node): only where the rules allow children; it is not kept,
    // it exists while something is under it.
    if (rule && rule->kind != Kind::writable && rule->kind != Kind::msi_product) return kNotAllowed;
    if (!rule && !could_hold(path)) return exists ? kNotAllowed : kNotFound;
    return exists ? kAlreadyExists : kOk;
  }
  if (!rule) return exists ? kNotAllowed : kNotFound;
  switch (rule->kind) {
    case Kind::writable:
      if (exists) return kAlreadyExists;
      nodes_[path] = CspValue{std::move(data), std::move(format)};
      return kOk;
    case Kind::msi_install: {
      // Adding the product again (a server re-sending its install pair) is taken as is.
      if (exists) return kOk;
      const auto product = path.substr(0, path.rfind('/'));
      nodes_[path] = CspValue{"", "chr"};
      nodes_[product + "/Status"] = CspValue{kMsiInitialized, "int"};
      nodes_[product + "/LastError"] = CspValue{"0", "int"};
      nodes_[product + "/LastErrorDesc"] = CspValue{"", "chr"};
      return kOk;
    }
    case Kind::msi_product:
    case Kind::read_only:
    case Kind::policy_result:
      return kNotAllowed;
  }
  return kCommandFailed;
}

int CspTree::replace(std::string_view uri, std::string data, std::string format) {
  const auto path = canonical(uri);
  if (auto f = injected_failure(path)) return *f;
  const auto* rule = rule_for(path);
  if (!rule) return nodes_.count(path) || has_children(path) ? kNotAllowed : kNotFound;
  if (rule->kind != Kind::writable) return kNotAllowed;
  // Windows takes a Replace of a missing node as an Add (an implicit Add).
  nodes_[path] = CspValue{std::move(data), std::move(format)};
  return kOk;
}

int CspTree::remove(std::string_view uri) {
  const auto path = canonical(uri);
  if (auto f = injected_failure(path)) return *f;
  const auto* rule = rule_for(path);
  const bool exists = nodes_.count(path) > 0 || has_children(path);
  if (!rule) return exists ? kNotAllowed : kNotFound;
  if (rule->kind != Kind::writable && rule->kind != Kind::msi_product) return kNotAllowed;
  if (!exists) return kNotFound;
  erase_subtree(path);
  return kOk;
}

int CspTree::exec(std::string_view uri, const std::string& data) {
  const auto path = canonical(uri);
  if (auto f = injected_failure(path)) return *f;
  const auto* rule = rule_for(path);
  const bool exists = nodes_.count(path) > 0;
  if (!rule) return exists || has_children(path) ? kNotAllowed : kNotFound;
  if (rule->kind != Kind::msi_install) return kNotAllowed;
  if (!exists) return kNotFound;  // Exec needs the Add before it
  auto job = parse_msi_install_job(data);
  if (!job) return kUnsupportedType;
  const auto parts = segments(path);  // . Device Vendor MSFT EDAM MSI <code> DownloadInstall
  job->scope = std::string(parts[1]);
  job->product_code = std::string(parts[parts.size() - 2]);
  msi_jobs_.push_back(std::move(*job));
  return kOk;
}

}  // namespace mdmlab::simulators::windows_pc
