import { At, expectString, fail } from '../private/errors';

const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** True when `value` is an RFC 1123 label as Kubernetes uses it: lower case, digits, '-', 1–63 characters. */
export function isDns1123Label(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 63 && LABEL.test(value);
}

/** True when `value` is an RFC 1123 subdomain: dot-separated labels, at most 253 characters. */
export function isDns1123Subdomain(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 253 && value.split('.').every((l) => LABEL.test(l));
}

/** Returns `value` when it is a DNS-1123 label, else throws naming the prop. */
export function validateDns1123Label(value: unknown, where: At): string {
  const s = expectString(value, where, 'pass a DNS-1123 label such as "edge-01"');
  if (!isDns1123Label(s)) {
    fail(
      where,
      'is not a DNS-1123 label',
      value,
      'use at most 63 lower-case letters, digits and "-", starting and ending with a letter or digit',
    );
  }
  return s;
}

/** Returns `value` when it is a DNS-1123 subdomain, else throws naming the prop. */
export function validateDns1123Subdomain(value: unknown, where: At): string {
  const s = expectString(value, where, 'pass a DNS-1123 subdomain such as "bmc-node1"');
  if (!isDns1123Subdomain(s)) {
    fail(
      where,
      'is not a DNS-1123 subdomain',
      value,
      'use at most 253 characters of dot-separated lower-case labels (letters, digits, "-")',
    );
  }
  return s;
}
