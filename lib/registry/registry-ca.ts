import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ApiObject, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { singletonObject } from '../core/singleton';
import { At, expectNonEmptyString, fail } from '../private/errors';

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

/** Options of {@link RegistryCa.fromPem} and {@link RegistryCa.fromFile}. */
export interface RegistryCaOptions {
  /**
   * The time against which the certificates' validity is checked.
   * @default - now
   */
  readonly now?: Date;
}

/**
 * How nodes and operators come to trust a registry's TLS certificate.
 *
 * - {@link RegistryCa.fromPem} / {@link RegistryCa.fromFile}: a private CA (or the registry's
 *   self-signed certificate), distributed to every consumer: the Assisted Service
 *   `ca-bundle.crt`, OpenShift's `additionalTrustedCA`, a hosted cluster's `user-ca-bundle`
 *   and the RKE2 `ca.crt`.
 * - {@link RegistryCa.publiclyTrusted}: the certificate chains to a CA the nodes already trust;
 *   nothing is distributed.
 *
 * The text is parsed with `node:crypto`'s `X509Certificate`: anything that is not a
 * certificate (a private key, a CSR, garbage) is refused, and so is a certificate that has
 * expired or is not valid yet. That check is an error rather than a warning on purpose: nodes
 * refuse the registry from that moment, so synthesizing the site would only move the failure to
 * the first image pull. Renew the CA and synthesize again.
 *
 * A CA certificate is public material, not a secret: it may be written into ConfigMaps and git.
 */
export class RegistryCa {
  /**
   * A PEM bundle of one or more certificates. Text around the PEM blocks (comments such as
   * `# Registry1 CA`) is ignored; the bundle is rewritten as the certificates alone.
   */
  public static fromPem(pem: string, options: RegistryCaOptions = {}): RegistryCa {
    return RegistryCa.parse(pem, { path: 'RegistryCa.fromPem', prop: 'pem' }, options.now ?? new Date());
  }

  /** A PEM bundle read from a file (relative paths are relative to the working directory). */
  public static fromFile(path: string, options: RegistryCaOptions = {}): RegistryCa {
    const where = { path: 'RegistryCa.fromFile', prop: 'path' };
    const file = expectNonEmptyString(
      path,
      where,
      'pass the path of a PEM file such as "/opt/registry/certs/domain.crt"',
    );
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'error';
      fail(where, `cannot be read (${code})`, file, 'give the path of the CA certificate in PEM format');
    }
    return RegistryCa.parse(
      text,
      { path: `RegistryCa.fromFile(${file})`, prop: 'contents' },
      options.now ?? new Date(),
    );
  }

  /**
   * The registry's certificate is signed by a CA that every node and operator already trusts
   * (a public CA, or one already in the OS image and the clusters' trust stores).
   */
  public static publiclyTrusted(): RegistryCa {
    return new RegistryCa([]);
  }

  /**
   * Checks a PEM trust bundle given to a construct prop (`where`) as {@link fromPem} does: X.509
   * certificates only, none expired, the text never echoed (it may be a private key by mistake).
   */
  public static checkBundle(text: unknown, where: At, now: Date = new Date()): RegistryCa {
    return RegistryCa.parse(text, where, now);
  }

  private static parse(text: unknown, where: At, now: Date): RegistryCa {
    const s = expectNonEmptyString(
      text,
      where,
      'pass the CA certificate in PEM format ("-----BEGIN CERTIFICATE-----…")',
    );
    const blocks = [...s.matchAll(PEM_BLOCK)];
    if (blocks.length === 0) {
      fail(
        where,
        'holds no PEM certificate',
        s.includes('-----BEGIN') ? 'an incomplete PEM block' : 'text without PEM blocks',
        'pass the CA certificate in PEM format ("-----BEGIN CERTIFICATE-----…")',
      );
    }
    const certificates = blocks.map((block, i) => {
      const label = block[1];
      if (label !== 'CERTIFICATE') {
        // Never echo the block: it may be a private key.
        fail(
          where,
          `holds a ${label} block (block ${i + 1}), not a certificate`,
          `a ${label} block`,
          label.includes('PRIVATE KEY')
            ? 'pass the CA certificate only; a private key must never leave the registry host'
            : 'pass the CA certificate only',
        );
      }
      let cert: X509Certificate;
      try {
        cert = new X509Certificate(block[0]);
      } catch {
        fail(
          where,
          `holds a CERTIFICATE block (block ${i + 1}) that is not a valid X.509 certificate`,
          `${block[0].length} characters`,
          'copy the certificate again, including its BEGIN and END lines',
        );
      }
      const notBefore = new Date(cert.validFrom);
      const notAfter = new Date(cert.validTo);
      if (notAfter.getTime() < now.getTime()) {
        fail(
          where,
          `holds a certificate that expired on ${notAfter.toISOString()} (block ${i + 1})`,
          cert.subject.replace(/\n/g, ', '),
          'renew the registry CA and pass the new certificate; nodes refuse an expired one',
        );
      }
      if (notBefore.getTime() > now.getTime()) {
        fail(
          where,
          `holds a certificate that is not valid before ${notBefore.toISOString()} (block ${i + 1})`,
          cert.subject.replace(/\n/g, ', '),
          'check the clock of the machine that issued it, or wait until it is valid',
        );
      }
      return cert;
    });
    return new RegistryCa(certificates);
  }

  /** The parsed certificates; empty for {@link RegistryCa.publiclyTrusted}. */
  public readonly certificates: readonly X509Certificate[];

  private constructor(certificates: X509Certificate[]) {
    this.certificates = certificates;
  }

  /** Whether there is a private CA to distribute (false for {@link RegistryCa.publiclyTrusted}). */
  public get isPrivate(): boolean {
    return this.certificates.length > 0;
  }

  /**
   * The certificates as one PEM bundle ending in a newline (so that YAML writes it as a `|`
   * block, as OpenShift expects), or `undefined` when publicly trusted.
   */
  public get pem(): string | undefined {
    if (!this.isPrivate) return undefined;
    return this.certificates.map((c) => c.toString().trim() + '\n').join('');
  }

  /** The earliest expiry of the certificates, or `undefined` when publicly trusted. */
  public get notAfter(): Date | undefined {
    if (!this.isPrivate) return undefined;
    return new Date(Math.min(...this.certificates.map((c) => new Date(c.validTo).getTime())));
  }
}

/** Two PEM bundles as one: the certificates of the first, then those of the second it lacks. */
export function combinePemBundles(first: string, second: string): string {
  const blocks = (text: string) => [...text.matchAll(PEM_BLOCK)].map((m) => `${m[0].trim()}\n`);
  const have = blocks(first);
  const seen = new Set(have.map((b) => b.replace(/\s+/g, '')));
  const added = blocks(second).filter((b) => !seen.has(b.replace(/\s+/g, '')));
  return added.length === 0 ? first : [...have, ...added].join('');
}

/**
 * The one trust-bundle ConfigMap (`user-ca-bundle`, key `ca-bundle.crt`) of a namespace in the
 * synth unit of `scope`: a second construct adds its certificates to the bundle of the first.
 * `define` defines it for the first.
 */
export function userCaBundle<T extends ApiObject>(
  scope: IConstruct,
  where: At,
  name: string,
  namespace: string | undefined,
  pem: string,
  define: () => T,
): T {
  return singletonObject(scope, where, {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    name,
    namespace: namespace ?? Chart.of(scope).namespace,
    content: { data: { 'ca-bundle.crt': pem } },
    combine: (path, a, b) =>
      path.join('.') === 'data.ca-bundle.crt' && typeof a === 'string' && typeof b === 'string'
        ? combinePemBundles(a, b)
        : undefined,
    fix: 'give the ConfigMap another name, or let one construct define it',
    define,
  });
}
