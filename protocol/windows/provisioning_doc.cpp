#include "protocol/windows/provisioning_doc.hpp"

#include <algorithm>

#include "crypto/digest.hpp"
#include "protocol/windows/xml_names.hpp"

namespace mdmlab::windows::provisioning {
namespace {

Error bad(std::string why) {
  return make_error("bad_provisioning_doc", std::move(why));
}

Result<Characteristic> read(const pugi::xml_node& n, int depth) {
  if (depth >= kMaxDepth) return bad("characteristics nested too deep");
  Characteristic c;
  c.type = n.attribute("type").value();
  if (c.type.empty()) return bad("a characteristic without a type");
  for (auto e : xml::elements(n)) {
    auto name = xml::local(e);
    if (name == "parm") {
      Parm p{e.attribute("name").value(), e.attribute("value").value(),
             e.attribute("datatype").value()};
      if (p.name.empty()) return bad("a parm without a name in " + c.type);
      c.parms.push_back(std::move(p));
    } else if (name == "characteristic") {
      auto child = read(e, depth + 1);
      if (!child) return child.error();
      c.children.push_back(std::move(*child));
    } else if (name != "nocharacteristic" && name != "parm-query" &&
               name != "characteristic-query") {
      return bad("<" + std::string(name) + "> in characteristic " + c.type);
    }
  }
  return c;
}

void write(std::string& out, const Characteristic& c) {
  out += "<characteristic type=\"" + xml::escape(c.type) + "\">";
  for (const auto& p : c.parms) {
    out += "<parm name=\"" + xml::escape(p.name) + "\" value=\"" + xml::escape(p.value) + "\"";
    if (!p.datatype.empty()) out += " datatype=\"" + xml::escape(p.datatype) + "\"";
    out += "/>";
  }
  for (const auto& child : c.children) write(out, child);
  out += "</characteristic>";
}

Characteristic node(std::string type, std::vector<Parm> parms = {},
                    std::vector<Characteristic> children = {}) {
  return Characteristic{std::move(type), std::move(parms), std::move(children)};
}

const Characteristic* walk(const std::vector<Characteristic>& level,
                           const std::vector<std::string>& path) {
  const Characteristic* here = nullptr;
  const auto* children = &level;
  for (const auto& step : path) {
    auto it = std::find_if(children->begin(), children->end(),
                           [&](const Characteristic& c) { return c.type == step; });
    if (it == children->end()) return nullptr;
    here = &*it;
    children = &here->children;
  }
  return here;
}

}  // namespace

const Characteristic* Characteristic::find(std::string_view child_type) const {
  for (const auto& c : children)
    if (c.type == child_type) return &c;
  return nullptr;
}

const Parm* Characteristic::parm(std::string_view name) const {
  for (const auto& p : parms)
    if (p.name == name) return &p;
  return nullptr;
}

const Characteristic* Characteristic::at(const std::vector<std::string>& path) const {
  return walk(children, path);
}

const Characteristic* Document::at(const std::vector<std::string>& path) const {
  return walk(children, path);
}

Result<Document> parse(std::string_view text) {
  auto doc = xml::load(text);
  if (!doc) return bad(doc.error().message);
  auto root = (*doc)->document_element();
  if (xml::local(root) != "wap-provisioningdoc") return bad("the root is not wap-provisioningdoc");
  Document d;
  d.version = root.attribute("version").value();
  for (auto e : xml::elements(root)) {
    if (xml::local(e) != "characteristic")
      return bad("<" + std::string(xml::local(e)) + "> at the top of the document");
    auto c = read(e, 0);
    if (!c) return c.error();
    d.children.push_back(std::move(*c));
  }
  return d;
}

std::string serialize(const Document& d) {
  std::string out = "<wap-provisioningdoc version=\"" + xml::escape(d.version) + "\">";
  for (const auto& c : d.children) write(out, c);
  return out + "</wap-provisioningdoc>";
}

std::string thumbprint(const Bytes& der) {
  return hex_encode(crypto::sha1(der), true);
}

Document enrollment_document(const EnrollmentSettings& s) {
  const auto root_print = thumbprint(s.root_der);
  const auto client_print = thumbprint(s.client_der);
  Document d;
  auto store = node("CertificateStore");
  store.children.push_back(
      node("Root", {},
           {node("System", {},
                 {node(root_print, {{"EncodedCertificate", base64_encode(s.root_der), ""}})})}));
  store.children.push_back(
      node("My", {},
           {node(s.user_store ? "User" : "System", {},
                 {node(client_print, {{"EncodedCertificate", base64_encode(s.client_der), ""}},
                       {node("PrivateKeyContainer")})}),
            node("WSTEP", {},
                 {node("Renew",
                       {{"ROBOSupport", "true", "boolean"},
                        {"RenewPeriod", std::to_string(s.renew_period_days), "integer"},
                        {"RetryInterval", std::to_string(s.renew_retry_minutes), "integer"}})})}));
  d.children.push_back(std::move(store));
  d.children.push_back(node(
      "APPLICATION",
      {{"APPID", "w7", ""},
       {"PROVIDER-ID", s.provider_id, ""},
       {"NAME", s.server_name, ""},
       {"ADDR", s.management_url, ""},
       {"CONNRETRYFREQ", "6", ""},
       {"INITIALBACKOFFTIME", "30000", ""},
       {"MAXBACKOFFTIME", "120000", ""},
       {"BACKCOMPATRETRYDISABLED", "", ""},
       {"DEFAULTENCODING", "application/vnd.syncml.dm+xml", ""},
       {"SSLCLIENTCERTSEARCHCRITERIA",
        "Subject=CN%3D" + s.device_id + "&Stores=MY%5C" + (s.user_store ? "User" : "System"), ""}},
      {node("APPAUTH", {{"AAUTHLEVEL", "CLIENT", ""},
                        {"AAUTHTYPE", "DIGEST", ""},
                        {"AAUTHSECRET", "dummy", ""},
                        {"AAUTHDATA", "nonce", ""}}),
       node("APPAUTH", {{"AAUTHLEVEL", "APPSRV", ""},
                        {"AAUTHTYPE", "DIGEST", ""},
                        {"AAUTHNAME", "dummy", ""},
                        {"AAUTHSECRET", "dummy", ""},
                        {"AAUTHDATA", "nonce", ""}})}));
  d.children.push_back(node(
      "DMClient", {},
      {node("Provider", {},
            {node(s.provider_id, {{"EntDMID", "", "string"}},
                  {node("Poll", {{"NumberOfFirstRetries", std::to_string(s.poll_count), "integer"},
                                 {"IntervalForFirstSetOfRetries",
                                  std::to_string(s.poll_interval_minutes), "integer"},
                                 {"NumberOfSecondRetries", "5", "integer"},
                                 {"IntervalForSecondSetOfRetries", "60", "integer"},
                                 {"NumberOfRemainingScheduledRetries", "0", "integer"},
                                 {"IntervalForRemainingScheduledRetries", "1560", "integer"},
                                 {"PollOnLogin", "true", "boolean"}})})})}));
  return d;
}

}  // namespace mdmlab::windows::provisioning
