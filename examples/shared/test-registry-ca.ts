// A self-signed CA certificate (valid 2024-2124) for the examples' mirror registries. A CA
// certificate is public material; in a real site, read your registry's CA with RegistryCa.fromFile().
/** The CA of the registry (§6.3.5 creates it with openssl); public material, not a secret. */
export const REGISTRY_CA = `
-----BEGIN CERTIFICATE-----
MIIBtjCCAVugAwIBAgIUQaqNA40O7dJqpwOyJWV/D+rECMcwCgYIKoZIzj0EAwIw
OjEQMA4GA1UECgwHRXhhbXBsZTEmMCQGA1UEAwwdcmVnaXN0cnkuZG5zLmJhc2Uu
ZG9tYWluLm5hbWUwIBcNMjQwMTAxMDAwMDAwWhgPMjEyNDAxMDEwMDAwMDBaMDox
EDAOBgNVBAoMB0V4YW1wbGUxJjAkBgNVBAMMHXJlZ2lzdHJ5LmRucy5iYXNlLmRv
bWFpbi5uYW1lMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEH1D45jRd5IHpK2Ht
bMU1mCONwEfkQEoS4XGGQbAr6VKiZKZ8Ymrnljlf+lRbnFibsgkDXcXHefU8lTxA
lZKAFaM9MDswDwYDVR0TAQH/BAUwAwEB/zAoBgNVHREEITAfgh1yZWdpc3RyeS5k
bnMuYmFzZS5kb21haW4ubmFtZTAKBggqhkjOPQQDAgNJADBGAiEAgGYu5kkYx0B4
m+Rd3Rqgs5XROYjCV5130XIjOtgxjxECIQC0syQh4odEIWe8MZk0qqqEJg3GWYBo
97QsTHIeJJLhaQ==
-----END CERTIFICATE-----
`;
