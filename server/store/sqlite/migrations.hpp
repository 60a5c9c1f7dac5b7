// The SQLite schema of the reference server, as ordered migrations (PRAGMA user_version).
#pragma once

#include <vector>

#include "core/db/sqlite.hpp"

namespace mdmlab::server::store::sqlite {

const std::vector<db::Migration>& migrations();

}  // namespace mdmlab::server::store::sqlite
