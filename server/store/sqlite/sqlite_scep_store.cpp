#include "server/store/sqlite/sqlite_scep_store.hpp"

#include "server/store/sqlite/time_columns.hpp"

namespace mdmlab::server::store {

std::string to_string(ScepTransactionStatus s) {
  switch (s) {
    case ScepTransactionStatus::pending:
      return "pending";
    case ScepTransactionStatus::issued:
      return "issued";
    case ScepTransactionStatus::rejected:
      return "rejected";
  }
  return "pending";
}

std::optional<ScepTransactionStatus> scep_status_from(const std::string& s) {
  if (s == "pending") return ScepTransactionStatus::pending;
  if (s == "issued") return ScepTransactionStatus::issued;
  if (s == "rejected") return ScepTransactionStatus::rejected;
  return std::nullopt;
}

namespace sqlite {
namespace {
using boost::asio::awaitable;

constexpr const char* kTxColumns =
    "transaction_id, key_fingerprint, message_type, subject, csr_der, status, "
    "certificate_serial, created_at, updated_at";

ScepTransaction read_tx(db::Statement& st) {
  ScepTransaction tx;
  tx.transaction_id = st.text(0);
  tx.key_fingerprint = st.text(1);
  tx.message_type = st.text(2);
  tx.subject = st.text(3);
  tx.csr_der = st.blob(4);
  tx.status = scep_status_from(st.text(5)).value_or(ScepTransactionStatus::pending);
  tx.certificate_serial = st.is_null(6) ? std::string() : st.text(6);
  tx.created_at = from_unix(st.int64(7));
  tx.updated_at = from_unix(st.int64(8));
  return tx;
}

std::optional<ScepTransaction> select_tx(db::Connection& c, const std::string& id) {
  auto st = c.prepare(std::string("SELECT ") + kTxColumns +
                      " FROM scep_transactions WHERE transaction_id = ?");
  st.bind(1, id);
  if (!st.step()) return std::nullopt;
  return read_tx(st);
}

void insert_cert(db::Connection& c, const IssuedCertificate& cert) {
  c.prepare(
       "INSERT INTO certificates (serial, subject, transaction_id, der, not_before, not_after, "
       "issued_at) "
       "VALUES (?, ?, ?, ?, ?, ?, ?)")
      .bind(1, cert.serial)
      .bind(2, cert.subject)
      .bind(3, cert.transaction_id)
      .bind(4, cert.der)
      .bind(5, to_unix(cert.not_before))
      .bind(6, to_unix(cert.not_after))
      .bind(7, to_unix(cert.issued_at))
      .step();
}
}  // namespace

awaitable<Result<std::optional<ScepTransaction>>> SqliteScepStore::find_transaction(
    std::string id) {
  // A named lambda: GCC 12 destroys a closure temporary inside co_await twice.
  auto fn = [id](db::Connection& c) { return select_tx(c, id); };
  auto result = co_await db_.guarded("find_transaction", std::move(fn));
  co_return result;
}

awaitable<Result<ScepTransaction>> SqliteScepStore::insert_transaction(
    ScepTransaction tx, std::optional<IssuedCertificate> cert, bool replace_decided) {
  // A named lambda: GCC 12 destroys a closure temporary inside co_await twice.
  auto fn = [tx, cert, replace_decided](db::Connection& c) {
    return c.transaction([&]() -> ScepTransaction {
      if (auto existing = select_tx(c, tx.transaction_id)) {
        if (!replace_decided || existing->status == ScepTransactionStatus::pending)
          return *existing;
        c.prepare("DELETE FROM scep_transactions WHERE transaction_id = ?")
            .bind(1, tx.transaction_id)
            .step();
      }
      c.prepare(std::string("INSERT INTO scep_transactions (") + kTxColumns +
                ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
          .bind(1, tx.transaction_id)
          .bind(2, tx.key_fingerprint)
          .bind(3, tx.message_type)
          .bind(4, tx.subject)
          .bind(5, tx.csr_der)
          .bind(6, to_string(tx.status))
          .bind(7, tx.certificate_serial)
          .bind(8, to_unix(tx.created_at))
          .bind(9, to_unix(tx.updated_at))
          .step();
      if (cert) insert_cert(c, *cert);
      return tx;
    });
  };
  auto result = co_await db_.guarded("insert_transaction", std::move(fn));
  co_return result;
}

awaitable<Result<bool>> SqliteScepStore::decide_transaction(std::string id,
                                                            ScepTransactionStatus decision,
                                                            std::optional<IssuedCertificate> cert,
                                                            TimePoint at) {
  // A named lambda: GCC 12 destroys a closure temporary inside co_await twice.
  auto fn = [id, decision, cert, at](db::Connection& c) {
    return c.transaction([&]() -> bool {
      auto st = c.prepare(
          "UPDATE scep_transactions SET status = ?, certificate_serial = ?, updated_at = ? "
          "WHERE transaction_id = ? AND status = 'pending'");
      st.bind(1, to_string(decision));
      if (cert)
        st.bind(2, cert->serial);
      else
        st.bind_null(2);
      st.bind(3, to_unix(at)).bind(4, id);
      st.step();
      if (c.changes() != 1) return false;
      if (cert) insert_cert(c, *cert);
      return true;
    });
  };
  auto result = co_await db_.guarded("decide_transaction", std::move(fn));
  co_return result;
}

awaitable<Result<std::vector<ScepTransaction>>> SqliteScepStore::list_transactions(
    std::optional<ScepTransactionStatus> status) {
  // A named lambda: GCC 12 destroys a closure temporary inside co_await twice.
  auto fn = [status](db::Connection& c) {
    std::string sql = std::string("SELECT ") + kTxColumns + " FROM scep_transactions";
    if (status) sql += " WHERE status = ?";
    sql += " ORDER BY created_at, transaction_id";
    auto st = c.prepare(sql);
    if (status) st.bind(1, to_string(*status));
    std::vector<ScepTransaction> out;
    while (st.step()) out.push_back(read_tx(st));
    return out;
  };
  auto result = co_await db_.guarded("list_transactions", std::move(fn));
  co_return result;
}

awaitable<Result<std::optional<IssuedCertificate>>> SqliteScepStore::find_certificate(
    std::string serial) {
  // A named lambda: GCC 12 destroys a closure temporary inside co_await twice.
  auto fn = [serial](db::Connection& c) -> std::optional<IssuedCertificate> {
    auto st = c.prepare(
        "SELECT serial, subject, transaction_id, der, not_before, not_after, issued_at "
        "FROM certificates WHERE serial = ?");
    st.bind(1, serial);
    if (!st.step()) return std::nullopt;
    IssuedCertificate cert;
    cert.serial = st.text(0);
    cert.subject = st.text(1);
    cert.transaction_id = st.text(2);
    cert.der = st.blob(3);
    cert.not_before = from_unix(st.int64(4));
    cert.not_after = from_unix(st.int64(5));
    cert.issued_at = from_unix(st.int64(6));
    return cert;
  };
  auto result = co_await db_.guarded("find_certificate", std::move(fn));
  co_return result;
}

awaitable<Result<std::int64_t>> SqliteScepStore::count_certificates() {
  // A named lambda: GCC 12 destroys a closure temporary inside co_await twice.
  auto fn = [](db::Connection& c) {
    auto st = c.prepare("SELECT COUNT(*) FROM certificates");
    st.step();
    return st.int64(0);
  };
  auto result = co_await db_.guarded("count_certificates", std::move(fn));
  co_return result;
}

}  // namespace sqlite
}  // namespace mdmlab::server::store
