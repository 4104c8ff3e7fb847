import * as fc from 'fast-check';
import { checkConstruct, garbage, ipv4, ipv6, mac, mostly } from '../arbitraries';
import { parse } from 'yaml';
import { BaremetalValidationError } from '../../lib/errors';
import { NetworkData, NetworkDataProps } from '../../lib/metal3/network-data';

const eth0 = {
  type: 'ethernet' as const,
  name: 'eth0',
  macAddress: '00:0C:29:3E:3E:3E',
  ipv4: { addresses: ['192.168.100.10/24'] },
};

function seed(): NetworkDataProps {
  return {
    interfaces: [
      { ...eth0, mtu: 1500 },
      { type: 'vlan', name: 'floating', baseInterface: 'eth0', id: 100 },
    ],
    routes: [{ destination: '0.0.0.0/0', nextHopAddress: '192.168.100.1', nextHopInterface: 'eth0' }],
    dnsServers: ['192.168.100.2'],
  };
}

describe('NetworkData', () => {
  test('reads back the same under YAML 1.1 and 1.2 with a digits-only MAC and an interface named like a boolean', () => {
    const text = NetworkData.nmstate({
      interfaces: [{ ...eth0, name: 'yes', macAddress: '52:54:00:16:00:11' }],
    }).render();
    const doc = parse(text, { version: '1.1' });
    expect(doc).toEqual(parse(text, { version: '1.2' }));
    expect(doc.interfaces[0]).toMatchObject({ name: 'yes', 'mac-address': '52:54:00:16:00:11' });
  });

  test('renders the seed §42.6 nmstate document with a MAC-identified NIC and a VLAN', () => {
    // GIVEN / WHEN
    const doc = parse(NetworkData.nmstate(seed()).render());
    // THEN
    expect(doc).toEqual({
      interfaces: [
        {
          name: 'eth0',
          type: 'ethernet',
          state: 'up',
          mtu: 1500,
          identifier: 'mac-address',
          'mac-address': '00:0c:29:3e:3e:3e',
          ipv4: { enabled: true, dhcp: false, address: [{ ip: '192.168.100.10', 'prefix-length': 24 }] },
        },
        { name: 'floating', type: 'vlan', state: 'up', vlan: { 'base-iface': 'eth0', id: 100 } },
      ],
      'dns-resolver': { config: { server: ['192.168.100.2'] } },
      routes: {
        config: [{ destination: '0.0.0.0/0', 'next-hop-address': '192.168.100.1', 'next-hop-interface': 'eth0' }],
      },
    });
  });

  test('renders IPv6 with autoconf and DHCP off', () => {
    const nd = NetworkData.nmstate({
      interfaces: [{ ...eth0, ipv6: { addresses: ['fd00:100::10/64'] } }],
      routes: [{ destination: '::/0', nextHopAddress: 'fd00:100::1', nextHopInterface: 'eth0' }],
    });
    expect(parse(nd.render()).interfaces[0].ipv6).toEqual({
      enabled: true,
      dhcp: false,
      autoconf: false,
      address: [{ ip: 'fd00:100::10', 'prefix-length': 64 }],
    });
    expect(nd.addresses.map(String)).toEqual(['192.168.100.10', 'fd00:100::10']);
  });

  test('renders a bond of two NICs', () => {
    const nd = NetworkData.nmstate({
      interfaces: [
        { type: 'ethernet', name: 'eno1', macAddress: '00:0c:29:00:00:01' },
        { type: 'ethernet', name: 'eno2', macAddress: '00:0c:29:00:00:02' },
        {
          type: 'bond',
          name: 'bond0',
          mode: '802.3ad',
          ports: ['eno1', 'eno2'],
          options: { miimon: '100' },
          ipv4: { addresses: ['10.0.0.5/24'] },
        },
      ],
    });
    expect(parse(nd.render()).interfaces[2]['link-aggregation']).toEqual({
      mode: '802.3ad',
      port: ['eno1', 'eno2'],
      options: { miimon: '100' },
    });
    expect(nd.macAddresses.map(String)).toEqual(['00:0c:29:00:00:01', '00:0c:29:00:00:02']);
  });

  test('fails when an ethernet interface has no MAC', () => {
    const p = seed();
    expect(() => NetworkData.nmstate({ ...p, interfaces: [{ type: 'ethernet', name: 'eth0' } as never] })).toThrow(
      /'networkData.interfaces\[0\].macAddress' is missing/,
    );
  });

  test('fails when two NICs share a MAC', () => {
    expect(() =>
      NetworkData.nmstate({ interfaces: [eth0, { type: 'ethernet', name: 'eth1', macAddress: '00:0c:29:3e:3e:3e' }] }),
    ).toThrow(/'networkData.interfaces\[1\].macAddress' is also the MAC of eth0/);
  });

  test('fails when a VLAN base interface is not declared', () => {
    expect(() =>
      NetworkData.nmstate({ interfaces: [eth0, { type: 'vlan', name: 'v100', baseInterface: 'eth9', id: 100 }] }),
    ).toThrow(/'networkData.interfaces\[1\].baseInterface' names no other declared interface \(got "eth9"\)/);
  });

  test('fails when a VLAN ID is out of range', () => {
    expect(() =>
      NetworkData.nmstate({ interfaces: [eth0, { type: 'vlan', name: 'v', baseInterface: 'eth0', id: 4095 }] }),
    ).toThrow(/'networkData.interfaces\[1\].id' must be an integer from 1 to 4094/);
  });

  test('fails when an address is the network address of its prefix', () => {
    expect(() => NetworkData.nmstate({ interfaces: [{ ...eth0, ipv4: { addresses: ['192.168.100.0/24'] } }] })).toThrow(
      /is the network address of 192.168.100.0\/24/,
    );
  });

  test('fails when an address has no prefix', () => {
    expect(() => NetworkData.nmstate({ interfaces: [{ ...eth0, ipv4: { addresses: ['192.168.100.10'] } }] })).toThrow(
      /has no prefix length/,
    );
  });

  test('fails when an IPv6 address is in the IPv4 list', () => {
    expect(() => NetworkData.nmstate({ interfaces: [{ ...eth0, ipv4: { addresses: ['fd00::10/64'] } }] })).toThrow(
      /is not an ipv4 address/,
    );
  });

  test('fails when the gateway is not reachable on the route interface', () => {
    const p = seed();
    expect(() =>
      NetworkData.nmstate({
        ...p,
        routes: [{ destination: '0.0.0.0/0', nextHopAddress: '10.0.0.1', nextHopInterface: 'eth0' }],
      }),
    ).toThrow(/'networkData.routes\[0\].nextHopAddress' is not reachable on eth0 \(its subnets: 192.168.100.0\/24\)/);
  });

  test('fails when the route interface is not declared', () => {
    const p = seed();
    expect(() =>
      NetworkData.nmstate({
        ...p,
        routes: [{ destination: '0.0.0.0/0', nextHopAddress: '192.168.100.1', nextHopInterface: 'eth1' }],
      }),
    ).toThrow(/'networkData.routes\[0\].nextHopInterface' names no declared interface/);
  });

  test('fails when gateway and destination differ in family', () => {
    const p = seed();
    expect(() =>
      NetworkData.nmstate({
        ...p,
        routes: [{ destination: '::/0', nextHopAddress: '192.168.100.1', nextHopInterface: 'eth0' }],
      }),
    ).toThrow(/is ipv4 but the destination is ipv6/);
  });

  test('fails when the gateway is the host itself', () => {
    const p = seed();
    expect(() =>
      NetworkData.nmstate({
        ...p,
        routes: [{ destination: '0.0.0.0/0', nextHopAddress: '192.168.100.10', nextHopInterface: 'eth0' }],
      }),
    ).toThrow(/is the host address itself/);
  });

  test('fails when a DNS server is not an address', () => {
    expect(() => NetworkData.nmstate({ ...seed(), dnsServers: ['dns.example'] })).toThrow(
      /'networkData.dnsServers\[0\]'/,
    );
  });

  test('fails when an interface is declared twice', () => {
    expect(() => NetworkData.nmstate({ interfaces: [eth0, { ...eth0, macAddress: '00:0c:29:3e:3e:3f' }] })).toThrow(
      /'networkData.interfaces\[1\].name' is declared twice/,
    );
  });

  test('fails when an address is repeated', () => {
    expect(() =>
      NetworkData.nmstate({
        interfaces: [
          eth0,
          {
            type: 'ethernet',
            name: 'eth1',
            macAddress: '00:0c:29:3e:3e:3f',
            ipv4: { addresses: ['192.168.100.10/24'] },
          },
        ],
      }),
    ).toThrow(/repeats the address of eth0/);
  });

  test('fails when a bond port is not a declared NIC', () => {
    expect(() =>
      NetworkData.nmstate({
        interfaces: [eth0, { type: 'bond', name: 'bond0', mode: 'active-backup', ports: ['eno9'] }],
      }),
    ).toThrow(/'networkData.interfaces\[1\].ports\[0\]' names no declared ethernet interface/);
  });

  test('fails when a bond port carries addresses', () => {
    expect(() =>
      NetworkData.nmstate({
        interfaces: [eth0, { type: 'bond', name: 'bond0', mode: 'active-backup', ports: ['eth0'] }],
      }),
    ).toThrow(/carries addresses of its own/);
  });

  test('fails when a bond mode is unknown', () => {
    expect(() =>
      NetworkData.nmstate({ interfaces: [eth0, { type: 'bond', name: 'b', mode: 'lacp' as never, ports: ['eth0'] }] }),
    ).toThrow(/'networkData.interfaces\[1\].mode' is not a bonding mode/);
  });

  test('fails when an interface type is unknown', () => {
    expect(() => NetworkData.nmstate({ interfaces: [{ type: 'wifi', name: 'wlan0' } as never] })).toThrow(
      /is not an interface type this library renders/,
    );
  });

  test('fails when there is no interface', () => {
    expect(() => NetworkData.nmstate({ interfaces: [] })).toThrow(
      /'networkData.interfaces' must hold at least one interface/,
    );
  });

  test('fails when an interface name is too long', () => {
    expect(() => NetworkData.nmstate({ interfaces: [{ ...eth0, name: 'a-very-long-interface-name' }] })).toThrow(
      /is not a Linux interface name/,
    );
  });

  test('refuses garbage with its own error, never a TypeError', () => {
    for (const bad of [
      null,
      42,
      'x',
      { interfaces: 'eth0' },
      { interfaces: [null] },
      { interfaces: [eth0], routes: [null] },
    ]) {
      expect(() => NetworkData.nmstate(bad as never)).toThrow(BaremetalValidationError);
    }
  });
});

describe('NetworkData properties', () => {
  test('random interfaces and routes render or give the library error, never a TypeError', () => {
    const iface = fc.oneof(
      {
        weight: 6,
        arbitrary: fc.record({
          type: fc.constant('ethernet'),
          name: fc.constantFrom('eth0', 'eth1', 'eno1'),
          macAddress: mostly(mac),
          ipv4: fc.option(
            fc.record({
              addresses: fc.array(
                fc.tuple(ipv4, fc.integer({ min: 8, max: 33 })).map(([a, p]) => `${a}/${p}`),
                { maxLength: 2 },
              ),
            }),
            { nil: undefined },
          ),
        }),
      },
      fc.record({
        type: fc.constant('vlan'),
        name: fc.constantFrom('vlan100', 'floating'),
        baseInterface: fc.constantFrom('eth0', 'eth9'),
        id: fc.integer({ min: 0, max: 5000 }),
      }),
      fc.record({
        type: fc.constant('bond'),
        name: fc.constant('bond0'),
        mode: fc.constantFrom('802.3ad', 'active-backup', 'lacp'),
        ports: fc.array(fc.constantFrom('eth0', 'eth1', 'eno1'), { maxLength: 2 }),
      }),
      garbage,
    );
    const route = fc.record({
      destination: fc.constantFrom('0.0.0.0/0', '::/0', '10.0.0.0/8', 'x'),
      nextHopAddress: fc.oneof(ipv4, ipv6),
      nextHopInterface: fc.constantFrom('eth0', 'eth1', 'bond0'),
    });
    checkConstruct(
      fc.record({
        interfaces: fc.array(iface, { minLength: 1, maxLength: 3 }),
        routes: fc.option(fc.array(route, { maxLength: 2 }), { nil: undefined }),
        dnsServers: fc.option(fc.array(fc.oneof(ipv4, fc.string()), { maxLength: 2 }), { nil: undefined }),
      }),
      (p) => NetworkData.nmstate(p as any).render(),
      0.02,
    );
  });
});

describe('NetworkData for consumers other than Metal3', () => {
  test('lists the ethernet interfaces with their MACs and every interface name', () => {
    const nd = NetworkData.nmstate(seed());
    expect(nd.ethernetInterfaces.map((e) => [e.name, e.macAddress.toString()])).toEqual([
      ['eth0', '00:0c:29:3e:3e:3e'],
    ]);
    expect(nd.interfaceNames).toEqual(['eth0', 'floating']);
  });

  test('returns the document as a fresh object, with or without the MAC identifier', () => {
    const nd = NetworkData.nmstate(seed());
    const withId = nd.toObject() as { interfaces: Record<string, unknown>[] };
    const without = nd.toObject({ identifyByMacAddress: false }) as { interfaces: Record<string, unknown>[] };
    expect(withId.interfaces[0]).toMatchObject({ identifier: 'mac-address', 'mac-address': '00:0c:29:3e:3e:3e' });
    expect(without.interfaces[0]).not.toHaveProperty('identifier');
    expect(without.interfaces[0]).toHaveProperty('mac-address', '00:0c:29:3e:3e:3e');
    withId.interfaces[0].name = 'changed';
    expect(parse(nd.render()).interfaces[0].name).toBe('eth0');
  });
});
