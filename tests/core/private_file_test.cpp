#include <boost/test/unit_test.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "core/files/private_file.hpp"
#include "tests/support/process.hpp"

using namespace mdmlab;
namespace fs = std::filesystem;

namespace {
unsigned mode_of(const fs::path& p) {
  struct stat st {};
  BOOST_REQUIRE(::lstat(p.c_str(), &st) == 0);
  return st.st_mode & 07777;
}
std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  return {std::istreambuf_iterator<char>(in), {}};
}
// Runs `fn` with the process umask set to `mask`.
template <typename F>
void with_umask(mode_t mask, F fn) {
  auto old = ::umask(mask);
  fn();
  ::umask(old);
}
}  // namespace

BOOST_AUTO_TEST_SUITE(private_file)

BOOST_AUTO_TEST_CASE(is_owner_only_whatever_the_umask_and_its_directory_too) {
  fs::path dir = testing::make_temp_dir("mdmlab-private-");
  with_umask(0,
             [&] { BOOST_TEST(files::write_private_file(dir / "new" / "ca.key", "KEY\n").ok()); });
  BOOST_TEST(mode_of(dir / "new" / "ca.key") == 0600u);
  BOOST_TEST(mode_of(dir / "new") == 0700u);
  BOOST_TEST(files::read_secret_file(dir / "new" / "ca.key").value() == "KEY");
  fs::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(replaces_a_symlink_instead_of_writing_through_it) {
  fs::path dir = testing::make_temp_dir("mdmlab-private-");
  { std::ofstream(dir / "victim") << "untouched"; }
  fs::create_symlink(dir / "victim", dir / "admin-token");
  BOOST_TEST(files::write_private_file(dir / "admin-token", "secret\n").ok());
  BOOST_TEST(slurp(dir / "victim") == "untouched");
  BOOST_TEST(!fs::is_symlink(dir / "admin-token"));
  BOOST_TEST(slurp(dir / "admin-token") == "secret\n");
  BOOST_TEST(mode_of(dir / "admin-token") == 0600u);
  fs::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(reports_an_unwritable_directory_and_leaves_no_temporary) {
  // A path under a regular file fails for everyone, root included.
  fs::path dir = testing::make_temp_dir("mdmlab-private-");
  { std::ofstream(dir / "file") << "x"; }
  auto r = files::write_private_file(dir / "file" / "key.pem", "KEY");
  BOOST_TEST(!r.ok());
  BOOST_TEST(r.error().code == "io_error");
  std::size_t entries = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++entries;
  BOOST_TEST(entries == 1u);
  fs::remove_all(dir);
}

BOOST_AUTO_TEST_SUITE_END()
