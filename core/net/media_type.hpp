// Content-Type matching (RFC 9110 §8.3.1): the media type exactly, case-insensitively, with
// optional whitespace around it and optional ";" parameters after it. A prefix is not a match:
// "application/jsonx" is not "application/json".
#pragma once

#include <cctype>
#include <string_view>

namespace mdmlab::net {

inline bool media_type_is(std::string_view content_type, std::string_view type) {
  auto media = content_type.substr(0, content_type.find(';'));
  auto blank = [](char c) { return c == ' ' || c == '\t'; };
  while (!media.empty() && blank(media.front())) media.remove_prefix(1);
  while (!media.empty() && blank(media.back())) media.remove_suffix(1);
  if (media.size() != type.size()) return false;
  for (std::size_t i = 0; i < media.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(media[i])) !=
        std::tolower(static_cast<unsigned char>(type[i])))
      return false;
  return true;
}

}  // namespace mdmlab::net
