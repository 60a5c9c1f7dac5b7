// Replays fuzz inputs without libFuzzer (GCC builds): every file named on the command line, or
// found in a directory named there, is fed to LLVMFuzzerTestOneInput once, and so is the empty
// input. A crash ends the process (that is the failure); otherwise it prints how many inputs
// ran. Missing paths are reported and skipped, so a target without regressions yet passes.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {
void run_file(const std::filesystem::path& p, int& count) {
  std::ifstream in(p, std::ios::binary);
  std::vector<std::uint8_t> data((std::istreambuf_iterator<char>(in)),
                                 std::istreambuf_iterator<char>());
  LLVMFuzzerTestOneInput(data.data(), data.size());
  ++count;
}
}  // namespace

int main(int argc, char** argv) {
  int count = 0, missing = 0;
  for (int i = 1; i < argc; ++i) {
    std::filesystem::path p(argv[i]);
    std::error_code ec;
    if (std::filesystem::is_directory(p, ec)) {
      for (const auto& e : std::filesystem::recursive_directory_iterator(p, ec))
        if (e.is_regular_file() && e.path().filename() != ".gitkeep") run_file(e.path(), count);
    } else if (std::filesystem::is_regular_file(p, ec)) {
      run_file(p, count);
    } else {
      ++missing;
    }
  }
  // Always exercise the empty input too.
  LLVMFuzzerTestOneInput(nullptr, 0);
  ++count;
  std::printf("replayed %d inputs (%d from files, the empty one; %d paths missing)\n", count,
              count - 1, missing);
  std::printf("%d passed, 0 failed\n", count);
  return 0;
}
