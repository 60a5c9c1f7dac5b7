#include "simulators/devices/windows/msi_install_job.hpp"

#include <cctype>

#include "protocol/windows/xml_names.hpp"

namespace mdmlab::simulators::windows_pc {
namespace xml = mdmlab::windows::xml;
namespace {

Error bad(std::string why) {
  return make_error("bad_msi_job", std::move(why));
}

pugi::xml_node child(const pugi::xml_node& n, std::string_view name) {
  for (auto c : n.children())
    if (c.type() == pugi::node_element && xml::local(c) == name) return c;
  return {};
}

std::string text(const pugi::xml_node& n) {
  return xml::trimmed(n.text().get());
}

int number(const pugi::xml_node& n) {
  const auto t = text(n);
  if (t.empty() || t.size() > 9 || t.find_first_not_of("0123456789") != std::string::npos) return 0;
  return std::stoi(t);
}

bool name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.';
}

}  // namespace

Result<MsiJob> parse_msi_install_job(std::string_view text_in) {
  auto doc = xml::load(xml::trimmed(text_in));
  if (!doc) return bad(doc.error().message);
  auto root = (*doc)->document_element();
  if (xml::local(root) != "MsiInstallJob") return bad("the Exec data is not an MsiInstallJob");
  MsiJob job;
  job.xml = xml::trimmed(text_in);
  job.job_id = root.attribute("id").value();
  auto product = child(root, "Product");
  if (!product) return bad("MsiInstallJob has no Product");
  job.version = product.attribute("Version").value();
  for (auto url : child(child(product, "Download"), "ContentURLList").children())
    if (url.type() == pugi::node_element && xml::local(url) == "ContentURL")
      job.content_urls.push_back(text(url));
  if (job.content_urls.empty()) return bad("MsiInstallJob has no ContentURL");
  job.file_hash = text(child(child(product, "Validation"), "FileHash"));
  auto enforcement = child(product, "Enforcement");
  job.command_line = text(child(enforcement, "CommandLine"));
  job.timeout_minutes = number(child(enforcement, "TimeOut"));
  job.retry_count = number(child(enforcement, "RetryCount"));
  job.retry_interval_minutes = number(child(enforcement, "RetryInterval"));
  job.properties = msi_properties(job.command_line);
  if (auto it = job.properties.find("EUA_TOKEN"); it != job.properties.end())
    job.eua_token = it->second;
  return job;
}

std::map<std::string, std::string> msi_properties(std::string_view s) {
  std::map<std::string, std::string> out;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    const std::size_t start = i;
    while (i < s.size() && name_char(s[i])) ++i;
    const bool property = i > start && i < s.size() && s[i] == '=';
    const std::string name(s.substr(start, i - start));
    std::string value;
    if (property) ++i;  // '='
    // The value (or a switch's remainder): quoted runs with "" as a quote, up to a space.
    bool quoted = false;
    for (; i < s.size(); ++i) {
      const char c = s[i];
      if (c == '"') {
        if (quoted && i + 1 < s.size() && s[i + 1] == '"') {
          value += '"';
          ++i;
        } else {
          quoted = !quoted;
        }
      } else if (!quoted && std::isspace(static_cast<unsigned char>(c))) {
        break;
      } else {
        value += c;
      }
    }
    if (property) out[name] = value;
  }
  return out;
}

}  // namespace mdmlab::simulators::windows_pc
