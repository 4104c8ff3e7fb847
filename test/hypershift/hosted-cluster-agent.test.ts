import * as fc from 'fast-check';
import { checkConstruct, hostArb, mostly } from '../arbitraries';
import { SecretRef } from '../../lib/core/secret-ref';
import { SiteFile } from '../../lib/core/site-file';
import { HostedClusterAgent, HostedClusterAgentProps } from '../../lib/hypershift/hosted-cluster-agent';
import { Bmc } from '../../lib/metal3/bmc';
import { NetworkData } from '../../lib/metal3/network-data';
import { KernelModule } from '../../lib/openshift/kernel-module';
import { AirgapRegistryMirror } from '../../lib/registry/airgap-registry-mirror';
import { RegistryCa } from '../../lib/registry/registry-ca';
import { findUnresolvedReferences } from '../../lib/validation/references';
import { checkManifests } from '../../lib/validation/check-manifests';
import { REGISTRY_CA } from '../../examples/shared/test-registry-ca';
import { Manifest, testChart } from '../util';

const DIGEST = 'sha256:e3ba11bd1e5e8ea5a0b36a75791c90f29afb0fdbe4125be4e48f69c76a5c47a0';
const RELEASE = `registry.dns.base.domain.name:5000/openshift/release-images@${DIGEST}`;
const SSH = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl core@hosted';
const PEM = REGISTRY_CA;

function worker(n: number, extra: object = {}) {
  return {
    name: `worker${n}`,
    bootMACAddress: `aa:aa:aa:aa:02:1${n + 1}`,
    bmc: Bmc.redfishVirtualMedia(
      '192.168.126.1:9000',
      `hosted-worker${n}`,
      SecretRef.fromName(`hosted-worker${n}-bmc-secret`),
    ),
    ...extra,
  };
}

function props(overrides: Partial<HostedClusterAgentProps> = {}): HostedClusterAgentProps {
  return {
    name: 'hosted',
    baseDomain: 'dns.base.domain.name',
    releaseImage: RELEASE,
    pullSecret: SecretRef.fromName('hosted-pull-secret'),
    etcdEncryptionKey: SecretRef.fromName('hosted-etcd-encryption-key'),
    sshPublicKey: SSH,
    workers: [worker(0), worker(1), worker(2)],
    ...overrides,
  };
}

function synth(p: HostedClusterAgentProps): Manifest {
  const { chart } = testChart();
  new HostedClusterAgent(chart, 'Hosted', p);
  return Manifest.of(chart);
}

function build(p: HostedClusterAgentProps): void {
  const { chart } = testChart();
  new HostedClusterAgent(chart, 'Hosted', p);
}

function mirrorIn(chart: import('cdk8s').Chart): AirgapRegistryMirror {
  return new AirgapRegistryMirror(chart, 'Registry', {
    registry: 'registry.dns.base.domain.name:5000',
    ca: RegistryCa.fromPem(PEM),
    mirrors: [
      { source: 'quay.io/openshift-release-dev/ocp-v4.0-art-dev', mirror: 'openshift/release' },
      { source: 'quay.io/openshift-release-dev/ocp-release', mirror: 'openshift/release-images' },
      { source: 'registry.redhat.io/redhat' },
    ],
    operators: [{ catalog: 'registry.redhat.io/redhat/redhat-operator-index:v4.19' }],
  });
}

const EXTERNAL = [
  'Secret/hosted-pull-secret',
  'Secret/hosted-etcd-encryption-key',
  ...[0, 1, 2].map((n) => `Secret/hosted-worker${n}-bmc-secret`),
];

describe('HostedClusterAgent', () => {
  test('two hosted clusters in one namespace share its Namespace and user-ca-bundle', () => {
    // GIVEN two hosted clusters in namespace clusters, each with its trust bundle
    const { chart } = testChart();
    new HostedClusterAgent(chart, 'One', props({ namespace: 'clusters', additionalTrustBundle: PEM }));
    new HostedClusterAgent(
      chart,
      'Two',
      props({
        name: 'two',
        namespace: 'clusters',
        additionalTrustBundle: PEM,
        workers: [
          worker(3, { bootMACAddress: 'aa:aa:aa:aa:02:31' }),
          worker(4, { bootMACAddress: 'aa:aa:aa:aa:02:41' }),
        ],
      }),
    );
    // THEN one Namespace clusters, one control-plane namespace each, one user-ca-bundle
    const m = Manifest.of(chart);
    expect(
      m
        .all('Namespace')
        .map((n) => n.metadata.name)
        .sort(),
    ).toEqual(['clusters', 'clusters-hosted', 'clusters-two']);
    expect(m.get('ConfigMap', 'user-ca-bundle').data['ca-bundle.crt']).toBe(`${PEM.trim()}\n`);
  });

  test('defines every object of seed §6.3.12 in its namespace, with references that resolve', () => {
    // GIVEN / WHEN
    const m = synth(props());
    // THEN
    expect(m.ids()).toEqual([
      'BareMetalHost/hosted-worker0',
      'BareMetalHost/hosted-worker1',
      'BareMetalHost/hosted-worker2',
      'HostedCluster/hosted',
      'InfraEnv/hosted',
      'Namespace/clusters',
      'Namespace/clusters-hosted',
      'NodePool/hosted',
      'Role/capi-provider-role',
      'Secret/sshkey-cluster-hosted',
    ]);
    const ns = (kind: string, name: string) => m.get(kind, name).metadata.namespace;
    expect(ns('HostedCluster', 'hosted')).toBe('clusters');
    expect(ns('NodePool', 'hosted')).toBe('clusters');
    expect(ns('InfraEnv', 'hosted')).toBe('clusters-hosted');
    expect(ns('BareMetalHost', 'hosted-worker0')).toBe('clusters-hosted');
    expect(ns('Role', 'capi-provider-role')).toBe('clusters-hosted');
    expect(m.get('Namespace', 'clusters').metadata).not.toHaveProperty('namespace');
    expect(
      findUnresolvedReferences(m.objects, { external: [...EXTERNAL, 'Secret/clusters-hosted/hosted-pull-secret'] }),
    ).toEqual([]);
  });

  test('defines the HostedCluster of the Agent platform with release, secrets, etcd, networks and services', () => {
    const hc = synth(props()).get('HostedCluster', 'hosted');
    expect(hc.spec).toEqual({
      olmCatalogPlacement: 'management',
      controllerAvailabilityPolicy: 'SingleReplica',
      dns: { baseDomain: 'dns.base.domain.name' },
      etcd: {
        managementType: 'Managed',
        managed: { storage: { type: 'PersistentVolume', persistentVolume: { size: '8Gi' } } },
      },
      networking: {
        clusterNetwork: [{ cidr: '10.132.0.0/14' }],
        serviceNetwork: [{ cidr: '172.31.0.0/16' }],
        networkType: 'OVNKubernetes',
      },
      platform: { type: 'Agent', agent: { agentNamespace: 'clusters-hosted' } },
      pullSecret: { name: 'hosted-pull-secret' },
      release: { image: RELEASE },
      secretEncryption: { type: 'aescbc', aescbc: { activeKey: { name: 'hosted-etcd-encryption-key' } } },
      services: [
        { service: 'APIServer', servicePublishingStrategy: { type: 'LoadBalancer' } },
        { service: 'OAuthServer', servicePublishingStrategy: { type: 'Route' } },
        { service: 'OIDC', servicePublishingStrategy: { type: 'Route' } },
        { service: 'Konnectivity', servicePublishingStrategy: { type: 'Route' } },
        { service: 'Ignition', servicePublishingStrategy: { type: 'Route' } },
      ],
      sshKey: { name: 'sshkey-cluster-hosted' },
    });
  });

  test('writes the SSH public key to the InfraEnv and, marked as public, to sshkey-cluster-<name>', () => {
    const m = synth(props());
    expect(m.get('InfraEnv', 'hosted').spec).toMatchObject({
      sshAuthorizedKey: SSH,
      pullSecretRef: { name: 'hosted-pull-secret' },
    });
    expect(m.get('Secret', 'sshkey-cluster-hosted')).toMatchObject({
      metadata: { namespace: 'clusters', annotations: { 'cdk8s-baremetal/secret-material': 'public-key' } },
      stringData: { 'id_rsa.pub': SSH },
    });
  });

  test('defines no secret material by default and ExternalSecrets in both namespaces on request', () => {
    const ext = SecretRef.fromExternalSecret({ storeName: 'vault', remoteKey: 'ocp/pull-secret' });
    const m = synth(props({ pullSecret: ext, sshPublicKey: undefined, sshKey: SecretRef.fromName('ssh') }));
    expect(m.all('Secret')).toEqual([]);
    expect(m.all('ExternalSecret').map((e) => `${e.metadata.namespace}/${e.metadata.name}`)).toEqual([
      'clusters/hosted-pull-secret',
      'clusters-hosted/hosted-pull-secret',
    ]);
    expect(m.get('HostedCluster', 'hosted').spec.sshKey).toEqual({ name: 'ssh' });
  });

  test('takes its mirror: image sources, user-ca-bundle, catalog annotations', () => {
    const { chart } = testChart();
    const mirror = mirrorIn(chart);
    new HostedClusterAgent(chart, 'Hosted', props({ registryMirror: mirror, olmCatalogPlacement: 'guest' }));
    const m = Manifest.of(chart);
    const hc = m.get('HostedCluster', 'hosted');
    expect(hc.metadata.annotations).toEqual({
      'hypershift.openshift.io/olm-catalogs-is-registry-overrides':
        'registry.redhat.io/redhat=registry.dns.base.domain.name:5000/redhat',
    });
    expect(hc.spec).toMatchObject({
      additionalTrustBundle: { name: 'user-ca-bundle' },
      olmCatalogPlacement: 'guest',
      imageContentSources: [
        {
          source: 'quay.io/openshift-release-dev/ocp-v4.0-art-dev',
          mirrors: ['registry.dns.base.domain.name:5000/openshift/release'],
        },
        {
          source: 'quay.io/openshift-release-dev/ocp-release',
          mirrors: ['registry.dns.base.domain.name:5000/openshift/release-images'],
        },
        { source: 'registry.redhat.io/redhat', mirrors: ['registry.dns.base.domain.name:5000/redhat'] },
      ],
    });
    expect(m.get('ConfigMap', 'user-ca-bundle')).toMatchObject({
      metadata: { namespace: 'clusters' },
      data: { 'ca-bundle.crt': PEM.trimStart() },
    });
  });

  test('writes a given trust bundle to user-ca-bundle', () => {
    const m = synth(props({ additionalTrustBundle: PEM }));
    expect(m.get('ConfigMap', 'user-ca-bundle').data['ca-bundle.crt']).toBe(PEM.trim() + '\n');
    expect(m.get('HostedCluster', 'hosted').spec.additionalTrustBundle).toEqual({ name: 'user-ca-bundle' });
  });

  test('refuses a trust bundle holding a private key, without printing it', () => {
    const key = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n';
    let message = '';
    try {
      build(props({ additionalTrustBundle: key }));
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/'additionalTrustBundle' holds a PRIVATE KEY block \(block 1\), not a certificate/);
    expect(message).not.toContain('MIIEvQIBADANBgkqhkiG9w0BAQEFAASC');
  });

  test('publishes the API server on a NodePort and derives its DNS records', () => {
    const { app, chart } = testChart();
    new HostedClusterAgent(
      chart,
      'Hosted',
      props({
        apiServer: { type: 'NodePort', address: '192.168.126.20', port: 30443 },
        dns: { ingressAddresses: ['192.168.126.23'] },
      }),
    );
    expect(Manifest.of(chart).get('HostedCluster', 'hosted').spec.services[0]).toEqual({
      service: 'APIServer',
      servicePublishingStrategy: { type: 'NodePort', nodePort: { address: '192.168.126.20', port: 30443 } },
    });
    const zone = SiteFile.all(app).find((f) => f.path === 'test/hosted.dns.base.domain.name.zone')!;
    expect(zone.render()).toContain('api.hosted.dns.base.domain.name.     IN A    192.168.126.20');
  });

  test('is dual stack with networks ordered by family', () => {
    const spec = synth(
      props({
        clusterNetwork: ['10.132.0.0/14', 'fd01::/48'],
        serviceNetwork: ['172.31.0.0/16', 'fd02::/112'],
        machineNetwork: ['192.168.126.0/24', '2620:52:0:1306::/64'],
      }),
    ).get('HostedCluster', 'hosted').spec;
    expect(spec.networking).toMatchObject({
      clusterNetwork: [{ cidr: '10.132.0.0/14' }, { cidr: 'fd01::/48' }],
      serviceNetwork: [{ cidr: '172.31.0.0/16' }, { cidr: 'fd02::/112' }],
      machineNetwork: [{ cidr: '192.168.126.0/24' }, { cidr: '2620:52:0:1306::/64' }],
    });
  });

  test('gives a worker with a static network its NMStateConfig, selected by the InfraEnv', () => {
    const networkData = NetworkData.nmstate({
      interfaces: [
        { type: 'ethernet', name: 'eth0', macAddress: 'aa:aa:aa:aa:02:11', ipv4: { addresses: ['192.168.126.30/24'] } },
      ],
    });
    const m = synth(props({ workers: [worker(0, { networkData })] }));
    expect(m.get('NMStateConfig', 'hosted-worker0').metadata.namespace).toBe('clusters-hosted');
    expect(m.get('InfraEnv', 'hosted').spec.nmStateConfigLabelSelector).toEqual({
      matchLabels: { 'infraenvs.agent-install.openshift.io': 'hosted' },
    });
  });

  test('adds NodePools that select Agents by label, and one claiming every worker by default', () => {
    const m = synth(
      props({
        workers: [worker(0), worker(1, { agentLabels: { gpu: 'yes' } }), worker(2, { agentLabels: { gpu: 'yes' } })],
        nodePools: [
          { replicas: 1 },
          { name: 'gpu', replicas: 2, agentLabelSelector: { gpu: 'yes' }, config: ['gpu-mc'] },
        ],
      }),
    );
    expect(m.get('NodePool', 'hosted').spec.replicas).toBe(1);
    expect(m.get('NodePool', 'gpu').spec).toMatchObject({
      replicas: 2,
      platform: { agent: { agentLabelSelector: { matchLabels: { gpu: 'yes' } } } },
      config: [{ name: 'gpu-mc' }],
    });
    expect(m.get('BareMetalHost', 'hosted-worker1').metadata.annotations).toMatchObject({
      'bmac.agent-install.openshift.io.agent-label.gpu': 'yes',
    });
    expect(synth(props()).get('NodePool', 'hosted').spec.replicas).toBe(3);
  });

  test('passes InfraEnv settings through; its agent labels count for NodePool selectors', () => {
    const m = synth(
      props({
        infraEnv: { proxy: { httpProxy: 'http://proxy:3128' }, agentLabels: { site: 'berlin' } },
        nodePools: [{ replicas: 3, agentLabelSelector: { site: 'berlin' } }],
      }),
    );
    expect(m.get('InfraEnv', 'hosted').spec).toMatchObject({
      proxy: { httpProxy: 'http://proxy:3128' },
      agentLabels: { site: 'berlin' },
    });
    expect(m.get('NodePool', 'hosted').spec.replicas).toBe(3);
  });

  test('fails when a NodePool asks for more nodes than the hosts offered, naming both numbers', () => {
    expect(() => build(props({ nodePools: [{ replicas: 4 }] }))).toThrow(
      /\[test\/Hosted\] 'nodePools\[0\].replicas' asks for 4 nodes, but the pool's agent selector offers only 3 host\(s\)/,
    );
  });

  test('fails when the NodePools together claim more hosts than they select', () => {
    expect(() => build(props({ nodePools: [{ replicas: 2 }, { name: 'second', replicas: 2 }] }))).toThrow(
      /'nodePools\[1\].replicas' brings the NodePools to 4 nodes, but they select only 3 host\(s\) together/,
    );
  });

  test('fails on a release image by tag, or one the mirror does not serve', () => {
    expect(() =>
      build(props({ releaseImage: 'registry.dns.base.domain.name:5000/openshift/release-images:4.14.0-x86_64' })),
    ).toThrow(/'releaseImage' is a tag, not a digest/);
    const { chart } = testChart();
    const mirror = mirrorIn(chart);
    expect(
      () =>
        new HostedClusterAgent(
          chart,
          'Hosted',
          props({ registryMirror: mirror, releaseImage: `quay.io/other/release@${DIGEST}` }),
        ),
    ).toThrow(/'releaseImage' is neither in registry.dns.base.domain.name:5000 nor under a mirrored source/);
  });

  test('fails on a base domain that is no DNS subdomain', () => {
    expect(() => build(props({ baseDomain: 'Example.COM' }))).toThrow(/'baseDomain' is not a DNS-1123 subdomain/);
    expect(() => build(props({ baseDomain: 'example.com.' }))).toThrow(/'baseDomain' is not a DNS-1123 subdomain/);
  });

  test('fails on invalid names, or a control-plane namespace too long', () => {
    expect(() => build(props({ name: 'Hosted' }))).toThrow(/'name' is not a DNS-1123 label/);
    expect(() => build(props({ namespace: 'clusters', name: 'h'.repeat(60) }))).toThrow(
      /'name' makes the control-plane namespace clusters-h+ longer than 63 characters/,
    );
    expect(() => build(props({ workers: [worker(0, { name: 'Worker_0' })] }))).toThrow(
      /'workers\[0\].name' is not a DNS-1123 subdomain/,
    );
  });

  test('fails on overlapping networks', () => {
    expect(() => build(props({ serviceNetwork: ['10.132.0.0/16'] }))).toThrow(
      /'serviceNetwork' 10.132.0.0\/16 overlaps the clusterNetwork 10.132.0.0\/14/,
    );
    expect(() => build(props({ machineNetwork: ['172.31.5.0/24'] }))).toThrow(
      /'machineNetwork' 172.31.5.0\/24 overlaps the serviceNetwork 172.31.0.0\/16/,
    );
  });

  test('fails on dual-stack lists ordered differently or of the same family', () => {
    expect(() =>
      build(props({ clusterNetwork: ['10.132.0.0/14', 'fd01::/48'], serviceNetwork: ['fd02::/112', '172.31.0.0/16'] })),
    ).toThrow(/'serviceNetwork' lists ipv6 where clusterNetwork lists ipv4 at position 0/);
    expect(() => build(props({ clusterNetwork: ['10.132.0.0/14', '10.200.0.0/14'] }))).toThrow(
      /'clusterNetwork' holds two blocks of the same family/,
    );
    expect(() => build(props({ clusterNetwork: ['10.132.0.0/14', 'fd01::/48'] }))).toThrow(
      /'serviceNetwork' has 1 block\(s\) while clusterNetwork has 2/,
    );
  });

  test('fails when a Secret is not given by reference, without showing it', () => {
    expect(() => build(props({ pullSecret: '{"auths":{}}' as never }))).toThrow(
      /'pullSecret' is not a SecretRef \(got <redacted>\)/,
    );
    expect(() => build(props({ etcdEncryptionKey: undefined as never }))).toThrow(
      /'etcdEncryptionKey' is not a SecretRef/,
    );
  });

  test('fails on a trust bundle given next to a mirror with a private CA', () => {
    const { chart } = testChart();
    const mirror = mirrorIn(chart);
    expect(
      () => new HostedClusterAgent(chart, 'Hosted', props({ registryMirror: mirror, additionalTrustBundle: PEM })),
    ).toThrow(/'additionalTrustBundle' is given while the registry mirror has a private CA/);
  });

  test('fails on an API server published by Route, or a NodePort out of range', () => {
    expect(() => build(props({ apiServer: { type: 'Route' } }))).toThrow(
      /'apiServer.type' is not a publishing strategy for this service/,
    );
    expect(() => build(props({ apiServer: { type: 'NodePort', address: '192.168.126.20', port: 6443 } }))).toThrow(
      /'apiServer.port' must be an integer from 30000 to 32767/,
    );
  });

  test('fails on DNS records without API addresses when the API server has a load balancer', () => {
    expect(() => build(props({ dns: { ingressAddresses: ['192.168.126.23'] } }))).toThrow(
      /'dns.apiAddresses' is missing, and the API server has no NodePort IP address to default to/,
    );
  });

  test('fails on DNS records of a dual-stack cluster with one family only', () => {
    expect(() =>
      build(
        props({
          clusterNetwork: ['10.132.0.0/14', 'fd01::/48'],
          serviceNetwork: ['172.31.0.0/16', 'fd02::/112'],
          dns: { apiAddresses: ['192.168.126.10'], ingressAddresses: ['192.168.126.11', 'fd00::11'] },
        }),
      ),
    ).toThrow(/'apiAddresses' has no ipv6 address, but the cluster is dual stack/);
  });

  test('fails on an invalid etcd size or policy', () => {
    expect(() => build(props({ etcdStorageSize: '8 GB' }))).toThrow(/'etcdStorageSize' is not a storage size/);
    expect(() => build(props({ controllerAvailabilityPolicy: 'HA' as never }))).toThrow(
      /'controllerAvailabilityPolicy' is not a policy/,
    );
    expect(() => build(props({ olmCatalogPlacement: 'hub' as never }))).toThrow(
      /'olmCatalogPlacement' is not a placement/,
    );
  });
});

describe('HostedClusterAgent properties', () => {
  test('random hosted clusters give valid output or the library error, never a TypeError', () => {
    checkConstruct(
      fc.record({
        name: mostly(fc.constantFrom('hosted', 'h2', 'edge-01')),
        baseDomain: mostly(fc.constantFrom('example.com', 'dns.base.domain.name')),
        releaseImage: mostly(fc.constantFrom(RELEASE, 'quay.io/openshift-release-dev/ocp-release:4.19.0-x86_64')),
        clusterNetwork: fc.option(
          mostly(fc.constantFrom(['10.132.0.0/14'], ['10.132.0.0/14', 'fd01::/48'], ['172.31.0.0/16'])),
          {
            nil: undefined,
          },
        ),
        workers: fc.array(hostArb(10), { maxLength: 3 }),
        replicas: mostly(fc.integer({ min: 0, max: 4 })),
      }),
      ({ name, baseDomain, releaseImage, clusterNetwork, workers, replicas }) => {
        const { app, chart } = testChart();
        new HostedClusterAgent(chart, 'Hosted', {
          name,
          baseDomain,
          releaseImage,
          clusterNetwork: (Array.isArray(clusterNetwork) ? [...clusterNetwork] : clusterNetwork) as string[], // garbage as is
          serviceNetwork: clusterNetwork?.length === 2 ? ['172.31.0.0/16', 'fd02::/112'] : undefined,
          pullSecret: SecretRef.fromName('pull'),
          etcdEncryptionKey: SecretRef.fromName('etcd'),
          workers,
          nodePools: [{ replicas }],
        });
        return app.synthYaml();
      },
    );
  });
});

describe('HostedClusterAgent with node configuration (issue 8)', () => {
  test("a KernelModule's MachineConfig reaches the NodePool as its config ConfigMap, checked end to end", () => {
    // GIVEN an in-tree module for the hosted cluster's workers, carried by a ConfigMap next to the NodePool
    const { chart } = testChart();
    const kmod = new KernelModule(chart, 'IpVs', {
      role: 'worker',
      name: 'ip_vs',
      options: { conn_tab_bits: 12 },
      applyDirectly: false,
    });
    const config = kmod.machineConfig.toNodePoolConfigMap(chart, 'IpVsConfig', { namespace: 'clusters' });
    // WHEN the hosted cluster's pool names it
    new HostedClusterAgent(chart, 'Hosted', props({ nodePools: [{ replicas: 3, config: [config] }] }));
    const m = Manifest.of(chart);
    // THEN the NodePool points at the ConfigMap, whose MachineConfig and Ignition config pass every check
    expect(m.get('NodePool', 'hosted').spec.config).toEqual([{ name: config.name }]);
    expect(m.all('MachineConfig')).toEqual([]);
    const objects = m.objects.map((object) => ({ file: 'site.yaml', object }));
    expect(checkManifests(objects, { external: EXTERNAL })).toEqual([]);
    // AND a broken Ignition file mode inside the ConfigMap would be found by the same check
    const broken = objects.map((o) =>
      o.object.kind === 'ConfigMap' && o.object.metadata.name === config.name
        ? { ...o, object: { ...o.object, data: { config: o.object.data.config.replace(/mode: \d+/, 'mode: "0644"') } } }
        : o,
    );
    expect(checkManifests(broken, { external: EXTERNAL }).map((p) => p.check)).toEqual(['embedded']);
  });
});
