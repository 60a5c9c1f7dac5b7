#include "server/store/sqlite/migrations.hpp"

namespace mdmlab::server::store::sqlite {

const std::vector<db::Migration>& migrations() {
  static const std::vector<db::Migration> all = {
      {1, R"sql(
CREATE TABLE scep_transactions (
  transaction_id     TEXT PRIMARY KEY,
  key_fingerprint    TEXT NOT NULL,
  message_type       TEXT NOT NULL,
  subject            TEXT NOT NULL,
  csr_der            BLOB NOT NULL,
  status             TEXT NOT NULL CHECK (status IN ('pending', 'issued', 'rejected')),
  certificate_serial TEXT,
  created_at         INTEGER NOT NULL,
  updated_at         INTEGER NOT NULL
);
CREATE INDEX scep_transactions_status ON scep_transactions (status, created_at);
CREATE TABLE certificates (
  serial         TEXT PRIMARY KEY,
  subject        TEXT NOT NULL,
  transaction_id TEXT,
  der            BLOB NOT NULL,
  not_before     INTEGER NOT NULL,
  not_after      INTEGER NOT NULL,
  issued_at      INTEGER NOT NULL
);
)sql"},
      {2, R"sql(
CREATE TABLE apple_enrollments (
  udid               TEXT PRIMARY KEY,
  topic              TEXT NOT NULL DEFAULT '',
  serial_number      TEXT NOT NULL DEFAULT '',
  model              TEXT NOT NULL DEFAULT '',
  os_version         TEXT NOT NULL DEFAULT '',
  build_version      TEXT NOT NULL DEFAULT '',
  device_name        TEXT NOT NULL DEFAULT '',
  push_token         BLOB,
  push_magic         TEXT NOT NULL DEFAULT '',
  unlock_token       BLOB,
  bootstrap_token    BLOB,
  enabled            INTEGER NOT NULL DEFAULT 0,
  token_update_count INTEGER NOT NULL DEFAULT 0,
  authenticated_at   INTEGER NOT NULL DEFAULT 0,
  token_updated_at   INTEGER NOT NULL DEFAULT 0,
  last_seen_at       INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE apple_cert_bindings (
  cert_fingerprint TEXT PRIMARY KEY,
  udid             TEXT NOT NULL,
  bound_at         INTEGER NOT NULL
);
CREATE TABLE apple_commands (
  seq          INTEGER PRIMARY KEY AUTOINCREMENT,
  command_uuid TEXT NOT NULL UNIQUE,
  request_type TEXT NOT NULL,
  plist        TEXT NOT NULL,
  priority     INTEGER NOT NULL DEFAULT 0,
  created_at   INTEGER NOT NULL
);
CREATE TABLE apple_command_queue (
  udid          TEXT NOT NULL,
  command_uuid  TEXT NOT NULL,
  seq           INTEGER NOT NULL,
  priority      INTEGER NOT NULL,
  active        INTEGER NOT NULL DEFAULT 1,
  status        TEXT NOT NULL DEFAULT '',
  result        TEXT NOT NULL DEFAULT '',
  not_now_at    INTEGER,
  not_now_count INTEGER NOT NULL DEFAULT 0,
  updated_at    INTEGER NOT NULL,
  PRIMARY KEY (udid, command_uuid)
);
-- The next-command query walks this index: device, still active, priority desc, then age.
CREATE INDEX apple_queue_next ON apple_command_queue (udid, active, priority DESC, seq);
CREATE INDEX apple_queue_by_command ON apple_command_queue (command_uuid);
)sql"},
      {3, R"sql(
-- What APNs last said about the device's token: '' (never pushed), ok, invalid (400
-- BadDeviceToken/DeviceTokenNotForTopic or 410: no pushes until the next TokenUpdate), error.
ALTER TABLE apple_enrollments ADD COLUMN push_status TEXT NOT NULL DEFAULT '';
ALTER TABLE apple_enrollments ADD COLUMN push_error TEXT NOT NULL DEFAULT '';
ALTER TABLE apple_enrollments ADD COLUMN last_push_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE apple_enrollments ADD COLUMN push_count INTEGER NOT NULL DEFAULT 0;
)sql"},
      {4, R"sql(
-- Certificate binding per enrollment: one current identity certificate each. Binding a new
-- one (Authenticate) replaces the old, which then stops working; several enrollments share a
-- certificate only where the binding policy allows duplicates.
CREATE TABLE apple_enrollment_certs (
  udid             TEXT PRIMARY KEY,
  cert_fingerprint TEXT NOT NULL,
  bound_at         INTEGER NOT NULL
);
CREATE INDEX apple_enrollment_certs_by_cert ON apple_enrollment_certs (cert_fingerprint);
INSERT INTO apple_enrollment_certs (udid, cert_fingerprint, bound_at)
  SELECT udid, cert_fingerprint, MAX(bound_at) FROM apple_cert_bindings GROUP BY udid;
DROP TABLE apple_cert_bindings;
)sql"},
      {5, R"sql(
-- User channels (NanoMDM's enrollment ids): a row per channel, "UDID" for the device and
-- "UDID:UserID" for each user, each with its own push token, magic and command queue.
ALTER TABLE apple_enrollments ADD COLUMN device_udid TEXT NOT NULL DEFAULT '';
ALTER TABLE apple_enrollments ADD COLUMN user_id TEXT NOT NULL DEFAULT '';
ALTER TABLE apple_enrollments ADD COLUMN user_short_name TEXT NOT NULL DEFAULT '';
ALTER TABLE apple_enrollments ADD COLUMN user_long_name TEXT NOT NULL DEFAULT '';
UPDATE apple_enrollments SET device_udid = udid;
CREATE INDEX apple_enrollments_by_device ON apple_enrollments (device_udid);
)sql"},
      {6, R"sql(
-- Apple's DEP API: one sync state (cursor, the ADE profile we defined) and the devices the
-- organisation assigned to this server, as ABM last reported them.
CREATE TABLE dep_state (
  id           INTEGER PRIMARY KEY CHECK (id = 1),
  cursor       TEXT NOT NULL DEFAULT '',
  profile_uuid TEXT NOT NULL DEFAULT '',
  profile_hash TEXT NOT NULL DEFAULT ''
);
INSERT INTO dep_state (id) VALUES (1);
CREATE TABLE dep_devices (
  serial_number  TEXT PRIMARY KEY,
  model          TEXT NOT NULL DEFAULT '',
  os             TEXT NOT NULL DEFAULT '',
  device_family  TEXT NOT NULL DEFAULT '',
  description    TEXT NOT NULL DEFAULT '',
  color          TEXT NOT NULL DEFAULT '',
  op_type        TEXT NOT NULL DEFAULT '',
  op_date        TEXT NOT NULL DEFAULT '',
  profile_uuid   TEXT NOT NULL DEFAULT '',
  profile_status TEXT NOT NULL DEFAULT '',
  assign_result  TEXT NOT NULL DEFAULT '',
  deleted        INTEGER NOT NULL DEFAULT 0,
  updated_at     INTEGER NOT NULL
);
)sql"},
      {7, R"sql(
-- Bootstrap tokens are sealed (AES-256-GCM under DATA_DIR/escrow.key) from now on; tokens
-- stored in the clear before are dropped rather than kept readable. A Mac escrows its token
-- again when it is asked (or re-enrolls).
UPDATE apple_enrollments SET bootstrap_token = NULL WHERE bootstrap_token IS NOT NULL;
)sql"},
      {8, R"sql(
-- Declarative Device Management: declarations, sets of them, enrollments assigned to sets,
-- and what each enrollment last reported per declaration, with the errors its reports carried.
CREATE TABLE ddm_declarations (
  identifier   TEXT PRIMARY KEY,
  type         TEXT NOT NULL,
  server_token TEXT NOT NULL,
  payload      TEXT NOT NULL
);
CREATE TABLE ddm_set_declarations (
  set_name   TEXT NOT NULL,
  identifier TEXT NOT NULL REFERENCES ddm_declarations (identifier),
  PRIMARY KEY (set_name, identifier)
);
CREATE TABLE ddm_enrollment_sets (
  enrollment_id TEXT NOT NULL,
  set_name      TEXT NOT NULL,
  PRIMARY KEY (enrollment_id, set_name)
);
CREATE TABLE ddm_status (
  enrollment_id TEXT NOT NULL,
  identifier    TEXT NOT NULL,
  kind          TEXT NOT NULL,
  active        INTEGER NOT NULL,
  valid         TEXT NOT NULL,
  server_token  TEXT NOT NULL,
  reasons       TEXT NOT NULL,
  updated_at    INTEGER NOT NULL,
  PRIMARY KEY (enrollment_id, identifier)
);
CREATE TABLE ddm_status_errors (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  enrollment_id TEXT NOT NULL,
  error         TEXT NOT NULL,
  at            INTEGER NOT NULL
);
CREATE INDEX ddm_status_errors_by_enrollment ON ddm_status_errors (enrollment_id, id);
)sql"},
      {9, R"sql(
-- Who signed in at the identity provider for a device (authenticated ADE), by UDID.
CREATE TABLE apple_idp_users (
  udid          TEXT PRIMARY KEY,
  serial_number TEXT NOT NULL DEFAULT '',
  username      TEXT NOT NULL,
  name          TEXT NOT NULL DEFAULT '',
  subject       TEXT NOT NULL,
  tenant        TEXT NOT NULL DEFAULT '',
  signed_in_at  INTEGER NOT NULL
);
)sql"},
      {10, R"sql(
-- Windows MDM: enrollments by DeviceID, bound to the certificate issued at enrollment.
CREATE TABLE windows_enrollments (
  device_id        TEXT PRIMARY KEY,
  hw_dev_id        TEXT NOT NULL DEFAULT '',
  upn              TEXT NOT NULL DEFAULT '',
  enrollment_type  TEXT NOT NULL DEFAULT '',
  device_name      TEXT NOT NULL DEFAULT '',
  os_version       TEXT NOT NULL DEFAULT '',
  model            TEXT NOT NULL DEFAULT '',
  manufacturer     TEXT NOT NULL DEFAULT '',
  cert_fingerprint TEXT NOT NULL,
  cert_serial      TEXT NOT NULL,
  enabled          INTEGER NOT NULL DEFAULT 1,
  enrolled_at      INTEGER NOT NULL,
  last_seen_at     INTEGER NOT NULL DEFAULT 0
);
-- Their command queue: the SyncML command, the device's Status and Results.
CREATE TABLE windows_commands (
  command_uuid TEXT PRIMARY KEY,
  device_id    TEXT NOT NULL,
  verb         TEXT NOT NULL,
  syncml       TEXT NOT NULL,
  status       TEXT NOT NULL DEFAULT '',
  results      TEXT NOT NULL DEFAULT '[]',
  created_at   INTEGER NOT NULL,
  answered_at  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX windows_commands_pending ON windows_commands (device_id, status);
)sql"},
      {11, R"sql(
-- Agents (seed 001): the hosts they enrolled, IdP accounts by email, the host <-> account link
-- and the Windows enrollment <-> host link.
CREATE TABLE agent_hosts (
  uuid          TEXT PRIMARY KEY,
  node_key_hash TEXT NOT NULL,
  serial        TEXT NOT NULL DEFAULT '',
  hostname      TEXT NOT NULL DEFAULT '',
  platform      TEXT NOT NULL DEFAULT '',
  enrolled_at   INTEGER NOT NULL
);
CREATE TABLE idp_accounts (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  email      TEXT NOT NULL UNIQUE,
  first_name TEXT NOT NULL DEFAULT '',
  last_name  TEXT NOT NULL DEFAULT ''
);
CREATE TABLE host_idp_accounts (
  host_uuid  TEXT PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES idp_accounts (id)
);
ALTER TABLE windows_enrollments ADD COLUMN host_uuid TEXT NOT NULL DEFAULT '';
)sql"},
      {12, R"sql(
-- SCIM users the identity provider provisions, and the host <-> SCIM user mapping (seed 001).
CREATE TABLE scim_users (
  id          TEXT PRIMARY KEY,
  external_id TEXT NOT NULL DEFAULT '',
  user_name   TEXT NOT NULL,
  given_name  TEXT NOT NULL DEFAULT '',
  family_name TEXT NOT NULL DEFAULT '',
  email       TEXT NOT NULL DEFAULT '',
  active      INTEGER NOT NULL DEFAULT 1,
  created_at  INTEGER NOT NULL,
  modified_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX scim_users_user_name ON scim_users (user_name COLLATE NOCASE);
CREATE TABLE host_scim_users (
  host_uuid    TEXT PRIMARY KEY,
  scim_user_id TEXT NOT NULL REFERENCES scim_users (id)
);
)sql"},
  };
  return all;
}

}  // namespace mdmlab::server::store::sqlite
