// `mdmlab replay CAPTURE --target target.json`: one device's side of a captured run (`mdmlab
// run --capture`), sent again to a server, with the server's answers compared to the ones
// captured. Captures are redacted and hold no keys, so the replay is a new device of the same
// behaviour: it enrolls for real through the target's profile (SCEP), then sends every captured
// check-in and command-loop message in order with its own UDID, fresh values where secrets
// were redacted, and the CommandUUIDs the server under test hands out. A command the capture
// shows the server sending is queued again (admin API or command_api) just before the message
// that received it. Verdict per exchange: the HTTP status, and the RequestType of a command
// answer (or an empty answer), as captured.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "scenarios/engine/environment.hpp"

namespace mdmlab::scenarios {

struct CapturedExchange {
  std::uint64_t seq = 0;
  bool checkin = false;        // CheckInURL (check-in) or ServerURL (command loop)
  std::string body;            // as captured (redacted plist text)
  std::string summary;         // "MessageType=TokenUpdate", "Status=Idle"
  int status = 0;              // the captured answer
  std::string answer_body;     // a command, or empty
  std::string replayable_why;  // non-empty: cannot be sent again, and why
};

struct ReplayPlan {
  std::string scenario, device;
  std::string udid;  // the captured device's UDID (or EnrollmentID)
  std::vector<CapturedExchange> exchanges;
};

// The MDM messages `device` (default: the first device that sent one) of `scenario` (default:
// the first scenario with one) sent to the server, with their answers. Errors name what is
// missing: no such scenario or device, no MDM messages, a line that is not a capture entry.
Result<ReplayPlan> plan_replay(std::string_view capture_jsonl, const std::string& scenario,
                               const std::string& device);

// The RequestType and CommandUUID of a command plist as text ("" when it is not one).
std::pair<std::string, std::string> command_of(const std::string& body);

struct ReplayedExchange {
  std::uint64_t seq = 0;
  std::string summary;
  int captured_status = 0, status = 0;
  std::string captured_command, command;  // RequestTypes ("" for an empty answer)
  std::string note;                       // why it was not sent, or what differs
  bool sent = false, same = false;
};

struct ReplayReport {
  std::string udid;  // the replaying device's
  std::vector<ReplayedExchange> exchanges;
  int same() const;
  int differ() const;
  int not_sent() const;
};

// Runs the plan against `target` (enrollment, then every exchange). `progress` gets one line
// per exchange. An error means the replay could not start (e.g. the enrollment failed).
Result<ReplayReport> replay(const ReplayPlan& plan, const TargetConfig& target,
                            const std::function<void(const std::string&)>& progress);

}  // namespace mdmlab::scenarios
