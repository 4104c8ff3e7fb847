import ipaddr from 'ipaddr.js';
import { HostFacts, InterfaceFacts, isIpv4, networkOf, SiteFacts } from './site-facts';

/** One pre-flight file: its name inside the `_preflight/` folder (or the site's sub-folder) and text. */
export interface PreflightFile {
  /** File name. */
  readonly name: string;
  /** Contents. */
  readonly text: string;
}

/** Options of {@link preflightFiles}. */
export interface PreflightOptions {
  /**
   * DNS domain of clusters whose manifests name none (RKE2 on Metal3): records are
   * `<host>.<cluster>.<domain>` and `api.<cluster>.<domain>`.
   * @default 'home.arpa' (RFC 8375, for names inside a site's network)
   */
  readonly domain?: string;
}

/** The file names {@link preflightFiles} writes, in order. */
export const PREFLIGHT_FILES = [
  'dnsmasq-dhcp-hosts.conf',
  'kea-dhcp4.json',
  'kea-dhcp6.json',
  'dns.zone',
  'bmc-checklist.csv',
] as const;

/** A static address of a host, with the MAC its DHCP request comes from. */
interface Reservation {
  readonly site: string;
  readonly host: string;
  readonly mac: string;
  readonly ip: string;
  readonly family: 'ipv4' | 'ipv6';
  readonly subnet: string;
  readonly gateways: readonly string[];
  readonly dns: readonly string[];
}

function macOf(h: HostFacts, i: InterfaceFacts, seen = new Set<string>()): string {
  if (i.macAddress) return i.macAddress;
  if (seen.has(i.name)) return h.bootMACAddress;
  seen.add(i.name);
  const next = i.type === 'vlan' ? i.baseInterface : i.members?.[0];
  const base = h.interfaces.find((x) => x.name === next);
  return base ? macOf(h, base, seen) : h.bootMACAddress;
}

function reservationsOf(site: SiteFacts): Reservation[] {
  const out: Reservation[] = [];
  for (const h of site.hosts) {
    for (const i of h.interfaces) {
      for (const a of i.addresses) {
        const [ip] = a.split('/');
        const subnet = networkOf(a);
        if (!subnet) continue;
        const family = isIpv4(ip) ? 'ipv4' : 'ipv6';
        const text = family === 'ipv4' ? ip : ipaddr.parse(ip).toString();
        if (family === 'ipv4' ? ip.startsWith('169.254.') : /^fe[89ab]/i.test(text)) continue; // link-local
        const net = site.networks.find((n) => n.cidr === subnet);
        out.push({
          site: site.name,
          host: h.name,
          mac: macOf(h, i),
          ip: text,
          family,
          subnet,
          gateways: net?.gateways.filter((g) => g.includes(':') === (family === 'ipv6')) ?? [],
          dns: net?.dnsServers.filter((d) => d.includes(':') === (family === 'ipv6')) ?? [],
        });
      }
    }
  }
  return out;
}

/** A DHCP host name: the first DNS label of the host name. */
const hostLabel = (name: string) => name.split('.')[0];

function dnsmasq(title: string, reservations: readonly Reservation[]): string {
  const lines = [
    `# DHCP reservations of ${title} (dnsmasq): add with conf-file=<this file>; one line per static address`,
  ];
  let site = '';
  for (const r of reservations) {
    if (r.site !== site) {
      lines.push(`# site ${r.site}`);
      site = r.site;
    }
    lines.push(`dhcp-host=${r.mac},${r.family === 'ipv6' ? `[${r.ip}]` : r.ip},${hostLabel(r.host)}`);
  }
  return `${lines.join('\n')}\n`;
}

function kea(family: 'ipv4' | 'ipv6', reservations: readonly Reservation[]): string {
  const mine = reservations.filter((r) => r.family === family);
  const subnets = new Map<string, Reservation[]>();
  for (const r of mine) {
    if (!subnets.has(r.subnet)) subnets.set(r.subnet, []);
    const list = subnets.get(r.subnet)!;
    // Kea takes one reservation per MAC and subnet.
    if (!list.some((x) => x.mac === r.mac)) list.push(r);
  }
  const v4 = family === 'ipv4';
  let id = 0;
  const entries = [...subnets.entries()].map(([subnet, list]) => {
    const options: { name: string; data: string }[] = [];
    const gateways = [...new Set(list.flatMap((r) => r.gateways))];
    const dns = [...new Set(list.flatMap((r) => r.dns))];
    if (v4 && gateways.length > 0) options.push({ name: 'routers', data: gateways.join(', ') });
    if (dns.length > 0) options.push({ name: v4 ? 'domain-name-servers' : 'dns-servers', data: dns.join(', ') });
    return {
      id: ++id,
      subnet,
      ...(options.length > 0 ? { 'option-data': options } : {}),
      reservations: list.map((r) =>
        v4
          ? { 'hw-address': r.mac, 'ip-address': r.ip, hostname: hostLabel(r.host) }
          : { 'hw-address': r.mac, 'ip-addresses': [r.ip], hostname: hostLabel(r.host) },
      ),
    };
  });
  const config = v4
    ? { Dhcp4: { 'interfaces-config': { interfaces: [] }, subnet4: entries } }
    : { Dhcp6: { 'interfaces-config': { interfaces: [] }, 'mac-sources': ['any'], subnet6: entries } };
  return `${JSON.stringify(config, null, 2)}\n`;
}

/** `in-addr.arpa` / `ip6.arpa` name of an address. */
export function reverseName(ip: string): string {
  if (isIpv4(ip)) return `${ip.split('.').reverse().join('.')}.in-addr.arpa.`;
  const a = ipaddr.parse(ip);
  const hex = (a as ipaddr.IPv6)
    .toNormalizedString()
    .split(':')
    .map((g) => g.padStart(4, '0'))
    .join('');
  return `${hex.split('').reverse().join('.')}.ip6.arpa.`;
}

function zone(sites: readonly SiteFacts[], options: PreflightOptions): string {
  const forward: [string, string][] = [];
  const reverse: [string, string][] = [];
  const zones: string[] = [];
  const fallback = options.domain ?? 'home.arpa';
  for (const site of sites) {
    const clusterOf = (h: HostFacts) => site.clusters.find((c) => c.name === h.cluster);
    for (const h of site.hosts) {
      const c = clusterOf(h);
      const fqdn = `${hostLabel(h.name)}.${c?.name ?? site.name}.${c?.baseDomain ?? fallback}.`;
      for (const i of h.interfaces) {
        for (const a of i.addresses) {
          const ip = a.split('/')[0];
          forward.push([fqdn, ip]);
          reverse.push([reverseName(ip), fqdn]);
        }
      }
    }
    for (const c of site.clusters) {
      const domain = `${c.name}.${c.baseDomain ?? fallback}.`;
      for (const vip of c.apiVIPs) {
        forward.push([`api.${domain}`, vip]);
        forward.push([`api-int.${domain}`, vip]);
      }
      for (const vip of c.ingressVIPs) forward.push([`*.apps.${domain}`, vip]);
    }
    zones.push(...site.dnsZones);
  }
  // A loop, not Math.max(...names): a fleet's records outnumber the arguments a call may take.
  let width = 0;
  for (const [n] of [...forward, ...reverse]) width = Math.max(width, n.length);
  width += 1;
  const rr = (name: string, type: string, data: string) => `${name.padEnd(width)} IN ${type.padEnd(4)} ${data}`;
  const lines = [
    `; DNS records of ${sites.length === 1 ? `site ${sites[0].name}` : `${sites.length} sites`}: hosts, cluster API (api, api-int) and ingress (*.apps)`,
    '; forward',
    ...forward.map(([n, ip]) => rr(n, ip.includes(':') ? 'AAAA' : 'A', ip)),
    '; reverse (PTR), for the in-addr.arpa / ip6.arpa zones of the machine networks',
    ...reverse.map(([n, fqdn]) => rr(n, 'PTR', fqdn)),
  ];
  for (const z of zones) lines.push(...z.replace(/\n$/, '').split('\n'));
  return `${lines.join('\n')}\n`;
}

/** The TCP or UDP port the provisioning network must reach on a BMC. */
export function bmcPort(driver: string, host: string): string {
  const port = /:(\d+)$/.exec(host)?.[1];
  if (driver === 'ipmi') return `${port ?? 623}/udp`;
  return `${port ?? 443}/tcp`;
}

const csvField = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

function bmcCsv(sites: readonly SiteFacts[]): string {
  const rows = [['site', 'host', 'bmc_url', 'driver', 'port', 'credentials_secret']];
  for (const s of sites) {
    for (const h of s.hosts) {
      rows.push([
        s.name,
        h.name,
        h.bmcAddress,
        h.bmcDriver,
        bmcPort(h.bmcDriver, h.bmcHost),
        h.credentialsName ? `${h.namespace ? `${h.namespace}/` : ''}${h.credentialsName}` : '',
      ]);
    }
  }
  return `${rows.map((r) => r.map(csvField).join(',')).join('\n')}\n`;
}

/**
 * Pre-flight files for the people who prepare a site's network before a host boots: dnsmasq
 * `dhcp-host=` lines and ISC Kea DHCPv4/DHCPv6 configurations with a reservation for every static
 * address, DNS forward and reverse records (hosts, `api`/`api-int` on the API VIP, `*.apps` on the
 * ingress VIP, and the DNS records the site already writes), and a BMC checklist (CSV: host, BMC
 * URL, driver, port to open, credentials Secret name; never the credentials). One set for one
 * site, or merged for several.
 */
export function preflightFiles(
  sites: SiteFacts | readonly SiteFacts[],
  options: PreflightOptions = {},
): PreflightFile[] {
  const list: readonly SiteFacts[] = Array.isArray(sites) ? sites : [sites as SiteFacts];
  const reservations = list.flatMap(reservationsOf);
  const title = list.length === 1 ? `site ${list[0].name}` : `${list.length} sites`;
  return [
    { name: PREFLIGHT_FILES[0], text: dnsmasq(title, reservations) },
    { name: PREFLIGHT_FILES[1], text: kea('ipv4', reservations) },
    { name: PREFLIGHT_FILES[2], text: kea('ipv6', reservations) },
    { name: PREFLIGHT_FILES[3], text: zone(list, options) },
    { name: PREFLIGHT_FILES[4], text: bmcCsv(list) },
  ];
}
