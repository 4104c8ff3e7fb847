import { Chart } from 'cdk8s';
import { Manifest, testChart } from '../util';
import { AttachmentPlugin } from '../../lib/multus/attachment-plugin';
import { PerNodeStaticNetwork, PerNodeStaticNetworkProps } from '../../lib/multus/per-node-static-network';

/** Seed 004, task 3: the VNIC ens5 of two VMs, each with the address the cloud gave it. */
function seed(): PerNodeStaticNetworkProps {
  return {
    name: 'sriov-vnic',
    plugin: AttachmentPlugin.hostDevice({ device: 'ens5' }),
    gateways: ['0.0.0.0'],
    routes: [{ dst: '10.0.10.0/24', gw: '0.0.0.0' }],
    nodes: [
      { nodeName: 'node1', attachmentName: 'sriov-vnic-1', addresses: ['10.0.10.93/24'] },
      { nodeName: 'node2', attachmentName: 'sriov-vnic-2', addresses: ['10.0.10.238/24'] },
    ],
  };
}

/** The config the seed applies for a node, with the name Multus would fill in. */
function seedConfig(name: string, address: string) {
  return {
    cniVersion: '0.3.1',
    name,
    type: 'host-device',
    device: 'ens5',
    ipam: {
      type: 'static',
      addresses: [{ address, gateway: '0.0.0.0' }],
      routes: [{ dst: '10.0.10.0/24', gw: '0.0.0.0' }],
    },
  };
}

function build(props: Partial<PerNodeStaticNetworkProps>, chart?: Chart): PerNodeStaticNetwork {
  return new PerNodeStaticNetwork(chart ?? testChart().chart, 'Net', { ...seed(), ...props });
}

describe('PerNodeStaticNetwork', () => {
  test('defines one attachment per node with its address, as seed 004 applies them', () => {
    // GIVEN
    const { chart } = testChart('default');
    // WHEN
    const net = new PerNodeStaticNetwork(chart, 'SriovVnic', seed());
    // THEN
    const m = Manifest.of(chart);
    expect(m.ids()).toEqual(['NetworkAttachmentDefinition/sriov-vnic-1', 'NetworkAttachmentDefinition/sriov-vnic-2']);
    expect(JSON.parse(m.get('NetworkAttachmentDefinition', 'sriov-vnic-1').spec.config)).toEqual(
      seedConfig('sriov-vnic-1', '10.0.10.93/24'),
    );
    expect(JSON.parse(m.get('NetworkAttachmentDefinition', 'sriov-vnic-2').spec.config)).toEqual(
      seedConfig('sriov-vnic-2', '10.0.10.238/24'),
    );
    expect(net.attachments.map((a) => [a.name, a.nodeName, a.exclusivity])).toEqual([
      ['sriov-vnic-1', 'node1', 'one-pod'],
      ['sriov-vnic-2', 'node2', 'one-pod'],
    ]);
    expect(net.attachmentFor('node2').name).toBe('sriov-vnic-2');
  });

  test('names attachments <name>-<node> by default and puts each family gateway on its address', () => {
    // GIVEN / WHEN
    const net = build({
      gateways: ['10.0.10.1', 'fd00:10::1'],
      routes: [{ dst: '0.0.0.0/0' }, { dst: '::/0' }],
      dns: { nameservers: ['10.0.10.2'] },
      namespace: 'cnf',
      nodes: [
        { nodeName: 'worker-a', addresses: ['10.0.10.93/24', 'fd00:10::93/64'] },
        { nodeName: 'worker-b', addresses: ['10.0.10.94/24', 'fd00:10::94/64'] },
      ],
    });
    // THEN
    const a = net.attachmentFor('worker-a');
    expect(a.name).toBe('sriov-vnic-worker-a');
    expect(a.namespace).toBe('cnf');
    expect(a.cniConfig().ipam).toEqual({
      type: 'static',
      addresses: [
        { address: '10.0.10.93/24', gateway: '10.0.10.1' },
        { address: 'fd00:10::93/64', gateway: 'fd00:10::1' },
      ],
      routes: [{ dst: '0.0.0.0/0' }, { dst: '::/0' }],
      dns: { nameservers: ['10.0.10.2'] },
    });
  });

  test('fails when there is no node', () => {
    expect(() => build({ nodes: [] })).toThrow(/^\[test\/Net\] 'nodes' must hold at least one node/);
  });

  test('fails when a node is listed twice', () => {
    expect(() =>
      build({
        nodes: [
          { nodeName: 'node1', addresses: ['10.0.10.93/24'] },
          { nodeName: 'node1', addresses: ['10.0.10.94/24'] },
        ],
      }),
    ).toThrow(/'nodes\[1\].nodeName' is listed twice/);
  });

  test('fails when a node name is not a DNS-1123 subdomain', () => {
    expect(() => build({ nodes: [{ nodeName: 'Node 1', addresses: ['10.0.10.93/24'] }] })).toThrow(
      /'nodes\[0\].nodeName' is not a DNS-1123 subdomain/,
    );
  });

  test('fails when a node has no address', () => {
    expect(() => build({ nodes: [{ nodeName: 'node1', addresses: [] }] })).toThrow(
      /'nodes\[0\].addresses' must hold at least one address/,
    );
  });

  test('fails when a node has two addresses of one family', () => {
    expect(() => build({ nodes: [{ nodeName: 'node1', addresses: ['10.0.10.93/24', '10.0.10.94/24'] }] })).toThrow(
      /'nodes\[0\].addresses\[1\]' is a second ipv4 address/,
    );
  });

  test('fails when a node address is in another subnet than the first node', () => {
    expect(() =>
      build({
        nodes: [
          { nodeName: 'node1', addresses: ['10.0.10.93/24'] },
          { nodeName: 'node2', addresses: ['10.0.11.5/24'] },
        ],
      }),
    ).toThrow(/'nodes\[1\].addresses\[0\]' is not in the subnet 10.0.10.0\/24 of nodes\[0\]/);
  });

  test('fails when there are two gateways of one family', () => {
    expect(() => build({ gateways: ['10.0.10.1', '10.0.10.2'] })).toThrow(/'gateways\[1\]' is a second ipv4 gateway/);
  });

  test('fails when a gateway is of a family no node has', () => {
    expect(() => build({ gateways: ['fd00::1'], routes: [] })).toThrow(
      /'gateways' is ipv6 but no node has an ipv6 address/,
    );
  });

  test('fails when the gateway is outside the nodes subnet', () => {
    expect(() => build({ gateways: ['10.0.11.1'] })).toThrow(
      /'nodes\[0\].addresses\[0\].gateway' is outside 10.0.10.0\/24/,
    );
  });

  test('fails when the gateway is a node address', () => {
    expect(() => build({ gateways: ['10.0.10.238'] })).toThrow(
      /'nodes\[1\].addresses\[0\].gateway' is the interface address itself/,
    );
  });

  test('fails when a route next hop is unreachable', () => {
    expect(() => build({ routes: [{ dst: '0.0.0.0/0', gw: '192.168.0.1' }] })).toThrow(
      /'nodes\[0\].routes\[0\].gw' is outside 10.0.10.0\/24/,
    );
  });

  test('fails when two nodes share an address', () => {
    expect(() =>
      build({
        nodes: [
          { nodeName: 'node1', addresses: ['10.0.10.93/24'] },
          { nodeName: 'node2', addresses: ['10.0.10.93/24'] },
        ],
      }),
    ).toThrow(/^\[test\/Net\/node2\] 'ipam' is also the IP address of \[test\/Net\/node1\] 'ipam'/);
  });

  test('fails when asked for a node it has no attachment on', () => {
    expect(() => build({}).attachmentFor('node3')).toThrow(
      /^\[test\/Net\] 'nodes' has no attachment on this node \(got "node3"\); use one of node1, node2/,
    );
  });
});
