// APNs simulator cases. The provider endpoint (HTTP/2, TLS, client certificate): the valid base
// push (registered token, the certificate's topic, apns-push-type mdm, {"mdm": magic}) mutated
// by token, topic, headers, header values, method, path, payload and identity. Missing
// apns-topic / apns-push-type are not hostile (APNs takes the certificate's topic and, for an
// MDM topic, the mdm type), so "missing" means pseudo-headers, which HTTP/2 itself refuses.
// The control API and the device side (HTTP/1.1 JSON): truncated and invalid JSON, wrong
// types, negative/overflowing numbers, invalid UTF-8, huge bodies, bad tokens in paths.
#include <nlohmann/json.hpp>

#include "protocol/apple/apns.hpp"
#include "tests/hostile/generator.hpp"

namespace mdmlab::testing::hostile {
namespace {
using nlohmann::json;

const std::string kPush = "POST /3/device/<token> (APNs, HTTP/2)";
const std::string kControl = "APNs control API";
const std::string kDevice = "APNs device side";

using H2Headers = std::vector<std::pair<std::string, std::string>>;

std::string hex(Rng& rng, std::size_t n) {
  static const char* digits = "0123456789abcdef";
  std::string s;
  for (std::size_t i = 0; i < n; ++i) s += digits[rng.below(16)];
  return s;
}

std::string uuid(Rng& rng) {
  auto h = hex(rng, 32);
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) +
         "-" + h.substr(20);
}

H2Headers base_headers(const ApnsMaterials& m, const std::string& token) {
  return {{":method", "POST"},
          {":scheme", "https"},
          {":authority", "api.push.apple.com"},
          {":path", "/3/device/" + token},
          {"apns-push-type", "mdm"},
          {"apns-priority", "10"},
          {"apns-topic", m.topic},
          {"content-type", "application/json"}};
}

void set(H2Headers& h, const std::string& name, const std::string& value) {
  for (auto& [k, v] : h)
    if (k == name) {
      v = value;
      return;
    }
  h.emplace_back(name, value);
}

void drop(H2Headers& h, const std::string& name) {
  std::erase_if(h, [&](const auto& kv) { return kv.first == name; });
}

// Bytes HTTP/2 (nghttp2) refuses in a field value: controls, leading/trailing whitespace.
bool h2_invalid_value(const std::string& v) {
  if (!v.empty() && (v.front() == ' ' || v.front() == '\t' || v.back() == ' ' || v.back() == '\t'))
    return true;
  for (unsigned char c : v)
    if (c < 0x20 || c == 0x7f) return true;
  return false;
}

// Apple's answer for a push ("Handling notification responses from APNs": status and reason).
Expected apple(int status, const std::string& reason) {
  return Expected::apns(status, reason, "Apple's APNs error table");
}
// RFC 9113 §8.1.1 / §8.2.1 / §8.3: a malformed HTTP/2 request is a stream error PROTOCOL_ERROR.
Expected malformed_h2(const std::string& what) {
  return Expected::reset("RFC 9113 §8.1.1: " + what + " makes the request malformed");
}
// A topic that is no bundle identifier at all: BadTopic, or TopicDisallowed as for any topic
// the certificate does not cover.
Expected bad_topic() {
  return apple(400, "BadTopic").or_apns(400, "TopicDisallowed");
}
// A token path that is not /3/device/<hex>: the path is bad, or its last segment no token.
Expected bad_path_or_token() {
  return apple(404, "BadPath").or_apns(400, "BadDeviceToken");
}
// Apple documents no reason for a payload that is not a JSON dictionary; the simulator answers
// as for an empty one (protocol/apple/apns.cpp).
Expected not_a_dictionary() {
  return Expected::apns(400, "PayloadEmpty",
                        "a payload that is no JSON dictionary: 400 PayloadEmpty, as for none");
}

// The control API and device side (HTTP/1.1 JSON): a body or query it cannot take, a token or
// path that names nothing.
Expected control_400(const std::string& what) {
  return expect::bad_request(what);
}
Expected control_404(const std::string& what) {
  return expect::not_found(what);
}

struct PushGen {
  Rng& rng;
  const ApnsMaterials& m;
  std::vector<Case>& out;

  Case& add(const char* cls, std::string name, H2Headers headers, std::string body, Expected want,
            ApnsIdentity identity = ApnsIdentity::push) {
    Case c;
    c.endpoint = kPush;
    c.mutation = cls;
    c.name = std::move(name);
    c.channel = Channel::apns_h2;
    c.expect = std::move(want);
    for (const auto& [k, v] : headers)
      if (h2_invalid_value(v)) c.expect = malformed_h2("a field value with control characters");
    c.h2_headers = std::move(headers);
    c.h2_body = std::move(body);
    c.identity = identity;
    out.push_back(std::move(c));
    return out.back();
  }
  std::string payload() const { return apple::mdm_push_payload(m.magic); }
  H2Headers base() const { return base_headers(m, m.token); }

  void wrong_token() {
    for (int i = 0; i < kPerClass + 4; ++i) {
      std::string token, name;
      Expected want = apple(400, "BadDeviceToken");
      switch (i % 6) {
        case 0:
          token = hex(rng, 64);
          name = "unknown token";
          break;
        case 1:
          token = m.other_token;
          name = "token of another topic";
          want = apple(400, "DeviceTokenNotForTopic");
          break;
        case 2:
          token = m.unregistered_token;
          name = "unregistered token";
          want = apple(410, "Unregistered");
          break;
        case 3: {
          token = m.token;
          auto pos = rng.below(token.size());
          token[pos] = token[pos] == '0' ? '1' : '0';
          name = "registered token with one digit changed";
          break;
        }
        case 4:
          token = hex(rng, 2 * rng.between(33, 100));
          name = "unknown token of " + std::to_string(token.size()) + " digits";
          break;
        default:
          token = m.token.substr(2) + hex(rng, 2);
          name = "registered token shifted";
          break;
      }
      add(mutation::wrong_token, name, base_headers(m, token), payload(), std::move(want));
    }
  }

  void malformed_token() {
    static const std::string kNotHex = "gxzGXZ-_.+~!*'(),:@;=";
    for (int i = 0; i < kPerClass + 4; ++i) {
      std::string token, name;
      Expected want = apple(400, "BadDeviceToken");
      switch (i % 8) {
        case 0:
          token = hex(rng, 2 * rng.between(32, 60) + 1);
          name = "odd length " + std::to_string(token.size());
          break;
        case 1:
          token = m.token;
          token[rng.below(token.size())] = kNotHex[rng.below(kNotHex.size())];
          name = "non-hex digit";
          break;
        case 2:
          token = hex(rng, 2 * rng.between(1, 31));
          name = "too short: " + std::to_string(token.size());
          break;
        case 3:
          token = hex(rng, 2 * rng.between(101, 400));
          name = "too long: " + std::to_string(token.size());
          break;
        case 4:
          token = percent_all(m.token.substr(0, 8)) + m.token.substr(8);
          name = "percent-encoded digits";
          break;
        case 5:
          token = with_invalid_utf8(rng, m.token);
          name = "invalid UTF-8 inside";
          break;
        case 6:
          token = m.token + rng.pick(std::vector<std::string>{"/", "?x=1", "#f", "/x", ";v=1"});
          name = "suffix after the token";
          want = bad_path_or_token();
          break;
        default:
          token = m.token.substr(0, 32) + " " + m.token.substr(32);
          name = "space inside";
          want = malformed_h2("a space in :path");
          break;
      }
      add(mutation::malformed_token, name, base_headers(m, token), payload(), std::move(want));
    }
  }

  void wrong_topic() {
    for (int i = 0; i < kPerClass + 4; ++i) {
      std::string topic, name;
      Expected want = apple(400, "TopicDisallowed");  // a topic the certificate does not cover
      switch (i % 8) {
        case 0:
          topic = m.other_topic;
          name = "topic of another certificate";
          break;
        case 1:
          topic = "com.apple.mgmt.External." + uuid(rng);
          name = "random MDM topic";
          break;
        case 2:
          topic = m.topic + rng.pick(std::vector<std::string>{"x", ".voip", ".complication", "0"});
          name = "topic with a suffix";
          break;
        case 3:
          topic = m.topic.substr(0, rng.between(1, m.topic.size() - 1));
          name = "topic cut short";
          break;
        case 4: {
          topic = m.topic;
          for (auto& ch : topic)
            ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
          name = "topic in upper case";
          break;
        }
        case 5:
          topic = with_invalid_utf8(rng, m.topic);
          name = "invalid UTF-8 in the topic";
          want = bad_topic();
          break;
        case 6:
          topic = rng.pick(std::vector<std::string>{"com.example.app", "com.apple.mgmt", "*",
                                                    "com.apple.mgmt.External.*"});
          name = "topic '" + topic + "'";
          if (topic.find('*') != std::string::npos) want = bad_topic();
          break;
        default:
          topic = std::string(rng.between(300, 4000), 't');
          name = "topic of " + std::to_string(topic.size()) + " bytes";
          want = bad_topic();
          break;
      }
      auto h = base();
      set(h, "apns-topic", topic);
      add(mutation::wrong_topic, name, h, payload(), std::move(want));
    }
  }

  void headers() {
    static const std::vector<std::pair<std::string, std::string>> kApns = {
        {"apns-topic", ""},       {"apns-push-type", "mdm"}, {"apns-priority", "5"},
        {"apns-expiration", "0"}, {"apns-id", ""},           {"apns-collapse-id", "c"}};
    for (int i = 0; i < kPerClass + 10; ++i) {
      auto h = base();
      std::string name;
      Expected want = apple(400, "DuplicateHeaders");
      if (i % 3 != 2) {  // an apns-* header twice: 400 DuplicateHeaders
        auto [k, v] = rng.pick(kApns);
        if (k == "apns-topic") v = i % 2 ? m.topic : m.other_topic;
        if (k == "apns-id") v = uuid(rng);
        bool present =
            std::any_of(h.begin(), h.end(), [&](const auto& kv) { return kv.first == k; });
        if (!present) h.emplace_back(k, i % 2 ? v : (k == "apns-id" ? uuid(rng) : v));
        h.insert(h.begin() + static_cast<std::ptrdiff_t>(rng.between(4, h.size())), {k, v});
        name = k + " twice";
      } else {
        want = malformed_h2(
            "a missing, repeated or unknown pseudo-header, or one after a "
            "regular field (RFC 9113 §8.3)");
        switch (rng.below(5)) {
          case 0: {
            auto p = rng.pick(std::vector<std::string>{":method", ":path", ":scheme"});
            drop(h, p);
            name = "no " + p;
            break;
          }
          case 1: {
            auto p =
                rng.pick(std::vector<std::string>{":method", ":path", ":scheme", ":authority"});
            std::string v;
            for (const auto& [k, val] : h)
              if (k == p) v = val;
            h.insert(h.begin() + 4, {p, v});
            name = p + " twice";
            break;
          }
          case 2:
            h.emplace_back(":protocol", "websocket");
            name = "unknown pseudo-header :protocol";
            break;
          case 3:
            // nghttp2_submit_request lower-cases every name it sends, so the wire carries a
            // second apns-topic, not an upper-case name (RFC 9113 §8.2.1 cannot be reached).
            h.emplace_back("APNS-TOPIC", m.topic);
            name = "upper-case header name (sent lower-cased: apns-topic twice)";
            want = apple(400, "DuplicateHeaders");
            break;
          default:
            h.insert(h.begin(), {"apns-priority", "10"});
            name = "regular header before pseudo-headers";
            break;
        }
      }
      add(mutation::headers, name, h, payload(), std::move(want));
    }
  }

  void header_values() {
    for (int i = 0; i < kPerClass * 2; ++i) {
      auto h = base();
      std::string name, header, value, reason;
      switch (i % 5) {
        case 0:
          header = "apns-priority";
          reason = "BadPriority";
          value = rng.pick(std::vector<std::string>{"0", "2", "4", "6", "11", "-10",
                                                    "99999999999999999999", "ten", "", "1.0", "+10",
                                                    "010", "0x0a", "10,5", "5 10"});
          break;
        case 1:
          header = "apns-expiration";
          reason = "BadExpirationDate";
          value = rng.pick(std::vector<std::string>{"-1", "abc", "1e9", "", "18446744073709551616",
                                                    "9999999999999999999999", "17.5", "+1", "0x10",
                                                    "1 2", "-0"});
          break;
        case 2:
          header = "apns-id";
          reason = "BadMessageId";
          value = uuid(rng);
          switch (rng.below(6)) {
            case 0:
              value.pop_back();
              break;
            case 1:
              value += "0";
              break;
            case 2:
              value[rng.below(value.size())] = 'g';
              break;
            case 3:
              value = "{" + value + "}";
              break;
            case 4:
              value.erase(std::remove(value.begin(), value.end(), '-'), value.end());
              break;
            default:
              value[8] = '_';
              break;
          }
          break;
        case 3:
          header = "apns-collapse-id";
          reason = "BadCollapseId";
          value = std::string(rng.between(65, 2000), static_cast<char>('a' + rng.below(26)));
          break;
        default:
          header = "apns-push-type";
          reason = "InvalidPushType";  // unknown, or not mdm for an MDM topic
          value = rng.pick(std::vector<std::string>{"alert", "background", "voip", "MDM", "mdm2",
                                                    "liveactivity", "x"});
          break;
      }
      set(h, header, value);
      name = header + " '" + value.substr(0, 40) + (value.size() > 40 ? "...'" : "'");
      add(mutation::header_values, name, h, payload(), apple(400, reason));
    }
  }

  void method() {
    static const std::vector<std::string> kMethods = {"GET",   "PUT",  "DELETE", "PATCH", "OPTIONS",
                                                      "TRACE", "post", "POSTX",  "PRI",   "FOO"};
    for (int i = 0; i < kPerClass + 4; ++i) {
      auto h = base();
      auto method = kMethods[static_cast<std::size_t>(i) % kMethods.size()];
      set(h, ":method", method);
      add(mutation::method,
          method + (i >= static_cast<int>(kMethods.size()) ? " without a body" : ""), h,
          i >= static_cast<int>(kMethods.size()) ? std::string() : payload(),
          apple(405, "MethodNotAllowed"));
    }
  }

  void path() {
    for (int i = 0; i < kPerClass + 6; ++i) {
      auto h = base();
      std::string path;
      Expected want = apple(404, "BadPath");
      switch (i % 13) {
        case 0:
          path = "/3/device";
          want.or_apns(400, "MissingDeviceToken");
          break;
        case 1:
          path = "/2/device/" + m.token;
          break;
        case 2:
          path = "/3/devices/" + m.token;
          break;
        case 3:
          path = "/";
          break;
        case 4:
          path = "/3/device/" + m.token + "/" + hex(rng, 4);
          want = bad_path_or_token();
          break;
        case 5:
          path = "/3/device/";
          want = apple(400, "MissingDeviceToken");
          break;
        case 6:
          path = "//3/device/" + m.token;
          break;
        case 7:
          path = "/3/DEVICE/" + m.token;
          break;
        case 8:
          path = "/3/device/../device/" + m.token;
          want = bad_path_or_token();
          break;
        case 9:
          path = "/%33/device/" + m.token;
          break;
        case 10:
          path = "3/device/" + m.token;
          want = malformed_h2(":path without a leading '/'");
          break;
        case 11:
          path = "";
          want = malformed_h2("an empty :path");
          break;
        default:
          path = "/3/device/" + m.token + "?" + std::string(rng.between(1, 3000), 'q');
          want = bad_path_or_token();
          break;
      }
      set(h, ":path", path);
      add(mutation::path, "path '" + path.substr(0, 60) + "'", h, payload(), std::move(want));
    }
  }

  void empty() {
    for (int i = 0; i < kPerClass; ++i) {
      auto h = base();
      std::string name = "no payload";
      switch (i % 5) {
        case 1:
          set(h, "content-length", "0");
          name += ", content-length 0";
          break;
        case 2:
          set(h, "apns-id", uuid(rng));
          name += ", with apns-id";
          break;
        case 3:
          set(h, "apns-priority", "5");
          set(h, "apns-expiration", std::to_string(rng.between(1, 2000000000)));
          name += ", priority 5 and expiration";
          break;
        case 4:
          drop(h, "content-type");
          name += ", no content-type";
          break;
        default:
          break;
      }
      add(mutation::empty, name, h, "", apple(400, "PayloadEmpty"));
    }
  }

  void huge() {
    for (int i = 0; i < kPerClass; ++i) {
      std::string body, name;
      switch (i % 4) {
        case 0: {
          auto n = apple::kApnsMaxPayload + 1 + rng.below(64);
          body = apple::mdm_push_payload(std::string(n, 'm'));
          name = "valid JSON of " + std::to_string(body.size()) + " bytes";
          break;
        }
        case 1:
          body = rng.bytes(apple::kApnsMaxPayload + 1 + rng.below(60000));
          name = std::to_string(body.size()) + " random bytes";
          break;
        case 2:
          body = std::string(256 * 1024 + rng.below(1024), ' ');
          name = std::to_string(body.size()) + " spaces";
          break;
        default:
          body = "{\"mdm\":\"" + m.magic + "\",\"x\":\"" + std::string(1024 * 1024, 'x') + "\"}";
          name = "1 MiB JSON";
          break;
      }
      add(mutation::huge, name, base(), body, apple(413, "PayloadTooLarge"));
    }
  }

  void invalid_json() {
    const auto good = payload();
    for (int i = 0; i < kPerClass + 4; ++i) {
      std::string body, name;
      switch (i % 8) {
        case 0: {
          auto cut = rng.between(1, good.size() - 1);
          body = good.substr(0, cut);
          name = "payload cut at " + std::to_string(cut);
          break;
        }
        case 1:
          body = good + rng.pick(std::vector<std::string>{"x", "}", ",", "{}", "\"\""});
          name = "trailing garbage";
          break;
        case 2:
          body = rng.pick(
              std::vector<std::string>{"[]", "null", "\"mdm\"", "42", "true", "[{\"mdm\":\"x\"}]"});
          name = "not an object: " + body;
          break;
        case 3:
          body = "{mdm: \"" + m.magic + "\"}";
          name = "unquoted key";
          break;
        case 4:
          body = "{\"mdm\":\"" + m.magic + "\",}";
          name = "trailing comma";
          break;
        case 5:
          body = "{'mdm':'" + m.magic + "'}";
          name = "single quotes";
          break;
        case 6:
          body = rng.bytes(rng.between(1, 200));
          name = "random bytes";
          break;
        default:
          body = std::string(rng.between(1, 300), '{');
          name = "unbalanced braces";
          break;
      }
      add(mutation::invalid_json, name, base(), body, not_a_dictionary());
    }
  }

  void invalid_utf8_payload() {
    for (int i = 0; i < kPerClass; ++i) {
      std::string body, name;
      if (i % 4 == 3) {
        body = "{\"" + with_invalid_utf8(rng, "mdm") + "\":\"" + m.magic + "\"}";
        name = "invalid UTF-8 in the key";
      } else if (i % 4 == 2) {
        body = "{\"mdm\":\"" + m.magic + "\",\"aps\":{\"alert\":\"" +
               with_invalid_utf8(rng, "hello") + "\"}}";
        name = "invalid UTF-8 in a nested string";
      } else {
        body = apple::mdm_push_payload("X");
        body.replace(body.find("X"), 1, with_invalid_utf8(rng, m.magic));
        name = "invalid UTF-8 in the PushMagic";
      }
      add(mutation::invalid_utf8, name, base(), body, not_a_dictionary());
    }
  }

  void identity() {
    static const std::vector<std::pair<ApnsIdentity, std::string>> kIds = {
        {ApnsIdentity::foreign_ca, "certificate from another CA"},
        {ApnsIdentity::self_signed, "self-signed certificate with the topic"},
        {ApnsIdentity::expired, "expired push certificate"},
        {ApnsIdentity::none, "no client certificate"},
        {ApnsIdentity::other_topic, "push certificate for another topic"},
        {ApnsIdentity::no_uid, "certificate without a topic (no UID)"}};
    for (int i = 0; i < kPerClass + 4; ++i) {
      const auto& [id, name] = kIds[static_cast<std::size_t>(i) % kIds.size()];
      auto h = base();
      if (i >= static_cast<int>(kIds.size()) && i % 2)
        drop(h, "apns-topic");  // the certificate's topic applies
      // An untrusted or missing certificate: the TLS handshake is refused (or, past it, 403
      // BadCertificate); a trusted one for another topic: 400 TopicDisallowed; one for no topic
      // at all: 403 BadCertificate.
      Expected want = apple(403, "BadCertificate");
      if (id == ApnsIdentity::foreign_ca || id == ApnsIdentity::self_signed ||
          id == ApnsIdentity::expired || id == ApnsIdentity::none)
        want = Expected::refused("an untrusted or missing client certificate")
                   .or_apns(403, "BadCertificate");
      if (id == ApnsIdentity::other_topic)  // without apns-topic, the certificate's topic applies
        want = apple(400, h.size() == base().size() ? "TopicDisallowed" : "DeviceTokenNotForTopic");
      add(mutation::identity, name + (i % 2 && i >= 6 ? ", no apns-topic" : ""), h, payload(),
          std::move(want), id);
    }
  }
};

// ---- HTTP/1.1 side ----

Case apns_raw(const std::string& endpoint, const char* cls, std::string name, std::string raw,
              Expected want) {
  auto c = raw_case(endpoint, cls, std::move(name), std::move(raw), std::move(want));
  c.channel = Channel::apns_http;
  return c;
}

void retarget(std::vector<Case>& out, std::size_t from) {
  for (auto i = from; i < out.size(); ++i) out[i].channel = Channel::apns_http;
}

std::string bad_token(Rng& rng, int i, const std::string& good) {
  switch (i % 8) {
    case 0:
      return hex(rng, 2 * rng.between(32, 60) + 1);
    case 1: {
      auto t = good;
      t[rng.below(t.size())] = rng.pick(std::vector<char>{'g', 'z', 'G', '-', '.', '~', '+'});
      return t;
    }
    case 2:
      return hex(rng, 2 * rng.between(1, 31));
    case 3:
      return hex(rng, 2 * rng.between(101, 300));
    case 4: {  // percent-encoded bytes that are not hex digits once decoded (%61 would be 'a': the
               // same token)
      auto t = good;
      t.insert(rng.below(t.size()),
               rng.pick(std::vector<std::string>{"%00", "%2F", "%20", "%2e", "%7A%7A", "%0D%0A"}));
      return t;
    }
    case 5:
      return percent_all(with_invalid_utf8(rng, good.substr(0, 10))) + good.substr(10);
    case 6:
      return with_invalid_utf8(rng, good);
    default:
      return "";
  }
}

void add_control_cases(Rng& rng, const ApnsMaterials& m, std::vector<Case>& out) {
  const json fault = {{"token", m.other_token},
                      {"status", 503},
                      {"reason", "ServiceUnavailable"},
                      {"count", 1},
                      {"delay_ms", 10}};
  const json settings = {{"max_concurrent_streams", 7}};
  const net::Headers ct{{"Content-Type", "application/json"}};
  auto post = [&](const char* cls, const std::string& what, const std::string& target,
                  const std::string& body, const net::Headers& h) {
    // Every body here breaks the endpoint's documented shape (apns_control_routes.cpp): 400.
    out.push_back(apns_raw(kControl, cls, target.substr(12) + ": " + what,
                           raw_request("POST", target, h, body),
                           control_400("a body the control API does not take")));
  };
  for (const auto& [target, valid] : {std::pair{std::string("/control/v1/faults"), fault},
                                      {std::string("/control/v1/settings"), settings}}) {
    const auto body = valid.dump();
    for (int i = 0; i < kPerClass / 2 + 2; ++i) {
      auto cut = rng.between(0, body.size() - 1);
      post(mutation::truncation, "JSON cut at " + std::to_string(cut), target, body.substr(0, cut),
           ct);
    }
    auto from = out.size();
    add_http_truncation(rng, {kControl, "POST", target, ct, body}, kPerClass / 2, out);
    add_http_huge(rng, {kControl, "POST", target, ct, body}, m.control_body_limit, kPerClass / 2,
                  out);
    add_http_numbers(rng, {kControl, "POST", target, ct, body}, kPerClass / 2, out);
    retarget(out, from);
    for (int i = 0; i < kPerClass / 2 + 2; ++i) {
      std::string b;
      switch (i % 4) {
        case 0:
          b = body.substr(0, body.size() - 1) + ",\"x\":\"" + with_invalid_utf8(rng, "value") +
              "\"}";
          break;
        case 1:
          b = "{\"" + with_invalid_utf8(rng, "key") + "\":1," + body.substr(1);
          break;
        case 2:
          b = with_invalid_utf8(rng, body);
          break;
        default:
          b = "{\"x\":\"\\ud800\"," + body.substr(1);
          break;  // a lone surrogate escape
      }
      post(mutation::invalid_utf8, "invalid UTF-8 in the JSON", target, b, ct);
    }
  }
  // Faults: wrong types and numbers, malformed tokens.
  static const std::vector<json> kNotInt = {
      "500", 500.5, true, nullptr, json::array({500}), json::object(), "5e2", -0.0};
  static const std::vector<json> kNotString = {
      503, true, nullptr, json::array({"x"}), json::object({{"r", "x"}}), 1.5};
  for (int i = 0; i < kPerClass + 4; ++i) {
    auto j = fault;
    std::string name;
    switch (i % 7) {
      case 0:
        j["status"] = rng.pick(kNotInt);
        name = "status " + j["status"].dump();
        break;
      case 1:
        j["reason"] = rng.pick(kNotString);
        name = "reason " + j["reason"].dump();
        break;
      case 2:
        j["token"] = rng.pick(kNotString);
        name = "token " + j["token"].dump();
        break;
      case 3:
        j["count"] = rng.pick(kNotInt);
        name = "count " + j["count"].dump();
        break;
      case 4:
        j["delay_ms"] = rng.pick(kNotInt);
        name = "delay_ms " + j["delay_ms"].dump();
        break;
      case 5:
        j = rng.pick(std::vector<json>{json::array({fault}), "fault", 503, nullptr});
        name = "body " + j.dump().substr(0, 30);
        break;
      default:
        j = {{"status", {{"code", 503}}}};
        name = "status nested";
        break;
    }
    post(mutation::wrong_types, name, "/control/v1/faults", j.dump(), ct);
  }
  for (int i = 0; i < kPerClass + 4; ++i) {
    auto j = fault;
    std::string field, value;
    switch (i % 6) {
      case 0:
        field = "status";
        value = rng.pick(std::vector<std::string>{"-1", "0", "199", "600", "1000", "-503"});
        break;
      case 1:
        field = "status";
        value = std::to_string((std::uint64_t{1} << 32) + 200 + rng.below(300));
        break;  // int wrap
      case 2:
        field = "status";
        value = rng.pick(std::vector<std::string>{"18446744073709551615", "99999999999999999999999",
                                                  "-9223372036854775808"});
        break;
      case 3:
        field = "count";
        value = rng.pick(std::vector<std::string>{"-2", "-100", "0", "4294967296", "-4294967297",
                                                  "99999999999999999999"});
        break;
      case 4:
        field = "delay_ms";
        value = rng.pick(std::vector<std::string>{"-1", "-60000", "60001", "4294967296",
                                                  "9223372036854775807", "1e30"});
        break;
      default:
        field = "status";
        value = "1e3";
        break;
    }
    auto b = j.dump();
    auto key = "\"" + field + "\":";
    auto pos = b.find(key) + key.size();
    auto end = b.find_first_of(",}", pos);
    b = b.substr(0, pos) + value + b.substr(end);
    post(mutation::numbers, field + " " + value, "/control/v1/faults", b, ct);
  }
  for (int i = 0; i < kPerClass + 8; ++i) {
    if (i % 8 == 6) continue;  // raw invalid UTF-8 in a JSON string: the invalid UTF-8 class
    auto j = fault;
    j["token"] = i % 8 == 7 ? std::string("not a token")
                            : bad_token(rng, i, m.other_token);  // "": every token, valid
    auto b = j.dump();
    post(mutation::malformed_token,
         "fault for token '" + j["token"].get<std::string>().substr(0, 40) + "'",
         "/control/v1/faults", b, ct);
  }
  // Settings: wrong types and numbers.
  static const std::vector<json> kNotUnsigned = {
      "7", 7.5, true, nullptr, json::array({7}), json::object(), -7};
  for (int i = 0; i < kPerClass; ++i) {
    json j = settings;
    std::string name;
    if (i % 5 == 4) {
      j = rng.pick(std::vector<json>{json::array({settings}), 7, "max_concurrent_streams",
                                     json::object({{"max_concurrent_stream", 7}})});
      name = "body " + j.dump().substr(0, 40);
    } else {
      j["max_concurrent_streams"] = rng.pick(kNotUnsigned);
      name = "max_concurrent_streams " + j["max_concurrent_streams"].dump();
    }
    post(mutation::wrong_types, name, "/control/v1/settings", j.dump(), ct);
  }
  for (int i = 0; i < kPerClass; ++i) {
    auto value = rng.pick(std::vector<std::string>{"0", "-1", "4294967296", "4294967297",
                                                   "18446744073709551616", "99999999999999999999",
                                                   "-4294967295", "1e9", "-0", "0.5"});
    post(mutation::numbers, "max_concurrent_streams " + value, "/control/v1/settings",
         "{\"max_concurrent_streams\":" + value + "}", ct);
  }
}

void add_device_cases(Rng& rng, const ApnsMaterials& m, std::vector<Case>& out) {
  const net::Headers ct{{"Content-Type", "application/json"}};
  auto fresh = [&] {
    return hex(rng, 64);
  };  // a token nobody registered: registering it would show
  auto req = [&](const char* cls, const std::string& name, const std::string& method,
                 const std::string& target, const std::string& body, const net::Headers& h,
                 Expected want) {
    out.push_back(apns_raw(kDevice, cls, method + " " + name, raw_request(method, target, h, body),
                           std::move(want)));
  };
  const auto no_token = control_404("the path names no registered token");
  const auto bad_body = control_400("the body must be {\"topic\": \"...\"}");
  const auto bad_wait = control_400("wait_ms must be digits, 0..120000");
  const auto put_body = json{{"topic", m.topic}}.dump();
  // Bad tokens in paths, for all three.
  for (int i = 0; i < kPerClass * 2; ++i) {
    auto token = bad_token(rng, i, m.token);
    // Raw invalid UTF-8 (bad_token's case 6) is no URI character at all.
    auto want = i % 8 == 6 ? expect::raw_target(404) : no_token;
    switch (i % 3) {
      case 0:
        req(mutation::malformed_token, "token '" + token.substr(0, 30) + "'", "PUT",
            "/device/v1/tokens/" + token, put_body, ct, want);
        break;
      case 1:
        req(mutation::malformed_token, "token '" + token.substr(0, 30) + "'", "GET",
            "/device/v1/tokens/" + token + "/notifications?wait_ms=0", "", {}, want);
        break;
      default:
        req(mutation::malformed_token, "token '" + token.substr(0, 30) + "'", "DELETE",
            "/device/v1/tokens/" + token + "/connection", "", {}, want);
        break;
    }
  }
  // Well-formed tokens the simulator does not know (or paths that are not the device API's).
  for (int i = 0; i < kPerClass + 4; ++i) {
    auto token = fresh();
    switch (i % 6) {
      case 0:
        req(mutation::wrong_token, "unknown token", "GET",
            "/device/v1/tokens/" + token + "/notifications?wait_ms=0", "", {}, no_token);
        break;
      case 1:
        req(mutation::wrong_token, "unknown token", "DELETE",
            "/device/v1/tokens/" + token + "/connection", "", {}, no_token);
        break;
      case 2:
        req(mutation::wrong_token, "extra path segment", "PUT", "/device/v1/tokens/" + token + "/x",
            put_body, ct, no_token);
        break;
      case 3:
        req(mutation::wrong_token, "wrong suffix", "GET",
            "/device/v1/tokens/" + m.token + "/notification?wait_ms=0", "", {}, no_token);
        break;
      case 4:
        req(mutation::wrong_token, "wrong suffix", "DELETE",
            "/device/v1/tokens/" + m.token + "/connections", "", {}, no_token);
        break;
      default:
        req(mutation::wrong_token, "unknown token, long wait", "GET",
            "/device/v1/tokens/" + token + "/notifications?wait_ms=100000", "", {}, no_token);
        break;
    }
  }
  // PUT bodies.
  for (int i = 0; i < kPerClass; ++i) {
    auto cut = rng.between(0, put_body.size() - 1);
    req(mutation::truncation, "JSON cut at " + std::to_string(cut), "PUT",
        "/device/v1/tokens/" + fresh(), put_body.substr(0, cut), ct, bad_body);
  }
  auto from = out.size();
  add_http_truncation(rng, {kDevice, "PUT", "/device/v1/tokens/" + fresh(), ct, put_body},
                      kPerClass / 2, out);
  add_http_truncation(
      rng, {kDevice, "GET", "/device/v1/tokens/" + m.token + "/notifications?wait_ms=0", {}, ""},
      kPerClass / 2, out);
  add_http_huge(rng, {kDevice, "PUT", "/device/v1/tokens/" + fresh(), ct, put_body},
                m.control_body_limit, kPerClass, out);
  add_http_numbers(rng, {kDevice, "PUT", "/device/v1/tokens/" + fresh(), ct, put_body}, kPerClass,
                   out);
  retarget(out, from);
  static const std::vector<json> kNotTopic = {
      5, true, nullptr, json::array({"com.apple.mgmt.x"}), json::object({{"t", "x"}}), "", 1.5};
  for (int i = 0; i < kPerClass; ++i) {
    json j;
    std::string name;
    if (i % 5 == 4) {
      j = rng.pick(std::vector<json>{json::array({json{{"topic", m.topic}}}), m.topic, 7,
                                     json::object({{"Topic", m.topic}})});
      name = "body " + j.dump().substr(0, 40);
    } else {
      j = {{"topic", rng.pick(kNotTopic)}};
      name = "topic " + j["topic"].dump();
    }
    req(mutation::wrong_types, name, "PUT", "/device/v1/tokens/" + fresh(), j.dump(), ct, bad_body);
  }
  for (int i = 0; i < kPerClass; ++i) {
    std::string b;
    switch (i % 3) {
      case 0:
        b = "{\"topic\":\"" + with_invalid_utf8(rng, m.topic) + "\"}";
        break;
      case 1:
        b = "{\"topic\":\"" + m.topic + "\",\"" + with_invalid_utf8(rng, "k") + "\":1}";
        break;
      default:
        b = "{\"topic\":\"com.apple.mgmt.\\udc00\"}";
        break;
    }
    req(mutation::invalid_utf8, "invalid UTF-8 in the body", "PUT", "/device/v1/tokens/" + fresh(),
        b, ct, bad_body);
  }
  for (int i = 0; i < kPerClass; ++i) {
    std::string b = rng.pick(std::vector<std::string>{
        "{topic: \"x\"}", "{\"topic\":\"x\",}", "{'topic':'x'}", "{\"topic\"}",
        "{\"topic\":\"x\"}}", "\x00\x01", "<plist/>", "{\"topic\":\"x\" \"a\":1}"});
    req(mutation::invalid_json, "body " + b.substr(0, 20), "PUT", "/device/v1/tokens/" + fresh(), b,
        ct, bad_body);
  }
  // wait_ms on the registered (offline) token: a wrongly accepted poll connects it and takes
  // its stored notification.
  for (int i = 0; i < kPerClass + 4; ++i) {
    auto w = rng.pick(std::vector<std::string>{
        "-1", "-120000", "-9223372036854775808", "99999999999999999999", "120001", "1000000000000",
        "5abc", "1e3", "0x10", "", "+5", " 5", "5.5", "%2D1", "18446744073709551616", "NaN"});
    req(mutation::numbers, "wait_ms '" + w + "'", "GET",
        "/device/v1/tokens/" + m.token + "/notifications?wait_ms=" + w, "", {},
        w == " 5" ? expect::bad_request("a space in the request-target (RFC 9112 §3)") : bad_wait);
  }
  for (int i = 0; i < kPerClass / 2; ++i) {
    req(mutation::invalid_utf8, "wait_ms with invalid UTF-8", "GET",
        "/device/v1/tokens/" + m.token +
            "/notifications?wait_ms=" + percent_all(with_invalid_utf8(rng, "0")),
        "", {}, bad_wait);
    req(mutation::invalid_utf8, "raw invalid UTF-8 in the path", "DELETE",
        "/device/v1/tokens/" + with_invalid_utf8(rng, m.token) + "/connection", "", {},
        expect::raw_target(404));
  }
}
}  // namespace

void add_apns_cases(Rng& rng, const Materials& materials, std::vector<Case>& out) {
  const auto& m = materials.apns;
  PushGen g{rng, m, out};
  g.wrong_token();
  g.malformed_token();
  g.wrong_topic();
  g.headers();
  g.header_values();
  g.method();
  g.path();
  g.empty();
  g.huge();
  g.invalid_json();
  g.invalid_utf8_payload();
  g.identity();
  add_control_cases(rng, m, out);
  add_device_cases(rng, m, out);
}

}  // namespace mdmlab::testing::hostile
