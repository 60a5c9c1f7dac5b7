// Windows management cases (management_service.cpp, protocol/windows/syncml.cpp): POST
// /ManagementServer/MDM.svc over mTLS. The device is its certificate: none is 401 (the plain
// listener serves the route too), one of ours that enrolls no Windows PC (the Macs') 403; the
// enrolled PC's certificate with a SyncHdr Source naming another DeviceID gets 200 with one
// Status 403 for the header and nothing else. With the PC's certificate: messages that are no
// SyncML DM 1.2 (OMA-TS-DM_RepPro / the SyncML DTD: another root, version or protocol, no
// SessionID / MsgID / LocURIs, unknown commands or elements, commands after Final), an element
// twice where the DTD has it once, invalid UTF-8, nesting past Atomic/Sequence's limit: 400;
// another media type: 415; cuts, bodies over the limit, broken framing over TLS. Every message
// carries a Replace of ./DevInfo/Mod and its own SessionID, and a command waits queued for the
// PC: a message the server took would send it, or record the model, and the state shows it.
#include "protocol/windows/syncml.hpp"
#include "tests/hostile/windows_gen.hpp"

namespace mdmlab::testing::hostile {
namespace {
const std::string kMdm = "POST /ManagementServer/MDM.svc";
constexpr const char* kPath = "/ManagementServer/MDM.svc";
const std::string kType = mdmlab::windows::syncml::kContentType;

struct SyncmlText {
  std::string session, msg_id = "1", target, source;
  std::string ver_dtd = "1.2", ver_proto = "DM/1.2";
  std::string header_extra;
  std::string body =
      "<Alert><CmdID>1</CmdID><Data>1201</Data></Alert><Replace><CmdID>2</CmdID><Item><Source>"
      "<LocURI>./DevInfo/Mod</LocURI></Source><Data>HOSTILE</Data></Item></Replace>";
  bool final = true;
  std::string text() const {
    std::string out = "<SyncML xmlns=\"SYNCML:SYNCML1.2\"><SyncHdr><VerDTD>";
    out += ver_dtd;
    out += "</VerDTD><VerProto>";
    out += ver_proto;
    out += "</VerProto><SessionID>";
    out += session;
    out += "</SessionID><MsgID>";
    out += msg_id;
    out += "</MsgID><Target><LocURI>";
    out += target;
    out += "</LocURI></Target><Source><LocURI>";
    out += source;
    out += "</LocURI></Source>";
    out += header_extra;
    out += "</SyncHdr><SyncBody>";
    out += body;
    if (final) out += "<Final/>";
    out += "</SyncBody></SyncML>";
    return out;
  }
};

Expected not_syncml(const std::string& why) {
  return expect::bad_request("not a SyncML DM 1.2 message: " + why);
}

struct MdmGen {
  Rng& rng;
  const WindowsMaterials& w;
  std::vector<Case>& out;

  SyncmlText message() {
    SyncmlText t;
    t.session = std::to_string(0x100 + rng.below(0xFFFFF));  // its own session each
    t.target = w.base_url + kPath;
    t.source = w.pc.udid;
    return t;
  }
  void add(const char* cls, std::string name, const std::string& body, Expected want,
           const std::string& type = kType, ClientCert cert = ClientCert::windows_pc,
           bool tls = true, const std::string& target = kPath) {
    net::Headers h;
    if (!type.empty()) h.emplace_back("Content-Type", type);
    out.push_back(
        windows_case(kMdm, cls, std::move(name), target, h, body, std::move(want), tls, cert));
  }

  void identity() {
    for (int i = 0; i < kPerClass + 4; ++i) {
      auto t = message();
      const auto target = i % 3 == 2 ? "/api/mdm/microsoft/management" : kPath;
      switch (i % 4) {
        case 0:
          add(mutation::identity, std::string("plain HTTP, no certificate, ") + target, t.text(),
              expect::unauthorized("MS-MDM: the device is its TLS client certificate"), kType,
              ClientCert::none, false, target);
          break;
        case 1:
          add(mutation::identity, std::string("TLS without a certificate, ") + target, t.text(),
              expect::unauthorized("MS-MDM: the device is its TLS client certificate"), kType,
              ClientCert::none, true, target);
          break;
        case 2: {
          const auto cert = i % 8 == 2 ? ClientCert::mac_a : ClientCert::mac_b;
          add(mutation::identity, std::string("a Mac's certificate (ours), ") + target, t.text(),
              expect::forbidden("a certificate that enrolls no Windows device"), kType, cert, true,
              target);
          break;
        }
        default: {
          static const std::vector<std::string> kOthers = {"HOSTILE-PC-0002", "HOSTILE-MAC-A",
                                                           "hostile-pc-0001", "HOSTILE-PC-00010",
                                                           "HOSTILE-PC-000",  "./DevInfo/DevId"};
          t.source = kOthers[static_cast<std::size_t>(i / 4) % kOthers.size()];
          add(mutation::identity, "the PC's certificate, SyncHdr Source " + t.source, t.text(),
              Expected::carrying(200, Carries::syncml_status, "403",
                                 "MS-MDM: a SyncHdr Source that is not the certificate's DeviceID "
                                 "gets Status 403 for the header and nothing else"),
              kType, ClientCert::windows_pc, true, target);
          break;
        }
      }
    }
  }

  void malformed() {
    for (int i = 0; i < kPerClass; ++i) {
      auto t = message();
      std::string name, b;
      auto set = [&](std::string n) {
        name = std::move(n);
        b = t.text();
      };
      switch (i) {
        case 0:
          name = "the root is not SyncML";
          b = replace_once(replace_once(t.text(), "<SyncML ", "<OMADM "), "</SyncML>", "</OMADM>");
          break;
        case 1:
          name = "no SyncHdr";
          b = t.text();
          b = b.substr(0, b.find("<SyncHdr>")) + b.substr(b.find("</SyncHdr>") + 10);
          break;
        case 2:
          name = "no SyncBody";
          b = t.text();
          b = b.substr(0, b.find("<SyncBody>")) + "</SyncML>";
          break;
        case 3:
          t.ver_dtd = "1.1";
          set("VerDTD 1.1");
          break;
        case 4:
          t.ver_proto = "DM/1.1";
          set("VerProto DM/1.1");
          break;
        case 5:
          t.session = "";
          set("an empty SessionID");
          break;
        case 6:
          t.msg_id = "";
          set("an empty MsgID");
          break;
        case 7:
          t.target = "";
          set("no Target LocURI");
          break;
        case 8:
          t.body = "<Sync><CmdID>1</CmdID></Sync>";
          set("an unknown command <Sync>");
          break;
        case 9:
          t.body = "<Alert><Data>1201</Data></Alert>";
          set("an Alert without CmdID");
          break;
        case 10:
          t.body =
              "<Status><CmdID>1</CmdID><MsgRef>1</MsgRef><Cmd>Get</Cmd><Data>200</Data></Status>";
          set("a Status without CmdRef");
          break;
        case 11:
          t.body = "<Alert><CmdID>1</CmdID></Alert>";
          set("an Alert without a code");
          break;
        case 12:
          t.body = "<Get><CmdID>1</CmdID></Get>";
          set("a Get without Item");
          break;
        case 13:
          t.final = false;
          t.body += "<Final/><Alert><CmdID>3</CmdID><Data>1226</Data></Alert>";
          set("an unenrollment Alert after Final");
          break;
        case 14:
          t.header_extra = "<Priority>1</Priority>";
          set("an unknown SyncHdr element");
          break;
        case 15:
          t.header_extra = "<Meta><MaxMsgSize xmlns=\"syncml:metinf\">-1</MaxMsgSize></Meta>";
          set("MaxMsgSize -1");
          break;
        case 16:
          t.header_extra = "<Meta><Color xmlns=\"syncml:metinf\">red</Color></Meta>";
          set("an unknown Meta element");
          break;
        case 17:
          name = "not XML";
          b = "SyncML, more or less";
          break;
        case 18:
          name = "an empty body";
          break;
        default:
          t.header_extra =
              "<Meta><MaxMsgSize xmlns=\"syncml:metinf\">99999999999999999999</MaxMsgSize></Meta>";
          set("MaxMsgSize beyond 64 bits");
          break;
      }
      add(mutation::syncml, name, b, not_syncml(name));
    }
  }

  void media_types() {
    static const std::vector<std::string> kTypes = {"application/xml",
                                                    "text/xml",
                                                    "application/vnd.syncml.dm+wbxml",
                                                    "application/vnd.syncml+xml",
                                                    "",
                                                    "application/vnd.syncml.dm+xmlx",
                                                    "application/json",
                                                    "text/plain",
                                                    "application/soap+xml; charset=utf-8",
                                                    "multipart/mixed; boundary=x"};
    for (int i = 0; i < kPerClass; ++i) {
      const auto& t = kTypes[static_cast<std::size_t>(i) % kTypes.size()];
      add(mutation::content_type, "a valid message as '" + t + "'", message().text(),
          expect::unsupported_media_type("the body must be application/vnd.syncml.dm+xml"), t);
    }
  }

  void duplicates() {
    for (int i = 0; i < kPerClass; ++i) {
      auto t = message();
      const auto v = t.text();
      const auto hdr_from = v.find("<SyncHdr>"), hdr_to = v.find("</SyncHdr>") + 10;
      const auto header = v.substr(hdr_from, hdr_to - hdr_from);
      const auto other_header = replace_once(header, ">" + w.pc.udid + "<", ">" + w.other_id + "<");
      const std::string ours = "<Source><LocURI>" + w.pc.udid + "</LocURI></Source>";
      const std::string theirs = "<Source><LocURI>" + w.other_id + "</LocURI></Source>";
      std::string name, b;
      switch (i % 10) {
        case 0:
          name = "two SyncHdrs, the PC's first, another device's second";
          b = replace_once(v, header, header + other_header);
          break;
        case 1:
          name = "two SyncHdrs, another device's first, the PC's second";
          b = replace_once(v, header, other_header + header);
          break;
        case 2:
          name = "two SyncBodies";
          b = replace_once(v, "</SyncML>",
                           "<SyncBody><Alert><CmdID>9</CmdID><Data>1226</Data></Alert><Final/>"
                           "</SyncBody></SyncML>");
          break;
        case 3:
          name = "two Sources, the PC's first";
          b = replace_once(v, ours, ours + theirs);
          break;
        case 4:
          name = "two Sources, another device's first";
          b = replace_once(v, ours, theirs + ours);
          break;
        case 5:
          name = "two LocURIs in the Source";
          b = replace_once(v, ours,
                           "<Source><LocURI>" + w.pc.udid + "</LocURI><LocURI>" + w.other_id +
                               "</LocURI></Source>");
          break;
        case 6:
          name = "two SessionIDs";
          b = replace_once(v, "</SessionID>",
                           "</SessionID><SessionID>" + t.session + "0</SessionID>");
          break;
        case 7:
          name = "two MsgIDs";
          b = replace_once(v, "</MsgID>", "</MsgID><MsgID>2</MsgID>");
          break;
        case 8:
          name = "two commands with CmdID 1";
          b = replace_once(v, "<CmdID>2</CmdID>", "<CmdID>1</CmdID>");
          break;
        default:
          name = "two CmdIDs in one command";
          b = replace_once(v, "<CmdID>1</CmdID>", "<CmdID>1</CmdID><CmdID>3</CmdID>");
          break;
      }
      add(mutation::duplicate_keys, name, b,
          not_syncml("the SyncML DTD has it once (CmdIDs unique in a message)"));
    }
  }

  void utf8() {
    for (int i = 0; i < kPerClass; ++i) {
      auto t = message();
      std::string name, b;
      switch (i % 5) {
        case 0:
          t.source = with_invalid_utf8(rng, t.source);
          name = "invalid UTF-8 in the Source LocURI";
          b = t.text();
          break;
        case 1:
          name = "invalid UTF-8 in Item Data";
          b = replace_once(t.text(), ">HOSTILE<", ">HOST" + invalid_utf8(rng) + "ILE<");
          break;
        case 2:
          t.session = with_invalid_utf8(rng, t.session);
          name = "invalid UTF-8 in the SessionID";
          b = t.text();
          break;
        case 3:
          name = "Latin-1 declared and used";
          b = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>" +
              replace_once(t.text(), ">HOSTILE<", ">HOSTIL\xC9<");
          break;
        default:
          name = "invalid UTF-8 anywhere";
          b = with_invalid_utf8(rng, t.text());
          break;
      }
      add(mutation::invalid_utf8, name, b, not_syncml("XML in UTF-8"));
    }
  }

  void nesting() {
    for (int i = 0; i < kPerClass; ++i) {
      auto t = message();
      const auto depth = rng.between(5, 2000);
      std::string name;
      std::string open, close;
      switch (i % 5) {
        case 0:
          for (std::size_t k = 0; k < depth; ++k) {
            open += k % 2 ? "<Atomic><CmdID>" + std::to_string(10 + k) + "</CmdID>"
                          : "<Sequence><CmdID>" + std::to_string(10 + k) + "</CmdID>";
            close = (k % 2 ? "</Atomic>" : "</Sequence>") + close;
          }
          t.body = open +
                   "<Get><CmdID>3</CmdID><Item><Target><LocURI>./DevDetail/SwV</LocURI>"
                   "</Target></Item></Get>" +
                   close;
          name = "Atomic/Sequence " + std::to_string(depth) + " deep";
          break;
        case 1:
          t.body =
              "<Atomic><CmdID>3</CmdID><Atomic><CmdID>4</CmdID><Alert><CmdID>5</CmdID>"
              "<Data>1201</Data></Alert></Atomic></Atomic>" +
              t.body;
          name = "Atomic inside Atomic";
          break;
        case 2:
          t.body =
              "<Alert><CmdID>3</CmdID><Data>1201</Data><Alert><CmdID>4</CmdID><Data>1226"
              "</Data></Alert></Alert>" +
              t.body;
          name = "an Alert holding an Alert";
          break;
        case 3: {
          const auto n = rng.between(1000, 60000);
          for (std::size_t k = 0; k < n; ++k) open += "<x>";
          for (std::size_t k = 0; k < n; ++k) close += "</x>";
          t.source = w.pc.udid + open + close;
          name = std::to_string(n) + " elements nested in the Source LocURI";
          break;
        }
        default: {
          const auto n = rng.between(1000, 60000);
          for (std::size_t k = 0; k < n; ++k) open += "<Item>";
          for (std::size_t k = 0; k < n; ++k) close += "</Item>";
          t.body = "<Replace><CmdID>3</CmdID>" + open + close + "</Replace>" + t.body;
          name = std::to_string(n) + " Items nested";
          break;
        }
      }
      add(mutation::nesting, name, t.text(),
          not_syncml("nesting the DTD does not allow (Atomic/Sequence at most 4 deep)"));
    }
  }

  void cuts() {
    const auto v = message().text();
    for (int i = 0; i < kPerClass / 2; ++i) {
      const auto cut = rng.between(1, v.size() - 1);
      add(mutation::truncation, "SyncML cut at " + std::to_string(cut), v.substr(0, cut),
          not_syncml("not well-formed XML"));
    }
    HttpBase base{kMdm, "POST", kPath, {{"Content-Type", kType}}, v};
    const auto from = out.size();
    add_http_truncation(rng, base, kPerClass / 2, out);
    add_http_huge(rng, base, 2 * 1024 * 1024, kPerClass, out);
    add_http_numbers(rng, base, kPerClass, out);
    for (auto i = from; i < out.size(); ++i) {
      out[i].channel = Channel::raw_tls;
      out[i].cert = ClientCert::windows_pc;
    }
  }
};
}  // namespace

void add_windows_mdm_cases(Rng& rng, const Materials& m, std::vector<Case>& out) {
  MdmGen g{rng, m.windows, out};
  g.identity();
  g.malformed();
  g.media_types();
  g.duplicates();
  g.utf8();
  g.nesting();
  g.cuts();
}

}  // namespace mdmlab::testing::hostile
