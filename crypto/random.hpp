// Random values from OpenSSL's CSPRNG: bytes, hex tokens, RFC 4122 v4 UUIDs (uppercase, as
// Apple writes CommandUUIDs and PayloadUUIDs).
#pragma once

#include <string>

#include "common/bytes.hpp"

namespace mdmlab::crypto {

Bytes random_bytes(std::size_t n);
std::string random_uuid();

}  // namespace mdmlab::crypto
