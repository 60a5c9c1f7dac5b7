// A secret in target.json, given inline ("KEY"), as a file ("KEY_file", relative to the target
// file's folder) or as an environment variable's name ("KEY_env"); "" when none is given. Used
// for the admin token, the SCEP challenge and a command_api's credentials alike.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "common/result.hpp"
#include "core/files/private_file.hpp"

namespace mdmlab::scenarios {

inline Result<std::string> target_secret(const nlohmann::json& j, const std::string& key,
                                         const std::filesystem::path& base) {
  if (j.contains(key) && j[key].is_string()) return j[key].get<std::string>();
  if (j.contains(key + "_file") && j[key + "_file"].is_string()) {
    std::filesystem::path p = j[key + "_file"].get<std::string>();
    return files::read_secret_file(p.is_absolute() ? p : base / p);
  }
  if (j.contains(key + "_env") && j[key + "_env"].is_string()) {
    const char* v = std::getenv(j[key + "_env"].get<std::string>().c_str());
    if (!v) return make_error("target", key + "_env names an unset variable");
    return std::string(v);
  }
  return std::string();
}

}  // namespace mdmlab::scenarios
