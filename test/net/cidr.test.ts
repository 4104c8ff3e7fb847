import * as fc from 'fast-check';
import * as ipaddr from 'ipaddr.js';
import { BaremetalValidationError } from '../../lib/errors';
import { Cidr } from '../../lib/net/cidr';
import { IpAddress } from '../../lib/net/ip-address';

function parsesOrRefuses(f: () => unknown): boolean {
  try {
    f();
    return true;
  } catch (e) {
    return e instanceof BaremetalValidationError;
  }
}

const ipv4 = fc.tuple(...Array.from({ length: 4 }, () => fc.integer({ min: 0, max: 255 }))).map((o) => o.join('.'));
const ipv6 = fc
  .array(fc.integer({ min: 0, max: 0xffff }), { minLength: 8, maxLength: 8 })
  .map((g) => g.map((x) => x.toString(16)).join(':'));
const v4Network = fc.tuple(ipv4, fc.integer({ min: 0, max: 32 })).map(([a, p]) => Cidr.fromAddress(a, p));
const v6Network = fc.tuple(ipv6, fc.integer({ min: 0, max: 128 })).map(([a, p]) => Cidr.fromAddress(a, p));

describe('Cidr', () => {
  describe('parse', () => {
    test('reads an IPv4 network', () => {
      // WHEN
      const cidr = Cidr.parse('10.0.0.0/24');
      // THEN
      expect(cidr.family).toBe('ipv4');
      expect(cidr.prefixLength).toBe(24);
      expect(cidr.network.toString()).toBe('10.0.0.0');
      expect(cidr.toString()).toBe('10.0.0.0/24');
    });

    test('reads an IPv6 network and prints it canonically', () => {
      // WHEN
      const cidr = Cidr.parse('FD00:0010:0::/64');
      // THEN
      expect(cidr.family).toBe('ipv6');
      expect(cidr.prefixLength).toBe(64);
      expect(cidr.toString()).toBe('fd00:10::/64');
    });

    test('accepts /0 and full-length prefixes', () => {
      expect(Cidr.parse('0.0.0.0/0').toString()).toBe('0.0.0.0/0');
      expect(Cidr.parse('10.0.0.7/32').toString()).toBe('10.0.0.7/32');
      expect(Cidr.parse('::/0').toString()).toBe('::/0');
      expect(Cidr.parse('fd00::7/128').toString()).toBe('fd00::7/128');
    });

    test('names the construct path and prop it is given', () => {
      expect(() => Cidr.parse('10.0.0.1/24', { path: 'site/Cluster', prop: 'podCidrs[0]' })).toThrow(
        /^\[site\/Cluster\] 'podCidrs\[0\]' has host bits set/,
      );
    });

    test.each([42, null, undefined, {}, ['10.0.0.0/8']])('fails when the value is not a string (%p)', (value) => {
      expect(() => Cidr.parse(value)).toThrow(/^\[Cidr\.parse\] 'cidr' must be a string/);
    });

    test('fails when the prefix length is missing, and suggests one', () => {
      expect(() => Cidr.parse('10.0.0.0')).toThrow(
        /'cidr' has no prefix length \(got "10\.0\.0\.0"\); add the prefix length, e\.g\. "10\.0\.0\.0\/24"/,
      );
      expect(() => Cidr.parse('fd00::')).toThrow(/'cidr' has no prefix length .*"fd00::\/64"/);
    });

    test('fails when there is more than one slash', () => {
      expect(() => Cidr.parse('10.0.0.0/24/8')).toThrow(
        /'cidr' has more than one "\/" .*; write a network and its prefix length, e\.g\. "10\.0\.0\.0\/24" or "fd00::\/64"$/,
      );
    });

    test.each(['10.0.0/24', '010.0.0.0/8', 'fd00::g/64', '/24', 'fe80::%eth0/64'])(
      'fails when the address part of %s is not an IP address',
      (value) => {
        expect(() => Cidr.parse(value)).toThrow(/'cidr' does not start with a valid IP address/);
      },
    );

    test.each(['10.0.0.0/33', '10.0.0.0/-1', '10.0.0.0/024', '10.0.0.0/', '10.0.0.0/2a', '10.0.0.0/ 8'])(
      'fails when the IPv4 prefix length of %s is not 0 to 32',
      (value) => {
        expect(() => Cidr.parse(value)).toThrow(/'cidr' has a prefix length that is not a whole number from 0 to 32/);
      },
    );

    test('fails when the IPv6 prefix length is above 128', () => {
      expect(() => Cidr.parse('fd00::/129')).toThrow(
        /'cidr' has a prefix length that is not a whole number from 0 to 128/,
      );
    });

    test('fails when host bits are set, and gives the network to write instead', () => {
      expect(() => Cidr.parse('10.0.0.5/24')).toThrow(
        /'cidr' has host bits set \(got "10\.0\.0\.5\/24"\); write the network address "10\.0\.0\.0\/24"/,
      );
      expect(() => Cidr.parse('fd00::1/64')).toThrow(/'cidr' has host bits set .*"fd00::\/64"/);
    });
  });

  describe('fromAddress', () => {
    test('derives the network that holds an interface address', () => {
      // WHEN
      const cidr = Cidr.fromAddress('192.168.1.10', 24);
      // THEN
      expect(cidr.toString()).toBe('192.168.1.0/24');
      expect(cidr.contains('192.168.1.10')).toBe(true);
    });

    test('accepts an IpAddress and IPv6', () => {
      expect(Cidr.fromAddress(IpAddress.parse('fd00::1:2:3'), 64).toString()).toBe('fd00::/64');
      expect(Cidr.fromAddress('fd00:10:20::5', 48).toString()).toBe('fd00:10:20::/48');
    });

    test('keeps the address for a full-length prefix and zeroes it for /0', () => {
      expect(Cidr.fromAddress('10.1.2.3', 32).toString()).toBe('10.1.2.3/32');
      expect(Cidr.fromAddress('10.1.2.3', 0).toString()).toBe('0.0.0.0/0');
    });

    test('fails when the IPv4 prefix length is out of range', () => {
      expect(() => Cidr.fromAddress('10.0.0.1', 33)).toThrow(
        /^\[Cidr\.fromAddress\] 'prefixLength' must be an integer from 0 to 32 \(got 33\)/,
      );
    });

    test('fails when the IPv6 prefix length is out of range', () => {
      expect(() => Cidr.fromAddress('fd00::1', 129)).toThrow(/'prefixLength' must be an integer from 0 to 128/);
    });

    test.each([24.5, -1, NaN, '24'])('fails when the prefix length is not a whole number (%p)', (prefix) => {
      expect(() => Cidr.fromAddress('10.0.0.1', prefix as number)).toThrow(
        /'prefixLength' must be an integer from 0 to 32/,
      );
    });

    test('fails when the address is not an IP address', () => {
      expect(() => Cidr.fromAddress('10.0.0', 24)).toThrow(
        /^\[Cidr\.fromAddress\] 'address' is not a dotted-quad IPv4 address/,
      );
    });

    test('names the given place for both address and prefix length', () => {
      const where = { path: 'site/Host', prop: 'networkData.interfaces[0].ipv4.addresses[0]' };
      expect(() => Cidr.fromAddress('10.0.0', 24, where)).toThrow(
        /^\[site\/Host\] 'networkData\.interfaces\[0\]\.ipv4\.addresses\[0\]' /,
      );
      expect(() => Cidr.fromAddress('10.0.0.1', 40, where)).toThrow(
        /^\[site\/Host\] 'networkData\.interfaces\[0\]\.ipv4\.addresses\[0\]' must be/,
      );
    });
  });

  describe('contains', () => {
    // GIVEN
    const net = Cidr.parse('10.20.0.0/16');

    test.each([
      ['10.20.0.0', true],
      ['10.20.255.255', true],
      ['10.20.7.9', true],
      ['10.21.0.0', false],
      ['10.19.255.255', false],
    ])('%s is inside 10.20.0.0/16: %p', (ip, inside) => {
      expect(net.contains(ip)).toBe(inside);
      expect(net.contains(IpAddress.parse(ip))).toBe(inside);
    });

    test('is false across families, even for an IPv4-mapped address', () => {
      expect(net.contains('::ffff:10.20.0.1')).toBe(false);
      expect(Cidr.parse('::/0').contains('10.20.0.1')).toBe(false);
    });

    test('works for IPv6', () => {
      expect(Cidr.parse('fd00:10::/64').contains('fd00:10::abcd')).toBe(true);
      expect(Cidr.parse('fd00:10::/64').contains('fd00:11::1')).toBe(false);
    });

    test('fails when the address is not an IP address', () => {
      expect(() => net.contains('10.20.0')).toThrow(/^\[Cidr\.contains\] 'address' is not a dotted-quad IPv4 address/);
      expect(() => net.contains(42 as never)).toThrow(BaremetalValidationError);
    });
  });

  describe('containsCidr and overlaps', () => {
    test('a network contains its subnets and itself, not its supernet', () => {
      // GIVEN
      const big = Cidr.parse('10.0.0.0/8');
      const small = Cidr.parse('10.1.0.0/16');
      // THEN
      expect(big.containsCidr(small)).toBe(true);
      expect(big.containsCidr(big)).toBe(true);
      expect(small.containsCidr(big)).toBe(false);
    });

    test('nested networks overlap both ways', () => {
      const big = Cidr.parse('10.0.0.0/8');
      const small = Cidr.parse('10.1.0.0/16');
      expect(big.overlaps(small)).toBe(true);
      expect(small.overlaps(big)).toBe(true);
    });

    test('adjacent networks do not overlap', () => {
      const low = Cidr.parse('10.0.0.0/25');
      const high = Cidr.parse('10.0.0.128/25');
      expect(low.overlaps(high)).toBe(false);
      expect(high.overlaps(low)).toBe(false);
      expect(low.containsCidr(high)).toBe(false);
    });

    test('networks of different families neither contain nor overlap each other', () => {
      const all4 = Cidr.parse('0.0.0.0/0');
      const all6 = Cidr.parse('::/0');
      expect(all4.overlaps(all6)).toBe(false);
      expect(all6.overlaps(all4)).toBe(false);
      expect(all6.containsCidr(Cidr.parse('::ffff:0.0.0.0/96'))).toBe(true);
      expect(all6.containsCidr(all4)).toBe(false);
    });

    test('a network does not contain a larger network that starts at the same address', () => {
      // GIVEN two networks with the same network address
      const small = Cidr.parse('10.0.0.0/16');
      const big = Cidr.parse('10.0.0.0/8');
      // THEN the smaller holds the larger's first address but not all of it
      expect(small.contains(big.network)).toBe(true);
      expect(small.containsCidr(big)).toBe(false);
      expect(big.containsCidr(small)).toBe(true);
      expect(small.overlaps(big)).toBe(true);
    });

    test('IPv6 networks overlap by prefix', () => {
      expect(Cidr.parse('fd00::/48').overlaps(Cidr.parse('fd00:0:0:5::/64'))).toBe(true);
      expect(Cidr.parse('fd00::/48').overlaps(Cidr.parse('fd00:1::/48'))).toBe(false);
    });
  });

  describe('isNetworkAddress and isBroadcastAddress', () => {
    test('mark the first and last address of an IPv4 network', () => {
      // GIVEN
      const net = Cidr.parse('192.168.1.0/24');
      // THEN
      expect(net.isNetworkAddress('192.168.1.0')).toBe(true);
      expect(net.isBroadcastAddress('192.168.1.255')).toBe(true);
      expect(net.isNetworkAddress('192.168.1.1')).toBe(false);
      expect(net.isBroadcastAddress('192.168.1.254')).toBe(false);
      expect(net.isBroadcastAddress(IpAddress.parse('192.168.1.255'))).toBe(true);
    });

    test('are false for /31 and /32, where every address is usable', () => {
      expect(Cidr.parse('10.0.0.0/31').isNetworkAddress('10.0.0.0')).toBe(false);
      expect(Cidr.parse('10.0.0.0/31').isBroadcastAddress('10.0.0.1')).toBe(false);
      expect(Cidr.parse('10.0.0.7/32').isNetworkAddress('10.0.0.7')).toBe(false);
      expect(Cidr.parse('10.0.0.7/32').isBroadcastAddress('10.0.0.7')).toBe(false);
    });

    test('are false for IPv6 networks and for addresses of the other family', () => {
      expect(Cidr.parse('fd00::/64').isNetworkAddress('fd00::')).toBe(false);
      expect(Cidr.parse('fd00::/64').isBroadcastAddress('fd00::ffff:ffff:ffff:ffff')).toBe(false);
      expect(Cidr.parse('10.0.0.0/8').isNetworkAddress('::ffff:10.0.0.0')).toBe(false);
    });

    test('are false for an address of the other family whose leading bytes match', () => {
      // GIVEN an IPv6 /16 whose first four bytes read 253.0.0.0 (253.0.255.255 with host bits set),
      // and an IPv6 address whose first four bytes are the IPv4 broadcast address 10.0.0.255 and
      // whose other bytes are all ones
      const v6 = Cidr.parse('fd00::/16');
      const v4 = Cidr.parse('10.0.0.0/24');
      // THEN neither is taken for the network or broadcast address of the other family
      expect(v6.isBroadcastAddress('253.0.255.255')).toBe(false);
      expect(v6.isNetworkAddress('253.0.0.0')).toBe(false);
      expect(v4.isBroadcastAddress('a00:ff:ffff:ffff:ffff:ffff:ffff:ffff')).toBe(false);
      expect(v4.isBroadcastAddress('10.0.0.255')).toBe(true);
    });

    test('fail when the address is not an IP address', () => {
      expect(() => Cidr.parse('10.0.0.0/8').isBroadcastAddress('x')).toThrow(
        /^\[Cidr\.isBroadcastAddress\] 'address' /,
      );
      expect(() => Cidr.parse('10.0.0.0/8').isNetworkAddress('x')).toThrow(/^\[Cidr\.isNetworkAddress\] 'address' /);
    });
  });

  describe('equals', () => {
    test('compares network and prefix length', () => {
      expect(Cidr.parse('fd00::/64').equals(Cidr.parse('FD00:0::/64'))).toBe(true);
      expect(Cidr.parse('10.0.0.0/8').equals(Cidr.parse('10.0.0.0/9'))).toBe(false);
      expect(Cidr.parse('0.0.0.0/0').equals(Cidr.parse('::/0'))).toBe(false);
    });
  });

  describe('properties', () => {
    test('any value either parses or throws BaremetalValidationError', () => {
      fc.assert(
        fc.property(fc.anything(), (value) => parsesOrRefuses(() => Cidr.parse(value))),
        { numRuns: 200 },
      );
    });

    test('any CIDR-like string either parses or throws BaremetalValidationError', () => {
      fc.assert(
        fc.property(fc.stringMatching(/^[0-9a-f:./]{0,45}$/), (value) => parsesOrRefuses(() => Cidr.parse(value))),
        { numRuns: 200 },
      );
    });

    test('the network of an address contains it and round-trips through parse', () => {
      fc.assert(
        fc.property(
          fc.oneof(fc.tuple(ipv4, fc.integer({ min: 0, max: 32 })), fc.tuple(ipv6, fc.integer({ min: 0, max: 128 }))),
          ([address, prefix]) => {
            const cidr = Cidr.fromAddress(address, prefix);
            return cidr.contains(address) && Cidr.parse(cidr.toString()).equals(cidr) && cidr.prefixLength === prefix;
          },
        ),
        { numRuns: 200 },
      );
    });

    test('network, contains and broadcast agree with ipaddr.js, for any address and prefix length', () => {
      // The byte arithmetic of Cidr against the library it replaced in the hot path.
      const mapped = ipv4.map((a) => `::ffff:${a}`);
      fc.assert(
        fc.property(
          fc.oneof(
            fc.tuple(ipv4, ipv4, fc.integer({ min: 0, max: 32 })),
            fc.tuple(ipv6, ipv6, fc.integer({ min: 0, max: 128 })),
            fc.tuple(mapped, ipv6, fc.integer({ min: 0, max: 128 })),
          ),
          ([address, other, prefix]) => {
            const cidr = Cidr.fromAddress(address, prefix);
            const ref = ipaddr.parseCIDR(`${address}/${prefix}`);
            const refNetwork =
              ref[0].kind() === 'ipv4'
                ? ipaddr.IPv4.networkAddressFromCIDR(`${address}/${prefix}`)
                : ipaddr.IPv6.networkAddressFromCIDR(`${address}/${prefix}`);
            expect(cidr.network.equals(IpAddress.parse(refNetwork.toString()))).toBe(true);
            expect(cidr.contains(other)).toBe(ipaddr.parse(other).match(ref));
            if (cidr.family === 'ipv4' && prefix < 31) {
              const broadcast = ipaddr.IPv4.broadcastAddressFromCIDR(`${address}/${prefix}`).toString();
              expect(cidr.isBroadcastAddress(other)).toBe(other === broadcast);
              expect(cidr.isBroadcastAddress(broadcast)).toBe(true);
            }
          },
        ),
        { numRuns: 500 },
      );
    });

    test('overlaps is symmetric and agrees with containment', () => {
      fc.assert(
        fc.property(
          fc.oneof(fc.tuple(v4Network, v4Network), fc.tuple(v6Network, v6Network), fc.tuple(v4Network, v6Network)),
          ([a, b]) => {
            const overlaps = a.overlaps(b);
            return (
              overlaps === b.overlaps(a) &&
              overlaps === (a.containsCidr(b) || b.containsCidr(a)) &&
              (overlaps ? a.family === b.family : true)
            );
          },
        ),
        { numRuns: 200 },
      );
    });
  });
});
