// Pusher over APNs: looks up each device's token and PushMagic, sends {"mdm": PushMagic}
// concurrently, and records APNs' verdict on the enrollment: 400 BadDeviceToken /
// DeviceTokenNotForTopic and 410 mark the token invalid (no pushes until a TokenUpdate brings
// a new one); other 4xx are configuration errors (logged, counted, not retried).
#pragma once

#include <boost/asio/any_io_executor.hpp>

#include <memory>

#include "core/clock/clock.hpp"
#include "core/metrics/registry.hpp"
#include "server/apple/push/apns_client.hpp"
#include "server/apple/push/pusher.hpp"
#include "server/store/apple_enrollment_store.hpp"
#include "server/store/push_status_store.hpp"

namespace mdmlab::server::apple {

class ApnsPusher final : public Pusher {
 public:
  ApnsPusher(store::EnrollmentStore& enrollments, store::PushStatusStore& status,
             std::unique_ptr<ApnsClient> client, std::shared_ptr<Clock> clock,
             metrics::Registry* metrics);
  boost::asio::awaitable<std::vector<PushOutcome>> push(std::vector<std::string> udids) override;

 private:
  boost::asio::awaitable<PushOutcome> push_one(std::string udid);
  boost::asio::awaitable<std::vector<PushOutcome>> gather(boost::asio::any_io_executor pool,
                                                          std::vector<std::string> udids);

  store::EnrollmentStore& enrollments_;
  store::PushStatusStore& status_;
  std::unique_ptr<ApnsClient> client_;
  std::shared_ptr<Clock> clock_;
  metrics::Family<metrics::Counter>* pushes_ = nullptr;
};

// When no APNs is configured: every push is skipped (and counted), nothing else happens.
class NoPusher final : public Pusher {
 public:
  explicit NoPusher(metrics::Registry* metrics);
  boost::asio::awaitable<std::vector<PushOutcome>> push(std::vector<std::string> udids) override;

 private:
  metrics::Family<metrics::Counter>* pushes_ = nullptr;
};

}  // namespace mdmlab::server::apple
