import * as fc from 'fast-check';
import { BaremetalValidationError } from '../../lib/errors';
import { IpAddress } from '../../lib/net/ip-address';

/** True when `f` returns, or throws the library's error; false for any other exception. */
function parsesOrRefuses(f: () => unknown): boolean {
  try {
    f();
    return true;
  } catch (e) {
    return e instanceof BaremetalValidationError;
  }
}

const byte = fc.integer({ min: 0, max: 255 });
const group = fc.integer({ min: 0, max: 0xffff });

describe('IpAddress', () => {
  describe('parse', () => {
    test('reads a dotted-quad IPv4 address', () => {
      // WHEN
      const ip = IpAddress.parse('192.168.1.10');
      // THEN
      expect(ip.family).toBe('ipv4');
      expect(ip.toString()).toBe('192.168.1.10');
    });

    test.each([
      ['FD00:0:0::10', 'fd00::10'],
      ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
      ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
      ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
      ['0:0:0:0:0:0:0:0', '::'],
      ['::1', '::1'],
      ['2001:db8::1.2.3.4', '2001:db8::102:304'],
    ])('prints IPv6 %s in RFC 5952 form %s', (input, canonical) => {
      // WHEN
      const ip = IpAddress.parse(input);
      // THEN
      expect(ip.family).toBe('ipv6');
      expect(ip.toString()).toBe(canonical);
    });

    test('accepts IPv4-mapped IPv6 addresses and prints them with a dotted-quad tail', () => {
      // WHEN
      const dotted = IpAddress.parse('::FFFF:192.0.2.1');
      const hex = IpAddress.parse('::ffff:c000:201');
      // THEN
      expect(dotted.family).toBe('ipv6');
      expect(dotted.toString()).toBe('::ffff:192.0.2.1');
      expect(hex.equals(dotted)).toBe(true);
    });

    test('names the construct path and prop it is given', () => {
      expect(() => IpAddress.parse('nope', { path: 'site/Cluster', prop: 'vip' })).toThrow(
        /^\[site\/Cluster\] 'vip' is not a dotted-quad IPv4 address \(got "nope"\); /,
      );
    });

    test('names IpAddress.parse by default', () => {
      expect(() => IpAddress.parse('nope')).toThrow(/^\[IpAddress\.parse\] 'address' /);
    });

    test.each([42, null, undefined, {}, ['10.0.0.1'], true])('fails when the value is not a string (%p)', (value) => {
      expect(() => IpAddress.parse(value)).toThrow(BaremetalValidationError);
      expect(() => IpAddress.parse(value)).toThrow(
        /'address' must be a string .*; pass an IP address such as "192\.168\.1\.10" or "fd00::10"$/,
      );
    });

    test('fails when the value is empty', () => {
      expect(() => IpAddress.parse('')).toThrow(
        /'address' must not be empty \(got ""\); pass an IP address such as "192\.168\.1\.10"$/,
      );
    });

    test('fails when the value has whitespace', () => {
      expect(() => IpAddress.parse(' 10.0.0.1')).toThrow(
        /'address' contains whitespace .*; remove the spaces and line breaks$/,
      );
    });

    test('fails when the value is a CIDR, and says which address to keep', () => {
      expect(() => IpAddress.parse('10.0.0.1/24')).toThrow(
        /'address' is a CIDR, not an address .*drop the prefix length: "10\.0\.0\.1"/,
      );
    });

    test.each(['010.1.1.1', '1.2.3', '10.1', '167772161', '0x0a.0.0.1', '256.1.1.1', '1.2.3.4.5', '1..2.3', 'a.b.c.d'])(
      'fails when IPv4 %s is not four decimal octets',
      (value) => {
        expect(() => IpAddress.parse(value)).toThrow(
          /'address' is not a dotted-quad IPv4 address .*without leading zeros/,
        );
      },
    );

    test.each(['[fd00::1]', '[fd00::1', 'fd00::1]', '[[fd00::1]]'])(
      'fails when IPv6 address %s has a bracket',
      (value) => {
        expect(() => IpAddress.parse(value)).toThrow(
          /'address' has brackets .*; write the address without them: "fd00::1"$/,
        );
      },
    );

    test('fails when an IPv6 address has a zone id', () => {
      expect(() => IpAddress.parse('fe80::1%eth0')).toThrow(
        /'address' has an IPv6 zone id .*remove the "%eth0" suffix/,
      );
    });

    test('fails when an IPv6 address is in the deprecated IPv4-compatible form', () => {
      expect(() => IpAddress.parse('::1.2.3.4')).toThrow(
        /'address' is a deprecated IPv4-compatible IPv6 address .*; write the IPv4 address "1\.2\.3\.4", or "::ffff:1\.2\.3\.4" for an IPv4-mapped one$/,
      );
      expect(() => IpAddress.parse('::192.168.10.200')).toThrow(
        /'address' is a deprecated IPv4-compatible IPv6 address .*"192\.168\.10\.200"/,
      );
    });

    test('fails on a five-part embedded IPv4 tail as an invalid embedded part, not as the deprecated form', () => {
      expect(() => IpAddress.parse('::1.2.3.4.5')).toThrow(/'address' has an invalid embedded IPv4 part/);
    });

    test.each(['::ffff:1.2.3.4z', 'z::ffff:01.2.3.4', '::ffff:1.2-3.4'])(
      'fails when %s has a character no IPv6 address has, before looking at its parts',
      (value) => {
        expect(() => IpAddress.parse(value)).toThrow(
          /'address' is not a valid IPv6 address .*; write it like "fd00::10" \(hex groups separated by ":", no brackets, no zone id\)$/,
        );
      },
    );

    test('fails when the embedded IPv4 part has leading zeros', () => {
      expect(() => IpAddress.parse('::ffff:01.2.3.4')).toThrow(
        /'address' has an invalid embedded IPv4 part .*; write the embedded IPv4 part as four decimal octets without leading zeros, e\.g\. "::ffff:192\.0\.2\.1"$/,
      );
    });

    test.each(['1::2::3', '1:2:3:4:5:6:7:8:9', '00000::1', 'g::1', ':::', '1:2:3:4:5:6:7:1.2.3.4', 'fd00:::1'])(
      'fails when %s is not an IPv6 address',
      (value) => {
        expect(() => IpAddress.parse(value)).toThrow(/'address' is not a valid IPv6 address/);
      },
    );
  });

  describe('isValid', () => {
    test('is true for addresses parse accepts and false otherwise, for any input', () => {
      expect(IpAddress.isValid('10.0.0.1')).toBe(true);
      expect(IpAddress.isValid('fd00::1')).toBe(true);
      expect(IpAddress.isValid('010.0.0.1')).toBe(false);
      expect(IpAddress.isValid(10)).toBe(false);
      expect(IpAddress.isValid(null)).toBe(false);
    });
  });

  describe('behaviour', () => {
    test('equals compares addresses, not spellings', () => {
      // GIVEN
      const a = IpAddress.parse('fd00:0::1');
      const b = IpAddress.parse('FD00::0001');
      // THEN
      expect(a.equals(b)).toBe(true);
      expect(a.equals(IpAddress.parse('fd00::2'))).toBe(false);
    });

    test('equals is false across families, even for an IPv4-mapped address', () => {
      expect(IpAddress.parse('::ffff:10.0.0.1').equals(IpAddress.parse('10.0.0.1'))).toBe(false);
    });

    test('equals is false for an object that only looks like an address', () => {
      // GIVEN a plain object with the same fields as a parsed address
      const lookalike = { family: 'ipv4', text: '10.0.0.1', bytes: [10, 0, 0, 1] } as unknown as IpAddress;
      // THEN
      expect(IpAddress.parse('10.0.0.1').equals(lookalike)).toBe(false);
    });

    test.each([
      ['0.0.0.0', true, false, false],
      ['::', true, false, false],
      ['0.1.2.3', false, false, false],
      ['127.0.0.1', false, true, false],
      ['127.255.0.9', false, true, false],
      ['::1', false, true, false],
      ['224.0.0.251', false, false, true],
      ['239.255.255.250', false, false, true],
      ['ff02::1', false, false, true],
      ['10.0.0.1', false, false, false],
      ['fd00::1', false, false, false],
    ])('classifies %s: unspecified %p, loopback %p, multicast %p', (text, unspecified, loopback, multicast) => {
      // GIVEN
      const ip = IpAddress.parse(text);
      // THEN
      expect([ip.isUnspecified(), ip.isLoopback(), ip.isMulticast()]).toEqual([unspecified, loopback, multicast]);
    });
  });

  describe('properties', () => {
    test('any value either parses or throws BaremetalValidationError', () => {
      fc.assert(
        fc.property(fc.anything(), (value) => parsesOrRefuses(() => IpAddress.parse(value))),
        { numRuns: 200 },
      );
    });

    test('any address-like string either parses or throws BaremetalValidationError', () => {
      fc.assert(
        fc.property(fc.stringMatching(/^[0-9a-fA-F:.%[\]/x ]{0,45}$/), (value) =>
          parsesOrRefuses(() => IpAddress.parse(value)),
        ),
        { numRuns: 200 },
      );
    });

    test('toBytes and fromBytes round-trip any address', () => {
      fc.assert(
        fc.property(
          fc.oneof(fc.array(byte, { minLength: 4, maxLength: 4 }), fc.array(byte, { minLength: 16, maxLength: 16 })),
          (bytes) => {
            const ip = IpAddress.fromBytes(bytes);
            return (
              ip.family === (bytes.length === 4 ? 'ipv4' : 'ipv6') &&
              JSON.stringify(ip.toBytes()) === JSON.stringify(bytes) &&
              IpAddress.parse(ip.toString()).equals(ip)
            );
          },
        ),
        { numRuns: 200 },
      );
    });

    test('a generated dotted quad prints as itself and round-trips', () => {
      fc.assert(
        fc.property(fc.tuple(byte, byte, byte, byte), (octets) => {
          const text = octets.join('.');
          const ip = IpAddress.parse(text);
          return ip.family === 'ipv4' && ip.toString() === text && IpAddress.parse(ip.toString()).equals(ip);
        }),
        { numRuns: 200 },
      );
    });

    test('a generated IPv6 address prints as the WHATWG URL parser compresses it, and round-trips', () => {
      fc.assert(
        fc.property(fc.array(group, { minLength: 8, maxLength: 8 }), fc.boolean(), (groups, upper) => {
          fc.pre(!(groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff)); // mapped: printed dotted
          const raw = groups.map((g) => g.toString(16).padStart(upper ? 4 : 1, '0')).join(':');
          const ip = IpAddress.parse(upper ? raw.toUpperCase() : raw);
          const whatwg = new URL(`http://[${raw}]/`).hostname.slice(1, -1);
          return ip.toString() === whatwg && IpAddress.parse(ip.toString()).equals(ip);
        }),
        { numRuns: 200 },
      );
    });

    test('fast-check IPv6 strings parse, or are refused with the library error, and round-trip when parsed', () => {
      fc.assert(
        fc.property(fc.ipV6(), (text) => {
          if (!IpAddress.isValid(text)) return parsesOrRefuses(() => IpAddress.parse(text));
          const ip = IpAddress.parse(text);
          return IpAddress.parse(ip.toString()).toString() === ip.toString();
        }),
        { numRuns: 200 },
      );
    });
  });

  describe('fromBytes', () => {
    test.each([[[]], [[1, 2, 3]], [[256, 0, 0, 1]], [[1.5, 0, 0, 1]], [[-1, 0, 0, 1]], ['1.2.3.4']])(
      'GIVEN %p THEN it is refused with the value',
      (bytes) => {
        expect(() => IpAddress.fromBytes(bytes as number[], { path: 'p', prop: 'bytes' })).toThrow(
          /^\[p\] 'bytes' is not 4 or 16 bytes \(got .*\); pass the address bytes, e\.g\. \[192, 168, 1, 10\]$/,
        );
      },
    );

    test('GIVEN 4 and 16 bytes THEN an IPv4 and an IPv6 address, printed canonically', () => {
      expect(IpAddress.fromBytes([10, 0, 0, 1]).toString()).toBe('10.0.0.1');
      expect(IpAddress.fromBytes([0xfd, 0, ...Array(13).fill(0), 0x10]).toString()).toBe('fd00::10');
      expect(IpAddress.fromBytes([...Array(10).fill(0), 0xff, 0xff, 192, 0, 2, 1]).toString()).toBe('::ffff:192.0.2.1');
    });
  });
});
