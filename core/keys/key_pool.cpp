#include "core/keys/key_pool.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <sstream>
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
  std::ifstream in(path);
  if (in) {
    std::stringstream ss;
    ss << in.rdbuf();
    auto key = crypto::PrivateKey::from_pem(ss.str());
    if (key) {
      std::lock_guard lock(mutex_);
      if (loaded_.size() <= index) loaded_.resize(index + 1);
      loaded_[index] = *key;
      return key;
    }
  }
  auto key = crypto::PrivateKey::generate_rsa(bits_);
  if (!key) return key.error();
  std::error_code ec;
  fs::create_directories(dir_, ec);
  if (ec) return make_error("key_cache", "cannot create " + dir_.string() + ": " + ec.message());
  // Write to a temporary file and rename, so concurrent processes never read half a key.
  auto tmp = path;
  tmp += ".tmp" + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << key->to_pem();
    if (!out) return make_error("key_cache", "cannot write " + tmp.string());
  }
  fs::permissions(tmp, fs::perms::owner_read | fs::perms::owner_write, ec);
  fs::rename(tmp, path, ec);
  if (ec)
    return make_error("key_cache", "cannot rename into " + path.string() + ": " + ec.message());
  std::lock_guard lock(mutex_);
  if (loaded_.size() <= index) loaded_.resize(index + 1);
  loaded_[index] = *key;
  return key;
}

Result<std::size_t> KeyPool::ensure(std::size_t count,
                                    const std::function<void(std::size_t, std::size_t)>& progress) {
  // Key generation is CPU-bound: one worker per core, each taking the next index.
  std::atomic<std::size_t> next{0}, done{0}, generated{0};
  std::mutex error_mutex;
  std::optional<Error> first_error;
  auto worker = [&] {
    for (std::size_t i = next++; i < count; i = next++) {
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

std::size_t KeyPool::cached_count() const {
  std::size_t n = 0;
  while (fs::exists(path_for(n))) ++n;
  return n;
}

}  // namespace mdmlab::keys
