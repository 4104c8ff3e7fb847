import * as fc from 'fast-check';
import { checkConstruct, garbage, ipv4, mac, mostly } from '../arbitraries';
import { NMStateConfig, NMStateConfigProps } from '../../lib/agent/nmstate-config';
import { NetworkData } from '../../lib/metal3/network-data';
import { Manifest, testChart } from '../util';

const network = NetworkData.nmstate({
  interfaces: [
    { type: 'ethernet', name: 'eth0', macAddress: 'AA:AA:AA:AA:02:11', ipv4: { addresses: ['192.168.126.31/24'] } },
    { type: 'ethernet', name: 'eth1', macAddress: 'aa:aa:aa:aa:03:11' },
    { type: 'vlan', name: 'eth1.100', baseInterface: 'eth1', id: 100, ipv6: { addresses: ['fd00::31/64'] } },
  ],
  routes: [{ destination: '0.0.0.0/0', nextHopAddress: '192.168.126.1', nextHopInterface: 'eth0' }],
  dnsServers: ['192.168.126.1'],
});

function props(overrides: Partial<NMStateConfigProps> = {}): NMStateConfigProps {
  return {
    name: 'hosted-worker1',
    namespace: 'clusters-hosted',
    networkData: network,
    labels: { env: 'hosted' },
    ...overrides,
  };
}

function synth(p: NMStateConfigProps): Manifest {
  const { chart } = testChart();
  new NMStateConfig(chart, 'Config', p);
  return Manifest.of(chart);
}

function build(p: NMStateConfigProps): void {
  const { chart } = testChart();
  new NMStateConfig(chart, 'Config', p);
}

describe('NMStateConfig', () => {
  test('maps every ethernet interface of the nmstate config to its MAC', () => {
    // GIVEN / WHEN
    const c = synth(props()).get('NMStateConfig', 'hosted-worker1');
    // THEN
    expect(c).toMatchObject({
      apiVersion: 'agent-install.openshift.io/v1beta1',
      metadata: { namespace: 'clusters-hosted', labels: { env: 'hosted' } },
      spec: {
        interfaces: [
          { name: 'eth0', macAddress: 'aa:aa:aa:aa:02:11' },
          { name: 'eth1', macAddress: 'aa:aa:aa:aa:03:11' },
        ],
      },
    });
  });

  test('carries the nmstate document with MACs but without the nmstate 2.2.9 identifier', () => {
    const config = synth(props()).get('NMStateConfig', 'hosted-worker1').spec.config;
    expect(config.interfaces[0]).toEqual({
      name: 'eth0',
      type: 'ethernet',
      state: 'up',
      'mac-address': 'aa:aa:aa:aa:02:11',
      ipv4: { enabled: true, dhcp: false, address: [{ ip: '192.168.126.31', 'prefix-length': 24 }] },
    });
    expect(config.routes.config[0]).toMatchObject({ destination: '0.0.0.0/0', 'next-hop-interface': 'eth0' });
    expect(config['dns-resolver']).toEqual({ config: { server: ['192.168.126.1'] } });
  });

  test('takes an explicit mapping that agrees with the config', () => {
    const spec = synth(
      props({
        interfaces: [
          { name: 'eth1', macAddress: 'AA-AA-AA-AA-03-11' },
          { name: 'eth0', macAddress: 'aa:aa:aa:aa:02:11' },
        ],
      }),
    ).get('NMStateConfig', 'hosted-worker1').spec;
    expect(spec.interfaces).toEqual([
      { name: 'eth1', macAddress: 'aa:aa:aa:aa:03:11' },
      { name: 'eth0', macAddress: 'aa:aa:aa:aa:02:11' },
    ]);
  });

  test('fails on a config whose interface has no MAC mapping', () => {
    expect(() => build(props({ interfaces: [{ name: 'eth0', macAddress: 'aa:aa:aa:aa:02:11' }] }))).toThrow(
      /\[test\/Config\] 'interfaces' has no MAC mapping for the interface eth1 of the config .*add \{ name: 'eth1', macAddress: 'aa:aa:aa:aa:03:11' \}/,
    );
  });

  test('fails on a mapping that names no interface of the config', () => {
    expect(() =>
      build(
        props({
          interfaces: [
            { name: 'eth0', macAddress: 'aa:aa:aa:aa:02:11' },
            { name: 'eth1', macAddress: 'aa:aa:aa:aa:03:11' },
            { name: 'ens3', macAddress: 'aa:aa:aa:aa:04:11' },
          ],
        }),
      ),
    ).toThrow(/'interfaces\[2\].name' names no interface of the config/);
  });

  test('fails on a mapping with another MAC than the config', () => {
    expect(() =>
      build(
        props({
          interfaces: [
            { name: 'eth0', macAddress: 'aa:aa:aa:aa:02:12' },
            { name: 'eth1', macAddress: 'aa:aa:aa:aa:03:11' },
          ],
        }),
      ),
    ).toThrow(/'interfaces\[0\].macAddress' differs from the MAC the config gives eth0 \(aa:aa:aa:aa:02:11\)/);
  });

  test('fails on an interface mapped twice', () => {
    expect(() =>
      build(
        props({
          interfaces: [
            { name: 'eth0', macAddress: 'aa:aa:aa:aa:02:11' },
            { name: 'eth0', macAddress: 'aa:aa:aa:aa:02:11' },
            { name: 'eth1', macAddress: 'aa:aa:aa:aa:03:11' },
          ],
        }),
      ),
    ).toThrow(/'interfaces\[1\].name' is mapped twice/);
  });

  test('fails on an empty mapping', () => {
    expect(() => build(props({ interfaces: [] }))).toThrow(/'interfaces' must hold at least one mapping/);
  });

  test('fails when networkData is not a NetworkData', () => {
    expect(() => build(props({ networkData: { interfaces: [] } as never }))).toThrow(
      /'networkData' is not a NetworkData/,
    );
  });

  test('fails on an invalid name or label', () => {
    expect(() => build(props({ name: 'Worker_1' }))).toThrow(/'name' is not a DNS-1123 subdomain/);
    expect(() => build(props({ labels: { env: 'has space' } }))).toThrow(/'labels.env' is not a valid label value/);
  });
});

describe('NMStateConfig properties', () => {
  test('random mappings give valid output or the library error, never a TypeError', () => {
    checkConstruct(
      fc.record({
        mac: mostly(mac),
        address: ipv4,
        mapping: fc.option(
          fc.array(mostly(fc.record({ name: fc.constantFrom('eth0', 'eth1'), macAddress: mostly(mac) })), {
            maxLength: 2,
          }),
          { nil: undefined },
        ),
        labels: fc.option(mostly(fc.constant({ a: 'b' })), { nil: undefined }),
        junk: fc.option(garbage, { nil: undefined }),
      }),
      ({ mac: m, address, mapping, labels }) => {
        const { app, chart } = testChart();
        const networkData = NetworkData.nmstate({
          interfaces: [{ type: 'ethernet', name: 'eth0', macAddress: m, ipv4: { addresses: [`${address}/24`] } }],
        });
        new NMStateConfig(chart, 'Config', { name: 'n', networkData, labels, interfaces: mapping });
        return app.synthYaml();
      },
    );
  });
});
