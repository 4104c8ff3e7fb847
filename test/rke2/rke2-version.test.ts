import * as fc from 'fast-check';
import { BaremetalValidationError } from '../../lib/errors';
import { Rke2Version } from '../../lib/rke2/rke2-version';

function parsesOrRefuses(f: () => unknown): boolean {
  try {
    f();
    return true;
  } catch (e) {
    return e instanceof BaremetalValidationError;
  }
}

const part = fc.integer({ min: 0, max: 999 });
const release = fc.integer({ min: 1, max: 99 });
const version = fc.tuple(part, part, part, release).map(([a, b, c, r]) => `v${a}.${b}.${c}+rke2r${r}`);

describe('Rke2Version', () => {
  describe('parse', () => {
    test('reads the Kubernetes version and the RKE2 release', () => {
      // WHEN
      const v = Rke2Version.parse('v1.32.4+rke2r1');
      // THEN
      expect(v).toMatchObject({ major: 1, minor: 32, patch: 4, release: 1, kubernetesVersion: 'v1.32.4' });
      expect(v.toString()).toBe('v1.32.4+rke2r1');
    });

    test('reads multi-digit parts', () => {
      expect(Rke2Version.parse('v1.30.10+rke2r12')).toMatchObject({
        patch: 10,
        release: 12,
        kubernetesVersion: 'v1.30.10',
      });
    });

    test('names the construct path and prop it is given', () => {
      expect(() => Rke2Version.parse('1.32', { path: 'site/Cluster', prop: 'rke2Version' })).toThrow(
        /^\[site\/Cluster\] 'rke2Version' is not an RKE2 release \(got "1\.32"\); write it like "v1\.32\.4\+rke2r1"/,
      );
    });

    test.each([42, null, undefined, {}, ['v1.32.4+rke2r1']])('fails when the value is not a string (%p)', (value) => {
      expect(() => Rke2Version.parse(value)).toThrow(
        /^\[Rke2Version\.parse\] 'version' must be a string .*"v1\.32\.4\+rke2r1"/,
      );
    });

    test('fails when the leading "v" is missing, and shows the fixed text', () => {
      expect(() => Rke2Version.parse('1.32.4+rke2r1')).toThrow(
        /'version' must start with "v" \(got "1\.32\.4\+rke2r1"\); write "v1\.32\.4\+rke2r1"/,
      );
    });

    test.each(['v1.32.4', '1.32.4'])('fails when %s has no +rke2rN release', (value) => {
      expect(() => Rke2Version.parse(value)).toThrow(
        /'version' is a Kubernetes version without the "\+rke2rN" release .*"v1\.32\.4\+rke2r1"/,
      );
    });

    test('fails when the release number is 0', () => {
      expect(() => Rke2Version.parse('v1.32.4+rke2r0')).toThrow(/'version' has release number 0 .*start at 1/);
    });

    test.each([
      '',
      'v1.32.4+k3s1',
      'v1.32.4+rke2',
      'v1.32.4+rke2r',
      'v1.32.4-rc1+rke2r1',
      'v1.032.4+rke2r1',
      'v1.32.4+rke2r01',
      'V1.32.4+rke2r1',
      'v1.32+rke2r1',
      'v1.32.4+rke2r1 ',
      'v1.32.4+RKE2R1',
      'latest',
    ])('fails when %p is not an RKE2 release', (value) => {
      expect(() => Rke2Version.parse(value)).toThrow(
        /'version' is not an RKE2 release .*write it like "v1\.32\.4\+rke2r1"/,
      );
    });
  });

  describe('compare', () => {
    test('orders releases by major, minor, patch, then release, numerically', () => {
      // GIVEN
      const texts = [
        'v1.32.10+rke2r1',
        'v1.31.9+rke2r3',
        'v1.32.4+rke2r2',
        'v2.0.0+rke2r1',
        'v1.32.4+rke2r1',
        'v1.32.9+rke2r1',
      ];
      // WHEN
      const sorted = texts.map((t) => Rke2Version.parse(t)).sort((a, b) => a.compare(b));
      // THEN
      expect(sorted.map(String)).toEqual([
        'v1.31.9+rke2r3',
        'v1.32.4+rke2r1',
        'v1.32.4+rke2r2',
        'v1.32.9+rke2r1',
        'v1.32.10+rke2r1',
        'v2.0.0+rke2r1',
      ]);
    });

    test('is 0 for the same release', () => {
      expect(Rke2Version.parse('v1.32.4+rke2r1').compare(Rke2Version.parse('v1.32.4+rke2r1'))).toBe(0);
    });
  });

  describe('properties', () => {
    test('any value either parses or throws BaremetalValidationError', () => {
      fc.assert(
        fc.property(fc.anything(), (value) => parsesOrRefuses(() => Rke2Version.parse(value))),
        { numRuns: 200 },
      );
    });

    test('any version-like string either parses or throws BaremetalValidationError', () => {
      fc.assert(
        fc.property(fc.stringMatching(/^v?[0-9.]{0,12}(\+rke2r?[0-9]{0,3})?$/), (value) =>
          parsesOrRefuses(() => Rke2Version.parse(value)),
        ),
        { numRuns: 200 },
      );
    });

    test('a generated release round-trips through toString', () => {
      fc.assert(
        fc.property(version, (text) => Rke2Version.parse(text).toString() === text),
        { numRuns: 200 },
      );
    });

    test('compare is antisymmetric and agrees with the numeric tuple order', () => {
      fc.assert(
        fc.property(version, version, (a, b) => {
          const va = Rke2Version.parse(a);
          const vb = Rke2Version.parse(b);
          const tuple = (v: Rke2Version) => [v.major, v.minor, v.patch, v.release];
          const [ta, tb] = [tuple(va), tuple(vb)];
          const i = ta.findIndex((x, k) => x !== tb[k]);
          const expected = i < 0 ? 0 : Math.sign(ta[i] - tb[i]);
          return Math.sign(va.compare(vb)) === expected && Math.sign(vb.compare(va)) === -expected;
        }),
        { numRuns: 200 },
      );
    });
  });
});
