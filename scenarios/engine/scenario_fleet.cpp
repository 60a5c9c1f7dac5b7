// Fleets inside a scenario: a step naming a group runs for every member at once and reports a
// per-device summary; an expectation naming a group must hold for every member; a parallel
// block runs its branches at once. All of it interleaves on the runner's strand.
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "scenarios/engine/scenario_run.hpp"

namespace mdmlab::scenarios {
namespace asio = boost::asio;
using nlohmann::json;

namespace {
// "48 of 50 ok; failed: mac7 (why), mac9 (why)" with at most a few reasons spelled out.
std::string summary(const std::vector<std::string>& members, const std::vector<Result<void>>& rs,
                    const char* ok_word) {
  std::size_t ok = 0;
  std::string failed;
  int shown = 0;
  for (std::size_t i = 0; i < rs.size(); ++i) {
    if (rs[i]) {
      ++ok;
      continue;
    }
    if (shown++ < 5)
      failed += (failed.empty() ? "" : "; ") + members[i] + ": " + rs[i].error().message;
  }
  std::string out = std::to_string(ok) + " of " + std::to_string(rs.size()) + " " + ok_word;
  if (ok < rs.size()) {
    out += "; failed: " + failed;
    if (shown > 5) out += "; and " + std::to_string(shown - 5) + " more";
  }
  return out;
}
}  // namespace

// Runs the tasks at once on this coroutine's executor and returns each one's result in order.
asio::awaitable<std::vector<Result<void>>> ScenarioRun::gather(
    std::vector<asio::awaitable<Result<void>>> tasks) {
  auto executor = co_await asio::this_coro::executor;
  std::vector<Result<void>> results(tasks.size());
  std::size_t pending = tasks.size();
  asio::steady_timer all_done(executor, asio::steady_timer::time_point::max());
  for (std::size_t i = 0; i < tasks.size(); ++i)
    asio::co_spawn(executor, std::move(tasks[i]),
                   [&results, &pending, &all_done, i](std::exception_ptr e, Result<void> r) {
                     results[i] = e ? make_error("internal", "the harness threw") : std::move(r);
                     if (--pending == 0) all_done.cancel();
                   });
  while (pending > 0) co_await all_done.async_wait(asio::as_tuple(asio::use_awaitable));
  co_return results;
}

asio::awaitable<Result<void>> ScenarioRun::run_group(const Step& step,
                                                     const std::vector<std::string>& members,
                                                     std::string& note) {
  const auto verb = step.action.substr(step.action.find('.') + 1);
  std::vector<Step> one_each(members.size(), step);
  std::vector<std::string> notes(members.size());
  std::vector<asio::awaitable<Result<void>>> tasks;
  for (std::size_t i = 0; i < members.size(); ++i) {
    one_each[i].action = members[i] + "." + verb;
    tasks.push_back(run_one(one_each[i], notes[i]));
  }
  auto results = co_await gather(std::move(tasks));
  note = summary(members, results, step.expect_failure ? "failed as expected" : "ok");
  for (const auto& r : results)
    if (!r) co_return make_error("group_step", note);
  co_return success();
}

// An expectation: of one party, or of every member of a group (each polls on its own).
asio::awaitable<Result<void>> ScenarioRun::expect_step(const Step& step, std::string& note) {
  for (const char* subject : {"server.device", "server.ddm", "apns.deliveries", "abm.device",
                              "server.windows_device", "device"}) {
    if (!step.expect.contains(subject) || !step.expect[subject].is_string()) continue;
    auto g = scenario_.groups.find(step.expect[subject].get<std::string>());
    if (g == scenario_.groups.end()) break;
    std::vector<Step> one_each(g->second.size(), step);
    std::vector<asio::awaitable<Result<void>>> tasks;
    for (std::size_t i = 0; i < g->second.size(); ++i) {
      one_each[i].expect[subject] = g->second[i];
      tasks.push_back(expect(one_each[i]));
    }
    auto results = co_await gather(std::move(tasks));
    note = summary(g->second, results, "hold");
    for (const auto& r : results)
      if (!r) co_return make_error("expectation", note);
    co_return success();
  }
  auto r = co_await expect(step);
  co_return r;
}

// Each branch runs its steps in order; the branches run at once. The first failure (by branch)
// is the block's.
asio::awaitable<Result<void>> ScenarioRun::run_parallel(const Step& step, std::string& note) {
  std::vector<std::string> names;
  std::vector<asio::awaitable<Result<void>>> tasks;
  for (std::size_t b = 0; b < step.branches.size(); ++b) {
    names.push_back("branch " + std::to_string(b));
    tasks.push_back([](ScenarioRun* self, const std::vector<Step>* steps,
                       std::size_t b) -> asio::awaitable<Result<void>> {
      for (std::size_t i = 0; i < steps->size(); ++i) {
        std::string inner;
        auto r = co_await self->run_step((*steps)[i], inner);
        if (!r)
          co_return make_error(r.error().code, "step " + std::to_string(i) + " " +
                                                   (*steps)[i].text + ": " + r.error().message);
      }
      (void)b;
      co_return success();
    }(this, &step.branches[b], b));
  }
  auto results = co_await gather(std::move(tasks));
  note = summary(names, results, "branches ok");
  for (const auto& r : results)
    if (!r) co_return make_error("parallel", note);
  co_return success();
}

}  // namespace mdmlab::scenarios
