// Comparing secrets (challenge passwords, bearer tokens) without leaking, through timing,
// where they differ or how long they are: both sides are hashed, the digests compared with
// CRYPTO_memcmp.
#pragma once

#include <string_view>

namespace mdmlab::crypto {

bool constant_time_equals(std::string_view a, std::string_view b);

}  // namespace mdmlab::crypto
