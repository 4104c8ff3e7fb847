import { Chart } from 'cdk8s';
import * as fc from 'fast-check';
import { AgentHostOptions } from '../../lib/agent/agent-host';
import {
  AssistedCluster,
  AssistedClusterProps,
  INSTALL_CONFIG_OVERRIDES_ANNOTATION,
} from '../../lib/assisted/assisted-cluster';
import { ClusterImageSet } from '../../lib/assisted/cluster-image-set';
import { ExtraManifests } from '../../lib/assisted/extra-manifests';
import { SecretRef } from '../../lib/core/secret-ref';
import { IgnitionConfig } from '../../lib/ignition/ignition-config';
import { Bmc } from '../../lib/metal3/bmc';
import { NetworkData } from '../../lib/metal3/network-data';
import { AirgapRegistryMirror } from '../../lib/registry/airgap-registry-mirror';
import { RegistryCa } from '../../lib/registry/registry-ca';
import { findUnresolvedReferences } from '../../lib/validation/references';
import { formatIssue, validateManifests } from '../../lib/validation/schema-validator';
import { REGISTRY_CA } from '../../examples/shared/test-registry-ca';
import { checkConstruct, garbage, mostly } from '../arbitraries';
import { Manifest, testChart } from '../util';

const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBmBTL3cVbNwFu7ccMf0aR0t3JvElxRVwKN9iwBmcmwZ admin@ai-client';
const NS_YAML = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: contrail\n';

function host(n: number, role?: 'master' | 'worker', address = `172.16.0.1${n}`): AgentHostOptions {
  const mac = `52:54:00:16:00:1${n}`;
  return {
    name: `ocp${n}`,
    ...(role ? { role } : {}),
    bootMACAddress: mac,
    bmc: Bmc.redfishVirtualMedia(`192.168.100.1${n}`, '1', SecretRef.fromName(`ocp${n}-bmc`)),
    networkData: NetworkData.nmstate({
      interfaces: [{ type: 'ethernet', name: 'eth0', macAddress: mac, ipv4: { addresses: [`${address}/24`] } }],
    }),
  };
}

function props(chart: Chart, o: Partial<AssistedClusterProps> = {}): AssistedClusterProps {
  return {
    clusterName: 'mycluster',
    baseDomain: 'contrail.lan',
    imageSet: new ClusterImageSet(chart, `Release${chart.node.children.length}`, {
      releaseImage: 'quay.io/openshift-release-dev/ocp-release:4.14.38-x86_64',
    }),
    pullSecret: SecretRef.fromName('pull-secret'),
    sshPublicKey: KEY,
    networking: {
      machineNetworks: ['172.16.0.0/24'],
      clusterNetworks: [{ cidr: '10.128.0.0/14', hostPrefix: 23 }],
      serviceNetworks: ['172.31.0.0/16'],
      apiVIPs: ['172.16.0.100'],
      ingressVIPs: ['172.16.0.101'],
    },
    hosts: [host(1, 'master'), host(2, 'master'), host(3, 'master'), host(4, 'worker'), host(5, 'worker')],
    ...o,
  };
}

function build(o: (chart: Chart) => Partial<AssistedClusterProps> = () => ({})): Manifest {
  const { chart } = testChart('mycluster');
  new AssistedCluster(chart, 'Cluster', props(chart, o(chart)));
  return Manifest.of(chart);
}

const EXTERNAL = ['Secret/pull-secret', ...[1, 2, 3, 4, 5].map((n) => `Secret/ocp${n}-bmc`)];

/** Usually undefined, sometimes a value. */
function rarely<T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> {
  return fc.oneof({ weight: 6, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb });
}

describe('AssistedCluster', () => {
  test('defines the ClusterDeployment, wired to the AgentClusterInstall and the pull secret', () => {
    // GIVEN the seed's cluster / WHEN synthesized
    const m = build();
    // THEN the ClusterDeployment selects the cluster's agents and names the install
    expect(m.get('ClusterDeployment', 'mycluster')).toMatchObject({
      spec: {
        baseDomain: 'contrail.lan',
        clusterName: 'mycluster',
        clusterInstallRef: {
          group: 'extensions.hive.openshift.io',
          version: 'v1beta1',
          kind: 'AgentClusterInstall',
          name: 'mycluster',
        },
        platform: {
          agentBareMetal: {
            agentSelector: { matchLabels: { 'agent-install.openshift.io/clusterdeployment-name': 'mycluster' } },
          },
        },
        pullSecretRef: { name: 'pull-secret' },
      },
    });
  });

  test('defines the AgentClusterInstall with networks, VIPs, counts and key', () => {
    const aci = build().get('AgentClusterInstall', 'mycluster');
    expect(aci.spec).toMatchObject({
      clusterDeploymentRef: { name: 'mycluster' },
      imageSetRef: { name: 'img4.14.38-x86-64' },
      platformType: 'BareMetal',
      apiVIPs: ['172.16.0.100'],
      ingressVIPs: ['172.16.0.101'],
      loadBalancer: { type: 'ClusterManaged' },
      networking: {
        clusterNetwork: [{ cidr: '10.128.0.0/14', hostPrefix: 23 }],
        serviceNetwork: ['172.31.0.0/16'],
        machineNetwork: [{ cidr: '172.16.0.0/24' }],
        networkType: 'OVNKubernetes',
      },
      provisionRequirements: { controlPlaneAgents: 3, workerAgents: 2 },
      sshPublicKey: KEY,
    });
    expect(aci.metadata.annotations).toBeUndefined();
  });

  test('binds the InfraEnv to the cluster and gives each host its BMAC role and an NMStateConfig', () => {
    const m = build();
    expect(m.get('InfraEnv', 'mycluster').spec).toMatchObject({
      clusterRef: { name: 'mycluster', namespace: 'mycluster' },
      pullSecretRef: { name: 'pull-secret' },
      sshAuthorizedKey: KEY,
      agentLabels: { 'agent-install.openshift.io/clusterdeployment-name': 'mycluster' },
      nmStateConfigLabelSelector: { matchLabels: { 'infraenvs.agent-install.openshift.io': 'mycluster' } },
    });
    expect(m.get('BareMetalHost', 'ocp1').metadata.annotations).toMatchObject({
      'bmac.agent-install.openshift.io/role': 'master',
    });
    expect(m.get('BareMetalHost', 'ocp5').metadata.annotations).toMatchObject({
      'bmac.agent-install.openshift.io/role': 'worker',
    });
    expect(m.all('NMStateConfig')).toHaveLength(5);
  });

  test('all objects pass their schemas and every reference resolves', () => {
    const m = build((chart) => ({
      extraManifests: [new ExtraManifests(chart, 'M', { name: 'cn2', files: { 'ns.yaml': NS_YAML } })],
      networking: { ...props(chart).networking, networkType: 'Contrail' },
    }));
    expect(validateManifests(m.objects).map(formatIssue)).toEqual([]);
    expect(findUnresolvedReferences(m.objects as never, { external: EXTERNAL })).toEqual([]);
  });

  test('sets a third-party network plugin through the install-config overrides and references its manifests', () => {
    const m = build((chart) => ({
      extraManifests: [new ExtraManifests(chart, 'M', { name: 'cn2', files: { 'ns.yaml': NS_YAML } })],
      networking: { ...props(chart).networking, networkType: 'Contrail' },
      installConfigOverrides: { fips: false },
    }));
    const aci = m.get('AgentClusterInstall', 'mycluster');
    expect(JSON.parse(aci.metadata.annotations[INSTALL_CONFIG_OVERRIDES_ANNOTATION])).toEqual({
      fips: false,
      networking: { networkType: 'Contrail' },
    });
    expect(aci.spec.networking.networkType).toBeUndefined();
    expect(aci.spec.manifestsConfigMapRefs).toEqual([{ name: 'cn2' }]);
  });

  test('writes the discovery Ignition override from the Ignition model', () => {
    const ign = new IgnitionConfig().addFile({ path: '/etc/cn2/marker', contents: 'x' });
    const m = build(() => ({ discovery: { ignitionConfigOverride: ign, additionalNTPSources: ['172.16.0.10'] } }));
    const spec = m.get('InfraEnv', 'mycluster').spec;
    expect(JSON.parse(spec.ignitionConfigOverride)).toMatchObject({
      ignition: { version: '3.2.0' },
      storage: { files: [{ path: '/etc/cn2/marker' }] },
    });
    expect(spec.additionalNTPSources).toEqual(['172.16.0.10']);
  });

  test('defines a single-node cluster without VIPs, with user-managed networking', () => {
    const m = build((chart) => ({
      hosts: [host(1)],
      networking: { ...props(chart).networking, apiVIPs: undefined, ingressVIPs: undefined },
    }));
    const aci = m.get('AgentClusterInstall', 'mycluster');
    expect(aci.spec).toMatchObject({
      platformType: 'None',
      provisionRequirements: { controlPlaneAgents: 1, workerAgents: 0 },
      networking: { userManagedNetworking: true },
    });
    expect(aci.spec.apiVIPs).toBeUndefined();
  });

  test('points the install and the discovery image at the mirror when disconnected', () => {
    const m = build((chart) => {
      const mirror = new AirgapRegistryMirror(chart, 'Mirror', {
        registry: 'registry.example.com:5000',
        ca: RegistryCa.fromPem(REGISTRY_CA),
        mirrors: [{ source: 'quay.io/openshift-release-dev/ocp-release', mirror: 'openshift/release-images' }],
      });
      return {
        registryMirror: mirror,
        imageSet: new ClusterImageSet(chart, 'Digest', {
          name: 'img4.14.38',
          releaseImage: `quay.io/openshift-release-dev/ocp-release@sha256:${'a'.repeat(64)}`,
        }),
      };
    });
    const ref = { name: 'mycluster-mirror-registries', namespace: 'mycluster' };
    expect(m.get('AgentClusterInstall', 'mycluster').spec.mirrorRegistryRef).toEqual(ref);
    expect(m.get('InfraEnv', 'mycluster').spec.mirrorRegistryRef).toEqual(ref);
    expect(Object.keys(m.get('ConfigMap', 'mycluster-mirror-registries').data).sort()).toEqual([
      'ca-bundle.crt',
      'registries.conf',
    ]);
  });

  test('fails when a disconnected release is not a mirrored digest', () => {
    expect(() =>
      build((chart) => ({
        registryMirror: new AirgapRegistryMirror(chart, 'Mirror', {
          registry: 'registry.example.com:5000',
          ca: RegistryCa.fromPem(REGISTRY_CA),
          mirrors: [{ source: 'quay.io/openshift-release-dev/ocp-release', mirror: 'openshift/release-images' }],
        }),
      })),
    ).toThrow(/'imageSet.releaseImage' is a tag/);
  });

  test('fails when a third-party plugin has no manifests', () => {
    expect(() => build((chart) => ({ networking: { ...props(chart).networking, networkType: 'Contrail' } }))).toThrow(
      /'extraManifests' is empty, but the network plugin Contrail is not installed by OpenShift itself/,
    );
  });

  test('fails when the network type is not a plugin name', () => {
    expect(() => build((chart) => ({ networking: { ...props(chart).networking, networkType: 'ovn k8s' } }))).toThrow(
      /'networking.networkType' is not a network plugin name/,
    );
  });

  test('fails when the overrides set the network plugin of a built-in type', () => {
    expect(() => build(() => ({ installConfigOverrides: { networking: { networkType: 'Calico' } } }))).toThrow(
      /'installConfigOverrides.networking.networkType' overrides the network plugin/,
    );
  });

  test('fails when there are two control-plane agents', () => {
    expect(() => build(() => ({ controlPlaneAgents: 2, hosts: [] }))).toThrow(/'controlPlaneAgents' is 2/);
  });

  test('fails when there are six control-plane agents', () => {
    expect(() => build(() => ({ controlPlaneAgents: 6, hosts: [] }))).toThrow(
      /'controlPlaneAgents' must be an integer from 1 to 5/,
    );
  });

  test('fails when a single-node cluster has workers', () => {
    expect(() => build(() => ({ controlPlaneAgents: 1, workerAgents: 1, hosts: [] }))).toThrow(
      /'workerAgents' is set for a single-node cluster/,
    );
  });

  test('fails when a single-node cluster is given several hosts', () => {
    expect(() => build(() => ({ hosts: [host(1, 'master'), host(2)] }))).toThrow(
      /'hosts' are 2 for a single-node cluster \(controlPlaneAgents 1\)/,
    );
  });

  test('fails when more hosts are masters than control-plane agents', () => {
    expect(() => build(() => ({ controlPlaneAgents: 3, hosts: [1, 2, 3, 4].map((n) => host(n, 'master')) }))).toThrow(
      /'hosts' hold 4 master hosts but controlPlaneAgents is 3/,
    );
  });

  test('fails when more hosts are workers than worker agents', () => {
    expect(() => build(() => ({ workerAgents: 1 }))).toThrow(/'hosts' hold 2 worker hosts but workerAgents is 1/);
  });

  test('fails when there are more hosts than agents', () => {
    expect(() => build(() => ({ workerAgents: 1, hosts: [1, 2, 3, 4, 5].map((n) => host(n)) }))).toThrow(
      /'hosts' are 5, more than the 4 agents the cluster takes/,
    );
  });

  test('fails when a VIP is a host address', () => {
    expect(() =>
      build(() => ({ hosts: [host(1, 'master'), host(2, 'master'), host(3, 'master', '172.16.0.100')] })),
    ).toThrow(/'networking.apiVIPs\[0\]' is the address of host ocp3/);
  });

  test('fails when a host has no address in the machine network', () => {
    expect(() =>
      build(() => ({ hosts: [host(1, 'master'), host(2, 'master'), host(3, 'master', '172.17.0.13')] })),
    ).toThrow(/'hosts\[2\].networkData' gives ocp3 no address in the machine network 172.16.0.0\/24/);
  });

  test('fails when the discovery architecture differs from the release', () => {
    expect(() => build(() => ({ discovery: { cpuArchitecture: 'arm64' } }))).toThrow(
      /'discovery.cpuArchitecture' is arm64 but the release 4.14.38-x86_64 is for x86_64/,
    );
  });

  test('fails when the ingress name would be too long', () => {
    expect(() =>
      build(() => ({ baseDomain: `${'a'.repeat(60)}.${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(60)}` })),
    ).toThrow(/'baseDomain' makes the ingress name \*.apps.mycluster.a+\.b+\.c+\.d+ longer than 253 characters/);
  });

  test('fails when the chart has no namespace', () => {
    const { chart } = testChart();
    const c = new Chart(chart, 'nons');
    expect(() => new AssistedCluster(c, 'Cluster', props(c))).toThrow(/'namespace' is not set/);
  });

  test('fails when the cluster name is not a DNS label', () => {
    expect(() => build(() => ({ clusterName: 'My.Cluster' }))).toThrow(/'clusterName'/);
  });

  test('fails when the SSH key is a private key, without echoing it', () => {
    const secret = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAA\n-----END OPENSSH PRIVATE KEY-----';
    let message = '';
    try {
      build(() => ({ sshPublicKey: secret }));
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/'sshPublicKey' is a private key/);
    expect(message).not.toContain('b3BlbnNzaC1rZXktdjEAAAA');
  });

  test('fails when the Ignition override is not an IgnitionConfig', () => {
    expect(() => build(() => ({ discovery: { ignitionConfigOverride: '{"ignition":{}}' as never } }))).toThrow(
      /'discovery.ignitionConfigOverride' is not an IgnitionConfig/,
    );
  });

  test('fails when a single-node cluster gets a load balancer type', () => {
    expect(() =>
      build((chart) => ({
        hosts: [host(1)],
        loadBalancer: 'UserManaged',
        networking: { ...props(chart).networking, apiVIPs: undefined, ingressVIPs: undefined },
      })),
    ).toThrow(/'loadBalancer' is set for a single-node cluster/);
  });

  describe('properties', () => {
    test('any props are accepted or refused with a library error', () => {
      const arb = fc.record({
        clusterName: mostly(fc.constantFrom('mycluster', 'sno1')),
        baseDomain: mostly(fc.constant('contrail.lan')),
        topology: fc.constantFrom('sno', 'compact', 'ha', 'odd'),
        controlPlaneAgents: rarely(fc.integer({ min: 0, max: 6 })),
        workerAgents: rarely(fc.integer({ min: 0, max: 3 })),
        vips: mostly(fc.constantFrom(['172.16.0.100'], ['172.16.0.100'], ['172.16.0.11']), 6),
        networkType: fc.option(mostly(fc.constantFrom('OVNKubernetes', 'Contrail', 'None', 'Calico')), {
          nil: undefined,
        }),
        withManifests: fc.boolean(),
        loadBalancer: fc.option(mostly(fc.constantFrom('ClusterManaged', 'UserManaged')), { nil: undefined }),
        sshPublicKey: mostly(fc.constant(KEY)),
        junk: rarely(garbage),
      });
      checkConstruct(arb, (p) => {
        const { chart } = testChart('mycluster');
        const base = props(chart);
        type Role = 'master' | 'worker' | undefined;
        const topologies: Record<string, Role[]> = {
          sno: [undefined],
          compact: ['master', 'master', 'master'],
          ha: ['master', 'master', 'master', 'worker', 'worker'],
          odd: ['master', undefined, 'worker', undefined],
        };
        const roles = topologies[p.topology];
        const hosts = roles.map((r, i) => host(i + 1, r));
        const sno = p.topology === 'sno';
        new AssistedCluster(chart, 'Cluster', {
          ...base,
          clusterName: p.clusterName,
          baseDomain: p.baseDomain,
          hosts,
          sshPublicKey: p.sshPublicKey,
          ...(p.controlPlaneAgents !== undefined ? { controlPlaneAgents: p.controlPlaneAgents } : {}),
          ...(p.workerAgents !== undefined ? { workerAgents: p.workerAgents } : {}),
          ...(p.loadBalancer !== undefined && !sno ? { loadBalancer: p.loadBalancer } : {}),
          networking: {
            ...base.networking,
            apiVIPs: sno ? undefined : p.vips,
            ingressVIPs: sno ? undefined : Array.isArray(p.vips) ? ['172.16.0.101'] : p.vips,
            ...(p.networkType !== undefined ? { networkType: p.networkType } : {}),
          },
          ...(p.withManifests
            ? { extraManifests: [new ExtraManifests(chart, 'M', { name: 'cni', files: { 'ns.yaml': NS_YAML } })] }
            : {}),
          ...(p.junk !== undefined ? { discovery: p.junk } : {}),
        } as never);
        return Manifest.of(chart)
          .objects.map((o) => JSON.stringify(o))
          .join('\n');
      });
    });
  });
});
