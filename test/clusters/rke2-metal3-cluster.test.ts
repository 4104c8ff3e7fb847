import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { parse } from 'yaml';
import {
  checkHostAddresses,
  ControlPlaneShape,
  defineRke2Metal3Cluster,
  validateClusterBasics,
  CLUSTER_LABEL,
  Rke2Metal3ClusterProps,
} from '../../lib/clusters/rke2-metal3-cluster';
import { validateClusterNetwork } from '../../lib/clusters/cluster-network';
import { BaremetalApp } from '../../lib/core/site-file';
import { SecretRef } from '../../lib/core/secret-ref';
import { BuildSecret } from '../../lib/eib/build-secret';
import { EdgeImageDefinition } from '../../lib/eib/edge-image-definition';
import { Bmc } from '../../lib/metal3/bmc';
import { NetworkData } from '../../lib/metal3/network-data';
import { OsImage } from '../../lib/metal3/os-image';
import { at } from '../../lib/private/errors';
import { AirgapRegistryMirror } from '../../lib/registry/airgap-registry-mirror';
import { RegistryCa } from '../../lib/registry/registry-ca';
import { TelcoProfile } from '../../lib/telco/telco-profile';
import { REGISTRY_CA } from '../../examples/shared/test-registry-ca';
import { Manifest, testChart } from '../util';

const base = {
  clusterName: 'c1',
  rke2Version: 'v1.32.4+rke2r1',
  image: OsImage.fromUrl('http://images/os.raw'),
};
const host = {
  name: 'h1',
  bootMACAddress: '00:00:00:00:00:01',
  bmc: Bmc.redfish('10.0.0.1', '1', SecretRef.fromName('h1-bmc')),
};

describe('defineRke2Metal3Cluster', () => {
  test('runs the shape check with the validated network before defining anything', () => {
    const { chart } = testChart();
    const scope = new Construct(chart, 'C');
    let seen = '';
    expect(() =>
      defineRke2Metal3Cluster(
        scope,
        base,
        {
          hosts: [host],
          endpoint: '10.0.0.50',
          maxSurge: 0,
          check: (n) => {
            seen = n.endpointHost;
            throw new Error('stop');
          },
        },
        () => at(scope, 'host'),
      ),
    ).toThrow('stop');
    expect(seen).toBe('10.0.0.50');
    expect(scope.node.children).toHaveLength(0);
  });

  test('labels hosts with the cluster label and names the control plane objects', () => {
    const { chart } = testChart();
    const scope = new Construct(chart, 'C');
    defineRke2Metal3Cluster(
      scope,
      { ...base, hostLabels: { tier: 'edge' } },
      { hosts: [host], endpoint: '10.0.0.50', maxSurge: 0 },
      () => at(scope, 'host'),
    );
    const m = Manifest.of(chart);
    expect(m.get('BareMetalHost', 'h1').metadata.labels).toEqual({ tier: 'edge', [CLUSTER_LABEL]: 'c1' });
    expect(m.ids()).toContain('Metal3MachineTemplate/c1-controlplane');
  });
});

describe('validateClusterBasics', () => {
  test('fails naming each basic prop', () => {
    const { chart } = testChart();
    expect(() => validateClusterBasics(chart, { ...base, clusterName: '' })).toThrow(/'clusterName'/);
    expect(() => validateClusterBasics(chart, { ...base, rke2Version: 'latest' })).toThrow(/'rke2Version'/);
    expect(() => validateClusterBasics(chart, { ...base, image: {} as never })).toThrow(/'image' is not an OsImage/);
    expect(() => validateClusterBasics(chart, null as never)).toThrow(/'props' must be an object/);
  });
});

const hostN = (i: number) => ({
  name: `h${i}`,
  bootMACAddress: `00:00:00:00:00:0${i}`,
  bmc: Bmc.redfish(`10.0.0.${i}`, '1', SecretRef.fromName(`h${i}-bmc`)),
});

/** Defines a cluster under test/C and returns the chart and the parts. */
function define(props: Partial<Rke2Metal3ClusterProps> = {}, shape: Partial<ControlPlaneShape> = {}, chart?: Chart) {
  const c = chart ?? testChart().chart;
  const scope = new Construct(c, 'C');
  const parts = defineRke2Metal3Cluster(
    scope,
    { ...base, ...props },
    { hosts: [host], endpoint: '10.0.0.50', maxSurge: 0, ...shape },
    (i) => at(scope, `hosts[${i}]`),
  );
  return { chart: c, scope, parts };
}

const mirrorIn = (chart: Chart) =>
  new AirgapRegistryMirror(chart, 'Mirror', {
    registry: 'registry.example.com:5000',
    ca: RegistryCa.fromPem(REGISTRY_CA),
    mirrors: [{ source: 'docker.io' }],
  });

describe('defineRke2Metal3Cluster objects', () => {
  test('Cluster, Metal3Cluster and RKE2ControlPlane are wired by name, with the networks and the endpoint port', () => {
    // GIVEN three hosts, a custom API port and dual-stack networks
    const { chart, parts } = define(
      {
        controlPlaneEndpointPort: 7443,
        podCidrs: ['10.42.0.0/16', 'fd00:42::/56'],
        serviceCidrs: ['10.43.0.0/16', 'fd00:43::/112'],
      },
      {
        hosts: [hostN(1), hostN(2), hostN(3)],
        maxSurge: 1,
        registrationMethod: 'control-plane-endpoint',
        registrationAddress: '10.0.0.50',
        tlsSan: ['api.example.com'],
      },
    );
    const m = Manifest.of(chart);
    // THEN
    expect(m.get('Cluster', 'c1').spec).toEqual({
      clusterNetwork: {
        pods: { cidrBlocks: ['10.42.0.0/16', 'fd00:42::/56'] },
        services: { cidrBlocks: ['10.43.0.0/16', 'fd00:43::/112'] },
      },
      controlPlaneRef: { apiVersion: 'controlplane.cluster.x-k8s.io/v1beta1', kind: 'RKE2ControlPlane', name: 'c1' },
      infrastructureRef: { apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1', kind: 'Metal3Cluster', name: 'c1' },
    });
    expect(m.get('Metal3Cluster', 'c1').spec).toEqual({
      controlPlaneEndpoint: { host: '10.0.0.50', port: 7443 },
      noCloudProvider: true,
    });
    const cp = m.get('RKE2ControlPlane', 'c1').spec;
    expect(cp).toMatchObject({
      replicas: 3,
      version: 'v1.32.4+rke2r1',
      rolloutStrategy: { rollingUpdate: { maxSurge: 1 } },
      registrationMethod: 'control-plane-endpoint',
      registrationAddress: '10.0.0.50',
      serverConfig: { cni: 'cilium', tlsSan: ['api.example.com'] },
      machineTemplate: { infrastructureRef: { kind: 'Metal3MachineTemplate', name: 'c1-controlplane' } },
      agentConfig: { nodeName: 'localhost.localdomain' },
    });
    expect(cp).not.toHaveProperty('privateRegistriesConfig');
    expect(cp).not.toHaveProperty('files');
    expect(cp).not.toHaveProperty('preRKE2Commands');
    expect(cp.agentConfig).not.toHaveProperty('airGapped');
    // every host is defined under its index, with the default role label and the cluster label
    expect(parts.hosts.map((h) => h.node.id)).toEqual(['Host0', 'Host1', 'Host2']);
    for (const name of ['h1', 'h2', 'h3']) {
      expect(m.get('BareMetalHost', name).metadata.labels).toEqual({
        'cluster-role': 'control-plane',
        [CLUSTER_LABEL]: 'c1',
      });
    }
    expect(m.get('Metal3MachineTemplate', 'c1-controlplane').spec.template.spec).toMatchObject({
      hostSelector: { matchLabels: { 'cluster-role': 'control-plane', [CLUSTER_LABEL]: 'c1' } },
      image: { url: 'http://images/os.raw' },
    });
    expect(m.get('Metal3DataTemplate', 'c1-controlplane-template').spec.clusterName).toBe('c1');
    // the parts name what was defined
    expect(parts).toMatchObject({ clusterName: 'c1', airGapped: false, charts: undefined, registryMirror: undefined });
    expect(parts.version.toString()).toBe('v1.32.4+rke2r1');
    expect(parts.image).toBe(base.image);
    expect(parts.network.endpointPort).toBe(7443);
    expect(parts.cni.cni).toBe('cilium');
  });

  test('one host is defined as Host; the API port defaults to 6443; the node name is passed on', () => {
    const { chart, parts } = define({ nodeName: 'node' });
    expect(parts.hosts.map((h) => h.node.id)).toEqual(['Host']);
    const m = Manifest.of(chart);
    expect(m.get('Metal3Cluster', 'c1').spec.controlPlaneEndpoint).toEqual({ host: '10.0.0.50', port: 6443 });
    expect(m.get('RKE2ControlPlane', 'c1').spec.agentConfig.nodeName).toBe('node');
  });

  test('the first-boot config writes the Metal3 node identity', () => {
    const { chart, parts } = define();
    expect(parts.userData.toObject()).toMatchObject({
      storage: {
        files: expect.arrayContaining([expect.objectContaining({ path: '/etc/rancher/rke2/metal3-node-identity.sh' })]),
      },
    });
    const config = Manifest.of(chart).get('RKE2ControlPlane', 'c1').spec.agentConfig.additionalUserData.config;
    expect(parse(config).systemd.units.map((u: { name: string }) => u.name)).toContain('rke2-preinstall.service');
  });

  test('output the API server would refuse fails synth, embedded manifests included', () => {
    const { chart, scope, parts } = define();
    new ApiObject(scope, 'Bad', {
      apiVersion: 'metal3.io/v1alpha1',
      kind: 'BareMetalHost',
      metadata: { name: 'bad' },
      spec: { online: 'yes' },
    });
    parts.userData.addManifests('/var/lib/rancher/rke2/server/manifests/pool.yaml', [
      { apiVersion: 'metallb.io/v1beta1', kind: 'IPAddressPool', metadata: { name: 'p' }, spec: { addresses: 7 } },
    ]);
    let message = '';
    try {
      (chart.node.root as unknown as { synth(): void }).synth();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/BareMetalHost\/bad '\/spec\/online' must be boolean/);
    expect(message).toMatch(/embedded in \/var\/lib\/rancher\/rke2\/server\/manifests\/pool\.yaml: .*IPAddressPool\/p/);
  });
});

describe('defineRke2Metal3Cluster telco, CNI and mirror', () => {
  const sriov = [{ resourceName: 'du1', interface: 'eth0', driver: 'vfio-pci' as const, numVfs: 8 }];

  test("SR-IOV without a CNI choice brings Calico with Multus, and the profile's commands and files", () => {
    const { chart, parts } = define({ telco: TelcoProfile.suseEdgePreset({ sriov }) });
    const cp = Manifest.of(chart).get('RKE2ControlPlane', 'c1').spec;
    expect(cp.serverConfig).toMatchObject({ cni: 'calico', cniMultusEnable: true });
    expect(cp.preRKE2Commands).toEqual(['modprobe vfio-pci enable_sriov=1 disable_idle_d3=1']);
    expect(parts.cni.cni).toBe('calico');
    const paths = parse(cp.agentConfig.additionalUserData.config).storage.files.map((f: { path: string }) => f.path);
    expect(paths).toContain('/var/lib/rancher/rke2/server/manifests/configmap-sriov-custom-auto.yaml');
  });

  test('a telco profile without SR-IOV keeps the default CNI, and any CNI is fine', () => {
    const { chart } = define({ telco: TelcoProfile.suseEdgePreset(), cni: { plugin: 'canal' } });
    expect(Manifest.of(chart).get('RKE2ControlPlane', 'c1').spec.serverConfig.cni).toBe('canal');
    const plain = define({ telco: TelcoProfile.suseEdgePreset() });
    expect(Manifest.of(plain.chart).get('RKE2ControlPlane', 'c1').spec.serverConfig.cni).toBe('cilium');
  });

  test('refuses SR-IOV with a CNI whose Multus is off, with what to set', () => {
    expect(() =>
      define({ telco: TelcoProfile.suseEdgePreset({ sriov }), cni: { plugin: 'calico', multus: false } }),
    ).toThrow(
      '[test/C] \'cni\' has no Multus, which SR-IOV networks need (got {"plugin":"calico","multus":false}); set cni: { plugin: \'calico\', multus: true } or leave cni out',
    );
  });

  test('refuses a telco value that is not a TelcoProfile, with how to build one', () => {
    expect(() => define({ telco: { isolatedCpus: '1-3' } as never })).toThrow(
      '[test/C] \'telco\' is not a TelcoProfile (got {"isolatedCpus":"1-3"}); build it with new TelcoProfile({...}) or TelcoProfile.suseEdgePreset()',
    );
  });

  test('refuses a registry mirror that is not an AirgapRegistryMirror', () => {
    expect(() => define({ registryMirror: { registry: 'x' } as never })).toThrow(
      '[test/C] \'registryMirror\' is not an AirgapRegistryMirror (got {"registry":"x"}); define the mirror with new AirgapRegistryMirror(...)',
    );
  });

  test('air gap needs a mirror; a chart pull secret needs air gap and a SecretRef', () => {
    expect(() => define({ airGapped: true })).toThrow(
      "[test/C] 'airGapped' needs a registry mirror (got true); set registryMirror to the AirgapRegistryMirror the site pulls from",
    );
    expect(() => define({ airGapped: 'yes' as never })).toThrow(/'airGapped'/);
    const { chart } = testChart();
    const mirror = mirrorIn(chart);
    expect(() =>
      define({ registryMirror: mirror, chartPullSecret: { secret: SecretRef.fromName('p') } }, {}, chart),
    ).toThrow(
      '[test/C] \'chartPullSecret\' only applies to air-gapped clusters (got "<SecretRef>"); set airGapped: true, or leave chartPullSecret out',
    );
    const other = testChart().chart;
    expect(() =>
      define(
        { registryMirror: mirrorIn(other), airGapped: true, chartPullSecret: { secret: 'p' as never } },
        {},
        other,
      ),
    ).toThrow(
      '[test/C] \'chartPullSecret.secret\' is not a SecretRef (got "<value>"); pass SecretRef.fromName(...) or SecretRef.fromExternalSecret(...)',
    );
    const third = testChart().chart;
    expect(() =>
      define({ registryMirror: mirrorIn(third), airGapped: true, chartPullSecret: null as never }, {}, third),
    ).toThrow(/'chartPullSecret.secret' is not a SecretRef/);
  });

  test('behind a mirror the nodes pull through it; air-gapped, charts come from it and the pull secret is copied from the management cluster', () => {
    // GIVEN a mirror only
    const { chart } = testChart();
    const mirror = mirrorIn(chart);
    const pulled = define({ registryMirror: mirror }, {}, chart);
    expect(pulled.parts.registryMirror).toBe(mirror);
    expect(pulled.parts.charts).toBeUndefined();
    const cp = Manifest.of(chart).get('RKE2ControlPlane', 'c1').spec;
    expect(cp.privateRegistriesConfig.mirrors['docker.io'].endpoint).toEqual(['https://registry.example.com:5000']);
    // GIVEN air gap with an external pull secret
    const gapped = testChart().chart;
    const m2 = mirrorIn(gapped);
    const ag = define(
      {
        registryMirror: m2,
        airGapped: true,
        chartPullSecret: { secret: SecretRef.fromExternalSecret({ storeName: 'vault', remoteKey: 'registry' }) },
      },
      {},
      gapped,
    );
    expect(ag.parts.airGapped).toBe(true);
    expect(ag.parts.charts).toBeDefined();
    const m = Manifest.of(gapped);
    const spec = m.get('RKE2ControlPlane', 'c1').spec;
    expect(spec.agentConfig.airGapped).toBe(true);
    expect(spec.files).toEqual([
      {
        path: '/var/lib/rancher/rke2/server/manifests/private-registry-auth.yaml',
        owner: 'root:root',
        permissions: '0600',
        contentFrom: { secret: { name: 'c1-chart-pull', key: 'private-registry-auth.yaml' } },
      },
    ]);
    expect(m.get('ExternalSecret', 'c1-chart-pull').spec.data).toEqual([
      {
        secretKey: 'private-registry-auth.yaml',
        remoteRef: { key: 'registry', property: 'private-registry-auth.yaml' },
      },
    ]);
  });

  test('a chart pull secret under another key is read from that key', () => {
    const { chart } = testChart();
    define(
      {
        registryMirror: mirrorIn(chart),
        airGapped: true,
        chartPullSecret: {
          secret: SecretRef.fromExternalSecret({ storeName: 'vault', remoteKey: 'r' }),
          key: 'auth.yaml',
        },
      },
      {},
      chart,
    );
    const m = Manifest.of(chart);
    expect(m.get('RKE2ControlPlane', 'c1').spec.files[0].contentFrom.secret).toEqual({
      name: 'c1-chart-pull',
      key: 'auth.yaml',
    });
    expect(m.get('ExternalSecret', 'c1-chart-pull').spec.data[0].secretKey).toBe('auth.yaml');
  });
});

describe('defineRke2Metal3Cluster refusals', () => {
  test('refuses host labels that are not labels', () => {
    expect(() => define({ hostLabels: { 'cluster role': 'x' } })).toThrow(/\[test\/C\] 'hostLabels/);
  });

  test('refuses a network problem at the props', () => {
    expect(() => define({}, { endpoint: '192.168.0.5' })).toThrow(
      /\[test\/C\] 'controlPlaneEndpoint' is inside the cluster CIDR/,
    );
  });
});

describe('checkHostAddresses', () => {
  const network = validateClusterNetwork({}, '10.0.0.50', 6443, { path: 'x', prop: 'props' });
  const withAddress = (address: string) => ({
    ...host,
    networkData: NetworkData.nmstate({
      interfaces: [{ type: 'ethernet', name: 'eth0', macAddress: '00:00:00:00:00:01', ipv4: { addresses: [address] } }],
    }),
  });

  test('accepts host addresses outside both networks, and hosts without static addresses', () => {
    expect(() =>
      checkHostAddresses([host, withAddress('10.0.0.20/24')], network, (i) => ({ path: 'c', prop: `h${i}` })),
    ).not.toThrow();
  });

  test.each([
    ['192.168.0.7/24', '192.168.0.7', '192.168.0.0/18'],
    ['10.96.0.7/24', '10.96.0.7', '10.96.0.0/12'],
  ])('refuses the host address %s inside a cluster CIDR, naming the host', (address, ip, cidr) => {
    expect(network.podCidrs.map(String).concat(network.serviceCidrs.map(String))).toContain(cidr);
    expect(() =>
      checkHostAddresses([host, withAddress(address)], network, (i) => ({ path: 'site/Cluster', prop: `hosts[${i}]` })),
    ).toThrow(
      `[site/Cluster] 'hosts[1].networkData' address ${ip} is inside the cluster CIDR ${cidr} (got "${ip}"); pick host addresses outside the pod and service networks`,
    );
  });
});

describe('defineRke2Metal3Cluster with an image built by an EdgeImageDefinition', () => {
  function site(cni?: { plugin: 'cilium' | 'calico'; multus: boolean }) {
    const chart = new Chart(new BaremetalApp({ outdir: mkdtempSync(join(tmpdir(), 'rke2-metal3-')) }), 'site', {
      namespace: 'site',
    });
    const image = new EdgeImageDefinition(chart, 'Image', {
      baseImage: 'SL-Micro.x86_64-6.1-Base-GM.raw',
      outputImageName: 'os.raw',
      sccRegistrationCode: BuildSecret.fromEnv('SCC_REGISTRATION_CODE'),
      airGap: { rke2Version: 'v1.32.4+rke2r1', ...(cni ? { cni } : {}) },
    });
    return { chart, image: image.toOsImage('http://images'), mirror: mirrorIn(chart) };
  }

  test("the cluster's release, CNI, Multus and air gap are checked against what the image carries", () => {
    // GIVEN an air-gapped image with Cilium and Multus
    const ok = site({ plugin: 'cilium', multus: true });
    expect(() =>
      define({ image: ok.image, registryMirror: ok.mirror, airGapped: true, cni: { multus: true } }, {}, ok.chart),
    ).not.toThrow();
    // WHEN the cluster is not air-gapped THEN the image's variant is named
    const connected = site({ plugin: 'cilium', multus: true });
    expect(() => define({ image: connected.image, cni: { multus: true } }, {}, connected.chart)).toThrow(
      /\[site\/C\] 'airGapped' is false, but the image of \[site\/Image\] \(os\.raw\) is the air-gapped variant/,
    );
    // WHEN the cluster runs another release, or no Multus
    const release = site({ plugin: 'cilium', multus: true });
    expect(() =>
      define(
        {
          image: release.image,
          registryMirror: release.mirror,
          airGapped: true,
          cni: { multus: true },
          rke2Version: 'v1.32.5+rke2r1',
        },
        {},
        release.chart,
      ),
    ).toThrow(/'rke2Version' is v1\.32\.5\+rke2r1, but the image/);
    const multus = site({ plugin: 'cilium', multus: true });
    expect(() =>
      define({ image: multus.image, registryMirror: multus.mirror, airGapped: true }, {}, multus.chart),
    ).toThrow(
      /'cni' is cilium without Multus, but the image of \[site\/Image\] \(os\.raw\) carries the image archives of cilium with Multus/,
    );
    const calico = site({ plugin: 'calico', multus: false });
    expect(() =>
      define(
        { image: calico.image, registryMirror: calico.mirror, airGapped: true, cni: { plugin: 'calico' } },
        {},
        calico.chart,
      ),
    ).not.toThrow();
  });
});

describe('refusals name the prop they are about, with what to do', () => {
  test('validateClusterBasics: props and image hints', () => {
    const { chart } = testChart();
    expect(() => validateClusterBasics(chart, null as never)).toThrow(
      `[test] 'props' must be an object (got null); pass the cluster props`,
    );
    expect(() => validateClusterBasics(chart, { ...base, image: 'http://x' as never })).toThrow(
      `[test] 'image' is not an OsImage (got "http://x"); build it with OsImage.fromUrl(url, { checksumType })`,
    );
  });

  test('checkHostAddresses skips a missing host (refused later by its own check), never a TypeError', () => {
    const { chart } = testChart();
    const network = validateClusterNetwork({}, '10.0.0.50', 6443, at(chart, 'props'));
    expect(() => checkHostAddresses([undefined as never], network, () => at(chart, 'host'))).not.toThrow();
  });

  test('the first-boot config reports its own problems under userData', () => {
    const { parts } = define();
    expect(() => parts.userData.addManifests('/var/lib/rancher/rke2/server/manifests/x.yaml', [])).toThrow(
      `[test/C] 'userData.manifests' must hold at least one object (got []); pass the objects to embed`,
    );
  });

  test('a CNI refusal names cni', () => {
    expect(() => define({ cni: { plugin: 'weave' as never } })).toThrow(
      /^\[test\/C\] 'cni' is not a CNI plugin the RKE2 provider knows \(got "weave"\)/,
    );
  });

  test('an air-gapped chart the mirror does not cover is refused under registryMirror', () => {
    const { chart } = testChart();
    const mirror = new AirgapRegistryMirror(chart, 'Mirror', {
      registry: 'registry.example.com:5000',
      ca: RegistryCa.fromPem(REGISTRY_CA),
      mirrors: [{ source: 'quay.io/unrelated' }],
    });
    const sriov = [{ resourceName: 'du1', interface: 'eth0', driver: 'vfio-pci' as const, numVfs: 8 }];
    expect(() =>
      define({ registryMirror: mirror, airGapped: true, telco: TelcoProfile.suseEdgePreset({ sriov }) }, {}, chart),
    ).toThrow(/^\[test\/C\] 'registryMirror' is not under any mirrored source/);
  });

  test('a literal chart pull secret without the key the nodes read is refused under chartPullSecret', () => {
    const { chart } = testChart();
    const secret = SecretRef.fromLiteral({ other: 'x' }, { writeSecretMaterialToManifests: true });
    expect(() =>
      define({ registryMirror: mirrorIn(chart), airGapped: true, chartPullSecret: { secret } }, {}, chart),
    ).toThrow(
      `[test/C] 'chartPullSecret' has no key 'private-registry-auth.yaml' (got ["other"]); add 'private-registry-auth.yaml' to the literal Secret data`,
    );
  });
});
