// Authenticated ADE on the reference server, against the Entra simulator over loopback: the
// sign-in starts only from Setup Assistant (signed device info), the IdP's answer comes back
// once (state single-use), the ID token is checked before the profile is given, the user is
// recorded for the device, and the IdP's refusals and absence are answered 403 and 502.
#include <boost/test/unit_test.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_future.hpp>

#include <filesystem>

#include "core/net/http_client.hpp"
#include "core/net/io_runtime.hpp"
#include "crypto/ca.hpp"
#include "crypto/init.hpp"
#include "protocol/apple/machine_info.hpp"
#include "protocol/entra/oauth_form.hpp"
#include "server/reference_server.hpp"
#include "simulators/devices/web/web_browser.hpp"
#include "simulators/services/entra/entra_simulator.hpp"
#include "tests/support/process.hpp"

using namespace mdmlab;
using namespace mdmlab::testing;

namespace {
struct SsoFixture {
  std::string dir = make_temp_dir("mdmlab-sso-");
  std::shared_ptr<VirtualClock> clock = std::make_shared<VirtualClock>();
  net::IoRuntime io{2};
  simulators::entra::EntraSimulator entra{io, {}, clock};
  std::unique_ptr<server::ReferenceServer> server;
  std::string tenant, client_id;
  crypto::PrivateKey device_key = crypto::PrivateKey::generate_ec_p256().value();

  SsoFixture() {
    crypto::init_openssl();
    BOOST_REQUIRE(entra.start().ok());
    tenant = entra.state().add_tenant("contoso.example", "Contoso").id;
    auto app = entra.state().add_app(tenant, {}).value();
    client_id = app.client_id;
    simulators::entra::EntraUser ada;
    ada.upn = "ada@contoso.example";
    ada.password = "pw-ada";
    ada.display_name = "Ada Lovelace";
    BOOST_REQUIRE(entra.state().add_user(tenant, ada));
    server::ReferenceServerConfig cfg;
    cfg.data_dir = dir;
    cfg.admin_token = "sso-admin";
    cfg.ade_sso = server::AdeSsoSettings{
        entra.authority(tenant), app.client_id, app.client_secret, {entra.ca_certificate()}};
    server = std::make_unique<server::ReferenceServer>(io, cfg, clock);
    BOOST_REQUIRE(server->start().ok());
    entra.state().add_redirect_uri(tenant, client_id, server->ade_sso_redirect_uri());
  }
  ~SsoFixture() {
    server->stop();
    entra.stop();
    io.stop();
    std::filesystem::remove_all(dir);
  }
  template <typename T>
  T run(boost::asio::awaitable<T> aw) {
    return boost::asio::co_spawn(io.executor(), std::move(aw), boost::asio::use_future).get();
  }
  std::string device_info(const std::string& udid) {
    auto cert =
        crypto::make_self_signed(device_key, {{"CN", udid}}, clock->now(), std::chrono::hours(1))
            .value();
    apple::MachineInfo info{udid, "C02SSO" + udid.substr(0, 4), "Mac15,3", "14.6", "en-US", "", ""};
    return base64_encode(apple::encode_machine_info(info, cert, device_key).value());
  }
  net::HttpResponse get(const std::string& url_text, const std::string& device_info = {}) {
    auto url = net::Url::parse(url_text).value();
    net::HttpClientOptions o;
    o.tls = net::TlsClientConfig{};
    o.tls->trusted_roots = {entra.ca_certificate()};
    net::HttpClient http(io.executor(), url.origin(), o);
    net::HttpRequest req;
    req.target = url.target;
    if (!device_info.empty()) req.headers.emplace_back("x-apple-aspen-deviceinfo", device_info);
    return run(http.send(req)).value();
  }
  // Starts a sign-in and signs in at the IdP: the callback URL the IdP redirects to.
  std::string signed_in_callback(const std::string& udid, const std::string& password) {
    auto start = get(server->http_url() + "/api/mdm/apple/ade/sso", device_info(udid));
    BOOST_REQUIRE_MESSAGE(start.status == 302, start.body);
    auto page = get(start.header("Location"));
    auto form = simulators::web::parse_sign_in_page(page.body).value();
    entra::FormParams fields(form.hidden.begin(), form.hidden.end());
    fields["login"] = "ada@contoso.example";
    fields["passwd"] = password;
    auto url = net::Url::parse(start.header("Location")).value();
    net::HttpClientOptions o;
    o.tls = net::TlsClientConfig{};
    o.tls->trusted_roots = {entra.ca_certificate()};
    net::HttpClient http(io.executor(), url.origin(), o);
    auto posted =
        run(http.post(form.action, entra::encode_form(fields), "application/x-www-form-urlencoded"))
            .value();
    if (posted.status != 302) return {};
    return posted.header("Location");
  }
};
}  // namespace

BOOST_AUTO_TEST_SUITE(ade_sso)

BOOST_AUTO_TEST_CASE(a_signed_in_user_gets_the_profile_once_and_is_recorded) {
  SsoFixture f;
  auto callback = f.signed_in_callback("UDID-SSO-1", "pw-ada");
  BOOST_REQUIRE(callback.rfind(f.server->ade_sso_redirect_uri(), 0) == 0);
  // The redirect URI names the HTTPS listener when there is one; here plain HTTP serves it.
  auto profile = f.get(callback);
  BOOST_TEST(profile.status == 200, profile.body);
  BOOST_TEST(profile.header("Content-Type").rfind("application/x-apple-aspen-config", 0) == 0);
  auto user = f.run(f.server->apple_store().idp_user("UDID-SSO-1")).value();
  BOOST_REQUIRE(user.has_value());
  BOOST_TEST(user->username == "ada@contoso.example");
  BOOST_TEST(user->name == "Ada Lovelace");
  BOOST_TEST(user->tenant == f.tenant);
  // The same answer from the IdP again: the state was used.
  BOOST_TEST(f.get(callback).status == 400);
  auto metrics = f.server->metrics().render();
  BOOST_TEST(metrics.find("mdmlab_ade_sso_total{step=\"callback\",result=\"enrolled\"} 1") !=
                 std::string::npos,
             metrics);
  BOOST_TEST(metrics.find("mdmlab_ade_sso_total{step=\"callback\",result=\"unknown_state\"} 1") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(sign_ins_start_from_setup_assistant_and_refusals_get_no_profile) {
  SsoFixture f;
  const auto sso = f.server->http_url() + "/api/mdm/apple/ade/sso";
  BOOST_TEST(f.get(sso).status == 400);                  // no device info
  BOOST_TEST(f.get(sso, "bm90IGRlcg==").status == 400);  // not signed machine info
  BOOST_TEST(
      f.get(f.server->http_url() + "/api/mdm/apple/ade/sso/callback?code=x&state=forged").status ==
      400);
  // A wrong password: the IdP shows its page again, no code reaches the server.
  BOOST_TEST(f.signed_in_callback("UDID-SSO-2", "wrong").empty());
  // The IdP's error for a started sign-in: 403, and the state is gone.
  auto start = f.get(sso, f.device_info("UDID-SSO-3"));
  auto location = start.header("Location");
  auto query = entra::parse_form(location.substr(location.find('?') + 1)).value();
  const auto denied = f.server->ade_sso_redirect_uri() +
                      "?error=access_denied&state=" + net::percent_encode(query["state"]);
  auto local = denied.substr(denied.find("/api/"));
  BOOST_TEST(f.get(f.server->http_url() + local).status == 403);
  BOOST_TEST(f.get(f.server->http_url() + local).status == 400);
  BOOST_TEST(!f.run(f.server->apple_store().idp_user("UDID-SSO-3")).value().has_value());
  // The IdP gone after the browser left it (discovery is cached): redeeming the code fails,
  // 502, nothing recorded.
  f.entra.stop();
  auto gone = f.get(sso, f.device_info("UDID-SSO-4"));
  BOOST_REQUIRE(gone.status == 302);
  auto gone_location = gone.header("Location");
  auto gone_query = entra::parse_form(gone_location.substr(gone_location.find('?') + 1)).value();
  BOOST_TEST(f.get(f.server->http_url() + "/api/mdm/apple/ade/sso/callback?code=c&state=" +
                   net::percent_encode(gone_query["state"]))
                 .status == 502);
  BOOST_TEST(!f.run(f.server->apple_store().idp_user("UDID-SSO-4")).value().has_value());
}

BOOST_AUTO_TEST_SUITE_END()
