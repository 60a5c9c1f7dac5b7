#include "server/admin/ddm_admin_routes.hpp"

#include <nlohmann/json.hpp>

#include "server/admin/bearer_auth.hpp"
#include "server/admin/json_request.hpp"
#include "server/admin/json_responses.hpp"

namespace mdmlab::server::admin {
namespace asio = boost::asio;
namespace wire = mdmlab::apple::ddm;
using net::HttpRequest;
using net::HttpResponse;
using nlohmann::json;

namespace {
constexpr std::string_view kPrefix = "/admin/v1/apple/ddm/";

// The path's segments after /admin/v1/apple/ddm/.
std::vector<std::string> segments(const HttpRequest& req) {
  std::vector<std::string> out;
  const auto path = req.path();
  std::string_view rest = std::string_view(path).substr(kPrefix.size());
  while (!rest.empty()) {
    auto slash = rest.find('/');
    out.emplace_back(rest.substr(0, slash));
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }
  return out;
}

// Names (sets, enrollment ids, identifiers) are printable ASCII without '/', 1..256 long.
bool good_name(const std::string& s) {
  if (s.empty() || s.size() > 256) return false;
  for (unsigned char c : s)
    if (c < 0x21 || c > 0x7e || c == '/') return false;
  return true;
}

bool wants_notify(const HttpRequest& req) {
  return req.query_param("notify").value_or("") != "false";
}

json to_json(const store::DdmDeclarationStatus& s) {
  return {{"identifier", s.identifier},
          {"kind", s.kind},
          {"active", s.active},
          {"valid", s.valid},
          {"server_token", s.server_token},
          {"reasons", s.reasons},
          {"updated_at", unix_seconds(s.updated_at)}};
}

// Queues DeclarativeManagement for `ids` when asked; the answer's "notified" count, or the
// store's failure.
asio::awaitable<Result<int>> maybe_notify(apple::ddm::DdmService& ddm, const HttpRequest& req,
                                          Result<std::vector<std::string>> ids) {
  if (!ids) co_return ids.error();
  if (!wants_notify(req) || ids->empty()) co_return 0;
  co_return co_await ddm.notify(std::move(*ids));
}
}  // namespace

void add_ddm_admin_routes(net::Router& router, apple::ddm::DdmService& ddm, store::DdmStore& store,
                          const std::string& token) {
  router.add("GET", "/admin/v1/apple/ddm/declarations",
             require_bearer(token, [&store](const HttpRequest&) -> asio::awaitable<HttpResponse> {
               auto all = co_await store.declarations();
               if (!all) co_return store_failure(all.error());
               json out = json::array();
               for (const auto& d : *all) out.push_back(wire::to_json(d));
               co_return json_answer(200, json{{"declarations", out}});
             }));

  router.add("PUT", "/admin/v1/apple/ddm/declarations",
             require_bearer(token, [&](const HttpRequest& req) -> asio::awaitable<HttpResponse> {
               json body;
               if (auto refusal = read_json_object(req, body)) co_return std::move(*refusal);
               auto d = wire::declaration_from_json(body);
               if (!d) co_return json_error(400, d.error().code, d.error().message);
               if (!good_name(d->identifier))
                 co_return json_error(400, "bad_declaration", "Identifier must be printable ASCII");
               d->server_token = wire::content_token(*d);
               auto changed = co_await store.put_declaration(*d);
               if (!changed) co_return store_failure(changed.error());
               int notified = 0;
               if (*changed) {
                 auto ids = co_await store.enrollments_with(d->identifier);
                 auto n = co_await maybe_notify(ddm, req, std::move(ids));
                 if (!n) co_return store_failure(n.error());
                 notified = *n;
               }
               co_return json_answer(200, json{{"identifier", d->identifier},
                                               {"server_token", d->server_token},
                                               {"changed", *changed},
                                               {"notified", notified}});
             }));

  router.add("DELETE", "/admin/v1/apple/ddm/declarations/*",
             require_bearer(token, [&](const HttpRequest& req) -> asio::awaitable<HttpResponse> {
               auto parts = segments(req);
               if (parts.size() != 2 || !good_name(parts[1]))
                 co_return json_error(400, "bad_request", "DELETE declarations/<identifier>");
               auto ids = co_await store.enrollments_with(parts[1]);
               if (!ids) co_return store_failure(ids.error());
               auto deleted = co_await store.delete_declaration(parts[1]);
               if (!deleted) co_return store_failure(deleted.error());
               if (!*deleted) co_return json_error(404, "not_found", "no such declaration");
               auto n = co_await maybe_notify(ddm, req, std::move(ids));
               if (!n) co_return store_failure(n.error());
               co_return json_answer(200, json{{"identifier", parts[1]}, {"notified", *n}});
             }));

  // sets/<set>/declarations/<id>, PUT adds and DELETE removes.
  auto set_member = [&](bool member) {
    return require_bearer(
        token, [&, member](const HttpRequest& req) -> asio::awaitable<HttpResponse> {
          auto parts = segments(req);
          if (parts.size() != 4 || parts[2] != "declarations" || !good_name(parts[1]) ||
              !good_name(parts[3]))
            co_return json_error(400, "bad_request", "sets/<set>/declarations/<identifier>");
          auto ok = co_await store.set_set_member(parts[1], parts[3], member);
          if (!ok) co_return store_failure(ok.error());
          if (!*ok) co_return json_error(404, "not_found", "no such declaration");
          auto ids = co_await store.enrollments_in_set(parts[1]);
          auto n = co_await maybe_notify(ddm, req, std::move(ids));
          if (!n) co_return store_failure(n.error());
          co_return json_answer(200, json{{"set", parts[1]},
                                          {"identifier", parts[3]},
                                          {"member", member},
                                          {"notified", *n}});
        });
  };
  router.add("PUT", "/admin/v1/apple/ddm/sets/*", set_member(true));
  router.add("DELETE", "/admin/v1/apple/ddm/sets/*", set_member(false));

  // enrollments/<id>/sets/<set> (PUT, DELETE); enrollments/<id>/status|declarations (GET).
  auto enrollment_set = [&](bool member) {
    return require_bearer(
        token, [&, member](const HttpRequest& req) -> asio::awaitable<HttpResponse> {
          auto parts = segments(req);
          if (parts.size() != 4 || parts[2] != "sets" || !good_name(parts[1]) ||
              !good_name(parts[3]))
            co_return json_error(400, "bad_request", "enrollments/<enrollment>/sets/<set>");
          auto ok = co_await store.set_enrollment_set(parts[1], parts[3], member);
          if (!ok) co_return store_failure(ok.error());
          std::vector<std::string> one = {parts[1]};
          auto n = co_await maybe_notify(ddm, req, std::move(one));
          if (!n) co_return store_failure(n.error());
          co_return json_answer(200, json{{"enrollment_id", parts[1]},
                                          {"set", parts[3]},
                                          {"member", member},
                                          {"notified", *n}});
        });
  };
  router.add("PUT", "/admin/v1/apple/ddm/enrollments/*", enrollment_set(true));
  router.add("DELETE", "/admin/v1/apple/ddm/enrollments/*", enrollment_set(false));
  router.add(
      "GET", "/admin/v1/apple/ddm/enrollments/*",
      require_bearer(token, [&store](const HttpRequest& req) -> asio::awaitable<HttpResponse> {
        auto parts = segments(req);
        if (parts.size() != 3 || !good_name(parts[1]) ||
            (parts[2] != "status" && parts[2] != "declarations"))
          co_return json_error(404, "not_found", "enrollments/<enrollment>/status|declarations");
        if (parts[2] == "declarations") {
          auto decls = co_await store.declarations_for(parts[1]);
          if (!decls) co_return store_failure(decls.error());
          json out = json::array();
          for (const auto& d : *decls) out.push_back(wire::to_json(d));
          co_return json_answer(200, json{{"enrollment_id", parts[1]},
                                          {"declarations_token", wire::declarations_token(*decls)},
                                          {"declarations", out}});
        }
        auto view = co_await store.ddm_status(parts[1]);
        if (!view) co_return store_failure(view.error());
        json decls = json::array(), errors = json::array();
        for (const auto& s : view->declarations) decls.push_back(to_json(s));
        for (const auto& e : view->errors)
          errors.push_back({{"error", e.error}, {"at", unix_seconds(e.at)}});
        co_return json_answer(
            200, json{{"enrollment_id", parts[1]}, {"declarations", decls}, {"errors", errors}});
      }));
}

}  // namespace mdmlab::server::admin
