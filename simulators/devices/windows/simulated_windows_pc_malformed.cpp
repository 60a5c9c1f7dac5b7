// The simulated PC sending what no Windows client sends, so that a scenario can check the server
// answers it with the protocol's own error (an MS-MDE2 SOAP fault; an HTTP 4xx or a SyncML
// refusal of the SyncHdr) and goes on serving.
#include "protocol/windows/discovery.hpp"
#include "protocol/windows/soap.hpp"
#include "protocol/windows/syncml.hpp"
#include "simulators/devices/windows/simulated_windows_pc.hpp"

namespace mdmlab::simulators::windows_pc {
namespace asio = boost::asio;
namespace soap = mdmlab::windows::soap;
namespace syncml = mdmlab::windows::syncml;
namespace discovery = mdmlab::windows::discovery;

namespace {
Error accepted(const std::string& what, int status) {
  return make_error("windows_malformed_accepted",
                    "the server took " + what + " (HTTP " + std::to_string(status) + ")");
}
}  // namespace

asio::awaitable<Result<std::string>> SimulatedWindowsPc::send_malformed(std::string discovery_url,
                                                                        std::string where,
                                                                        std::string kind) {
  if (where == "discovery") {
    discovery::DiscoverRequest d{identity_.upn.value_or(""), "4.0",
                                 "CIMClient_Windows",        identity_.os_version,
                                 identity_.os_edition,       {"OnPremise"}};
    const auto valid = write_request(discovery::kDiscoverAction, new_message_id(), discovery_url,
                                     discovery::encode_discover(d));
    std::string body;
    if (kind == "not_xml")
      body = "Discover me, please";
    else if (kind == "truncated")
      body = valid.substr(0, valid.size() / 2);
    else if (kind == "wrong_action")
      body = write_request(
          "http://schemas.microsoft.com/windows/pki/2009/01/enrollmentpolicy/"
          "IPolicy/GetPolicies",
          new_message_id(), discovery_url, discovery::encode_discover(d));
    else
      co_return make_error("bad_step", "kind is not_xml, truncated or wrong_action");
    auto url = net::Url::parse(discovery_url);
    if (!url) co_return url.error();
    net::HttpClient http(executor_, url->origin(), enrollment_options(url->scheme));
    net::HttpRequest req;
    req.method = "POST";
    req.target = url->target;
    req.headers.emplace_back("Content-Type", soap::kContentType);
    req.body = std::move(body);
    auto sending = http.send(std::move(req));
    auto res = co_await std::move(sending);
    if (!res) co_return res.error();
    if (res->status < 400) co_return accepted("a " + kind + " Discover", res->status);
    auto fault = soap::parse_fault(res->body);
    if (!fault || res->status >= 500)
      co_return make_error("windows_malformed_bad_refusal", "HTTP " + std::to_string(res->status) +
                                                                " without an MS-MDE2 SOAP fault");
    co_return fault->subcode;
  }
  if (where != "management") co_return make_error("bad_step", "to is discovery or management");
  if (state_ != WindowsState::enrolled || !management_)
    co_return make_error("not_enrolled", "the PC has not enrolled");
  DmSession session(csp_, "FF", identity_.device_id, management_url_);
  auto opening = session.opening(identity_.upn ? "user" : "others");
  if (kind == "wrong_device") opening.header.source = "0000000000000000000000000000BEEF";
  auto valid = syncml::serialize(opening);
  if (!valid) co_return valid.error();
  std::string body;
  if (kind == "not_xml")
    body = "SyncML? Not today.";
  else if (kind == "truncated")
    body = valid->substr(0, valid->size() / 2);
  else if (kind == "wrong_device")
    body = *valid;
  else
    co_return make_error("bad_step", "kind is not_xml, truncated or wrong_device");
  auto posting = post_management(std::move(body));
  auto res = co_await std::move(posting);
  if (!res) co_return res.error();
  if (res->status >= 500)
    co_return make_error("windows_malformed_bad_refusal", "HTTP " + std::to_string(res->status));
  if (res->status >= 400) co_return "HTTP " + std::to_string(res->status);
  // 200: only a SyncML refusal of our SyncHdr is an answer to this.
  auto answer = syncml::parse(res->body);
  if (!answer) co_return accepted("a " + kind + " SyncML message", res->status);
  for (const auto& c : answer->body)
    if (c.name == "Status" && c.cmd == "SyncHdr" && c.cmd_ref == "0" && !c.data.empty() &&
        c.data[0] != '2')
      co_return "SyncHdr " + c.data;
  co_return accepted("a " + kind + " SyncML message", res->status);
}

}  // namespace mdmlab::simulators::windows_pc
