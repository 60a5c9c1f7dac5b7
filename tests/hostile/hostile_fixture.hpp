// The reference server in-process (HTTP + HTTPS, admin token, virtual clock) with two enrolled
// Macs (SCEP identity, Authenticate, TokenUpdate) and commands queued and answered, so every
// endpoint has real state to protect; one Windows PC enrolled over raw SOAP with a command
// answered and one queued (hostile_windows.cpp); authenticated ADE configured against an Entra
// simulator, with sign-ins started and one answered, and codes and tokens issued there for its
// own cases (hostile_entra.cpp); ADE (DEP) configured against the ABM simulator, whose first sync
// pass ends before anything else happens; the APNs and ABM simulators next to it. Sends a Case
// over loopback and judges the answer.
#pragma once

#include <boost/asio/ssl/context.hpp>

#include <map>

#include "simulators/services/abm/abm_simulator.hpp"
#include "simulators/services/entra/entra_simulator.hpp"
#include "tests/hostile/hostile_case.hpp"
#include "tests/hostile/report.hpp"
#include "tests/hostile/snapshot.hpp"
#include "tests/server/scep_fixture.hpp"

namespace mdmlab::testing::hostile {

struct Answer {
  int status = -1;  // -1: no HTTP answer (timeout, reset, TLS failure)
  std::string content_type;
  std::string body;
  // Transport error, if any, starting with what happened: "closed: ", "reset: ", "timeout: "
  // (raw exchanges), or the HTTP/2 client's code ("tls_handshake: ", "http2_stream_reset: "...).
  std::string error;
  std::string location;  // the Location header, if any
};

class ApnsSide;
class AbmSide;

// The identity provider authenticated ADE signs in at: an Entra simulator (own I/O threads,
// system clock) with one tenant and one app registration, up before the server is configured.
struct SsoIdp {
  SsoIdp();
  ~SsoIdp();
  net::IoRuntime idp_io{1};
  std::unique_ptr<simulators::entra::EntraSimulator> entra;
  std::string tenant, client_id;
  server::AdeSsoSettings settings;
};

// The ABM simulator the server's DEP sync talks to (and the ABM cases go to, hostile_abm.hpp):
// its own I/O thread, the server's clock. Started while the server is configured (ReferenceServer
// config needs its URL and token), with no devices: the server's first sync pass (at start)
// defines its profile and finds nothing to assign; the devices come after that pass, and the
// frozen clock never makes another one due, so the organisation stays as the fixture leaves it.
struct AbmHost {
  ~AbmHost();
  net::IoRuntime abm_io{1};
  std::unique_ptr<simulators::abm::AbmSimulator> abm_sim;
};

class HostileServer : private SsoIdp, private AbmHost, public ScepServerFixture {
 public:
  HostileServer();
  ~HostileServer();

  const Materials& materials() const { return materials_; }
  std::string db_path() const { return dir + "/mdmlab.db"; }
  unsigned short http_port() const;

  // The APNs simulator next to the server (hostile_apns.hpp); apns_* cases go there.
  std::unique_ptr<ApnsSide> apns;
  // The ABM simulator next to the server, on its clock (hostile_abm.hpp); abm_http cases go there.
  std::unique_ptr<AbmSide> abm;

  Answer send(const Case& c);
  // GET /healthz answers 200 on the plain listener.
  bool healthy();
  // A well-formed PUT over HTTPS with `cert`'s identity (legitimate traffic).
  Answer device_put(ClientCert cert, const std::string& target, const std::string& content_type,
                    const std::string& body);
  // What the Entra simulator holds that no case may change (hostile_entra.cpp): its tenants with
  // users and apps, and whether a valid client_credentials request is answered 200 (a token
  // fault a case queued would answer it, and is used up by it).
  Snapshot entra_snapshot();
  // Both Entra listeners answer: the control API's tenant list, the OpenID configuration.
  bool entra_healthy();

 private:
  void prepare_windows();  // hostile_windows.cpp
  void prepare_entra();    // hostile_entra.cpp
  Answer entra_call(const std::string& method, const std::string& target,
                    const net::Headers& headers, const std::string& body);
  boost::asio::ssl::context& tls_context(Channel channel, ClientCert cert);
  std::map<std::pair<Channel, ClientCert>, std::shared_ptr<boost::asio::ssl::context>> tls_;
  std::string entra_probe_;  // the valid client_credentials request (raw bytes)
  Device enroll_identity(std::size_t key_index, const std::string& udid,
                         std::string* transaction_id);
  std::string enqueue(const std::string& udid, const std::string& request_type);
  // GET /api/mdm/apple/ade/sso with `device_info`: the state of the sign-in it started.
  std::string start_sign_in(const std::string& device_info);
  void prepare_sso();
  Materials materials_;
};

// Clean: one of the answers the case expects (Case::expect), nothing else. A case without an
// expectation is never clean. `got`, if given, receives the answer in Expected's terms.
Verdict judge(const Case& c, const Answer& a, std::string* got = nullptr);
// What the answer was: "400", "200 CertRep FAILURE badRequest", "400 BadDeviceToken", "closed"...
std::string describe_answer(const Case& c, const Answer& a);
// Sends raw bytes over loopback TCP, half-closes, reads until the peer closes; the answer
// parsed, or how the connection ended without one (closed, reset, timeout).
Answer raw_roundtrip(unsigned short port, const std::string& data, int timeout_ms);
// raw_roundtrip over TLS (tls_raw.cpp): the handshake with `tls` (its client certificate, if
// any), the bytes, a TCP half-close (the end of the request, as a truncated TLS stream), the
// answer until the peer closes. A failed handshake is "tls_handshake: ...".
Answer raw_tls_roundtrip(unsigned short port, boost::asio::ssl::context& tls,
                         const std::string& data, int timeout_ms);
// Parses "HTTP/1.1 NNN ..." + headers + body from raw bytes.
Answer parse_raw_answer(const std::string& raw);

}  // namespace mdmlab::testing::hostile
