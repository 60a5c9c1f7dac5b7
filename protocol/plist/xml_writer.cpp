// XML plist writer, laid out exactly like Python's plistlib (see xml.hpp).
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>

#include "protocol/plist/xml.hpp"

namespace mdmlab::plist {
namespace {

constexpr const char* kHeader =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" "
    "\"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n"
    "<plist version=\"1.0\">\n";

bool escape(std::string_view in, std::string& out) {
  for (std::size_t i = 0; i < in.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(in[i]);
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') return false;
    switch (c) {
      case '\r':
        out += '\n';
        if (i + 1 < in.size() && in[i + 1] == '\n') ++i;  // CRLF -> LF, lone CR -> LF
        break;
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      default:
        out += static_cast<char>(c);
    }
  }
  return true;
}

std::string date_string(const Date& d) {
  std::time_t t = static_cast<std::time_t>(d.seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[96];  // generous: -Wformat-truncation cannot bound the int fields
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

class Writer {
 public:
  bool ok = true;
  std::string out;

  void line(int level, std::string_view text) {
    out.append(static_cast<std::size_t>(level), '\t');
    out += text;
    out += '\n';
  }

  void simple(int level, const char* element, std::string_view text) {
    std::string escaped;
    if (!escape(text, escaped)) {
      ok = false;
      return;
    }
    out.append(static_cast<std::size_t>(level), '\t');
    out += '<';
    out += element;
    out += '>';
    out += escaped;
    out += "</";
    out += element;
    out += ">\n";
  }

  void data(int level, const Data& bytes) {
    line(level, "<data>");
    // plistlib: lines of at most max(16, 76 - 8 * level) characters, whole base64 quanta.
    std::size_t max_line = static_cast<std::size_t>(std::max(16, 76 - 8 * level));
    std::size_t chunk = max_line / 4 * 3;
    for (std::size_t i = 0; i < bytes.size(); i += chunk) {
      Bytes part(bytes.begin() + static_cast<std::ptrdiff_t>(i),
                 bytes.begin() + static_cast<std::ptrdiff_t>(std::min(bytes.size(), i + chunk)));
      line(level, base64_encode(part));
    }
    line(level, "</data>");
  }

  void value(int level, const Value& v) {
    std::visit(
        [&](const auto& x) {
          using T = std::decay_t<decltype(x)>;
          if constexpr (std::is_same_v<T, std::string>) {
            simple(level, "string", x);
          } else if constexpr (std::is_same_v<T, std::int64_t>) {
            simple(level, "integer", std::to_string(x));
          } else if constexpr (std::is_same_v<T, double>) {
            simple(level, "real", python_float_repr(x));
          } else if constexpr (std::is_same_v<T, bool>) {
            line(level, x ? "<true/>" : "<false/>");
          } else if constexpr (std::is_same_v<T, Date>) {
            simple(level, "date", date_string(x));
          } else if constexpr (std::is_same_v<T, Data>) {
            data(level, x);
          } else if constexpr (std::is_same_v<T, Array>) {
            if (x.empty()) {
              line(level, "<array/>");
              return;
            }
            line(level, "<array>");
            for (const auto& item : x) value(level + 1, item);
            line(level, "</array>");
          } else if constexpr (std::is_same_v<T, Dict>) {
            if (x.empty()) {
              line(level, "<dict/>");
              return;
            }
            line(level, "<dict>");
            for (const auto& [k, item] : x) {
              simple(level + 1, "key", k);
              value(level + 1, item);
            }
            line(level, "</dict>");
          }
        },
        v.storage());
  }
};
}  // namespace

std::string python_float_repr(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  std::string sign = std::signbit(value) ? "-" : "";
  double a = std::fabs(value);
  if (a == 0) return sign + "0.0";
  char buf[64];
  int precision = 1;
  for (; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*e", precision - 1, a);
    if (std::strtod(buf, nullptr) == a) break;
  }
  // buf is "d.ddde[+-]XX": collect the significant digits and the decimal exponent.
  std::string s(buf);
  auto epos = s.find('e');
  std::string digits;
  for (std::size_t i = 0; i < epos; ++i)
    if (s[i] != '.') digits += s[i];
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  int exponent = std::atoi(s.c_str() + epos + 1);
  int decpt = exponent + 1;
  std::string out;
  if (decpt > -4 && decpt <= 16) {
    if (decpt <= 0) {
      out = "0." + std::string(static_cast<std::size_t>(-decpt), '0') + digits;
    } else if (static_cast<std::size_t>(decpt) >= digits.size()) {
      out = digits + std::string(static_cast<std::size_t>(decpt) - digits.size(), '0') + ".0";
    } else {
      out = digits.substr(0, static_cast<std::size_t>(decpt)) + "." +
            digits.substr(static_cast<std::size_t>(decpt));
    }
  } else {
    out = digits.substr(0, 1);
    if (digits.size() > 1) out += "." + digits.substr(1);
    char e[16];
    std::snprintf(e, sizeof e, "e%c%02d", exponent < 0 ? '-' : '+', std::abs(exponent));
    out += e;
  }
  return sign + out;
}

Result<std::string> to_xml(const Value& value) {
  Writer w;
  w.out = kHeader;
  w.value(0, value);
  w.out += "</plist>\n";
  if (!w.ok) return make_error("bad_value", "plist strings cannot contain control characters");
  return std::move(w.out);
}

}  // namespace mdmlab::plist
