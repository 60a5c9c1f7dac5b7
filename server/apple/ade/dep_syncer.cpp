#include "server/apple/ade/dep_syncer.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <nlohmann/json.hpp>

#include <atomic>
#include <future>
#include <mutex>

#include "core/async/async_gate.hpp"
#include "core/log/log.hpp"
#include "crypto/digest.hpp"

namespace mdmlab::server::apple::ade {
namespace asio = boost::asio;
using asio::awaitable;

namespace {
// A pass reads at most this many pages: a misbehaving DEP endpoint that always says
// more_to_follow cannot keep the loop busy for ever.
constexpr int kMaxPages = 10000;
constexpr std::chrono::minutes kErrorDelay{1};

std::string op_label(const std::string& op_type, bool fetch) {
  if (fetch) return "fetched";
  if (op_type == "added" || op_type == "modified" || op_type == "deleted") return op_type;
  return "other";
}

std::string result_label(const std::string& r) {
  return r == "SUCCESS" || r == "NOT_ACCESSIBLE" || r == "FAILED" ? r : "other";
}
}  // namespace

struct DepSyncer::Impl : std::enable_shared_from_this<DepSyncer::Impl> {
  asio::strand<asio::any_io_executor> strand;
  DepClient& client;
  store::DepStore& store;
  std::shared_ptr<Clock> clock;
  DepSyncerConfig config;
  async::AsyncGate gate;
  std::atomic<bool> stopped{false};
  asio::steady_timer timer{strand};
  std::promise<void> loop_done;
  bool loop_started = false;
  bool fetch_phase = true;
  TimePoint throttled_until{};  // Apple's last Retry-After: no DEP call before it
  mutable std::mutex status_mutex;
  DepSyncStatus state;

  metrics::Family<metrics::Counter>* passes = nullptr;
  metrics::Family<metrics::Counter>* seen = nullptr;
  metrics::Family<metrics::Counter>* assignments = nullptr;
  metrics::Family<metrics::Gauge>* last_success = nullptr;

  Impl(asio::any_io_executor ex, DepClient& c, store::DepStore& s, std::shared_ptr<Clock> k,
       DepSyncerConfig cfg, metrics::Registry* registry)
      : strand(asio::make_strand(ex)),
        client(c),
        store(s),
        clock(std::move(k)),
        config(std::move(cfg)),
        gate(strand) {
    if (!registry) return;
    passes = &registry->counter("mdmlab_dep_sync_passes_total",
                                "DEP sync passes, by result (ok, throttled, error)", {"result"});
    seen = &registry->counter("mdmlab_dep_sync_devices_total",
                              "Devices in DEP fetch and sync answers, by op_type (fetched for a "
                              "full fetch)",
                              {"op_type"});
    assignments = &registry->counter("mdmlab_dep_profile_assignments_total",
                                     "Per-device results of ADE profile assignments and removals",
                                     {"result"});
    last_success = &registry->gauge("mdmlab_dep_last_sync_success_timestamp_seconds",
                                    "When the last DEP sync pass succeeded (Unix seconds)", {});
  }

  void set_status(const std::function<void(DepSyncStatus&)>& change) {
    std::lock_guard lock(status_mutex);
    change(state);
  }

  std::string profile_hash() const {
    return crypto::sha256_hex(to_bytes(dep::to_json(config.profile).dump()));
  }

  // Which devices of a page get the profile.
  std::vector<std::string> to_assign(const std::vector<dep::DepDevice>& devices, bool fetch,
                                     const std::string& ours) const {
    std::vector<std::string> out;
    if (!config.auto_assign || ours.empty()) return out;
    for (const auto& d : devices) {
      if (d.profile_uuid == ours) continue;
      // A profile someone removed (our admin API, or ABM's own) stays removed: only devices
      // that never had one, or just joined, get ours.
      if (d.profile_status == "removed" || d.op_type == "deleted") continue;
      const bool fresh =
          d.op_type == "added" || (d.profile_uuid.empty() && (fetch || d.op_type == "modified"));
      if (fresh) out.push_back(d.serial_number);
    }
    return out;
  }

  awaitable<Result<void>> ensure_profile(store::DepSyncState& s) {
    const auto hash = profile_hash();
    if (!s.profile_uuid.empty() && s.profile_hash == hash) co_return success();
    auto defined = co_await client.define_profile(config.profile);
    if (!defined) co_return defined.error();
    if (defined->profile_uuid.empty())
      co_return make_error("bad_answer", "define_profile: no profile_uuid");
    log::info("dep", "ADE profile defined: {}", defined->profile_uuid);
    const bool redefined = !s.profile_uuid.empty();
    // The definition counts as done (its hash stored) only once the devices that had the old
    // profile have the new one: a pass that fails between the two defines it again next time.
    std::string uuid = defined->profile_uuid;
    std::string pending;
    auto stored = co_await store.store_dep_profile(uuid, redefined ? pending : hash);
    if (!stored) co_return stored.error();
    s.profile_uuid = defined->profile_uuid;
    s.profile_hash = redefined ? pending : hash;
    // A changed definition (another URL, say) is a new profile: the devices that had the old
    // one get the new one, or they would boot into a stale cloud configuration.
    if (redefined && config.auto_assign) {
      auto known = co_await store.dep_devices();
      if (!known) co_return known.error();
      std::vector<std::string> serials;
      for (const auto& d : *known)
        if (!d.deleted && d.profile_status != "removed" && d.profile_uuid != s.profile_uuid)
          serials.push_back(d.serial_number);
      if (!serials.empty()) {
        auto moved = co_await assign(s.profile_uuid, std::move(serials));
        if (!moved) co_return moved;
      }
    }
    if (redefined) {
      auto done = co_await store.store_dep_profile(uuid, hash);
      if (!done) co_return done.error();
      s.profile_hash = hash;
    }
    co_return success();
  }

  awaitable<Result<void>> assign(const std::string& profile_uuid,
                                 std::vector<std::string> serials) {
    for (std::size_t i = 0; i < serials.size(); i += dep::kMaxLimit) {
      if (stopped) co_return make_error("stopped", "the server is stopping");
      std::vector<std::string> chunk(
          serials.begin() + static_cast<long>(i),
          serials.begin() + static_cast<long>(std::min(serials.size(), i + dep::kMaxLimit)));
      auto r = co_await client.assign_profile(profile_uuid, chunk);
      if (!r) co_return r.error();
      std::int64_t ok = 0;
      for (const auto& [serial, outcome] : r->devices) {
        if (assignments) assignments->with({result_label(outcome)}).inc();
        if (outcome == "SUCCESS") ++ok;
      }
      auto recorded = co_await store.record_dep_assignment(profile_uuid, r->devices, clock->now());
      if (!recorded) co_return recorded.error();
      set_status([&](DepSyncStatus& st) { st.assigned += ok; });
    }
    co_return success();
  }

  awaitable<Result<void>> page(const dep::FetchResponse& res, bool fetch,
                               const std::string& profile_uuid) {
    std::vector<store::DepDeviceRecord> records;
    for (const auto& d : res.devices) {
      if (seen) seen->with({op_label(d.op_type, fetch)}).inc();
      store::DepDeviceRecord r;
      r.serial_number = d.serial_number;
      r.model = d.model;
      r.os = d.os;
      r.device_family = d.device_family;
      r.description = d.description;
      r.color = d.color;
      r.op_type = d.op_type;
      r.op_date = d.op_date;
      r.profile_uuid = d.profile_uuid;
      r.profile_status = d.profile_status;
      r.deleted = d.op_type == "deleted";
      records.push_back(std::move(r));
    }
    set_status([&](DepSyncStatus& st) {
      st.devices_seen += static_cast<std::int64_t>(res.devices.size());
    });
    if (!records.empty()) {
      auto stored = co_await store.upsert_dep_devices(std::move(records), clock->now());
      if (!stored) co_return stored.error();
    }
    auto serials = to_assign(res.devices, fetch, profile_uuid);
    if (!serials.empty()) {
      auto assigned = co_await assign(profile_uuid, std::move(serials));
      if (!assigned) co_return assigned;
    }
    co_return success();
  }

  // nanodep's loop: fetch pages until the fetch is exhausted, then sync pages until nothing
  // more follows; a cursor ABM no longer knows starts a full fetch again.
  awaitable<Result<void>> pages(store::DepSyncState& s) {
    std::string cursor = s.cursor;
    for (int n = 0; n < kMaxPages; ++n) {
      if (stopped) co_return make_error("stopped", "the server is stopping");
      dep::FetchRequest req;
      req.limit = config.limit;
      if (!cursor.empty()) req.cursor = cursor;
      Result<dep::FetchResponse> res;
      if (fetch_phase) {
        res = co_await client.fetch_devices(req);
      } else {
        res = co_await client.sync_devices(req);
      }
      if (!res) {
        const auto& code = res.error().code;
        if (code == dep::kExhaustedCursor && fetch_phase) {
          fetch_phase = false;
          continue;
        }
        if (code == dep::kExpiredCursor || code == dep::kInvalidCursor) {
          log::info("dep", "cursor refused ({}), fetching everything again", code);
          cursor.clear();
          s.cursor.clear();
          fetch_phase = true;
          auto cleared = co_await store.store_dep_cursor("");
          if (!cleared) co_return cleared;
          continue;
        }
        co_return res.error();
      }
      auto handled = co_await page(*res, fetch_phase, s.profile_uuid);
      if (!handled) co_return handled;
      if (!res->cursor.empty() && res->cursor != cursor) {
        auto stored = co_await store.store_dep_cursor(res->cursor);
        if (!stored) co_return stored;
        cursor = res->cursor;
        s.cursor = cursor;
      }
      if (res->more_to_follow) continue;
      if (!fetch_phase) co_return success();
      fetch_phase = false;
    }
    co_return make_error("dep_too_many_pages", "more than 10000 pages in one pass");
  }

  awaitable<void> pass() {
    auto guard = co_await gate.lock();
    if (stopped) co_return;
    // A pass asked for (sync_now) inside a Retry-After makes no call: Apple counts it.
    if (clock->now() < throttled_until) co_return;
    const auto started = clock->now();
    auto s = co_await store.dep_state();
    Result<void> outcome = s ? success() : Result<void>(s.error());
    if (outcome) outcome = co_await ensure_profile(*s);
    if (outcome) outcome = co_await pages(*s);
    const auto now = clock->now();
    std::string result = "ok";
    auto next = now + config.interval;
    if (!outcome) {
      result = outcome.error().code == kDepThrottled ? "throttled" : "error";
      const auto wait = outcome.error().code == kDepThrottled && client.retry_after() > 0
                            ? std::chrono::seconds(client.retry_after())
                            : std::chrono::duration_cast<std::chrono::seconds>(kErrorDelay);
      // Apple's Retry-After is waited in full; other failures retry within the interval.
      next = now + (outcome.error().code == kDepThrottled
                        ? wait
                        : std::min<std::chrono::seconds>(wait, config.interval));
      if (outcome.error().code == kDepThrottled) throttled_until = next;
      log::warn("dep", "sync pass failed: {}: {}", outcome.error().code, outcome.error().message);
    } else if (last_success) {
      last_success->get().set(static_cast<double>(
          std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count()));
    }
    if (passes) passes->with({result}).inc();
    set_status([&](DepSyncStatus& st) {
      st.passes += 1;
      st.last_run_at = started;
      st.next_run_at = next;
      st.phase = fetch_phase ? "fetch" : "sync";
      if (s) {
        st.profile_uuid = s->profile_uuid;
      }
      st.cursor_state = s && !s->cursor.empty() ? "stored" : "none";
      if (outcome) {
        st.last_success_at = now;
        st.last_error.clear();
      } else {
        st.last_error = outcome.error().code + ": " + outcome.error().message;
      }
    });
  }

  awaitable<void> loop() {
    auto self = shared_from_this();
    try {
      while (!stopped) {
        TimePoint due;
        {
          std::lock_guard lock(status_mutex);
          due = state.next_run_at;
        }
        if (clock->now() >= due) co_await pass();
        if (stopped) break;
        timer.expires_after(config.poll);
        co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
      }
    } catch (const std::exception& e) {
      // A bug, not a DEP failure (those are Results): logged; stop() must still return.
      log::error("dep", "the sync loop ended: {}", e.what());
    }
    loop_done.set_value();
  }

  // Resolves once no pass (the loop's, sync_now's or remove's) holds the gate.
  awaitable<void> drain(std::shared_ptr<std::promise<void>> drained) {
    auto guard = co_await gate.lock();
    drained->set_value();
  }
};

DepSyncer::DepSyncer(asio::any_io_executor executor, DepClient& client, store::DepStore& store,
                     std::shared_ptr<Clock> clock, DepSyncerConfig config,
                     metrics::Registry* registry)
    : impl_(std::make_shared<Impl>(std::move(executor), client, store, std::move(clock),
                                   std::move(config), registry)) {
  impl_->state.cursor_state = "none";
}

DepSyncer::~DepSyncer() {
  stop();
}

void DepSyncer::start() {
  auto impl = impl_;
  impl->loop_started = true;
  asio::co_spawn(
      impl->strand, [impl]() { return impl->loop(); }, asio::detached);
}

void DepSyncer::stop() {
  auto impl = impl_;
  if (impl->stopped.exchange(true)) return;
  // The passes use the client and the store, which the server destroys after this returns:
  // wait for the loop to leave and for any pass in flight (loop, sync_now, remove) to end. A
  // pass stops at its next page or call; a call ends by its timeout at the latest.
  if (impl->loop_started) {
    asio::post(impl->strand, [impl] { impl->timer.cancel(); });
    impl->loop_done.get_future().wait();
  }
  auto drained = std::make_shared<std::promise<void>>();
  auto done = drained->get_future();
  auto run = [impl, drained]() { return impl->drain(drained); };
  asio::co_spawn(impl->strand, std::move(run), asio::detached);
  done.wait();
}

awaitable<DepSyncStatus> DepSyncer::sync_now() {
  auto impl = impl_;
  if (!impl->stopped) {
    // Named: GCC 12 destroys a closure temporary inside co_await twice.
    auto run = [impl]() { return impl->pass(); };
    co_await asio::co_spawn(impl->strand, std::move(run), asio::use_awaitable);
  }
  std::lock_guard lock(impl->status_mutex);
  co_return impl->state;
}

awaitable<Result<std::map<std::string, std::string>>> DepSyncer::remove(
    std::vector<std::string> serials) {
  auto impl = impl_;
  auto run = [impl, serials]() -> awaitable<Result<std::map<std::string, std::string>>> {
    auto guard = co_await impl->gate.lock();
    if (impl->stopped) co_return make_error("stopped", "the server is stopping");
    auto r = co_await impl->client.remove_profile(serials);
    if (!r) co_return r.error();
    for (const auto& [serial, outcome] : r->devices)
      if (impl->assignments) impl->assignments->with({result_label(outcome)}).inc();
    auto recorded = co_await impl->store.record_dep_assignment("", r->devices, impl->clock->now());
    if (!recorded) co_return recorded.error();
    co_return r->devices;
  };
  auto result = co_await asio::co_spawn(impl->strand, std::move(run), asio::use_awaitable);
  co_return result;
}

DepSyncStatus DepSyncer::status() const {
  std::lock_guard lock(impl_->status_mutex);
  return impl_->state;
}

}  // namespace mdmlab::server::apple::ade
