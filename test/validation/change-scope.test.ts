import { ChangeScope, identityNamespace, scopeOf } from '../../lib/validation/change-scope';

const place = (identity: string) => ({ file: 'f.yaml', identity, id: 'x', document: 1 });
const check = (identities: string[], more: Partial<Parameters<typeof scopeOf>[0]> = {}) => ({
  objects: identities.length,
  problems: [],
  places: identities.map(place),
  views: [],
  manifestMaps: [],
  ...more,
});
const host = '\u0000BareMetalHost\u0000site-b\u0000h1';
const secret = '\u0000Secret\u0000site-a\u0000s1';
const namespace = '\u0000Namespace\u0000\u0000site-a';

describe('identityNamespace', () => {
  test('is the third part of an identity, empty for a cluster-scoped object', () => {
    expect(identityNamespace(host)).toBe('site-b');
    expect(identityNamespace(namespace)).toBe('');
    expect(identityNamespace('metal3.io\u0000BareMetalHost\u0000ns\u0000a\u0000b')).toBe('ns');
  });

  test('is empty for a text that is not an identity', () => {
    expect(identityNamespace('')).toBe('');
    expect(identityNamespace('a\u0000b')).toBe('');
    expect(identityNamespace('a\u0000b\u0000c')).toBe('');
    expect(identityNamespace('a\u0000b\u0000cd')).toBe('');
  });
});

describe('scopeOf', () => {
  test('lists the namespaces once, sorted, and the cluster-scoped identities in file order', () => {
    const scope = scopeOf(check([host, secret, namespace, secret.replace('s1', 's2')]));
    expect(scope).toEqual({
      namespaces: ['site-a', 'site-b'],
      cluster: [namespace],
      wide: false,
      broken: false,
      objects: 4,
    });
  });

  test('is wide when an object refers across namespaces or names ConfigMaps as manifests', () => {
    const nodePool = { apiVersion: 'hypershift.openshift.io/v1beta1', kind: 'NodePool', metadata: { name: 'np' } };
    const secretView = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' } };
    expect(scopeOf(check([], { views: [secretView, nodePool] })).wide).toBe(true);
    expect(scopeOf(check([], { views: [secretView] })).wide).toBe(false);
    expect(scopeOf(check([], { manifestMaps: ['ns/extra'] })).wide).toBe(true);
  });

  test('is broken when the file could not be read or parsed, not for other problems', () => {
    const problem = (c: string) => ({ file: 'f.yaml', check: c, message: 'm' });
    expect(scopeOf(check([], { problems: [problem('yaml')] })).broken).toBe(true);
    expect(scopeOf(check([], { problems: [problem('read')] })).broken).toBe(true);
    expect(scopeOf(check([], { problems: [problem('schema')] })).broken).toBe(false);
  });
});

describe('ChangeScope', () => {
  const change = new ChangeScope([scopeOf(check([secret, namespace]))]);

  test('touches a file with an object in a touched namespace or a touched cluster-scoped object', () => {
    expect(change.touches(scopeOf(check([secret.replace('s1', 'other')])))).toBe(true);
    expect(change.touches(scopeOf(check([namespace])))).toBe(true);
    expect(change.touches(scopeOf(check([host])))).toBe(false);
    expect(change.touches(scopeOf(check([namespace.replace('site-a', 'site-b')])))).toBe(false);
    expect(change.touches(scopeOf(check([])))).toBe(false);
  });

  test('keeps the places of touched namespaces and of touched cluster-scoped objects only', () => {
    expect(change.keepsPlace(place(secret))).toBe(true);
    expect(change.keepsPlace(place(namespace))).toBe(true);
    expect(change.keepsPlace(place(host))).toBe(false);
    expect(change.keepsPlace(place(namespace.replace('site-a', 'site-b')))).toBe(false);
    // A cluster-scoped identity whose name is a touched namespace is not that namespace.
    expect(new ChangeScope([scopeOf(check([secret]))]).keepsPlace(place(namespace))).toBe(false);
  });

  test('keeps the views of objects in touched namespaces, the apply namespace for those without one', () => {
    const view = (kind: string, ns?: string) => ({
      apiVersion: 'v1',
      kind,
      metadata: { name: 'x', ...(ns ? { namespace: ns } : {}) },
    });
    expect(change.keepsView(view('Secret', 'site-a'))).toBe(true);
    expect(change.keepsView(view('Secret', 'site-b'))).toBe(false);
    expect(change.keepsView(view('Secret'))).toBe(false);
    expect(change.keepsView(view('Secret'), 'site-a')).toBe(true);
    // Cluster-scoped objects have no references to check; odd values are left to the schema check.
    expect(change.keepsView(view('Namespace', 'site-a'), 'site-a')).toBe(false);
    expect(change.keepsView(null)).toBe(false);
    expect(change.keepsView([view('Secret', 'site-a')])).toBe(false);
    expect(change.keepsView('Secret')).toBe(false);
    expect(change.keepsView(null, 'site-a')).toBe(false);
    expect(change.keepsView([view('Secret', 'site-a')], 'site-a')).toBe(false);
    expect(change.keepsView('Secret', 'site-a')).toBe(false);
  });

  test('a file with several namespaces or cluster-scoped objects is touched when any one of them is', () => {
    const other = '\u0000Secret\u0000zz\u0000s';
    const otherCluster = '\u0000Namespace\u0000\u0000zz';
    expect(change.touches(scopeOf(check([other, secret])))).toBe(true);
    expect(change.touches(scopeOf(check([secret, other])))).toBe(true);
    expect(change.touches(scopeOf(check([otherCluster, namespace])))).toBe(true);
    expect(change.touches(scopeOf(check([namespace, otherCluster])))).toBe(true);
    expect(change.touches(scopeOf(check([other, otherCluster])))).toBe(false);
  });

  test('gathers the namespaces and cluster-scoped objects of every changed file', () => {
    const both = new ChangeScope([scopeOf(check([secret])), scopeOf(check([host, namespace]))]);
    expect(both.keepsPlace(place(secret))).toBe(true);
    expect(both.keepsPlace(place(host))).toBe(true);
    expect(both.keepsPlace(place(namespace))).toBe(true);
    expect(new ChangeScope([]).touches(scopeOf(check([secret, namespace])))).toBe(false);
  });
});

describe('scopeOf in detail', () => {
  test('counts the objects it is told, and is neither wide nor broken without cause', () => {
    expect(scopeOf({ ...check([]), objects: 7 })).toEqual({
      namespaces: [],
      cluster: [],
      wide: false,
      broken: false,
      objects: 7,
    });
  });

  test('keeps every cluster-scoped identity in file order, repeats included', () => {
    const b = namespace.replace('site-a', 'b');
    expect(scopeOf(check([namespace, b, namespace])).cluster).toEqual([namespace, b, namespace]);
  });
});
