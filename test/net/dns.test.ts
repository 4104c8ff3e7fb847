import * as fc from 'fast-check';
import { BaremetalValidationError } from '../../lib/errors';
import { isDns1123Label, isDns1123Subdomain, validateDns1123Label, validateDns1123Subdomain } from '../../lib/net/dns';

function parsesOrRefuses(f: () => unknown): boolean {
  try {
    f();
    return true;
  } catch (e) {
    return e instanceof BaremetalValidationError;
  }
}

const where = { path: 'site/Cluster', prop: 'clusterName' };
const label = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/);

describe('dns', () => {
  describe('isDns1123Label', () => {
    test.each(['a', 'edge-01', '0', 'a'.repeat(63), 'x-y-z'])('accepts %p', (value) => {
      expect(isDns1123Label(value)).toBe(true);
    });

    test.each(['', 'Edge', '-a', 'a-', 'a.b', 'a_b', 'a'.repeat(64), ' a', 42, null, undefined])(
      'refuses %p',
      (value) => {
        expect(isDns1123Label(value)).toBe(false);
      },
    );
  });

  describe('isDns1123Subdomain', () => {
    test.each(['a', 'bmc-node1', 'a.b.c', 'x1.example.com', `${'a'.repeat(63)}.${'b'.repeat(63)}`])(
      'accepts %p',
      (value) => {
        expect(isDns1123Subdomain(value)).toBe(true);
      },
    );

    test.each(['', 'a..b', '.a', 'a.', 'A.b', 'a_b.c', `${'a.'.repeat(126)}ab`, 42, null])('refuses %p', (value) => {
      expect(isDns1123Subdomain(value)).toBe(false);
    });

    test('accepts 253 characters and refuses 254', () => {
      // GIVEN four labels of 63 characters joined by dots (255 characters), cut to the limit
      const name = ['a', 'b', 'c', 'd'].map((c) => c.repeat(63)).join('.');
      const at253 = name.slice(0, 253);
      const at254 = name.slice(0, 254);
      // THEN
      expect(at253).toHaveLength(253);
      expect(isDns1123Subdomain(at253)).toBe(true);
      expect(isDns1123Subdomain(at254)).toBe(false);
    });
  });

  describe('validateDns1123Label', () => {
    test('returns a valid label', () => {
      expect(validateDns1123Label('edge-01', where)).toBe('edge-01');
    });

    test('fails when the value is not a label, naming the prop and the rule', () => {
      expect(() => validateDns1123Label('Edge_01', where)).toThrow(
        /^\[site\/Cluster\] 'clusterName' is not a DNS-1123 label \(got "Edge_01"\); use at most 63 lower-case letters, digits and "-"/,
      );
    });

    test('fails when the value is not a string', () => {
      expect(() => validateDns1123Label(42, where)).toThrow(
        /'clusterName' must be a string \(got 42\); pass a DNS-1123 label such as "edge-01"/,
      );
    });
  });

  describe('validateDns1123Subdomain', () => {
    test('returns a valid subdomain', () => {
      expect(validateDns1123Subdomain('bmc.node1', where)).toBe('bmc.node1');
    });

    test('fails when the value is not a subdomain, naming the prop and the rule', () => {
      expect(() => validateDns1123Subdomain('bmc..node1', where)).toThrow(
        /^\[site\/Cluster\] 'clusterName' is not a DNS-1123 subdomain \(got "bmc\.\.node1"\); use at most 253 characters/,
      );
    });

    test('fails when the value is not a string', () => {
      expect(() => validateDns1123Subdomain(null, where)).toThrow(
        /'clusterName' must be a string \(got null\); pass a DNS-1123 subdomain such as "bmc-node1"$/,
      );
    });
  });

  describe('properties', () => {
    test('any value either validates or throws BaremetalValidationError', () => {
      fc.assert(
        fc.property(
          fc.anything(),
          (value) =>
            parsesOrRefuses(() => validateDns1123Label(value, where)) &&
            parsesOrRefuses(() => validateDns1123Subdomain(value, where)),
        ),
        { numRuns: 200 },
      );
    });

    test('the validators agree with the predicates', () => {
      fc.assert(
        fc.property(fc.oneof(label, fc.string(), fc.domain()), (value) => {
          let labelOk = true;
          let subdomainOk = true;
          try {
            validateDns1123Label(value, where);
          } catch {
            labelOk = false;
          }
          try {
            validateDns1123Subdomain(value, where);
          } catch {
            subdomainOk = false;
          }
          return labelOk === isDns1123Label(value) && subdomainOk === isDns1123Subdomain(value);
        }),
        { numRuns: 200 },
      );
    });

    test('every generated label is also a subdomain, and dot-joined labels are subdomains', () => {
      fc.assert(
        fc.property(fc.array(label, { minLength: 1, maxLength: 3 }), (labels) => {
          return (
            labels.every((l) => isDns1123Label(l) && isDns1123Subdomain(l)) && isDns1123Subdomain(labels.join('.'))
          );
        }),
        { numRuns: 200 },
      );
    });
  });
});
