#include "crypto/openssl_ptr.hpp"

#include <openssl/err.h>

namespace mdmlab::crypto {

std::string openssl_errors() {
  std::string out;
  unsigned long e;
  char buf[256];
  while ((e = ERR_get_error()) != 0) {
    ERR_error_string_n(e, buf, sizeof buf);
    if (!out.empty()) out += "; ";
    out += buf;
  }
  return out;
}

Error openssl_error(std::string code, std::string what) {
  auto detail = openssl_errors();
  return Error{std::move(code), detail.empty() ? what : what + ": " + detail};
}

BioPtr bio_from(const Bytes& data) {
  static const unsigned char kEmpty[1] = {0};  // BIO_new_mem_buf refuses a null pointer
  return BioPtr(
      BIO_new_mem_buf(data.empty() ? kEmpty : data.data(), static_cast<int>(data.size())));
}

BioPtr bio_from(const std::string& data) {
  return BioPtr(BIO_new_mem_buf(data.data(), static_cast<int>(data.size())));
}

Bytes bio_bytes(BIO* bio) {
  char* p = nullptr;
  long n = BIO_get_mem_data(bio, &p);
  if (n <= 0 || p == nullptr) return {};
  return Bytes(p, p + n);
}

}  // namespace mdmlab::crypto
