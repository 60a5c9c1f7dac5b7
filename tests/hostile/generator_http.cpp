// HTTP-level mutations shared by every endpoint, and the raw request builder.
#include "tests/hostile/generator.hpp"

namespace mdmlab::testing::hostile {

std::string raw_request(const std::string& method, const std::string& target,
                        const net::Headers& headers, const std::string& body) {
  std::string out = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
  for (const auto& [k, v] : headers) out += k + ": " + v + "\r\n";
  if (!body.empty() || method == "POST" || method == "PUT")
    out += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  out += "\r\n";
  out += body;
  return out;
}

std::string invalid_utf8(Rng& rng) {
  static const std::vector<std::string> kSequences = {
      "\x80",                  // lone continuation byte
      "\xBF",                  // lone continuation byte
      "\xC0\xAF",              // overlong '/'
      "\xC1\xBF",              // overlong
      "\xE0\x80\xAF",          // overlong 3-byte
      "\xED\xA0\x80",          // UTF-16 surrogate D800
      "\xED\xBF\xBF",          // surrogate DFFF
      "\xF4\x90\x80\x80",      // above U+10FFFF
      "\xF8\x88\x80\x80\x80",  // 5-byte form
      "\xFE",
      "\xFF",
      "\xE2\x82",      // truncated 3-byte sequence
      "\xF0\x9F\x98",  // truncated 4-byte sequence
      "\xC3",          // truncated 2-byte sequence
  };
  return rng.pick(kSequences);
}

std::string percent_all(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    out += '%';
    out += hex[c >> 4];
    out += hex[c & 15];
  }
  return out;
}

std::string with_invalid_utf8(Rng& rng, const std::string& s) {
  auto pos = rng.below(s.size() + 1);
  return s.substr(0, pos) + invalid_utf8(rng) + s.substr(pos);
}

Case raw_case(const std::string& endpoint, const char* mutation, std::string name, std::string raw,
              Expected expect) {
  Case c;
  c.endpoint = endpoint;
  c.mutation = mutation;
  c.name = std::move(name);
  c.channel = Channel::raw_http;
  c.raw = std::move(raw);
  c.expect = std::move(expect);
  return c;
}

Case tls_case(const std::string& endpoint, const char* mutation, std::string name,
              net::HttpRequest request, ClientCert cert, Expected expect) {
  Case c;
  c.endpoint = endpoint;
  c.mutation = mutation;
  c.name = std::move(name);
  c.channel = Channel::tls;
  c.request = std::move(request);
  c.cert = cert;
  c.expect = std::move(expect);
  return c;
}

namespace expect {
Expected incomplete() {
  return Expected::status(400, "RFC 9112 §8: an incomplete request gets 400 or a closed connection")
      .or_closed();
}
Expected too_large() {
  return Expected::status(413, "RFC 9110 §15.5.14: content over the body limit");
}
Expected bad_framing() {
  return Expected::status(400, "RFC 9112 §6.3: invalid message framing is an unrecoverable 400");
}
Expected bad_request(std::string why) {
  return Expected::status(400, "400 (RFC 9110 §15.5.1): " + why);
}
Expected not_found(std::string why) {
  return Expected::status(404, "404 (RFC 9110 §15.5.5): " + why);
}
Expected method_not_allowed(std::string why) {
  return Expected::status(405, "405 (RFC 9110 §15.5.6): " + why);
}
Expected unsupported_media_type(std::string why) {
  return Expected::status(415, "415 (RFC 9110 §15.5.16): " + why);
}
Expected unauthorized(std::string why) {
  return Expected::status(401, "401 (RFC 9110 §15.5.2): " + why);
}
Expected forbidden(std::string why) {
  return Expected::status(403, "403 (RFC 9110 §15.5.4): " + why);
}
Expected raw_target(int lenient_status) {
  return Expected::statuses({400, lenient_status},
                            "RFC 9112 §3.2: a request-target with raw non-URI bytes gets 400 "
                            "(SHOULD), or, from a lenient parser, " +
                                std::to_string(lenient_status) + " for what it names");
}
}  // namespace expect

namespace {
// A decimal numeral beyond 2^64-1 is still a valid length (RFC 9110 §8.6): a server that
// cannot represent it answers 400 (invalid framing) or 413 (larger than any limit).
bool fits_u64(const std::string& digits) {
  static const std::string kMax = "18446744073709551615";
  return digits.size() < kMax.size() || (digits.size() == kMax.size() && digits <= kMax);
}
Expected huge_length(const std::string& digits) {
  if (fits_u64(digits)) return expect::too_large();
  return Expected::statuses({400, 413},
                            "RFC 9110 §8.6: a length beyond 64 bits: 413, or 400 from a parser "
                            "that cannot represent it");
}
}  // namespace

void add_http_truncation(Rng& rng, const HttpBase& base, int count, std::vector<Case>& out) {
  auto raw = raw_request(base.method, base.target, base.headers, base.body);
  auto head_end = raw.find("\r\n\r\n") + 4;
  for (int i = 0; i < count; ++i) {
    // With a body, every other case cuts the body short of its Content-Length.
    bool in_body = !base.body.empty() && i % 2 == 1;
    std::size_t cut =
        in_body ? rng.between(head_end, raw.size() - 1) : rng.between(1, head_end - 1);
    out.push_back(raw_case(base.endpoint, mutation::truncation,
                           std::string(in_body ? "body" : "head") + " cut at byte " +
                               std::to_string(cut) + "/" + std::to_string(raw.size()),
                           raw.substr(0, cut), expect::incomplete()));
  }
}

void add_http_huge(Rng& rng, const HttpBase& base, std::size_t body_limit, int count,
                   std::vector<Case>& out) {
  std::string head =
      base.method + " " + base.target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
  for (const auto& [k, v] : base.headers) head += k + ": " + v + "\r\n";
  for (int i = 0; i < count; ++i) {
    std::string raw, name;
    switch (i % 4) {
      case 0: {  // every byte sent
        auto n = body_limit + 1 + rng.below(64 * 1024);
        raw = head + "Content-Length: " + std::to_string(n) + "\r\n\r\n" +
              std::string(n, static_cast<char>('A' + i % 26));
        name = "body of " + std::to_string(n) + " bytes";
        break;
      }
      case 1: {  // a declared length, a little data, then EOF
        auto n = body_limit + 1 + rng.below(std::size_t{1} << 40);
        raw = head + "Content-Length: " + std::to_string(n) + "\r\n\r\n" + rng.bytes(1024);
        name = "Content-Length " + std::to_string(n) + ", 1 KiB sent";
        break;
      }
      case 2: {  // chunked past the limit
        raw = head + "Transfer-Encoding: chunked\r\n\r\n";
        std::size_t total = 0, target = body_limit + 1 + rng.below(128 * 1024);
        const std::string chunk(64 * 1024, 'c');
        while (total < target) {
          raw += "10000\r\n" + chunk + "\r\n";
          total += chunk.size();
        }
        raw += "0\r\n\r\n";
        name = "chunked, " + std::to_string(total) + " bytes";
        break;
      }
      default: {  // ten times the limit announced, 256 KiB sent
        auto n = body_limit * 10 + rng.below(1000);
        raw = head + "Content-Length: " + std::to_string(n) + "\r\n\r\n" +
              std::string(256 * 1024, '\x30');
        name = "Content-Length " + std::to_string(n) + ", 256 KiB sent";
        break;
      }
    }
    out.push_back(
        raw_case(base.endpoint, mutation::huge, name, std::move(raw), expect::too_large()));
  }
}

namespace {
std::string digits(Rng& rng, std::size_t n) {
  std::string s(1, static_cast<char>('1' + rng.below(9)));
  while (s.size() < n) s += static_cast<char>('0' + rng.below(10));
  return s;
}
}  // namespace

void add_http_numbers(Rng& rng, const HttpBase& base, int count, std::vector<Case>& out) {
  std::string head_wo_version = base.method + " " + base.target;
  std::string fields = "Host: 127.0.0.1\r\nConnection: close\r\n";
  for (const auto& [k, v] : base.headers) fields += k + ": " + v + "\r\n";
  const std::string body = base.body.empty() ? std::string("hello") : base.body;
  for (int i = 0; i < count; ++i) {
    std::string raw, name;
    Expected want = expect::bad_framing();
    switch (i % 10) {
      case 0:
        name = "Content-Length -" + digits(rng, rng.between(1, 6));
        raw = head_wo_version + " HTTP/1.1\r\n" + fields + "Content-Length: " + name.substr(15) +
              "\r\n\r\n" + body;
        break;
      case 1:
        name = "Content-Length " + digits(rng, rng.between(20, 40));  // above 2^64
        raw = head_wo_version + " HTTP/1.1\r\n" + fields + "Content-Length: " + name.substr(15) +
              "\r\n\r\n" + body;
        want = huge_length(name.substr(15));
        break;
      case 2: {
        static const std::vector<std::string> kForms = {"+5",  "0x10", "1e3", "5.0",
                                                        " -0", "5 5",  "5,6", "\xEF\xBC\x95"};
        auto form = rng.pick(kForms);
        name = "Content-Length '" + form + "'";
        raw = head_wo_version + " HTTP/1.1\r\n" + fields + "Content-Length: " + form + "\r\n\r\n" +
              body;
        break;
      }
      case 3: {
        auto a = body.size(), b = body.size() + 1 + rng.below(100);
        name = "two Content-Lengths " + std::to_string(a) + " and " + std::to_string(b);
        raw = head_wo_version + " HTTP/1.1\r\n" + fields + "Content-Length: " + std::to_string(a) +
              "\r\nContent-Length: " + std::to_string(b) + "\r\n\r\n" + body;
        break;
      }
      case 4: {
        auto size = std::string(rng.between(17, 30), 'F');
        name = "chunk size 0x" + size;
        raw = head_wo_version + " HTTP/1.1\r\n" + fields + "Transfer-Encoding: chunked\r\n\r\n" +
              size + "\r\n" + body + "\r\n0\r\n\r\n";
        want = Expected::statuses({400, 413},
                                  "RFC 9112 §7.1: a chunk size beyond 64 bits: 413, or 400 from "
                                  "a parser that cannot represent it");
        break;
      }
      case 5: {
        name = "chunk size -" + std::to_string(rng.between(1, 4096));
        raw = head_wo_version + " HTTP/1.1\r\n" + fields + "Transfer-Encoding: chunked\r\n\r\n" +
              name.substr(11) + "\r\n" + body + "\r\n0\r\n\r\n";
        break;
      }
      case 6: {
        auto minor = digits(rng, rng.between(1, 20));
        auto version = "HTTP/" + std::to_string(rng.between(2, 9)) + "." + minor;
        name = "version " + version;
        raw = head_wo_version + " " + version + "\r\n" + fields + "\r\n";
        // HTTP-version is DIGIT "." DIGIT (RFC 9112 §2.3): a longer minor is a syntax error; a
        // well-formed major version above 1 may also get 505 (RFC 9110 §15.6.6).
        want = minor.size() == 1
                   ? Expected::statuses({400, 505},
                                        "RFC 9112 §2.3: a major version the server does not "
                                        "speak: 400 or 505")
                   : expect::bad_request("HTTP-version is DIGIT \".\" DIGIT (RFC 9112 §2.3)");
        break;
      }
      case 7: {
        auto version = std::string("HTTP/-1.") + std::to_string(rng.below(10));
        name = "version " + version;
        raw = head_wo_version + " " + version + "\r\n" + fields + "\r\n";
        want = expect::bad_request("HTTP-version is DIGIT \".\" DIGIT (RFC 9112 §2.3)");
        break;
      }
      case 8:
        name = "Content-Length and chunked";
        raw = head_wo_version + " HTTP/1.1\r\n" + fields +
              "Content-Length: " + std::to_string(body.size()) +
              "\r\nTransfer-Encoding: chunked\r\n\r\n" + body;
        break;
      default: {
        auto n = digits(rng, rng.between(19, 20));
        name = "Content-Length " + n + " (int64 edge)";
        raw =
            head_wo_version + " HTTP/1.1\r\n" + fields + "Content-Length: " + n + "\r\n\r\n" + body;
        want = huge_length(n);
        break;
      }
    }
    out.push_back(
        raw_case(base.endpoint, mutation::numbers, name, std::move(raw), std::move(want)));
  }
}

std::vector<Case> generate_cases(std::uint64_t seed, const Materials& m) {
  Rng rng(seed);
  std::vector<Case> out;
  add_scep_cases(rng, m, out);
  add_mdm_cases(rng, m, out);
  add_admin_cases(rng, m, out);
  add_ade_cases(rng, m, out);
  add_ddm_cases(rng, m, out);
  add_apns_cases(rng, m, out);
  add_ade_sso_cases(rng, m, out);
  add_abm_session_cases(rng, m, out);
  add_abm_cases(rng, m, out);
  add_windows_cases(rng, m, out);
  add_windows_mdm_cases(rng, m, out);
  add_windows_auth_cases(rng, m, out);
  add_scim_cases(rng, m, out);
  add_dep_admin_cases(rng, m, out);
  add_entra_cases(rng, m, out);
  return out;
}

}  // namespace mdmlab::testing::hostile
