#include "tests/support/process.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace mdmlab::testing {

std::string mdmlab_cli() {
  if (const char* p = std::getenv("MDMLAB_CLI"); p && *p) return p;
  return std::string(MDMLAB_BINARY_DIR) + "/apps/mdmlab";
}

ProcessResult run_command(const std::string& command) {
  ProcessResult r;
  std::string cmd = command + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return r;
  std::array<char, 4096> buf{};
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) r.output.append(buf.data(), n);
  int status = pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

bool have_program(const std::string& program) {
  if (!program.empty() && program[0] == '/') return access(program.c_str(), X_OK) == 0;
  return run_command("command -v '" + program + "' >/dev/null").exit_code == 0;
}

std::string make_temp_dir(const std::string& prefix) {
  std::string tmpl = (std::filesystem::temp_directory_path() / (prefix + "XXXXXX")).string();
  char* d = mkdtemp(tmpl.data());
  return d ? std::string(d) : std::string();
}

void write_file(const std::string& path, const std::string& content) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << content;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

BackgroundProcess::BackgroundProcess(const std::vector<std::string>& argv,
                                     const std::string& log_path) {
  pid_ = fork();
  if (pid_ == 0) {
    setpgid(0, 0);
    int fd = open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
      dup2(fd, 1);
      dup2(fd, 2);
    }
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execvp(args[0], args.data());
    _exit(127);
  }
}

BackgroundProcess::~BackgroundProcess() {
  if (pid_ <= 0 || reaped_) return;
  kill(-pid_, SIGTERM);
  for (int i = 0; i < 50; ++i) {
    if (reap(WNOHANG)) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  kill(-pid_, SIGKILL);
  reap(0);
}

bool BackgroundProcess::reap(int options) {
  if (reaped_) return true;
  int status = 0;
  if (waitpid(pid_, &status, options) != pid_) return false;
  reaped_ = true;
  exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return true;
}

bool BackgroundProcess::running() {
  return pid_ > 0 && !reap(WNOHANG);
}

int BackgroundProcess::wait_exit(int timeout_ms) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (!reap(WNOHANG)) {
    if (std::chrono::steady_clock::now() >= deadline) return -1;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return exit_code_;
}

int BackgroundProcess::stop(int signal, int timeout_ms) {
  if (!reaped_) kill(pid_, signal);
  return wait_exit(timeout_ms);
}

bool wait_for_port(unsigned short port, int timeout_ms) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (std::chrono::steady_clock::now() < deadline) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bool ok = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    close(fd);
    if (ok) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

std::string raw_exchange(unsigned short port, const std::string& data, int timeout_ms) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    return {};
  }
  timeval tv{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  std::size_t sent = 0;
  while (sent < data.size()) {
    auto n = send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += static_cast<std::size_t>(n);
  }
  shutdown(fd, SHUT_WR);
  std::string out;
  char buf[4096];
  for (;;) {
    auto n = recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  close(fd);
  return out;
}

unsigned short free_port() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

ServeProcess::ServeProcess(const std::string& dir, const std::vector<std::string>& extra,
                           bool https)
    : port_(free_port()), process_(argv(dir, port_, extra, https), dir + "/serve.log") {}

std::vector<std::string> ServeProcess::argv(const std::string& dir, unsigned short port,
                                            const std::vector<std::string>& extra, bool https) {
  std::vector<std::string> a = {
      mdmlab_cli(), "--log-level", "warn",     "serve",
      "--data-dir", dir + "/data", "--listen", "127.0.0.1:" + std::to_string(port)};
  if (https) {
    a.push_back("--https-listen");
    a.push_back("127.0.0.1:" + std::to_string(free_port()));
  }
  a.insert(a.end(), extra.begin(), extra.end());
  return a;
}

bool ServeProcess::ready(int timeout_ms) {
  return wait_for_port(port_, timeout_ms);
}

std::string ServeProcess::base() const {
  return "http://127.0.0.1:" + std::to_string(port_);
}

std::string serve_command_api(const std::string& base) {
  return R"("command_api": {"method": "POST", "url": ")" + base +
         R"(/admin/v1/apple/commands", "body": "{\"udids\": [\"{udid}\"], \"plist\": \"{plist}\"}", "bearer_file": "data/admin-token"})";
}

bool wait_for_file(const std::string& path, int timeout_ms) {
  for (int waited = 0; waited < timeout_ms; waited += 50) {
    if (std::filesystem::exists(path)) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return std::filesystem::exists(path);
}

}  // namespace mdmlab::testing
