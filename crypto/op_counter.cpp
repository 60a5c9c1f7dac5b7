#include "crypto/op_counter.hpp"

#include <atomic>

namespace mdmlab::crypto {
namespace {
std::atomic<std::uint64_t> g_private_ops{0};
}

std::uint64_t private_key_operations() {
  return g_private_ops.load(std::memory_order_relaxed);
}
void count_private_key_operation() {
  g_private_ops.fetch_add(1, std::memory_order_relaxed);
}

}  // namespace mdmlab::crypto
