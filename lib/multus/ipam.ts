import { Cidr } from '../net/cidr';
import { IpAddress, IpFamily } from '../net/ip-address';
import {
  At,
  child,
  expectArray,
  expectNonEmptyString,
  expectObject,
  expectOptionalBoolean,
  expectString,
  fail,
} from '../private/errors';
import {
  InterfaceAddress,
  compareAddresses,
  formatInterfaceAddress,
  lastAddress,
  parseInterfaceAddress,
  validateDomainName,
} from './internal';

/** The IPAM plugins this library renders. */
export type IpamType = 'static' | 'host-local' | 'whereabouts' | 'dhcp';

/** One address of a static IPAM config. */
export interface StaticIpamAddress {
  /** Interface address and prefix length, for example `10.0.10.93/24`. */
  readonly address: string;
  /**
   * Gateway for this address: an address inside its subnet, or the unspecified address (`0.0.0.0`,
   * `::`) for a network reached on-link only, as seed 004 writes it.
   * @default - no gateway
   */
  readonly gateway?: string;
}

/** A route the IPAM plugin adds in the pod. */
export interface IpamRoute {
  /** Destination network in CIDR notation; `0.0.0.0/0` or `::/0` for the default route. */
  readonly dst: string;
  /**
   * Next hop: an address inside a subnet of the attachment, or the unspecified address (`0.0.0.0`,
   * `::`) for an on-link route.
   * @default - the gateway of the attachment's address of the same family, if any
   */
  readonly gw?: string;
}

/** DNS settings the IPAM plugin returns to the runtime. */
export interface IpamDns {
  /**
   * Name server addresses.
   * @default - none
   */
  readonly nameservers?: string[];
  /**
   * Local domain.
   * @default - none
   */
  readonly domain?: string;
  /**
   * Search domains.
   * @default - none
   */
  readonly search?: string[];
  /**
   * resolv.conf options, such as `ndots:2` or `rotate`.
   * @default - none
   */
  readonly options?: string[];
}

/** Props of {@link Ipam.static}. */
export interface StaticIpamProps {
  /** Addresses of the interface, at least one; one per family is usual. */
  readonly addresses: StaticIpamAddress[];
  /**
   * Routes to add in the pod.
   * @default - none (the kernel adds the route to each address's subnet)
   */
  readonly routes?: IpamRoute[];
  /**
   * DNS settings.
   * @default - none
   */
  readonly dns?: IpamDns;
}

/** One range of a host-local range set. */
export interface HostLocalRange {
  /** Network to allocate from, in CIDR notation, for example `10.10.0.0/16`. */
  readonly subnet: string;
  /**
   * First address to allocate.
   * @default - the first usable address of `subnet`
   */
  readonly rangeStart?: string;
  /**
   * Last address to allocate.
   * @default - the last usable address of `subnet`
   */
  readonly rangeEnd?: string;
  /**
   * Gateway inside `subnet`; never allocated.
   * @default - the first address of `subnet` (host-local's default)
   */
  readonly gateway?: string;
}

/** Props of {@link Ipam.hostLocal}. */
export interface HostLocalIpamProps {
  /**
   * Range sets: one address is allocated from each. A set is one range or a list of ranges of one
   * family (addresses are taken from the first range with space left).
   */
  readonly ranges: (HostLocalRange | HostLocalRange[])[];
  /**
   * Routes to add in the pod.
   * @default - none
   */
  readonly routes?: IpamRoute[];
  /**
   * Folder on the node where allocations are stored.
   * @default - host-local's default, `/var/lib/cni/networks`
   */
  readonly dataDir?: string;
  /**
   * resolv.conf-format file on the node whose servers, domain and search list are returned as DNS.
   * @default - none
   */
  readonly resolvConf?: string;
}

/** One range of a whereabouts config. */
export interface WhereaboutsRange {
  /** Network to allocate from, in CIDR notation, for example `192.168.2.224/28`. */
  readonly range: string;
  /**
   * First address to allocate (`range_start`).
   * @default - the first usable address of `range`
   */
  readonly rangeStart?: string;
  /**
   * Last address to allocate (`range_end`).
   * @default - the last usable address of `range`
   */
  readonly rangeEnd?: string;
  /**
   * Networks inside `range` that are never allocated.
   * @default - none
   */
  readonly exclude?: string[];
}

/** Props of {@link Ipam.whereabouts}. */
export interface WhereaboutsIpamProps {
  /**
   * Ranges to allocate from, at least one; one address is allocated from each (one per family for
   * dual stack, written as `ipRanges`).
   */
  readonly ranges: WhereaboutsRange[];
  /**
   * Gateway inside one of the ranges.
   * @default - none
   */
  readonly gateway?: string;
  /**
   * Routes to add in the pod.
   * @default - none
   */
  readonly routes?: IpamRoute[];
  /**
   * Name that keeps this network's allocations apart from another network with the same range
   * (`network_name`).
   * @default - allocations are keyed by the range alone
   */
  readonly networkName?: string;
  /**
   * Whether an address may be allocated only once across all networks with overlapping ranges
   * (`enable_overlapping_ranges`).
   * @default - whereabouts' default (true)
   */
  readonly enableOverlappingRanges?: boolean;
}

const OPTION = /^[A-Za-z0-9_-]+(:[0-9]+)?$/;
const NETWORK_NAME = /^[a-z0-9]([-a-z0-9.]{0,61}[a-z0-9])?$/;

/**
 * The IP address management part of a CNI config (`ipam`): static addresses, host-local or
 * whereabouts ranges, or DHCP. Built and checked by the factories; rendered into the JSON of a
 * NetworkAttachmentDefinition or an SriovNetwork.
 *
 * Checked: addresses usable in their subnet and not repeated, CIDRs without host bits, gateways
 * inside their subnet (or the unspecified address for on-link networks), routes through a
 * reachable next hop of their family, ranges inside their subnet and disjoint, DNS servers
 * addresses and domains names.
 */
export class Ipam {
  /**
   * Fixed addresses, routes and DNS (the `static` IPAM plugin). Each address belongs to one pod
   * only: use it for one pod, or one attachment per node (see `PerNodeStaticNetwork`).
   *
   * @param props the addresses, routes and DNS
   * @param where the construct path and prop for error messages
   */
  public static static(props: StaticIpamProps, where: At = { path: 'Ipam.static', prop: 'ipam' }): Ipam {
    expectObject(props, where, 'pass { addresses: [{ address: "10.0.10.93/24" }] }');
    const addrWhere = child(where, 'addresses');
    const list = expectArray<StaticIpamAddress>(props.addresses, addrWhere);
    if (list.length === 0) {
      fail(addrWhere, 'must hold at least one address', list, 'add the address of the interface, e.g. "10.0.10.93/24"');
    }
    const parsed: InterfaceAddress[] = [];
    const rendered = list.map((entry, i) => {
      const w = child(addrWhere, i);
      expectObject(entry, w, 'pass { address: "10.0.10.93/24", gateway: "10.0.10.1" }');
      const a = parseInterfaceAddress(entry.address, child(w, 'address'));
      const twin = parsed.find((p) => p.address.equals(a.address));
      if (twin) fail(child(w, 'address'), 'is listed twice', entry.address, 'give each address once');
      parsed.push(a);
      const out: Record<string, unknown> = { address: formatInterfaceAddress(a) };
      if (entry.gateway !== undefined) {
        out.gateway = validateGateway(entry.gateway, [a.subnet], [a.address], child(w, 'gateway')).toString();
      }
      return out;
    });
    const subnets = parsed.map((p) => p.subnet);
    const addresses = parsed.map((p) => p.address);
    const routes = validateRoutes(props.routes, subnets, addresses, child(where, 'routes'));
    const json: Record<string, unknown> = { type: 'static', addresses: rendered };
    if (routes.length > 0) json.routes = routes;
    const dns = validateDns(props.dns, child(where, 'dns'));
    if (dns) json.dns = dns;
    return new Ipam('static', json, addresses, subnets);
  }

  /**
   * Addresses allocated per node from ranges (the `host-local` IPAM plugin). Allocations are local
   * to each node: give each node its own ranges, or use {@link Ipam.whereabouts} for one range
   * shared by the cluster.
   *
   * @param props the range sets and routes
   * @param where the construct path and prop for error messages
   */
  public static hostLocal(props: HostLocalIpamProps, where: At = { path: 'Ipam.hostLocal', prop: 'ipam' }): Ipam {
    expectObject(props, where, 'pass { ranges: [{ subnet: "10.10.0.0/16" }] }');
    const setsWhere = child(where, 'ranges');
    const sets = expectArray<HostLocalRange | HostLocalRange[]>(props.ranges, setsWhere);
    if (sets.length === 0)
      fail(setsWhere, 'must hold at least one range', sets, 'add a range: { subnet: "10.10.0.0/16" }');
    const spans: Span[] = [];
    const renderedSets = sets.map((set, i) => {
      const setWhere = child(setsWhere, i);
      const ranges = Array.isArray(set) ? set : [set];
      if (ranges.length === 0) fail(setWhere, 'is an empty range set', set, 'give each set at least one range');
      const setSpans: Span[] = [];
      const rendered = ranges.map((range, j) => {
        const w = Array.isArray(set) ? child(setWhere, j) : setWhere;
        expectObject(range, w, 'pass { subnet: "10.10.0.0/16", rangeStart?, rangeEnd?, gateway? }');
        const subnet = Cidr.parse(range.subnet, child(w, 'subnet'));
        const span = validateSpan(subnet, range.rangeStart, range.rangeEnd, w, 'rangeStart', 'rangeEnd');
        if (setSpans.length > 0 && setSpans[0].subnet.family !== subnet.family) {
          fail(
            child(w, 'subnet'),
            `is ${subnet.family} but the set is ${setSpans[0].subnet.family}`,
            range.subnet,
            'put each family in its own range set',
          );
        }
        setSpans.push(span);
        const out: Record<string, unknown> = { subnet: subnet.toString() };
        if (range.rangeStart !== undefined) out.rangeStart = span.first.toString();
        if (range.rangeEnd !== undefined) out.rangeEnd = span.last.toString();
        if (range.gateway !== undefined) {
          out.gateway = validateGateway(range.gateway, [subnet], [], child(w, 'gateway'), false).toString();
        }
        return out;
      });
      for (const span of setSpans) {
        const other = spans.find((s) => overlaps(s, span));
        if (other) {
          fail(setWhere, `overlaps the range ${describeSpan(other)}`, set, 'give every range its own addresses');
        }
        spans.push(span);
      }
      return rendered;
    });
    const subnets = spans.map((s) => s.subnet);
    const routes = validateRoutes(props.routes, subnets, [], child(where, 'routes'));
    const json: Record<string, unknown> = { type: 'host-local', ranges: renderedSets };
    if (routes.length > 0) json.routes = routes;
    if (props.dataDir !== undefined) json.dataDir = validateAbsolutePath(props.dataDir, child(where, 'dataDir'));
    if (props.resolvConf !== undefined)
      json.resolvConf = validateAbsolutePath(props.resolvConf, child(where, 'resolvConf'));
    return new Ipam('host-local', json, [], subnets);
  }

  /**
   * Addresses allocated cluster-wide from ranges (the `whereabouts` IPAM plugin, which must be
   * installed in the cluster): no two pods get the same address, on any node.
   *
   * @param props the ranges, gateway and routes
   * @param where the construct path and prop for error messages
   */
  public static whereabouts(props: WhereaboutsIpamProps, where: At = { path: 'Ipam.whereabouts', prop: 'ipam' }): Ipam {
    expectObject(props, where, 'pass { ranges: [{ range: "192.168.2.224/28" }] }');
    const rangesWhere = child(where, 'ranges');
    const ranges = expectArray<WhereaboutsRange>(props.ranges, rangesWhere);
    if (ranges.length === 0)
      fail(rangesWhere, 'must hold at least one range', ranges, 'add a range: { range: "192.168.2.224/28" }');
    const spans: Span[] = [];
    const rendered = ranges.map((range, i) => {
      const w = child(rangesWhere, i);
      expectObject(range, w, 'pass { range: "192.168.2.224/28", rangeStart?, rangeEnd?, exclude? }');
      const cidr = Cidr.parse(range.range, child(w, 'range'));
      const span = validateSpan(cidr, range.rangeStart, range.rangeEnd, w, 'rangeStart', 'rangeEnd');
      const other = spans.find((s) => overlaps(s, span));
      if (other)
        fail(
          child(w, 'range'),
          `overlaps the range ${describeSpan(other)}`,
          range.range,
          'give every range its own addresses',
        );
      spans.push(span);
      const out: Record<string, unknown> = { range: cidr.toString() };
      if (range.rangeStart !== undefined) out.range_start = span.first.toString();
      if (range.rangeEnd !== undefined) out.range_end = span.last.toString();
      if (range.exclude !== undefined) {
        const exWhere = child(w, 'exclude');
        out.exclude = expectArray<string>(range.exclude, exWhere).map((e, j) => {
          const ex = Cidr.parse(e, child(exWhere, j));
          if (!cidr.overlaps(ex)) {
            fail(
              child(exWhere, j),
              `is outside the range ${cidr}`,
              e,
              'exclude only networks inside the range, or drop the entry',
            );
          }
          return ex.toString();
        });
      }
      return out;
    });
    const subnets = spans.map((s) => s.subnet);
    const json: Record<string, unknown> = { type: 'whereabouts' };
    if (rendered.length === 1) Object.assign(json, rendered[0]);
    else json.ipRanges = rendered;
    if (props.gateway !== undefined) {
      json.gateway = validateGateway(props.gateway, subnets, [], child(where, 'gateway'), false).toString();
    }
    const routes = validateRoutes(props.routes, subnets, [], child(where, 'routes'));
    if (routes.length > 0) json.routes = routes;
    if (props.networkName !== undefined) {
      const name = expectNonEmptyString(props.networkName, child(where, 'networkName'));
      if (!NETWORK_NAME.test(name)) {
        fail(
          child(where, 'networkName'),
          'is not a valid network name',
          name,
          'use lower-case letters, digits, "-" and ".", at most 63',
        );
      }
      json.network_name = name;
    }
    if (expectOptionalBoolean(props.enableOverlappingRanges, child(where, 'enableOverlappingRanges')) !== undefined) {
      json.enable_overlapping_ranges = props.enableOverlappingRanges;
    }
    return new Ipam('whereabouts', json, [], subnets);
  }

  /**
   * Addresses leased from a DHCP server on the attached network (the `dhcp` IPAM plugin; its
   * daemon must run on every node).
   */
  public static dhcp(): Ipam {
    return new Ipam('dhcp', { type: 'dhcp' }, [], []);
  }

  /** Which IPAM plugin this is. */
  public readonly type: IpamType;
  /** The fixed addresses a static config hands out (empty for the other types). */
  public readonly staticAddresses: readonly IpAddress[];
  /** The subnets addresses come from: those of static addresses, or the allocation ranges. */
  public readonly subnets: readonly Cidr[];
  private readonly json: Record<string, unknown>;

  private constructor(type: IpamType, json: Record<string, unknown>, addresses: IpAddress[], subnets: Cidr[]) {
    this.type = type;
    this.json = json;
    this.staticAddresses = addresses;
    this.subnets = subnets;
  }

  /** The `ipam` object of the CNI config (a fresh copy). */
  public toJson(): Record<string, unknown> {
    return JSON.parse(JSON.stringify(this.json)) as Record<string, unknown>;
  }
}

interface Span {
  readonly subnet: Cidr;
  readonly first: IpAddress;
  readonly last: IpAddress;
}

function describeSpan(s: Span): string {
  return `${s.subnet} (${s.first}-${s.last})`;
}

function overlaps(a: Span, b: Span): boolean {
  if (a.subnet.family !== b.subnet.family) return false;
  return compareAddresses(a.first, b.last) <= 0 && compareAddresses(b.first, a.last) <= 0;
}

function validateSpan(subnet: Cidr, start: unknown, end: unknown, where: At, startProp: string, endProp: string): Span {
  const inside = (value: unknown, prop: string): IpAddress | undefined => {
    if (value === undefined) return undefined;
    const ip = IpAddress.parse(value, child(where, prop));
    if (!subnet.contains(ip))
      fail(child(where, prop), `is outside ${subnet}`, value, 'pick an address inside the subnet');
    if (subnet.isNetworkAddress(ip) || subnet.isBroadcastAddress(ip)) {
      fail(
        child(where, prop),
        `is the ${subnet.isNetworkAddress(ip) ? 'network' : 'broadcast'} address of ${subnet}`,
        value,
        'pick a host address',
      );
    }
    return ip;
  };
  const first = inside(start, startProp) ?? subnet.network;
  const last = inside(end, endProp) ?? lastAddress(subnet);
  if (compareAddresses(first, last) > 0) {
    fail(child(where, endProp), `comes before ${startProp} ${first}`, end, `make ${endProp} the higher address`);
  }
  return { subnet, first, last };
}

/**
 * A gateway: the unspecified address of the family (on-link, when allowed), or an address inside
 * one of `subnets` that is neither one of `own` nor the network or broadcast address.
 */
function validateGateway(
  value: unknown,
  subnets: readonly Cidr[],
  own: readonly IpAddress[],
  where: At,
  allowOnLink = true,
): IpAddress {
  const gw = IpAddress.parse(value, where);
  const families = [...new Set(subnets.map((s) => s.family))];
  if (!families.includes(gw.family)) {
    fail(
      where,
      `is ${gw.family} but the addresses are ${families.join(' and ')}`,
      value,
      'use a gateway of the same family',
    );
  }
  if (gw.isUnspecified()) {
    if (allowOnLink) return gw;
    fail(where, 'is the unspecified address', value, 'give the router address, or leave the gateway out');
  }
  const home = subnets.find((s) => s.contains(gw));
  if (!home) {
    fail(
      where,
      `is outside ${subnets
        .filter((s) => s.family === gw.family)
        .map(String)
        .join(', ')}`,
      value,
      `use the router's address inside the subnet${allowOnLink ? `, or ${gw.family === 'ipv4' ? '0.0.0.0' : '::'} for an on-link network` : ''}`,
    );
  }
  if (own.some((a) => a.equals(gw))) fail(where, 'is the interface address itself', value, 'use the router address');
  if (home.isNetworkAddress(gw) || home.isBroadcastAddress(gw)) {
    fail(
      where,
      `is the ${home.isNetworkAddress(gw) ? 'network' : 'broadcast'} address of ${home}`,
      value,
      'use the router address',
    );
  }
  return gw;
}

function validateRoutes(
  routes: IpamRoute[] | undefined,
  subnets: readonly Cidr[],
  own: readonly IpAddress[],
  where: At,
): Record<string, string>[] {
  if (routes === undefined) return [];
  const list = expectArray<IpamRoute>(routes, where);
  const seen = new Map<string, number>();
  return list.map((route, i) => {
    const w = child(where, i);
    expectObject(route, w, 'pass { dst: "0.0.0.0/0", gw: "10.0.10.1" }');
    const dst = Cidr.parse(route.dst, child(w, 'dst'));
    const key = dst.toString();
    if (seen.has(key))
      fail(
        child(w, 'dst'),
        `repeats the destination of routes[${seen.get(key)}]`,
        route.dst,
        'give each destination one route',
      );
    seen.set(key, i);
    const families: IpFamily[] = [...new Set(subnets.map((s) => s.family))];
    if (!families.includes(dst.family)) {
      fail(
        child(w, 'dst'),
        `is ${dst.family} but the attachment has no ${dst.family} address`,
        route.dst,
        'route only families the attachment has addresses of',
      );
    }
    const out: Record<string, string> = { dst: key };
    if (route.gw !== undefined) {
      const gw = IpAddress.parse(route.gw, child(w, 'gw'));
      if (gw.family !== dst.family) {
        fail(
          child(w, 'gw'),
          `is ${gw.family} but the destination is ${dst.family}`,
          route.gw,
          'use a next hop of the same family',
        );
      }
      out.gw = validateGateway(route.gw, subnets, own, child(w, 'gw')).toString();
    }
    return out;
  });
}

function validateDns(dns: IpamDns | undefined, where: At): Record<string, unknown> | undefined {
  if (dns === undefined) return undefined;
  expectObject(dns, where, 'pass { nameservers: ["10.0.0.2"], search: ["example.com"] }');
  const out: Record<string, unknown> = {};
  if (dns.nameservers !== undefined) {
    const w = child(where, 'nameservers');
    out.nameservers = expectArray<string>(dns.nameservers, w).map((s, i) => IpAddress.parse(s, child(w, i)).toString());
  }
  if (dns.domain !== undefined) out.domain = validateDomainName(dns.domain, child(where, 'domain'));
  if (dns.search !== undefined) {
    const w = child(where, 'search');
    out.search = expectArray<string>(dns.search, w).map((s, i) => validateDomainName(s, child(w, i)));
  }
  if (dns.options !== undefined) {
    const w = child(where, 'options');
    out.options = expectArray<string>(dns.options, w).map((o, i) => {
      const text = expectString(o, child(w, i));
      if (!OPTION.test(text))
        fail(child(w, i), 'is not a resolv.conf option', o, 'write an option such as "ndots:2" or "rotate"');
      return text;
    });
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function validateAbsolutePath(value: unknown, where: At): string {
  const text = expectNonEmptyString(value, where, 'pass an absolute path such as "/var/lib/cni/networks"');
  if (!text.startsWith('/') || /\s|\0/.test(text) || text.split('/').includes('..')) {
    fail(where, 'is not an absolute path', value, 'write a path from "/" without spaces or ".."');
  }
  return text;
}
