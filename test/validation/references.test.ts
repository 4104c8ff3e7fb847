import * as fc from 'fast-check';
import { join } from 'node:path';
import { loadManifests } from '../../lib/validation/load-manifests';
import {
  crossesNamespaces,
  findUnresolvedReferences,
  ManifestObject,
  referenceView,
} from '../../lib/validation/references';
import { RUNS, SEED } from '../arbitraries';

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

  test('a host without namespace is in the apply namespace (default unless given)', () => {
    // GIVEN the host written without a namespace, the rest in 'site'
    const objects = site().map((o) =>
      o.kind === 'BareMetalHost' ? { ...o, metadata: { name: o.metadata.name, labels: o.metadata.labels } } : o,
    );
    const external = ['Secret/h1-bmc', 'Secret/h1-net'];
    // WHEN applied to 'site' THEN it is matched; applied to default, it is not
    expect(findUnresolvedReferences(objects, { external, namespace: 'site' })).toEqual([]);
    expect(findUnresolvedReferences(objects, { external })).toContain(
      "[Metal3MachineTemplate/c1-cp] 'spec.template.spec.hostSelector' matches 0 BareMetalHost(s) but 1 machine(s) use it",
    );
  });

  test('a cluster-scoped target written with a namespace is found: it has none on the server', () => {
    const aci = obj(
      'AgentClusterInstall',
      'a',
      { imageSetRef: { name: 'img' } },
      undefined,
      'extensions.hive.openshift.io/v1beta1',
    );
    const imageSet = obj('ClusterImageSet', 'img', {}, undefined, 'hive.openshift.io/v1');
    expect(findUnresolvedReferences([aci, imageSet])).toEqual([]);
  });

  test('objects without metadata and lists of the wrong type are left to the schema check, not thrown on', () => {
    const broken = [
      { apiVersion: 'v1', kind: 'ConfigMap' },
      obj('NodePool', 'np', { clusterName: 'hc', config: 'not-a-list' }),
      obj('AgentClusterInstall', 'aci', { manifestsConfigMapRefs: 42 }),
    ] as ManifestObject[];
    expect(findUnresolvedReferences(broken)).toEqual([
      "[NodePool/np] 'spec.clusterName' names HostedCluster/hc, which is neither emitted nor declared external",
    ]);
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
        "[ClusterDeployment/mycluster] 'spec.pullSecretRef.name' names Secret/pull, which is neither emitted nor declared external",
        "[AgentClusterInstall/mycluster] 'spec.imageSetRef.name' names ClusterImageSet/img4.19, which is neither emitted nor declared external",
        "[AgentClusterInstall/mycluster] 'spec.manifestsConfigMapRefs[0].name' names ConfigMap/cn2, which is neither emitted nor declared external",
        "[AgentClusterInstall/mycluster] 'spec.mirrorRegistryRef.name' names ConfigMap/mirror, which is neither emitted nor declared external",
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
      `[BareMetalHost/w0] 'metadata.labels['infraenvs.agent-install.openshift.io']' names InfraEnv/hosted, which is neither emitted nor declared external`,
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
      `[InfraEnv/hosted] 'spec.pullSecretRef.name' names Secret/pull-secret, which is neither emitted nor declared external`,
      `[InfraEnv/hosted] 'spec.clusterRef' names ClusterDeployment/sno, which is neither emitted nor declared external`,
    ]);
  });

  test('reports a selector that matches no NMStateConfig and an NMStateConfig no InfraEnv selects', () => {
    const stray = obj('NMStateConfig', 'w1', {}, { env: 'other' });
    expect(findUnresolvedReferences([env(), secret, stray])).toEqual([
      `[InfraEnv/hosted] 'spec.nmStateConfigLabelSelector' matches no NMStateConfig in namespace site`,
      `[NMStateConfig/w1] no InfraEnv in namespace site selects it with 'spec.nmStateConfigLabelSelector'`,
    ]);
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
    obj('ExternalSecret', 'etcd-key', { target: { name: 'etcd-key' } }, undefined, 'external-secrets.io/v1'),
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
      obj(
        'AgentClusterInstall',
        'cn2',
        {
          imageSetRef: { name: 'ocp-4.16' },
          clusterDeploymentRef: { name: 'cn2' },
          manifestsConfigMapRefs: [{ name: 'cn2-manifests-0' }],
          mirrorRegistryRef: { name: 'mirror' },
        },
        undefined,
        'extensions.hive.openshift.io/v1beta1',
      ),
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
  const external = ['Secret/pull', 'Secret/ssh', 'Secret/etcd', 'ConfigMap/user-ca-bundle', 'Namespace/site-hosted'];

  test('a hosted cluster with its Secrets, pool and enough hosts resolves', () => {
    expect(
      findUnresolvedReferences([hc(), pool(2, { site: 'a' }), infraEnv, bmh('w0'), bmh('w1')], {
        external: [...external, 'Secret/site-hosted/pull'],
      }),
    ).toEqual([]);
  });

  test('reports the HostedCluster Secrets and trust bundle that do not resolve', () => {
    expect(findUnresolvedReferences([hc()], { external: ['Namespace/site-hosted'] })).toEqual([
      `[HostedCluster/hosted] 'spec.pullSecret.name' names Secret/pull, which is neither emitted nor declared external`,
      `[HostedCluster/hosted] 'spec.sshKey.name' names Secret/ssh, which is neither emitted nor declared external`,
      `[HostedCluster/hosted] 'spec.secretEncryption.aescbc.activeKey.name' names Secret/etcd, which is neither emitted nor declared external`,
      `[HostedCluster/hosted] 'spec.additionalTrustBundle.name' names ConfigMap/user-ca-bundle, which is neither emitted nor declared external`,
    ]);
  });

  test('reports a NodePool without its HostedCluster or config ConfigMap', () => {
    expect(findUnresolvedReferences([pool(0, {}, [{ name: 'mc' }])])).toEqual([
      `[NodePool/hosted] 'spec.clusterName' names HostedCluster/hosted, which is neither emitted nor declared external`,
      `[NodePool/hosted] 'spec.config[0].name' names ConfigMap/mc, which is neither emitted nor declared external`,
    ]);
  });

  test('reports a NodePool whose selector matches fewer hosts than its replicas', () => {
    const hosts = [infraEnv, bmh('w0', { 'bmac.agent-install.openshift.io.agent-label.gpu': 'yes' }), bmh('w1')];
    expect(
      findUnresolvedReferences([hc(), pool(2, { gpu: 'yes' }), ...hosts], {
        external: [...external, 'Secret/site-hosted/pull'],
      }),
    ).toEqual([
      `[NodePool/hosted] 'spec.replicas' is 2 but 'spec.platform.agent.agentLabelSelector' matches 1 agent BareMetalHost(s) in namespace site-hosted`,
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
      `[AgentServiceConfig/agent] 'metadata.annotations['unsupported.agent-install.openshift.io/assisted-service-configmap']' names ConfigMap/settings, which is neither emitted nor declared external`,
    ]);
    expect(findUnresolvedReferences([asc, cm], { external: ['ConfigMap/multicluster-engine/settings'] })).toEqual([]);
  });
});

describe('Secrets made by the External Secrets Operator', () => {
  const host = obj(
    'BareMetalHost',
    'h1',
    { bmc: { address: 'redfish://10.0.0.1/x', credentialsName: 'h1-bmc' } },
    {},
    'metal3.io/v1alpha1',
  );

  test('GIVEN an ExternalSecret whose target is the credentials Secret THEN the reference resolves', () => {
    const es = obj('ExternalSecret', 'h1-creds', { target: { name: 'h1-bmc' } }, undefined, 'external-secrets.io/v1');
    expect(findUnresolvedReferences([host, es])).toEqual([]);
  });

  test('GIVEN an ExternalSecret without a target name THEN the Secret is named as the ExternalSecret', () => {
    const es = obj('ExternalSecret', 'h1-bmc', {}, undefined, 'external-secrets.io/v1');
    expect(findUnresolvedReferences([host, es])).toEqual([]);
  });

  test('fails when the ExternalSecret fills another Secret', () => {
    const es = obj('ExternalSecret', 'h1-bmc', { target: { name: 'other' } }, undefined, 'external-secrets.io/v1');
    expect(findUnresolvedReferences([host, es])).toEqual([
      "[BareMetalHost/h1] 'spec.bmc.credentialsName' names Secret/h1-bmc, which is neither emitted nor declared external",
    ]);
  });
});

describe('referenceView', () => {
  test('gives the same result as the whole objects on every golden file', () => {
    const objects = loadManifests([join(__dirname, '..', 'golden')]).objects.map(
      (o: { object: ManifestObject }) => o.object,
    );
    expect(objects.length).toBeGreaterThan(50);
    for (const namespace of ['default', 'other']) {
      expect(findUnresolvedReferences(objects.map(referenceView) as ManifestObject[], { namespace })).toEqual(
        findUnresolvedReferences(objects, { namespace }),
      );
    }
    // AND every reference kind's problem survives: drop each object once and compare
    for (let i = 0; i < objects.length; i += 7) {
      const without = objects.filter((_, j) => j !== i);
      expect(findUnresolvedReferences(without.map(referenceView) as ManifestObject[])).toEqual(
        findUnresolvedReferences(without),
      );
    }
  });
});

describe('findUnresolvedReferences on partial objects', () => {
  const KINDS = [
    'Cluster',
    'RKE2ControlPlane',
    'MachineDeployment',
    'Metal3MachineTemplate',
    'Metal3DataTemplate',
    'BareMetalHost',
    'HostedCluster',
    'NodePool',
    'InfraEnv',
    'ClusterDeployment',
    'AgentClusterInstall',
    'AgentServiceConfig',
    'ExternalSecret',
    'NMStateConfig',
  ];
  const PARTIAL_SPECS = [
    {},
    { template: {} },
    { template: { spec: {} } },
    { template: { spec: { bootstrap: {} } } },
    { machineTemplate: {} },
    { secretEncryption: {} },
    { secretEncryption: { aescbc: {} } },
    { platform: {} },
    { platform: { agent: {} } },
    { nmStateConfigLabelSelector: {} },
  ];

  test('every kind without a spec, or with a partial one, is read without throwing', () => {
    for (const kind of KINDS) {
      const bare = { apiVersion: 'v1', kind, metadata: { name: 'x', namespace: ns } } as ManifestObject;
      const hosted = obj('HostedCluster', 'x', { platform: { agent: { agentNamespace: ns } } });
      const host = obj('BareMetalHost', 'h', {}, { 'infraenvs.agent-install.openshift.io': 'x' });
      expect(() => findUnresolvedReferences([bare, hosted, host])).not.toThrow();
      for (const spec of PARTIAL_SPECS) {
        expect(() => findUnresolvedReferences([obj(kind, 'x', spec), host])).not.toThrow();
        expect(() =>
          findUnresolvedReferences([obj(kind, 'x', spec), obj('HostedCluster', 'x', spec), host]),
        ).not.toThrow();
      }
    }
  });

  test('null entries and null metadata are left to the schema check', () => {
    const given = [
      null,
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: null },
      'text',
    ] as unknown as ManifestObject[];
    expect(findUnresolvedReferences(given)).toEqual([]);
  });

  test('a kind that refers to nothing when its refs are absent reports nothing', () => {
    const objects = [
      obj('Cluster', 'c', {}),
      obj('RKE2ControlPlane', 'c', {}),
      obj('MachineDeployment', 'md', { template: { spec: {} } }),
      obj('Metal3MachineTemplate', 't', { template: { spec: {} } }),
      obj('BareMetalHost', 'h', {}),
      obj('InfraEnv', 'e', {}),
      obj('ClusterDeployment', 'cd', {}),
      obj('AgentClusterInstall', 'aci', {}),
      obj('HostedCluster', 'hc', { platform: { type: 'None' } }),
    ];
    expect(findUnresolvedReferences(objects)).toEqual([]);
  });
});

describe('findUnresolvedReferences field by field', () => {
  const missing = (from: string, field: string, target: string) =>
    `[${from}] '${field}' names ${target}, which is neither emitted nor declared external`;

  test('a Cluster names its control plane; an RKE2ControlPlane may name its template at spec.infrastructureRef', () => {
    const problems = findUnresolvedReferences([
      obj('Cluster', 'c', { controlPlaneRef: { kind: 'RKE2ControlPlane', name: 'gone' } }),
      obj('RKE2ControlPlane', 'old', { replicas: 2, infrastructureRef: { kind: 'Metal3MachineTemplate', name: 't' } }),
      obj('Metal3MachineTemplate', 't', { template: { spec: { hostSelector: { matchLabels: { r: 'cp' } } } } }),
      obj('BareMetalHost', 'h', {}, { r: 'cp' }),
    ]);
    expect(problems).toEqual([
      missing('Cluster/c', 'spec.controlPlaneRef', 'RKE2ControlPlane/gone'),
      "[Metal3MachineTemplate/t] 'spec.template.spec.hostSelector' matches 1 BareMetalHost(s) but 2 machine(s) use it",
    ]);
  });

  test('each missing target is named with the field that names it', () => {
    const problems = findUnresolvedReferences([
      obj('RKE2ControlPlane', 'cp', {
        machineTemplate: { infrastructureRef: { kind: 'Metal3MachineTemplate', name: 'm' } },
      }),
      obj('MachineDeployment', 'md', {
        template: { spec: { infrastructureRef: { kind: 'Metal3MachineTemplate', name: 'w' } } },
      }),
      obj('BareMetalHost', 'h', { preprovisioningNetworkDataName: 'h-net' }),
      obj('HostedCluster', 'hc', {
        secretEncryption: { aescbc: { activeKey: { name: 'a' }, backupKey: { name: 'b' } } },
      }),
      obj('AgentClusterInstall', 'aci', {
        clusterDeploymentRef: { name: 'cd' },
        manifestsConfigMapRef: { name: 'extra' },
      }),
      obj('ClusterDeployment', 'cd2', { clusterInstallRef: { name: 'aci2' } }),
    ]);
    expect(problems).toEqual([
      missing('RKE2ControlPlane/cp', 'spec.machineTemplate.infrastructureRef', 'Metal3MachineTemplate/m'),
      missing('MachineDeployment/md', 'spec.template.spec.infrastructureRef', 'Metal3MachineTemplate/w'),
      missing('BareMetalHost/h', 'spec.preprovisioningNetworkDataName', 'Secret/h-net'),
      missing('HostedCluster/hc', 'spec.secretEncryption.aescbc.activeKey.name', 'Secret/a'),
      missing('HostedCluster/hc', 'spec.secretEncryption.aescbc.backupKey.name', 'Secret/b'),
      missing('AgentClusterInstall/aci', 'spec.clusterDeploymentRef.name', 'ClusterDeployment/cd'),
      missing('AgentClusterInstall/aci', 'spec.manifestsConfigMapRef.name', 'ConfigMap/extra'),
      missing('ClusterDeployment/cd2', 'spec.clusterInstallRef', 'AgentClusterInstall/aci2'),
    ]);
  });

  test('a clusterInstallRef without its kind names an AgentClusterInstall; without group and version any version will do', () => {
    const aci = obj('AgentClusterInstall', 'aci', {}, undefined, 'extensions.hive.openshift.io/v1beta2');
    expect(
      findUnresolvedReferences([obj('ClusterDeployment', 'cd', { clusterInstallRef: { name: 'aci' } }), aci]),
    ).toEqual([]);
    const groupOnly = obj('ClusterDeployment', 'cd', {
      clusterInstallRef: { group: 'extensions.hive.openshift.io', kind: 'AgentClusterInstall', name: 'aci' },
    });
    expect(findUnresolvedReferences([groupOnly, aci])).toEqual([]);
    const versionOnly = obj('ClusterDeployment', 'cd', {
      clusterInstallRef: { version: 'v1beta1', kind: 'AgentClusterInstall', name: 'aci' },
    });
    expect(findUnresolvedReferences([versionOnly, aci])).toEqual([]);
  });

  test('only an ExternalSecret provides a Secret: not a ConfigMap of that name, nor a store of external-secrets.io', () => {
    const host = obj('BareMetalHost', 'h', { bmc: { credentialsName: 's' } });
    const expected = [missing('BareMetalHost/h', 'spec.bmc.credentialsName', 'Secret/s')];
    expect(findUnresolvedReferences([host, obj('ConfigMap', 's', { target: { name: 's' } })])).toEqual(expected);
    expect(
      findUnresolvedReferences([
        host,
        obj('ClusterSecretStore', 's', { target: { name: 's' } }, undefined, 'external-secrets.io/v1'),
      ]),
    ).toEqual(expected);
  });

  test('an InfraEnv without a spec, and a HostedCluster without one, are read without throwing', () => {
    const bare = (kind: string, name: string) =>
      ({ apiVersion: 'v1', kind, metadata: { name, namespace: ns } }) as ManifestObject;
    expect(findUnresolvedReferences([bare('InfraEnv', 'e'), obj('NMStateConfig', 'n', {}, { a: '1' })])).toEqual([
      "[NMStateConfig/n] no InfraEnv in namespace site selects it with 'spec.nmStateConfigLabelSelector'",
    ]);
    expect(
      findUnresolvedReferences([
        bare('HostedCluster', 'hc'),
        obj('NodePool', 'np', { clusterName: 'hc', replicas: 1, platform: { agent: {} } }),
      ]),
    ).toEqual([]);
  });

  test('an ExternalSecret provides a v1 Secret only when it is of external-secrets.io', () => {
    const ref = obj('Cluster', 'c', { infrastructureRef: { apiVersion: 'v1', kind: 'Secret', name: 's' } });
    const es = obj('ExternalSecret', 's', {}, undefined, 'external-secrets.io/v1beta1');
    expect(findUnresolvedReferences([ref, es])).toEqual([]);
    const other = obj('ExternalSecret', 's', {}, undefined, 'other.example.com/v1');
    expect(findUnresolvedReferences([ref, other])).toEqual([
      missing('Cluster/c', 'spec.infrastructureRef', 'Secret/s'),
    ]);
    const noVersion = { kind: 'ExternalSecret', metadata: { name: 's', namespace: ns } } as ManifestObject;
    expect(findUnresolvedReferences([ref, noVersion])).toEqual([
      missing('Cluster/c', 'spec.infrastructureRef', 'Secret/s'),
    ]);
  });
});

describe('findUnresolvedReferences selectors', () => {
  const template = (matchLabels: Record<string, string> | undefined, name = 't') =>
    obj('Metal3MachineTemplate', name, { template: { spec: matchLabels ? { hostSelector: { matchLabels } } : {} } });
  const cp = (replicas: number, kind = 'Metal3MachineTemplate') =>
    obj('RKE2ControlPlane', 'cp', { replicas, machineTemplate: { infrastructureRef: { kind, name: 't' } } });
  const count = (n: number, m: number) =>
    `[Metal3MachineTemplate/t] 'spec.template.spec.hostSelector' matches ${n} BareMetalHost(s) but ${m} machine(s) use it`;

  test('a host selector needs every label; only BareMetalHosts count; no selector matches every host', () => {
    const hosts = [
      obj('BareMetalHost', 'a', {}, { role: 'cp', zone: 'a' }),
      obj('BareMetalHost', 'b', {}, { role: 'cp' }),
    ];
    const lookalike = obj('ConfigMap', 'c', {}, { role: 'cp', zone: 'a' });
    expect(findUnresolvedReferences([cp(2), template({ role: 'cp', zone: 'a' }), ...hosts, lookalike])).toEqual([
      count(1, 2),
    ]);
    expect(findUnresolvedReferences([cp(2), template({ role: 'other' }), ...hosts])).toEqual([count(0, 2)]);
    expect(findUnresolvedReferences([cp(2), template(undefined), ...hosts])).toEqual([]);
    expect(findUnresolvedReferences([cp(3), template(undefined), ...hosts])).toEqual([count(2, 3)]);
  });

  test('a template of another kind is not counted as a Metal3MachineTemplate', () => {
    const other = obj('OtherTemplate', 't', { template: { spec: { hostSelector: { matchLabels: { role: 'x' } } } } });
    expect(findUnresolvedReferences([cp(2, 'OtherTemplate'), other])).toEqual([]);
  });

  describe('NMStateConfigs and InfraEnvs', () => {
    const env = (name: string, matchLabels?: Record<string, string>) =>
      obj('InfraEnv', name, matchLabels ? { nmStateConfigLabelSelector: { matchLabels } } : {});
    const nm = (name: string, labels: Record<string, string>) => obj('NMStateConfig', name, {}, labels);

    test('a selector needs every label', () => {
      expect(findUnresolvedReferences([env('e', { a: '1', b: '2' }), nm('n', { a: '1' })])).toEqual([
        "[InfraEnv/e] 'spec.nmStateConfigLabelSelector' matches no NMStateConfig in namespace site",
        "[NMStateConfig/n] no InfraEnv in namespace site selects it with 'spec.nmStateConfigLabelSelector'",
      ]);
    });

    test('an empty selector selects nothing and needs nothing', () => {
      expect(findUnresolvedReferences([env('e', {})])).toEqual([]);
      expect(findUnresolvedReferences([env('e', {}), nm('n', { a: '1' })])).toEqual([
        "[NMStateConfig/n] no InfraEnv in namespace site selects it with 'spec.nmStateConfigLabelSelector'",
      ]);
    });

    test('one InfraEnv that selects an NMStateConfig is enough', () => {
      expect(
        findUnresolvedReferences([
          env('e1', { a: '1' }),
          env('e2', { a: '2' }),
          nm('n1', { a: '1' }),
          nm('n2', { a: '2' }),
        ]),
      ).toEqual([]);
      expect(findUnresolvedReferences([env('e0'), env('e1', { a: '1' }), nm('n1', { a: '1' })])).toEqual([]);
      expect(
        findUnresolvedReferences([
          obj('ConfigMap', 'e1', { nmStateConfigLabelSelector: { matchLabels: { a: '1' } } }),
          nm('n1', { a: '1' }),
        ]),
      ).toEqual(["[NMStateConfig/n1] no InfraEnv in namespace site selects it with 'spec.nmStateConfigLabelSelector'"]);
    });
  });

  describe('agents of a NodePool', () => {
    const agentNs = 'agents';
    const INFRAENV = 'infraenvs.agent-install.openshift.io';
    const AGENT_PREFIX = 'bmac.agent-install.openshift.io.agent-label.';
    const hosted = (platform: object = { agent: { agentNamespace: agentNs } }) =>
      obj('HostedCluster', 'hc', { platform });
    const pool = (replicas: number, agent?: object) =>
      obj('NodePool', 'np', { clusterName: 'hc', replicas, ...(agent ? { platform: { agent } } : {}) });
    const host = (
      name: string,
      labels: Record<string, string>,
      annotations?: Record<string, string>,
    ): ManifestObject => ({
      apiVersion: 'metal3.io/v1alpha1',
      kind: 'BareMetalHost',
      metadata: { name, namespace: agentNs, labels, ...(annotations ? { annotations } : {}) },
    });
    const infraEnv = (name: string, spec?: object): ManifestObject => ({
      apiVersion: 'agent-install.openshift.io/v1beta1',
      kind: 'InfraEnv',
      metadata: { name, namespace: agentNs },
      ...(spec ? { spec } : {}),
    });
    const short = (n: number, m: number) =>
      `[NodePool/np] 'spec.replicas' is ${n} but 'spec.platform.agent.agentLabelSelector' matches ${m} agent BareMetalHost(s) in namespace ${agentNs}`;
    const ext = { external: ['Namespace/agents'] };

    test('only hosts labelled for an InfraEnv are agents; a pool without a selector takes any agent', () => {
      const hosts = [host('a', { [INFRAENV]: 'e' }), host('b', {})];
      expect(findUnresolvedReferences([hosted(), pool(1, {}), infraEnv('e', {}), ...hosts], ext)).toEqual([]);
      expect(findUnresolvedReferences([hosted(), pool(2, {}), infraEnv('e', {}), ...hosts], ext)).toEqual([
        short(2, 1),
      ]);
    });

    test("the agent labels come from the host's own InfraEnv, and from annotations with the agent-label prefix only", () => {
      const objects = [
        hosted(),
        pool(2, { agentLabelSelector: { matchLabels: { pool: 'a' } } }),
        infraEnv('first', { agentLabels: { pool: 'b' } }),
        infraEnv('second', { agentLabels: { pool: 'a' } }),
        infraEnv('bare'),
        host('h1', { [INFRAENV]: 'second' }),
        host('h2', { [INFRAENV]: 'bare' }, { pool: 'a', [`${'x'.repeat(AGENT_PREFIX.length)}pool`]: 'a' }),
        host('h3', { [INFRAENV]: 'bare' }, { 'bmac.agent-install.openshift.io.agent-label.pool': 'a' }),
      ];
      expect(findUnresolvedReferences(objects, ext)).toEqual([]);
      expect(
        findUnresolvedReferences(
          objects.map((o) =>
            o.kind === 'NodePool' ? pool(3, { agentLabelSelector: { matchLabels: { pool: 'a' } } }) : o,
          ),
          ext,
        ),
      ).toEqual([short(3, 2)]);
    });

    test('a pool without agent settings, or a cluster without an agent namespace, is not counted', () => {
      expect(findUnresolvedReferences([hosted(), pool(5)], ext)).toEqual([]);
      expect(findUnresolvedReferences([hosted({ agent: {} }), pool(5, {})])).toEqual([]);
      expect(findUnresolvedReferences([hosted({}), pool(5, {})])).toEqual([]);
      expect(findUnresolvedReferences([obj('HostedCluster', 'hc', {}), pool(5, {})])).toEqual([]);
      expect(findUnresolvedReferences([obj('NodePool', 'np', { clusterName: 'hc' }), hosted()], ext)).toEqual([]);
    });
  });
});

describe('referenceView details', () => {
  test('keeps exactly the spec fields the reference check reads, per kind', () => {
    const spec = {
      controlPlaneRef: 1,
      infrastructureRef: 2,
      machineTemplate: 3,
      replicas: 4,
      template: 5,
      clusterName: 6,
      bmc: 7,
      preprovisioningNetworkDataName: 8,
      target: 9,
      other: 10,
    };
    const view = (kind: string) =>
      (referenceView({ apiVersion: 'v1', kind, metadata: { name: 'x' }, spec }) as { spec?: object }).spec;
    expect(view('Cluster')).toStrictEqual({ controlPlaneRef: 1, infrastructureRef: 2 });
    expect(view('RKE2ControlPlane')).toStrictEqual({ machineTemplate: 3, infrastructureRef: 2, replicas: 4 });
    expect(view('MachineDeployment')).toStrictEqual({ template: 5, replicas: 4 });
    expect(view('Metal3MachineTemplate')).toStrictEqual({ template: 5 });
    expect(view('Metal3DataTemplate')).toStrictEqual({ clusterName: 6 });
    expect(view('BareMetalHost')).toStrictEqual({ bmc: 7, preprovisioningNetworkDataName: 8 });
    expect(view('ExternalSecret')).toStrictEqual({ target: 9 });
    for (const whole of [
      'HostedCluster',
      'NodePool',
      'InfraEnv',
      'ClusterDeployment',
      'AgentClusterInstall',
      'AgentServiceConfig',
    ]) {
      expect(view(whole)).toBe(spec);
    }
    expect(view('ConfigMap')).toBeUndefined();
    expect(view('toString')).toBeUndefined();
    // a field the object lacks is not written
    expect((referenceView(obj('Cluster', 'c', { controlPlaneRef: 1 })) as { spec: object }).spec).toStrictEqual({
      controlPlaneRef: 1,
    });
  });

  test('metadata keeps name, namespace, labels and annotations, and only those it has', () => {
    const full = referenceView({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'x', namespace: 'n', labels: { a: '1' }, annotations: { b: '2' }, uid: 'u' },
      data: { k: 'v' },
    });
    expect(full).toStrictEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'x', namespace: 'n', labels: { a: '1' }, annotations: { b: '2' } },
    });
    expect(referenceView({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } })).toStrictEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'x' },
    });
  });

  test('what is not an object, or has odd metadata or spec, is kept as it is for the schema check', () => {
    expect(referenceView(null)).toBeNull();
    expect(referenceView('text')).toBe('text');
    const list = [1];
    expect(referenceView(list)).toBe(list);
    expect(referenceView({ kind: 'Cluster', metadata: 'm', spec: 'x' })).toStrictEqual({
      apiVersion: undefined,
      kind: 'Cluster',
      metadata: 'm',
      spec: 'x',
    });
    expect(referenceView({ kind: 'Cluster', metadata: null, spec: null })).toStrictEqual({
      apiVersion: undefined,
      kind: 'Cluster',
      metadata: null,
      spec: null,
    });
    expect(referenceView({ kind: 7, metadata: { name: 'x' }, spec: {} })).toStrictEqual({
      apiVersion: undefined,
      kind: 7,
      metadata: { name: 'x' },
    });
  });
});

describe('crossesNamespaces', () => {
  test('the agent platform kinds cross namespaces', () => {
    for (const kind of [
      'HostedCluster',
      'NodePool',
      'InfraEnv',
      'ClusterDeployment',
      'AgentClusterInstall',
      'AgentServiceConfig',
    ]) {
      expect([kind, crossesNamespaces(obj(kind, 'x'))]).toEqual([kind, true]);
    }
  });

  test('a Metal3 site does not, nor do objects that refer to nothing', () => {
    for (const o of site()) expect([o.kind, crossesNamespaces(referenceView(o))]).toEqual([o.kind, false]);
    expect(crossesNamespaces(obj('Secret', 's', { namespace: 'elsewhere' }))).toBe(false);
    expect(crossesNamespaces(obj('NMStateConfig', 'n', { namespace: 'elsewhere' }))).toBe(false);
    expect(crossesNamespaces(null)).toBe(false);
    expect(crossesNamespaces('Cluster')).toBe(false);
    expect(crossesNamespaces({ kind: 7, spec: { namespace: 'x' } })).toBe(false);
  });

  test('a reference copied as it is that names a namespace crosses, at any depth', () => {
    const ref = { kind: 'RKE2ControlPlane', name: 'c1', namespace: 'other' };
    expect(crossesNamespaces(obj('Cluster', 'c1', { controlPlaneRef: ref }))).toBe(true);
    expect(crossesNamespaces(obj('Cluster', 'c1', { infrastructureRef: { ...ref, namespace: null } }))).toBe(true);
    const deep = {
      template: { spec: { bootstrap: { configRef: { kind: 'RKE2Config', name: 'b', namespace: 'o' } } } },
    };
    expect(crossesNamespaces(obj('MachineDeployment', 'md', deep))).toBe(true);
    expect(crossesNamespaces(obj('MachineDeployment', 'md', [{ namespace: 'o' }]))).toBe(true);
    // A nesting deeper than any reference is taken as crossing (the check then runs over every file).
    let nested: object = { name: 'x' };
    for (let i = 0; i < 10; i++) nested = { a: nested };
    expect(crossesNamespaces(obj('Cluster', 'c1', nested))).toBe(true);
    let shallow: object = { name: 'x' };
    for (let i = 0; i < 6; i++) shallow = { a: shallow };
    expect(crossesNamespaces(obj('Cluster', 'c1', shallow))).toBe(false);
    // The limit: a value nine levels below spec is still read, one ten levels below is not
    const wrapped = (levels: number, inner: object) => {
      let v: object = inner;
      for (let i = 0; i < levels; i++) v = { a: v };
      return v;
    };
    expect(crossesNamespaces(obj('Cluster', 'c1', wrapped(7, { name: 'x' })))).toBe(false);
    expect(crossesNamespaces(obj('Cluster', 'c1', wrapped(8, { name: 'x' })))).toBe(true);
    // An empty object below the limit is taken as crossing too: what lies below is not read
    expect(crossesNamespaces(obj('Cluster', 'c1', wrapped(9, {})))).toBe(true);
    expect(crossesNamespaces(obj('Cluster', 'c1', wrapped(7, {})))).toBe(false);
    expect(crossesNamespaces(obj('Cluster', 'c1', wrapped(7, { namespace: 'o' })))).toBe(true);
    expect(crossesNamespaces(obj('Cluster', 'c1', wrapped(7, {})))).toBe(false);
  });

  test('objects that do not cross namespaces resolve per namespace: the problems of a set are those of its namespaces', () => {
    // Random Metal3 objects over three namespaces, names from a small pool so that references
    // sometimes resolve, sometimes in another namespace only, and selectors count hosts.
    const name = fc.constantFrom('a', 'b');
    const namespace = fc.constantFrom('n1', 'n2', 'n3');
    const object = fc.oneof(
      fc.record({ kind: fc.constant('Secret'), name, namespace }),
      fc.record({
        kind: fc.constant('BareMetalHost'),
        name,
        namespace,
        secret: name,
        role: fc.constantFrom('cp', 'w'),
      }),
      fc.record({
        kind: fc.constant('Metal3MachineTemplate'),
        name,
        namespace,
        data: name,
        role: fc.constantFrom('cp', 'w'),
      }),
      fc.record({ kind: fc.constant('RKE2ControlPlane'), name, namespace, template: name, replicas: fc.nat(3) }),
      fc.record({ kind: fc.constant('Metal3DataTemplate'), name, namespace, cluster: name }),
      fc.record({ kind: fc.constant('Cluster'), name, namespace, plane: name }),
      fc.record({ kind: fc.constant('ExternalSecret'), name, namespace, target: name }),
    );
    const build = (o: any): ManifestObject => {
      const metadata = { name: o.name, namespace: o.namespace };
      switch (o.kind) {
        case 'BareMetalHost':
          return {
            apiVersion: 'metal3.io/v1alpha1',
            kind: o.kind,
            metadata: { ...metadata, labels: { role: o.role } },
            spec: { bmc: { credentialsName: o.secret } },
          };
        case 'Metal3MachineTemplate':
          return {
            apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1',
            kind: o.kind,
            metadata,
            spec: {
              template: { spec: { dataTemplate: { name: o.data }, hostSelector: { matchLabels: { role: o.role } } } },
            },
          };
        case 'RKE2ControlPlane':
          return {
            apiVersion: 'controlplane.cluster.x-k8s.io/v1beta1',
            kind: o.kind,
            metadata,
            spec: {
              replicas: o.replicas,
              machineTemplate: { infrastructureRef: { kind: 'Metal3MachineTemplate', name: o.template } },
            },
          };
        case 'Metal3DataTemplate':
          return {
            apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1',
            kind: o.kind,
            metadata,
            spec: { clusterName: o.cluster },
          };
        case 'Cluster':
          return {
            apiVersion: 'cluster.x-k8s.io/v1beta1',
            kind: o.kind,
            metadata,
            spec: { controlPlaneRef: { kind: 'RKE2ControlPlane', name: o.plane } },
          };
        case 'ExternalSecret':
          return { apiVersion: 'external-secrets.io/v1', kind: o.kind, metadata, spec: { target: { name: o.target } } };
        default:
          return { apiVersion: 'v1', kind: o.kind, metadata };
      }
    };
    fc.assert(
      fc.property(fc.array(object, { maxLength: 14 }), (drawn) => {
        const objects = drawn.map(build);
        expect(objects.some(crossesNamespaces)).toBe(false);
        const perNamespace = ['n1', 'n2', 'n3'].flatMap((n) =>
          findUnresolvedReferences(objects.filter((o) => o.metadata.namespace === n)),
        );
        expect(findUnresolvedReferences(objects).sort()).toEqual(perNamespace.sort());
      }),
      { numRuns: Math.min(RUNS, 100), seed: SEED },
    );
  });
});
