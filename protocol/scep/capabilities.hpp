// GetCACaps: one capability keyword a line (RFC 8894 section 3.5.2).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace mdmlab::scep {

class Capabilities {
 public:
  Capabilities() = default;
  explicit Capabilities(std::vector<std::string> caps) : caps_(std::move(caps)) {}

  // Tolerates CRLF, blank lines and surrounding spaces; keywords compare case-insensitively.
  static Capabilities parse(std::string_view text);
  std::string to_text() const;  // LF-separated, no trailing newline (as most servers send)

  bool has(std::string_view keyword) const;
  const std::vector<std::string>& list() const { return caps_; }

  bool post_pki_operation() const { return has("POSTPKIOperation") || has("SCEPStandard"); }
  bool aes() const { return has("AES") || has("SCEPStandard"); }
  bool sha256() const { return has("SHA-256") || has("SCEPStandard"); }
  bool renewal() const { return has("Renewal"); }

 private:
  std::vector<std::string> caps_;
};

}  // namespace mdmlab::scep
