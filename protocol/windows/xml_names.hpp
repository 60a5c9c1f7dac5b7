// XML as the Windows protocols use it, read by namespace and local name (pugixml keeps
// prefixes as written, and clients choose their own): loading with the checks every reader
// needs (UTF-8, no NUL), and name, namespace and child lookups.
#pragma once

#include <pugixml.hpp>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace mdmlab::windows::xml {

// A document from untrusted bytes: well-formed UTF-8 XML without NUL characters.
Result<std::unique_ptr<pugi::xml_document>> load(std::string_view text);

std::string_view local(const pugi::xml_node& n);
// The namespace URI of the element's prefix (or of the default namespace), "" if unbound.
std::string namespace_of(const pugi::xml_node& n);
bool is(const pugi::xml_node& n, std::string_view ns, std::string_view local_name);
// The first element child with that namespace and local name (or a null node).
pugi::xml_node child(const pugi::xml_node& n, std::string_view ns, std::string_view local_name);
std::vector<pugi::xml_node> elements(const pugi::xml_node& n);
// "p:name" for the prefix bound to `ns` where `n` is (an attribute's qualified name).
std::string prefixed(const pugi::xml_node& n, std::string_view ns, std::string_view name);
std::string trimmed(std::string_view s);
// Text for element content or a quoted attribute (common/markup.hpp).
std::string escape(std::string_view s);

}  // namespace mdmlab::windows::xml
