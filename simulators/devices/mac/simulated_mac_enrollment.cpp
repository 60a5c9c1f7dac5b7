// The simulated Mac's other ways in: Automated Device Enrollment (Setup Assistant asks Apple
// for its cloud configuration, then the server for its profile) and over-the-air enrollment
// (Profile Service, a throw-away identity, then the profile). Both end in enroll().
#include <nlohmann/json.hpp>

#include "crypto/ca.hpp"
#include "protocol/apple/machine_info.hpp"
#include "protocol/apple/profile_service.hpp"
#include "simulators/devices/mac/simulated_mac.hpp"

namespace mdmlab::simulators::mac {
namespace asio = boost::asio;

asio::awaitable<Result<void>> SimulatedMac::enroll_ade(std::string abm_device_url,
                                                       std::optional<web::WebSignIn> sign_in) {
  // 1. Apple: the cloud configuration for this serial.
  auto abm = net::Url::parse(abm_device_url);
  if (!abm) co_return fail(abm.error());
  net::HttpClient apple(executor_, abm->origin(), client_options());
  auto config = co_await apple.get("/device/v1/profile?serial=" +
                                   net::percent_encode(identity_.serial_number));
  if (!config) co_return fail(config.error());
  if (config->status != 200)
    co_return fail(make_error("ade_no_configuration", "Apple has no cloud configuration for " +
                                                          identity_.serial_number + " (" +
                                                          std::to_string(config->status) + ")"));
  auto parsed = nlohmann::json::parse(config->body, nullptr, false);
  if (!parsed.is_object() || !parsed.contains("url") || !parsed["url"].is_string())
    co_return fail(make_error("ade_bad_configuration", "the cloud configuration has no url"));
  cloud_configuration_ = config->body;
  const auto url_text = parsed["url"].get<std::string>();
  // Booleans only when they are booleans (a hostile ABM must not throw the Mac over).
  auto flag = [&](const char* key) {
    return parsed.contains(key) && parsed[key].is_boolean() && parsed[key].get<bool>();
  };
  const bool await = flag("await_device_configured");
  const bool supervised = flag("is_supervised");
  // 2. The enrollment URL gets the machine info, signed by the device's own identity (Apple's
  // device CA on a real Mac; a self-signed certificate for this Mac's key here).
  auto url = net::Url::parse(url_text);
  if (!url) co_return fail(url.error());
  auto device_cert =
      crypto::make_self_signed(key_, {{"CN", identity_.udid}, {"O", "mdmlab simulated device"}},
                               std::chrono::system_clock::now(), std::chrono::hours(24));
  if (!device_cert) co_return fail(device_cert.error());
  apple::MachineInfo info{identity_.udid,
                          identity_.serial_number,
                          identity_.model,
                          identity_.os_version,
                          "en-US",
                          "",
                          ""};
  auto signed_info = apple::encode_machine_info(info, *device_cert, key_);
  if (!signed_info) co_return fail(signed_info.error());
  // The configuration's anchor_certs (base64 DER) are what Setup Assistant trusts for the
  // enrollment URL's TLS.
  auto enroller_options = client_options();
  const auto web_url =
      parsed.contains("configuration_web_url") && parsed["configuration_web_url"].is_string()
          ? parsed["configuration_web_url"].get<std::string>()
          : std::string();
  if (url->scheme == "https" || web_url.rfind("https://", 0) == 0) {
    enroller_options.tls = net::TlsClientConfig{};
    if (parsed.contains("anchor_certs") && parsed["anchor_certs"].is_array())
      for (const auto& a : parsed["anchor_certs"]) {
        if (!a.is_string()) continue;
        auto der = base64_decode(a.get<std::string>());
        auto cert =
            der ? crypto::Certificate::from_der(*der) : Result<crypto::Certificate>(der.error());
        if (cert) enroller_options.tls->trusted_roots.push_back(*cert);
      }
  }
  if (!web_url.empty()) {
    // Authenticated ADE: Setup Assistant's web view signs the user in first.
    web::WebFlow flow{web_url,
                      {{"x-apple-aspen-deviceinfo", base64_encode(*signed_info)}},
                      enroller_options,
                      sign_in ? &*sign_in : nullptr,
                      "ade"};
    auto browsing = web::browse(executor_, std::move(flow));
    auto web = co_await std::move(browsing);
    if (!web) co_return fail(web.error());
    if (web->content_type.rfind(apple::kProfileContentType, 0) != 0)
      co_return fail(make_error("web_sign_in",
                                "the web flow ended in an answer that is not a "
                                "profile: " +
                                    web->content_type));
    if (sign_in) sso_user_ = sign_in->username;  // (the web flow refuses an empty one)
    responder_.set_awaiting_configuration(await);
    responder_.set_supervised(supervised);
    auto result = co_await enroll(std::move(web->body), false);
    co_return result;
  }
  net::HttpClient enroller(executor_, url->origin(), enroller_options);
  std::string body = mdmlab::to_string(*signed_info);
  std::string content_type = apple::kMachineInfoContentType;
  auto profile = co_await enroller.post(url->target, std::move(body), std::move(content_type));
  if (!profile) co_return fail(profile.error());
  if (profile->status != 200)
    co_return fail(make_error("profile_download",
                              "POST " + url_text + " answered " + std::to_string(profile->status)));
  responder_.set_awaiting_configuration(await);
  responder_.set_supervised(supervised);
  auto result = co_await enroll(std::move(profile->body), false);
  co_return result;
}

asio::awaitable<Result<std::string>> SimulatedMac::post_attributes(
    const std::string& url_text, const std::string& challenge, const crypto::Certificate& signer,
    const crypto::PrivateKey& key, int phase, const std::string& forge) {
  apple::MachineInfo info{identity_.udid,
                          identity_.serial_number,
                          identity_.model,
                          identity_.os_version,
                          "en-US",
                          "",
                          "",
                          challenge};
  auto signed_info = apple::encode_machine_info(info, signer, key);
  if (!signed_info) co_return signed_info.error();
  std::string body = mdmlab::to_string(*signed_info);
  if (forge == "signature") {
    // One byte of the signed plist changed after signing: the signature no longer verifies.
    const auto at = body.find("<string>" + identity_.serial_number + "</string>");
    if (at == std::string::npos) co_return make_error("forge", "no SERIAL to change");
    body[at + 8] = body[at + 8] == 'X' ? 'Y' : 'X';
  } else if (forge == "unsigned") {
    auto plain = apple::encode_machine_info_plist(info);
    if (!plain) co_return plain.error();
    body = std::move(*plain);
  } else if (!forge.empty()) {
    co_return make_error("bad_step", "forge is signature or unsigned, not " + forge);
  }
  ota_requests_[phase] = OtaRequest{url_text, body};
  auto answer = co_await post_ota(url_text, std::move(body));
  co_return answer;
}

asio::awaitable<Result<std::string>> SimulatedMac::post_ota(const std::string& url_text,
                                                            std::string body) {
  auto url = net::Url::parse(url_text);
  if (!url) co_return url.error();
  net::HttpClient http(executor_, url->origin(), client_options());
  std::string content_type = apple::kMachineInfoContentType;
  auto res = co_await http.post(url->target, std::move(body), std::move(content_type));
  if (!res) co_return res.error();
  if (res->status != 200)
    co_return make_error("profile_download", "POST " + url_text + " answered " +
                                                 std::to_string(res->status) + ": " + res->body);
  co_return std::move(res->body);
}

asio::awaitable<Result<void>> SimulatedMac::replay_ota(int phase) {
  auto it = ota_requests_.find(phase);
  if (it == ota_requests_.end())
    co_return make_error("bad_step", "this Mac sent no OTA phase " + std::to_string(phase));
  auto request = it->second;
  auto answer = co_await post_ota(request.url, std::move(request.body));
  if (!answer) co_return answer.error();
  co_return success();
}

asio::awaitable<Result<void>> SimulatedMac::enroll_ota(std::string profile_service_url,
                                                       std::optional<std::string> challenge,
                                                       std::string forge) {
  // 1. The Profile Service profile the user downloaded.
  auto url = net::Url::parse(profile_service_url);
  if (!url) co_return fail(url.error());
  net::HttpClient http(executor_, url->origin(), client_options());
  auto downloaded = co_await http.get(url->target);
  if (!downloaded) co_return fail(downloaded.error());
  if (downloaded->status != 200)
    co_return fail(make_error("profile_download", "GET " + profile_service_url + " answered " +
                                                      std::to_string(downloaded->status)));
  auto service = apple::decode_profile_service(downloaded->body);
  if (!service) co_return fail(service.error());
  if (challenge) service->challenge = *challenge;
  // 2. Phase 2: attributes signed by the device's own certificate (Apple's device identity on
  // a real Mac; self-signed here). The answer holds the throw-away identity's SCEP payload.
  auto own_key = key_;
  auto device_cert =
      crypto::make_self_signed(own_key, {{"CN", identity_.udid}, {"O", "mdmlab simulated device"}},
                               std::chrono::system_clock::now(), std::chrono::hours(24));
  if (!device_cert) co_return fail(device_cert.error());
  auto phase2 =
      co_await post_attributes(service->url, service->challenge, *device_cert, own_key, 2, forge);
  if (!phase2) co_return fail(phase2.error());
  apple::ProfileFault fault;
  auto identity_profile = apple::decode_profile(*phase2, &fault);
  if (!identity_profile) co_return fail_install(fault, identity_profile.error());
  if (!identity_profile->scep)
    co_return fail(make_error("ota_no_identity", "the phase 2 answer has no SCEP payload"));
  // The throw-away identity gets a key of its own, so the final enrollment's SCEP request
  // (with the Mac's key) is a new one rather than a resend of this.
  auto throwaway_key =
      crypto::PrivateKey::generate_rsa(static_cast<int>(identity_profile->scep->key_size));
  if (!throwaway_key) co_return fail(throwaway_key.error());
  key_ = *throwaway_key;
  const auto own_cert = certificate_;
  auto issued = co_await install_scep_identity(*identity_profile->scep);
  const auto throwaway_cert = certificate_;
  const auto throwaway = key_;
  // The throw-away identity only signs phase 3; the Mac's own key and certificate come back.
  key_ = own_key;
  certificate_ = own_cert;
  if (!issued) co_return issued;
  // 3. Phase 3: the same attributes signed by the throw-away identity; the answer is the
  // enrollment profile.
  auto phase3 =
      co_await post_attributes(service->url, service->challenge, throwaway_cert, throwaway, 3);
  if (!phase3) co_return fail(phase3.error());
  auto result = co_await enroll(std::move(*phase3), false);
  co_return result;
}

}  // namespace mdmlab::simulators::mac
