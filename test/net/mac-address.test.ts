import * as fc from 'fast-check';
import { BaremetalValidationError } from '../../lib/errors';
import { MacAddress } from '../../lib/net/mac-address';

function parsesOrRefuses(f: () => unknown): boolean {
  try {
    f();
    return true;
  } catch (e) {
    return e instanceof BaremetalValidationError;
  }
}

const hex = (b: number) => b.toString(16).padStart(2, '0');

describe('MacAddress', () => {
  describe('parse', () => {
    test.each(['00:0c:29:3e:3e:3e', '00:0C:29:3E:3E:3E', '00-0c-29-3e-3e-3e', '00-0C-29-3e-3E-3e'])(
      'reads %s and prints it lower case with colons',
      (text) => {
        expect(MacAddress.parse(text).toString()).toBe('00:0c:29:3e:3e:3e');
      },
    );

    test('accepts a locally administered unicast address', () => {
      expect(MacAddress.parse('02:00:00:00:00:01').toString()).toBe('02:00:00:00:00:01');
    });

    test('names the construct path and prop it is given', () => {
      expect(() => MacAddress.parse('nope', { path: 'site/Host', prop: 'bootMACAddress' })).toThrow(
        /^\[site\/Host\] 'bootMACAddress' is not a MAC address \(got "nope"\); write six hex octets/,
      );
    });

    test.each([42, null, undefined, {}, ['00:0c:29:3e:3e:3e']])(
      'fails when the value is not a string (%p)',
      (value) => {
        expect(() => MacAddress.parse(value)).toThrow(/^\[MacAddress\.parse\] 'macAddress' must be a string/);
      },
    );

    test.each([
      '',
      '000c293e3e3e',
      '00:0c:29:3e:3e',
      '00:0c:29:3e:3e:3e:3e',
      '00:0c-29:3e:3e:3e',
      '00.0c.29.3e.3e.3e',
      '0:c:29:3e:3e:3e',
      '00:0g:29:3e:3e:3e',
      ' 00:0c:29:3e:3e:3e',
      '000c.293e.3e3e',
    ])('fails when %p is not six hex octets with one separator', (value) => {
      expect(() => MacAddress.parse(value)).toThrow(
        /'macAddress' is not a MAC address .*write six hex octets separated by ":"/,
      );
    });

    test('fails when the address is all zeros', () => {
      expect(() => MacAddress.parse('00:00:00:00:00:00')).toThrow(
        /'macAddress' is the all-zero MAC address, which no interface has .*; copy the MAC address of the boot NIC$/,
      );
    });

    test('fails when the address is the broadcast address', () => {
      expect(() => MacAddress.parse('FF-FF-FF-FF-FF-FF')).toThrow(
        /'macAddress' is the broadcast MAC address .*; copy the unicast MAC address of the boot NIC$/,
      );
    });

    test.each(['01:00:5e:00:00:fb', '33:33:00:00:00:01', '03:00:00:00:00:01'])(
      'fails when %s is a multicast address',
      (value) => {
        expect(() => MacAddress.parse(value)).toThrow(
          /'macAddress' is a multicast MAC address \(the lowest bit of the first octet is set\) .*; copy the unicast MAC address of the boot NIC; its first octet is even$/,
        );
      },
    );
  });

  describe('equals', () => {
    test('compares addresses, not spellings', () => {
      expect(MacAddress.parse('00-0C-29-3E-3E-3E').equals(MacAddress.parse('00:0c:29:3e:3e:3e'))).toBe(true);
      expect(MacAddress.parse('00:0c:29:3e:3e:3e').equals(MacAddress.parse('00:0c:29:3e:3e:3f'))).toBe(false);
    });
  });

  describe('properties', () => {
    test('any value either parses or throws BaremetalValidationError', () => {
      fc.assert(
        fc.property(fc.anything(), (value) => parsesOrRefuses(() => MacAddress.parse(value))),
        { numRuns: 200 },
      );
    });

    test('any MAC-like string either parses or throws BaremetalValidationError', () => {
      fc.assert(
        fc.property(fc.stringMatching(/^[0-9a-fA-F:-]{0,20}$/), (value) =>
          parsesOrRefuses(() => MacAddress.parse(value)),
        ),
        { numRuns: 200 },
      );
    });

    test('a generated unicast address parses in any spelling and round-trips', () => {
      fc.assert(
        fc.property(
          fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 6, maxLength: 6 }),
          fc.constantFrom(':', '-'),
          fc.boolean(),
          (bytes, sep, upper) => {
            const unicast = [bytes[0] & 0xfe, ...bytes.slice(1)];
            fc.pre(unicast.some((b) => b !== 0));
            const canonical = unicast.map(hex).join(':');
            const spelled = unicast.map(hex).join(sep);
            const mac = MacAddress.parse(upper ? spelled.toUpperCase() : spelled);
            return mac.toString() === canonical && MacAddress.parse(mac.toString()).equals(mac);
          },
        ),
        { numRuns: 200 },
      );
    });

    test('a generated multicast address is refused', () => {
      fc.assert(
        fc.property(fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 6, maxLength: 6 }), (bytes) => {
          const multicast = [bytes[0] | 1, ...bytes.slice(1)].map(hex).join(':');
          expect(() => MacAddress.parse(multicast)).toThrow(/'macAddress' is (the broadcast|a multicast) MAC address/);
        }),
        { numRuns: 200 },
      );
    });
  });
});
