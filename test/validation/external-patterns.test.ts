import { ExternalPatterns } from '../../lib/validation/external-patterns';
import { findUnresolvedReferences, ManifestObject } from '../../lib/validation/references';

function host(name: string, namespace: string, secret: string): ManifestObject {
  return {
    apiVersion: 'metal3.io/v1alpha1',
    kind: 'BareMetalHost',
    metadata: { name, namespace },
    spec: { bmc: { credentialsName: secret } },
  };
}

describe('ExternalPatterns', () => {
  test('a name pattern matches in any namespace, whole name only', () => {
    const p = new ExternalPatterns(['Secret/*-bmc']);
    expect(p.matches('Secret', 'site-a', 'node1-bmc')).toBe(true);
    expect(p.matches('Secret', undefined, '-bmc')).toBe(true);
    expect(p.matches('Secret', 'site-a', 'node1-bmc-old')).toBe(false);
    expect(p.matches('ConfigMap', 'site-a', 'node1-bmc')).toBe(false);
  });

  test('a namespace-qualified pattern matches only in matching namespaces, never across a /', () => {
    const p = new ExternalPatterns(['Secret/site-*/bmc-?']);
    expect(p.matches('Secret', 'site-berlin', 'bmc-1')).toBe(true);
    expect(p.matches('Secret', 'other', 'bmc-1')).toBe(false);
    expect(p.matches('Secret', 'site-berlin', 'bmc-10')).toBe(false);
    expect(new ExternalPatterns(['Secret/*']).matches('Secret', 'a', 'b/c')).toBe(false);
  });

  test('regular-expression characters in a pattern are literal', () => {
    const p = new ExternalPatterns(['Secret/a.b*']);
    expect(p.matches('Secret', 'x', 'a.b-1')).toBe(true);
    expect(p.matches('Secret', 'x', 'axb-1')).toBe(false);
  });

  test('exact declarations keep their meaning: Kind/name any namespace, Kind/namespace/name only there', () => {
    const p = new ExternalPatterns(['Secret/a', 'Secret/ns1/b']);
    expect(p.matches('Secret', 'anywhere', 'a')).toBe(true);
    expect(p.matches('Secret', 'ns1', 'b')).toBe(true);
    expect(p.matches('Secret', 'ns2', 'b')).toBe(false);
  });

  test('unused lists the declarations that matched nothing, in the order given', () => {
    const p = new ExternalPatterns(['Secret/*-bmc', 'secret/*-bmc', 'Secret/gone']);
    p.matches('Secret', 'x', 'n1-bmc');
    expect(p.unused()).toEqual(['secret/*-bmc', 'Secret/gone']);
  });

  test.each(['Secret', 'Secret/', '/name', 'Secret/a/b/c', 'Secret//b'])('fails for the malformed %p', (bad) => {
    expect(ExternalPatterns.problemOf(bad)).toMatch(/is not Kind\/name or Kind\/namespace\/name/);
    expect(() => new ExternalPatterns([bad])).toThrow(/'external' .* is not Kind\/name or Kind\/namespace\/name/);
  });

  test('findUnresolvedReferences resolves every BMC Secret of a fleet through one pattern', () => {
    const objects = Array.from({ length: 50 }, (_, i) => host(`h${i}`, `site-${i}`, `h${i}-bmc`));
    const external = new ExternalPatterns(['Secret/*-bmc', 'Secret/unused-*']);
    expect(findUnresolvedReferences(objects, { external })).toEqual([]);
    expect(external.unused()).toEqual(['Secret/unused-*']);
    expect(findUnresolvedReferences(objects, { external: ['Secret/site-1?/*-bmc'] })).toHaveLength(40);
  });

  test('a namespace-qualified declaration matches a cluster-scoped target only with an empty-matching namespace part, and any namespace when asked', () => {
    const exact = new ExternalPatterns(['Namespace/ns1/agents']);
    expect(exact.matches('Namespace', undefined, 'agents')).toBe(false);
    expect(exact.matches('ConfigMap', 'ns1', 'agents')).toBe(false);
    expect(exact.matches('Namespace', 'other', 'agents', true)).toBe(true);
    const glob = new ExternalPatterns(['ConfigMap/site-*/mirror-?']);
    expect(glob.matches('ConfigMap', undefined, 'mirror-1')).toBe(false);
    expect(glob.matches('ConfigMap', 'other', 'mirror-1', true)).toBe(true);
    expect(glob.matches('ConfigMap', 'other', 'mirror-10', true)).toBe(false);
    expect(new ExternalPatterns(['ConfigMap/*/mirror']).matches('ConfigMap', undefined, 'mirror')).toBe(true);
  });

  test('a wildcard in the kind matches kinds, and a name that is not text is compared as text', () => {
    const p = new ExternalPatterns(['*Map/cm-*', 'Secret/7']);
    expect(p.matches('ConfigMap', 'x', 'cm-1')).toBe(true);
    expect(p.matches('ConfigMapX', 'x', 'cm-1')).toBe(false);
    expect(p.matches('Secret', 'x', 7)).toBe(true);
    expect(p.unused()).toEqual([]);
  });

  test('every declaration that matches is marked used, exact and wildcard alike', () => {
    const p = new ExternalPatterns(['Secret/ns1/a', 'Secret/ns2/a', 'Secret/a', 'Secret/?', 'Secret/b*']);
    expect(p.matches('Secret', 'ns2', 'a')).toBe(true);
    expect(p.unused()).toEqual(['Secret/ns1/a', 'Secret/b*']);
  });

  test('a declaration given twice is listed once as unused', () => {
    expect(new ExternalPatterns(['Secret/a', 'Secret/a', 'Secret/b*', 'Secret/b*']).unused()).toEqual([
      'Secret/a',
      'Secret/b*',
    ]);
  });

  test.each(['a+b', 'a^b', 'a$b', 'a{1}', 'a(b)', 'a|b', 'a[b]', 'a\\b'])(
    'the regular-expression character in %p is literal',
    (name) => {
      const p = new ExternalPatterns([`Secret/${name}*`]);
      expect(p.matches('Secret', 'x', `${name}-1`)).toBe(true);
      expect(p.matches('Secret', 'x', `${name.replace(/[^a-z]/g, '')}-1`)).toBe(false);
    },
  );

  test('a valid declaration has no problem; a malformed one is quoted with the expected form', () => {
    expect(ExternalPatterns.problemOf('Secret/a')).toBeUndefined();
    expect(ExternalPatterns.problemOf('Secret/ns/a')).toBeUndefined();
    expect(ExternalPatterns.problemOf('Secret')).toBe(
      "'Secret' is not Kind/name or Kind/namespace/name (each part may use * and ?)",
    );
    expect(() => new ExternalPatterns(['Secret'])).toThrow(
      "'external' 'Secret' is not Kind/name or Kind/namespace/name (each part may use * and ?); for example Secret/*-bmc",
    );
  });

  test('no declarations match nothing; a namespace part that needs a character does not match a cluster-scoped target', () => {
    const none = new ExternalPatterns();
    expect(none.matches('Secret', 'x', 'a')).toBe(false);
    expect(none.unused()).toEqual([]);
    const p = new ExternalPatterns(['ConfigMap/?*/mirror']);
    expect(p.matches('ConfigMap', undefined, 'mirror')).toBe(false);
    expect(p.matches('ConfigMap', 'a', 'mirror')).toBe(true);
  });
});
