// How a message body is shown to people (transcripts, reports): a few words for a log line, or
// the decoded text for a report. Secrets never show: JSON values and plist values under secret
// keys (PINs, passcodes, challenges, tokens, PushMagic) are replaced by "[redacted]", text that
// cannot be parsed as what it claims to be is not echoed, and binary bodies show only their size.
#pragma once

#include <cstddef>
#include <string>

namespace mdmlab::net {

// "412 B MessageType=Authenticate" / "88 B {"udids": [...]}": a few words, one line.
std::string summarize_body(const std::string& content_type, const std::string& body);

// The body as text to read: XML plists and JSON with secret values redacted (JSON pretty
// printed), other text as is, binary as "(1234 bytes of application/x-pki-message)"; cut at
// `limit` bytes.
std::string readable_body(const std::string& content_type, const std::string& body,
                          std::size_t limit = 16 * 1024);

// Key names whose values are secrets (compared lowercased, '_' and '-' dropped).
bool is_secret_key(const std::string& key);

}  // namespace mdmlab::net
