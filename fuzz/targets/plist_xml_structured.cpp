// XML plists with a structure-aware mutator: inputs stay well-formed XML (pugixml) and the
// mutations are plist-shaped (rename among plist tags, duplicate / delete / swap / move / wrap
// nodes, new text, new <key>/value pairs), so the fuzzer spends its time past the XML layer in
// the plist reader and the check-in / command decoders. Inputs that do not parse go to
// libFuzzer's own mutator. The mutator also compiles in the GCC standalone build (replay never
// calls it; LLVMFuzzerMutate is weak and absent there).
#include <pugixml.hpp>

#include <cstring>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/apple/checkin.hpp"
#include "protocol/apple/command.hpp"
#include "protocol/plist/xml.hpp"

extern "C" std::size_t LLVMFuzzerMutate(std::uint8_t* data, std::size_t size, std::size_t max_size)
    __attribute__((weak));

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto v = mdmlab::plist::from_xml(text);
  if (v) (void)mdmlab::plist::to_xml(*v);
  if (auto c = mdmlab::apple::decode_checkin(text)) (void)mdmlab::apple::encode_checkin(*c);
  if (auto r = mdmlab::apple::decode_command_report(text))
    (void)mdmlab::apple::encode_command_report(*r);
  if (auto c = mdmlab::apple::decode_command(text)) (void)mdmlab::apple::encode_command(*c);
  return 0;
}

namespace {
const char* const kTags[] = {"plist", "dict", "array", "key",  "string", "integer",
                             "real",  "true", "false", "date", "data"};
const char* const kKeys[] = {"MessageType",  "UDID",           "Topic",
                             "Token",        "PushMagic",      "UnlockToken",
                             "Status",       "CommandUUID",    "Command",
                             "RequestType",  "ErrorChain",     "ErrorCode",
                             "EnrollmentID", "BootstrapToken", "QueryResponses",
                             "SerialNumber", "UserID",         "AwaitingConfiguration"};
const char* const kTexts[] = {"",
                              "0",
                              "-1",
                              "9223372036854775807",
                              "9223372036854775808",
                              "-9223372036854775809",
                              "0x7FFFFFFFFFFFFFFF",
                              "1e308",
                              "nan",
                              "AAAA",
                              "====",
                              "QQ==",
                              "2024-02-29T23:59:58Z",
                              "Authenticate",
                              "TokenUpdate",
                              "CheckOut",
                              "Idle",
                              "Acknowledged",
                              "NotNow",
                              "Error",
                              "\xff\xfe",
                              "\xed\xa0\x80",
                              "a\tb\nc"};

template <typename T, std::size_t N>
const T& pick(std::mt19937& rng, const T (&a)[N]) {
  return a[rng() % N];
}

struct StringWriter : pugi::xml_writer {
  std::string out;
  void write(const void* data, std::size_t size) override {
    out.append(static_cast<const char*>(data), size);
  }
};

void collect(pugi::xml_node n, std::vector<pugi::xml_node>& out) {
  for (auto c : n.children()) {
    if (c.type() == pugi::node_element) {
      out.push_back(c);
      collect(c, out);
    }
  }
}

bool mutate(pugi::xml_document& doc, std::mt19937& rng) {
  std::vector<pugi::xml_node> nodes;
  collect(doc, nodes);
  if (nodes.empty()) return false;
  auto n = nodes[rng() % nodes.size()];
  auto other = nodes[rng() % nodes.size()];
  switch (rng() % 9) {
    case 0:
      return n.set_name(pick(rng, kTags));
    case 1:
      return static_cast<bool>(n.parent().insert_copy_after(n, n));  // duplicate
    case 2:
      return n != doc.document_element() && n.parent().remove_child(n);
    case 3: {  // swap with the previous element sibling
      auto prev = n.previous_sibling();
      return prev && static_cast<bool>(n.parent().insert_move_before(n, prev));
    }
    case 4: {  // new text
      while (n.first_child()) n.remove_child(n.first_child());
      return n.append_child(pugi::node_pcdata).set_value(pick(rng, kTexts));
    }
    case 5: {  // a new <key>/value pair inside a dict (or anywhere)
      auto key = n.prepend_child("key");
      key.append_child(pugi::node_pcdata).set_value(pick(rng, kKeys));
      auto value = n.insert_child_after(pick(rng, kTags), key);
      value.append_child(pugi::node_pcdata).set_value(pick(rng, kTexts));
      return true;
    }
    case 6: {  // wrap in a new <array> or <dict>
      if (n == doc.document_element()) return false;
      auto wrapper = n.parent().insert_child_before(rng() % 2 ? "array" : "dict", n);
      return static_cast<bool>(wrapper.append_move(n));
    }
    case 7: {  // move under another element (not into its own subtree)
      for (auto p = other; p; p = p.parent())
        if (p == n) return false;
      return n != doc.document_element() && static_cast<bool>(other.append_move(n));
    }
    default: {  // copy another element's subtree here
      for (auto p = n; p; p = p.parent())
        if (p == other) return false;
      return static_cast<bool>(n.append_copy(other));
    }
  }
}
}  // namespace

extern "C" std::size_t LLVMFuzzerCustomMutator(std::uint8_t* data, std::size_t size,
                                               std::size_t max_size, unsigned int seed) {
  std::mt19937 rng(seed);
  pugi::xml_document doc;
  bool parsed = size > 0 &&
                doc.load_buffer(data, size, pugi::parse_default | pugi::parse_ws_pcdata_single,
                                pugi::encoding_utf8) &&
                doc.document_element();
  bool changed = false;
  if (parsed) {
    for (int i = 0, rounds = 1 + static_cast<int>(rng() % 3); i < rounds; ++i)
      changed |= mutate(doc, rng);
  }
  if (!changed) return LLVMFuzzerMutate ? LLVMFuzzerMutate(data, size, max_size) : size;
  StringWriter w;
  w.out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  doc.save(w, "\t", pugi::format_raw | pugi::format_no_declaration, pugi::encoding_utf8);
  if (w.out.size() > max_size)
    return LLVMFuzzerMutate ? LLVMFuzzerMutate(data, size, max_size) : size;
  std::memcpy(data, w.out.data(), w.out.size());
  return w.out.size();
}
