#include "simulators/services/entra/scim_provisioner.hpp"

#include <nlohmann/json.hpp>

namespace mdmlab::simulators::entra {
namespace asio = boost::asio;
using nlohmann::json;

namespace {
constexpr const char* kUserSchema = "urn:ietf:params:scim:schemas:core:2.0:User";
constexpr const char* kEnterpriseSchema =
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
constexpr const char* kPatchSchema = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
constexpr const char* kScimType = "application/scim+json";

std::string nickname(const EntraUser& u) {
  return u.upn.substr(0, u.upn.find('@'));
}

json user_resource(const EntraUser& u) {
  return {
      {"schemas", {kUserSchema, kEnterpriseSchema}},
      {"externalId", nickname(u)},
      {"userName", u.upn},
      {"active", u.enabled},
      {"displayName", u.display_name},
      {"emails",
       {{{"primary", true}, {"type", "work"}, {"value", u.mail.empty() ? u.upn : u.mail}}}},
      {"meta", {{"resourceType", "User"}}},
      {"name",
       {{"formatted", u.display_name}, {"familyName", u.surname}, {"givenName", u.given_name}}}};
}

json replace_operations(const EntraUser& u) {
  auto op = [](const char* path, json value) {
    return json{{"op", "Replace"}, {"path", path}, {"value", std::move(value)}};
  };
  return {{"schemas", {kPatchSchema}},
          {"Operations",
           {op("active", u.enabled ? "True" : "False"), op("name.givenName", u.given_name),
            op("name.familyName", u.surname),
            op("emails[type eq \"work\"].value", u.mail.empty() ? u.upn : u.mail)}}};
}

net::HttpRequest request(const std::string& method, const std::string& target,
                         const std::string& token, std::string body = {}) {
  net::HttpRequest r;
  r.method = method;
  r.target = target;
  r.headers.emplace_back("Authorization", "Bearer " + token);
  r.headers.emplace_back("Accept", kScimType);
  if (!body.empty()) {
    r.headers.emplace_back("Content-Type", kScimType);
    r.body = std::move(body);
  }
  return r;
}
}  // namespace

asio::awaitable<Result<ProvisioningCycle>> provision_users(asio::any_io_executor executor,
                                                           ProvisioningTarget target,
                                                           std::vector<EntraUser> users) {
  auto url = net::Url::parse(target.scim_url);
  if (!url) co_return url.error();
  net::HttpClientOptions options;
  options.user_agent = "Microsoft.AAD.Provisioning/1.0 (mdmlab)";
  if (!target.roots.empty()) {
    options.tls = net::TlsClientConfig{};
    options.tls->trusted_roots = target.roots;
  }
  net::HttpClient http(executor, url->origin(), options);
  auto base = url->target;
  while (!base.empty() && base.back() == '/') base.pop_back();
  ProvisioningCycle cycle;
  for (const auto& u : users) {
    const auto filter = "userName eq \"" + u.upn + "\"";
    auto looking = http.send(
        request("GET", base + "/Users?filter=" + net::percent_encode(filter), target.token));
    auto found = co_await std::move(looking);
    if (!found) co_return found.error();
    auto list = json::parse(found->body, nullptr, false);
    if (found->status != 200 || !list.is_object() || !list.contains("Resources") ||
        !list["Resources"].is_array()) {
      cycle.failures.push_back(u.upn + ": the lookup answered " + std::to_string(found->status));
      continue;
    }
    if (list["Resources"].empty()) {
      auto creating =
          http.send(request("POST", base + "/Users", target.token, user_resource(u).dump()));
      auto created = co_await std::move(creating);
      if (!created) co_return created.error();
      if (created->status == 201)
        ++cycle.created;
      else
        cycle.failures.push_back(u.upn + ": POST answered " + std::to_string(created->status) +
                                 " " + created->body.substr(0, 200));
      continue;
    }
    const auto& existing = list["Resources"][0];
    const auto id = existing.is_object() && existing.contains("id") && existing["id"].is_string()
                        ? existing["id"].get<std::string>()
                        : std::string();
    if (id.empty()) {
      cycle.failures.push_back(u.upn + ": the lookup's resource has no id");
      continue;
    }
    auto patching = http.send(request("PATCH", base + "/Users/" + net::percent_encode(id),
                                      target.token, replace_operations(u).dump()));
    auto patched = co_await std::move(patching);
    if (!patched) co_return patched.error();
    if (patched->status == 200 || patched->status == 204)
      ++cycle.updated;
    else
      cycle.failures.push_back(u.upn + ": PATCH answered " + std::to_string(patched->status) + " " +
                               patched->body.substr(0, 200));
  }
  co_return cycle;
}

}  // namespace mdmlab::simulators::entra
