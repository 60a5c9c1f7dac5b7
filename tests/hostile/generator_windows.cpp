// Windows enrollment cases (windows_enrollment_routes.cpp, protocol/windows/soap.cpp): the SOAP
// endpoints Discovery.svc, /api/mdm/microsoft/policy and /api/mdm/microsoft/enroll, each with what
// every SOAP 1.2 endpoint must refuse: bodies that are no SOAP 1.2 envelope (not XML, another
// envelope namespace, a Body twice or none, an unknown header marked mustUnderstand, a DTD), the
// Action of another operation, media types other than application/soap+xml, invalid UTF-8,
// tokens twice, bodies cut short, over the limit, broken framing. The policy and enroll calls add
// wrong UsernameToken secrets (401 s:Authentication); generator_windows_enroll.cpp the RST's own
// refusals. MS-MDE2 2.2.9: the service answers a SOAP fault, s:MessageFormat (400) for a message
// it cannot read. Half the hand-made cases go over TLS (the PC's way in), half over plain HTTP
// (the server serves both). Nothing may be stored: an enrollment shows in windows_enrollments.
#include "protocol/windows/discovery.hpp"
#include "protocol/windows/soap.hpp"
#include "protocol/windows/wstep.hpp"
#include "protocol/windows/xcep.hpp"
#include "tests/hostile/generator.hpp"
#include "tests/hostile/windows_gen.hpp"

namespace mdmlab::testing::hostile {
namespace soap = mdmlab::windows::soap;
namespace win = mdmlab::windows;

std::string windows_soap_request(const std::string& action, const std::string& to,
                                 const std::string& body, const std::string& password,
                                 const std::string& message_id) {
  SoapMessage s;
  s.action = action;
  s.to = to;
  s.message_id = message_id;
  if (!password.empty()) s.security = username_token("ada@contoso.example", password);
  s.body = body;
  return s.text();
}

std::string SoapMessage::text() const {
  std::string out = "<s:Envelope xmlns:s=\"";
  out += ns;
  out += "\" xmlns:a=\"";
  out += soap::kAddressingNs;
  out += "\"><s:Header>";
  if (!action.empty()) {
    out += "<a:Action s:mustUnderstand=\"1\">";
    out += action;
    out += "</a:Action>";
  }
  out += "<a:MessageID>";
  out += message_id;
  out += "</a:MessageID><a:To s:mustUnderstand=\"1\">";
  out += to;
  out += "</a:To>";
  out += security;
  out += extra_headers;
  out += "</s:Header><s:Body>";
  out += body;
  out += "</s:Body></s:Envelope>";
  return out;
}

std::string username_token(const std::string& user, const std::string& password) {
  std::string out = "<wsse:Security xmlns:wsse=\"";
  out += soap::kSecurityNs;
  out += "\" s:mustUnderstand=\"1\"><wsse:UsernameToken><wsse:Username>";
  out += user;
  out += "</wsse:Username><wsse:Password Type=\"";
  out += soap::kSecurityNs;
  out += "#PasswordText\">";
  out += password;
  out += "</wsse:Password></wsse:UsernameToken></wsse:Security>";
  return out;
}

std::string replace_once(std::string s, const std::string& from, const std::string& to) {
  const auto at = s.find(from);
  if (at != std::string::npos) s.replace(at, from.size(), to);
  return s;
}

Expected soap_fault(int status, const char* subcode, const std::string& why) {
  return Expected::carrying(status, Carries::soap_fault, subcode,
                            std::string("MS-MDE2 2.2.9: ") + subcode + " fault: " + why);
}
Expected message_format(const std::string& why) {
  return soap_fault(400, "s:MessageFormat", why);
}

Case windows_case(const std::string& endpoint, const char* mutation, std::string name,
                  const std::string& target, const net::Headers& headers, const std::string& body,
                  Expected expect, bool tls, ClientCert cert) {
  auto c = raw_case(endpoint, mutation, std::move(name), raw_request("POST", target, headers, body),
                    std::move(expect));
  if (tls) {
    c.channel = Channel::raw_tls;
    c.cert = cert;
  }
  return c;
}

namespace {
const std::string kSoapType = soap::kContentType;

struct Gen {
  Rng& rng;
  const SoapEndpoint& ep;
  std::vector<Case>& out;

  // The valid request, with `f` applied to its parts first.
  template <typename F>
  std::string msg(F&& f) const {
    auto s = ep.message;
    f(s);
    return s.text();
  }
  std::string valid() const { return ep.message.text(); }
  void add(const char* cls, int i, std::string name, const std::string& body, Expected want,
           const std::string& type = kSoapType) {
    net::Headers h;
    if (!type.empty()) h.emplace_back("Content-Type", type);
    out.push_back(windows_case(ep.endpoint, cls, std::move(name), ep.target, h, body,
                               std::move(want), i % 2 == 1));
  }

  void envelopes() {
    const std::string v = valid();
    const auto header_end = v.find("</s:Header>");
    const auto body_start = v.find("<s:Body>"), body_end = v.find("</s:Body>");
    const auto header = v.substr(v.find("<s:Header>"), header_end + 11 - v.find("<s:Header>"));
    const auto body = v.substr(body_start, body_end + 9 - body_start);
    const auto payload = v.substr(body_start + 8, body_end - body_start - 8);
    const auto unknown = [](const char* prefix, const char* value) {
      return std::string("<x:Trace xmlns:x=\"urn:example:trace\" ") + prefix +
             ":mustUnderstand=\"" + value + "\">1</x:Trace>";
    };
    for (int i = 0; i < kPerClass; ++i) {
      std::string name, b;
      switch (i) {
        case 0:
          name = "plain text";
          b = "Discover me, please";
          break;
        case 1:
          name = "JSON";
          b = R"({"Envelope":{"Body":{}}})";
          break;
        case 2:
          name = "an empty body";
          break;
        case 3:
          name = "the SOAP 1.2 namespace with a trailing slash";
          b = replace_once(v, soap::kSoapNs, std::string(soap::kSoapNs) + "/");
          break;
        case 4:
          name = "an envelope in no namespace";
          b = replace_once(v, std::string("xmlns:s=\"") + soap::kSoapNs + "\"",
                           "xmlns:s=\"\" xmlns:z=\"urn:z\"");
          break;
        case 5:
          name = "an envelope in another namespace";
          b = replace_once(v, soap::kSoapNs, "urn:example:envelope");
          break;
        case 6:
          name = "no Body";
          b = replace_once(v, body, "");
          break;
        case 7:
          name = "two Body elements";
          b = replace_once(v, body, body + body);
          break;
        case 8:
          name = "the Header after the Body";
          b = replace_once(replace_once(v, header, ""), body, body + header);
          break;
        case 9:
          name = "an empty Body";
          b = replace_once(v, payload, "");
          break;
        case 10:
          name = "two elements in the Body";
          b = replace_once(v, payload, payload + payload);
          break;
        case 11:
          name = "an unknown header, mustUnderstand=\"1\"";
          b = replace_once(v, "</s:Header>", unknown("s", "1") + "</s:Header>");
          break;
        case 12:
          // SOAP 1.2 part 1 5.2.3: mustUnderstand is xs:boolean, "true" is what senders SHOULD use.
          name = "an unknown header, mustUnderstand=\"true\"";
          b = replace_once(v, "</s:Header>", unknown("s", "true") + "</s:Header>");
          break;
        case 13:
          name = "an element after the Body";
          b = replace_once(v, "</s:Envelope>", "<s:Trailer/></s:Envelope>");
          break;
        case 14:
          // SOAP 1.2 part 1 5: a SOAP message MUST NOT contain a Document Type Declaration.
          name = "a DTD declaring an entity";
          b = "<!DOCTYPE s:Envelope [<!ENTITY x \"xx\">]>" + v;
          break;
        case 15:
          name = "a SOAP 1.1 Envelope holding SOAP 1.2 Header and Body";
          b = replace_once(v, std::string("<s:Envelope xmlns:s=\"") + soap::kSoapNs + "\"",
                           std::string("<e:Envelope xmlns:e=\"") + soap::kSoap11Ns +
                               "\" xmlns:s=\"" + soap::kSoapNs + "\"");
          b = replace_once(b, "</s:Envelope>", "</e:Envelope>");
          break;
        case 16:
          name = "a SOAP 1.1 envelope with an unknown header, mustUnderstand=\"1\"";
          b = replace_once(v, soap::kSoapNs, soap::kSoap11Ns);
          b = replace_once(b, "</s:Header>", unknown("s", "1") + "</s:Header>");
          break;
        case 17:
          name = "the Body as the root";
          b = body;
          break;
        case 18:
          name = "an unknown header, mustUnderstand=\"1\" under another prefix";
          b = replace_once(v, "</s:Header>",
                           std::string("<x:Trace xmlns:x=\"urn:example:trace\" xmlns:env=\"") +
                               soap::kSoapNs +
                               "\" env:mustUnderstand=\"1\">1</x:Trace></s:Header>");
          break;
        default:
          name = "a DTD with an external entity";
          b = "<!DOCTYPE s:Envelope [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>" +
              replace_once(v, "</a:To>", "&x;</a:To>");
          break;
      }
      add(mutation::soap, i, name, b,
          message_format(i == 12 ? "SOAP 1.2 5.2.3: a header not understood, mustUnderstand true"
                         : i == 14 || i == 19 ? "SOAP 1.2 part 1 5: no DTD in a SOAP message"
                                              : "not a SOAP 1.2 envelope this service reads"));
    }
  }

  void actions() {
    const auto& a = ep.message.action;
    for (int i = 0; i < kPerClass; ++i) {
      std::string name, b;
      auto with = [&](const std::string& action) {
        return msg([&](SoapMessage& s) { s.action = action; });
      };
      const std::string others[] = {win::xcep::kGetPoliciesAction, win::wstep::kRstAction,
                                    win::discovery::kDiscoverAction,
                                    win::discovery::kDiscoverResponseAction, soap::kFaultAction};
      switch (i % 10) {
        case 0:
          name = "no Action";
          b = msg([](SoapMessage& s) { s.action.clear(); });
          break;
        case 1: {
          std::string other;
          for (const auto& o : others)
            if (o != a && (other.empty() || rng.below(2))) other = o;
          name = "the Action " + other;
          b = with(other);
          break;
        }
        case 2:
          name = "the Action with a trailing slash";
          b = with(a + "/");
          break;
        case 3: {
          auto upper = a;
          for (auto& ch : upper)
            ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
          name = "the Action upper-cased";
          b = with(upper);
          break;
        }
        case 4:
          name = "the Action in the 2004/08 WS-Addressing namespace";
          b = replace_once(
              valid(), "<a:Action s:mustUnderstand=\"1\">",
              "<w:Action xmlns:w=\"http://schemas.xmlsoap.org/ws/2004/08/addressing\">");
          b = replace_once(b, "</a:Action>", "</w:Action>");
          break;
        case 5:
          name = "an Action of 600 characters";
          b = with(a + "/" + std::string(600 - a.size() - 1, 'x'));
          break;
        case 6:
          // WS-Addressing 1.0 SOAP binding 6.4.1: a message addressing property twice is an
          // invalid addressing header; which one counts is nobody's guess.
          name = "two Actions, another first and this one second";
          b = with(a + "x");
          b = replace_once(b, "</a:Action>",
                           "</a:Action><a:Action s:mustUnderstand=\"1\">" + a + "</a:Action>");
          break;
        case 7:
          name = "two Actions, this one first and another second";
          b = replace_once(valid(), "</a:Action>",
                           "</a:Action><a:Action s:mustUnderstand=\"1\">" + a + "x</a:Action>");
          break;
        case 8:
          name = "the Action in the Body";
          b = msg([&](SoapMessage& s) {
            s.body = "<a:Action>" + a + "</a:Action>";
            s.action.clear();
          });
          break;
        default:
          name = "an empty Action";
          b = replace_once(valid(), ">" + a + "<", "><");
          break;
      }
      add(mutation::action, i, name, b,
          message_format(i % 10 == 6 ? "WS-Addressing: Action once" : "not this service's Action"));
    }
  }

  void media_types() {
    static const std::vector<std::string> kTypes = {
        "text/xml; charset=utf-8",
        "application/xml",
        "application/json",
        "",
        "application/soap+xmlx",
        "application/soap",
        "text/plain",
        "multipart/related; type=\"application/xop+xml\"",
        "application/x-www-form-urlencoded",
        "application/soap+json"};
    for (int i = 0; i < kPerClass; ++i) {
      const auto& t = kTypes[static_cast<std::size_t>(i) % kTypes.size()];
      add(mutation::content_type, i, "valid request as '" + t + "'", valid(),
          message_format("the body must be application/soap+xml"), t);
    }
  }

  void utf8() {
    const auto v = valid();
    for (int i = 0; i < kPerClass; ++i) {
      std::string name, b;
      switch (i % 5) {
        case 0:
          name = "invalid UTF-8 in the Action";
          b = replace_once(v, "</a:Action>", invalid_utf8(rng) + "</a:Action>");
          break;
        case 1:
          name = "invalid UTF-8 in the MessageID";
          b = replace_once(v, "</a:MessageID>", invalid_utf8(rng) + "</a:MessageID>");
          break;
        case 2:
          name = "invalid UTF-8 inside the Body";
          b = replace_once(v, "</s:Body>", invalid_utf8(rng) + "</s:Body>");
          break;
        case 3:
          name = "Latin-1 declared and used";
          b = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>" +
              replace_once(v, "</a:MessageID>", "\xE9\xE8</a:MessageID>");
          break;
        default:
          name = "invalid UTF-8 anywhere";
          b = with_invalid_utf8(rng, v);
          break;
      }
      add(mutation::invalid_utf8, i, name, b, message_format("XML in UTF-8 (the charset sent)"));
    }
  }

  void duplicates() {
    const auto v = valid();
    const auto secret = ep.secret.empty() ? std::string("x") : ep.secret;
    const auto token = username_token("ada@contoso.example", secret);
    const auto wrong = username_token("ada@contoso.example", secret + "0");
    const auto inner = [](const std::string& t) {
      const auto from = t.find("<wsse:UsernameToken>");
      return t.substr(from, t.find("</wsse:Security>") - from);
    };
    const std::string bst = std::string("<wsse:BinarySecurityToken xmlns:wsse=\"") +
                            soap::kSecurityNs +
                            "\" ValueType=\"x\">AAAA</wsse:BinarySecurityToken>";
    for (int i = 0; i < kPerClass; ++i) {
      std::string name, b;
      switch (i % 5) {
        case 0:
          name = "two Security headers with a UsernameToken each, the right one first";
          b = msg([&](SoapMessage& s) { s.security = token + wrong; });
          break;
        case 1:
          name = "two Security headers with a UsernameToken each, a wrong one first";
          b = msg([&](SoapMessage& s) { s.security = wrong + token; });
          break;
        case 2:
          name = "two UsernameTokens in one Security header";
          b = msg([&](SoapMessage& s) {
            s.security = replace_once(token, "</wsse:Security>", inner(wrong) + "</wsse:Security>");
          });
          break;
        case 3:
          name = "two BinarySecurityTokens";
          b = msg([&](SoapMessage& s) {
            s.extra_headers = std::string("<wsse:Security xmlns:wsse=\"") + soap::kSecurityNs +
                              "\">" + bst + bst + "</wsse:Security>";
          });
          break;
        default:
          name = "two Headers";
          b = replace_once(v, "</s:Header>", "</s:Header><s:Header/>");
          break;
      }
      add(mutation::duplicate_keys, i, name, b,
          message_format("WS-Security: one token of a kind; SOAP: one Header"));
    }
  }

  void cuts() {
    const auto v = valid();
    for (int i = 0; i < kPerClass / 2; ++i) {
      const auto cut = rng.between(1, v.size() - 1);
      add(mutation::truncation, i, "XML cut at " + std::to_string(cut), v.substr(0, cut),
          message_format("not well-formed XML"));
    }
    HttpBase base{ep.endpoint, "POST", ep.target, {{"Content-Type", kSoapType}}, v};
    const auto from = out.size();
    add_http_truncation(rng, base, kPerClass / 2, out);
    for (auto i = from; i < out.size(); i += 2) {
      out[i].channel = Channel::raw_tls;
      out[i].cert = ClientCert::none;
    }
    add_http_huge(rng, base, ep.body_limit, kPerClass, out);
    add_http_numbers(rng, base, kPerClass, out);
  }
};
}  // namespace

void add_soap_envelope_cases(Rng& rng, const SoapEndpoint& ep, std::vector<Case>& out) {
  Gen g{rng, ep, out};
  g.envelopes();
  g.actions();
  g.media_types();
  g.utf8();
  g.duplicates();
  g.cuts();
}

}  // namespace mdmlab::testing::hostile
