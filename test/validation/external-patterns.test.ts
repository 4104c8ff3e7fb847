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
});
