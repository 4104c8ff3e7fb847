import { stringifyManifest } from '../core/yaml-writer';
import { Cidr } from '../net/cidr';
import { IpAddress, IpFamily } from '../net/ip-address';
import { MacAddress } from '../net/mac-address';
import { At, child, expectArray, expectInteger, expectNonEmptyString, expectObject, fail } from '../private/errors';
import { validateInterfaceName } from '../net/interface-name';

/** Static address configuration of one IP family on an interface. */
export interface NmIpConfig {
  /** Addresses in `address/prefix` form, for example `192.168.125.200/24`. */
  readonly addresses: string[];
}

/** Fields every interface kind shares. */
export interface NmInterfaceBase {
  /** Interface name on the host, for example `eth0` (with `macAddress`, any name works). */
  readonly name: string;
  /**
   * Maximum transmission unit.
   * @default - nmstate's default (usually 1500)
   */
  readonly mtu?: number;
  /**
   * Static IPv4 addresses.
   * @default - no IPv4 configuration on this interface
   */
  readonly ipv4?: NmIpConfig;
  /**
   * Static IPv6 addresses (autoconf and DHCPv6 off).
   * @default - no IPv6 configuration on this interface
   */
  readonly ipv6?: NmIpConfig;
}

/** A physical NIC, found by its MAC address. */
export interface NmEthernet extends NmInterfaceBase {
  /** nmstate interface type. */
  readonly type: 'ethernet';
  /** MAC address that identifies the NIC, whatever the kernel names it. */
  readonly macAddress: string;
}

/** An 802.1Q VLAN on top of another interface. */
export interface NmVlan extends NmInterfaceBase {
  /** nmstate interface type. */
  readonly type: 'vlan';
  /** Name of the interface that carries the VLAN; must be declared too. */
  readonly baseInterface: string;
  /** VLAN ID, 1–4094. */
  readonly id: number;
}

/** Bonding modes nmstate accepts. */
export type NmBondMode =
  'balance-rr' | 'active-backup' | 'balance-xor' | 'broadcast' | '802.3ad' | 'balance-tlb' | 'balance-alb';

/** The bonding modes nmstate accepts. */
export const NM_BOND_MODES: readonly NmBondMode[] = [
  'balance-rr',
  'active-backup',
  'balance-xor',
  'broadcast',
  '802.3ad',
  'balance-tlb',
  'balance-alb',
];

/** A bond of declared ethernet interfaces. */
export interface NmBond extends NmInterfaceBase {
  /** nmstate interface type. */
  readonly type: 'bond';
  /** Bonding mode. */
  readonly mode: NmBondMode;
  /** Names of the declared ethernet interfaces that form the bond (at least one). */
  readonly ports: string[];
  /**
   * Extra bonding options, such as `{ miimon: '100' }`.
   * @default - none
   */
  readonly options?: Record<string, string>;
}

/** An interface of the nmstate subset this library renders. */
export type NmInterface = NmEthernet | NmVlan | NmBond;

/** A static route. */
export interface NmRoute {
  /** Destination network, `0.0.0.0/0` or `::/0` for the default route. */
  readonly destination: string;
  /** Gateway address; must lie in a subnet of `interface`. */
  readonly nextHopAddress: string;
  /** Declared interface that reaches the gateway. */
  readonly nextHopInterface: string;
  /**
   * Route metric.
   * @default - nmstate's default
   */
  readonly metric?: number;
}

/** Props of {@link NetworkData.nmstate}. */
export interface NetworkDataProps {
  /** Interfaces, at least one. */
  readonly interfaces: NmInterface[];
  /**
   * Static routes.
   * @default - none
   */
  readonly routes?: NmRoute[];
  /**
   * DNS servers.
   * @default - none
   */
  readonly dnsServers?: string[];
}

interface ParsedAddress {
  readonly address: IpAddress;
  readonly prefixLength: number;
  readonly subnet: Cidr;
}

interface ParsedInterface {
  readonly raw: NmInterface;
  readonly v4: ParsedAddress[];
  readonly v6: ParsedAddress[];
  readonly mac?: MacAddress;
}

/**
 * Static host networking in nmstate form, rendered into the Secret that a BareMetalHost names in
 * `preprovisioningNetworkDataName` (key `networkData`).
 *
 * Checked: every ethernet interface identified by a MAC, VLAN base interfaces and bond ports
 * declared, addresses usable in their subnet, every gateway reachable on its declared interface,
 * names, MACs and addresses unique.
 */
export class NetworkData {
  /** Static networking from a typed nmstate subset. */
  public static nmstate(props: NetworkDataProps, where?: At): NetworkData {
    return new NetworkData(props, where ?? { path: 'NetworkData.nmstate', prop: 'networkData' });
  }

  /** Every static address, in declaration order. */
  public readonly addresses: IpAddress[];
  /** Every MAC address of an ethernet interface. */
  public readonly macAddresses: MacAddress[];
  /** Subnets of the static addresses. */
  public readonly subnets: Cidr[];
  /** Next-hop addresses of the static routes. */
  public readonly gateways: IpAddress[];
  /** Every ethernet interface with its MAC address, in declaration order. */
  public readonly ethernetInterfaces: readonly NmInterfaceMac[];
  /** Names of every declared interface, in declaration order. */
  public readonly interfaceNames: readonly string[];
  private readonly doc: Record<string, unknown>;

  private constructor(props: NetworkDataProps, where: At) {
    expectObject(props, where, 'pass { interfaces: [...], routes: [...], dnsServers: [...] }');
    const ifWhere = child(where, 'interfaces');
    const list = expectArray<NmInterface>(props.interfaces, ifWhere);
    if (list.length === 0)
      fail(ifWhere, 'must hold at least one interface', list, 'declare the NIC that carries the address');

    const byName = new Map<string, ParsedInterface>();
    const seenMacs = new Map<string, string>();
    const seenAddresses = new Map<string, string>();
    list.forEach((raw, i) => {
      const w = child(ifWhere, i);
      expectObject(raw, w);
      const name = validateInterfaceName(raw.name, child(w, 'name'), 'eth0');
      if (byName.has(name)) fail(child(w, 'name'), 'is declared twice', name, 'give each interface one entry');
      if (raw.mtu !== undefined) expectInteger(raw.mtu, child(w, 'mtu'), 68, 65535);
      let mac: MacAddress | undefined;
      if (raw.type === 'ethernet') {
        if (raw.macAddress === undefined) {
          fail(child(w, 'macAddress'), 'is missing', undefined, 'identify every ethernet interface by its MAC address');
        }
        mac = MacAddress.parse(raw.macAddress, child(w, 'macAddress'));
        const other = seenMacs.get(mac.toString());
        if (other)
          fail(child(w, 'macAddress'), `is also the MAC of ${other}`, raw.macAddress, 'give each NIC its own MAC');
        seenMacs.set(mac.toString(), name);
      } else if (raw.type === 'vlan') {
        expectInteger(raw.id, child(w, 'id'), 1, 4094);
        expectNonEmptyString(raw.baseInterface, child(w, 'baseInterface'));
      } else if (raw.type === 'bond') {
        if (!NM_BOND_MODES.includes(raw.mode)) {
          fail(child(w, 'mode'), 'is not a bonding mode', raw.mode, `use one of ${NM_BOND_MODES.join(', ')}`);
        }
        const ports = expectArray<string>(raw.ports, child(w, 'ports'));
        if (ports.length === 0) fail(child(w, 'ports'), 'must name at least one port', ports, 'list the bonded NICs');
      } else {
        fail(
          child(w, 'type'),
          'is not an interface type this library renders',
          (raw as { type?: unknown }).type,
          'use ethernet, vlan or bond',
        );
      }
      const v4 = parseAddresses(raw.ipv4, 'ipv4', child(w, 'ipv4'));
      const v6 = parseAddresses(raw.ipv6, 'ipv6', child(w, 'ipv6'));
      for (const a of [...v4, ...v6]) {
        const key = a.address.toString();
        const other = seenAddresses.get(key);
        if (other) fail(child(w, 'addresses'), `repeats the address of ${other}`, key, 'give each address once');
        seenAddresses.set(key, name);
      }
      byName.set(name, { raw, v4, v6, mac });
    });

    // References between interfaces.
    const portOwner = new Map<string, string>();
    list.forEach((raw, i) => {
      const w = child(ifWhere, i);
      if (raw.type === 'vlan') {
        if (!byName.has(raw.baseInterface) || raw.baseInterface === raw.name) {
          fail(
            child(w, 'baseInterface'),
            'names no other declared interface',
            raw.baseInterface,
            `declare it, or use one of ${[...byName.keys()].join(', ')}`,
          );
        }
      }
      if (raw.type === 'bond') {
        raw.ports.forEach((port, j) => {
          const p = byName.get(port);
          if (!p || p.raw.type !== 'ethernet') {
            fail(
              child(child(w, 'ports'), j),
              'names no declared ethernet interface',
              port,
              'bond only declared ethernet interfaces',
            );
          }
          if (portOwner.has(port))
            fail(
              child(child(w, 'ports'), j),
              `is already a port of ${portOwner.get(port)}`,
              port,
              'use each NIC in one bond',
            );
          if (p.v4.length + p.v6.length > 0) {
            fail(
              child(child(w, 'ports'), j),
              'carries addresses of its own',
              port,
              'put the addresses on the bond, not on its ports',
            );
          }
          portOwner.set(port, raw.name);
        });
      }
    });

    const routes = expectArray<NmRoute>(props.routes ?? [], child(where, 'routes'));
    routes.forEach((route, i) => {
      const w = child(child(where, 'routes'), i);
      expectObject(route, w);
      const dest = Cidr.parse(route.destination, child(w, 'destination'));
      const gw = IpAddress.parse(route.nextHopAddress, child(w, 'nextHopAddress'));
      if (gw.family !== dest.family) {
        fail(
          child(w, 'nextHopAddress'),
          `is ${gw.family} but the destination is ${dest.family}`,
          route.nextHopAddress,
          'use a gateway of the same family',
        );
      }
      const iface = byName.get(route.nextHopInterface);
      if (!iface) {
        fail(
          child(w, 'nextHopInterface'),
          'names no declared interface',
          route.nextHopInterface,
          `use one of ${[...byName.keys()].join(', ')}`,
        );
      }
      const subnets = (gw.family === 'ipv4' ? iface.v4 : iface.v6).map((a) => a.subnet);
      if (!subnets.some((s) => s.contains(gw))) {
        fail(
          child(w, 'nextHopAddress'),
          `is not reachable on ${route.nextHopInterface} (its subnets: ${subnets.map(String).join(', ') || 'none'})`,
          route.nextHopAddress,
          'give the interface an address in the gateway subnet, or route through another interface',
        );
      }
      if (iface.v4.length + iface.v6.length > 0 && [...iface.v4, ...iface.v6].some((a) => a.address.equals(gw))) {
        fail(child(w, 'nextHopAddress'), 'is the host address itself', route.nextHopAddress, 'use the router address');
      }
      if (route.metric !== undefined) expectInteger(route.metric, child(w, 'metric'), 0, 4294967295);
    });

    const dns = expectArray<string>(props.dnsServers ?? [], child(where, 'dnsServers')).map((s, i) =>
      IpAddress.parse(s, child(child(where, 'dnsServers'), i)),
    );

    const parsed = [...byName.values()];
    this.addresses = parsed.flatMap((p) => [...p.v4, ...p.v6].map((a) => a.address));
    this.subnets = parsed.flatMap((p) => [...p.v4, ...p.v6].map((a) => a.subnet));
    this.macAddresses = parsed.flatMap((p) => (p.mac ? [p.mac] : []));
    this.gateways = routes.map((r) => IpAddress.parse(r.nextHopAddress));
    this.ethernetInterfaces = parsed.flatMap((p) => (p.mac ? [{ name: p.raw.name, macAddress: p.mac }] : []));
    this.interfaceNames = parsed.map((p) => p.raw.name);
    this.doc = render(parsed, routes, dns);
  }

  /** The nmstate document as YAML, the value of the Secret key `networkData`. */
  public render(): string {
    return stringifyManifest(this.doc, { version: '1.2' });
  }

  /**
   * The nmstate document as an object (a fresh copy), for `NMStateConfig.spec.config`.
   * With `identifyByMacAddress: false` the ethernet interfaces keep their `mac-address` but drop
   * `identifier: mac-address` (nmstate 2.2.9+), for consumers such as Assisted Service that map
   * interface names to MACs themselves.
   */
  public toObject(options: NetworkDataObjectOptions = {}): Record<string, unknown> {
    const copy = JSON.parse(JSON.stringify(this.doc)) as { interfaces: Record<string, unknown>[] };
    if (options.identifyByMacAddress === false) {
      for (const i of copy.interfaces) delete i.identifier;
    }
    return copy;
  }
}

/** An interface name with the MAC address of its NIC. */
export interface NmInterfaceMac {
  /** Interface name in the nmstate document. */
  readonly name: string;
  /** MAC address of the NIC. */
  readonly macAddress: MacAddress;
}

/** Options of {@link NetworkData.toObject}. */
export interface NetworkDataObjectOptions {
  /**
   * Keep `identifier: mac-address` on ethernet interfaces.
   * @default true
   */
  readonly identifyByMacAddress?: boolean;
}

function parseAddresses(config: NmIpConfig | undefined, family: IpFamily, where: At): ParsedAddress[] {
  if (config === undefined) return [];
  expectObject(config, where, 'pass { addresses: ["192.168.1.10/24"] }');
  const list = expectArray<string>(config.addresses, child(where, 'addresses'));
  if (list.length === 0)
    fail(child(where, 'addresses'), 'must hold at least one address', list, 'add an address or leave the family out');
  return list.map((entry, i) => {
    const w = child(child(where, 'addresses'), i);
    const text = expectNonEmptyString(entry, w, 'write address/prefix such as 192.168.1.10/24');
    const slash = text.lastIndexOf('/');
    if (slash < 0) fail(w, 'has no prefix length', entry, 'write address/prefix such as 192.168.1.10/24');
    const address = IpAddress.parse(text.slice(0, slash), w);
    if (address.family !== family)
      fail(w, `is not an ${family} address`, entry, `move it to the ${address.family} list`);
    const prefixText = text.slice(slash + 1);
    if (!/^\d{1,3}$/.test(prefixText))
      fail(w, 'has no valid prefix length', entry, 'write address/prefix such as 192.168.1.10/24');
    const prefixLength = Number(prefixText);
    const subnet = Cidr.fromAddress(address, prefixLength, w);
    if (subnet.isNetworkAddress(address) || subnet.isBroadcastAddress(address)) {
      fail(
        w,
        `is the ${subnet.isNetworkAddress(address) ? 'network' : 'broadcast'} address of ${subnet}`,
        entry,
        'use a host address inside the subnet',
      );
    }
    return { address, prefixLength, subnet };
  });
}

function render(parsed: ParsedInterface[], routes: readonly NmRoute[], dns: IpAddress[]): Record<string, unknown> {
  const interfaces = parsed.map(({ raw, v4, v6, mac }) => {
    const out: Record<string, unknown> = { name: raw.name, type: raw.type, state: 'up' };
    if (raw.mtu !== undefined) out.mtu = raw.mtu;
    if (mac) {
      out.identifier = 'mac-address';
      out['mac-address'] = mac.toString();
    }
    if (raw.type === 'vlan') out.vlan = { 'base-iface': raw.baseInterface, id: raw.id };
    if (raw.type === 'bond') {
      out['link-aggregation'] = {
        mode: raw.mode,
        port: [...raw.ports],
        ...(raw.options && Object.keys(raw.options).length > 0 ? { options: { ...raw.options } } : {}),
      };
    }
    if (v4.length > 0) {
      out.ipv4 = {
        enabled: true,
        dhcp: false,
        address: v4.map((a) => ({ ip: a.address.toString(), 'prefix-length': a.prefixLength })),
      };
    }
    if (v6.length > 0) {
      out.ipv6 = {
        enabled: true,
        dhcp: false,
        autoconf: false,
        address: v6.map((a) => ({ ip: a.address.toString(), 'prefix-length': a.prefixLength })),
      };
    }
    return out;
  });
  const doc: Record<string, unknown> = { interfaces };
  if (dns.length > 0) doc['dns-resolver'] = { config: { server: dns.map(String) } };
  if (routes.length > 0) {
    doc.routes = {
      config: routes.map((r) => ({
        destination: Cidr.parse(r.destination).toString(),
        'next-hop-address': IpAddress.parse(r.nextHopAddress).toString(),
        'next-hop-interface': r.nextHopInterface,
        ...(r.metric !== undefined ? { metric: r.metric } : {}),
      })),
    };
  }
  return doc;
}
