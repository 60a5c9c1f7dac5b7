// Files that hold secrets (private keys, tokens): created owner-only from the first byte and
// replaced atomically, never world-readable for an instant, every error reported.
#pragma once

#include <filesystem>
#include <string>

#include "common/result.hpp"

namespace mdmlab::files {

// Writes `content` to a new 0600 file beside `path` (O_CREAT|O_EXCL|O_NOFOLLOW), syncs it and
// renames it over `path`. Parent directories are created 0700.
Result<void> write_private_file(const std::filesystem::path& path, const std::string& content);
Result<std::string> read_text_file(const std::filesystem::path& path);
// A one-line secret file (token, challenge): its text without the trailing newline.
Result<std::string> read_secret_file(const std::filesystem::path& path);

}  // namespace mdmlab::files
