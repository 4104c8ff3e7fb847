import * as fc from 'fast-check';
import { parse } from 'yaml';
import { SingleNodeCluster, SingleNodeClusterProps } from '../../lib/clusters/single-node-cluster';
import { SecretRef } from '../../lib/core/secret-ref';
import { Bmc } from '../../lib/metal3/bmc';
import { NetworkData } from '../../lib/metal3/network-data';
import { OsImage } from '../../lib/metal3/os-image';
import { TelcoProfile } from '../../lib/telco/telco-profile';
import { AirgapRegistryMirror } from '../../lib/registry/airgap-registry-mirror';
import { RegistryCa } from '../../lib/registry/registry-ca';
import { REGISTRY_CA } from '../../examples/shared/test-registry-ca';
import { checkConstruct, clusterNetworks, host, image, ipv4, ipv6, label, mostly, rke2Version } from '../arbitraries';
import { Manifest, testChart } from '../util';

function props(overrides: Partial<SingleNodeClusterProps> = {}): SingleNodeClusterProps {
  return {
    clusterName: 'edge-01',
    rke2Version: 'v1.32.4+rke2r1',
    host: {
      name: 'node1',
      bootMACAddress: '00:0c:29:3e:3e:3e',
      bmc: Bmc.redfishVirtualMedia('192.168.200.75', '1', SecretRef.fromName('node1-bmc')),
    },
    image: OsImage.fromUrl('http://imagecache.local:8080/eibimage-output-telco.raw'),
    controlPlaneEndpoint: '192.168.200.80',
    ...overrides,
  };
}

function synth(p: SingleNodeClusterProps): Manifest {
  const { chart } = testChart();
  new SingleNodeCluster(chart, 'Cluster', p);
  return Manifest.of(chart);
}

function build(p: SingleNodeClusterProps): void {
  const { chart } = testChart();
  new SingleNodeCluster(chart, 'Cluster', p);
}

describe('SingleNodeCluster', () => {
  test('defines the object set of a single-node Metal3 cluster', () => {
    const m = synth(props());
    expect(m.ids()).toEqual([
      'BareMetalHost/node1',
      'Cluster/edge-01',
      'Metal3Cluster/edge-01',
      'Metal3DataTemplate/edge-01-controlplane-template',
      'Metal3MachineTemplate/edge-01-controlplane',
      'RKE2ControlPlane/edge-01',
    ]);
  });

  test('wires Cluster to its control plane and infrastructure', () => {
    const cluster = synth(props()).get('Cluster', 'edge-01');
    expect(cluster).toMatchObject({
      apiVersion: 'cluster.x-k8s.io/v1beta1',
      spec: {
        clusterNetwork: { pods: { cidrBlocks: ['192.168.0.0/18'] }, services: { cidrBlocks: ['10.96.0.0/12'] } },
        controlPlaneRef: {
          apiVersion: 'controlplane.cluster.x-k8s.io/v1beta1',
          kind: 'RKE2ControlPlane',
          name: 'edge-01',
        },
        infrastructureRef: {
          apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1',
          kind: 'Metal3Cluster',
          name: 'edge-01',
        },
      },
    });
  });

  test('sets the Metal3Cluster endpoint and no cloud provider', () => {
    expect(synth(props()).get('Metal3Cluster', 'edge-01').spec).toEqual({
      controlPlaneEndpoint: { host: '192.168.200.80', port: 6443 },
      noCloudProvider: true,
    });
  });

  test('configures one RKE2 replica with maxSurge 0, Ignition and the Metal3 provider ID', () => {
    const cp = synth(props()).get('RKE2ControlPlane', 'edge-01');
    expect(cp.spec).toMatchObject({
      replicas: 1,
      version: 'v1.32.4+rke2r1',
      rolloutStrategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0 } },
      serverConfig: { cni: 'cilium' },
      machineTemplate: {
        infrastructureRef: {
          apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1',
          kind: 'Metal3MachineTemplate',
          name: 'edge-01-controlplane',
        },
      },
      agentConfig: {
        format: 'ignition',
        kubelet: { extraArgs: ['provider-id=metal3://BAREMETALHOST_UUID'] },
        nodeName: 'localhost.localdomain',
      },
    });
    expect(cp.spec.serverConfig).not.toHaveProperty('cniMultusEnable');
  });

  test('ships the first-boot unit that writes the host UUID and node name', () => {
    const cp = synth(props()).get('RKE2ControlPlane', 'edge-01');
    const butane = parse(cp.spec.agentConfig.additionalUserData.config);
    expect(butane).toMatchObject({ variant: 'fcos', version: '1.4.0' });
    const unit = butane.systemd.units.find((u: { name: string }) => u.name === 'rke2-preinstall.service');
    expect(unit).toMatchObject({ enabled: true });
    expect(unit.contents).toMatch(/Before=rke2-install.service/);
    const script = butane.storage.files.find(
      (f: { path: string }) => f.path === '/etc/rancher/rke2/metal3-node-identity.sh',
    );
    expect(script.mode).toBe(0o700);
    expect(script.contents.inline).toMatch(/s\/BAREMETALHOST_UUID\//);
    expect(script.contents.inline).toMatch(/node-name:/);
  });

  test('files added to userData after construction reach the control plane', () => {
    const { chart } = testChart();
    const c = new SingleNodeCluster(chart, 'Cluster', props());
    c.userData.addFile({ path: '/etc/late.conf', contents: 'x' });
    const cp = Manifest.of(chart).get('RKE2ControlPlane', 'edge-01');
    expect(cp.spec.agentConfig.additionalUserData.config).toContain('/etc/late.conf');
  });

  test('enables Multus next to Cilium with a non-exclusive Cilium config', () => {
    const cp = synth(props({ cni: { plugin: 'cilium', multus: true } })).get('RKE2ControlPlane', 'edge-01');
    expect(cp.spec.serverConfig).toMatchObject({ cni: 'cilium', cniMultusEnable: true });
    const file = parse(cp.spec.agentConfig.additionalUserData.config).storage.files.find(
      (f: { path: string }) => f.path === '/var/lib/rancher/rke2/server/manifests/rke2-cilium-config.yaml',
    );
    expect(parse(file.contents.inline)).toMatchObject({
      apiVersion: 'helm.cattle.io/v1',
      kind: 'HelmChartConfig',
      metadata: { name: 'rke2-cilium', namespace: 'kube-system' },
    });
  });

  test('selects exactly its host: the machine template requires the host labels', () => {
    const m = synth(props());
    const host = m.get('BareMetalHost', 'node1');
    const tpl = m.get('Metal3MachineTemplate', 'edge-01-controlplane');
    expect(host.metadata.labels).toEqual({ 'cluster-role': 'control-plane', 'cdk8s-baremetal/cluster': 'edge-01' });
    expect(tpl.spec.template.spec.hostSelector.matchLabels).toEqual(host.metadata.labels);
    expect(tpl.spec.template.spec.dataTemplate.name).toBe('edge-01-controlplane-template');
    expect(tpl.spec.template.spec.image).toEqual({
      url: 'http://imagecache.local:8080/eibimage-output-telco.raw',
      checksum: 'http://imagecache.local:8080/eibimage-output-telco.raw.sha256',
      checksumType: 'sha256',
      format: 'raw',
    });
  });

  test('names machine metadata from the Machine', () => {
    const dt = synth(props()).get('Metal3DataTemplate', 'edge-01-controlplane-template');
    expect(dt.spec).toEqual({
      clusterName: 'edge-01',
      metaData: {
        objectNames: [
          { key: 'name', object: 'machine' },
          { key: 'local-hostname', object: 'machine' },
          { key: 'local_hostname', object: 'machine' },
        ],
      },
    });
  });

  test('accepts dual stack with the same family order', () => {
    const cluster = synth(
      props({
        podCidrs: ['192.168.0.0/18', 'fd00:bad:cafe::/48'],
        serviceCidrs: ['10.96.0.0/12', 'fd00:bad:bad:cafe::/112'],
      }),
    ).get('Cluster', 'edge-01');
    expect(cluster.spec.clusterNetwork.pods.cidrBlocks).toEqual(['192.168.0.0/18', 'fd00:bad:cafe::/48']);
  });

  test('writes static networking into a Secret the host names', () => {
    const networkData = NetworkData.nmstate({
      interfaces: [
        { type: 'ethernet', name: 'eth0', macAddress: '00:0c:29:3e:3e:3e', ipv4: { addresses: ['192.168.200.80/24'] } },
      ],
      routes: [{ destination: '0.0.0.0/0', nextHopAddress: '192.168.200.1', nextHopInterface: 'eth0' }],
    });
    const m = synth(props({ host: { ...props().host, networkData } }));
    expect(m.get('BareMetalHost', 'node1').spec.preprovisioningNetworkDataName).toBe('node1-networkdata');
    expect(m.get('Secret', 'node1-networkdata').stringData.networkData).toContain('192.168.200.80');
  });

  test('synthesizes byte-identical output twice', () => {
    const yaml = () => {
      const { app, chart } = testChart();
      new SingleNodeCluster(chart, 'Cluster', props({ cni: { multus: true } }));
      return app.synthYaml();
    };
    expect(yaml()).toBe(yaml());
  });

  test('fails when the cluster name is not a DNS-1123 label', () => {
    expect(() => build(props({ clusterName: 'Edge_01' }))).toThrow(
      /\[test\/Cluster\] 'clusterName' is not a DNS-1123 label \(got "Edge_01"\)/,
    );
  });

  test('fails when the RKE2 version is malformed', () => {
    expect(() => build(props({ rke2Version: '1.32.4' }))).toThrow(/'rke2Version'/);
  });

  test('fails when the image is not an OsImage', () => {
    expect(() => build(props({ image: 'http://x/y.raw' as unknown as OsImage }))).toThrow(/'image' is not an OsImage/);
  });

  test('fails when the endpoint is inside the pod CIDR', () => {
    expect(() => build(props({ controlPlaneEndpoint: '192.168.1.5' }))).toThrow(
      /'controlPlaneEndpoint' is inside the cluster CIDR 192.168.0.0\/18 \(got "192.168.1.5"\)/,
    );
  });

  test('fails when the endpoint is inside the service CIDR', () => {
    expect(() => build(props({ controlPlaneEndpoint: '10.96.0.10' }))).toThrow(
      /'controlPlaneEndpoint' is inside the cluster CIDR 10.96.0.0\/12/,
    );
  });

  test('fails when pod and service CIDRs overlap', () => {
    expect(() => build(props({ podCidrs: ['10.0.0.0/8'], serviceCidrs: ['10.96.0.0/12'] }))).toThrow(
      /'serviceCidrs' 10.96.0.0\/12 overlaps the pod CIDR 10.0.0.0\/8/,
    );
  });

  test('fails when dual-stack lists differ in family order', () => {
    expect(() =>
      build(
        props({
          podCidrs: ['192.168.0.0/18', 'fd00:bad:cafe::/48'],
          serviceCidrs: ['fd00:bad:bad:cafe::/112', '10.96.0.0/12'],
        }),
      ),
    ).toThrow(/'serviceCidrs' lists ipv6 where podCidrs lists ipv4 at position 0/);
  });

  test('fails when a dual-stack list holds two blocks of one family', () => {
    expect(() => build(props({ podCidrs: ['192.168.0.0/18', '172.16.0.0/16'] }))).toThrow(
      /'podCidrs' holds two blocks of the same family/,
    );
  });

  test('fails when the lists have different lengths', () => {
    expect(() => build(props({ podCidrs: ['192.168.0.0/18', 'fd00:bad:cafe::/48'] }))).toThrow(
      /'serviceCidrs' has 1 block\(s\) while podCidrs has 2/,
    );
  });

  test('fails when the endpoint is not of the primary family', () => {
    expect(() =>
      build(
        props({
          podCidrs: ['fd00:bad:cafe::/48', '192.168.0.0/18'],
          serviceCidrs: ['fd00:bad:bad:cafe::/112', '10.96.0.0/12'],
        }),
      ),
    ).toThrow(/'controlPlaneEndpoint' is ipv4 but the primary cluster family is ipv6/);
  });

  test('fails when the endpoint is neither an address nor a name', () => {
    expect(() => build(props({ controlPlaneEndpoint: 'https://api' }))).toThrow(
      /'controlPlaneEndpoint' is neither an IP address nor a DNS name/,
    );
  });

  test('fails when maxSurge is 1 on one node', () => {
    expect(() => build(props({ maxSurge: 1 }))).toThrow(/'maxSurge' must be 0 for a single node \(got 1\)/);
  });

  test('fails when the endpoint is not an address of a statically addressed host', () => {
    const networkData = NetworkData.nmstate({
      interfaces: [
        { type: 'ethernet', name: 'eth0', macAddress: '00:0c:29:3e:3e:3e', ipv4: { addresses: ['192.168.200.81/24'] } },
      ],
    });
    expect(() => build(props({ host: { ...props().host, networkData } }))).toThrow(
      /'controlPlaneEndpoint' is not an address of the host \(got "192.168.200.80"\); a single node serves the API itself: use one of 192.168.200.81/,
    );
  });

  test('maxSurge 0 is accepted and its refusal says why; the endpoint may be any of the host addresses, or a name', () => {
    expect(() => build(props({ maxSurge: 0 }))).not.toThrow();
    expect(() => build(props({ maxSurge: 1 }))).toThrow(
      "[test/Cluster] 'maxSurge' must be 0 for a single node (got 1); a rollout cannot add a second machine without a second host; use 0",
    );
    const networkData = NetworkData.nmstate({
      interfaces: [
        {
          type: 'ethernet',
          name: 'eth0',
          macAddress: '00:0c:29:3e:3e:3e',
          ipv4: { addresses: ['192.168.200.81/24', '192.168.200.80/24'] },
        },
      ],
    });
    const host = { ...props().host, networkData };
    expect(() => build(props({ host }))).not.toThrow();
    expect(() => build(props({ host, controlPlaneEndpoint: 'api.edge-01.example.com' }))).not.toThrow();
    expect(() => build(props({ host, controlPlaneEndpoint: '192.168.200.82' }))).toThrow(
      /; a single node serves the API itself: use one of 192\.168\.200\.81, 192\.168\.200\.80$/,
    );
  });

  test('fails when a static host address is inside a cluster CIDR', () => {
    const networkData = NetworkData.nmstate({
      interfaces: [
        { type: 'ethernet', name: 'eth0', macAddress: '00:0c:29:3e:3e:3e', ipv4: { addresses: ['192.168.1.10/24'] } },
      ],
    });
    expect(() => build(props({ host: { ...props().host, networkData } }))).toThrow(
      /'host.networkData' address 192.168.1.10 is inside the cluster CIDR/,
    );
  });

  test('fails when host labels are invalid', () => {
    expect(() => build(props({ hostLabels: { 'cluster role': 'x' } }))).toThrow(
      /'hostLabels.cluster role' is not a valid key/,
    );
  });

  test('fails when props are missing', () => {
    expect(() => build(undefined as unknown as SingleNodeClusterProps)).toThrow(/'props' must be an object/);
  });
});

describe('SingleNodeCluster with a telco profile', () => {
  const sriov = [{ resourceName: 'du1', interface: 'eth0', driver: 'vfio-pci' as const, numVfs: 8 }];

  test('carries the derived kernel arguments, units, SR-IOV charts and vfio-pci preload', () => {
    const cp = synth(props({ telco: TelcoProfile.suseEdgePreset({ sriov }) })).get('RKE2ControlPlane', 'edge-01');
    expect(cp.spec.preRKE2Commands).toEqual(['modprobe vfio-pci enable_sriov=1 disable_idle_d3=1']);
    expect(cp.spec.serverConfig).toMatchObject({ cni: 'calico', cniMultusEnable: true });
    const butane = parse(cp.spec.agentConfig.additionalUserData.config);
    expect(butane.kernel_arguments.should_exist).toContain('isolcpus=domain,nohz,managed_irq,1-30,33-62');
    expect(butane.systemd.units.map((u: { name: string }) => u.name)).toEqual(
      expect.arrayContaining(['rke2-preinstall.service', 'cpu-partitioning.service', 'sriov-custom-auto-vfs.service']),
    );
    expect(butane.storage.files.map((f: { path: string }) => f.path)).toEqual(
      expect.arrayContaining(['/var/lib/rancher/rke2/server/manifests/configmap-sriov-custom-auto.yaml']),
    );
  });

  test('keeps a CNI choice that has Multus', () => {
    const cp = synth(
      props({ telco: TelcoProfile.suseEdgePreset({ sriov }), cni: { plugin: 'cilium', multus: true } }),
    ).get('RKE2ControlPlane', 'edge-01');
    expect(cp.spec.serverConfig).toMatchObject({ cni: 'cilium', cniMultusEnable: true });
  });

  test('fails when SR-IOV is asked for with a CNI without Multus', () => {
    expect(() => build(props({ telco: TelcoProfile.suseEdgePreset({ sriov }), cni: { plugin: 'cilium' } }))).toThrow(
      /'cni' has no Multus, which SR-IOV networks need/,
    );
  });

  test('fails when telco is not a TelcoProfile', () => {
    expect(() => build(props({ telco: { isolatedCpus: '1-3' } as never }))).toThrow(/'telco' is not a TelcoProfile/);
  });
});

describe('SingleNodeCluster behind a registry mirror', () => {
  const mirror = (chart: any) =>
    new AirgapRegistryMirror(chart, 'Mirror', {
      registry: 'registry.example.com:5000',
      ca: RegistryCa.fromPem(REGISTRY_CA),
      mirrors: [{ source: 'docker.io' }],
    });

  test('takes privateRegistriesConfig from the mirror', () => {
    const { chart } = testChart();
    new SingleNodeCluster(chart, 'Cluster', props({ registryMirror: mirror(chart) }));
    const cp = Manifest.of(chart).get('RKE2ControlPlane', 'edge-01');
    expect(cp.spec.privateRegistriesConfig.mirrors['docker.io'].endpoint).toEqual([
      'https://registry.example.com:5000',
    ]);
    expect(cp.spec.agentConfig).not.toHaveProperty('airGapped');
  });

  test('fails when air gap has no mirror', () => {
    expect(() => build(props({ airGapped: true }))).toThrow(/'airGapped' needs a registry mirror/);
  });

  test('fails when a chart pull secret is given without air gap', () => {
    const { chart } = testChart();
    expect(
      () =>
        new SingleNodeCluster(
          chart,
          'Cluster',
          props({ registryMirror: mirror(chart), chartPullSecret: { secret: SecretRef.fromName('p') } }),
        ),
    ).toThrow(/'chartPullSecret' only applies to air-gapped clusters/);
  });

  test('fails when the chart pull secret is not a SecretRef', () => {
    const { chart } = testChart();
    expect(
      () =>
        new SingleNodeCluster(
          chart,
          'Cluster',
          props({ registryMirror: mirror(chart), airGapped: true, chartPullSecret: { secret: 'p' as never } }),
        ),
    ).toThrow(/'chartPullSecret.secret' is not a SecretRef/);
  });

  test('fails when registryMirror is not an AirgapRegistryMirror', () => {
    expect(() => build(props({ registryMirror: { registry: 'x' } as never }))).toThrow(
      /'registryMirror' is not an AirgapRegistryMirror/,
    );
  });
});

describe('SingleNodeCluster properties', () => {
  test('random props give valid output or the library error, never a TypeError', () => {
    checkConstruct(
      fc.record({
        clusterName: mostly(label),
        rke2Version,
        host,
        image,
        controlPlaneEndpoint: mostly(fc.oneof({ weight: 8, arbitrary: ipv4 }, ipv6, fc.constant('api.example.com'))),
        networks: clusterNetworks,
        endpointOnHost: fc.boolean(),
        cni: fc.option(
          fc.record({ plugin: fc.constantFrom('cilium', 'calico', 'none', 'flannel'), multus: fc.boolean() }),
          { nil: undefined },
        ),
        maxSurge: fc.oneof(
          { weight: 8, arbitrary: fc.constant(undefined) },
          fc.constant(0),
          fc.integer({ min: -1, max: 2 }),
        ),
      }),
      ({ endpointOnHost, networks, ...p }) => {
        const { app, chart } = testChart();
        const own = p.host?.networkData?.addresses?.[0];
        const endpoint = endpointOnHost && own ? own.toString() : p.controlPlaneEndpoint;
        new SingleNodeCluster(chart, 'Cluster', { ...p, ...networks, controlPlaneEndpoint: endpoint } as any);
        return app.synthYaml();
      },
    );
  });
});

describe('SingleNodeCluster without a host', () => {
  test('a missing host is refused by the library, not with a TypeError', () => {
    expect(() => build(props({ host: undefined as never }))).toThrow(
      `[test/Cluster/Host] 'host.name' must be a string (got undefined)`,
    );
  });
});
