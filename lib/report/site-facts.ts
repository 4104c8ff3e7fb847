import ipaddr from 'ipaddr.js';
import { parse } from 'yaml';

/* eslint-disable @typescript-eslint/no-explicit-any */

/** One network interface of a host, as its nmstate network data describes it. */
export interface InterfaceFacts {
  /** Interface name, for example `eth0`, `bond0`, `bond0.100`. */
  readonly name: string;
  /** nmstate type: `ethernet`, `bond`, `vlan`, … */
  readonly type: string;
  /**
   * MAC address (ethernet interfaces that name one).
   * @default - none named
   */
  readonly macAddress?: string;
  /**
   * MTU.
   * @default - not set
   */
  readonly mtu?: number;
  /**
   * Bond ports (bonds only).
   * @default - not a bond
   */
  readonly members?: readonly string[];
  /**
   * Bond mode (bonds only).
   * @default - not a bond, or no mode set
   */
  readonly bondMode?: string;
  /**
   * VLAN id (VLANs only).
   * @default - not a VLAN
   */
  readonly vlanId?: number;
  /**
   * Base interface of a VLAN.
   * @default - not a VLAN
   */
  readonly baseInterface?: string;
  /** Static addresses, `ip/prefix`. */
  readonly addresses: readonly string[];
  /** The interface takes its IPv4 or IPv6 address from DHCP or autoconf. */
  readonly dynamic: boolean;
}

/** One host (BareMetalHost) of a site. */
export interface HostFacts {
  /** BareMetalHost name. */
  readonly name: string;
  /** Namespace of the BareMetalHost. */
  readonly namespace: string;
  /** Role: `control-plane`, `worker`, `master`, `agent`, or `host` when the manifests do not say. */
  readonly role: string;
  /**
   * Cluster the host belongs to.
   * @default - the manifests do not say
   */
  readonly cluster?: string;
  /** Boot MAC address. */
  readonly bootMACAddress: string;
  /** BMC URL as given to Metal3 (no credentials: Metal3 keeps those in a Secret). */
  readonly bmcAddress: string;
  /** BMC driver: the URL scheme, for example `redfish-virtualmedia`, `ipmi`, `idrac-virtualmedia`. */
  readonly bmcDriver: string;
  /** Host (and port, when given) of the BMC. */
  readonly bmcHost: string;
  /** Name of the BMC credentials Secret (never its contents). */
  readonly credentialsName: string;
  /**
   * Root device hints, rendered `key=value`.
   * @default - no hints
   */
  readonly rootDevice?: string;
  /** Interfaces from the host's static network data; empty when the host uses DHCP. */
  readonly interfaces: readonly InterfaceFacts[];
  /** DNS servers from the network data. */
  readonly dnsServers: readonly string[];
  /** Default gateways from the network data. */
  readonly gateways: readonly string[];
}

/** A NodePool of a hosted cluster and the agent hosts it selects. */
export interface NodePoolFacts {
  /** NodePool name. */
  readonly name: string;
  /**
   * Replicas asked for.
   * @default - not set
   */
  readonly replicas?: number;
  /** Names of the hosts whose InfraEnv label the pool selects. */
  readonly hosts: readonly string[];
}

/** One cluster of a site: RKE2 on Metal3 (Cluster API), a HyperShift hosted cluster, or an Assisted install. */
export interface ClusterFacts {
  /** Cluster name. */
  readonly name: string;
  /** Namespace of its objects. */
  readonly namespace: string;
  /** `rke2-metal3`, `hosted-cluster` or `assisted`. */
  readonly kind: 'rke2-metal3' | 'hosted-cluster' | 'assisted';
  /** API VIPs (RKE2: the control-plane endpoint; Assisted: `apiVIPs`). */
  readonly apiVIPs: readonly string[];
  /** Ingress VIPs (Assisted). */
  readonly ingressVIPs: readonly string[];
  /** Addresses of the MetalLB IPAddressPool(s), for RKE2 clusters behind MetalLB. */
  readonly metallbPool: readonly string[];
  /** Pod CIDRs. */
  readonly podCidrs: readonly string[];
  /** Service CIDRs. */
  readonly serviceCidrs: readonly string[];
  /** Machine networks given in the manifests (Assisted), else empty. */
  readonly machineNetworks: readonly string[];
  /**
   * Kubernetes distribution version: RKE2 version, OpenShift image set or release image.
   * @default - the manifests do not say
   */
  readonly version?: string;
  /**
   * OS image URL (Metal3 machine templates).
   * @default - no machine template
   */
  readonly osImage?: string;
  /**
   * Base domain.
   * @default - the manifests name none
   */
  readonly baseDomain?: string;
  /** Hosted clusters: the NodePools and their agent hosts. */
  readonly nodePools: readonly NodePoolFacts[];
  /**
   * Hosted clusters: publishing strategy of the API server on the hub (`LoadBalancer`, `NodePort`, …).
   * @default - not a hosted cluster
   */
  readonly apiPublishing?: string;
}

/** A machine network seen on the hosts' interfaces. */
export interface NetworkFacts {
  /** CIDR, for example `192.168.100.0/24`. */
  readonly cidr: string;
  /** Gateways on the network. */
  readonly gateways: readonly string[];
  /** DNS servers named by the hosts on the network. */
  readonly dnsServers: readonly string[];
  /** Hosts with an address on the network. */
  readonly hosts: readonly string[];
}

/** What a site's manifests say, in the terms the people who prepare the network use. */
export interface SiteFacts {
  /** Site name. */
  readonly name: string;
  /** Clusters of the site, in manifest order. */
  readonly clusters: readonly ClusterFacts[];
  /** Hosts, in manifest order. */
  readonly hosts: readonly HostFacts[];
  /** Machine networks, sorted by CIDR. */
  readonly networks: readonly NetworkFacts[];
  /** DNS zone snippets the site already writes (a hosted cluster's `api`, `api-int`, `*.apps`). */
  readonly dnsZones: readonly string[];
}

/** Options of {@link siteFacts}. */
export interface SiteFactsOptions {
  /**
   * The parsed nmstate document of a network data Secret, by Secret name: lets a caller that
   * still holds the documents skip parsing the YAML text again.
   * @default - the Secret's `networkData` text is parsed
   */
  readonly networkData?: (secretName: string) => unknown;
  /**
   * DNS zone snippets the site writes next to its manifests.
   * @default - none
   */
  readonly dnsZones?: readonly string[];
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const obj = (v: unknown): any => (v !== null && typeof v === 'object' && !Array.isArray(v) ? v : {});
const list = (v: unknown): any[] => (Array.isArray(v) ? v.map(obj) : []);

/** An IPv4 address in dotted decimal as a number, or undefined (the common case, without ipaddr.js's parser). */
function v4(ip: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (!m) return undefined;
  const parts = [m[1], m[2], m[3], m[4]].map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return ((parts[0] << 24) | (parts[1] << 16) | (parts[2] << 8) | parts[3]) >>> 0;
}

const v4Text = (n: number) => `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
const v4Mask = (prefix: number) => (prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0);

/** The network of `ip/prefix` as a CIDR, or undefined when it is not one. */
export function networkOf(address: string): string | undefined {
  const slash = address.indexOf('/');
  const prefix = Number(address.slice(slash + 1));
  const n = slash > 0 ? v4(address.slice(0, slash)) : undefined;
  if (n !== undefined && Number.isInteger(prefix) && prefix >= 0 && prefix <= 32) {
    return `${v4Text((n & v4Mask(prefix)) >>> 0)}/${prefix}`;
  }
  try {
    const [ip, bits] = ipaddr.parseCIDR(address);
    const bytes = ip.toByteArray();
    const masked = bytes.map((b, i) => {
      const keep = Math.max(0, Math.min(8, bits - i * 8));
      return keep === 0 ? 0 : b & (0xff << (8 - keep)) & 0xff;
    });
    return `${ipaddr.fromByteArray(masked).toString()}/${bits}`;
  } catch {
    return undefined;
  }
}

function nmstateOf(secret: any, options: SiteFactsOptions): any {
  const name = str(secret.metadata?.name) ?? '';
  const given = options.networkData?.(name);
  if (given !== undefined) return obj(given);
  const text = secret.stringData?.networkData ?? decode(secret.data?.networkData);
  if (typeof text !== 'string') return {};
  try {
    return obj(parse(text));
  } catch {
    return {};
  }
}

function decode(value: unknown): string | undefined {
  return typeof value === 'string' ? Buffer.from(value, 'base64').toString('utf8') : undefined;
}

function interfacesOf(nm: any): { interfaces: InterfaceFacts[]; dns: string[]; gateways: string[] } {
  const interfaces = list(nm.interfaces).map((i): InterfaceFacts => {
    const addresses: string[] = [];
    let dynamic = false;
    for (const family of ['ipv4', 'ipv6']) {
      const f = obj(i[family]);
      if (f.enabled === false) continue;
      if (f.dhcp === true || f.autoconf === true) dynamic = true;
      for (const a of list(f.address)) {
        if (typeof a.ip === 'string') addresses.push(`${a.ip}/${a['prefix-length'] ?? (family === 'ipv4' ? 32 : 128)}`);
      }
    }
    const type = str(i.type) ?? 'ethernet';
    const bond = obj(i['link-aggregation']);
    const vlan = obj(i.vlan);
    return {
      name: str(i.name) ?? '?',
      type,
      ...(str(i['mac-address']) ? { macAddress: str(i['mac-address'])!.toLowerCase() } : {}),
      ...(typeof i.mtu === 'number' ? { mtu: i.mtu } : {}),
      ...(type === 'bond' ? { members: strings(bond.port ?? bond.slaves), bondMode: str(bond.mode) } : {}),
      ...(type === 'vlan'
        ? { vlanId: typeof vlan.id === 'number' ? vlan.id : undefined, baseInterface: str(vlan['base-iface']) }
        : {}),
      addresses,
      dynamic,
    };
  });
  const dns = strings(obj(obj(nm['dns-resolver']).config).server);
  const gateways = list(obj(nm.routes).config)
    .filter((r) => r.destination === '0.0.0.0/0' || r.destination === '::/0')
    .map((r) => str(r['next-hop-address']))
    .filter((g): g is string => g !== undefined);
  return { interfaces, dns, gateways: [...new Set(gateways)] };
}

function bmcParts(address: string): { driver: string; host: string } {
  const m = /^([a-z0-9+.-]+):\/\/(\[[^\]]+\](?::\d+)?|[^/]+)/i.exec(address);
  if (m) return { driver: m[1].toLowerCase(), host: m[2] };
  // ipmi accepts a bare host[:port]
  return { driver: 'ipmi', host: address };
}

function rootDeviceOf(hints: any): string | undefined {
  const entries = Object.entries(obj(hints));
  return entries.length > 0 ? entries.map(([k, v]) => `${k}=${String(v)}`).join(' ') : undefined;
}

/** The MetalLB pool addresses in an embedded manifest text (the control plane's Butane files). */
function poolAddressesIn(text: string): string[] {
  const out: string[] = [];
  const re = /kind: IPAddressPool\n[\s\S]*?\n(\s*)addresses:\n((?:\1\s*- .+\n)+)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    for (const line of m[2].split('\n')) {
      const v = line
        .trim()
        .replace(/^- /, '')
        .replace(/^["']|["']$/g, '');
      if (v) out.push(v);
    }
  }
  return out;
}

function firstImage(o: any): string | undefined {
  return str(obj(obj(obj(obj(o.spec).template).spec).image).url);
}

/**
 * The facts of one site from its synthesized objects (plain JSON, as `chart.toJson()` returns them
 * or as read from the YAML files): hosts with BMC, boot MAC, root device and nmstate interfaces;
 * clusters with VIPs, MetalLB pool, networks and versions (RKE2 on Metal3, HyperShift hosted
 * clusters with their NodePools, Assisted installs); machine networks with gateways and DNS servers.
 * Never reads a credential: BMC credentials appear by Secret name only.
 */
export function siteFacts(name: string, objects: readonly unknown[], options: SiteFactsOptions = {}): SiteFacts {
  const docs = objects.map(obj);
  const byKind = (kind: string) => docs.filter((d) => d.kind === kind);
  const secrets = new Map<string, any>();
  for (const s of byKind('Secret')) secrets.set(`${s.metadata?.namespace ?? ''}/${s.metadata?.name}`, s);
  const nmstateConfigs = byKind('NMStateConfig');
  const infraEnvs = byKind('InfraEnv');

  // Clusters.
  const clusters: ClusterFacts[] = [];
  const rke2 = new Map(byKind('RKE2ControlPlane').map((c) => [c.metadata?.name, c]));
  const metal3 = new Map(byKind('Metal3Cluster').map((c) => [c.metadata?.name, c]));
  const templates = byKind('Metal3MachineTemplate');
  for (const c of byKind('Cluster')) {
    const name = str(c.metadata?.name) ?? '?';
    const cp = obj(rke2.get(name));
    const infra = obj(metal3.get(name));
    const net = obj(obj(c.spec).clusterNetwork);
    const vip = str(obj(obj(infra.spec).controlPlaneEndpoint).host);
    const butane = str(obj(obj(obj(cp.spec).agentConfig).additionalUserData).config) ?? '';
    const pools = byKind('IPAddressPool').flatMap((p) => strings(obj(p.spec).addresses));
    const template = templates.find((t) => t.metadata?.name === `${name}-controlplane`) ?? templates[0];
    clusters.push({
      name,
      namespace: str(c.metadata?.namespace) ?? '',
      kind: 'rke2-metal3',
      apiVIPs: vip ? [vip] : [],
      ingressVIPs: [],
      metallbPool: [...new Set([...pools, ...poolAddressesIn(butane)])],
      podCidrs: strings(obj(net.pods).cidrBlocks),
      serviceCidrs: strings(obj(net.services).cidrBlocks),
      machineNetworks: [],
      ...(str(obj(cp.spec).version) ? { version: str(obj(cp.spec).version) } : {}),
      ...(template && firstImage(template) ? { osImage: firstImage(template) } : {}),
      nodePools: [],
    });
  }
  for (const h of byKind('HostedCluster')) {
    const spec = obj(h.spec);
    const name = str(h.metadata?.name) ?? '?';
    const agentNs = str(obj(obj(spec.platform).agent).agentNamespace);
    const pools = byKind('NodePool')
      .filter((p) => obj(p.spec).clusterName === name)
      .map((p): NodePoolFacts => {
        const selector = obj(obj(obj(obj(obj(p.spec).platform).agent).agentLabelSelector).matchLabels);
        const hosts = byKind('BareMetalHost')
          .filter((b) => (agentNs === undefined || b.metadata?.namespace === agentNs) && matches(b, selector))
          .map((b) => String(b.metadata?.name));
        return {
          name: str(p.metadata?.name) ?? '?',
          ...(typeof obj(p.spec).replicas === 'number' ? { replicas: obj(p.spec).replicas } : {}),
          hosts,
        };
      });
    const api = list(spec.services).find((s) => s.service === 'APIServer');
    const release = str(obj(spec.release).image);
    clusters.push({
      name,
      namespace: str(h.metadata?.namespace) ?? '',
      kind: 'hosted-cluster',
      apiVIPs: [],
      ingressVIPs: [],
      metallbPool: [],
      podCidrs: list(obj(spec.networking).clusterNetwork).map((n) => String(n.cidr)),
      serviceCidrs: list(obj(spec.networking).serviceNetwork).map((n) => String(n.cidr)),
      machineNetworks: list(obj(spec.networking).machineNetwork).map((n) => String(n.cidr)),
      ...(release ? { version: release.replace(/^.*\//, '') } : {}),
      ...(str(obj(spec.dns).baseDomain) ? { baseDomain: str(obj(spec.dns).baseDomain) } : {}),
      nodePools: pools,
      ...(api ? { apiPublishing: str(obj(api.servicePublishingStrategy).type) } : {}),
    });
  }
  const deployments = byKind('ClusterDeployment');
  for (const a of byKind('AgentClusterInstall')) {
    const spec = obj(a.spec);
    const name = str(a.metadata?.name) ?? '?';
    const cd = deployments.find((d) => obj(obj(d.spec).clusterInstallRef).name === name);
    const net = obj(spec.networking);
    clusters.push({
      name: str(obj(cd?.spec).clusterName) ?? name,
      namespace: str(a.metadata?.namespace) ?? '',
      kind: 'assisted',
      apiVIPs: strings(spec.apiVIPs),
      ingressVIPs: strings(spec.ingressVIPs),
      metallbPool: [],
      podCidrs: list(net.clusterNetwork).map((n) => String(n.cidr)),
      serviceCidrs: strings(net.serviceNetwork),
      machineNetworks: list(net.machineNetwork).map((n) => String(n.cidr)),
      ...(str(obj(spec.imageSetRef).name) ? { version: str(obj(spec.imageSetRef).name) } : {}),
      ...(str(obj(cd?.spec).baseDomain) ? { baseDomain: str(obj(cd?.spec).baseDomain) } : {}),
      nodePools: [],
    });
  }

  // Hosts.
  const hosts: HostFacts[] = byKind('BareMetalHost').map((b): HostFacts => {
    const spec = obj(b.spec);
    const meta = obj(b.metadata);
    const labels = obj(meta.labels);
    const annotations = obj(meta.annotations);
    const ns = str(meta.namespace) ?? '';
    // A URL with user information would carry credentials: never repeat them.
    const bmcAddress = (str(obj(spec.bmc).address) ?? '').replace(/^([a-z0-9+.-]+:\/\/)[^/@]*@/i, '$1');
    const { driver, host } = bmcParts(bmcAddress);
    let nm: any = {};
    const secretName = str(spec.preprovisioningNetworkDataName) ?? str(obj(spec.networkData).name);
    if (secretName) nm = nmstateOf(secrets.get(`${ns}/${secretName}`) ?? { metadata: { name: secretName } }, options);
    const infraEnv = str(labels['infraenvs.agent-install.openshift.io']);
    if (Object.keys(nm).length === 0 && infraEnv) {
      const name = str(annotations['bmac.agent-install.openshift.io/hostname']) ?? meta.name;
      const cfg = nmstateConfigs.find(
        (c) =>
          c.metadata?.namespace === ns &&
          obj(c.metadata?.labels)['infraenvs.agent-install.openshift.io'] === infraEnv &&
          (c.metadata?.name === name || c.metadata?.name === meta.name),
      );
      if (cfg) nm = obj(obj(cfg.spec).config);
    }
    const { interfaces, dns, gateways } = interfacesOf(nm);
    let cluster = str(labels['cdk8s-baremetal/cluster']);
    let role = str(labels['cluster-role']) ?? str(annotations['bmac.agent-install.openshift.io/role']);
    if (!cluster && infraEnv) {
      const env = infraEnvs.find((e) => e.metadata?.name === infraEnv && e.metadata?.namespace === ns);
      cluster = str(obj(obj(env?.spec).clusterRef).name);
      if (!cluster) {
        const hosted = clusters.find((c) => c.nodePools.some((p) => p.hosts.includes(String(meta.name))));
        cluster = hosted?.name;
        if (hosted) role = role ?? 'agent';
      }
    }
    const rootDevice = rootDeviceOf(spec.rootDeviceHints);
    return {
      name: str(meta.name) ?? '?',
      namespace: ns,
      role: role ?? 'host',
      ...(cluster ? { cluster } : {}),
      bootMACAddress: (str(spec.bootMACAddress) ?? '').toLowerCase(),
      bmcAddress,
      bmcDriver: driver,
      bmcHost: host,
      credentialsName: str(obj(spec.bmc).credentialsName) ?? '',
      ...(rootDevice ? { rootDevice } : {}),
      interfaces,
      dnsServers: dns,
      gateways,
    };
  });

  return { name, clusters, hosts, networks: networksOf(hosts, clusters), dnsZones: [...(options.dnsZones ?? [])] };
}

function matches(o: any, selector: Record<string, unknown>): boolean {
  const labels = obj(obj(o.metadata).labels);
  const keys = Object.keys(selector);
  return keys.length > 0 && keys.every((k) => labels[k] === selector[k]);
}

function networksOf(hosts: readonly HostFacts[], clusters: readonly ClusterFacts[]): NetworkFacts[] {
  const nets = new Map<string, { gateways: Set<string>; dns: Set<string>; hosts: Set<string> }>();
  const get = (cidr: string) => {
    let n = nets.get(cidr);
    if (!n) nets.set(cidr, (n = { gateways: new Set(), dns: new Set(), hosts: new Set() }));
    return n;
  };
  for (const c of clusters) for (const m of c.machineNetworks) if (networkOf(m)) get(networkOf(m)!);
  for (const h of hosts) {
    for (const i of h.interfaces) {
      for (const a of i.addresses) {
        const cidr = networkOf(a);
        if (!cidr) continue;
        const n = get(cidr);
        n.hosts.add(h.name);
        for (const g of h.gateways) if (inNetwork(g, cidr)) n.gateways.add(g);
        for (const d of h.dnsServers) n.dns.add(d);
      }
    }
  }
  return [...nets.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([cidr, n]) => ({ cidr, gateways: [...n.gateways], dnsServers: [...n.dns], hosts: [...n.hosts] }));
}

/** Whether `ip` lies in `cidr`. */
export function inNetwork(ip: string, cidr: string): boolean {
  const slash = cidr.indexOf('/');
  const a = v4(ip);
  const net = v4(cidr.slice(0, slash));
  if (a !== undefined && net !== undefined) {
    const mask = v4Mask(Number(cidr.slice(slash + 1)));
    return (a & mask) >>> 0 === (net & mask) >>> 0;
  }
  if (a !== undefined || net !== undefined) return false;
  try {
    const addr = ipaddr.parse(ip);
    const range = ipaddr.parseCIDR(cidr);
    return addr.kind() === range[0].kind() && addr.match(range);
  } catch {
    return false;
  }
}

/** Whether `ip` is an IPv4 address in dotted decimal. */
export const isIpv4 = (ip: string): boolean => v4(ip) !== undefined;
