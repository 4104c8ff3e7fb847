import { findUnresolvedReferences, ManifestObject } from '../../lib/validation/references';

const ns = 'site';
function obj(
  kind: string,
  name: string,
  spec: object = {},
  labels?: Record<string, string>,
  apiVersion = 'v1',
): ManifestObject {
  return { apiVersion, kind, metadata: { name, namespace: ns, ...(labels ? { labels } : {}) }, spec };
}

function site(): ManifestObject[] {
  return [
    obj('Cluster', 'c1', {
      controlPlaneRef: { apiVersion: 'controlplane.cluster.x-k8s.io/v1beta1', kind: 'RKE2ControlPlane', name: 'c1' },
      infrastructureRef: { apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1', kind: 'Metal3Cluster', name: 'c1' },
    }),
    obj('Metal3Cluster', 'c1', {}, undefined, 'infrastructure.cluster.x-k8s.io/v1beta1'),
    obj(
      'RKE2ControlPlane',
      'c1',
      { replicas: 1, machineTemplate: { infrastructureRef: { kind: 'Metal3MachineTemplate', name: 'c1-cp' } } },
      undefined,
      'controlplane.cluster.x-k8s.io/v1beta1',
    ),
    obj('Metal3MachineTemplate', 'c1-cp', {
      template: { spec: { dataTemplate: { name: 'c1-cp-template' }, hostSelector: { matchLabels: { role: 'cp' } } } },
    }),
    obj('Metal3DataTemplate', 'c1-cp-template', { clusterName: 'c1' }),
    obj(
      'BareMetalHost',
      'h1',
      { bmc: { credentialsName: 'h1-bmc' }, preprovisioningNetworkDataName: 'h1-net' },
      { role: 'cp' },
    ),
    obj('Secret', 'h1-net'),
  ];
}

describe('findUnresolvedReferences', () => {
  test('a complete site resolves when the credentials Secret is declared external', () => {
    expect(findUnresolvedReferences(site(), { external: ['Secret/h1-bmc'] })).toEqual([]);
  });

  test('reports an undeclared credentials Secret', () => {
    expect(findUnresolvedReferences(site())).toEqual([
      "[BareMetalHost/h1] 'spec.bmc.credentialsName' names Secret/h1-bmc, which is neither emitted nor declared external",
    ]);
  });

  test('reports a control plane reference with the wrong apiVersion', () => {
    const objects = site().map((o) =>
      o.kind === 'Metal3Cluster' ? { ...o, apiVersion: 'infrastructure.cluster.x-k8s.io/v1alpha5' } : o,
    );
    expect(findUnresolvedReferences(objects, { external: ['Secret/h1-bmc'] })).toEqual([
      "[Cluster/c1] 'spec.infrastructureRef' names Metal3Cluster/c1, which is neither emitted nor declared external",
    ]);
  });

  test('reports a missing data template and an unknown cluster', () => {
    const objects = site().filter((o) => o.kind !== 'Metal3DataTemplate' && o.kind !== 'Cluster');
    objects.push(obj('Metal3DataTemplate', 'other', { clusterName: 'ghost' }));
    const problems = findUnresolvedReferences(objects, { external: ['Secret/h1-bmc'] });
    expect(problems).toContain(
      "[Metal3MachineTemplate/c1-cp] 'spec.template.spec.dataTemplate' names Metal3DataTemplate/c1-cp-template, which is neither emitted nor declared external",
    );
    expect(problems).toContain(
      "[Metal3DataTemplate/other] 'spec.clusterName' names Cluster/ghost, which is neither emitted nor declared external",
    );
  });

  test('reports a host selector that matches fewer hosts than machines', () => {
    const objects = site().map((o) => (o.kind === 'RKE2ControlPlane' ? { ...o, spec: { ...o.spec, replicas: 3 } } : o));
    expect(findUnresolvedReferences(objects, { external: ['Secret/h1-bmc'] })).toEqual([
      "[Metal3MachineTemplate/c1-cp] 'spec.template.spec.hostSelector' matches 1 BareMetalHost(s) but 3 machine(s) use it",
    ]);
  });

  test('does not count hosts of another namespace', () => {
    const objects = site().map((o) =>
      o.kind === 'BareMetalHost' ? { ...o, metadata: { ...o.metadata, namespace: 'elsewhere' } } : o,
    );
    expect(findUnresolvedReferences(objects, { external: ['Secret/h1-bmc', 'Secret/elsewhere/h1-net'] })).toContain(
      "[Metal3MachineTemplate/c1-cp] 'spec.template.spec.hostSelector' matches 0 BareMetalHost(s) but 1 machine(s) use it",
    );
  });

  test('counts MachineDeployment replicas and checks their bootstrap reference', () => {
    const objects = [
      ...site(),
      obj('MachineDeployment', 'c1-workers', {
        replicas: 2,
        template: {
          spec: {
            infrastructureRef: { kind: 'Metal3MachineTemplate', name: 'c1-cp' },
            bootstrap: { configRef: { kind: 'RKE2ConfigTemplate', name: 'c1-workers' } },
          },
        },
      }),
    ];
    const problems = findUnresolvedReferences(objects, { external: ['Secret/h1-bmc'] });
    expect(problems).toContain(
      "[MachineDeployment/c1-workers] 'spec.template.spec.bootstrap.configRef' names RKE2ConfigTemplate/c1-workers, which is neither emitted nor declared external",
    );
    expect(problems).toContain(
      "[Metal3MachineTemplate/c1-cp] 'spec.template.spec.hostSelector' matches 1 BareMetalHost(s) but 3 machine(s) use it",
    );
  });
  describe('Assisted Service objects', () => {
    function assisted(): ManifestObject[] {
      const clusterImageSet = {
        apiVersion: 'hive.openshift.io/v1',
        kind: 'ClusterImageSet',
        metadata: { name: 'img4.19' },
      };
      return [
        clusterImageSet as ManifestObject,
        obj(
          'ClusterDeployment',
          'mycluster',
          {
            pullSecretRef: { name: 'pull' },
            clusterInstallRef: {
              group: 'extensions.hive.openshift.io',
              version: 'v1beta1',
              kind: 'AgentClusterInstall',
              name: 'mycluster',
            },
          },
          undefined,
          'hive.openshift.io/v1',
        ),
        obj(
          'AgentClusterInstall',
          'mycluster',
          {
            clusterDeploymentRef: { name: 'mycluster' },
            imageSetRef: { name: 'img4.19' },
            manifestsConfigMapRefs: [{ name: 'cn2' }],
            mirrorRegistryRef: { name: 'mirror', namespace: 'multicluster-engine' },
          },
          undefined,
          'extensions.hive.openshift.io/v1beta1',
        ),
        obj('ConfigMap', 'cn2'),
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'mirror', namespace: 'multicluster-engine' } },
      ];
    }

    test('resolves the ClusterImageSet across namespaces and the mirror ConfigMap in its namespace', () => {
      // GIVEN a complete Assisted cluster with an external pull secret / THEN every reference resolves
      expect(findUnresolvedReferences(assisted(), { external: ['Secret/pull'] })).toEqual([]);
    });

    test('reports each missing Assisted reference', () => {
      // GIVEN only the ClusterDeployment and the AgentClusterInstall
      const objects = assisted().filter((o) => o.kind === 'ClusterDeployment' || o.kind === 'AgentClusterInstall');
      // THEN the pull secret, image set and ConfigMaps are reported
      expect(findUnresolvedReferences(objects)).toEqual([
        "[ClusterDeployment/mycluster] 'spec.pullSecretRef' names Secret/pull, which is neither emitted nor declared external",
        "[AgentClusterInstall/mycluster] 'spec.imageSetRef' names ClusterImageSet/img4.19, which is neither emitted nor declared external",
        "[AgentClusterInstall/mycluster] 'spec.manifestsConfigMapRefs[0]' names ConfigMap/cn2, which is neither emitted nor declared external",
        "[AgentClusterInstall/mycluster] 'spec.mirrorRegistryRef' names ConfigMap/mirror, which is neither emitted nor declared external",
      ]);
    });

    test('reports a clusterInstallRef of the wrong group', () => {
      const objects = assisted().map((o) =>
        o.kind === 'ClusterDeployment'
          ? {
              ...o,
              spec: { ...o.spec, clusterInstallRef: { ...o.spec.clusterInstallRef, group: 'hive.openshift.io' } },
            }
          : o,
      );
      expect(findUnresolvedReferences(objects, { external: ['Secret/pull'] })).toEqual([
        "[ClusterDeployment/mycluster] 'spec.clusterInstallRef' names AgentClusterInstall/mycluster, which is neither emitted nor declared external",
      ]);
    });
  });
});

describe('findUnresolvedReferences on the Agent platform', () => {
  const env = (spec: object = {}) =>
    obj('InfraEnv', 'hosted', {
      pullSecretRef: { name: 'pull-secret' },
      nmStateConfigLabelSelector: { matchLabels: { env: 'hosted' } },
      ...spec,
    });
  const host = obj('BareMetalHost', 'w0', {}, { 'infraenvs.agent-install.openshift.io': 'hosted' });
  const nmstate = obj('NMStateConfig', 'w0', {}, { env: 'hosted' });
  const secret = obj('Secret', 'pull-secret');

  test('an InfraEnv with its pull secret, hosts and NMStateConfigs resolves', () => {
    expect(findUnresolvedReferences([env(), host, nmstate, secret])).toEqual([]);
  });

  test('reports a host whose InfraEnv is missing', () => {
    expect(findUnresolvedReferences([host])).toEqual([
      `[BareMetalHost/w0] 'metadata.labels["infraenvs.agent-install.openshift.io"]' names InfraEnv/hosted, which is neither emitted nor declared external`,
    ]);
  });

  test('reports a missing pull secret, ClusterDeployment and mirror ConfigMap (in their own namespaces)', () => {
    const problems = findUnresolvedReferences([
      env({
        clusterRef: { name: 'sno', namespace: 'sno' },
        mirrorRegistryRef: { name: 'custom-registries', namespace: 'multicluster-engine' },
      }),
      nmstate,
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'custom-registries', namespace: 'multicluster-engine' },
      },
    ]);
    expect(problems).toEqual([
      `[InfraEnv/hosted] 'spec.pullSecretRef' names Secret/pull-secret, which is neither emitted nor declared external`,
      `[InfraEnv/hosted] 'spec.clusterRef' names ClusterDeployment/sno, which is neither emitted nor declared external`,
    ]);
  });

  test('reports a selector that matches no NMStateConfig and an NMStateConfig no InfraEnv selects', () => {
    const stray = obj('NMStateConfig', 'w1', {}, { env: 'other' });
    expect(findUnresolvedReferences([env(), secret, stray])).toEqual([
      `[InfraEnv/hosted] 'spec.nmStateConfigLabelSelector' matches no NMStateConfig in its namespace`,
      `[NMStateConfig/w1] is selected by no InfraEnv's nmStateConfigLabelSelector in its namespace`,
    ]);
  });
});
