#include "server/admin/scep_admin_routes.hpp"

#include <nlohmann/json.hpp>

#include "server/admin/bearer_auth.hpp"
#include "server/admin/json_responses.hpp"

namespace mdmlab::server::admin {
namespace asio = boost::asio;
using net::HttpRequest;
using net::HttpResponse;
using nlohmann::json;

namespace {
json to_json(const store::ScepTransaction& tx) {
  return {{"transaction_id", tx.transaction_id},
          {"message_type", tx.message_type},
          {"subject", tx.subject},
          {"status", store::to_string(tx.status)},
          {"certificate_serial", tx.certificate_serial},
          {"created_at", unix_seconds(tx.created_at)},
          {"updated_at", unix_seconds(tx.updated_at)}};
}

}  // namespace

void add_scep_admin_routes(net::Router& router, scep::ScepAuthority& authority,
                           store::ScepStore& store, const std::string& token) {
  router.add(
      "GET", "/admin/v1/scep/transactions",
      require_bearer(token, [&store](const HttpRequest& req) -> asio::awaitable<HttpResponse> {
        std::optional<store::ScepTransactionStatus> status;
        if (auto s = req.query_param("status")) {
          status = store::scep_status_from(*s);
          if (!status)
            co_return json_error(400, "bad_status", "status must be pending, issued or rejected");
        }
        auto list = co_await store.list_transactions(status);
        if (!list) co_return store_failure(list.error());
        json out = json::array();
        for (const auto& tx : *list) out.push_back(to_json(tx));
        co_return HttpResponse::json(
            200, json{{"transactions", out}}.dump(-1, ' ', false, json::error_handler_t::replace));
      }));
  router.add(
      "POST", "/admin/v1/scep/transactions/*",
      require_bearer(
          token, [&authority, &store](const HttpRequest& req) -> asio::awaitable<HttpResponse> {
            const std::string prefix = "/admin/v1/scep/transactions/";
            // Split on the raw target so an encoded '/' inside the id stays inside the id.
            auto raw = req.target.substr(0, req.target.find('?'));
            // The route also matches the bare collection path (and percent-encoded spellings
            // of the prefix): anything that does not start with the prefix names nothing.
            if (raw.compare(0, prefix.size(), prefix) != 0)
              co_return json_error(404, "not_found", "expected <id>/approve or <id>/reject");
            auto rest = raw.substr(prefix.size());
            auto slash = rest.rfind('/');
            if (slash == std::string::npos)
              co_return json_error(404, "not_found", "expected <id>/approve or <id>/reject");
            auto id = net::percent_decode(rest.substr(0, slash));
            auto action = rest.substr(slash + 1);
            if (!id || id->empty())
              co_return json_error(400, "bad_id", "transaction id is not percent-encoded properly");
            if (action != "approve" && action != "reject")
              co_return json_error(404, "not_found", "unknown action");
            auto found = co_await store.find_transaction(*id);
            if (!found) co_return store_failure(found.error());
            const auto& tx = *found;
            if (!tx) co_return json_error(404, "not_found", "no such transaction");
            if (tx->status != store::ScepTransactionStatus::pending)
              co_return json_error(409, "not_pending",
                                   "transaction is already " + store::to_string(tx->status));
            Result<bool> done;
            if (action == "approve")
              done = co_await authority.approve(*id);
            else
              done = co_await authority.reject(*id);
            if (!done && store::is_store_unavailable(done.error()))
              co_return store_failure(done.error());
            if (!done) co_return json_error(500, "issue_failed", done.error().message);
            if (!*done)
              co_return json_error(409, "not_pending", "transaction was decided concurrently");
            auto updated = co_await store.find_transaction(*id);
            if (!updated || !*updated) {
              // Decided and stored, only not readable back just now: the decision stands.
              json decided{{"transaction_id", *id},
                           {"status", action == "approve" ? "issued" : "rejected"}};
              co_return json_answer(200, decided);
            }
            co_return HttpResponse::json(
                200, to_json(**updated).dump(-1, ' ', false, json::error_handler_t::replace));
          }));
}

}  // namespace mdmlab::server::admin
