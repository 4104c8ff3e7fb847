import { X509Certificate } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as fc from 'fast-check';
import { BaremetalValidationError } from '../../lib/errors';
import { combinePemBundles, RegistryCa } from '../../lib/registry/registry-ca';
import { RUNS, SEED } from '../arbitraries';
import { CA_1, CA_2, EXPIRED, NOT_YET_VALID, privateKeyPem } from './certificates';

describe('RegistryCa', () => {
  test('parses a PEM certificate and renders it ending in a newline', () => {
    const ca = RegistryCa.fromPem(CA_1);
    expect(ca.isPrivate).toBe(true);
    expect(ca.certificates).toHaveLength(1);
    expect(ca.pem).toBe(CA_1);
    expect(new X509Certificate(ca.pem!).subject).toContain('CN=registry.example.com');
    expect(ca.notAfter?.toISOString()).toBe('2124-01-01T00:00:00.000Z');
  });

  test('reads a bundle, dropping comments between the certificates', () => {
    const ca = RegistryCa.fromPem(`// Registry1 CA\n${CA_1}\n// Registry2 CA\n${CA_2}`);
    expect(ca.certificates.map((c) => c.subject)).toEqual([
      expect.stringContaining('CN=registry.example.com'),
      expect.stringContaining('CN=Example Intermediate CA'),
    ]);
    expect(ca.pem).toBe(CA_1 + CA_2);
  });

  test('reads a certificate from a file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ca-'));
    writeFileSync(join(dir, 'domain.crt'), CA_1);
    expect(RegistryCa.fromFile(join(dir, 'domain.crt')).pem).toBe(CA_1);
  });

  test('publiclyTrusted has nothing to distribute', () => {
    const ca = RegistryCa.publiclyTrusted();
    expect(ca.isPrivate).toBe(false);
    expect(ca.pem).toBeUndefined();
    expect(ca.notAfter).toBeUndefined();
  });

  test('checks validity against the given time', () => {
    expect(RegistryCa.fromPem(EXPIRED, { now: new Date('2000-06-01T00:00:00Z') }).isPrivate).toBe(true);
  });

  test('fails when the text holds no certificate', () => {
    expect(() => RegistryCa.fromPem('hello')).toThrow(
      /\[RegistryCa.fromPem\] 'pem' holds no PEM certificate \(got "text without PEM blocks"\)/,
    );
  });

  test('fails on a private key without echoing it', () => {
    const key = privateKeyPem();
    let message = '';
    try {
      RegistryCa.fromPem(key);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(
      /'pem' holds a PRIVATE KEY block \(block 1\), not a certificate \(got "a PRIVATE KEY block"\); pass the CA certificate only; a private key must never leave the registry host/,
    );
    const body = key.split('\n')[1];
    expect(message).not.toContain(body);
  });

  test('fails on a CERTIFICATE block that is not a certificate', () => {
    expect(() => RegistryCa.fromPem('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n')).toThrow(
      /holds a CERTIFICATE block \(block 1\) that is not a valid X.509 certificate/,
    );
  });

  test('fails when a certificate has expired', () => {
    expect(() => RegistryCa.fromPem(EXPIRED)).toThrow(
      /'pem' holds a certificate that expired on 2001-01-01T00:00:00.000Z \(block 1\) \(got "O=Example, CN=registry.old.example.com"\); renew the registry CA/,
    );
  });

  test('fails when a certificate is not valid yet', () => {
    expect(() => RegistryCa.fromPem(NOT_YET_VALID)).toThrow(/is not valid before 2200-01-01T00:00:00.000Z/);
  });

  test('fails when the file cannot be read', () => {
    expect(() => RegistryCa.fromFile('/nonexistent/ca.crt')).toThrow(
      /\[RegistryCa.fromFile\] 'path' cannot be read \(ENOENT\) \(got "\/nonexistent\/ca.crt"\)/,
    );
  });

  test('fails when the PEM is not a string', () => {
    expect(() => RegistryCa.fromPem(42 as never)).toThrow(/'pem' must be a string/);
  });

  test('any text either parses or throws BaremetalValidationError', () => {
    const pemLike = fc
      .array(
        fc.constantFrom(
          '-----BEGIN CERTIFICATE-----\n',
          '-----END CERTIFICATE-----\n',
          '-----BEGIN X-----\n',
          '-----END X-----\n',
          'MIIB',
          '\n',
          CA_1,
          CA_2,
        ),
        { maxLength: 5 },
      )
      .map((p) => p.join(''));
    fc.assert(
      fc.property(fc.oneof(fc.anything(), pemLike), (value) => {
        try {
          const ca = RegistryCa.fromPem(value as string);
          return ca.certificates.length > 0 && ca.pem!.endsWith('\n');
        } catch (e) {
          if (e instanceof BaremetalValidationError) return true;
          throw e;
        }
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });
  describe('limits and messages', () => {
    test('a certificate is accepted at the very millisecond it expires, and refused one millisecond later', () => {
      // GIVEN EXPIRED is valid until 2001-01-01T00:00:00Z
      const end = new Date('2001-01-01T00:00:00.000Z');
      // THEN
      expect(RegistryCa.fromPem(EXPIRED, { now: end }).isPrivate).toBe(true);
      expect(() => RegistryCa.fromPem(EXPIRED, { now: new Date(end.getTime() + 1) })).toThrow(
        /'pem' holds a certificate that expired on 2001-01-01T00:00:00\.000Z \(block 1\)/,
      );
    });

    test('a certificate is accepted from the millisecond it becomes valid, and refused one millisecond before', () => {
      // GIVEN NOT_YET_VALID is valid from 2200-01-01T00:00:00Z
      const start = new Date('2200-01-01T00:00:00.000Z');
      // THEN
      expect(RegistryCa.fromPem(NOT_YET_VALID, { now: start }).isPrivate).toBe(true);
      expect(() => RegistryCa.fromPem(NOT_YET_VALID, { now: new Date(start.getTime() - 1) })).toThrow(
        /^\[RegistryCa\.fromPem\] 'pem' holds a certificate that is not valid before 2200-01-01T00:00:00\.000Z \(block 1\) \(got "O=Example, CN=registry\.future\.example\.com"\); check the clock of the machine that issued it, or wait until it is valid$/,
      );
    });

    test('names the block at fault in a bundle', () => {
      expect(() => RegistryCa.fromPem(`${CA_1}${NOT_YET_VALID}`)).toThrow(/is not valid before .* \(block 2\)/);
    });

    test('every refusal says what to do', () => {
      expect(() => RegistryCa.fromPem(42 as never)).toThrow(
        /'pem' must be a string .*; pass the CA certificate in PEM format \("-----BEGIN CERTIFICATE-----…"\)$/,
      );
      expect(() => RegistryCa.fromPem('hello')).toThrow(
        /holds no PEM certificate .*; pass the CA certificate in PEM format \("-----BEGIN CERTIFICATE-----…"\)$/,
      );
      expect(() => RegistryCa.fromPem('-----BEGIN CERTIFICATE-----\nAAAA')).toThrow(
        /holds no PEM certificate \(got "an incomplete PEM block"\)/,
      );
      const bad = '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n';
      expect(() => RegistryCa.fromPem(bad)).toThrow(
        /that is not a valid X\.509 certificate \(got "\d+ characters"\); copy the certificate again, including its BEGIN and END lines$/,
      );
      expect(() => RegistryCa.fromPem('-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n')).toThrow(
        /'pem' holds a PUBLIC KEY block \(block 1\), not a certificate \(got "a PUBLIC KEY block"\); pass the CA certificate only$/,
      );
      expect(() => RegistryCa.fromFile('')).toThrow(
        /'path' must not be empty .*; pass the path of a PEM file such as "\/opt\/registry\/certs\/domain\.crt"$/,
      );
      expect(() => RegistryCa.fromFile('/nonexistent/ca.crt')).toThrow(
        /cannot be read \(ENOENT\) .*; give the path of the CA certificate in PEM format$/,
      );
    });

    test('names the file when its contents are refused', () => {
      const dir = mkdtempSync(join(tmpdir(), 'registry-ca-'));
      const file = join(dir, 'bad.crt');
      writeFileSync(file, 'hello');
      expect(() => RegistryCa.fromFile(file)).toThrow(
        new RegExp(
          `^\\[RegistryCa\\.fromFile\\(${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\)\\] 'contents' holds no PEM`,
        ),
      );
    });
  });
});

describe('combinePemBundles', () => {
  test('returns the first bundle unchanged, comments and all, when the second adds nothing', () => {
    const first = `# registry CA\n${CA_1}`;
    expect(combinePemBundles(first, CA_1)).toBe(first);
    expect(combinePemBundles(first, CA_1.replace(/\n/g, '\r\n'))).toBe(first);
    expect(combinePemBundles(first, 'no certificate here')).toBe(first);
  });

  test('appends the certificates of the second that the first lacks, once each, as bare blocks', () => {
    const combined = combinePemBundles(`# registry CA\n${CA_1}`, `${CA_1}\n# second\n${CA_2}`);
    expect(combined).toBe(`${CA_1.trim()}\n${CA_2.trim()}\n`);
  });
});
