import { At, expectInteger, expectString, fail } from '../private/errors';
import { IpAddress, IpFamily } from './ip-address';

const PREFIX = /^(0|[1-9]\d{0,2})$/;

/**
 * An IPv4 or IPv6 network in CIDR notation, such as `10.0.0.0/24` or `fd00:10::/64`.
 *
 * A CIDR always names a network: {@link Cidr.parse} refuses host bits (`10.0.0.5/24`), and
 * {@link Cidr.fromAddress} derives the network of an interface address.
 */
export class Cidr {
  /**
   * Parses a network in CIDR notation. Throws {@link BaremetalValidationError} naming `where` when
   * `value` is not a CIDR or has host bits set.
   *
   * @param value the network, for example `"10.0.0.0/24"` or `"fd00::/64"`
   * @param where the construct path and prop for error messages
   */
  public static parse(value: unknown, where: At = { path: 'Cidr.parse', prop: 'cidr' }): Cidr {
    const fix = 'write a network and its prefix length, e.g. "10.0.0.0/24" or "fd00::/64"';
    const text = expectString(value, where, fix);
    const parts = text.split('/');
    if (parts.length === 1) {
      const hint = IpAddress.isValid(text)
        ? `add the prefix length, e.g. "${text}/${text.includes(':') ? 64 : 24}"`
        : fix;
      fail(where, 'has no prefix length', value, hint);
    }
    if (parts.length > 2) fail(where, 'has more than one "/"', value, fix);
    const [addressText, prefixText] = parts;
    let address: IpAddress | undefined;
    try {
      address = IpAddress.parse(addressText, where);
    } catch {
      // reported below, with the form to write
    }
    if (!address) fail(where, 'does not start with a valid IP address', value, fix);
    const max = maxPrefix(address.family);
    if (!PREFIX.test(prefixText) || Number(prefixText) > max) {
      fail(where, `has a prefix length that is not a whole number from 0 to ${max}`, value, fix);
    }
    const prefixLength = Number(prefixText);
    const network = networkOf(address, prefixLength);
    if (!network.equals(address)) {
      fail(
        where,
        'has host bits set',
        value,
        `write the network address "${network}/${prefixLength}" (Cidr.fromAddress() derives it from an interface address)`,
      );
    }
    return new Cidr(network, prefixLength);
  }

  /**
   * The network that holds an interface address: `192.168.1.10` with prefix length 24 gives
   * `192.168.1.0/24`.
   *
   * @param address the interface address
   * @param prefixLength 0–32 for IPv4, 0–128 for IPv6
   * @param where the construct path and prop for error messages
   */
  public static fromAddress(address: IpAddress | string, prefixLength: number, where?: At): Cidr {
    const ip =
      address instanceof IpAddress
        ? address
        : IpAddress.parse(address, where ?? { path: 'Cidr.fromAddress', prop: 'address' });
    const prefixWhere = where ?? { path: 'Cidr.fromAddress', prop: 'prefixLength' };
    const prefix = expectInteger(prefixLength, prefixWhere, 0, maxPrefix(ip.family));
    return new Cidr(networkOf(ip, prefix), prefix);
  }

  /** The address family of the network. */
  public readonly family: IpFamily;

  /** The number of leading network bits: 0–32 for IPv4, 0–128 for IPv6. */
  public readonly prefixLength: number;

  /** The network address: the first address of the range, all host bits zero. */
  public readonly network: IpAddress;

  private constructor(network: IpAddress, prefixLength: number) {
    this.family = network.family;
    this.prefixLength = prefixLength;
    this.network = network;
  }

  /**
   * True when `address` lies inside this network. Always false for an address of the other
   * family. A string is parsed first, and refused when it is not an IP address.
   */
  public contains(address: IpAddress | string): boolean {
    const ip =
      address instanceof IpAddress ? address : IpAddress.parse(address, { path: 'Cidr.contains', prop: 'address' });
    if (ip.family !== this.family) return false;
    const network = this.network.toBytes();
    return ip.toBytes().every((b, i) => (b & byteMask(this.prefixLength, i)) === network[i]);
  }

  /** True when every address of `other` lies inside this network (a network contains itself). */
  public containsCidr(other: Cidr): boolean {
    return other.family === this.family && other.prefixLength >= this.prefixLength && this.contains(other.network);
  }

  /** True when the two networks share at least one address. Always false across families. */
  public overlaps(other: Cidr): boolean {
    return this.containsCidr(other) || other.containsCidr(this);
  }

  /**
   * True when `address` is the network address of this IPv4 network, which hosts must not use.
   * Always false for IPv6, and for /31 and /32 networks where every address is usable (RFC 3021).
   */
  public isNetworkAddress(address: IpAddress | string): boolean {
    const ip = this.hostCheck(address, 'Cidr.isNetworkAddress');
    return ip !== undefined && ip.equals(this.network);
  }

  /**
   * True when `address` is the broadcast address of this IPv4 network, which hosts must not use.
   * Always false for IPv6, and for /31 and /32 networks where every address is usable (RFC 3021).
   */
  public isBroadcastAddress(address: IpAddress | string): boolean {
    const ip = this.hostCheck(address, 'Cidr.isBroadcastAddress');
    if (ip === undefined) return false;
    const network = this.network.toBytes();
    return ip.toBytes().every((b, i) => b === (network[i] | (~byteMask(this.prefixLength, i) & 0xff)));
  }

  /** The canonical text, such as `10.0.0.0/24` or `fd00::/64`. */
  public toString(): string {
    return `${this.network}/${this.prefixLength}`;
  }

  /** True when `other` is the same network (same address and prefix length). */
  public equals(other: Cidr): boolean {
    return other instanceof Cidr && other.prefixLength === this.prefixLength && other.network.equals(this.network);
  }

  private hostCheck(address: IpAddress | string, path: string): IpAddress | undefined {
    const ip = address instanceof IpAddress ? address : IpAddress.parse(address, { path, prop: 'address' });
    if (this.family !== 'ipv4' || this.prefixLength >= 31 || ip.family !== 'ipv4') return undefined;
    return ip;
  }
}

function maxPrefix(family: IpFamily): number {
  return family === 'ipv4' ? 32 : 128;
}

/** The network bits of byte `i` of an address under a prefix length, as a mask. */
function byteMask(prefixLength: number, i: number): number {
  const bits = Math.max(0, Math.min(8, prefixLength - i * 8));
  return (0xff << (8 - bits)) & 0xff;
}

function networkOf(address: IpAddress, prefixLength: number): IpAddress {
  const bytes = address.toBytes();
  if (prefixLength === bytes.length * 8) return address;
  return IpAddress.fromBytes(bytes.map((b, i) => b & byteMask(prefixLength, i)));
}
