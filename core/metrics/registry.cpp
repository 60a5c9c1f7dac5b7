#include "core/metrics/registry.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <stdexcept>

namespace mdmlab::metrics {
namespace {
void atomic_add(std::atomic<double>& a, double v) {
  double cur = a.load(std::memory_order_relaxed);
  while (!a.compare_exchange_weak(cur, cur + v, std::memory_order_relaxed)) {
  }
}

std::string format_value(double v) {
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  if (std::isnan(v)) return "NaN";
  if (v == std::floor(v) && std::fabs(v) < 1e15) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.0f", v);
    return buf;
  }
  char buf[32];
  for (int precision = 15; precision <= 17; ++precision) {  // shortest exact form
    std::snprintf(buf, sizeof buf, "%.*g", precision, v);
    if (std::strtod(buf, nullptr) == v) break;
  }
  return buf;
}

std::string label_block(const std::vector<std::string>& names,
                        const std::vector<std::string>& values, const std::string& extra_name = {},
                        const std::string& extra_value = {}) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    out += out.empty() ? "{" : ",";
    out += names[i] + "=\"" + escape_label_value(values[i]) + "\"";
  }
  if (!extra_name.empty()) {
    out += out.empty() ? "{" : ",";
    out += extra_name + "=\"" + extra_value + "\"";
  }
  if (!out.empty()) out += "}";
  return out;
}

std::string escape_help(const std::string& h) {
  std::string out;
  for (char c : h) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

// The same family asked for twice must be the same family: same help, same labels. Anything
// else is a programming error (two meanings under one name), caught at start-up.
template <typename F>
F& find_or_add(std::map<std::string, std::unique_ptr<F>>& map, const std::string& name,
               std::unique_ptr<F> fresh) {
  auto it = map.find(name);
  if (it != map.end()) {
    if (it->second->help() != fresh->help() || it->second->label_names() != fresh->label_names())
      throw std::logic_error("metric family " + name +
                             " registered twice with different help or labels");
    return *it->second;
  }
  return *map.emplace(name, std::move(fresh)).first->second;
}

template <typename A, typename B>
void refuse_other_kind(const std::string& name, const A& one, const B& other) {
  if (one.count(name) || other.count(name))
    throw std::logic_error("metric family " + name + " registered as two kinds of metric");
}
}  // namespace

void Counter::inc(double v) {
  if (v < 0) throw std::invalid_argument("counter cannot decrease");
  atomic_add(value_, v);
}

void Gauge::inc(double v) {
  atomic_add(value_, v);
}

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)),
      buckets_(std::make_unique<std::atomic<std::uint64_t>[]>(bounds_.size() + 1)) {}

void Histogram::observe(double v) {
  std::size_t i = 0;
  while (i < bounds_.size() && v > bounds_[i]) ++i;
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  atomic_add(sum_, v);
  count_.fetch_add(1, std::memory_order_relaxed);
}

std::vector<std::uint64_t> Histogram::cumulative_counts() const {
  std::vector<std::uint64_t> out(bounds_.size() + 1);
  std::uint64_t acc = 0;
  for (std::size_t i = 0; i <= bounds_.size(); ++i) {
    acc += buckets_[i].load(std::memory_order_relaxed);
    out[i] = acc;
  }
  return out;
}

std::vector<double> default_latency_buckets() {
  return {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}

template <typename Metric>
Metric& Family<Metric>::with(const std::vector<std::string>& values) {
  if (values.size() != label_names_.size())
    throw std::invalid_argument("metric " + name_ + ": wrong number of label values");
  std::lock_guard lock(mutex_);
  auto it = children_.find(values);
  if (it != children_.end()) return *it->second;
  std::unique_ptr<Metric> m;
  if constexpr (std::is_same_v<Metric, Histogram>) {
    m = std::make_unique<Histogram>(bounds_);
  } else {
    m = std::make_unique<Metric>();
  }
  return *children_.emplace(values, std::move(m)).first->second;
}

template <typename Metric>
std::vector<std::pair<std::vector<std::string>, const Metric*>> Family<Metric>::children() const {
  std::lock_guard lock(mutex_);
  std::vector<std::pair<std::vector<std::string>, const Metric*>> out;
  for (const auto& [k, v] : children_) out.emplace_back(k, v.get());
  return out;
}

template class Family<Counter>;
template class Family<Gauge>;
template class Family<Histogram>;

Family<Counter>& Registry::counter(const std::string& name, const std::string& help,
                                   std::vector<std::string> label_names) {
  std::lock_guard lock(mutex_);
  refuse_other_kind(name, gauges_, histograms_);
  return find_or_add(counters_, name,
                     std::make_unique<Family<Counter>>(name, help, std::move(label_names)));
}

Family<Gauge>& Registry::gauge(const std::string& name, const std::string& help,
                               std::vector<std::string> label_names) {
  std::lock_guard lock(mutex_);
  refuse_other_kind(name, counters_, histograms_);
  return find_or_add(gauges_, name,
                     std::make_unique<Family<Gauge>>(name, help, std::move(label_names)));
}

Family<Histogram>& Registry::histogram(const std::string& name, const std::string& help,
                                       std::vector<std::string> label_names,
                                       std::vector<double> bounds) {
  std::lock_guard lock(mutex_);
  refuse_other_kind(name, counters_, gauges_);
  return find_or_add(
      histograms_, name,
      std::make_unique<Family<Histogram>>(name, help, std::move(label_names), std::move(bounds)));
}

std::string Registry::render() const {
  std::lock_guard lock(mutex_);
  std::ostringstream out;
  for (const auto& [name, fam] : counters_) {
    out << "# HELP " << name << " " << escape_help(fam->help()) << "\n# TYPE " << name
        << " counter\n";
    for (const auto& [values, c] : fam->children())
      out << name << label_block(fam->label_names(), values) << " " << format_value(c->value())
          << "\n";
  }
  for (const auto& [name, fam] : gauges_) {
    out << "# HELP " << name << " " << escape_help(fam->help()) << "\n# TYPE " << name
        << " gauge\n";
    for (const auto& [values, g] : fam->children())
      out << name << label_block(fam->label_names(), values) << " " << format_value(g->value())
          << "\n";
  }
  for (const auto& [name, fam] : histograms_) {
    out << "# HELP " << name << " " << escape_help(fam->help()) << "\n# TYPE " << name
        << " histogram\n";
    for (const auto& [values, h] : fam->children()) {
      auto counts = h->cumulative_counts();
      for (std::size_t i = 0; i < h->bounds().size(); ++i) {
        out << name << "_bucket"
            << label_block(fam->label_names(), values, "le", format_value(h->bounds()[i])) << " "
            << counts[i] << "\n";
      }
      out << name << "_bucket" << label_block(fam->label_names(), values, "le", "+Inf") << " "
          << counts.back() << "\n";
      out << name << "_sum" << label_block(fam->label_names(), values) << " "
          << format_value(h->sum()) << "\n";
      out << name << "_count" << label_block(fam->label_names(), values) << " " << counts.back()
          << "\n";
    }
  }
  return out.str();
}

std::string escape_label_value(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

}  // namespace mdmlab::metrics
