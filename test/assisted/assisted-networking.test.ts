import * as fc from 'fast-check';
import {
  AssistedNetworkingContext,
  AssistedNetworkingOptions,
  validateAssistedNetworking,
} from '../../lib/assisted/assisted-networking';
import { IpAddress } from '../../lib/net/ip-address';
import { acceptsOrRefuses, cidr, ipv4, ipv6, mostly, RUNS, SEED } from '../arbitraries';

const where = { path: 'site/Cluster', prop: 'networking' };
const multi: AssistedNetworkingContext = {
  nodeCount: 5,
  singleNode: false,
  loadBalancer: 'ClusterManaged',
  hostAddresses: [],
};
const seed: AssistedNetworkingOptions = {
  machineNetworks: ['172.16.0.0/24'],
  clusterNetworks: [{ cidr: '10.128.0.0/14', hostPrefix: 23 }],
  serviceNetworks: ['172.31.0.0/16'],
  apiVIPs: ['172.16.0.100'],
  ingressVIPs: ['172.16.0.101'],
};
const check = (o: Partial<AssistedNetworkingOptions>, ctx: Partial<AssistedNetworkingContext> = {}) =>
  validateAssistedNetworking({ ...seed, ...o } as AssistedNetworkingOptions, { ...multi, ...ctx }, where);

describe('validateAssistedNetworking', () => {
  test("accepts the seed's networks and VIPs", () => {
    // GIVEN the seed's networks / WHEN validated
    const n = check({});
    // THEN they come back parsed
    expect(n.machineNetworks.map(String)).toEqual(['172.16.0.0/24']);
    expect(n.clusterNetworks.map((c) => [c.cidr.toString(), c.hostPrefix])).toEqual([['10.128.0.0/14', 23]]);
    expect(n.apiVIPs.map(String)).toEqual(['172.16.0.100']);
    expect(n.families).toEqual(['ipv4']);
  });

  test("defaults pod and service networks to OpenShift's", () => {
    const n = check({ clusterNetworks: undefined, serviceNetworks: undefined });
    expect(n.serviceNetworks.map(String)).toEqual(['172.30.0.0/16']);
    expect(n.clusterNetworks[0].cidr.toString()).toEqual('10.128.0.0/14');
  });

  test('accepts dual stack ordered by family', () => {
    const n = check({
      machineNetworks: ['172.16.0.0/24', 'fd00:16::/64'],
      clusterNetworks: [
        { cidr: '10.128.0.0/14', hostPrefix: 23 },
        { cidr: 'fd01::/48', hostPrefix: 64 },
      ],
      serviceNetworks: ['172.31.0.0/16', 'fd02::/112'],
      apiVIPs: ['172.16.0.100', 'fd00:16::100'],
      ingressVIPs: ['172.16.0.101', 'fd00:16::101'],
    });
    expect(n.families).toEqual(['ipv4', 'ipv6']);
  });

  test('fails when a dual-stack list is not in the order of machineNetworks', () => {
    expect(() =>
      check({
        machineNetworks: ['172.16.0.0/24', 'fd00:16::/64'],
        clusterNetworks: [
          { cidr: 'fd01::/48', hostPrefix: 64 },
          { cidr: '10.128.0.0/14', hostPrefix: 23 },
        ],
        serviceNetworks: ['172.31.0.0/16', 'fd02::/112'],
      }),
    ).toThrow(/'networking.clusterNetworks' lists ipv6, ipv4 but machineNetworks lists ipv4, ipv6/);
  });

  test('fails when dual-stack VIPs are in the wrong order', () => {
    expect(() =>
      check({
        machineNetworks: ['172.16.0.0/24', 'fd00:16::/64'],
        clusterNetworks: [
          { cidr: '10.128.0.0/14', hostPrefix: 23 },
          { cidr: 'fd01::/48', hostPrefix: 64 },
        ],
        serviceNetworks: ['172.31.0.0/16', 'fd02::/112'],
        apiVIPs: ['fd00:16::100', '172.16.0.100'],
        ingressVIPs: ['172.16.0.101', 'fd00:16::101'],
      }),
    ).toThrow(/'networking.apiVIPs' lists ipv6, ipv4 but machineNetworks lists ipv4, ipv6/);
  });

  test('fails when a list holds two blocks of one family', () => {
    expect(() => check({ machineNetworks: ['172.16.0.0/24', '172.17.0.0/24'] })).toThrow(
      /'networking.machineNetworks' holds two entries of the same family/,
    );
  });

  test('fails when the machine network is missing', () => {
    expect(() => check({ machineNetworks: undefined })).toThrow(/'networking.machineNetworks' is missing/);
  });

  test('fails when the API VIP is outside the machine network', () => {
    expect(() => check({ apiVIPs: ['172.17.0.100'] })).toThrow(
      /'networking.apiVIPs\[0\]' is outside the machine network 172.16.0.0\/24 \(got "172.17.0.100"\)/,
    );
  });

  test('accepts a VIP outside the machine network with a user-managed load balancer', () => {
    expect(check({ apiVIPs: ['192.168.1.10'] }, { loadBalancer: 'UserManaged' }).apiVIPs.map(String)).toEqual([
      '192.168.1.10',
    ]);
  });

  test('fails when a VIP is the broadcast address of the machine network', () => {
    expect(() => check({ ingressVIPs: ['172.16.0.255'] })).toThrow(
      /'networking.ingressVIPs\[0\]' is the broadcast address of 172.16.0.0\/24/,
    );
  });

  test('fails when the API and ingress VIPs are the same', () => {
    expect(() => check({ ingressVIPs: ['172.16.0.100'] })).toThrow(/'networking.ingressVIPs\[0\]' is also an API VIP/);
  });

  test('fails when a VIP is a host address', () => {
    expect(() =>
      check({}, { hostAddresses: [{ host: 'master-0', address: IpAddress.parse('172.16.0.101') }] }),
    ).toThrow(/'networking.ingressVIPs\[0\]' is the address of host master-0/);
  });

  test('fails when a VIP is inside the service network', () => {
    // GIVEN a service network that overlaps nothing but holds the VIP? It cannot overlap the machine network,
    // so use a user-managed load balancer with a VIP inside the service network
    expect(() => check({ apiVIPs: ['172.31.0.10'] }, { loadBalancer: 'UserManaged' })).toThrow(
      /'networking.apiVIPs\[0\]' is inside the service network 172.31.0.0\/16/,
    );
  });

  test('fails when a VIP is inside the pod network', () => {
    expect(() => check({ apiVIPs: ['10.128.0.10'] }, { loadBalancer: 'UserManaged' })).toThrow(
      /'networking.apiVIPs\[0\]' is inside the pod network 10.128.0.0\/14/,
    );
  });

  test('fails when the VIPs of a multi-node cluster are missing', () => {
    expect(() => check({ apiVIPs: undefined })).toThrow(/'networking.apiVIPs' is missing/);
  });

  test('fails when a single-node cluster is given VIPs', () => {
    expect(() => check({}, { singleNode: true, nodeCount: 1 })).toThrow(
      /'networking.apiVIPs' is set for a single-node cluster/,
    );
  });

  test('accepts a single-node cluster without VIPs', () => {
    expect(check({ apiVIPs: undefined, ingressVIPs: undefined }, { singleNode: true, nodeCount: 1 }).apiVIPs).toEqual(
      [],
    );
  });

  test('fails when the host prefix is not longer than the pod block', () => {
    expect(() => check({ clusterNetworks: [{ cidr: '10.128.0.0/14', hostPrefix: 14 }] })).toThrow(
      /'networking.clusterNetworks\[0\].hostPrefix' must be longer than the \/14 of 10.128.0.0\/14 and at most 30/,
    );
  });

  test('fails when the host prefix leaves no slice for some nodes', () => {
    expect(() => check({ clusterNetworks: [{ cidr: '10.128.0.0/22', hostPrefix: 24 }] })).toThrow(
      /cuts 10.128.0.0\/22 into 4 node slice\(s\), fewer than the 5 nodes/,
    );
  });

  test('fails when the machine and service networks overlap', () => {
    expect(() => check({ serviceNetworks: ['172.16.0.0/16'], apiVIPs: ['172.16.0.100'] })).toThrow(
      /'networking.serviceNetworks' 172.16.0.0\/16 overlaps the machineNetworks block 172.16.0.0\/24/,
    );
  });

  describe('properties', () => {
    test('any networking input is accepted or refused with a library error', () => {
      const vip = mostly(fc.oneof(ipv4, ipv6, fc.constantFrom('172.16.0.100', '172.16.0.101')));
      const arb = fc.record({
        machineNetworks: mostly(fc.array(fc.oneof(cidr, fc.constant('172.16.0.0/24')), { maxLength: 3 })),
        clusterNetworks: fc.option(
          mostly(
            fc.array(fc.record({ cidr: mostly(cidr), hostPrefix: mostly(fc.integer({ min: -1, max: 130 })) }), {
              maxLength: 3,
            }),
          ),
          { nil: undefined },
        ),
        serviceNetworks: fc.option(mostly(fc.array(cidr, { maxLength: 3 })), { nil: undefined }),
        apiVIPs: fc.option(mostly(fc.array(vip, { maxLength: 3 })), { nil: undefined }),
        ingressVIPs: fc.option(mostly(fc.array(vip, { maxLength: 3 })), { nil: undefined }),
      });
      fc.assert(
        fc.property(arb, fc.boolean(), (o, single) => {
          acceptsOrRefuses(() => {
            validateAssistedNetworking(o as never, { ...multi, singleNode: single }, where);
            return '';
          });
        }),
        { numRuns: RUNS, seed: SEED },
      );
    });
  });
});
