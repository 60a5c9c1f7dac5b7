// Pieces the Entra generators share (generator_entra*.cpp): form bodies in a chosen order (a
// parameter twice, any bytes), Entra's OAuth error expectation, the Entra channels.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "tests/hostile/generator.hpp"

namespace mdmlab::testing::hostile {

using Form = std::vector<std::pair<std::string, std::string>>;
// application/x-www-form-urlencoded, in order; every byte outside [A-Za-z0-9-._~] escaped.
std::string encode(const Form& f);
std::string get(const Form& f, const std::string& name);
void set(Form& f, const std::string& name, const std::string& value);
void drop(Form& f, const std::string& name);

// Entra's token endpoint error: that status with {"error": `error`, "error_description":
// "AADSTS..."} (RFC 6749 5.2).
Expected oauth(int status, const std::string& error, const std::string& why);
// raw bytes to the identity platform (TLS) / to the control API (plain HTTP).
Case entra_case(const std::string& endpoint, const char* mutation, std::string name,
                std::string raw, Expected expect);
Case entra_control_case(const std::string& endpoint, const char* mutation, std::string name,
                        std::string raw, Expected expect);

void add_entra_token_cases(Rng& rng, const Materials& m, std::vector<Case>& out);
void add_entra_authorize_cases(Rng& rng, const Materials& m, std::vector<Case>& out);
void add_entra_service_cases(Rng& rng, const Materials& m, std::vector<Case>& out);

}  // namespace mdmlab::testing::hostile
