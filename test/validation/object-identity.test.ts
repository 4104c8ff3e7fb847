import {
  apiGroup,
  displayId,
  effectiveNamespace,
  findDuplicates,
  isClusterScoped,
  objectIdentity,
  withEffectiveNamespace,
} from '../../lib/validation/object-identity';

const o = (apiVersion: string, kind: string, name: string, namespace?: string) => ({
  apiVersion,
  kind,
  metadata: { name, ...(namespace !== undefined ? { namespace } : {}) },
});

describe('object identity', () => {
  test('the API group of an apiVersion', () => {
    expect(apiGroup('v1')).toBe('');
    expect(apiGroup('metal3.io/v1alpha1')).toBe('metal3.io');
    expect(apiGroup(undefined)).toBe('');
  });

  test('cluster scope comes from core kinds and from the shipped CRD scope', () => {
    expect(isClusterScoped('v1', 'Namespace')).toBe(true);
    expect(isClusterScoped('rbac.authorization.k8s.io/v1', 'ClusterRole')).toBe(true);
    expect(isClusterScoped('hive.openshift.io/v1', 'ClusterImageSet')).toBe(true);
    expect(isClusterScoped('machineconfiguration.openshift.io/v1', 'MachineConfig')).toBe(true);
    expect(isClusterScoped('v1', 'ConfigMap')).toBe(false);
    expect(isClusterScoped('metal3.io/v1alpha1', 'BareMetalHost')).toBe(false);
    expect(isClusterScoped('example.com/v1', 'Anything')).toBe(false);
  });

  test('a namespaced object without namespace is in the apply namespace; a cluster-scoped one has none', () => {
    expect(effectiveNamespace(o('v1', 'ConfigMap', 'a'))).toBe('default');
    expect(effectiveNamespace(o('v1', 'ConfigMap', 'a'), 'site')).toBe('site');
    expect(effectiveNamespace(o('v1', 'ConfigMap', 'a', 'own'), 'site')).toBe('own');
    expect(effectiveNamespace(o('v1', 'Namespace', 'a', 'own'))).toBeUndefined();
    expect(withEffectiveNamespace(o('v1', 'ConfigMap', 'a'), 'site').metadata).toEqual({
      name: 'a',
      namespace: 'site',
    });
    expect(withEffectiveNamespace(o('v1', 'Namespace', 'a', 'x')).metadata).toEqual({ name: 'a' });
    const same = o('v1', 'ConfigMap', 'a', 'x');
    expect(withEffectiveNamespace(same)).toBe(same);
  });

  test('identity is API group, kind, namespace and name, not version', () => {
    expect(objectIdentity(o('metal3.io/v1alpha1', 'BareMetalHost', 'h'))).toBe(
      objectIdentity(o('metal3.io/v1beta1', 'BareMetalHost', 'h', 'default')),
    );
    expect(objectIdentity(o('a.example/v1', 'Cluster', 'c'))).not.toBe(
      objectIdentity(o('b.example/v1', 'Cluster', 'c')),
    );
    expect(displayId(o('metal3.io/v1alpha1', 'BareMetalHost', 'h'))).toBe('BareMetalHost.metal3.io/default/h');
    expect(displayId(o('v1', 'Namespace', 'n'))).toBe('Namespace/n');
  });

  test('findDuplicates pairs each repetition with the first', () => {
    const placed = [
      { object: o('v1', 'ConfigMap', 'a'), at: 1 },
      { object: o('v1', 'ConfigMap', 'a', 'other'), at: 2 },
      { object: o('v1', 'ConfigMap', 'a', 'default'), at: 3 },
      { object: o('v1', 'ConfigMap', 'a'), at: 4 },
    ];
    expect(findDuplicates(placed).map((d) => [d.id, d.first.at, d.again.at])).toEqual([
      ['ConfigMap/default/a', 1, 3],
      ['ConfigMap/default/a', 1, 4],
    ]);
    expect(findDuplicates(placed, 'other').map((d) => [d.first.at, d.again.at])).toEqual([
      [1, 2],
      [1, 4],
    ]);
  });
});
