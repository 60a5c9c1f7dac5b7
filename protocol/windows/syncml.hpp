// SyncML 1.2 as OMA DM 1.2 and MS-MDM use it (application/vnd.syncml.dm+xml, xmlns
// SYNCML:SYNCML1.2): one message is a SyncHdr (VerDTD 1.2, VerProto DM/1.2, SessionID, MsgID,
// Target and Source LocURI, Cred, Meta MaxMsgSize) and a SyncBody of commands — Alert, Status,
// Results, Get, Replace, Add, Delete, Exec, Atomic and Sequence (which nest commands) — ended by
// Final when the package is complete. Items carry Target/Source LocURIs, Meta (Format, Type,
// Size; in the syncml:metinf namespace, read by local name because clients vary the prefix),
// Data and MoreData (a large object split over messages).
//
// The reader takes the XML as a real client sends it (compact, prefixes or default namespaces)
// and refuses what is not a SyncML 1.2 DM message: another root, version or protocol, no
// SessionID/MsgID/Source, a command without CmdID, unknown commands, nesting deeper than
// Atomic/Sequence allow, invalid UTF-8. The writer emits the layout Windows accepts: Status
// first, Meta children with xmlns="syncml:metinf".
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace mdmlab::windows::syncml {

inline constexpr const char* kContentType = "application/vnd.syncml.dm+xml";
inline constexpr const char* kNamespace = "SYNCML:SYNCML1.2";
inline constexpr const char* kMetaNamespace = "syncml:metinf";

// OMA DM alert codes (OMA-TS-DM_Protocol 1.2 section 8.6 and MS-MDM).
inline constexpr const char* kAlertClientInitiated = "1201";
inline constexpr const char* kAlertServerInitiated = "1200";
inline constexpr const char* kAlertSessionAbort = "1223";
inline constexpr const char* kAlertGeneric = "1224";  // Windows: LoginStatus, unenrollment
inline constexpr const char* kAlertNextMessage = "1222";
inline constexpr const char* kAlertUnenroll = "1226";  // com.microsoft:mdm.unenrollment.userrequest

struct Meta {
  std::string format;                     // chr, int, bool, b64, xml, node, null...
  std::string type;                       // a MIME type or e.g. com.microsoft/MDM/LoginStatus
  std::optional<long long> size;          // the whole object's size, on the first chunk
  std::optional<long long> max_msg_size;  // SyncHdr only
  std::string next_nonce;                 // Chal: syncml:auth-md5 NextNonce (base64)
  bool empty() const {
    return format.empty() && type.empty() && !size && !max_msg_size && next_nonce.empty();
  }
};

struct Item {
  std::string target;  // LocURI
  std::string source;  // LocURI
  std::optional<Meta> meta;
  std::optional<std::string> data;  // text, or the XML inside <Data> when data_is_xml
  bool data_is_xml = false;
  bool more_data = false;
};

struct Cred {
  Meta meta;  // Format (b64), Type (syncml:auth-md5, syncml:auth-basic)
  std::string data;
};

struct Command {
  std::string name;    // Alert, Status, Results, Get, Replace, Add, Delete, Exec, Atomic, Sequence
  std::string cmd_id;  // unique within the message
  bool no_resp = false;
  std::optional<Cred> cred;
  std::optional<Meta> meta;
  std::string data;        // Alert: the code; Status: the status code
  std::string correlator;  // Alert (DM 1.2): ties a generic alert to an Exec
  // Status and Results.
  std::string msg_ref, cmd_ref;
  std::string cmd;  // Status: the command it answers ("SyncHdr" for the header)
  std::vector<std::string> target_refs, source_refs;
  std::optional<Meta> chal;  // Status of SyncHdr: an authentication challenge
  std::vector<Item> items;
  std::vector<Command> children;  // Atomic, Sequence
};

struct Header {
  std::string ver_dtd = "1.2";
  std::string ver_proto = "DM/1.2";
  std::string session_id;
  std::string msg_id;
  std::string target;  // LocURI: the server's URL (client messages) or the DeviceID
  std::string source;  // LocURI: the DeviceID (client messages) or the server's URL
  std::optional<Cred> cred;
  std::optional<Meta> meta;  // MaxMsgSize, MaxObjSize
};

struct Message {
  Header header;
  std::vector<Command> body;
  bool final = false;
};

// The commands a SyncBody may hold, and those that nest.
bool is_known_command(std::string_view name);
bool is_container(std::string_view name);

inline constexpr int kMaxDepth = 4;                 // Atomic/Sequence nesting
inline constexpr std::size_t kMaxCommands = 10000;  // in one message, nested ones included

Result<Message> parse(std::string_view xml);
// Fragments, as the specifications show them: one command on its own, or a SyncBody (alone
// or in a <SyncML> without SyncHdr, whatever its namespace version).
Result<Command> parse_command(std::string_view xml);
Result<std::vector<Command>> parse_body(std::string_view xml);
Result<std::string> serialize(const Message& m);
// One command element on its own (what parse_command reads back), e.g. to queue it.
Result<std::string> serialize_command(const Command& c);

}  // namespace mdmlab::windows::syncml
