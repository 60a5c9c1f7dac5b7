// DEP admin API cases (dep_admin_routes.cpp; present because the fixture configures ADE against
// the ABM simulator): GET /admin/v1/apple/dep, POST .../dep/sync, GET .../dep/devices and DELETE
// .../dep/devices/<serial>. The bearer-token and HTTP-level classes of the other admin routes
// (generator_admin.cpp), invalid UTF-8 in paths, methods the routes do not take (names are
// case-sensitive, RFC 9110 9.1), and serial numbers that name no device (letters, digits, '-',
// '_'; a '/' names another path). None has a body: the routes take none. Forged tokens carry what
// would change state if it were taken: a sync pass (dep_devices, the ABM devices' profiles) or
// the removal of a real ABM device's profile; the ABM simulator is compared around every case.
#include "tests/hostile/generator.hpp"

namespace mdmlab::testing::hostile {
namespace {
const std::string kDep = "GET /admin/v1/apple/dep";
const std::string kSync = "POST /admin/v1/apple/dep/sync";
const std::string kDevices = "GET /admin/v1/apple/dep/devices";
const std::string kRemove = "DELETE /admin/v1/apple/dep/devices/<serial>";
constexpr const char* kDevicesPath = "/admin/v1/apple/dep/devices";

void add_utf8_paths(Rng& rng, const Materials& m, const std::string& endpoint,
                    const std::string& method, const std::string& path, std::vector<Case>& out) {
  const net::Headers auth{{"Authorization", "Bearer " + m.admin_token}};
  for (int i = 0; i < kPerClass / 2; ++i) {
    auto bad = with_invalid_utf8(rng, path);
    if (bad[0] != '/') bad = "/" + bad;
    const bool raw = i % 2 == 1;
    out.push_back(
        raw_case(endpoint, mutation::invalid_utf8,
                 std::string(raw ? "raw" : "encoded") + " path " + percent_all(bad),
                 raw_request(method, raw ? bad : "/" + percent_all(bad.substr(1)), auth, ""),
                 raw ? expect::raw_target(404) : expect::not_found("no such path")));
  }
}

void add_methods(const Materials& m, const std::string& endpoint, const std::string& path,
                 const std::vector<std::string>& methods, std::vector<Case>& out) {
  const net::Headers auth{{"Authorization", "Bearer " + m.admin_token}};
  for (int i = 0; i < kPerClass; ++i) {
    const auto& method = methods[static_cast<std::size_t>(i) % methods.size()];
    out.push_back(raw_case(endpoint, mutation::method, method + " " + path,
                           raw_request(method, path, auth, ""),
                           expect::method_not_allowed("the route takes another method")));
  }
}

void add_serials(Rng& rng, const Materials& m, std::vector<Case>& out) {
  const net::Headers auth{{"Authorization", "Bearer " + m.admin_token}};
  const std::string prefix = std::string(kDevicesPath) + "/";
  const auto& serial = m.abm.serials.at(1);
  auto del = [&](const char* cls, std::string name, const std::string& target, Expected want) {
    out.push_back(
        raw_case(kRemove, cls, std::move(name), raw_request("DELETE", target, auth, ""), want));
  };
  static const std::vector<std::string> kChars = {".", "..", "%20", "%2E", "%25", ";",  "*",
                                                  "'", "(",  "!",   "$",   ",",   "=",  "@",
                                                  ":", "~",  "%3C", "%00", "%0A", "%22"};
  for (int i = 0; i < kPerClass; ++i) {
    const auto& c = kChars[static_cast<std::size_t>(i) % kChars.size()];
    auto s = serial;
    s.insert(rng.below(s.size() + 1), c);
    del(mutation::params, "serial " + s, prefix + s,
        Expected::status(400, "a serial number is letters and digits (bad_serial)"));
  }
  for (int i = 0; i < kPerClass; ++i) {
    std::string target, name;
    Expected want = expect::not_found("no device path");
    switch (i % 5) {
      case 0:
        target = prefix;
        name = "no serial";
        break;
      case 1:
        target = std::string(kDevicesPath);
        name = "the device list";
        want = expect::method_not_allowed("the device list takes GET");
        break;
      case 2:
        target = prefix + serial + "/" + m.abm.serials.at(2);
        name = "two serials as two segments";
        break;
      case 3:
        target = prefix + serial.substr(0, rng.below(serial.size())) + "%2F" +
                 serial.substr(rng.below(serial.size()));
        name = "an encoded '/' in the serial";
        break;
      default:
        target = prefix + serial + "/";
        name = "a trailing '/'";
        break;
    }
    del(mutation::path, name + ": " + target, target, want);
  }
  for (int i = 0; i < kPerClass / 2; ++i) {
    const auto bad = with_invalid_utf8(rng, serial);
    const bool raw = i % 2 == 1;
    del(mutation::invalid_utf8,
        std::string(raw ? "raw" : "encoded") + " serial " + percent_all(bad),
        prefix + (raw ? bad : percent_all(bad)),
        raw ? expect::bad_request("raw bytes outside URI characters, or not a serial number")
            : Expected::status(400, "a serial number is letters and digits (bad_serial)"));
  }
}
}  // namespace

void add_dep_admin_cases(Rng& rng, const Materials& m, std::vector<Case>& out) {
  const std::string dep = "/admin/v1/apple/dep";
  add_admin_auth_cases(rng, m, kDep, "GET", dep, "", "", out);
  add_utf8_paths(rng, m, kDep, "GET", dep, out);
  add_methods(m, kDep, dep,
              {"POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "get", "FOO", "Get", "SYNC"},
              out);

  add_admin_auth_cases(rng, m, kSync, "POST", dep + "/sync", "", "", out);
  add_utf8_paths(rng, m, kSync, "POST", dep + "/sync", out);
  add_methods(m, kSync, dep + "/sync",
              {"GET", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "HEAD", "post", "FOO", "Post"},
              out);

  add_admin_auth_cases(rng, m, kDevices, "GET", kDevicesPath, "", "", out);
  add_utf8_paths(rng, m, kDevices, "GET", kDevicesPath, out);

  add_admin_auth_cases(rng, m, kRemove, "DELETE",
                       std::string(kDevicesPath) + "/" + m.abm.serials.at(0), "", "", out);
  add_serials(rng, m, out);
}

}  // namespace mdmlab::testing::hostile
