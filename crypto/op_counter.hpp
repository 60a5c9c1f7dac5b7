// Counts RSA/EC private-key operations (signatures and decryptions) made through crypto/, so
// benchmarks can state what one enrollment costs. A relaxed atomic: no effect on results.
#pragma once

#include <cstdint>

namespace mdmlab::crypto {

std::uint64_t private_key_operations();
void count_private_key_operation();

}  // namespace mdmlab::crypto
