// `mdmlab keys`: fill the on-disk key pool shared by tests, simulators and load runs.
#include <chrono>
#include <iostream>

#include "apps/commands/commands.hpp"
#include "core/keys/key_pool.hpp"

namespace mdmlab::apps {
namespace {
struct KeysOptions {
  std::size_t count = 16;
  std::string dir;
  int bits = 2048;
};

int run_keys(const KeysOptions& o) {
  keys::KeyPool pool(o.dir.empty() ? keys::default_cache_dir() : std::filesystem::path(o.dir),
                     o.bits);
  auto start = std::chrono::steady_clock::now();
  std::size_t generated = 0;
  for (std::size_t i = 0; i < o.count; ++i) {
    bool existed = std::filesystem::exists(
        pool.dir() / ("rsa" + std::to_string(o.bits) + "-" + std::to_string(i) + ".pem"));
    auto k = pool.get(i);
    if (!k) {
      std::cerr << "keys: " << k.error().message << "\n";
      return 1;
    }
    if (!existed) ++generated;
    if ((i + 1) % 100 == 0 || i + 1 == o.count)
      std::cerr << "\rkeys: " << (i + 1) << "/" << o.count << std::flush;
  }
  auto secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cerr << "\n";
  std::cout << "key pool " << pool.dir().string() << ": " << o.count << " RSA-" << o.bits
            << " keys ready, " << generated << " generated in " << secs << " s\n";
  return 0;
}
}  // namespace

Action add_keys_command(CLI::App& app) {
  auto o = std::make_shared<KeysOptions>();
  auto* cmd =
      app.add_subcommand("keys", "Generate and cache the RSA key pool used by simulated devices");
  cmd->add_option("--count", o->count, "Keys to have ready")->capture_default_str();
  cmd->add_option("--dir", o->dir,
                  "Pool directory (default $MDMLAB_KEY_CACHE or ~/.cache/mdmlab/keys)");
  cmd->add_option("--bits", o->bits, "RSA key size")
      ->capture_default_str()
      ->check(CLI::IsMember({2048, 3072, 4096}));
  return [o] { return run_keys(*o); };
}

}  // namespace mdmlab::apps
