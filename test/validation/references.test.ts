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
});

/** A hosted cluster on the Agent platform (seed 001 §6.3.12 shape), plus an Assisted-installed one. */
function openshift(): ManifestObject[] {
  const at = (o: ManifestObject, namespace: string | undefined, extra: object = {}): ManifestObject => ({
    ...o,
    metadata: { ...o.metadata, namespace, ...extra },
  });
  return [
    at(obj('Namespace', 'clusters-hosted'), undefined),
    obj('HostedCluster', 'hosted', {
      pullSecret: { name: 'pull-secret' },
      sshKey: { name: 'ssh-key' },
      secretEncryption: { type: 'aescbc', aescbc: { activeKey: { name: 'etcd-key' } } },
      additionalTrustBundle: { name: 'user-ca-bundle' },
      platform: { type: 'Agent', agent: { agentNamespace: 'clusters-hosted' } },
    }),
    obj('Secret', 'pull-secret'),
    obj('Secret', 'ssh-key'),
    obj('ConfigMap', 'user-ca-bundle'),
    obj('ExternalSecret', 'etcd-key', { target: { name: 'etcd-key' } }),
    obj('NodePool', 'hosted', {
      clusterName: 'hosted',
      replicas: 2,
      config: [{ name: 'kmods' }],
      platform: { type: 'Agent', agent: { agentLabelSelector: { matchLabels: { pool: 'a' } } } },
    }),
    obj('ConfigMap', 'kmods'),
    at(
      obj('InfraEnv', 'hosted', { pullSecretRef: { name: 'pull-secret' }, agentLabels: { pool: 'a' } }),
      'clusters-hosted',
    ),
    at(obj('Secret', 'pull-secret'), 'clusters-hosted'),
    ...['w1', 'w2'].map((n) =>
      at(obj('BareMetalHost', n, {}, { 'infraenvs.agent-install.openshift.io': 'hosted' }), 'clusters-hosted'),
    ),
  ];
}

describe('findUnresolvedReferences on OpenShift objects', () => {
  test('a complete hosted cluster resolves (the ExternalSecret provides its target Secret)', () => {
    expect(findUnresolvedReferences(openshift())).toEqual([]);
  });

  test('reports each missing Secret, ConfigMap and agent Namespace of a HostedCluster', () => {
    const drop = new Set([
      'Secret/pull-secret',
      'Secret/ssh-key',
      'ExternalSecret/etcd-key',
      'ConfigMap/user-ca-bundle',
    ]);
    const objects = openshift().filter(
      (o) => !(o.metadata.namespace === ns && drop.has(`${o.kind}/${o.metadata.name}`)) && o.kind !== 'Namespace',
    );
    const problems = findUnresolvedReferences(objects);
    for (const field of [
      "'spec.pullSecret.name' names Secret/pull-secret",
      "'spec.sshKey.name' names Secret/ssh-key",
      "'spec.secretEncryption.aescbc.activeKey.name' names Secret/etcd-key",
      "'spec.additionalTrustBundle.name' names ConfigMap/user-ca-bundle",
      "'spec.platform.agent.agentNamespace' names Namespace/clusters-hosted",
    ]) {
      expect(problems).toContain(`[HostedCluster/hosted] ${field}, which is neither emitted nor declared external`);
    }
  });

  test('reports a NodePool whose cluster or config is missing', () => {
    const objects = openshift()
      .filter((o) => !(o.kind === 'ConfigMap' && o.metadata.name === 'kmods'))
      .map((o) => (o.kind === 'NodePool' ? { ...o, spec: { ...o.spec, clusterName: 'ghost' } } : o));
    const problems = findUnresolvedReferences(objects);
    expect(problems).toContain(
      "[NodePool/hosted] 'spec.clusterName' names HostedCluster/ghost, which is neither emitted nor declared external",
    );
    expect(problems).toContain(
      "[NodePool/hosted] 'spec.config[0].name' names ConfigMap/kmods, which is neither emitted nor declared external",
    );
  });

  test('reports a NodePool asking for more agents than the selector matches, counting BMH agent-label annotations', () => {
    // GIVEN three replicas, but only two hosts whose agents carry pool=a (via InfraEnv agentLabels)
    const three = openshift().map((o) => (o.kind === 'NodePool' ? { ...o, spec: { ...o.spec, replicas: 3 } } : o));
    expect(findUnresolvedReferences(three)).toEqual([
      "[NodePool/hosted] 'spec.replicas' is 3 but 'spec.platform.agent.agentLabelSelector' matches 2 agent BareMetalHost(s) in namespace clusters-hosted",
    ]);
    // WHEN the InfraEnv no longer labels agents, but one host carries the label through its annotation
    const annotated = three.map((o) => {
      if (o.kind === 'InfraEnv') return { ...o, spec: { pullSecretRef: { name: 'pull-secret' } } };
      if (o.kind === 'BareMetalHost' && o.metadata.name === 'w1') {
        return {
          ...o,
          metadata: { ...o.metadata, annotations: { 'bmac.agent-install.openshift.io.agent-label.pool': 'a' } },
        };
      }
      return o;
    });
    // THEN only that host counts
    expect(findUnresolvedReferences(annotated)).toEqual([
      "[NodePool/hosted] 'spec.replicas' is 3 but 'spec.platform.agent.agentLabelSelector' matches 1 agent BareMetalHost(s) in namespace clusters-hosted",
    ]);
  });

  test('reports a host labelled for an InfraEnv that does not exist', () => {
    const objects = openshift().filter((o) => o.kind !== 'InfraEnv');
    expect(findUnresolvedReferences(objects)).toContain(
      "[BareMetalHost/w1] 'metadata.labels['infraenvs.agent-install.openshift.io']' names InfraEnv/hosted, which is neither emitted nor declared external",
    );
  });

  test('reports an InfraEnv selecting no NMStateConfig and an NMStateConfig no InfraEnv selects', () => {
    const objects = openshift().map((o) =>
      o.kind === 'InfraEnv'
        ? { ...o, spec: { ...o.spec, nmStateConfigLabelSelector: { matchLabels: { infraenv: 'hosted' } } } }
        : o,
    );
    objects.push({
      apiVersion: 'agent-install.openshift.io/v1beta1',
      kind: 'NMStateConfig',
      metadata: { name: 'w1', namespace: 'clusters-hosted', labels: { infraenv: 'other' } },
      spec: {},
    });
    expect(findUnresolvedReferences(objects)).toEqual([
      "[InfraEnv/hosted] 'spec.nmStateConfigLabelSelector' matches no NMStateConfig in namespace clusters-hosted",
      "[NMStateConfig/w1] no InfraEnv in namespace clusters-hosted selects it with 'spec.nmStateConfigLabelSelector'",
    ]);
  });

  test('follows an Assisted install from ClusterDeployment to ClusterImageSet and manifest ConfigMaps', () => {
    // GIVEN a ClusterDeployment, its AgentClusterInstall and an InfraEnv, with nothing they name emitted
    const objects: ManifestObject[] = [
      obj('ClusterDeployment', 'cn2', {
        pullSecretRef: { name: 'pull' },
        clusterInstallRef: {
          group: 'extensions.hive.openshift.io',
          version: 'v1beta1',
          kind: 'AgentClusterInstall',
          name: 'cn2',
        },
      }),
      obj('AgentClusterInstall', 'cn2', {
        imageSetRef: { name: 'ocp-4.16' },
        clusterDeploymentRef: { name: 'cn2' },
        manifestsConfigMapRefs: [{ name: 'cn2-manifests-0' }],
        mirrorRegistryRef: { name: 'mirror' },
      }),
      obj('InfraEnv', 'cn2', { clusterRef: { name: 'cn2', namespace: 'other' }, pullSecretRef: { name: 'pull' } }),
      {
        apiVersion: 'agent-install.openshift.io/v1beta1',
        kind: 'AgentServiceConfig',
        metadata: { name: 'agent' },
        spec: { mirrorRegistryRef: { name: 'mirror-config' } },
      },
    ];
    // WHEN checked
    const problems = findUnresolvedReferences(objects);
    // THEN every missing target is named once, the cluster-scoped ClusterImageSet without a namespace
    expect(problems).toEqual([
      "[ClusterDeployment/cn2] 'spec.pullSecretRef.name' names Secret/pull, which is neither emitted nor declared external",
      "[AgentClusterInstall/cn2] 'spec.imageSetRef.name' names ClusterImageSet/ocp-4.16, which is neither emitted nor declared external",
      "[AgentClusterInstall/cn2] 'spec.manifestsConfigMapRefs[0].name' names ConfigMap/cn2-manifests-0, which is neither emitted nor declared external",
      "[AgentClusterInstall/cn2] 'spec.mirrorRegistryRef.name' names ConfigMap/mirror, which is neither emitted nor declared external",
      "[InfraEnv/cn2] 'spec.pullSecretRef.name' names Secret/pull, which is neither emitted nor declared external",
      "[InfraEnv/cn2] 'spec.clusterRef' names ClusterDeployment/cn2, which is neither emitted nor declared external",
      "[AgentServiceConfig/agent] 'spec.mirrorRegistryRef.name' names ConfigMap/mirror-config, which is neither emitted nor declared external",
    ]);
    // AND emitting them resolves everything
    objects.push(
      obj('Secret', 'pull'),
      { apiVersion: 'hive.openshift.io/v1', kind: 'ClusterImageSet', metadata: { name: 'ocp-4.16' } },
      obj('ConfigMap', 'cn2-manifests-0'),
      obj('ConfigMap', 'mirror'),
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'mirror-config', namespace: 'multicluster-engine' } },
    );
    objects[2] = obj('InfraEnv', 'cn2', {
      clusterRef: { name: 'cn2', namespace: ns },
      pullSecretRef: { name: 'pull' },
    });
    expect(findUnresolvedReferences(objects)).toEqual([]);
  });
});
