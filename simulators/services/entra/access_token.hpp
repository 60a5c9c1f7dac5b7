// The v1 access tokens Entra issues (iss https://sts.windows.net/<tid>/): for a user (upn,
// unique_name, name, oid, scp: the resource's delegated permissions by name, as Entra lists
// them) or for an app (roles). Used by the token endpoint and by the control API's device
// tokens (what Windows gets for the MDM app when it joins Entra, Azure AD join).
#pragma once

#include <nlohmann/json.hpp>

#include <string>

#include "common/time.hpp"
#include "simulators/services/entra/entra_state.hpp"

namespace mdmlab::simulators::entra {

// `scope` as requested ("api://x/mdm_delegation openid"): the audience is the resource of its
// first URI-shaped scope (Microsoft Graph without one), `scp` the permission names.
std::string audience_of(const std::string& scope);
std::string scp_of(const std::string& scope);

nlohmann::json access_token_claims(const EntraTenant& t, const std::string& app_id,
                                   const EntraUser* user, const std::string& scope, TimePoint now,
                                   TimePoint expires);

}  // namespace mdmlab::simulators::entra
