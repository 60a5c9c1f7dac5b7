// Storage for Apple MDM, split per concern as NanoMDM splits its storage: enrollments,
// bootstrap tokens, push status, certificate binding, the command queue, IdP sign-ins. A backend
// (one folder: sqlite/, later postgres/) implements all of them as one AppleStore; each consumer
// takes only the interfaces it uses. Every method answers a Result (store_error.hpp says how a
// store fails).
#pragma once

#include "server/store/apple_enrollment_store.hpp"
#include "server/store/bootstrap_token_store.hpp"
#include "server/store/cert_binding_store.hpp"
#include "server/store/command_queue_store.hpp"
#include "server/store/idp_user_store.hpp"
#include "server/store/push_status_store.hpp"

namespace mdmlab::server::store {

class AppleStore : public EnrollmentStore,
                   public BootstrapTokenStore,
                   public PushStatusStore,
                   public CertBindingStore,
                   public CommandQueueStore,
                   public IdpUserStore {};

}  // namespace mdmlab::server::store
