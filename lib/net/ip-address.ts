import * as ipaddr from 'ipaddr.js';
import { At, expectString, fail } from '../private/errors';

/** The two IP address families. */
export type IpFamily = 'ipv4' | 'ipv6';

const DEFAULT_WHERE: At = { path: 'IpAddress.parse', prop: 'address' };
const IPV4_FIX = 'write four decimal octets without leading zeros, e.g. "192.168.1.10"';
const IPV6_FIX = 'write it like "fd00::10" (hex groups separated by ":", no brackets, no zone id)';
const IPV6_CHARS = /^[0-9a-f:.]+$/i;
const HEX_GROUP = /^[0-9a-f]{1,4}$/i;
const DEPRECATED_COMPATIBLE = /^::\d+\.\d+\.\d+\.\d+$/;

/**
 * An IPv4 or IPv6 address, parsed strictly and printed canonically.
 *
 * IPv4 is accepted only as four decimal octets (`192.168.1.10`: no leading zeros, no hex, no
 * short forms such as `10.1`). IPv6 is accepted in any RFC 4291 text form, including IPv4-mapped
 * addresses (`::ffff:192.0.2.1`), but without brackets or zone ids, and printed in the RFC 5952
 * form (`fd00::10`; IPv4-mapped as `::ffff:192.0.2.1`), so two spellings of one address compare
 * and print the same.
 */
export class IpAddress {
  /**
   * Parses an address. Throws {@link BaremetalValidationError} naming `where` when `value` is not
   * an IPv4 or IPv6 address.
   *
   * @param value the address, for example `"192.168.1.10"` or `"fd00::10"`
   * @param where the construct path and prop for error messages
   */
  public static parse(value: unknown, where: At = DEFAULT_WHERE): IpAddress {
    const text = expectString(value, where, 'pass an IP address such as "192.168.1.10" or "fd00::10"');
    if (text.length === 0) fail(where, 'must not be empty', value, 'pass an IP address such as "192.168.1.10"');
    if (/\s/.test(text)) fail(where, 'contains whitespace', value, 'remove the spaces and line breaks');
    if (text.includes('/')) {
      fail(where, 'is a CIDR, not an address', value, `drop the prefix length: "${text.slice(0, text.indexOf('/'))}"`);
    }
    if (text.includes(':')) return new IpAddress(parseIpv6(text, value, where));
    if (!ipaddr.IPv4.isValidFourPartDecimal(text)) fail(where, 'is not a dotted-quad IPv4 address', value, IPV4_FIX);
    return new IpAddress(ipaddr.IPv4.parse(text));
  }

  /** True when {@link IpAddress.parse} accepts `value`. */
  public static isValid(value: unknown): boolean {
    try {
      IpAddress.parse(value);
      return true;
    } catch {
      return false;
    }
  }

  /**
   * The address of 4 (IPv4) or 16 (IPv6) bytes, network byte order. Throws when the list is not
   * 4 or 16 integers from 0 to 255.
   */
  public static fromBytes(bytes: readonly number[], where: At = DEFAULT_WHERE): IpAddress {
    if (
      !Array.isArray(bytes) ||
      (bytes.length !== 4 && bytes.length !== 16) ||
      !bytes.every((b) => Number.isInteger(b) && b >= 0 && b <= 255)
    ) {
      fail(where, 'is not 4 or 16 bytes', bytes, 'pass the address bytes, e.g. [192, 168, 1, 10]');
    }
    return new IpAddress(bytes.length === 4 ? new ipaddr.IPv4([...bytes]) : ipaddr.fromByteArray([...bytes]));
  }

  /** The address family: `ipv4` or `ipv6` (IPv4-mapped IPv6 addresses are `ipv6`). */
  public readonly family: IpFamily;

  private readonly text: string;
  private readonly bytes: readonly number[];

  private constructor(address: ipaddr.IPv4 | ipaddr.IPv6) {
    this.family = address.kind();
    this.text = address instanceof ipaddr.IPv6 ? ipv6Text(address) : address.toString();
    this.bytes = Object.freeze(address.toByteArray());
  }

  /** The address bytes, network byte order: 4 for IPv4, 16 for IPv6 (a frozen list). */
  public toBytes(): readonly number[] {
    return this.bytes;
  }

  /**
   * The canonical text: dotted quad for IPv4; RFC 5952 for IPv6 (compressed, lower case, and
   * `::ffff:a.b.c.d` for IPv4-mapped addresses).
   */
  public toString(): string {
    return this.text;
  }

  /** True when `other` is the same address (same family and same bits). */
  public equals(other: IpAddress): boolean {
    return other instanceof IpAddress && other.family === this.family && other.text === this.text;
  }

  /** True for the unspecified address: `0.0.0.0` or `::`. */
  public isUnspecified(): boolean {
    return this.bytes.every((b) => b === 0);
  }

  /** True for a loopback address: `127.0.0.0/8` or `::1`. */
  public isLoopback(): boolean {
    return this.range() === 'loopback';
  }

  /** True for a multicast address: `224.0.0.0/4` or `ff00::/8`. */
  public isMulticast(): boolean {
    return this.range() === 'multicast';
  }

  private range(): string {
    return ipaddr.parse(this.text).range();
  }
}

/** RFC 5952 text; IPv4-mapped addresses keep their dotted-quad tail (RFC 5952 section 5). */
function ipv6Text(address: ipaddr.IPv6): string {
  return address.isIPv4MappedAddress() ? `::ffff:${address.toIPv4Address()}` : address.toRFC5952String();
}

function parseIpv6(text: string, value: unknown, where: At): ipaddr.IPv6 {
  if (text.startsWith('[') || text.endsWith(']')) {
    fail(where, 'has brackets', value, `write the address without them: "${text.replace(/[[\]]/g, '')}"`);
  }
  if (text.includes('%')) {
    fail(
      where,
      'has an IPv6 zone id',
      value,
      `remove the "%${text.split('%')[1]}" suffix; zone ids are local to one host`,
    );
  }
  if (!IPV6_CHARS.test(text)) fail(where, 'is not a valid IPv6 address', value, IPV6_FIX);
  if (DEPRECATED_COMPATIBLE.test(text)) {
    fail(
      where,
      'is a deprecated IPv4-compatible IPv6 address',
      value,
      `write the IPv4 address "${text.slice(2)}", or "::ffff:${text.slice(2)}" for an IPv4-mapped one`,
    );
  }
  const groups = text.split(':');
  const last = groups[groups.length - 1];
  if (last.includes('.')) {
    if (!ipaddr.IPv4.isValidFourPartDecimal(last)) {
      fail(
        where,
        'has an invalid embedded IPv4 part',
        value,
        'write the embedded IPv4 part as four decimal octets without leading zeros, e.g. "::ffff:192.0.2.1"',
      );
    }
    groups.pop();
  }
  if (groups.some((g) => g !== '' && !HEX_GROUP.test(g)) || !ipaddr.IPv6.isValid(text)) {
    fail(where, 'is not a valid IPv6 address', value, IPV6_FIX);
  }
  return ipaddr.IPv6.parse(text);
}
