#include "core/keys/key_pool.hpp"

#include "core/files/private_file.hpp"
#include "crypto/digest.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <optional>
#include <thread>

namespace mdmlab::keys {
namespace fs = std::filesystem;

fs::path default_cache_dir() {
  if (const char* d = std::getenv("MDMLAB_KEY_CACHE"); d && *d) return d;
  if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x)
    return fs::path(x) / "mdmlab" / "keys";
  if (const char* h = std::getenv("HOME"); h && *h)
    return fs::path(h) / ".cache" / "mdmlab" / "keys";
  return fs::temp_directory_path() / "mdmlab-keys";
}

KeyPool::KeyPool(fs::path dir, int bits) : dir_(std::move(dir)), bits_(bits) {}

fs::path KeyPool::path_for(std::size_t index) const {
  return dir_ / ("rsa" + std::to_string(bits_) + "-" + std::to_string(index) + ".pem");
}

Result<crypto::PrivateKey> KeyPool::get(std::size_t index) {
  {
    std::lock_guard lock(mutex_);
    if (index < loaded_.size() && !loaded_[index].empty()) return loaded_[index];
  }
  auto path = path_for(index);
  if (auto pem = files::read_text_file(path)) {
    auto key = crypto::PrivateKey::from_pem(*pem);
    if (key) {
      std::lock_guard lock(mutex_);
      if (loaded_.size() <= index) loaded_.resize(index + 1);
      loaded_[index] = *key;
      return key;
    }
  }
  auto key = crypto::PrivateKey::generate_rsa(bits_);
  if (!key) return key.error();
  // Owner-only and renamed into place, so concurrent processes never read half a key.
  if (auto w = files::write_private_file(path, key->to_pem()); !w)
    return make_error("key_cache", w.error().message);
  std::lock_guard lock(mutex_);
  if (loaded_.size() <= index) loaded_.resize(index + 1);
  loaded_[index] = *key;
  return key;
}

Result<std::size_t> KeyPool::ensure(std::size_t count,
                                    const std::function<void(std::size_t, std::size_t)>& progress,
                                    const std::atomic<bool>* stop) {
  // Key generation is CPU-bound: one worker per core, each taking the next index.
  std::atomic<std::size_t> next{0}, done{0}, generated{0};
  std::mutex error_mutex;
  std::optional<Error> first_error;
  auto worker = [&] {
    for (std::size_t i = next++; i < count; i = next++) {
      if (stop && *stop) {
        std::lock_guard lock(error_mutex);
        if (!first_error) first_error = make_error("stopped", "key generation stopped");
        return;
      }
      bool existed = fs::exists(path_for(i));
      auto k = get(i);
      if (!k) {
        std::lock_guard lock(error_mutex);
        if (!first_error) first_error = k.error();
        return;
      }
      if (!existed) ++generated;
      auto d = ++done;
      if (progress && !existed) progress(d, count);
    }
  };
  unsigned threads = std::max(1u, std::min(std::thread::hardware_concurrency(), 16u));
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < threads; ++t) pool.emplace_back(worker);
  for (auto& t : pool) t.join();
  if (first_error) return *first_error;
  return generated.load();
}

Result<std::size_t> KeyPool::lease(const std::string& target, std::size_t count) {
  auto leases = dir_ / "leases";
  std::error_code ec;
  fs::create_directories(leases, ec);
  if (ec) return make_error("key_cache", "cannot create " + leases.string() + ": " + ec.message());
  auto path = leases / (crypto::sha256_hex(to_bytes(target)).substr(0, 24) + ".next");
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return make_error("key_cache", "cannot open " + path.string());
  // One lease at a time per target, across processes: read, advance, write, unlock.
  if (::flock(fd, LOCK_EX) != 0) {
    ::close(fd);
    return make_error("key_cache", "cannot lock " + path.string());
  }
  std::string text(64, '\0');
  auto n = ::pread(fd, text.data(), text.size(), 0);
  std::size_t first = 0;
  if (n > 0) {
    text.resize(static_cast<std::size_t>(n));
    try {
      first = std::stoull(text);
    } catch (...) {
      first = 0;
    }
  }
  auto next = std::to_string(first + count) + "\n";
  bool written = ::ftruncate(fd, 0) == 0 &&
                 ::pwrite(fd, next.data(), next.size(), 0) == static_cast<ssize_t>(next.size()) &&
                 ::fsync(fd) == 0;
  ::flock(fd, LOCK_UN);
  ::close(fd);
  if (!written) return make_error("key_cache", "cannot write " + path.string());
  return first;
}

}  // namespace mdmlab::keys
