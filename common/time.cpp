#include "common/time.hpp"

#include <cctype>
#include <ctime>
#include <utility>

namespace mdmlab {
namespace {
bool digits(std::string_view s) {
  for (char c : s)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  return !s.empty();
}
}  // namespace

std::string rfc3339_utc(TimePoint at) {
  const std::time_t t = std::chrono::system_clock::to_time_t(at);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

Result<TimePoint> parse_rfc3339(std::string_view s) {
  auto bad = [&] { return make_error("bad_time", "not an RFC 3339 time: " + std::string(s)); };
  if (s.size() < 20 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't') ||
      s[13] != ':' || s[16] != ':')
    return bad();
  for (auto [at, n] : {std::pair{0, 4}, {5, 2}, {8, 2}, {11, 2}, {14, 2}, {17, 2}})
    if (!digits(s.substr(at, n))) return bad();
  auto num = [&](std::size_t at, std::size_t n) { return std::stoi(std::string(s.substr(at, n))); };
  std::tm tm{};
  tm.tm_year = num(0, 4) - 1900;
  tm.tm_mon = num(5, 2) - 1;
  tm.tm_mday = num(8, 2);
  tm.tm_hour = num(11, 2);
  tm.tm_min = num(14, 2);
  tm.tm_sec = num(17, 2);
  if (tm.tm_mon > 11 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 ||
      tm.tm_sec > 60)
    return bad();
  std::size_t i = 19;
  if (i < s.size() && s[i] == '.') {
    const auto start = ++i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
    if (i == start) return bad();
  }
  long offset = 0;
  if (i < s.size() && (s[i] == 'Z' || s[i] == 'z')) {
    ++i;
  } else if (i + 6 == s.size() && (s[i] == '+' || s[i] == '-') && s[i + 3] == ':' &&
             digits(s.substr(i + 1, 2)) && digits(s.substr(i + 4, 2))) {
    offset = (num(i + 1, 2) * 60L + num(i + 4, 2)) * 60L * (s[i] == '-' ? -1 : 1);
    i += 6;
  } else {
    return bad();
  }
  if (i != s.size()) return bad();
  return std::chrono::system_clock::from_time_t(timegm(&tm) - offset);
}

}  // namespace mdmlab
