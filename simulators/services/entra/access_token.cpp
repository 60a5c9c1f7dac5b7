#include "simulators/services/entra/access_token.hpp"

#include <vector>

namespace mdmlab::simulators::entra {
using nlohmann::json;

namespace {
std::vector<std::string> words(const std::string& s) {
  std::vector<std::string> out;
  for (std::size_t start = 0; start < s.size();) {
    auto end = s.find(' ', start);
    auto w = s.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (!w.empty()) out.push_back(w);
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return out;
}

std::int64_t seconds(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

bool oidc_scope(const std::string& w) {
  return w == "openid" || w == "profile" || w == "email" || w == "offline_access";
}
}  // namespace

std::string audience_of(const std::string& scope) {
  for (const auto& w : words(scope))
    if (w.find("://") != std::string::npos) return w.substr(0, w.rfind('/'));
  return "00000003-0000-0000-c000-000000000000";  // Microsoft Graph
}

std::string scp_of(const std::string& scope) {
  std::string out;
  for (const auto& w : words(scope)) {
    if (oidc_scope(w)) continue;
    const auto name = w.find("://") != std::string::npos ? w.substr(w.rfind('/') + 1) : w;
    if (name.empty() || name == ".default") continue;
    out += (out.empty() ? "" : " ") + name;
  }
  return out;
}

json access_token_claims(const EntraTenant& t, const std::string& app_id, const EntraUser* user,
                         const std::string& scope, TimePoint now, TimePoint expires) {
  json access{{"aud", audience_of(scope)},
              {"iss", "https://sts.windows.net/" + t.id + "/"},
              {"iat", seconds(now)},
              {"nbf", seconds(now)},
              {"exp", seconds(expires)},
              {"tid", t.id},
              {"appid", app_id},
              {"azp", app_id},
              {"ver", "1.0"}};
  if (user) {
    access["oid"] = user->id;
    access["sub"] = user->id;
    access["upn"] = user->upn;
    access["unique_name"] = user->upn;
    access["name"] = user->display_name;
    access["scp"] = scp_of(scope);
  } else {
    access["oid"] = app_id;
    access["sub"] = app_id;
    access["roles"] = json::array();
  }
  return access;
}

}  // namespace mdmlab::simulators::entra
