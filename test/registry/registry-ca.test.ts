import { X509Certificate } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as fc from 'fast-check';
import { BaremetalValidationError } from '../../lib/errors';
import { RegistryCa } from '../../lib/registry/registry-ca';
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
});
