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

  test.each([
    ['v1', 'Namespace'],
    ['v1', 'Node'],
    ['v1', 'PersistentVolume'],
    ['v1', 'ComponentStatus'],
    ['rbac.authorization.k8s.io/v1', 'ClusterRole'],
    ['rbac.authorization.k8s.io/v1', 'ClusterRoleBinding'],
    ['apiextensions.k8s.io/v1', 'CustomResourceDefinition'],
    ['apiregistration.k8s.io/v1', 'APIService'],
    ['admissionregistration.k8s.io/v1', 'MutatingWebhookConfiguration'],
    ['admissionregistration.k8s.io/v1', 'ValidatingWebhookConfiguration'],
    ['admissionregistration.k8s.io/v1', 'ValidatingAdmissionPolicy'],
    ['admissionregistration.k8s.io/v1', 'ValidatingAdmissionPolicyBinding'],
    ['storage.k8s.io/v1', 'StorageClass'],
    ['storage.k8s.io/v1', 'CSIDriver'],
    ['storage.k8s.io/v1', 'CSINode'],
    ['storage.k8s.io/v1', 'VolumeAttachment'],
    ['scheduling.k8s.io/v1', 'PriorityClass'],
    ['networking.k8s.io/v1', 'IngressClass'],
    ['node.k8s.io/v1', 'RuntimeClass'],
    ['certificates.k8s.io/v1', 'CertificateSigningRequest'],
    ['flowcontrol.apiserver.k8s.io/v1', 'FlowSchema'],
    ['flowcontrol.apiserver.k8s.io/v1', 'PriorityLevelConfiguration'],
  ])('the core kind %s %s is cluster-scoped, the same kind in another group is not', (apiVersion, kind) => {
    expect(isClusterScoped(apiVersion, kind)).toBe(true);
    expect(effectiveNamespace(o(apiVersion, kind, 'x', 'own'))).toBeUndefined();
    expect(isClusterScoped('example.com/v1', kind)).toBe(false);
  });

  test('a kind is matched in its group only: a core kind name under a CRD group is namespaced', () => {
    expect(isClusterScoped('v1', 'ClusterRole')).toBe(false);
    expect(isClusterScoped('hive.openshift.io/v1', 'Namespace')).toBe(false);
    expect(isClusterScoped('v1', 'ClusterImageSet')).toBe(false);
  });

  test('an empty or non-text metadata.namespace counts as none', () => {
    expect(effectiveNamespace(o('v1', 'ConfigMap', 'a', ''), 'site')).toBe('site');
    expect(
      effectiveNamespace({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 7 } }, 'site'),
    ).toBe('site');
    expect(effectiveNamespace(undefined, 'site')).toBe('site');
  });

  test('withEffectiveNamespace leaves what is not an object with metadata as it is, and copies instead of changing', () => {
    expect(withEffectiveNamespace(null)).toBeNull();
    expect(withEffectiveNamespace('text')).toBe('text');
    const noMeta = { kind: 'ConfigMap', metadata: null };
    expect(withEffectiveNamespace(noMeta)).toBe(noMeta);
    const scalarMeta = { kind: 'ConfigMap', metadata: 'x' };
    expect(withEffectiveNamespace(scalarMeta)).toBe(scalarMeta);
    const given = o('v1', 'ConfigMap', 'a');
    const placed = withEffectiveNamespace(given, 'site');
    expect(placed).not.toBe(given);
    expect(placed).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'site' } });
    expect(given.metadata).toEqual({ name: 'a' });
    const ns = o('v1', 'Namespace', 'n', 'x');
    withEffectiveNamespace(ns);
    expect(ns.metadata).toEqual({ name: 'n', namespace: 'x' });
    const clean = o('v1', 'Namespace', 'n');
    expect(withEffectiveNamespace(clean)).toBe(clean);
  });

  test('identity and display name of a cluster-scoped kind of a CRD group, and of odd input', () => {
    expect(displayId(o('hive.openshift.io/v1', 'ClusterImageSet', 'img', 'x'))).toBe(
      'ClusterImageSet.hive.openshift.io/img',
    );
    expect(displayId(o('v1', 'ConfigMap', 'a'), 'site')).toBe('ConfigMap/site/a');
    expect(objectIdentity(o('v1', 'Namespace', 'n', 'x'))).toBe(objectIdentity(o('v1', 'Namespace', 'n')));
    expect(objectIdentity(o('v1', 'ConfigMap', 'a', 'x'))).not.toBe(objectIdentity(o('v1', 'ConfigMap', 'a', 'y')));
    expect(objectIdentity(o('v1', 'ConfigMap', 'a'))).not.toBe(objectIdentity(o('v1', 'Secret', 'a')));
    expect(objectIdentity(o('v1', 'ConfigMap', 'a'))).not.toBe(objectIdentity(o('v1', 'ConfigMap', 'b')));
    expect(objectIdentity(o('v1', 'ConfigMap', 'a'), 'x')).not.toBe(objectIdentity(o('v1', 'ConfigMap', 'a'), 'y'));
    expect(displayId(undefined)).toBe('undefined/default/undefined');
    expect(objectIdentity(undefined)).toBe(objectIdentity({}));
  });

  test('a cluster-scoped object loses its namespace key, not just its value; objects without metadata are named', () => {
    const placed = withEffectiveNamespace(o('v1', 'Namespace', 'n', 'x'));
    expect(Object.keys(placed.metadata)).toEqual(['name']);
    expect(displayId({ apiVersion: 'v1', kind: 'Namespace' })).toBe('Namespace/undefined');
    expect(displayId({ apiVersion: 'v1', kind: 'ConfigMap' })).toBe('ConfigMap/default/undefined');
  });
});
