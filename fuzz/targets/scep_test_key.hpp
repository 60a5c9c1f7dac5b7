// A fixed RSA-1024 test key and its self-signed certificate (CN=mdmlab fuzz test CA, valid
// until 2125), shared by the scep_pki_crypto target and fuzz/tools/corpus_gen.cpp, which
// envelopes its seed PKIMessages to this certificate. Test material only: never trusted anywhere.
#pragma once

namespace mdmlab::fuzz {

inline constexpr const char* kScepTestKeyPem = R"(
-----BEGIN PRIVATE KEY-----
MIICdQIBADANBgkqhkiG9w0BAQEFAASCAl8wggJbAgEAAoGBAOfYZFtVxJEJi4jw
fEqF75MVFotN8M9qH27bLlV6OruH98cpuDxJ7onbNIPYfKURgn1TA2r/dzH+3uCW
VlUnDem2zgDMhM2tRNjT7jAuEDNUCyt9C0P4N8OqRWrTko18OVNjT3k/m8gFrg0W
CzdCC6Cg6qfm7b7xqshFhrqrPc+TAgMBAAECgYA4MCZqSEgCSojpoDbPLNSaFdNH
4ZTJ/9MsX6xEBQJ07ofrWb4Pxm8sM9bvWSkkLDEuxE6gwNcXY8iKL4Uuz+87zfyn
/xexYEuZjxcypXCbEcW9eX5lulRdh9BFxOs4lwaKSKElBmIIyKEtuJIrV8Tw8ur0
RuhRWLRQViknsW464QJBAPZ4SolPzTOW1z3ynvraFQbW21YDNc9iAJN1pLHVVjmC
GdCJzDhDbV++B/tGv2+c4SI5+ZYItTsSheYz7iyc/VECQQDwz1ZuBWX0HIM6EQIY
a2EzYvhnLsAvid2E/xpL0rFZdLe1f89/DTGeFrq5g5hVLRahXHpi7+W0okSOhlR4
uvWjAkB5NbNCUBKUemwkNPtmVnXcxTFc3XtLH+E0o7h5FHexFIBphDsAuHhDi4sV
Uje3RimZ0XUjCelGwddD3OoW2qXhAkAvgpioyEPfL6jsUeK58qWQv9wGb4DXYDnm
PXZwszbuUUrVckv74xyA9jcM1tu9IlIur9ItpusJAmLIQ9RypWBFAkBSDox6vMGU
vWmM/uDWx8IHoVz5f977V1vGP54Mv23UTJYuf4wZsLRh1C+FmTbk/Qygs0M/32no
9LgqrZKMxOI9
-----END PRIVATE KEY-----
)";

inline constexpr const char* kScepTestCertPem = R"(
-----BEGIN CERTIFICATE-----
MIICPDCCAaWgAwIBAgIUFqUyRJeGl1oujsX7Fo/PUIDpwKEwDQYJKoZIhvcNAQEL
BQAwLzEcMBoGA1UEAwwTbWRtbGFiIGZ1enogdGVzdCBDQTEPMA0GA1UECgwGbWRt
bGFiMCAXDTI2MTEyNTIzNDQwMVoYDzIxMjYxMTAxMjM0NDAxWjAvMRwwGgYDVQQD
DBNtZG1sYWIgZnV6eiB0ZXN0IENBMQ8wDQYDVQQKDAZtZG1sYWIwgZ8wDQYJKoZI
hvcNAQEBBQADgY0AMIGJAoGBAOfYZFtVxJEJi4jwfEqF75MVFotN8M9qH27bLlV6
OruH98cpuDxJ7onbNIPYfKURgn1TA2r/dzH+3uCWVlUnDem2zgDMhM2tRNjT7jAu
EDNUCyt9C0P4N8OqRWrTko18OVNjT3k/m8gFrg0WCzdCC6Cg6qfm7b7xqshFhrqr
Pc+TAgMBAAGjUzBRMB0GA1UdDgQWBBQTJY1F+J4Ps6BDzHwmJxli5JVQJzAfBgNV
HSMEGDAWgBQTJY1F+J4Ps6BDzHwmJxli5JVQJzAPBgNVHRMBAf8EBTADAQH/MA0G
CSqGSIb3DQEBCwUAA4GBALNEcis/yEAnMSaMwSBYCVtuisg3YBva2fE34WzUNZHT
2lJBGK00PhpdU2VPxL5HuwwQqsu9ZFi6FW3IRUCa9EJz9j+t5C5YHowpAKWgQVnE
5/1S0SfsbMDgVqF0uQ9xV6Ms8QlZySkl4L+uoZqKUkVPou5B/wxrOrhjb23SebvH
-----END CERTIFICATE-----
)";

}  // namespace mdmlab::fuzz
