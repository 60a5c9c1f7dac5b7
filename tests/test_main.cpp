// The one Boost.Test main shared by every test executable.
#define BOOST_TEST_MODULE mdmlab
#include <boost/test/unit_test.hpp>

#include "crypto/init.hpp"

// Every program loads OpenSSL's default + legacy providers first; so does every test binary.
struct OpenSslSetup {
  OpenSslSetup() { mdmlab::crypto::init_openssl(); }
};
BOOST_TEST_GLOBAL_FIXTURE(OpenSslSetup);
