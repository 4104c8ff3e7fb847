import { App } from 'cdk8s';
import * as fc from 'fast-check';
import { parse } from 'yaml';
import { HaClusterWithMetalLB, HaClusterWithMetalLBProps } from '../../lib/clusters/ha-cluster-with-metallb';
import { SecretRef } from '../../lib/core/secret-ref';
import { HostSpec } from '../../lib/metal3/bare-metal-host';
import { Bmc } from '../../lib/metal3/bmc';
import { NetworkData } from '../../lib/metal3/network-data';
import { OsImage } from '../../lib/metal3/os-image';
import { AirgapRegistryMirror } from '../../lib/registry/airgap-registry-mirror';
import { RegistryCa } from '../../lib/registry/registry-ca';
import { REGISTRY_CA } from '../../examples/shared/test-registry-ca';
import {
  checkConstruct,
  clusterNetworks,
  hostArb,
  image,
  ipv4,
  ipv6,
  label,
  mostly,
  rke2Version,
} from '../arbitraries';
import { K8sObject, Manifest, testChart } from '../util';

function host(n: number, address?: string): HostSpec {
  const mac = `00:f3:65:8a:a3:${(0xb0 + n).toString(16)}`;
  return {
    name: `node${n}`,
    bootMACAddress: mac,
    bmc: Bmc.redfishVirtualMedia(`192.168.200.${70 + n}`, '1', SecretRef.fromName(`node${n}-bmc`)),
    ...(address
      ? {
          networkData: NetworkData.nmstate({
            interfaces: [{ type: 'ethernet', name: 'eth0', macAddress: mac, ipv4: { addresses: [address] } }],
            routes: [{ destination: '0.0.0.0/0', nextHopAddress: '192.168.122.1', nextHopInterface: 'eth0' }],
          }),
        }
      : {}),
  };
}

function props(overrides: Partial<HaClusterWithMetalLBProps> = {}): HaClusterWithMetalLBProps {
  return {
    clusterName: 'c1',
    rke2Version: 'v1.32.4+rke2r1',
    vip: '192.168.122.100',
    controlPlaneHosts: [host(1), host(2), host(3)],
    image: OsImage.fromUrl('http://imagecache.local:8080/eibimage-output-telco.raw'),
    ...overrides,
  };
}

function make(p: HaClusterWithMetalLBProps) {
  const { chart } = testChart();
  const cluster = new HaClusterWithMetalLB(chart, 'Cluster', p);
  return { chart, cluster };
}

function files(cp: K8sObject): Map<string, unknown[]> {
  const butane = parse(cp.spec.agentConfig.additionalUserData.config);
  return new Map(
    butane.storage.files
      .filter((f: { path: string }) => f.path.endsWith('.yaml'))
      .map((f: { path: string; contents: { inline: string } }) => [
        f.path,
        f.contents.inline.split(/^---$/m).map((d: string) => parse(d)),
      ]),
  );
}

describe('HaClusterWithMetalLB', () => {
  test('defines one BareMetalHost per control-plane host, all selected by the template', () => {
    const m = Manifest.of(make(props()).chart);
    const hosts = m.all('BareMetalHost');
    expect(hosts.map((h) => h.metadata.name)).toEqual(['node1', 'node2', 'node3']);
    const selector = m.get('Metal3MachineTemplate', 'c1-controlplane').spec.template.spec.hostSelector.matchLabels;
    for (const h of hosts) expect(h.metadata.labels).toEqual(selector);
  });

  test('puts the API endpoint on the VIP and registers nodes through it', () => {
    const m = Manifest.of(make(props({ sslipName: true, apiServerNames: ['api.c1.example.com'] })).chart);
    expect(m.get('Metal3Cluster', 'c1').spec.controlPlaneEndpoint).toEqual({ host: '192.168.122.100', port: 6443 });
    expect(m.get('RKE2ControlPlane', 'c1').spec).toMatchObject({
      replicas: 3,
      registrationMethod: 'control-plane-endpoint',
      registrationAddress: '192.168.122.100',
      rolloutStrategy: { rollingUpdate: { maxSurge: 0 } },
      serverConfig: { tlsSan: ['192.168.122.100', 'api.c1.example.com', '192.168.122.100.sslip.io'] },
    });
  });

  test('allows maxSurge 1', () => {
    const m = Manifest.of(make(props({ maxSurge: 1 })).chart);
    expect(m.get('RKE2ControlPlane', 'c1').spec.rolloutStrategy.rollingUpdate.maxSurge).toBe(1);
  });

  test('embeds MetalLB, endpoint-copier, the VIP pool, its advertisement and the kubernetes-vip Service', () => {
    const f = files(Manifest.of(make(props()).chart).get('RKE2ControlPlane', 'c1'));
    const dir = '/var/lib/rancher/rke2/server/manifests';
    expect(f.get(`${dir}/metallb.yaml`)).toEqual([
      expect.objectContaining({
        kind: 'HelmChart',
        spec: {
          chart: 'oci://registry.suse.com/edge/charts/metallb',
          version: '303.0.0+up0.14.9',
          targetNamespace: 'metallb-system',
          createNamespace: true,
        },
      }),
    ]);
    expect(f.get(`${dir}/endpoint-copier-operator.yaml`)).toEqual([
      expect.objectContaining({
        spec: expect.objectContaining({
          chart: 'oci://registry.suse.com/edge/charts/endpoint-copier-operator',
          version: '303.0.0+up0.2.1',
        }),
      }),
    ]);
    const [pool, adv] = f.get(`${dir}/metallb-cr.yaml`) as [any, any];
    expect(pool).toMatchObject({
      apiVersion: 'metallb.io/v1beta1',
      kind: 'IPAddressPool',
      spec: {
        addresses: ['192.168.122.100/32'],
        serviceAllocation: {
          priority: 100,
          namespaces: ['default'],
          serviceSelectors: [
            { matchExpressions: [{ key: 'serviceType', operator: 'In', values: ['kubernetes-vip'] }] },
          ],
        },
      },
    });
    expect(adv).toMatchObject({ kind: 'L2Advertisement', spec: { ipAddressPools: [pool.metadata.name] } });
    expect(f.get(`${dir}/endpoint-svc.yaml`)).toEqual([
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'kubernetes-vip', namespace: 'default', labels: { serviceType: 'kubernetes-vip' } },
        spec: {
          type: 'LoadBalancer',
          ports: [
            { name: 'rke2-api', port: 9345, protocol: 'TCP', targetPort: 9345 },
            { name: 'k8s-api', port: 6443, protocol: 'TCP', targetPort: 6443 },
          ],
        },
      },
    ]);
  });

  test('takes chart sources and versions from props', () => {
    const f = files(
      Manifest.of(
        make(props({ metalLBChart: { chart: 'oci://registry.example.com/charts/metallb', version: '0.15.2' } })).chart,
      ).get('RKE2ControlPlane', 'c1'),
    );
    expect(f.get('/var/lib/rancher/rke2/server/manifests/metallb.yaml')).toEqual([
      expect.objectContaining({
        spec: expect.objectContaining({ chart: 'oci://registry.example.com/charts/metallb', version: '0.15.2' }),
      }),
    ]);
  });

  describe('addWorkerPool', () => {
    test('adds a MachineDeployment whose references resolve and whose selector matches its hosts', () => {
      const { chart, cluster } = make(props());
      const pool = cluster.addWorkerPool('workers', { hosts: [host(4), host(5)], replicas: 2 });
      const m = Manifest.of(chart);
      const md = m.get('MachineDeployment', 'c1-workers');
      expect(md.spec).toMatchObject({
        clusterName: 'c1',
        replicas: 2,
        selector: { matchLabels: { 'cluster.x-k8s.io/cluster-name': 'c1', 'cdk8s-baremetal/pool': 'workers' } },
        template: {
          metadata: { labels: { 'cluster.x-k8s.io/cluster-name': 'c1', 'cdk8s-baremetal/pool': 'workers' } },
          spec: {
            clusterName: 'c1',
            version: 'v1.32.4+rke2r1',
            bootstrap: {
              configRef: {
                apiVersion: 'bootstrap.cluster.x-k8s.io/v1beta1',
                kind: 'RKE2ConfigTemplate',
                name: 'c1-workers',
              },
            },
            infrastructureRef: {
              apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1',
              kind: 'Metal3MachineTemplate',
              name: 'c1-workers',
            },
          },
        },
      });
      const tpl = m.get('Metal3MachineTemplate', 'c1-workers').spec.template.spec;
      const workers = m.all('BareMetalHost').filter((h) => h.metadata.labels['cdk8s-baremetal/pool'] === 'workers');
      expect(workers.map((h) => h.metadata.name)).toEqual(['node4', 'node5']);
      for (const h of workers) expect(h.metadata.labels).toEqual(tpl.hostSelector.matchLabels);
      expect(tpl.hostSelector.matchLabels['cluster-role']).toBe('worker');
      const cfg = m.get('RKE2ConfigTemplate', 'c1-workers').spec.template.spec.agentConfig;
      expect(cfg).toMatchObject({
        format: 'ignition',
        kubelet: { extraArgs: ['provider-id=metal3://BAREMETALHOST_UUID'] },
      });
      expect(cfg.additionalUserData.config).toContain('rke2-preinstall.service');
      expect(pool.hosts).toHaveLength(2);
    });

    test('the control-plane selector does not match worker hosts', () => {
      const { chart, cluster } = make(props());
      cluster.addWorkerPool('workers', { hosts: [host(4)] });
      const m = Manifest.of(chart);
      const selector = m.get('Metal3MachineTemplate', 'c1-controlplane').spec.template.spec.hostSelector.matchLabels;
      const matching = m
        .all('BareMetalHost')
        .filter((h) => Object.entries(selector).every(([k, v]) => h.metadata.labels[k] === v));
      expect(matching.map((h) => h.metadata.name)).toEqual(['node1', 'node2', 'node3']);
    });

    test('fails when a pool asks for more machines than hosts', () => {
      const { cluster } = make(props());
      expect(() => cluster.addWorkerPool('workers', { hosts: [host(4)], replicas: 2 })).toThrow(
        /'replicas' asks for 2 machines but the pool has 1 host\(s\)/,
      );
    });

    test('fails when a pool name is taken or invalid', () => {
      const { cluster } = make(props());
      cluster.addWorkerPool('workers', { hosts: [host(4)] });
      expect(() => cluster.addWorkerPool('workers', { hosts: [host(5)] })).toThrow(
        /'addWorkerPool' adds a pool whose name is taken/,
      );
      expect(() => cluster.addWorkerPool('Big_Pool', { hosts: [host(6)] })).toThrow(/'name' is not a DNS-1123 label/);
    });

    test('fails when maxSurge 1 has no spare host', () => {
      const { cluster } = make(props());
      expect(() => cluster.addWorkerPool('workers', { hosts: [host(4)], maxSurge: 1 })).toThrow(
        /'maxSurge' needs a spare host/,
      );
    });
  });

  test('air-gapped: MetalLB and endpoint-copier come from the mirror, workers pull through it too', () => {
    const { chart } = testChart();
    const registryMirror = new AirgapRegistryMirror(chart, 'Mirror', {
      registry: 'registry.example.com:5000',
      ca: RegistryCa.fromPem(REGISTRY_CA),
      mirrors: [{ source: 'registry.suse.com/edge' }],
    });
    const cluster = new HaClusterWithMetalLB(chart, 'Cluster', props({ registryMirror, airGapped: true }));
    cluster.addWorkerPool('workers', { hosts: [host(4)] });
    const m = Manifest.of(chart);
    const f = files(m.get('RKE2ControlPlane', 'c1'));
    expect((f.get('/var/lib/rancher/rke2/server/manifests/metallb.yaml') as any[])[0].spec.chart).toBe(
      'oci://registry.example.com:5000/edge/charts/metallb',
    );
    const worker = m.get('RKE2ConfigTemplate', 'c1-workers').spec.template.spec;
    expect(worker.agentConfig.airGapped).toBe(true);
    expect(Object.keys(worker.privateRegistriesConfig.mirrors)).toEqual(['registry.suse.com']);
  });

  test('fails when the control plane has an even number of hosts', () => {
    expect(() => make(props({ controlPlaneHosts: [host(1), host(2), host(3), host(4)] }))).toThrow(
      /'controlPlaneHosts' holds 4 host\(s\); etcd needs an odd number, at least 3/,
    );
  });

  test('fails when the control plane has fewer than three hosts', () => {
    expect(() => make(props({ controlPlaneHosts: [host(1)] }))).toThrow(/use SingleNodeCluster for one/);
  });

  test('fails when the VIP is IPv6, saying upstream does not support it', () => {
    expect(() => make(props({ vip: 'fd00::100' }))).toThrow(
      /'vip' is IPv6, but multi-node IPv6-only and dual-stack clusters are not supported upstream yet/,
    );
  });

  test('fails when dual stack is asked for', () => {
    expect(() =>
      make(props({ podCidrs: ['192.168.0.0/18', 'fd00:bad:cafe::/48'], serviceCidrs: ['10.96.0.0/12', 'fd00::/112'] })),
    ).toThrow(/'podCidrs' asks for dual stack/);
  });

  test('fails when only the service CIDRs ask for dual stack, naming them', () => {
    expect(() => make(props({ serviceCidrs: ['10.96.0.0/12', 'fd00::/112'] }))).toThrow(
      `[test/Cluster] 'serviceCidrs' asks for dual stack, which multi-node RKE2 clusters on Metal3 do not support upstream yet (got ["10.96.0.0/12","fd00::/112"]); give one IPv4 pod and one IPv4 service CIDR`,
    );
  });

  test('fails when the one pod or service CIDR is IPv6, naming it rather than the VIP', () => {
    // GIVEN an IPv4 VIP (the API endpoint) and an IPv6 cluster network
    // THEN the network is refused as IPv6 (the VIP is right: only IPv4 is supported)
    expect(() => make(props({ podCidrs: ['fd00:10::/56'], serviceCidrs: ['fd00:20::/112'] }))).toThrow(
      `[test/Cluster] 'podCidrs' is IPv6, which multi-node clusters do not support upstream yet (got ["fd00:10::/56"]); use IPv4 cluster networks`,
    );
    expect(() => make(props({ serviceCidrs: ['fd00:20::/112'] }))).toThrow(
      `[test/Cluster] 'serviceCidrs' is IPv6, which multi-node clusters do not support upstream yet (got ["fd00:20::/112"]); use IPv4 cluster networks`,
    );
    // AND one IPv4 block each is accepted
    const m = Manifest.of(make(props({ podCidrs: ['10.42.0.0/16'], serviceCidrs: ['10.43.0.0/16'] })).chart);
    expect(m.get('Cluster', 'c1').spec.clusterNetwork).toMatchObject({
      pods: { cidrBlocks: ['10.42.0.0/16'] },
      services: { cidrBlocks: ['10.43.0.0/16'] },
    });
    // AND an empty list is refused as one, not as a missing first block
    expect(() => make(props({ podCidrs: [] }))).toThrow(
      `[test/Cluster] 'podCidrs' must hold one CIDR (single stack) or two (dual stack) (got []); give one IPv4 or IPv6 block, or one of each`,
    );
    // AND a block that is no CIDR is refused at its index
    expect(() => make(props({ podCidrs: ['10.42.0.0/33'] }))).toThrow(/\[test\/Cluster\] 'podCidrs\[0\]' /);
  });

  test('the control plane takes 3 or 5 hosts; 4 and 1 are refused with the right hint', () => {
    const five = [host(1), host(2), host(3), host(4), host(5)];
    expect(
      Manifest.of(make(props({ controlPlaneHosts: five })).chart).get('RKE2ControlPlane', 'c1').spec.replicas,
    ).toBe(5);
    expect(() => make(props({ controlPlaneHosts: [host(1), host(2), host(3), host(4)] }))).toThrow(
      `[test/Cluster] 'controlPlaneHosts' holds 4 host(s); etcd needs an odd number, at least 3 (got ["node1","node2","node3","node4"]); add or remove one host`,
    );
    expect(() => make(props({ controlPlaneHosts: [host(1)] }))).toThrow(
      `[test/Cluster] 'controlPlaneHosts' holds 1 host(s); etcd needs an odd number, at least 3 (got ["node1"]); add hosts up to three, or use SingleNodeCluster for one`,
    );
    expect(() => make(props({ controlPlaneHosts: [host(1), host(2)] }))).toThrow(/add hosts up to three/);
    expect(() => make(props({ controlPlaneHosts: 'x' as never }))).toThrow(
      `[test/Cluster] 'controlPlaneHosts' must be a list (got "x"); pass three or more control-plane hosts`,
    );
  });

  test('refusals of the VIP, maxSurge and the names say what to do', () => {
    expect(() => make(props({ vip: 'fd00::100' }))).toThrow(
      `[test/Cluster] 'vip' is IPv6, but multi-node IPv6-only and dual-stack clusters are not supported upstream yet (got "fd00::100"); use an IPv4 VIP`,
    );
    expect(() => make(props({ maxSurge: -1 }))).toThrow(
      `[test/Cluster] 'maxSurge' must be 0 or 1 (got -1); use 0 (replace in place) or 1 (spare host first)`,
    );
    expect(() => make(props({ apiServerNames: ['https://api.example.com:6443/x'] }))).toThrow(
      `[test/Cluster] 'apiServerNames[0]' is a URL, which is not a valid certificate name (got "https://api.example.com:6443/x"); give the host name only, such as api.example.com`,
    );
    expect(() => make(props({ apiServerNames: ['API Server'] }))).toThrow(
      `[test/Cluster] 'apiServerNames[0]' is neither a host name nor an IP address (got "API Server"); give a lower-case DNS name or an address`,
    );
    expect(() => make(props({ apiServerNames: ['ok.example.com', 7 as never] }))).toThrow(
      /\[test\/Cluster\] 'apiServerNames\[1\]' must be a string/,
    );
    expect(() => make(props({ apiServerNames: '192.168.122.5' as never }))).toThrow(/'apiServerNames' must be a list/);
    expect(() => make(props({ sslipName: 'yes' as never }))).toThrow(/'sslipName' must be true or false/);
    expect(() => make(props({ apiServerNames: ['192.168.122.100.sslip.io'], sslipName: true }))).toThrow(
      `[test/Cluster] 'apiServerNames' lists a name twice (the VIP is always included) (got "192.168.122.100.sslip.io"); remove the duplicate`,
    );
  });

  test('certificate names: addresses in canonical form, after the VIP, the sslip.io name last, none by default', () => {
    const tlsSan = (p: Partial<HaClusterWithMetalLBProps>) =>
      Manifest.of(make(props(p)).chart).get('RKE2ControlPlane', 'c1').spec.serverConfig.tlsSan;
    expect(tlsSan({})).toEqual(['192.168.122.100']);
    expect(tlsSan({ sslipName: false })).toEqual(['192.168.122.100']);
    expect(tlsSan({ apiServerNames: ['FD00::0:1', 'api.example.com'], sslipName: true })).toEqual([
      '192.168.122.100',
      'fd00::1',
      'api.example.com',
      '192.168.122.100.sslip.io',
    ]);
  });

  test('the VIP may not be the network address of the machine network; with no machine network it is not placed', () => {
    expect(() => make(props({ vip: '192.168.122.0', machineNetwork: '192.168.122.0/24' }))).toThrow(
      `[test/Cluster] 'vip' is the network address of 192.168.122.0/24 (got "192.168.122.0"); pick a host address inside the subnet`,
    );
    expect(() => make(props({ vip: '192.168.122.254', machineNetwork: '192.168.122.0/24' }))).not.toThrow();
    expect(() => make(props({ vip: '192.168.122.1', machineNetwork: '192.168.122.0/24' }))).not.toThrow();
    expect(() => make(props({ vip: '172.16.5.5' }))).not.toThrow();
    expect(() => make(props({ machineNetwork: 'x' }))).toThrow(
      /\[test\/Cluster\] 'machineNetwork' has no prefix length/,
    );
  });

  test('a statically addressed host with an IPv6 subnet too: the VIP is placed in its IPv4 subnet; others do not count', () => {
    const mac = '00:f3:65:8a:a3:b1';
    const dual: HostSpec = {
      ...host(1),
      networkData: NetworkData.nmstate({
        interfaces: [
          {
            type: 'ethernet',
            name: 'eth0',
            macAddress: mac,
            ipv4: { addresses: ['192.168.122.11/24'] },
            ipv6: { addresses: ['fd00::11/64'] },
          },
        ],
        routes: [{ destination: '0.0.0.0/0', nextHopAddress: '192.168.122.1', nextHopInterface: 'eth0' }],
      }),
    };
    expect(() => make(props({ controlPlaneHosts: [dual, host(2), host(3)] }))).not.toThrow();
    expect(() => make(props({ controlPlaneHosts: [dual, host(2), host(3)], vip: '10.9.0.1' }))).toThrow(
      `[test/Cluster] 'vip' is outside the machine network 192.168.122.0/24 (got "10.9.0.1"); pick a free address in the subnet of the control-plane hosts, so MetalLB can announce it over L2`,
    );
    expect(() => make(props({ controlPlaneHosts: [dual, host(2), host(3)], vip: '192.168.122.11' }))).toThrow(
      `[test/Cluster] 'vip' is the address of host node1 (got "192.168.122.11"); reserve an address no host uses`,
    );
    expect(() => make(props({ controlPlaneHosts: [dual, host(2), host(3)], vip: '192.168.122.1' }))).toThrow(
      `[test/Cluster] 'vip' is the gateway of host node1 (got "192.168.122.1"); reserve an address that is not the router`,
    );
  });

  test("the VIP is outside the machine network, and the explicit machine network wins over the hosts' subnets", () => {
    const hosts = [host(1, '192.168.122.11/24'), host(2, '192.168.122.12/24'), host(3, '192.168.122.13/24')];
    expect(() =>
      make(props({ controlPlaneHosts: hosts, vip: '192.168.123.100', machineNetwork: '192.168.122.0/23' })),
    ).not.toThrow();
  });

  test('the cluster exposes what it defined', () => {
    const { cluster } = make(props({ sslipName: true }));
    expect(cluster.clusterName).toBe('c1');
    expect(cluster.vip.toString()).toBe('192.168.122.100');
    expect(cluster.controlPlaneHosts).toHaveLength(3);
    expect(cluster.network.endpointHost).toBe('192.168.122.100');
    expect(cluster.controlPlane.node.id).toBe('ControlPlane');
    expect(cluster.cluster.node.id).toBe('Cluster');
    expect(cluster.metal3Cluster.node.id).toBe('Metal3Cluster');
    expect(cluster.machineTemplate.node.id).toBe('ControlPlaneTemplate');
    expect(cluster.userData.embeddedManifests().length).toBeGreaterThan(0);
  });

  test('fails when the VIP is outside the machine network', () => {
    expect(() => make(props({ machineNetwork: '10.0.0.0/24' }))).toThrow(
      /'vip' is outside the machine network 10.0.0.0\/24/,
    );
  });

  test('fails when the VIP is outside the hosts subnets (derived machine network), naming a shared subnet once', () => {
    const hosts = [host(1, '192.168.122.11/24'), host(2, '192.168.122.12/24'), host(3, '192.168.122.13/24')];
    expect(() => make(props({ controlPlaneHosts: hosts, vip: '192.168.123.100' }))).toThrow(
      /'vip' is outside the machine network 192\.168\.122\.0\/24 \(got "192\.168\.123\.100"\)/,
    );
  });

  test('fails when the VIP is a host address', () => {
    const hosts = [host(1, '192.168.122.11/24'), host(2, '192.168.122.12/24'), host(3, '192.168.122.13/24')];
    expect(() => make(props({ controlPlaneHosts: hosts, vip: '192.168.122.12' }))).toThrow(
      /'vip' is the address of host node2/,
    );
  });

  test('fails when the VIP is the gateway', () => {
    const hosts = [host(1, '192.168.122.11/24'), host(2, '192.168.122.12/24'), host(3, '192.168.122.13/24')];
    expect(() => make(props({ controlPlaneHosts: hosts, vip: '192.168.122.1' }))).toThrow(
      /'vip' is the gateway of host node1/,
    );
  });

  test('fails when the VIP is the broadcast address of the machine network', () => {
    expect(() => make(props({ vip: '192.168.122.255', machineNetwork: '192.168.122.0/24' }))).toThrow(
      /'vip' is the broadcast address of 192.168.122.0\/24/,
    );
  });

  test('fails when the VIP is inside the pod CIDR', () => {
    expect(() => make(props({ vip: '192.168.1.100' }))).toThrow(
      /'controlPlaneEndpoint' is inside the cluster CIDR 192.168.0.0\/18/,
    );
  });

  test('fails when an API name is a URL, suggesting the host name', () => {
    expect(() => make(props({ apiServerNames: ['https://192.168.122.100.sslip.io'] }))).toThrow(
      /'apiServerNames\[0\]' is a URL, which is not a valid certificate name \(got "https:\/\/192.168.122.100.sslip.io"\); give the host name only, such as 192.168.122.100.sslip.io/,
    );
  });

  test('fails when an API name is neither name nor address, or repeats the VIP', () => {
    expect(() => make(props({ apiServerNames: ['API Server'] }))).toThrow(
      /'apiServerNames\[0\]' is neither a host name nor an IP address/,
    );
    expect(() => make(props({ apiServerNames: ['192.168.122.100'] }))).toThrow(/'apiServerNames' lists a name twice/);
  });

  test('fails when maxSurge is not 0 or 1', () => {
    expect(() => make(props({ maxSurge: 2 }))).toThrow(/'maxSurge' must be 0 or 1/);
  });

  test('fails when a chart source is malformed', () => {
    expect(() => make(props({ metalLBChart: { chart: 'metallb', version: '1' } }))).toThrow(
      /'metalLBChart.chart' is neither an oci:\/\/ or http\(s\):\/\/ reference/,
    );
  });

  test('fails when two clusters of one app share a VIP, naming both places', () => {
    const { chart } = testChart();
    new HaClusterWithMetalLB(chart, 'A', props());
    const other = [4, 5, 6].map((n) => host(n));
    expect(() => new HaClusterWithMetalLB(chart, 'B', props({ clusterName: 'c2', controlPlaneHosts: other }))).toThrow(
      /\[test\/B\] 'vip' is also the IP address of \[test\/A\] 'vip'/,
    );
  });
});

describe('HaClusterWithMetalLB refusals at their limits', () => {
  test('missing props and a host list with a hole are refused with the library message', () => {
    const { chart } = testChart();
    expect(() => new HaClusterWithMetalLB(chart, 'Cluster', undefined as never)).toThrow(
      `[test/Cluster] 'controlPlaneHosts' must be a list (got undefined); pass three or more control-plane hosts`,
    );
    expect(() => make(props({ controlPlaneHosts: [host(1), null as never] }))).toThrow(
      `[test/Cluster] 'controlPlaneHosts' holds 2 host(s); etcd needs an odd number, at least 3 (got ["node1",null]); add hosts up to three, or use SingleNodeCluster for one`,
    );
  });

  test('a malformed endpoint-copier chart is refused under its own name', () => {
    expect(() => make(props({ endpointCopierChart: { chart: 'endpoint-copier', version: '1' } }))).toThrow(
      /^\[test\/Cluster\] 'endpointCopierChart.chart' is neither an oci:\/\/ or http\(s\):\/\/ reference/,
    );
  });

  test('MetalLB objects embedded in the first-boot config are checked at synth', () => {
    // GIVEN an L2Advertisement added next to the VIP objects that names no pool
    const { chart, cluster } = make(props());
    cluster.userData.addManifests('/var/lib/rancher/rke2/server/manifests/extra-l2.yaml', [
      {
        apiVersion: 'metallb.io/v1beta1',
        kind: 'L2Advertisement',
        metadata: { name: 'extra', namespace: 'metallb-system' },
        spec: { ipAddressPools: ['typo-pool'] },
      },
    ]);
    // THEN synthesis fails naming it
    expect(() => (chart.node.root as App).synthYaml()).toThrow(
      /\[L2Advertisement\/extra\] 'spec.ipAddressPools' names no IPAddressPool 'typo-pool'/,
    );
  });

  test('a taken pool name is refused with what to do', () => {
    const { cluster } = make(props());
    cluster.addWorkerPool('workers', { hosts: [host(4)] });
    expect(() => cluster.addWorkerPool('workers', { hosts: [host(5)] })).toThrow(
      `[test/Cluster] 'addWorkerPool' adds a pool whose name is taken (got "workers"); give each pool its own name`,
    );
  });

  test('an API name is a URL only when it starts with a scheme; :// further in is not a name at all', () => {
    expect(() => make(props({ apiServerNames: ['1a://b'] }))).toThrow(
      `[test/Cluster] 'apiServerNames[0]' is neither a host name nor an IP address (got "1a://b"); give a lower-case DNS name or an address`,
    );
    // the hint keeps the host alone: no port, no path (toThrow with a string matches a substring)
    expect(() => make(props({ apiServerNames: ['https://api.example.com:6443/healthz'] }))).toThrow(
      /give the host name only, such as api\.example\.com$/,
    );
  });

  test('the VIP may not be any gateway of a host, IPv6 routes besides', () => {
    const mac = '00:f3:65:8a:a3:b1';
    const dual: HostSpec = {
      ...host(1),
      networkData: NetworkData.nmstate({
        interfaces: [
          {
            type: 'ethernet',
            name: 'eth0',
            macAddress: mac,
            ipv4: { addresses: ['192.168.122.11/24'] },
            ipv6: { addresses: ['fd00::11/64'] },
          },
        ],
        routes: [
          { destination: '0.0.0.0/0', nextHopAddress: '192.168.122.1', nextHopInterface: 'eth0' },
          { destination: '::/0', nextHopAddress: 'fd00::1', nextHopInterface: 'eth0' },
        ],
      }),
    };
    expect(() => make(props({ controlPlaneHosts: [dual, host(2), host(3)], vip: '192.168.122.1' }))).toThrow(
      `[test/Cluster] 'vip' is the gateway of host node1 (got "192.168.122.1"); reserve an address that is not the router`,
    );
  });

  test('a VIP outside the subnets of hosts in two subnets lists both', () => {
    const other: HostSpec = {
      ...host(2),
      networkData: NetworkData.nmstate({
        interfaces: [
          {
            type: 'ethernet',
            name: 'eth0',
            macAddress: '00:f3:65:8a:a3:b2',
            ipv4: { addresses: ['192.168.123.12/24'] },
          },
        ],
        routes: [{ destination: '0.0.0.0/0', nextHopAddress: '192.168.123.1', nextHopInterface: 'eth0' }],
      }),
    };
    const hosts = [host(1, '192.168.122.11/24'), other, host(3, '192.168.122.13/24')];
    expect(() => make(props({ controlPlaneHosts: hosts, vip: '10.9.0.1' }))).toThrow(
      /'vip' is outside the machine network 192.168.122.0\/24, 192.168.123.0\/24/,
    );
  });
});

describe('HaClusterWithMetalLB properties', () => {
  const dhcpMostly = fc.tuple(hostArb(200), fc.integer({ min: 0, max: 4 })).map(([h, coin]) => {
    if (coin === 0 || !h || typeof h !== 'object') return h;
    return { ...h, networkData: undefined };
  });
  test('random props give valid output or the library error, never a TypeError', () => {
    checkConstruct(
      fc.record({
        clusterName: mostly(label),
        rke2Version,
        hosts: fc
          .oneof({ weight: 12, arbitrary: fc.constantFrom(3, 5) }, fc.constantFrom(1, 2, 4))
          .chain((n) => fc.array(dhcpMostly, { minLength: n, maxLength: n })),
        image,
        vip: mostly(
          fc.oneof(
            { weight: 8, arbitrary: fc.integer({ min: 2, max: 254 }).map((x) => `192.168.122.${x}`) },
            ipv4,
            ipv6,
          ),
        ),
        networks: fc.oneof(
          { weight: 8, arbitrary: fc.constantFrom({}, { podCidrs: ['10.42.0.0/16'], serviceCidrs: ['10.43.0.0/16'] }) },
          { weight: 2, arbitrary: clusterNetworks },
        ),
        machineNetwork: fc.option(
          fc.oneof({ weight: 8, arbitrary: fc.constant('192.168.122.0/24') }, fc.constantFrom('10.0.0.0/8', 'x')),
          { nil: undefined },
        ),
        apiServerNames: fc.option(
          fc.array(fc.oneof({ weight: 12, arbitrary: fc.domain() }, ipv4, fc.webUrl()), { maxLength: 2 }),
          { nil: undefined },
        ),
        sslipName: fc.option(fc.boolean(), { nil: undefined }),
        maxSurge: fc.option(fc.oneof({ weight: 12, arbitrary: fc.constantFrom(0, 1) }, fc.integer()), {
          nil: undefined,
        }),
        workers: fc.option(fc.array(dhcpMostly, { maxLength: 3 }), { nil: undefined }),
        workerReplicas: fc.option(fc.integer({ min: -1, max: 4 }), { nil: undefined }),
      }),
      ({ hosts, networks, workers, workerReplicas, ...p }) => {
        const { app, chart } = testChart();
        const cluster = new HaClusterWithMetalLB(chart, 'Cluster', {
          ...p,
          ...networks,
          controlPlaneHosts: hosts,
        } as any);
        if (workers) cluster.addWorkerPool('workers', { hosts: workers, replicas: workerReplicas });
        return app.synthYaml();
      },
    );
  });
});
