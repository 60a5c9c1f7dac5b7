#include "server/scim/scim_routes.hpp"

#include <charconv>

#include "core/log/log.hpp"
#include "core/net/media_type.hpp"
#include "crypto/secret.hpp"
#include "protocol/entra/oauth_form.hpp"
#include "protocol/scim/scim_user.hpp"

namespace mdmlab::server::scim {
namespace asio = boost::asio;
using net::HttpRequest;
using net::HttpResponse;
namespace wire = mdmlab::scim;

namespace {
constexpr std::int64_t kMaxCount = 1000;

struct Context {
  std::string base_url, token;
  store::ScimStore& store;
  std::shared_ptr<Clock> clock;
  metrics::Family<metrics::Counter>* requests;

  std::string location(const std::string& id) const {
    return base_url + kScimBasePath + "/Users/" + id;
  }
};

HttpResponse scim_error(int status, const std::string& scim_type, const std::string& detail) {
  return HttpResponse::binary(status, wire::error_json(status, scim_type, detail),
                              wire::kContentType);
}

HttpResponse user_answer(const Context& c, int status, const store::StoredScimUser& s) {
  auto body = wire::user_json(s.user, c.location(s.user.id), rfc3339_utc(s.created),
                              rfc3339_utc(s.modified));
  auto r = HttpResponse::binary(status,
                                body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                                wire::kContentType);
  r.set_header("Location", c.location(s.user.id));
  return r;
}

int status_of_store_error(const std::string& code) {
  if (code == "uniqueness") return 409;
  if (code == "not_found") return 404;
  return 503;
}

HttpResponse store_failure(const Error& e) {
  const int status = status_of_store_error(e.code);
  if (status == 409) return scim_error(409, "uniqueness", "userName or externalId is taken");
  if (status == 404) return scim_error(404, "", "no such user");
  return scim_error(503, "", "the store is unavailable, try again later");
}

bool json_body(const HttpRequest& req) {
  const auto type = req.header("Content-Type");
  return net::media_type_is(type, wire::kContentType) ||
         net::media_type_is(type, "application/json");
}

std::string user_id(const HttpRequest& req) {
  auto path = req.path();
  return path.substr(path.rfind('/') + 1);
}

std::optional<std::int64_t> number(const std::string& text) {
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return v;
}

asio::awaitable<HttpResponse> list(std::shared_ptr<Context> c, const HttpRequest& req) {
  auto query = entra::parse_form(req.query());
  if (!query) co_return scim_error(400, "invalidSyntax", "unreadable query");
  auto get = [&](const char* k) {
    auto it = query->find(k);
    return it == query->end() ? std::string() : it->second;
  };
  wire::Filter filter;
  if (!get("filter").empty()) {
    auto f = wire::parse_filter(get("filter"));
    if (!f) co_return scim_error(400, f.error().code, f.error().message);
    filter = *f;
  }
  auto start =
      get("startIndex").empty() ? std::optional<std::int64_t>(1) : number(get("startIndex"));
  auto count = get("count").empty() ? std::optional<std::int64_t>(100) : number(get("count"));
  if (!start || !count)
    co_return scim_error(400, "invalidValue", "startIndex and count are integers");
  // RFC 7644 3.4.2.4: a startIndex under 1 is 1, a negative count 0.
  const auto first = std::max<std::int64_t>(*start, 1);
  const auto limit = std::clamp<std::int64_t>(*count, 0, kMaxCount);
  auto finding = c->store.find_scim_users(filter.attribute, filter.value, first - 1, limit);
  auto page = co_await std::move(finding);
  if (!page) co_return store_failure(page.error());
  nlohmann::json resources = nlohmann::json::array();
  for (const auto& s : page->users)
    resources.push_back(wire::user_json(s.user, c->location(s.user.id), rfc3339_utc(s.created),
                                        rfc3339_utc(s.modified)));
  nlohmann::json body{{"schemas", {wire::kListSchema}},
                      {"totalResults", page->total},
                      {"startIndex", first},
                      {"itemsPerPage", resources.size()},
                      {"Resources", resources}};
  co_return HttpResponse::binary(
      200, body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), wire::kContentType);
}

asio::awaitable<HttpResponse> create(std::shared_ptr<Context> c, const HttpRequest& req) {
  if (!json_body(req)) co_return scim_error(415, "", "the body must be application/scim+json");
  auto user = wire::parse_user(req.body);
  if (!user) co_return scim_error(400, user.error().code, user.error().message);
  auto creating = c->store.create_scim_user(*user, c->clock->now());
  auto stored = co_await std::move(creating);
  if (!stored) co_return store_failure(stored.error());
  log::info("scim", "user {} provisioned", stored->user.user_name);
  co_return user_answer(*c, 201, *stored);
}

asio::awaitable<HttpResponse> read(std::shared_ptr<Context> c, const HttpRequest& req) {
  auto reading = c->store.scim_user(user_id(req));
  auto found = co_await std::move(reading);
  if (!found) co_return store_failure(found.error());
  if (!*found) co_return scim_error(404, "", "no such user");
  co_return user_answer(*c, 200, **found);
}

asio::awaitable<HttpResponse> replace(std::shared_ptr<Context> c, const HttpRequest& req,
                                      bool patch) {
  if (!json_body(req)) co_return scim_error(415, "", "the body must be application/scim+json");
  const auto id = user_id(req);
  Result<wire::ScimUser> changed = make_error("invalidSyntax", "");
  if (patch) {
    auto reading = c->store.scim_user(id);
    auto found = co_await std::move(reading);
    if (!found) co_return store_failure(found.error());
    if (!*found) co_return scim_error(404, "", "no such user");
    changed = wire::apply_patch((*found)->user, req.body);
  } else {
    changed = wire::parse_user(req.body);
  }
  if (!changed) co_return scim_error(400, changed.error().code, changed.error().message);
  changed->id = id;
  auto updating = c->store.update_scim_user(*changed, c->clock->now());
  auto stored = co_await std::move(updating);
  if (!stored) co_return store_failure(stored.error());
  co_return user_answer(*c, 200, *stored);
}

asio::awaitable<HttpResponse> remove(std::shared_ptr<Context> c, const HttpRequest& req) {
  auto deleting = c->store.delete_scim_user(user_id(req));
  auto deleted = co_await std::move(deleting);
  if (!deleted) co_return store_failure(deleted.error());
  if (!*deleted) co_return scim_error(404, "", "no such user");
  co_return HttpResponse::text(204, "");
}

// Bearer check, then the operation; counts every answer.
net::HttpHandler guarded(std::shared_ptr<Context> c, const char* operation,
                         std::function<asio::awaitable<HttpResponse>(const HttpRequest&)> op) {
  return [c, operation, op](const HttpRequest& req) -> asio::awaitable<HttpResponse> {
    const auto auth = req.header("Authorization");
    HttpResponse r;
    if (auth.rfind("Bearer ", 0) != 0 || c->token.empty() ||
        !crypto::constant_time_equals(auth.substr(7), c->token)) {
      r = scim_error(401, "", "a bearer token is required");
      r.set_header("WWW-Authenticate", "Bearer");
    } else {
      auto running = op(req);  // named: GCC 12 and temporaries across co_await
      r = co_await std::move(running);
    }
    c->requests->with({operation, std::to_string(r.status)}).inc();
    co_return r;
  };
}
}  // namespace

void add_scim_routes(net::Router& router, std::string base_url, std::string token,
                     store::ScimStore& store, std::shared_ptr<Clock> clock,
                     metrics::Registry& registry) {
  auto c = std::make_shared<Context>(
      Context{std::move(base_url), std::move(token), store, std::move(clock),
              &registry.counter("mdmlab_scim_requests_total",
                                "SCIM Users requests, by operation and the status answered",
                                {"operation", "status"})});
  const std::string users = std::string(kScimBasePath) + "/Users";
  const std::string one = users + "/*";
  router.add("GET", users, guarded(c, "list", [c](const HttpRequest& r) { return list(c, r); }));
  router.add("POST", users,
             guarded(c, "create", [c](const HttpRequest& r) { return create(c, r); }));
  router.add("GET", one, guarded(c, "read", [c](const HttpRequest& r) { return read(c, r); }));
  router.add("PUT", one,
             guarded(c, "replace", [c](const HttpRequest& r) { return replace(c, r, false); }));
  router.add("PATCH", one,
             guarded(c, "patch", [c](const HttpRequest& r) { return replace(c, r, true); }));
  router.add("DELETE", one,
             guarded(c, "delete", [c](const HttpRequest& r) { return remove(c, r); }));
}

}  // namespace mdmlab::server::scim
