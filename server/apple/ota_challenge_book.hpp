// The OTA Profile Service's challenges: a fresh one in every downloaded Profile Service. Each is
// good for one phase 2 (which binds it to the UDID in the attributes) and then one phase 3 of
// that same UDID, within a day; a replayed phase 2 or 3 is refused, so a captured request does
// not hand out the SCEP challenge or the enrollment profile a second time. The challenges are
// HMACs under the server's OTA secret, so profiles downloaded before a restart still verify;
// which ones were used is kept in memory (a restart forgets it: documented on issue 13).
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "core/clock/clock.hpp"

namespace mdmlab::server::apple {

class OtaChallengeBook {
 public:
  enum class Use { ok, unknown, expired, reused, other_device };

  OtaChallengeBook(std::string secret, std::shared_ptr<Clock> clock);

  std::string issue();
  // Phase 2: a challenge we issued, not used yet; binds it to `udid`.
  Use begin(const std::string& challenge, const std::string& udid);
  // Phase 3: the challenge phase 2 bound to this `udid`, not finished yet.
  Use finish(const std::string& challenge, const std::string& udid);

 private:
  struct State {
    std::string udid;
    bool finished = false;
    TimePoint issued{};
  };
  Use check(const std::string& challenge, TimePoint& issued) const;
  void forget_expired(TimePoint now);

  std::string secret_;
  std::shared_ptr<Clock> clock_;
  std::mutex mutex_;
  std::map<std::string, State> used_;  // challenge -> how far it got
};

const char* to_string(OtaChallengeBook::Use u);

}  // namespace mdmlab::server::apple
