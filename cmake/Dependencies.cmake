# Every dependency is a Debian 12 package installed by scripts/setup.sh.
find_package(Threads REQUIRED)
find_package(OpenSSL 3 REQUIRED)
find_package(Boost 1.81 REQUIRED COMPONENTS url unit_test_framework)
find_package(nlohmann_json 3 REQUIRED)
find_package(fmt REQUIRED)
find_package(CLI11 REQUIRED)
find_package(pugixml REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(SQLITE3 REQUIRED IMPORTED_TARGET sqlite3)
pkg_check_modules(NGHTTP2 REQUIRED IMPORTED_TARGET libnghttp2)
# OAuth 1.0a percent-encoding and HMAC-SHA1 signatures (the DEP API's /session).
pkg_check_modules(OAUTH REQUIRED IMPORTED_TARGET oauth)

# Asio and Beast are compiled once, in core/net/asio_beast_impl.cpp; everything that includes
# their headers sees these definitions through mdmlab_boost_config.
add_library(mdmlab_boost_config INTERFACE)
target_compile_definitions(mdmlab_boost_config INTERFACE
  BOOST_ASIO_SEPARATE_COMPILATION
  BOOST_BEAST_SEPARATE_COMPILATION
  BOOST_ASIO_NO_DEPRECATED
  BOOST_ASIO_DISABLE_BOOST_COROUTINE)
target_link_libraries(mdmlab_boost_config INTERFACE Boost::boost Threads::Threads)
