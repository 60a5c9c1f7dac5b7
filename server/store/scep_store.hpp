// Storage for the SCEP service: transactions (for idempotent replies, manual approval and
// CertPoll) and the certificates the CA issued. One interface; each backend is a folder.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/bytes.hpp"
#include "common/result.hpp"
#include "server/store/time_point.hpp"

namespace mdmlab::server::store {

enum class ScepTransactionStatus { pending, issued, rejected };
std::string to_string(ScepTransactionStatus s);
std::optional<ScepTransactionStatus> scep_status_from(const std::string& s);

struct ScepTransaction {
  std::string transaction_id;
  std::string key_fingerprint;  // SHA-256 of the requester's SubjectPublicKeyInfo
  std::string message_type;     // "PKCSReq" or "RenewalReq"
  std::string subject;          // from the CSR (RFC 2253)
  Bytes csr_der;
  ScepTransactionStatus status = ScepTransactionStatus::pending;
  std::string certificate_serial;  // once issued
  TimePoint created_at{};
  TimePoint updated_at{};
};

struct IssuedCertificate {
  std::string serial;  // uppercase hex
  std::string subject;
  std::string transaction_id;
  Bytes der;
  TimePoint not_before{};
  TimePoint not_after{};
  TimePoint issued_at{};
};

class ScepStore {
 public:
  virtual ~ScepStore() = default;

  virtual boost::asio::awaitable<Result<std::optional<ScepTransaction>>> find_transaction(
      std::string id) = 0;
  // Inserts `tx` (and, if given, its issued certificate in the same transaction) unless a
  // transaction with that id exists. Returns the stored row: the new one, or the one that won.
  // With `replace_decided`, an existing row that is no longer pending is replaced instead
  // (a RenewalReq reusing the transactionID of its finished PKCSReq, as micromdm's client does).
  virtual boost::asio::awaitable<Result<ScepTransaction>> insert_transaction(
      ScepTransaction tx, std::optional<IssuedCertificate> cert, bool replace_decided = false) = 0;
  // Moves a pending transaction to issued (with its certificate) or rejected. False if it
  // was not pending (already decided, or unknown).
  virtual boost::asio::awaitable<Result<bool>> decide_transaction(
      std::string id, ScepTransactionStatus decision, std::optional<IssuedCertificate> cert,
      TimePoint at) = 0;
  virtual boost::asio::awaitable<Result<std::vector<ScepTransaction>>> list_transactions(
      std::optional<ScepTransactionStatus> status) = 0;
  virtual boost::asio::awaitable<Result<std::optional<IssuedCertificate>>> find_certificate(
      std::string serial) = 0;
  virtual boost::asio::awaitable<Result<std::int64_t>> count_certificates() = 0;
};

}  // namespace mdmlab::server::store
