// SCIM 2.0 Users as an identity provider provisions them (RFC 7643 section 4.1, RFC 7644), in the
// subset Microsoft Entra's provisioning service sends: a User resource (userName, externalId,
// name.givenName / name.familyName, emails, active), the `userName eq "..."` filter it looks
// users up with, PatchOp requests (Entra writes "Replace"/"Add" in any case, and booleans as the
// strings "True"/"False"), ListResponse and Error messages. Content type application/scim+json.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

#include "common/result.hpp"

namespace mdmlab::scim {

inline constexpr const char* kContentType = "application/scim+json";
inline constexpr const char* kUserSchema = "urn:ietf:params:scim:schemas:core:2.0:User";
inline constexpr const char* kListSchema = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
inline constexpr const char* kErrorSchema = "urn:ietf:params:scim:api:messages:2.0:Error";
inline constexpr const char* kPatchSchema = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

struct ScimUser {
  std::string id;  // the service provider's (ours), never taken from a request
  std::string external_id, user_name, given_name, family_name, email;
  bool active = true;
};

// A POST or PUT body. Errors (code = the RFC 7644 scimType): invalidSyntax (not a JSON object,
// no User schema), invalidValue (no userName, a member of the wrong type, a value over 256
// characters).
Result<ScimUser> parse_user(std::string_view body);

// The resource as answered: schemas, id, externalId, userName, name, emails (one, primary,
// "work"), active, meta {resourceType, created, lastModified, location}.
nlohmann::json user_json(const ScimUser& u, const std::string& location, const std::string& created,
                         const std::string& last_modified);

// An Error message (RFC 7644 section 3.12); `scim_type` may be empty; bytes of `detail` that
// are no UTF-8 are replaced (U+FFFD).
std::string error_json(int status, const std::string& scim_type, const std::string& detail);

// `attribute eq "value"` for userName or externalId (attribute names case-insensitive).
// Errors: invalidFilter.
struct Filter {
  std::string attribute;  // "userName" or "externalId"
  std::string value;
};
Result<Filter> parse_filter(std::string_view text);

// Applies a PatchOp body to `user`: ops add/replace (any case) with a path among active,
// userName, externalId, name.givenName, name.familyName, emails[type eq "work"].value, or with
// no path and an object of those. Errors: invalidSyntax, invalidPath, invalidValue, and
// mutability for remove on userName.
Result<ScimUser> apply_patch(ScimUser user, std::string_view body);

}  // namespace mdmlab::scim
