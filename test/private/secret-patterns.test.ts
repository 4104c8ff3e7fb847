import { holdsSecret, isCredentialKey, secretMaterialIn } from '../../lib/private/secret-patterns';

describe('secret patterns', () => {
  test('secretMaterialIn names private keys, registry credentials and URLs with credentials', () => {
    expect(secretMaterialIn('-----BEGIN RSA PRIVATE KEY-----\nabc')).toBe('a PEM private key');
    expect(secretMaterialIn('{"auths":{"r":{"auth":"dXNlcjpwYXNz"}}}')).toBe('registry credentials');
    expect(secretMaterialIn('https://u:p@host/')).toBe('a URL with credentials');
    // public material and plain URLs are not secret
    expect(secretMaterialIn('-----BEGIN CERTIFICATE-----\nabc')).toBeUndefined();
    expect(secretMaterialIn('https://host/path@v1')).toBeUndefined();
  });

  test('isCredentialKey: credential words in any case and camelCase, not names of Secrets or public material', () => {
    for (const k of ['password', 'PASSWORD', 'Api_Token', 'passwordHash', 'private-key', 'auth']) {
      expect(isCredentialKey(k)).toBe(true);
    }
    for (const k of ['credentialsName', 'pullSecretRef', 'ca.crt', 'tls.crt', 'sshAuthorizedKeys', 'author']) {
      expect(isCredentialKey(k)).toBe(false);
    }
  });

  test('holdsSecret looks through lists and maps, ignores empty credentials, and stops at cycles', () => {
    expect(holdsSecret({ a: [{ token: 'x' }] })).toBe(true);
    expect(holdsSecret({ token: '' })).toBe(false);
    const cyclic: Record<string, unknown> = { name: 'x' };
    cyclic.self = cyclic;
    expect(holdsSecret(cyclic)).toBe(false);
    cyclic.password = 'p';
    expect(holdsSecret(cyclic)).toBe(true);
  });
});
