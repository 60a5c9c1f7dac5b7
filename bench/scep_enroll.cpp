// bench/scep_enroll — SCEP enrollments per second through the real server (a separate
// `mdmlab serve` process on loopback, HTTP keep-alive, pooled client keys), compared in the
// same run with:
//   (a) the crypto bound: `openssl speed -multi 2 rsa2048` signs/s divided by the RSA private
//       operations one enrollment costs (client + server, counted, not assumed);
//   (b) micromdm's `scepserver` under the same client load on the same machine.
// Prints a table per round and the median ratios. A benchmark, not a test: it asserts nothing.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_future.hpp>

#include <CLI/CLI.hpp>

#include <atomic>
#include <cstdio>
#include <functional>
#include <iostream>
#include <optional>
#include <regex>
#include <span>
#include <sstream>

#include "core/keys/key_pool.hpp"
#include "core/net/http_client.hpp"
#include "core/net/io_runtime.hpp"
#include "crypto/ca.hpp"
#include "crypto/init.hpp"
#include "crypto/op_counter.hpp"
#include "simulators/scep/scep_client.hpp"
#include "tests/support/process.hpp"

using namespace mdmlab;
namespace asio = boost::asio;

namespace {
struct Options {
  double seconds = 5;
  int concurrency = 8;
  std::size_t keys = 64;
  std::string mdmlab_cli;
  // prebuilt: the client builds every PKCSReq before the clock starts and only sends them and
  // checks the signed CertReps while timed, so the servers' work is what is measured.
  // full: every enrollment runs the whole device-side client (CSR, signer cert, envelope,
  // reply decryption) inside the timed window too.
  std::string mode = "prebuilt";
};

struct LoadResult {
  std::uint64_t ok = 0, failed = 0;
  double seconds = 0;
  std::uint64_t client_private_ops = 0;
  double rate() const { return seconds > 0 ? ok / seconds : 0; }
};

// One enrollment attempt (number `n`, by worker `worker`): true on SUCCESS, false on any
// failure, std::nullopt when there is nothing left to send.
using Attempt = std::function<asio::awaitable<std::optional<bool>>(simulators::scep::ScepClient&,
                                                                   std::uint64_t n, int worker)>;

// Runs `attempt` from `o.concurrency` keep-alive clients on one thread until the time is up,
// counting results and the client-side private-key operations in the timed window.
LoadResult timed_load(const std::string& url, const Options& o, Attempt attempt) {
  net::IoRuntime io(1);  // the client load generator: one thread, many coroutines
  std::atomic<std::uint64_t> ok{0}, failed{0}, next{0};
  auto ops_before = crypto::private_key_operations();
  auto start = std::chrono::steady_clock::now();
  auto deadline = start + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                              std::chrono::duration<double>(o.seconds));
  auto worker = [&](int id) -> asio::awaitable<void> {
    // The executor first: GCC 12 mishandles temporaries in a co_await expression.
    auto executor = co_await asio::this_coro::executor;
    simulators::scep::ScepClient client(executor, url);
    while (std::chrono::steady_clock::now() < deadline) {
      auto n = next++;
      auto r = co_await attempt(client, n, id);
      if (!r) break;
      if (*r)
        ++ok;
      else
        ++failed;
    }
  };
  std::vector<std::future<void>> futures;
  for (int i = 0; i < o.concurrency; ++i)
    futures.push_back(asio::co_spawn(io.executor(), worker(i), asio::use_future));
  for (auto& f : futures) f.get();
  LoadResult r;
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  r.ok = ok;
  r.failed = failed;
  r.client_private_ops = crypto::private_key_operations() - ops_before;
  return r;
}

// The whole device-side client per enrollment (CSR, signer certificate, envelope, decryption).
LoadResult run_load(const std::string& url, const std::string& challenge, const Options& o,
                    keys::KeyPool& pool) {
  auto stamp = std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
  return timed_load(url, o,
                    [&](simulators::scep::ScepClient& client, std::uint64_t n,
                        int id) -> asio::awaitable<std::optional<bool>> {
                      simulators::scep::EnrollRequest req;
                      req.key = pool.get(n % o.keys).value();
                      req.subject = {
                          {"CN", "bench-" + std::to_string(id) + "-" + std::to_string(n)},
                          {"O", "mdmlab-bench"}};
                      req.challenge = challenge;
                      req.transaction_id = "BENCH-" + std::to_string(n) + "-" + stamp;
                      auto r = co_await client.enroll(req);
                      co_return r && r->status == mdmlab::scep::PkiStatus::success;
                    });
}

// Builds `count` PKCSReq messages for `url`'s CA (unique transactionIDs and subjects).
std::vector<Bytes> prebuild_requests(const std::string& url, const std::string& challenge,
                                     std::size_t count, keys::KeyPool& pool,
                                     std::size_t key_count) {
  net::IoRuntime io(1);
  simulators::scep::ScepClient client(io.executor(), url);
  auto ca = asio::co_spawn(io.executor(), client.get_ca_cert(), asio::use_future).get().value();
  auto caps = asio::co_spawn(io.executor(), client.get_ca_caps(), asio::use_future).get();
  const bool aes = caps && caps->aes();
  std::vector<Bytes> out;
  out.reserve(count);
  auto stamp = std::to_string(std::chrono::system_clock::now().time_since_epoch().count());
  for (std::size_t n = 0; n < count; ++n) {
    auto key = pool.get(n % key_count).value();
    crypto::DistinguishedName subject{{"CN", "bench-" + stamp + "-" + std::to_string(n)},
                                      {"O", "mdmlab-bench"}};
    mdmlab::scep::RequestParams p;
    p.transaction_id = "BENCH-" + stamp + "-" + std::to_string(n);
    p.content = crypto::Csr::build(key, {subject, challenge}).value().to_der();
    p.recipients = {ca.recipient()};
    p.cipher = aes ? EVP_aes_128_cbc() : EVP_des_ede3_cbc();
    p.signer = crypto::make_self_signed(key, subject, std::chrono::system_clock::now(),
                                        std::chrono::hours(1))
                   .value();
    p.signer_key = key;
    out.push_back(mdmlab::scep::build_request(p).value());
  }
  return out;
}

// Sends prebuilt requests until the time is up or the requests run out. While timed, the client
// only sends and keeps each HTTP 200 reply; once the clock stops, every reply is decoded and
// counts as a SUCCESS only if its pkiStatus is SUCCESS and its signature verifies against the
// CA (or RA) the client fetched first. Decoding a CertRep costs the client about as much CPU
// as a tenth of the server's enrollment, so checking inside the window took it from the server
// being measured on the same two cores.
LoadResult run_prebuilt_load(const std::string& url, std::span<const Bytes> requests,
                             const Options& o) {
  std::vector<std::string> replies(requests.size());
  std::optional<crypto::Certificate> signer;
  auto result = timed_load(url, o,
                           [&](simulators::scep::ScepClient& client, std::uint64_t n,
                               int) -> asio::awaitable<std::optional<bool>> {
                             if (n >= requests.size()) co_return std::nullopt;
                             // The first call fetches the CA certificates and caps.
                             auto res = co_await client.send_pki_message(requests[n]);
                             if (!res || res->status != 200 || !client.ca_certificates())
                               co_return false;
                             if (!signer) signer = client.ca_certificates()->recipient();
                             replies[n] = std::move(res->body);
                             co_return true;
                           });
  const auto attempts = result.ok + result.failed;
  result.ok = 0;
  for (const auto& body : replies) {
    if (body.empty() || !signer) continue;
    auto rep = mdmlab::scep::decode_pki_message(to_bytes(body));
    if (rep && rep->status == mdmlab::scep::PkiStatus::success &&
        mdmlab::scep::verify_pki_message(*rep, &*signer).ok())
      ++result.ok;
  }
  result.failed = attempts - result.ok;
  return result;
}

double server_private_ops(const std::string& base_url) {
  net::IoRuntime io(1);
  net::HttpClient http(io.executor(), base_url);
  auto res = asio::co_spawn(io.executor(), http.get("/metrics"), asio::use_future).get();
  if (!res) return -1;
  std::smatch m;
  std::regex re("mdmlab_crypto_private_key_operations_total ([0-9.e+]+)");
  return std::regex_search(res->body, m, re) ? std::stod(m[1]) : -1;
}

double openssl_rsa_signs_per_second() {
  auto r = testing::run_command("openssl speed -multi 2 -seconds 3 rsa2048 2>/dev/null");
  // The summary line: "rsa 2048 bits 0.000755s 0.000022s   1324.5  45123.4"
  std::regex re("rsa\\s+2048 bits\\s+[0-9.]+s\\s+[0-9.]+s\\s+([0-9.]+)");
  std::smatch m;
  return std::regex_search(r.output, m, re) ? std::stod(m[1]) : -1;
}
}  // namespace

// One round: both servers under the same client load, then the crypto bound, back to back, so a
// noisy neighbour on a shared VM shifts the three figures of a round together.
struct Round {
  LoadResult ours, theirs;
  double signs = 0;  // openssl speed -multi 2 rsa2048
};

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  auto n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int main(int argc, char** argv) {
  crypto::init_openssl();
  net::raise_fd_limit();
  Options o;
  o.mdmlab_cli = std::string(MDMLAB_BINARY_DIR) + "/apps/mdmlab";
  CLI::App app{"SCEP enrollment throughput: mdmlab serve vs crypto bound vs micromdm scepserver"};
  app.add_option("--seconds", o.seconds, "Load duration per server and round")
      ->capture_default_str();
  int rounds = 3;
  app.add_option("--rounds", rounds,
                 "Rounds of (mdmlab, scepserver, openssl speed); the ratios are their medians")
      ->capture_default_str()
      ->check(CLI::Range(1, 20));
  app.add_option("--concurrency", o.concurrency, "Concurrent client enrollments")
      ->capture_default_str();
  app.add_option("--keys", o.keys, "Pooled client keys to cycle through")->capture_default_str();
  app.add_option("--mdmlab", o.mdmlab_cli, "Path to the mdmlab binary")->capture_default_str();
  app.add_option("--mode", o.mode,
                 "prebuilt: requests built before timing (measures the servers); "
                 "full: the whole device-side client inside the timed window")
      ->capture_default_str()
      ->check(CLI::IsMember({"prebuilt", "full"}));
  std::size_t prebuilt = 3000;
  app.add_option("--requests", prebuilt,
                 "Requests to prebuild per server and round in prebuilt mode (upper bound)")
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  keys::KeyPool pool;
  std::cerr << "bench: preparing " << o.keys << " pooled keys in " << pool.dir() << "\n";
  if (!pool.ensure(o.keys)) return 1;
  for (std::size_t i = 0; i < o.keys; ++i) (void)pool.get(i);  // load into memory before timing

  const std::string challenge = "bench-secret";
  auto dir = testing::make_temp_dir("mdmlab-bench-");
  const bool prebuilt_mode = o.mode == "prebuilt";
  const std::size_t total_requests = prebuilt * static_cast<std::size_t>(rounds);

  // Both servers run for the whole benchmark; each is idle while the other is measured.
  auto port = testing::free_port();
  std::optional<testing::BackgroundProcess> serve;
  serve.emplace(
      std::vector<std::string>{o.mdmlab_cli, "--log-level", "warn", "serve", "--data-dir",
                               dir + "/mdmlab", "--listen", "127.0.0.1:" + std::to_string(port),
                               "--scep-challenge", challenge},
      dir + "/serve.log");
  if (!testing::wait_for_port(port, 20000)) {
    std::cerr << "bench: mdmlab serve did not start\n";
    return 1;
  }
  const auto base = "http://127.0.0.1:" + std::to_string(port);
  const auto url = base + "/scep";

  bool have_theirs = testing::have_program("scepserver");
  std::optional<testing::BackgroundProcess> scepserver;
  std::string surl;
  if (have_theirs) {
    auto init =
        testing::run_command("cd " + dir + " && scepserver ca -init -depot depot -keySize 2048");
    auto sport = testing::free_port();
    scepserver.emplace(std::vector<std::string>{"scepserver", "-depot", dir + "/depot", "-port",
                                                std::to_string(sport), "-challenge", challenge,
                                                "-allowrenew", "0"},
                       dir + "/scepserver.log");
    have_theirs = init.exit_code == 0 && testing::wait_for_port(sport, 20000);
    surl = "http://127.0.0.1:" + std::to_string(sport) + "/scep";
  }

  std::vector<Bytes> ours_requests, theirs_requests;
  if (prebuilt_mode) {
    std::cerr << "bench: prebuilding " << total_requests << " requests per server\n";
    ours_requests = prebuild_requests(url, challenge, total_requests, pool, o.keys);
    if (have_theirs)
      theirs_requests = prebuild_requests(surl, challenge, total_requests, pool, o.keys);
  }
  auto load = [&](const std::string& u, const std::vector<Bytes>& requests, int round) {
    if (!prebuilt_mode) return run_load(u, challenge, o, pool);
    std::span<const Bytes> all(requests);
    return run_prebuilt_load(u, all.subspan(prebuilt * static_cast<std::size_t>(round), prebuilt),
                             o);
  };

  std::vector<Round> results;
  double server_ops = 0;
  for (int r = 0; r < rounds; ++r) {
    Round round;
    std::cerr << "bench: round " << r + 1 << "/" << rounds << ": mdmlab serve for " << o.seconds
              << " s at concurrency " << o.concurrency << "\n";
    auto ops0 = server_private_ops(base);
    round.ours = load(url, ours_requests, r);
    server_ops += server_private_ops(base) - ops0;
    if (have_theirs) {
      std::cerr << "bench: round " << r + 1 << "/" << rounds << ": micromdm scepserver for "
                << o.seconds << " s\n";
      round.theirs = load(surl, theirs_requests, r);
    }
    std::cerr << "bench: round " << r + 1 << "/" << rounds << ": openssl speed -multi 2 rsa2048\n";
    round.signs = openssl_rsa_signs_per_second();
    results.push_back(round);
  }
  serve.reset();  // SIGTERM, before their data directory is removed
  scepserver.reset();

  std::uint64_t ok = 0, client_ops_total = 0;
  for (const auto& r : results) {
    ok += r.ours.ok;
    client_ops_total += r.ours.client_private_ops;
  }
  const double client_ops = ok ? static_cast<double>(client_ops_total) / ok : 0;
  const double ops_per_enrollment = ok ? client_ops + server_ops / ok : 0;

  std::printf(
      "\nSCEP enrollment benchmark, mode %s (%d concurrent, %d rounds of %.0f s per server, "
      "loopback HTTP keep-alive, RSA-2048)\n",
      o.mode.c_str(), o.concurrency, rounds, o.seconds);
  std::printf(
      "RSA private operations per enrollment in the timed windows: %.2f (client %.2f + "
      "server %.2f), counted\n\n",
      ops_per_enrollment, client_ops, ok ? server_ops / ok : 0);
  std::printf("%-6s %12s %8s %14s %8s %14s %14s %10s %10s\n", "round", "mdmlab/s", "failed",
              "scepserver/s", "failed", "openssl sign/s", "bound enr/s", "÷ bound", "÷ theirs");
  std::vector<double> to_bound, to_theirs;
  bool used_up = false;
  for (std::size_t i = 0; i < results.size(); ++i) {
    const auto& r = results[i];
    const double bound = ops_per_enrollment > 0 ? r.signs / ops_per_enrollment : 0;
    const double vb = bound > 0 ? r.ours.rate() / bound : 0;
    const double vt = r.theirs.rate() > 0 ? r.ours.rate() / r.theirs.rate() : 0;
    if (bound > 0) to_bound.push_back(vb);
    if (vt > 0) to_theirs.push_back(vt);
    used_up = used_up || (prebuilt_mode && (r.ours.ok + r.ours.failed >= prebuilt ||
                                            r.theirs.ok + r.theirs.failed >= prebuilt));
    std::printf("%-6zu %12.1f %8llu %14.1f %8llu %14.0f %14.1f %10.2f %10.2f\n", i + 1,
                r.ours.rate(), (unsigned long long)r.ours.failed, r.theirs.rate(),
                (unsigned long long)r.theirs.failed, r.signs, bound, vb, vt);
  }
  if (used_up)
    std::printf("note: a server used up its %zu prebuilt requests in a round; raise --requests\n",
                prebuilt);
  std::printf("\nratio mdmlab / crypto bound:        %.2f  (median of %zu rounds; goal >= 0.50)\n",
              median(to_bound), to_bound.size());
  if (have_theirs)
    std::printf("ratio mdmlab / micromdm scepserver: %.2f  (median of %zu rounds; goal >= 2.00)\n",
                median(to_theirs), to_theirs.size());
  std::filesystem::remove_all(dir);
  return 0;
}
