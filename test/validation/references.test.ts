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

describe('findUnresolvedReferences for hosted clusters', () => {
  const hc = (spec: object = {}) =>
    obj('HostedCluster', 'hosted', {
      pullSecret: { name: 'pull' },
      sshKey: { name: 'ssh' },
      secretEncryption: { aescbc: { activeKey: { name: 'etcd' } } },
      additionalTrustBundle: { name: 'user-ca-bundle' },
      platform: { type: 'Agent', agent: { agentNamespace: 'site-hosted' } },
      ...spec,
    });
  const pool = (replicas: number, matchLabels: Record<string, string> = {}, config?: object[]) =>
    obj('NodePool', 'hosted', {
      clusterName: 'hosted',
      replicas,
      platform: { type: 'Agent', agent: { agentLabelSelector: { matchLabels } } },
      ...(config ? { config } : {}),
    });
  const bmh = (name: string, annotations: Record<string, string> = {}): ManifestObject => ({
    apiVersion: 'metal3.io/v1alpha1',
    kind: 'BareMetalHost',
    metadata: {
      name,
      namespace: 'site-hosted',
      labels: { 'infraenvs.agent-install.openshift.io': 'hosted' },
      annotations,
    } as ManifestObject['metadata'],
  });
  const infraEnv: ManifestObject = {
    apiVersion: 'agent-install.openshift.io/v1beta1',
    kind: 'InfraEnv',
    metadata: { name: 'hosted', namespace: 'site-hosted' },
    spec: { pullSecretRef: { name: 'pull' }, agentLabels: { site: 'a' } },
  };
  const external = ['Secret/pull', 'Secret/ssh', 'Secret/etcd', 'ConfigMap/user-ca-bundle'];

  test('a hosted cluster with its Secrets, pool and enough hosts resolves', () => {
    expect(
      findUnresolvedReferences([hc(), pool(2, { site: 'a' }), infraEnv, bmh('w0'), bmh('w1')], {
        external: [...external, 'Secret/site-hosted/pull'],
      }),
    ).toEqual([]);
  });

  test('reports the HostedCluster Secrets and trust bundle that do not resolve', () => {
    expect(findUnresolvedReferences([hc()])).toEqual([
      `[HostedCluster/hosted] 'spec.pullSecret' names Secret/pull, which is neither emitted nor declared external`,
      `[HostedCluster/hosted] 'spec.sshKey' names Secret/ssh, which is neither emitted nor declared external`,
      `[HostedCluster/hosted] 'spec.secretEncryption.aescbc.activeKey' names Secret/etcd, which is neither emitted nor declared external`,
      `[HostedCluster/hosted] 'spec.additionalTrustBundle' names ConfigMap/user-ca-bundle, which is neither emitted nor declared external`,
    ]);
  });

  test('reports a NodePool without its HostedCluster or config ConfigMap', () => {
    expect(findUnresolvedReferences([pool(0, {}, [{ name: 'mc' }])])).toEqual([
      `[NodePool/hosted] 'spec.clusterName' names HostedCluster/hosted, which is neither emitted nor declared external`,
      `[NodePool/hosted] 'spec.config[0]' names ConfigMap/mc, which is neither emitted nor declared external`,
    ]);
  });

  test('reports a NodePool whose selector matches fewer hosts than its replicas', () => {
    const hosts = [infraEnv, bmh('w0', { 'bmac.agent-install.openshift.io.agent-label.gpu': 'yes' }), bmh('w1')];
    expect(
      findUnresolvedReferences([hc(), pool(2, { gpu: 'yes' }), ...hosts], {
        external: [...external, 'Secret/site-hosted/pull'],
      }),
    ).toEqual([
      `[NodePool/hosted] 'spec.replicas' is 2 but its agent selector matches 1 BareMetalHost(s) in site-hosted`,
    ]);
  });

  test('reports AgentServiceConfig ConfigMaps found in no namespace', () => {
    const asc: ManifestObject = {
      apiVersion: 'agent-install.openshift.io/v1beta1',
      kind: 'AgentServiceConfig',
      metadata: {
        name: 'agent',
        annotations: { 'unsupported.agent-install.openshift.io/assisted-service-configmap': 'settings' },
      } as ManifestObject['metadata'],
      spec: { mirrorRegistryRef: { name: 'custom-registries' } },
    };
    const cm: ManifestObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'custom-registries', namespace: 'multicluster-engine' },
    };
    expect(findUnresolvedReferences([asc, cm])).toEqual([
      `[AgentServiceConfig/agent] 'metadata.annotations["unsupported.agent-install.openshift.io/assisted-service-configmap"]' names ConfigMap/settings, which is neither emitted nor declared external`,
    ]);
    expect(findUnresolvedReferences([asc, cm], { external: ['ConfigMap/multicluster-engine/settings'] })).toEqual([]);
  });
});
