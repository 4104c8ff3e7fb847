import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as fc from 'fast-check';
import { parseAllDocuments } from 'yaml';
import { inNetwork, networkOf, siteFacts } from '../../lib/report/site-facts';
import { example } from './fixtures';

const golden = (name: string) =>
  parseAllDocuments(readFileSync(join(__dirname, '..', 'golden', `${name}.k8s.yaml`), 'utf8')).map((d) => d.toJS());

describe('siteFacts', () => {
  test('GIVEN a static single node THEN the host has its nmstate interfaces, DNS and gateways, and the cluster its VIP and versions', () => {
    // GIVEN the single-node-static example
    const { objects } = example('single-node-static');
    // WHEN
    const facts = siteFacts('sns', objects);
    // THEN
    expect(facts.hosts).toHaveLength(1);
    expect(facts.hosts[0]).toMatchObject({
      name: 'example-demo',
      role: 'control-plane',
      cluster: 'single-node-cluster',
      bootMACAddress: '00:0c:29:3e:3e:3e',
      bmcDriver: 'redfish-virtualmedia',
      bmcHost: '192.168.200.75',
      credentialsName: 'example-demo-credentials',
      rootDevice: 'deviceName=/dev/nvme0n1',
      dnsServers: ['192.168.100.2'],
      gateways: ['192.168.100.1', 'fd00:100::1'],
      interfaces: [
        {
          name: 'eth0',
          type: 'ethernet',
          macAddress: '00:0c:29:3e:3e:3e',
          mtu: 1500,
          addresses: ['192.168.100.10/24', 'fd00:100::10/64'],
          dynamic: false,
        },
        { name: 'floating', type: 'vlan', vlanId: 100, baseInterface: 'eth0', addresses: [] },
      ],
    });
    expect(facts.clusters).toEqual([
      expect.objectContaining({
        name: 'single-node-cluster',
        kind: 'rke2-metal3',
        apiVIPs: ['192.168.100.10'],
        version: 'v1.32.4+rke2r1',
        osImage: expect.stringMatching(/^http:\/\/imagecache\.local/),
      }),
    ]);
    expect(facts.networks).toEqual([
      { cidr: '192.168.100.0/24', gateways: ['192.168.100.1'], dnsServers: ['192.168.100.2'], hosts: ['example-demo'] },
      { cidr: 'fd00:100::/64', gateways: ['fd00:100::1'], dnsServers: ['192.168.100.2'], hosts: ['example-demo'] },
    ]);
  });

  test('GIVEN an HA cluster behind MetalLB THEN the pool is read from the control plane and every host has its role', () => {
    const facts = siteFacts('ha', example('ha-metallb').objects);
    expect(facts.clusters[0]).toMatchObject({
      name: 'multinode-cluster',
      apiVIPs: ['192.168.122.100'],
      metallbPool: ['192.168.122.100/32'],
      podCidrs: ['192.168.0.0/18'],
      serviceCidrs: ['10.96.0.0/12'],
    });
    expect(facts.hosts.map((h) => `${h.name}:${h.role}`)).toEqual([
      'node1-example:control-plane',
      'node2-example:control-plane',
      'node3-example:control-plane',
      'node4-example:worker',
      'node5-example:worker',
    ]);
    // no network data: the hosts take DHCP
    expect(facts.hosts.every((h) => h.interfaces.length === 0)).toBe(true);
  });

  test('GIVEN a hosted cluster THEN its NodePool lists the agent hosts its label selector picks', () => {
    const { objects, zones } = example('hosted-cluster-agent');
    const facts = siteFacts('hca', objects, { dnsZones: zones });
    expect(facts.clusters).toEqual([
      expect.objectContaining({
        name: 'hosted',
        kind: 'hosted-cluster',
        baseDomain: 'dns.base.domain.name',
        apiPublishing: 'LoadBalancer',
        nodePools: [{ name: 'hosted', replicas: 3, hosts: ['hosted-worker0', 'hosted-worker1', 'hosted-worker2'] }],
      }),
    ]);
    expect(facts.hosts.map((h) => [h.role, h.cluster])).toEqual([
      ['agent', 'hosted'],
      ['agent', 'hosted'],
      ['agent', 'hosted'],
    ]);
    expect(facts.dnsZones).toEqual(zones);
  });

  test('GIVEN an Assisted install THEN the VIPs come from AgentClusterInstall and the interfaces from NMStateConfig', () => {
    const facts = siteFacts('cn2', example('assisted-cn2').objects);
    expect(facts.clusters[0]).toMatchObject({
      name: 'mycluster',
      kind: 'assisted',
      apiVIPs: ['172.16.0.100'],
      ingressVIPs: ['172.16.0.101'],
      baseDomain: 'contrail.lan',
      machineNetworks: ['172.16.0.0/24'],
      version: 'img4.14.38-x86-64',
    });
    expect(facts.hosts[0]).toMatchObject({
      name: 'ocp1',
      role: 'master',
      cluster: 'mycluster',
      interfaces: [
        { name: 'eth0', macAddress: '52:54:00:16:00:11', addresses: ['172.16.0.11/24'] },
        { name: 'eth1', macAddress: '52:54:00:10:16:11', addresses: ['10.16.0.11/24'] },
      ],
    });
    expect(facts.hosts.map((h) => h.role)).toEqual(['master', 'master', 'master', 'worker', 'worker']);
  });

  test('the facts read from the YAML on disk equal the facts of the chart in code', () => {
    for (const name of ['single-node-static', 'ha-metallb', 'assisted-cn2', 'hosted-cluster-agent']) {
      expect(siteFacts(name, golden(name))).toEqual(siteFacts(name, example(name).objects));
    }
  });

  test('GIVEN the parsed network data THEN it is used instead of the Secret text', () => {
    const { objects } = example('single-node-static');
    const doc = {
      interfaces: [{ name: 'eno1', type: 'ethernet', ipv4: { address: [{ ip: '10.1.1.5', 'prefix-length': 16 }] } }],
    };
    const facts = siteFacts('sns', objects, {
      networkData: (s) => (s === 'controlplane-0-networkdata' ? doc : undefined),
    });
    expect(facts.hosts[0].interfaces).toEqual([
      { name: 'eno1', type: 'ethernet', addresses: ['10.1.1.5/16'], dynamic: false },
    ]);
  });

  test('bonds list their ports and mode; a BMC URL never repeats user information', () => {
    const objects = [
      {
        apiVersion: 'metal3.io/v1alpha1',
        kind: 'BareMetalHost',
        metadata: { name: 'h1', namespace: 'ns' },
        spec: {
          bootMACAddress: 'AA:BB:CC:00:00:01',
          bmc: { address: 'ipmi://admin:hunter2@10.0.0.5:6230', credentialsName: 'h1-bmc' },
          preprovisioningNetworkDataName: 'h1-nd',
        },
      },
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'h1-nd', namespace: 'ns' },
        data: {
          networkData: Buffer.from(
            'interfaces:\n  - name: bond0\n    type: bond\n    mtu: 9000\n    link-aggregation:\n      mode: 802.3ad\n      port: [eno1, eno2]\n    ipv4:\n      enabled: true\n      address:\n        - ip: 10.0.1.5\n          prefix-length: 24\n',
          ).toString('base64'),
        },
      },
    ];
    const facts = siteFacts('x', objects);
    expect(facts.hosts[0]).toMatchObject({
      bootMACAddress: 'aa:bb:cc:00:00:01',
      bmcAddress: 'ipmi://10.0.0.5:6230',
      bmcHost: '10.0.0.5:6230',
      bmcDriver: 'ipmi',
      interfaces: [{ name: 'bond0', type: 'bond', members: ['eno1', 'eno2'], bondMode: '802.3ad', mtu: 9000 }],
    });
    expect(JSON.stringify(facts)).not.toContain('hunter2');
  });

  test('GIVEN anything as objects THEN facts come back, never an exception', () => {
    fc.assert(
      fc.property(
        fc.array(fc.anything()),
        fc.array(
          fc.record({
            kind: fc.constantFrom(
              'BareMetalHost',
              'Cluster',
              'HostedCluster',
              'NodePool',
              'AgentClusterInstall',
              'Secret',
              'RKE2ControlPlane',
            ),
            metadata: fc.anything(),
            spec: fc.anything(),
          }),
        ),
        (a, b) => {
          const facts = siteFacts('x', [...a, ...b]);
          expect(Array.isArray(facts.hosts)).toBe(true);
        },
      ),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 300) },
    );
  });
});

describe('networkOf / inNetwork', () => {
  test('the network of an address, IPv4 and IPv6', () => {
    expect(networkOf('192.168.100.10/24')).toBe('192.168.100.0/24');
    expect(networkOf('10.1.2.3/0')).toBe('0.0.0.0/0');
    expect(networkOf('10.1.2.3/32')).toBe('10.1.2.3/32');
    expect(networkOf('fd00:100::10/64')).toBe('fd00:100::/64');
    expect(networkOf('not-an-address')).toBeUndefined();
    expect(networkOf('300.1.1.1/24')).toBeUndefined();
  });

  test('whether an address lies in a network', () => {
    expect(inNetwork('192.168.100.1', '192.168.100.0/24')).toBe(true);
    expect(inNetwork('192.168.101.1', '192.168.100.0/24')).toBe(false);
    expect(inNetwork('fd00:100::1', 'fd00:100::/64')).toBe(true);
    expect(inNetwork('fd00:100::1', '192.168.100.0/24')).toBe(false);
    expect(inNetwork('junk', '192.168.100.0/24')).toBe(false);
  });

  test('the IPv4 fast path agrees with ipaddr.js', () => {
    const ipaddr = require('ipaddr.js');
    fc.assert(
      fc.property(fc.ipV4(), fc.integer({ min: 0, max: 32 }), (ip, prefix) => {
        const [addr, bits] = ipaddr.parseCIDR(`${ip}/${prefix}`);
        const expected = ipaddr.IPv4.networkAddressFromCIDR(`${addr}/${bits}`).toString();
        expect(networkOf(`${ip}/${prefix}`)).toBe(`${expected}/${prefix}`);
      }),
    );
  });
});
