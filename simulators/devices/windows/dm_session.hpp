// One OMA DM management session from the PC's side (MS-MDM 3.1.5, OMA-TS-DM_Protocol 1.2),
// without the transport: the opening message (Alert 1201 client-initiated, Alert 1224
// LoginStatus, Replace of ./DevInfo, Final; CmdIDs from 2 as Windows numbers them), and the
// answer to each server message: a Status for its SyncHdr (CmdRef 0) and for every command
// (MsgRef, CmdRef, Cmd, the code; one per distinct code with TargetRefs when a command has
// several Items), Results for Gets (Source LocURI, Meta Format, Data), all Statuses first.
// Commands run against the CSP tree: Atomic all or nothing (a failure rolls the tree back;
// the Atomic answers 507, its done commands 216, the failing one its own code, the ones after
// it 215; a Get or an Atomic inside an Atomic fails with 500, as Windows does), Sequence in
// order. A server message without Final gets Alert 1222 (send the rest). A large object's chunks
// (Item MoreData) are answered 213 and kept until the last; the whole is applied then, or 424
// when it is not the Size the first chunk announced.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "protocol/windows/syncml.hpp"
#include "simulators/devices/windows/csp_tree.hpp"

namespace mdmlab::simulators::windows_pc {

// A server command and what the PC answered.
struct ReceivedCommand {
  std::string session_id, msg_id;  // the server message's
  std::string name, cmd_id;        // Get, Replace, ..., Atomic
  std::string target;              // the first Item's Target LocURI
  std::string status;              // the code answered; codes comma-separated if several
  std::string data;                // the first Item's Data (Replace, Add, Exec)
};

class DmSession {
 public:
  // Keeps a reference to `tree`, which must outlive the session.
  DmSession(CspTree& tree, std::string session_id, std::string device_id, std::string server_url);

  // Message 1: Alert 1201, Alert 1224 (Meta Type com.microsoft/MDM/LoginStatus, Data
  // `login_status`: "user" or "others"), Replace of ./DevInfo/{DevId,Man,Mod,DmV,Lang}.
  mdmlab::windows::syncml::Message opening(const std::string& login_status);
  // The same, with Alert 1226 (Meta Type com.microsoft:mdm.unenrollment.userrequest, Format
  // int, Data 1) after the LoginStatus: the user removed the work account (MS-MDM 3.1.5.x).
  mdmlab::windows::syncml::Message unenroll_opening(const std::string& login_status);
  // The server is done: its message has Final and nothing but Status and Results.
  static bool finished(const mdmlab::windows::syncml::Message& server);
  // The server's Status for the SyncHdr of our last message ("" when it sent none).
  std::string header_status(const mdmlab::windows::syncml::Message& server) const;
  // Runs the server's commands and builds the next message (MsgID + 1).
  mdmlab::windows::syncml::Message answer(const mdmlab::windows::syncml::Message& server);

  // Sent in our SyncHdr Meta: the server keeps its messages under it, splitting larger objects
  // (OMA DM large objects: MoreData, Size); 0: none sent.
  void set_max_msg_size(long long bytes) { max_msg_size_ = bytes; }

  const std::vector<ReceivedCommand>& received() const { return received_; }
  const std::string& session_id() const { return session_id_; }
  int msg_id() const { return msg_id_; }  // of the last message built

 private:
  struct ItemCode {
    std::string target;
    int code;
  };
  // What one command came to: its codes, and Results for a Get.
  struct Step {
    const mdmlab::windows::syncml::Command* cmd;
    std::vector<ItemCode> codes;
    std::vector<mdmlab::windows::syncml::Item> results;
  };
  void run(const mdmlab::windows::syncml::Command& c, std::vector<Step>& out, bool in_atomic);
  void run_atomic(const mdmlab::windows::syncml::Command& c, std::vector<Step>& out,
                  bool in_atomic);
  Step run_items(const mdmlab::windows::syncml::Command& c, bool in_atomic);
  static void not_executed(const mdmlab::windows::syncml::Command& c, std::vector<Step>& out);
  mdmlab::windows::syncml::Header header();

  CspTree& tree_;
  std::string session_id_, device_id_, server_url_;
  int msg_id_ = 0;
  long long max_msg_size_ = 0;
  // Large objects arriving in chunks, by target: the Data so far and the Size announced.
  struct Partial {
    std::string data;
    long long size = -1;
  };
  std::map<std::string, Partial> partial_;
  std::vector<ReceivedCommand> received_;
};

}  // namespace mdmlab::simulators::windows_pc
