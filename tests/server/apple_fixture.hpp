// The reference server over HTTPS (mTLS device identities from its own SCEP) and helpers to
// drive the Apple check-in and command loop with raw plists.
#pragma once

#include <nlohmann/json.hpp>

#include "protocol/apple/checkin.hpp"
#include "protocol/apple/command.hpp"
#include "tests/server/scep_fixture.hpp"

namespace mdmlab::testing {

struct Device {
  std::string udid;
  crypto::PrivateKey key;
  crypto::Certificate cert;
};

struct AppleFixture : ScepServerFixture {
  explicit AppleFixture(server::apple::CertBindingPolicy policy = {})
      : ScepServerFixture([policy](server::ReferenceServerConfig& cfg) {
          cfg.https_port = 0;
          cfg.cert_binding = policy;
        }) {}

  Device enroll_identity(std::size_t key_index, const std::string& udid) {
    auto c = client();
    auto r = enroll(c, request(key_index, udid)).value();
    BOOST_REQUIRE((r.status == mdmlab::scep::PkiStatus::success));
    return {udid, test_key_pool().get(key_index).value(), r.certificate};
  }

  net::HttpClient device_client(const Device* d) {
    net::HttpClientOptions o;
    o.tls = net::TlsClientConfig{};
    o.tls->trusted_roots = {server->ca().certificate()};
    if (d) {
      o.tls->client_certificate = d->cert;
      o.tls->client_key = d->key;
    }
    return net::HttpClient(io.executor(), server->https_url(), o);
  }

  net::HttpResponse put(net::HttpClient& http, const std::string& content_type,
                        const std::string& body, std::string extra_header = {},
                        std::string extra_value = {}) {
    net::HttpRequest req;
    req.method = "PUT";
    req.target = "/mdm/apple/mdm";
    req.headers.emplace_back("Content-Type", content_type);
    if (!extra_header.empty()) req.headers.emplace_back(extra_header, extra_value);
    req.body = body;
    return run(http.send(req)).value();
  }

  int checkin(net::HttpClient& http, const apple::Checkin& c) {
    return put(http, apple::kCheckinContentType, apple::encode_checkin(c).value()).status;
  }

  net::HttpResponse report(net::HttpClient& http, const std::string& udid,
                           apple::CommandStatus status, const std::string& uuid = "",
                           plist::Value fields = {}) {
    apple::CommandReport r{status, udid, "", uuid, {}, {}};
    if (status == apple::CommandStatus::error)
      r.error_chain.push_back({12021, "MCMDMErrorDomain", "Unknown command", ""});
    return put(http, apple::kCommandContentType, apple::encode_command_report(r, fields).value());
  }

  apple::Checkin authenticate(const std::string& udid) {
    apple::Checkin c;
    c.type = apple::CheckinType::authenticate;
    c.udid = udid;
    c.topic = "com.apple.mgmt.External.mdmlab";
    c.serial_number = "SN-" + udid;
    c.model = "Mac14,2";
    c.os_version = "14.5";
    return c;
  }

  apple::Checkin token_update(const std::string& udid) {
    apple::Checkin c;
    c.type = apple::CheckinType::token_update;
    c.udid = udid;
    c.topic = "com.apple.mgmt.External.mdmlab";
    c.token = Bytes(32, 0x42);
    c.push_magic = "MAGIC-" + udid;
    return c;
  }

  std::string enqueue(const std::vector<std::string>& udids, const std::string& request_type,
                      int priority = 0) {
    net::HttpClient http(io.executor(), server->http_url());
    net::HttpRequest req;
    req.method = "POST";
    req.target = "/admin/v1/apple/commands";
    req.headers = {{"Authorization", "Bearer " + admin_token},
                   {"Content-Type", "application/json"}};
    req.body = nlohmann::json{
        {"udids", udids},
        {"command", {{"RequestType", request_type}}},
        {"priority",
         priority}}.dump();
    auto res = run(http.send(req)).value();
    BOOST_REQUIRE_MESSAGE(res.status == 201, res.body);
    return nlohmann::json::parse(res.body)["command_uuid"].get<std::string>();
  }

  std::string command_in(const net::HttpResponse& res) {
    if (res.body.empty()) return {};
    auto c = apple::decode_command(res.body);
    return c ? c->command_uuid : "unparsable";
  }
};

}  // namespace mdmlab::testing
