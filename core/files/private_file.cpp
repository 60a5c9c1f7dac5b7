#include "core/files/private_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "crypto/random.hpp"

namespace mdmlab::files {
namespace fs = std::filesystem;

namespace {
Error io_error(const std::string& what, const fs::path& path, int err) {
  return make_error("io_error", what + " " + path.string() + ": " + std::strerror(err));
}

Result<void> create_private_dirs(const fs::path& dir) {
  if (dir.empty() || fs::exists(dir)) return success();
  if (auto r = create_private_dirs(dir.parent_path()); !r) return r;
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)
    return io_error("cannot create", dir, errno);
  return success();
}
}  // namespace

Result<void> write_private_file(const fs::path& path, const std::string& content) {
  if (auto r = create_private_dirs(path.parent_path()); !r) return r;
  auto tmp = path;
  tmp += ".tmp-" + hex_encode(crypto::random_bytes(8));
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) return io_error("cannot create", tmp, errno);
  auto fail = [&](const char* what) {
    int err = errno;
    ::close(fd);
    ::unlink(tmp.c_str());
    return io_error(what, tmp, err);
  };
  // The mode given to open() is filtered by the umask; make sure it is exactly 0600.
  if (::fchmod(fd, 0600) != 0) return fail("cannot chmod");
  for (std::size_t off = 0; off < content.size();) {
    auto n = ::write(fd, content.data() + off, content.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail("cannot write");
    }
    off += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) return fail("cannot sync");
  if (::close(fd) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    return io_error("cannot close", tmp, err);
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    return io_error("cannot rename onto", path, err);
  }
  return success();
}

Result<std::string> read_text_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error("io_error", "cannot read " + path.string());
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Result<std::string> read_secret_file(const fs::path& path) {
  auto text = read_text_file(path);
  if (!text) return text;
  auto s = std::move(*text);
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

}  // namespace mdmlab::files
