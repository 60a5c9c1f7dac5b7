// The APNs simulator's request handling, as its HTTP/2 push endpoint does it
// (simulators/services/apns/apns_simulator.cpp, on_push): parse_apns_request on the headers,
// body and client-certificate topic, then the simulator's state (ApnsState::accept: faults,
// registered / unregistered tokens, offline coalescing, expiration), the device side taking
// its notifications and reading their PushMagic (push_magic_of), and the error body written
// back and read by our provider (apns_error_body / parse_apns_error_body).
//
// Input format (text, so the dictionary and the seeds stay readable):
//   line 1          the client certificate's topic (its subject UID; empty: no certificate)
//   next lines      one header each, "name: value" (pseudo-headers too: ":method: POST");
//                   names are lower-cased as HTTP/2 delivers them. A line without ": " is a
//                   header with an empty value. "x-sim-state: <s>" is not a header but sets
//                   up the simulator: online (default), offline, unregistered, none, or
//                   fault:<status>:<reason> (the reason made valid UTF-8, as the control
//                   API's JSON guarantees).
//   an empty line   then the body, to the end (also fed to parse_apns_error_body as is).
// Seeds: the header sets and payloads our server's pusher sends (apns_request_headers,
// mdm_push_payload) for a real simulated Mac's token and PushMagic (fuzz/tools/corpus_gen.cpp).
#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "protocol/apple/apns.hpp"
#include "simulators/services/apns/apns_state.hpp"

namespace {
// The token the simulator knows when the request names none.
constexpr const char* kKnownToken =
    "5ec0fa11c0ffee00d15ea5e5a1b2c3d4e5f60718293a4b5c6d7e8f9001122334";

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace mdmlab;
  std::string_view in(reinterpret_cast<const char*>(data), size);
  std::string body;
  if (auto blank = in.find("\n\n"); blank != std::string_view::npos) {
    body = std::string(in.substr(blank + 2));
    in = in.substr(0, blank);
  }
  std::vector<std::string_view> lines;
  for (std::size_t pos = 0; pos <= in.size();) {
    auto nl = in.find('\n', pos);
    if (nl == std::string_view::npos) nl = in.size();
    lines.push_back(in.substr(pos, nl - pos));
    pos = nl + 1;
  }
  std::string certificate_topic = lines.empty() ? std::string() : std::string(lines[0]);
  std::vector<apple::ApnsHeader> headers;
  std::string sim_state = "online";
  for (std::size_t i = 1; i < lines.size(); ++i) {
    auto line = lines[i];
    auto sep = line.find(": ", line.starts_with(":") ? 1 : 0);
    apple::ApnsHeader h;
    h.name = lower(std::string(line.substr(0, sep)));
    if (sep != std::string_view::npos) h.value = std::string(line.substr(sep + 2));
    if (h.name == "x-sim-state") {
      sim_state = h.value;
      continue;
    }
    headers.push_back(std::move(h));
  }

  // The token as on_push files it (the first :path); the simulator knows it (registered by
  // its device) unless x-sim-state says otherwise.
  std::string token_hint;
  for (const auto& h : headers) {
    if (h.name != ":path") continue;
    if (h.value.starts_with("/3/device/")) token_hint = lower(h.value.substr(10, 200));
    break;
  }
  const std::string known = token_hint.empty() ? std::string(kKnownToken) : token_hint;

  auto clock = std::make_shared<VirtualClock>();
  simulators::apns::ApnsState state(clock);
  if (sim_state != "none") {
    state.register_token(known, certificate_topic);
    if (sim_state == "unregistered")
      state.unregister(known);
    else if (sim_state != "offline")
      state.connect(known);
    if (sim_state.starts_with("fault:")) {
      simulators::apns::Fault f;
      std::string_view spec = std::string_view(sim_state).substr(6);
      auto colon = spec.find(':');
      auto digits = spec.substr(0, std::min<std::size_t>(colon, 3));
      int status = 0;
      for (char c : digits) status = c >= '0' && c <= '9' ? status * 10 + (c - '0') : status;
      f.status = status;
      // Faults come from the control API's JSON (or a scenario file): the reason is always
      // valid UTF-8 there, so invalid bytes are dropped here as a JSON string cannot hold them.
      if (colon != std::string_view::npos) {
        auto quoted = nlohmann::json(std::string(spec.substr(colon + 1)))
                          .dump(-1, ' ', false, nlohmann::json::error_handler_t::ignore);
        f.reason = nlohmann::json::parse(quoted).get<std::string>();
      }
      f.remaining = 1;
      state.add_fault(std::move(f));
    }
  }

  // As on_push does it: the verdict and the answer's body, twice (a retry: coalescing for an
  // offline device), then the device comes online and takes what waits for it.
  for (int attempt = 0; attempt < 2; ++attempt) {
    apple::ApnsRejection rejection;
    auto push = apple::parse_apns_request(headers, body, certificate_topic, rejection);
    if (push) {
      (void)apple::apns_request_headers(*push, "api.push.apple.com");
      (void)apple::push_magic_of(push->payload);
    }
    auto verdict = state.accept(push, rejection, token_hint);
    if (verdict.status != 200) {
      auto answer = apple::apns_error_body(verdict.reason, verdict.timestamp_ms);
      auto parsed = apple::parse_apns_error_body(answer);
      if (parsed) (void)apple::apns_invalidates_token(verdict.status, parsed->reason);
    }
  }
  clock->advance(std::chrono::seconds(1));
  state.connect(known);
  for (const auto& n : state.take(known)) (void)apple::push_magic_of(n.payload);
  (void)state.deliveries();
  (void)state.counts();

  // The body as an APNs error answer our provider reads.
  if (auto e = apple::parse_apns_error_body(body))
    (void)apple::apns_invalidates_token(400, e->reason);
  return 0;
}
