// The Windows client's PKCS#10 request as it really is (crypto/windows_client_csr.hpp): OpenSSL's
// own CLI reads it, verifies its signature and names the algorithm sha1WithRSA (the OIW OID);
// the CN keeps its '!' and NUL in a PrintableString; the DeviceID extension is requested; and
// the request survives a DER round trip byte for byte, as the server's check requires.
#include <boost/test/unit_test.hpp>

#include <filesystem>

#include "crypto/windows_client_csr.hpp"
#include "tests/crypto/fixtures.hpp"
#include "tests/support/process.hpp"

using namespace mdmlab;

BOOST_AUTO_TEST_SUITE(windows_client_csr)

BOOST_AUTO_TEST_CASE(the_real_clients_request_is_read_and_verified_by_openssl) {
  const std::string device_id = "8D3A1F0B9C2E4D5A8B7C6D5E4F3A2B1C";
  auto csr = crypto::build_windows_client_csr(testing::test_key(3), device_id,
                                              "6F9619FF-8B86-D011-B42D-00C04F")
                 .value();
  BOOST_TEST(csr.signature_valid());
  const auto der = csr.to_der();
  BOOST_TEST((crypto::Csr::from_der(der).value().to_der() == der));
  // PrintableString (tag 0x13) holding "...!<DeviceID>\0".
  const std::string cn = "6F9619FF-8B86-D011-B42D-00C04F!" + device_id + std::string(1, '\0');
  const std::string bytes(der.begin(), der.end());
  BOOST_TEST(bytes.find(std::string(1, '\x13') + static_cast<char>(cn.size()) + cn) !=
             std::string::npos);

  auto dir = testing::make_temp_dir("mdmlab-wincsr-");
  testing::write_file(dir + "/req.pem", csr.to_pem());
  auto verify = testing::run_command("openssl req -in " + dir + "/req.pem -noout -verify 2>&1");
  BOOST_TEST(verify.exit_code == 0, verify.output);
  BOOST_TEST(verify.output.find("verify OK") != std::string::npos, verify.output);
  auto text = testing::run_command("openssl req -in " + dir + "/req.pem -noout -text 2>&1");
  BOOST_TEST(text.exit_code == 0, text.output);
  BOOST_TEST(text.output.find("Signature Algorithm: sha1WithRSA\n") != std::string::npos,
             text.output);
  BOOST_TEST(text.output.find("1.3.6.1.4.1.311.66.1.0") != std::string::npos, text.output);
  BOOST_TEST(text.output.find("Public-Key: (2048 bit)") != std::string::npos, text.output);
  std::filesystem::remove_all(dir);
}

BOOST_AUTO_TEST_SUITE_END()
