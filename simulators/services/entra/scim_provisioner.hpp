// Entra's provisioning service, as far as a SCIM service provider sees it: one provisioning
// cycle pushes every user of a tenant to a SCIM 2.0 endpoint. Each user is looked up with
// `GET /Users?filter=userName eq "<UPN>"`; an unknown one is created (POST /Users with the
// core User and enterprise extension schemas, externalId = the mail nickname, userName = the
// UPN, name, emails, active), a known one updated with a PATCH of Replace operations (booleans
// as "True"/"False", as Entra writes them). Bearer token authentication.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <string>
#include <vector>

#include "core/net/http_client.hpp"
#include "simulators/services/entra/entra_state.hpp"

namespace mdmlab::simulators::entra {

struct ProvisioningTarget {
  std::string scim_url;  // the service provider's base, e.g. https://mdm/api/latest/fleet/scim
  std::string token;     // its bearer token
  std::vector<crypto::Certificate> roots;  // trust for its TLS (empty: the system's)
};

struct ProvisioningCycle {
  int created = 0, updated = 0;
  std::vector<std::string> failures;  // "<UPN>: <what the provider answered>"
};

boost::asio::awaitable<Result<ProvisioningCycle>> provision_users(
    boost::asio::any_io_executor executor, ProvisioningTarget target, std::vector<EntraUser> users);

}  // namespace mdmlab::simulators::entra
