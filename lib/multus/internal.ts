// Helpers shared by the files of lib/multus. Not exported from the package.
import * as ipaddr from 'ipaddr.js';
import { Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { Cidr } from '../net/cidr';
import { IpAddress } from '../net/ip-address';
import { At, expectNonEmptyString, expectString, fail } from '../private/errors';

const DOMAIN_LABEL = /^[A-Za-z0-9]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?$/;

/** Returns `value` when it is a DNS domain name (letters, digits, '-', dot-separated; a trailing dot is allowed). */
export function validateDomainName(value: unknown, where: At): string {
  const text = expectString(value, where, 'pass a domain such as "example.com"');
  const labels = (text.endsWith('.') ? text.slice(0, -1) : text).split('.');
  if (text.length === 0 || text.length > 253 || !labels.every((l) => DOMAIN_LABEL.test(l))) {
    fail(
      where,
      'is not a domain name',
      value,
      'write dot-separated labels of letters, digits and "-", e.g. "example.com"',
    );
  }
  return text;
}

/** An interface address with its prefix length, as CNI IPAM configs write it: `10.0.10.93/24`. */
export interface InterfaceAddress {
  readonly address: IpAddress;
  readonly prefixLength: number;
  readonly subnet: Cidr;
}

/**
 * Parses `address/prefix` for an address a host or pod may own: not the unspecified, loopback or
 * multicast address, nor the network or broadcast address of its IPv4 subnet.
 */
export function parseInterfaceAddress(value: unknown, where: At): InterfaceAddress {
  const fix = 'write the address and its prefix length, e.g. "10.0.10.93/24"';
  const text = expectNonEmptyString(value, where, fix);
  const slash = text.lastIndexOf('/');
  if (slash < 0) fail(where, 'has no prefix length', value, fix);
  const address = IpAddress.parse(text.slice(0, slash), where);
  const prefixText = text.slice(slash + 1);
  const max = address.family === 'ipv4' ? 32 : 128;
  if (!/^(0|[1-9]\d{0,2})$/.test(prefixText) || Number(prefixText) > max) {
    fail(where, `has a prefix length that is not a whole number from 0 to ${max}`, value, fix);
  }
  const prefixLength = Number(prefixText);
  const subnet = Cidr.fromAddress(address, prefixLength, where);
  if (address.isUnspecified() || address.isLoopback() || address.isMulticast()) {
    fail(where, 'is not an address an interface can own', value, 'use a unicast address of the network');
  }
  if (subnet.isNetworkAddress(address) || subnet.isBroadcastAddress(address)) {
    fail(
      where,
      `is the ${subnet.isNetworkAddress(address) ? 'network' : 'broadcast'} address of ${subnet}`,
      value,
      'use a host address inside the subnet',
    );
  }
  return { address, prefixLength, subnet };
}

/** The canonical `address/prefix` text. */
export function formatInterfaceAddress(a: InterfaceAddress): string {
  return `${a.address}/${a.prefixLength}`;
}

/** Orders two addresses of the same family: negative, zero or positive. */
export function compareAddresses(a: IpAddress, b: IpAddress): number {
  const x = ipaddr.parse(a.toString()).toByteArray();
  const y = ipaddr.parse(b.toString()).toByteArray();
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] !== y[i]) return x[i] - y[i];
  }
  return x.length - y.length;
}

/** The last address of a network (the broadcast address for IPv4). */
export function lastAddress(cidr: Cidr): IpAddress {
  const text = cidr.toString();
  const last =
    cidr.family === 'ipv4' ? ipaddr.IPv4.broadcastAddressFromCIDR(text) : ipaddr.IPv6.broadcastAddressFromCIDR(text);
  return IpAddress.parse(last instanceof ipaddr.IPv6 ? last.toRFC5952String() : last.toString());
}

interface NameClaim {
  readonly where: At;
  readonly owner: string;
}

const nameClaims = new WeakMap<IConstruct, Map<string, NameClaim>>();

/**
 * Claims an object name (`Kind/namespace/name`) for `owner` in the chart of `scope` (one cluster's
 * objects; the sites of a fleet are charts of one app); fails when another construct of the chart
 * already emits an object of that kind and name.
 */
export function claimObjectName(scope: IConstruct, key: string, where: At, owner: string): void {
  const root = Chart.of(scope);
  let claims = nameClaims.get(root);
  if (!claims) {
    claims = new Map();
    nameClaims.set(root, claims);
  }
  const previous = claims.get(key);
  if (previous && previous.owner !== owner) {
    fail(
      where,
      `names the same object as [${previous.where.path}] '${previous.where.prop}'`,
      key,
      'give each object its own name (or namespace)',
    );
  }
  if (!previous) claims.set(key, { where, owner });
}
