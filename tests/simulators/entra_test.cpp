// The Entra simulator against clients we did not write: tests/interop/entra/msal_client.py runs
// Microsoft's MSAL for Python (client credentials; authorization code with PKCE through the
// sign-in page; refresh) and checks every token's signature with PyJWT against our JWKS. Wrong
// secrets, wrong passwords, replayed codes, wrong PKCE verifiers and reused refresh tokens are
// refused with Entra's errors.
#include <boost/test/unit_test.hpp>

#include <nlohmann/json.hpp>

#include <filesystem>

#include <boost/asio/any_io_executor.hpp>

#include "core/net/io_runtime.hpp"
#include "crypto/init.hpp"
#include "simulators/services/entra/entra_simulator.hpp"
#include "tests/support/process.hpp"

using namespace mdmlab;
using namespace mdmlab::testing;
using nlohmann::json;

BOOST_AUTO_TEST_SUITE(entra_simulator)

BOOST_AUTO_TEST_CASE(msal_and_pyjwt_accept_our_tokens_and_every_misuse_is_refused) {
  crypto::init_openssl();
  const auto dir = make_temp_dir("mdmlab-entra-");
  net::IoRuntime io(2);
  simulators::entra::EntraSimulatorConfig cfg;
  cfg.data_dir = dir;
  simulators::entra::EntraSimulator sim(io, cfg);
  BOOST_REQUIRE(sim.start().ok());
  BOOST_TEST(std::filesystem::exists(dir + "/entra-ca.pem"));
  auto tenant = sim.state().add_tenant("contoso.example", "Contoso");
  simulators::entra::EntraApp app;
  app.name = "mdmlab";
  app.redirect_uris = {"https://mdm.example/sso/callback"};
  auto registered = sim.state().add_app(tenant.id, app).value();
  simulators::entra::EntraUser user;
  user.upn = "ada@contoso.example";
  user.password = "correct horse";
  BOOST_REQUIRE(sim.state().add_user(tenant.id, user));

  auto r = run_command("/usr/bin/python3 " + std::string(MDMLAB_SOURCE_DIR) +
                       "/tests/interop/entra/msal_client.py " + sim.authority(tenant.id) + " " +
                       registered.client_id + " '" + registered.client_secret + "' " + dir +
                       "/entra-ca.pem https://mdm.example/sso/callback ada@contoso.example "
                       "'correct horse'");
  BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.output);
  auto out = json::parse(r.output.substr(
      r.output.rfind("\n{") == std::string::npos ? r.output.find('{') : r.output.rfind("\n{") + 1));
  BOOST_TEST(out["client_credentials"] == true, out.dump());
  BOOST_TEST(out["client_credentials_appid"] == registered.client_id);
  BOOST_TEST(out["wrong_secret_error"] == "invalid_client");
  BOOST_TEST(out["wrong_password_status"] == 200);
  BOOST_TEST(out["wrong_password_error"] == "AADSTS50126:");
  BOOST_TEST(out["sign_in_status"] == 302);
  BOOST_TEST(out["redirected_to_redirect_uri"] == true);
  BOOST_TEST(out["state_returned"] == true);
  BOOST_TEST(out["auth_code_error"].is_null(), out.dump());
  BOOST_TEST(out["id_token_upn"] == "ada@contoso.example");
  BOOST_TEST(out["id_token_nonce_matches"] == true);
  BOOST_TEST(out["has_refresh_token"] == true);
  BOOST_TEST(out["code_replay_error"] == "invalid_grant");
  BOOST_TEST(out["pkce_mismatch_error"] == "invalid_grant");
  BOOST_TEST(out["refresh_ok"] == true);
  BOOST_TEST(out["refresh_reuse_error"] == "invalid_grant");

  auto metrics = sim.metrics().render();
  BOOST_TEST(metrics.find("mdmlab_entra_sim_tokens_total{result=\"invalid_client\"} 1") !=
                 std::string::npos,
             metrics);
  sim.stop();
  io.stop();
  std::filesystem::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(an_unregistered_redirect_uri_is_never_redirected_to) {
  crypto::init_openssl();
  net::IoRuntime io(2);
  simulators::entra::EntraSimulator sim(io, {});
  BOOST_REQUIRE(sim.start().ok());
  auto tenant = sim.state().add_tenant("fabrikam.example", "Fabrikam");
  simulators::entra::EntraApp app;
  app.redirect_uris = {"https://mdm.example/cb"};
  auto registered = sim.state().add_app(tenant.id, app).value();
  const auto authorize =
      sim.url() + "/" + tenant.id +
      "/oauth2/v2.0/authorize?response_type=code&client_id=" + registered.client_id;
  auto evil = run_command("curl -sk -o /dev/null -w '%{http_code} %{redirect_url}' '" + authorize +
                          "&redirect_uri=https%3A%2F%2Fevil.example%2Fcb&state=s'");
  BOOST_TEST(evil.output == "400 ", evil.output);
  auto unknown =
      run_command("curl -sk -o /dev/null -w '%{http_code}' '" + sim.url() + "/" + tenant.id +
                  "/oauth2/v2.0/authorize?response_type=code&client_id="
                  "nope&redirect_uri=https%3A%2F%2Fmdm.example%2Fcb'");
  BOOST_TEST(unknown.output == "400");
  // A registered URI with a bad response_type: the error goes back there, with the state.
  auto bad_type =
      run_command("curl -sk -o /dev/null -w '%{redirect_url}' '" + sim.url() + "/" + tenant.id +
                  "/oauth2/v2.0/authorize?response_type=token&client_id=" + registered.client_id +
                  "&redirect_uri=https%3A%2F%2Fmdm.example%2Fcb&state=s1'");
  BOOST_TEST(bad_type.output.starts_with("https://mdm.example/cb?"), bad_type.output);
  BOOST_TEST(bad_type.output.find("error=unsupported_response_type") != std::string::npos);
  BOOST_TEST(bad_type.output.find("state=s1") != std::string::npos);
  auto token_type = run_command(
      "curl -sk -o /dev/null -w '%{http_code}' -X POST -H "
      "'Content-Type: application/json' -d '{}' " +
      sim.url() + "/" + tenant.id + "/oauth2/v2.0/token");
  BOOST_TEST(token_type.output == "400");
  auto dup = run_command(
      "curl -sk -w ' %{http_code}' -X POST -d "
      "'grant_type=client_credentials&grant_type=client_credentials' " +
      sim.url() + "/" + tenant.id + "/oauth2/v2.0/token");
  BOOST_TEST(dup.output.find("invalid_request") != std::string::npos, dup.output);
  BOOST_TEST(dup.output.ends_with(" 400"), dup.output);
  sim.stop();
  io.stop();
}

BOOST_AUTO_TEST_SUITE_END()
