#include "protocol/windows/syncml.hpp"

#include <pugixml.hpp>

#include <algorithm>
#include <array>
#include <cstring>
#include <set>
#include <sstream>

#include "protocol/windows/xml_names.hpp"

namespace mdmlab::windows::syncml {
namespace {

Error bad(std::string why) {
  return make_error("bad_syncml", std::move(why));
}

constexpr std::array<const char*, 10> kCommands = {
    "Alert", "Status", "Results", "Get", "Replace", "Add", "Delete", "Exec", "Atomic", "Sequence"};

using xml::local;
using xml::trimmed;

pugi::xml_node child(const pugi::xml_node& n, std::string_view name) {
  for (auto c : n.children())
    if (c.type() == pugi::node_element && local(c) == name) return c;
  return {};
}

// The DTD's singletons: an element that may appear once appears once.
Result<void> once_each(const pugi::xml_node& n, std::initializer_list<std::string_view> names) {
  for (auto name : names) {
    int seen = 0;
    for (auto c : n.children())
      if (c.type() == pugi::node_element && local(c) == name) ++seen;
    if (seen > 1)
      return bad("<" + std::string(local(n)) + "> holds <" + std::string(name) + "> twice");
  }
  return success();
}

// The text of a leaf: its character data (CDATA included); an element inside is refused.
Result<std::string> text_of(const pugi::xml_node& n) {
  std::string out;
  for (auto c : n.children()) {
    if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata)
      out += c.value();
    else if (c.type() == pugi::node_element)
      return bad("<" + std::string(local(n)) + "> holds an element");
  }
  return trimmed(out);
}

Result<std::string> leaf(const pugi::xml_node& parent, std::string_view name) {
  auto n = child(parent, name);
  if (!n) return std::string();
  return text_of(n);
}

Result<std::string> loc_uri(const pugi::xml_node& parent, std::string_view name) {
  auto n = child(parent, name);
  if (!n) return std::string();
  if (auto r = once_each(n, {"LocURI", "LocName"}); !r) return r.error();
  for (auto c : n.children())
    if (c.type() == pugi::node_element && local(c) != "LocURI" && local(c) != "LocName")
      return bad("<" + std::string(name) + "> holds <" + std::string(local(c)) + ">");
  return leaf(n, "LocURI");
}

Result<long long> number(const std::string& s, const char* what) {
  if (s.empty() || s.size() > 18 || !std::all_of(s.begin(), s.end(), ::isdigit))
    return bad(std::string(what) + " is not a number: " + s.substr(0, 40));
  return std::stoll(s);
}

Result<Meta> read_meta(const pugi::xml_node& n) {
  Meta m;
  for (auto c : n.children()) {
    if (c.type() != pugi::node_element) continue;
    auto name = local(c);
    auto v = text_of(c);
    if (!v) return v.error();
    if (name == "Format") {
      m.format = *v;
    } else if (name == "Type") {
      m.type = *v;
    } else if (name == "Size") {
      auto s = number(*v, "Meta Size");
      if (!s) return s.error();
      m.size = *s;
    } else if (name == "MaxMsgSize") {
      auto s = number(*v, "MaxMsgSize");
      if (!s) return s.error();
      m.max_msg_size = *s;
    } else if (name == "NextNonce") {
      m.next_nonce = *v;
    } else if (name != "MaxObjSize" && name != "Version" && name != "Mark" && name != "EMI") {
      return bad("unknown Meta element <" + std::string(name) + ">");
    }
  }
  return m;
}

Result<Cred> read_cred(const pugi::xml_node& n) {
  Cred c;
  if (auto m = child(n, "Meta")) {
    auto meta = read_meta(m);
    if (!meta) return meta.error();
    c.meta = *meta;
  }
  auto d = leaf(n, "Data");
  if (!d) return d.error();
  c.data = *d;
  return c;
}

Result<Item> read_item(const pugi::xml_node& n) {
  if (auto r = once_each(n, {"Target", "Source", "Meta", "Data", "MoreData"}); !r) return r.error();
  Item it;
  for (auto c : n.children()) {
    if (c.type() != pugi::node_element) continue;
    auto name = local(c);
    if (name == "Target") {
      auto v = loc_uri(n, "Target");
      if (!v) return v.error();
      it.target = *v;
    } else if (name == "Source") {
      auto v = loc_uri(n, "Source");
      if (!v) return v.error();
      it.source = *v;
    } else if (name == "Meta") {
      auto m = read_meta(c);
      if (!m) return m.error();
      it.meta = *m;
    } else if (name == "Data") {
      bool elements = false;
      for (auto d : c.children()) elements |= d.type() == pugi::node_element;
      if (elements) {
        // XML inside Data (Format xml, or a CSP's own document): kept as written.
        std::ostringstream os;
        for (auto d : c.children()) d.print(os, "", pugi::format_raw);
        it.data = os.str();
        it.data_is_xml = true;
      } else {
        std::string text;
        for (auto d : c.children())
          if (d.type() == pugi::node_pcdata || d.type() == pugi::node_cdata) text += d.value();
        it.data = text;
      }
    } else if (name == "MoreData") {
      it.more_data = true;
    } else if (name == "Format" || name == "Type") {
      // MS-MDM 3.2.5.1.5's own example puts Type beside Meta rather than in it.
      auto v = text_of(c);
      if (!v) return v.error();
      if (!it.meta) it.meta = Meta{};
      (name == "Format" ? it.meta->format : it.meta->type) = *v;
    } else if (name != "TargetParent" && name != "SourceParent") {
      return bad("unknown Item element <" + std::string(name) + ">");
    }
  }
  return it;
}

Result<Command> read_command(const pugi::xml_node& n, int depth, std::size_t& count) {
  if (++count > kMaxCommands) return bad("more than 10000 commands in one message");
  if (auto r = once_each(n, {"CmdID", "NoResp", "Cred", "Meta", "Data", "Correlator", "MsgRef",
                             "CmdRef", "Cmd", "Chal"});
      !r)
    return r.error();
  Command cmd;
  cmd.name = std::string(local(n));
  for (auto c : n.children()) {
    if (c.type() != pugi::node_element) continue;
    auto name = local(c);
    Result<std::string> v = std::string();
    if (name == "CmdID") {
      v = text_of(c);
      if (v) cmd.cmd_id = *v;
    } else if (name == "NoResp") {
      cmd.no_resp = true;
    } else if (name == "Cred") {
      auto cr = read_cred(c);
      if (!cr) return cr.error();
      cmd.cred = *cr;
    } else if (name == "Meta") {
      auto m = read_meta(c);
      if (!m) return m.error();
      cmd.meta = *m;
    } else if (name == "Data") {
      v = text_of(c);
      if (v) cmd.data = *v;
    } else if (name == "Correlator") {
      v = text_of(c);
      if (v) cmd.correlator = *v;
    } else if (name == "MsgRef") {
      v = text_of(c);
      if (v) cmd.msg_ref = *v;
    } else if (name == "CmdRef") {
      v = text_of(c);
      if (v) cmd.cmd_ref = *v;
    } else if (name == "Cmd") {
      v = text_of(c);
      if (v) cmd.cmd = *v;
    } else if (name == "TargetRef") {
      v = text_of(c);
      if (v) cmd.target_refs.push_back(*v);
    } else if (name == "SourceRef") {
      v = text_of(c);
      if (v) cmd.source_refs.push_back(*v);
    } else if (name == "Chal") {
      auto m = child(c, "Meta");
      auto meta = m ? read_meta(m) : Result<Meta>(Meta{});
      if (!meta) return meta.error();
      cmd.chal = *meta;
    } else if (name == "Item") {
      auto it = read_item(c);
      if (!it) return it.error();
      cmd.items.push_back(std::move(*it));
    } else if (is_container(cmd.name) && is_known_command(name)) {
      if (depth + 1 >= kMaxDepth) return bad("Atomic/Sequence nested too deep");
      if (is_container(name) && cmd.name == "Atomic" && name == "Atomic")
        return bad("Atomic inside Atomic");
      auto nested = read_command(c, depth + 1, count);
      if (!nested) return nested.error();
      cmd.children.push_back(std::move(*nested));
    } else {
      return bad("<" + cmd.name + "> holds an unknown element <" + std::string(name) + ">");
    }
    if (!v) return v.error();
  }
  if (cmd.cmd_id.empty()) return bad("<" + cmd.name + "> has no CmdID");
  if (cmd.name == "Status" && (cmd.cmd_ref.empty() || cmd.cmd.empty() || cmd.data.empty()))
    return bad("Status " + cmd.cmd_id + " needs CmdRef, Cmd and Data");
  if (cmd.name == "Results" && (cmd.cmd_ref.empty() || cmd.items.empty()))
    return bad("Results " + cmd.cmd_id + " needs CmdRef and an Item");
  if (cmd.name == "Alert" && cmd.data.empty()) return bad("Alert " + cmd.cmd_id + " has no code");
  const bool needs_items = cmd.name == "Get" || cmd.name == "Replace" || cmd.name == "Add" ||
                           cmd.name == "Delete" || cmd.name == "Exec";
  if (needs_items && cmd.items.empty()) return bad(cmd.name + " " + cmd.cmd_id + " has no Item");
  return cmd;
}

Result<Header> read_header(const pugi::xml_node& n) {
  if (auto r = once_each(n, {"VerDTD", "VerProto", "SessionID", "MsgID", "Target", "Source", "Cred",
                             "Meta", "RespURI", "NoResp"});
      !r)
    return r.error();
  Header h;
  h.ver_dtd = "";
  h.ver_proto = "";
  for (auto c : n.children()) {
    if (c.type() != pugi::node_element) continue;
    auto name = local(c);
    Result<std::string> v = std::string();
    if (name == "VerDTD") {
      v = text_of(c);
      if (v) h.ver_dtd = *v;
    } else if (name == "VerProto") {
      v = text_of(c);
      if (v) h.ver_proto = *v;
    } else if (name == "SessionID") {
      v = text_of(c);
      if (v) h.session_id = *v;
    } else if (name == "MsgID") {
      v = text_of(c);
      if (v) h.msg_id = *v;
    } else if (name == "Target") {
      v = loc_uri(n, "Target");
      if (v) h.target = *v;
    } else if (name == "Source") {
      v = loc_uri(n, "Source");
      if (v) h.source = *v;
    } else if (name == "Cred") {
      auto cr = read_cred(c);
      if (!cr) return cr.error();
      h.cred = *cr;
    } else if (name == "Meta") {
      auto m = read_meta(c);
      if (!m) return m.error();
      h.meta = *m;
    } else if (name != "RespURI" && name != "NoResp") {
      return bad("unknown SyncHdr element <" + std::string(name) + ">");
    }
    if (!v) return v.error();
  }
  if (h.ver_dtd != "1.2") return bad("VerDTD is not 1.2");
  if (h.ver_proto != "DM/1.2") return bad("VerProto is not DM/1.2");
  if (h.session_id.empty()) return bad("no SessionID");
  if (h.msg_id.empty()) return bad("no MsgID");
  if (h.source.empty()) return bad("no Source LocURI");
  if (h.target.empty()) return bad("no Target LocURI");
  return h;
}

// Writing.
void add_text(pugi::xml_node parent, const char* name, const std::string& value) {
  parent.append_child(name).append_child(pugi::node_pcdata).set_value(value.c_str());
}

void add_loc(pugi::xml_node parent, const char* name, const std::string& uri) {
  if (uri.empty()) return;
  add_text(parent.append_child(name), "LocURI", uri);
}

void add_meta_text(pugi::xml_node meta, const char* name, const std::string& value) {
  auto n = meta.append_child(name);
  n.append_attribute("xmlns").set_value(kMetaNamespace);
  n.append_child(pugi::node_pcdata).set_value(value.c_str());
}

void write_meta(pugi::xml_node parent, const char* name, const Meta& m) {
  auto meta = parent.append_child(name);
  if (!m.format.empty()) add_meta_text(meta, "Format", m.format);
  if (!m.type.empty()) add_meta_text(meta, "Type", m.type);
  if (m.size) add_meta_text(meta, "Size", std::to_string(*m.size));
  if (m.max_msg_size) add_meta_text(meta, "MaxMsgSize", std::to_string(*m.max_msg_size));
  if (!m.next_nonce.empty()) add_meta_text(meta, "NextNonce", m.next_nonce);
}

void write_cred(pugi::xml_node parent, const Cred& c) {
  auto cred = parent.append_child("Cred");
  write_meta(cred, "Meta", c.meta);
  add_text(cred, "Data", c.data);
}

Result<void> write_item(pugi::xml_node parent, const Item& it) {
  auto item = parent.append_child("Item");
  add_loc(item, "Target", it.target);
  add_loc(item, "Source", it.source);
  if (it.meta) write_meta(item, "Meta", *it.meta);
  if (it.data) {
    auto data = item.append_child("Data");
    if (it.data_is_xml) {
      if (!data.append_buffer(it.data->data(), it.data->size(), pugi::parse_default,
                              pugi::encoding_utf8))
        return bad("Item Data marked XML does not parse");
    } else {
      data.append_child(pugi::node_pcdata).set_value(it.data->c_str());
    }
  }
  if (it.more_data) item.append_child("MoreData");
  return success();
}

Result<void> write_command(pugi::xml_node parent, const Command& c, int depth) {
  if (!is_known_command(c.name)) return bad("unknown command " + c.name);
  if (depth >= kMaxDepth) return bad("Atomic/Sequence nested too deep");
  // Each command's children in the order the SyncML DTD gives them.
  auto n = parent.append_child(c.name.c_str());
  add_text(n, "CmdID", c.cmd_id);
  if (c.name == "Status" || c.name == "Results") {
    if (!c.msg_ref.empty()) add_text(n, "MsgRef", c.msg_ref);
    add_text(n, "CmdRef", c.cmd_ref);
    if (c.name == "Status") {
      add_text(n, "Cmd", c.cmd);
    } else if (c.meta) {
      write_meta(n, "Meta", *c.meta);
    }
    for (const auto& t : c.target_refs) add_text(n, "TargetRef", t);
    for (const auto& s : c.source_refs) add_text(n, "SourceRef", s);
    if (c.name == "Status") {
      if (c.cred) write_cred(n, *c.cred);
      if (c.chal) write_meta(n.append_child("Chal"), "Meta", *c.chal);
      add_text(n, "Data", c.data);
    }
  } else {
    if (c.no_resp) n.append_child("NoResp");
    if (c.cred) write_cred(n, *c.cred);
    if (c.name == "Alert") {
      add_text(n, "Data", c.data);
      if (!c.correlator.empty()) add_text(n, "Correlator", c.correlator);
    } else if (c.meta) {
      write_meta(n, "Meta", *c.meta);
    }
  }
  for (const auto& it : c.items)
    if (auto r = write_item(n, it); !r) return r;
  for (const auto& child_cmd : c.children) {
    if (!is_container(c.name)) return bad(c.name + " cannot hold commands");
    if (auto r = write_command(n, child_cmd, depth + 1); !r) return r;
  }
  return success();
}

// CmdIDs are unique within a message (nested commands included): Status and Results name the
// command they answer by it.
Result<void> unique_ids(const std::vector<Command>& commands, std::set<std::string>& seen) {
  for (const auto& c : commands) {
    if (!seen.insert(c.cmd_id).second) return bad("CmdID " + c.cmd_id + " appears twice");
    if (auto r = unique_ids(c.children, seen); !r) return r;
  }
  return success();
}

}  // namespace

bool is_known_command(std::string_view name) {
  return std::find(kCommands.begin(), kCommands.end(), name) != kCommands.end();
}

bool is_container(std::string_view name) {
  return name == "Atomic" || name == "Sequence";
}

Result<Message> parse(std::string_view text) {
  auto doc = xml::load(text);
  if (!doc) return bad(doc.error().message);
  auto root = (*doc)->document_element();
  if (local(root) != "SyncML") return bad("the root element is not <SyncML>");
  if (auto r = once_each(root, {"SyncHdr", "SyncBody"}); !r) return r.error();
  auto hdr = child(root, "SyncHdr");
  auto body = child(root, "SyncBody");
  if (!hdr || !body) return bad("a SyncML message needs SyncHdr and SyncBody");
  Message m;
  auto h = read_header(hdr);
  if (!h) return h.error();
  m.header = std::move(*h);
  std::size_t count = 0;
  for (auto c : body.children()) {
    if (c.type() != pugi::node_element) continue;
    if (m.final) return bad("<" + std::string(local(c)) + "> after <Final>");
    auto name = local(c);
    if (name == "Final") {
      m.final = true;
      continue;
    }
    if (!is_known_command(name)) return bad("unknown command <" + std::string(name) + ">");
    auto cmd = read_command(c, 0, count);
    if (!cmd) return cmd.error();
    m.body.push_back(std::move(*cmd));
  }
  std::set<std::string> ids;
  if (auto r = unique_ids(m.body, ids); !r) return r.error();
  return m;
}

Result<Command> parse_command(std::string_view text) {
  auto doc = xml::load(text);
  if (!doc) return bad(doc.error().message);
  auto root = (*doc)->document_element();
  if (!is_known_command(local(root))) return bad("not a SyncML command");
  std::size_t count = 0;
  return read_command(root, 0, count);
}

Result<std::vector<Command>> parse_body(std::string_view text) {
  auto doc = xml::load(text);
  if (!doc) return bad(doc.error().message);
  auto root = (*doc)->document_element();
  auto body = local(root) == "SyncBody" ? root : child(root, "SyncBody");
  if (local(root) != "SyncBody" && local(root) != "SyncML") return bad("not a SyncBody");
  if (!body) return bad("no SyncBody");
  std::vector<Command> out;
  std::size_t count = 0;
  for (auto c : body.children()) {
    if (c.type() != pugi::node_element || local(c) == "Final") continue;
    if (!is_known_command(local(c))) return bad("unknown command <" + std::string(local(c)) + ">");
    auto cmd = read_command(c, 0, count);
    if (!cmd) return cmd.error();
    out.push_back(std::move(*cmd));
  }
  return out;
}

Result<std::string> serialize(const Message& m) {
  pugi::xml_document doc;
  auto root = doc.append_child("SyncML");
  root.append_attribute("xmlns").set_value(kNamespace);
  auto hdr = root.append_child("SyncHdr");
  add_text(hdr, "VerDTD", m.header.ver_dtd);
  add_text(hdr, "VerProto", m.header.ver_proto);
  add_text(hdr, "SessionID", m.header.session_id);
  add_text(hdr, "MsgID", m.header.msg_id);
  add_loc(hdr, "Target", m.header.target);
  add_loc(hdr, "Source", m.header.source);
  if (m.header.cred) write_cred(hdr, *m.header.cred);
  if (m.header.meta) write_meta(hdr, "Meta", *m.header.meta);
  auto body = root.append_child("SyncBody");
  for (const auto& c : m.body)
    if (auto r = write_command(body, c, 0); !r) return r.error();
  if (m.final) body.append_child("Final");
  std::ostringstream os;
  doc.save(os, "", pugi::format_raw | pugi::format_no_declaration, pugi::encoding_utf8);
  return os.str();
}

Result<std::string> serialize_command(const Command& c) {
  pugi::xml_document doc;
  if (auto r = write_command(doc, c, 0); !r) return r.error();
  std::ostringstream os;
  doc.save(os, "", pugi::format_raw | pugi::format_no_declaration, pugi::encoding_utf8);
  return os.str();
}

}  // namespace mdmlab::windows::syncml
