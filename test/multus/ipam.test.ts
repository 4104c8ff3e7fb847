import * as fc from 'fast-check';
import { garbage, ipv4, ipv6, mostly, RUNS, SEED } from '../arbitraries';
import { BaremetalValidationError } from '../../lib/errors';
import { Ipam, StaticIpamProps } from '../../lib/multus/ipam';

/** Seed 004, node 1: the VNIC address with an on-link gateway and route. */
function seed(): StaticIpamProps {
  return {
    addresses: [{ address: '10.0.10.93/24', gateway: '0.0.0.0' }],
    routes: [{ dst: '10.0.10.0/24', gw: '0.0.0.0' }],
  };
}

describe('Ipam.static', () => {
  test('renders the seed 004 static config', () => {
    // GIVEN / WHEN
    const ipam = Ipam.static(seed());
    // THEN
    expect(ipam.toJson()).toEqual({
      type: 'static',
      addresses: [{ address: '10.0.10.93/24', gateway: '0.0.0.0' }],
      routes: [{ dst: '10.0.10.0/24', gw: '0.0.0.0' }],
    });
    expect(ipam.type).toBe('static');
    expect(ipam.staticAddresses.map(String)).toEqual(['10.0.10.93']);
    expect(ipam.subnets.map(String)).toEqual(['10.0.10.0/24']);
  });

  test('renders dual stack with routers, a default route and DNS, canonically', () => {
    const ipam = Ipam.static({
      addresses: [
        { address: '192.168.1.10/24', gateway: '192.168.1.1' },
        { address: 'FD00:0:0:1::10/64', gateway: 'fd00:0:0:1::1' },
      ],
      routes: [{ dst: '0.0.0.0/0' }, { dst: '::/0', gw: 'fd00:0:0:1::1' }],
      dns: { nameservers: ['192.168.1.2'], domain: 'example.com', search: ['example.com'], options: ['ndots:2'] },
    });
    expect(ipam.toJson()).toEqual({
      type: 'static',
      addresses: [
        { address: '192.168.1.10/24', gateway: '192.168.1.1' },
        { address: 'fd00:0:0:1::10/64', gateway: 'fd00:0:0:1::1' },
      ],
      routes: [{ dst: '0.0.0.0/0' }, { dst: '::/0', gw: 'fd00:0:0:1::1' }],
      dns: { nameservers: ['192.168.1.2'], domain: 'example.com', search: ['example.com'], options: ['ndots:2'] },
    });
  });

  test('toJson returns a copy', () => {
    const ipam = Ipam.static(seed());
    (ipam.toJson().addresses as unknown[]).pop();
    expect(ipam.toJson().addresses).toHaveLength(1);
  });

  test('fails when there is no address', () => {
    expect(() => Ipam.static({ addresses: [] })).toThrow(/'ipam.addresses' must hold at least one address/);
  });

  test('fails when an address has no prefix length', () => {
    expect(() => Ipam.static({ addresses: [{ address: '10.0.10.93' }] })).toThrow(
      /'ipam.addresses\[0\].address' has no prefix length/,
    );
  });

  test('fails when an address is the network or broadcast address', () => {
    expect(() => Ipam.static({ addresses: [{ address: '10.0.10.0/24' }] })).toThrow(
      /is the network address of 10.0.10.0\/24/,
    );
    expect(() => Ipam.static({ addresses: [{ address: '10.0.10.255/24' }] })).toThrow(
      /is the broadcast address of 10.0.10.0\/24/,
    );
  });

  test('fails when an address is loopback, multicast or unspecified', () => {
    for (const address of ['127.0.0.1/8', '224.0.0.5/24', '0.0.0.0/0']) {
      expect(() => Ipam.static({ addresses: [{ address }] })).toThrow(/is not an address an interface can own/);
    }
  });

  test('fails when an address is listed twice', () => {
    expect(() => Ipam.static({ addresses: [{ address: '10.0.10.93/24' }, { address: '10.0.10.93/25' }] })).toThrow(
      /'ipam.addresses\[1\].address' is listed twice/,
    );
  });

  test('fails when a gateway is outside the subnet', () => {
    expect(() => Ipam.static({ addresses: [{ address: '10.0.10.93/24', gateway: '10.0.11.1' }] })).toThrow(
      /'ipam.addresses\[0\].gateway' is outside 10.0.10.0\/24 \(got "10.0.11.1"\); use the router's address inside the subnet, or 0.0.0.0 for an on-link network/,
    );
  });

  test('fails when a gateway is the address itself', () => {
    expect(() => Ipam.static({ addresses: [{ address: '10.0.10.93/24', gateway: '10.0.10.93' }] })).toThrow(
      /is the interface address itself/,
    );
  });

  test('fails when a gateway is the broadcast address', () => {
    expect(() => Ipam.static({ addresses: [{ address: '10.0.10.93/24', gateway: '10.0.10.255' }] })).toThrow(
      /'ipam.addresses\[0\].gateway' is the broadcast address of 10.0.10.0\/24/,
    );
  });

  test('fails when a gateway is of the other family', () => {
    expect(() => Ipam.static({ addresses: [{ address: '10.0.10.93/24', gateway: 'fd00::1' }] })).toThrow(
      /'ipam.addresses\[0\].gateway' is ipv6 but the addresses are ipv4/,
    );
  });

  test('fails when a route destination has host bits', () => {
    expect(() => Ipam.static({ ...seed(), routes: [{ dst: '10.0.10.5/24' }] })).toThrow(
      /'ipam.routes\[0\].dst' has host bits set/,
    );
  });

  test('fails when two routes have one destination', () => {
    expect(() => Ipam.static({ ...seed(), routes: [{ dst: '0.0.0.0/0' }, { dst: '0.0.0.0/0' }] })).toThrow(
      /'ipam.routes\[1\].dst' repeats the destination of routes\[0\]/,
    );
  });

  test('fails when a route is of a family without address', () => {
    expect(() => Ipam.static({ ...seed(), routes: [{ dst: '::/0' }] })).toThrow(
      /'ipam.routes\[0\].dst' is ipv6 but the attachment has no ipv6 address/,
    );
  });

  test('fails when a route next hop is unreachable', () => {
    expect(() => Ipam.static({ ...seed(), routes: [{ dst: '0.0.0.0/0', gw: '192.168.1.1' }] })).toThrow(
      /'ipam.routes\[0\].gw' is outside 10.0.10.0\/24/,
    );
  });

  test('fails when a route next hop is of the other family', () => {
    expect(() => Ipam.static({ ...seed(), routes: [{ dst: '0.0.0.0/0', gw: 'fd00::1' }] })).toThrow(
      /'ipam.routes\[0\].gw' is ipv6 but the destination is ipv4/,
    );
  });

  test('fails when a DNS server is not an address', () => {
    expect(() => Ipam.static({ ...seed(), dns: { nameservers: ['dns.example.com'] } })).toThrow(
      /'ipam.dns.nameservers\[0\]'/,
    );
  });

  test('fails when a DNS domain is not a domain name', () => {
    expect(() => Ipam.static({ ...seed(), dns: { domain: 'exa mple' } })).toThrow(
      /'ipam.dns.domain' is not a domain name/,
    );
    expect(() => Ipam.static({ ...seed(), dns: { search: ['-bad.example'] } })).toThrow(
      /'ipam.dns.search\[0\]' is not a domain name/,
    );
  });

  test('fails when a DNS option is not a resolv.conf option', () => {
    expect(() => Ipam.static({ ...seed(), dns: { options: ['ndots 2'] } })).toThrow(
      /'ipam.dns.options\[0\]' is not a resolv.conf option/,
    );
  });

  test('names the caller in messages', () => {
    expect(() => Ipam.static({ addresses: [] }, { path: 'site/Net', prop: 'nodes[1]' })).toThrow(
      /^\[site\/Net\] 'nodes\[1\].addresses' must hold/,
    );
  });
});

describe('Ipam.hostLocal', () => {
  test('renders range sets, a single range as a set of one', () => {
    const ipam = Ipam.hostLocal({
      ranges: [
        { subnet: '10.10.0.0/16', rangeStart: '10.10.1.20', rangeEnd: '10.10.3.50', gateway: '10.10.0.254' },
        [{ subnet: 'fd00:10::/64' }, { subnet: 'fd00:11::/64' }],
      ],
      routes: [{ dst: '0.0.0.0/0' }],
      dataDir: '/run/my-orchestrator/container-ipam-state',
      resolvConf: '/etc/resolv.conf',
    });
    expect(ipam.toJson()).toEqual({
      type: 'host-local',
      ranges: [
        [{ subnet: '10.10.0.0/16', rangeStart: '10.10.1.20', rangeEnd: '10.10.3.50', gateway: '10.10.0.254' }],
        [{ subnet: 'fd00:10::/64' }, { subnet: 'fd00:11::/64' }],
      ],
      routes: [{ dst: '0.0.0.0/0' }],
      dataDir: '/run/my-orchestrator/container-ipam-state',
      resolvConf: '/etc/resolv.conf',
    });
    expect(ipam.staticAddresses).toEqual([]);
    expect(ipam.subnets.map(String)).toEqual(['10.10.0.0/16', 'fd00:10::/64', 'fd00:11::/64']);
  });

  test('fails when there is no range', () => {
    expect(() => Ipam.hostLocal({ ranges: [] })).toThrow(/'ipam.ranges' must hold at least one range/);
    expect(() => Ipam.hostLocal({ ranges: [[]] })).toThrow(/'ipam.ranges\[0\]' is an empty range set/);
  });

  test('fails when a subnet has host bits', () => {
    expect(() => Ipam.hostLocal({ ranges: [{ subnet: '10.10.0.1/16' }] })).toThrow(
      /'ipam.ranges\[0\].subnet' has host bits set/,
    );
  });

  test('fails when the range start is outside the subnet', () => {
    expect(() => Ipam.hostLocal({ ranges: [{ subnet: '10.10.0.0/16', rangeStart: '10.11.0.1' }] })).toThrow(
      /'ipam.ranges\[0\].rangeStart' is outside 10.10.0.0\/16/,
    );
  });

  test('fails when the range end comes before its start', () => {
    expect(() =>
      Ipam.hostLocal({ ranges: [{ subnet: '10.10.0.0/16', rangeStart: '10.10.5.1', rangeEnd: '10.10.1.1' }] }),
    ).toThrow(/'ipam.ranges\[0\].rangeEnd' comes before rangeStart 10.10.5.1/);
  });

  test('fails when a set mixes families', () => {
    expect(() => Ipam.hostLocal({ ranges: [[{ subnet: '10.10.0.0/16' }, { subnet: 'fd00::/64' }]] })).toThrow(
      /'ipam.ranges\[0\]\[1\].subnet' is ipv6 but the set is ipv4/,
    );
  });

  test('fails when two ranges overlap', () => {
    expect(() => Ipam.hostLocal({ ranges: [{ subnet: '10.10.0.0/16' }, { subnet: '10.10.4.0/24' }] })).toThrow(
      /'ipam.ranges\[1\]' overlaps the range 10.10.0.0\/16/,
    );
  });

  test('fails when the gateway is outside the subnet or unspecified', () => {
    expect(() => Ipam.hostLocal({ ranges: [{ subnet: '10.10.0.0/16', gateway: '10.11.0.1' }] })).toThrow(
      /'ipam.ranges\[0\].gateway' is outside 10.10.0.0\/16/,
    );
    expect(() => Ipam.hostLocal({ ranges: [{ subnet: '10.10.0.0/16', gateway: '0.0.0.0' }] })).toThrow(
      /'ipam.ranges\[0\].gateway' is the unspecified address/,
    );
  });

  test('fails when the data folder is not absolute', () => {
    expect(() => Ipam.hostLocal({ ranges: [{ subnet: '10.10.0.0/16' }], dataDir: 'var/lib/cni' })).toThrow(
      /'ipam.dataDir' is not an absolute path/,
    );
  });
});

describe('Ipam.whereabouts', () => {
  test('renders one range at the top level', () => {
    const ipam = Ipam.whereabouts({
      ranges: [{ range: '192.168.2.224/28', rangeStart: '192.168.2.226', exclude: ['192.168.2.228/30'] }],
      gateway: '192.168.2.225',
      routes: [{ dst: '10.0.0.0/8', gw: '192.168.2.225' }],
      networkName: 'blue',
      enableOverlappingRanges: false,
    });
    expect(ipam.toJson()).toEqual({
      type: 'whereabouts',
      range: '192.168.2.224/28',
      range_start: '192.168.2.226',
      exclude: ['192.168.2.228/30'],
      gateway: '192.168.2.225',
      routes: [{ dst: '10.0.0.0/8', gw: '192.168.2.225' }],
      network_name: 'blue',
      enable_overlapping_ranges: false,
    });
  });

  test('renders dual stack as ipRanges', () => {
    const ipam = Ipam.whereabouts({
      ranges: [{ range: '192.168.2.0/24' }, { range: 'fd00:2::/64', rangeEnd: 'fd00:2::ff' }],
    });
    expect(ipam.toJson()).toEqual({
      type: 'whereabouts',
      ipRanges: [{ range: '192.168.2.0/24' }, { range: 'fd00:2::/64', range_end: 'fd00:2::ff' }],
    });
  });

  test('fails when there is no range', () => {
    expect(() => Ipam.whereabouts({ ranges: [] })).toThrow(/'ipam.ranges' must hold at least one range/);
  });

  test('fails when the range has host bits', () => {
    expect(() => Ipam.whereabouts({ ranges: [{ range: '192.168.2.225/28' }] })).toThrow(
      /'ipam.ranges\[0\].range' has host bits set \(got "192.168.2.225\/28"\); write the network address "192.168.2.224\/28"/,
    );
  });

  test('fails when an exclusion is outside the range', () => {
    expect(() => Ipam.whereabouts({ ranges: [{ range: '192.168.2.224/28', exclude: ['192.168.3.0/30'] }] })).toThrow(
      /'ipam.ranges\[0\].exclude\[0\]' is outside the range 192.168.2.224\/28/,
    );
  });

  test('fails when two ranges overlap', () => {
    expect(() => Ipam.whereabouts({ ranges: [{ range: '192.168.2.0/24' }, { range: '192.168.2.128/25' }] })).toThrow(
      /'ipam.ranges\[1\].range' overlaps the range 192.168.2.0\/24/,
    );
  });

  test('fails when the gateway is outside every range', () => {
    expect(() => Ipam.whereabouts({ ranges: [{ range: '192.168.2.0/24' }], gateway: '192.168.3.1' })).toThrow(
      /'ipam.gateway' is outside 192.168.2.0\/24/,
    );
  });

  test('fails when the network name is invalid', () => {
    expect(() => Ipam.whereabouts({ ranges: [{ range: '192.168.2.0/24' }], networkName: 'Blue Net' })).toThrow(
      /'ipam.networkName' is not a valid network name/,
    );
  });

  test('fails when enableOverlappingRanges is not a boolean', () => {
    expect(() =>
      Ipam.whereabouts({ ranges: [{ range: '192.168.2.0/24' }], enableOverlappingRanges: 'yes' as never }),
    ).toThrow(/'ipam.enableOverlappingRanges' must be true or false/);
  });
});

describe('Ipam.dhcp', () => {
  test('renders the dhcp type only', () => {
    expect(Ipam.dhcp().toJson()).toEqual({ type: 'dhcp' });
    expect(Ipam.dhcp().subnets).toEqual([]);
  });
});

describe('Ipam properties', () => {
  test('random static, host-local and whereabouts props give an Ipam or the library error, never a TypeError', () => {
    const address = fc.tuple(fc.oneof(ipv4, ipv6), fc.integer({ min: 8, max: 130 })).map(([a, p]) => `${a}/${p}`);
    const gw = fc.oneof(ipv4, ipv6, fc.constantFrom('0.0.0.0', '::', '10.0.0.1'));
    const route = fc.record(
      { dst: mostly(fc.constantFrom('0.0.0.0/0', '::/0', '10.0.0.0/8', '10.0.0.1/8', 'fd00::/8')), gw: mostly(gw) },
      { requiredKeys: ['dst'] },
    );
    const staticProps = fc.record(
      {
        addresses: mostly(
          fc.array(fc.record({ address: mostly(address), gateway: mostly(gw) }, { requiredKeys: ['address'] }), {
            maxLength: 3,
          }),
        ),
        routes: mostly(fc.array(route, { maxLength: 3 })),
        dns: mostly(
          fc.record(
            {
              nameservers: fc.array(fc.oneof(ipv4, fc.string()), { maxLength: 2 }),
              domain: fc.constantFrom('example.com', 'bad domain'),
            },
            { requiredKeys: [] },
          ),
        ),
      },
      { requiredKeys: ['addresses'] },
    );
    const cidr = fc.constantFrom('10.0.0.0/8', '10.10.0.0/16', '10.10.0.1/16', 'fd00::/64', '192.168.2.224/28');
    const hostLocal = fc.record({
      ranges: fc.array(
        fc.record({ subnet: cidr, rangeStart: mostly(ipv4), gateway: mostly(ipv4) }, { requiredKeys: ['subnet'] }),
        { maxLength: 3 },
      ),
    });
    const whereabouts = fc.record(
      {
        ranges: fc.array(
          fc.record({ range: cidr, exclude: fc.array(cidr, { maxLength: 2 }) }, { requiredKeys: ['range'] }),
          { maxLength: 2 },
        ),
        gateway: mostly(ipv4),
      },
      { requiredKeys: ['ranges'] },
    );
    let accepted = 0;
    fc.assert(
      fc.property(
        fc.oneof(
          staticProps.map((p) => () => Ipam.static(p as never)),
          hostLocal.map((p) => () => Ipam.hostLocal(p as never)),
          whereabouts.map((p) => () => Ipam.whereabouts(p as never)),
          garbage.map((p) => () => Ipam.static(p as never)),
        ),
        (build) => {
          try {
            const ipam = build();
            expect(JSON.stringify(ipam.toJson())).not.toMatch(/undefined|null|NaN/);
            accepted++;
          } catch (e) {
            if (!(e instanceof BaremetalValidationError)) throw e;
          }
        },
      ),
      { numRuns: RUNS, seed: SEED },
    );
    expect(accepted).toBeGreaterThan(0);
  });
});
