#include "load/load_json.hpp"

namespace mdmlab::load {
using nlohmann::json;

namespace {
double seconds(std::chrono::milliseconds d) {
  return std::chrono::duration<double>(d).count();
}

json stats_json(const LatencyStats& s) {
  return {{"count", s.count},
          {"p50_ms", s.p50_ms},
          {"p95_ms", s.p95_ms},
          {"p99_ms", s.p99_ms},
          {"max_ms", s.max_ms}};
}

json sample_json(const TimelineSample& s) {
  json devices = json::object(), completed = json::object(), latency = json::object();
  for (std::size_t i = 0; i < kDeviceStates; ++i)
    devices[std::string(to_string(static_cast<DeviceState>(i)))] = s.devices[i];
  long ops = 0;
  for (std::size_t i = 0; i < kOperations; ++i) {
    const auto name = std::string(to_string(static_cast<Operation>(i)));
    completed[name] = s.completed[i];
    ops += s.completed[i];
    if (s.latency[i].count > 0) latency[name] = stats_json(s.latency[i]);
  }
  return {{"t_s", s.t_s},
          {"interval_s", s.interval_s},
          {"phase", to_string(s.phase)},
          {"devices", devices},
          {"completed", completed},
          {"operations", ops},
          {"ops_per_s", s.interval_s > 0 ? static_cast<double>(ops) / s.interval_s : 0.0},
          {"errors", s.errors},
          {"latency", latency}};
}
}  // namespace

json load_json(const LoadOptions& o, const LoadReport& r) {
  json latency = json::object();
  for (std::size_t i = 0; i < kOperations; ++i)
    latency[std::string(to_string(static_cast<Operation>(i)))] = stats_json(r.latency[i]);
  json errors = json::array();
  long error_total = 0;
  for (const auto& e : r.errors_by_kind) {
    errors.push_back({{"kind", to_string(e.kind)}, {"count", e.count}, {"first", e.first}});
    error_total += e.count;
  }
  json timeline = json::array();
  for (const auto& s : r.timeline) timeline.push_back(sample_json(s));
  const double run_s = r.timeline.empty() ? 0 : r.timeline.back().t_s;
  return {
      {"format", kLoadJsonFormat},
      {"config",
       {{"devices", o.devices},
        {"duration_s", seconds(o.duration)},
        {"command_interval_s", seconds(o.command_interval)},
        {"concurrency", o.concurrency},
        {"seed", o.seed},
        {"target", o.target ? o.target->name : std::string()},
        {"reuse_keys", o.reuse_keys},
        {"own_profile", !o.profile.empty()},
        {"sample_interval_s", seconds(o.sample_interval)}}},
      {"totals",
       {{"devices", r.devices},
        {"enrolled", r.enrolled},
        {"enroll_failed", r.enroll_failed},
        {"keygen_s", r.keygen_seconds},
        {"enroll_s", r.enroll_seconds},
        {"steady_s", r.steady_seconds},
        {"run_s", run_s},
        {"commands_enqueued", r.commands_enqueued},
        {"commands_acked", r.commands_acked},
        {"device_answers", r.device_answers},
        {"pushes_received", r.pushes_received},
        {"scep_retries", r.scep_retries},
        // `errors` as `mdmlab load` prints it (enrollment failures apart); `all_errors` is
        // the sum of errors_by_kind, enrollment failures included.
        {"errors", r.errors},
        {"all_errors", error_total},
        {"first_error", r.first_error},
        {"interrupted", r.interrupted},
        {"ok", r.ok()}}},
      {"throughput",
       {{"enrollments_per_s", r.enroll_seconds > 0 ? r.enrolled / r.enroll_seconds : 0.0},
        {"commands_answered_per_s",
         r.steady_seconds > 0 ? static_cast<double>(r.device_answers) / r.steady_seconds : 0.0},
        {"command_exchanges_per_s",
         r.steady_seconds > 0 ? static_cast<double>(r.latency_samples) / r.steady_seconds : 0.0}}},
      {"latency", latency},
      {"errors_by_kind", errors},
      {"timeline", {{"interval_s", r.sample_interval_s}, {"samples", timeline}}}};
}

}  // namespace mdmlab::load
