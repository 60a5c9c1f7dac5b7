// Certificate binding (NanoMDM's certauth storage): each enrollment has one current identity
// certificate, by SHA-256 fingerprint; binding another replaces it, so the old one stops working.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "server/store/time_point.hpp"

namespace mdmlab::server::store {

class CertBindingStore {
 public:
  virtual ~CertBindingStore() = default;
  virtual boost::asio::awaitable<Result<std::optional<std::string>>> enrollment_certificate(
      std::string udid) = 0;
  // The enrollments whose current certificate this is (more than one only where the binding
  // policy allows duplicates).
  virtual boost::asio::awaitable<Result<std::vector<std::string>>> certificate_enrollments(
      std::string fingerprint) = 0;
  virtual boost::asio::awaitable<Result<void>> bind_certificate(std::string fingerprint,
                                                                std::string udid, TimePoint at) = 0;
  // Forgets an enrollment's certificate (e.g. after moving devices to another identity CA).
  virtual boost::asio::awaitable<Result<bool>> unbind_certificate(std::string udid) = 0;
};

}  // namespace mdmlab::server::store
