import { At, expectString, fail } from '../private/errors';

const MAC = /^[0-9a-f]{2}([:-])[0-9a-f]{2}(\1[0-9a-f]{2}){4}$/i;
const FIX = 'write six hex octets separated by ":", e.g. "00:0c:29:3e:3e:3e"';

/**
 * The MAC address of a network interface a host can boot from, such as `00:0c:29:3e:3e:3e`.
 *
 * Accepts six hex octets separated by `:` or `-`, in any case, and prints them lower case with
 * `:`. Refuses addresses no single interface can own: all zeros, broadcast and multicast.
 */
export class MacAddress {
  /**
   * Parses a MAC address. Throws {@link BaremetalValidationError} naming `where` when `value` is
   * not the unicast address of one interface.
   *
   * @param value the address, for example `"00:0c:29:3e:3e:3e"` or `"00-0C-29-3E-3E-3E"`
   * @param where the construct path and prop for error messages
   */
  public static parse(value: unknown, where: At = { path: 'MacAddress.parse', prop: 'macAddress' }): MacAddress {
    const text = expectString(value, where, FIX);
    if (!MAC.test(text)) fail(where, 'is not a MAC address', value, FIX);
    const octets = text.toLowerCase().split(/[:-]/);
    const bytes = octets.map((o) => parseInt(o, 16));
    if (bytes.every((b) => b === 0)) {
      fail(where, 'is the all-zero MAC address, which no interface has', value, 'copy the MAC address of the boot NIC');
    }
    if (bytes.every((b) => b === 0xff)) {
      fail(where, 'is the broadcast MAC address', value, 'copy the unicast MAC address of the boot NIC');
    }
    if ((bytes[0] & 1) === 1) {
      fail(
        where,
        'is a multicast MAC address (the lowest bit of the first octet is set)',
        value,
        'copy the unicast MAC address of the boot NIC; its first octet is even',
      );
    }
    return new MacAddress(octets.join(':'));
  }

  private constructor(private readonly text: string) {}

  /** The canonical text: lower case, `:`-separated, such as `00:0c:29:3e:3e:3e`. */
  public toString(): string {
    return this.text;
  }

  /** True when `other` is the same address, whatever its original spelling. */
  public equals(other: MacAddress): boolean {
    return other instanceof MacAddress && other.text === this.text;
  }
}
