// Runs external programs (real peers: openssl, promtool, scepclient, ...) for tests.
#pragma once

#include <string>
#include <vector>

namespace mdmlab::testing {

struct ProcessResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};

// The mdmlab binary under test: $MDMLAB_CLI (set by ctest), else the build tree's.
std::string mdmlab_cli();
// Runs `command` through /bin/sh, capturing output. Never throws.
ProcessResult run_command(const std::string& command);
// True if `program` is on PATH (or an existing absolute path).
bool have_program(const std::string& program);
// A fresh empty temporary directory, removed by the caller (or left for debugging).
std::string make_temp_dir(const std::string& prefix);
void write_file(const std::string& path, const std::string& content);
std::string read_file(const std::string& path);
// A background process; killed (SIGTERM then SIGKILL) when destroyed.
class BackgroundProcess {
 public:
  BackgroundProcess(const std::vector<std::string>& argv, const std::string& log_path);
  ~BackgroundProcess();
  BackgroundProcess(const BackgroundProcess&) = delete;
  BackgroundProcess& operator=(const BackgroundProcess&) = delete;
  int pid() const { return pid_; }
  bool running();
  // Waits up to `timeout_ms` for the process to end by itself: its exit code (128 + N for
  // signal N), or -1 if it is still running.
  int wait_exit(int timeout_ms);
  // Sends `signal` to the process (not its group) and waits for it to end: its exit code
  // (128 + N when the signal N ended it), or -1 if it did not end within `timeout_ms`.
  int stop(int signal, int timeout_ms = 15000);

 private:
  bool reap(int options);
  int pid_ = -1;
  bool reaped_ = false;
  int exit_code_ = -1;
};
// `mdmlab serve` on loopback for a test: plain HTTP on a free port (and HTTPS on another when
// `https`), its data in DIR/data and its log in DIR/serve.log, with `extra` arguments; killed
// when destroyed. ready() waits until it listens.
class ServeProcess {
 public:
  ServeProcess(const std::string& dir, const std::vector<std::string>& extra = {},
               bool https = true);
  bool ready(int timeout_ms = 10000);
  unsigned short port() const { return port_; }
  std::string base() const;  // http://127.0.0.1:PORT

 private:
  static std::vector<std::string> argv(const std::string& dir, unsigned short port,
                                       const std::vector<std::string>& extra, bool https);
  unsigned short port_;
  BackgroundProcess process_;
};

// `"command_api": {...}` for a target.json: mdmlab serve's admin API at `base` described as any
// server's command API would be (bearer token from data/admin-token beside the target file).
std::string serve_command_api(const std::string& base);

// Polls until `path` exists (a peer writes its port there once it listens), or the timeout.
bool wait_for_file(const std::string& path, int timeout_ms = 5000);
// Polls until a TCP connect to 127.0.0.1:port succeeds (or the timeout passes).
bool wait_for_port(unsigned short port, int timeout_ms = 10000);
unsigned short free_port();
// Sends raw bytes to 127.0.0.1:port and returns everything read until the peer closes
// (or the timeout passes): for requests no well-behaved client would send.
std::string raw_exchange(unsigned short port, const std::string& data, int timeout_ms = 5000);

}  // namespace mdmlab::testing
