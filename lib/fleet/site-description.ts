import { ApiObject, App, Chart, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import { HaClusterWithMetalLB } from '../clusters/ha-cluster-with-metallb';
import { SingleNodeCluster } from '../clusters/single-node-cluster';
import { SecretRef } from '../core/secret-ref';
import { singletonObject } from '../core/singleton';
import { HostSpec } from '../metal3/bare-metal-host';
import { Bmc } from '../metal3/bmc';
import { NetworkData } from '../metal3/network-data';
import { ChecksumType, OsImage } from '../metal3/os-image';
import { validateDns1123Label } from '../net/dns';
import { at, child, expectArray, expectObject, fail } from '../private/errors';
import { validateOutput } from '../validation/construct-validation';

/** Where a site was read from, so that synth-time errors can name the inventory line. */
export interface SiteSource {
  /** Inventory file. */
  readonly file: string;
  /** 1-based line of the site's first row (CSV) or of its entry (YAML). */
  readonly line: number;
}

/** One server of a site, as an inventory lists it. */
export interface SiteHost {
  /** BareMetalHost name, unique across the fleet. DNS-1123 subdomain. */
  readonly name: string;
  /** MAC address of the provisioning NIC. */
  readonly bootMACAddress: string;
  /** BMC host name or address (the Redfish virtual-media endpoint is built from it). */
  readonly bmcAddress: string;
  /**
   * Redfish system ID.
   * @default '1'
   */
  readonly bmcSystemId?: string;
  /**
   * Name of the existing Secret with the BMC `username` and `password`.
   * @default `<host name>-bmc`
   */
  readonly bmcCredentialsSecret?: string;
  /**
   * Key of the BMC credentials in the secret manager, when the site has a `bmcSecretStore`.
   * @default `<site>/<host name>-bmc`
   */
  readonly bmcRemoteKey?: string;
  /**
   * Static address of the boot NIC in `address/prefix` form; with it the host gets an nmstate
   * network-data Secret (interface `eth0` matched by `bootMACAddress`).
   * @default - DHCP
   */
  readonly address?: string;
}

/** An OS image as an inventory names it. */
export interface SiteImage {
  /** URL the image is served from. */
  readonly url: string;
  /**
   * Checksum, or URL of the checksum file.
   * @default `<url>.<checksumType>sum`
   */
  readonly checksum?: string;
  /**
   * Checksum algorithm.
   * @default 'sha256'
   */
  readonly checksumType?: ChecksumType;
}

/**
 * The facts of one site, independent of the file format they were read from. `kind` selects a
 * {@link SiteKind} that turns them into constructs; the fields a kind does not use must be empty.
 */
export interface SiteDescription {
  /** Site name: the output folder, the cluster name and (prefixed `site-`) the namespace. DNS-1123 label. */
  readonly name: string;
  /** Cluster kind, for example `single-node` or `ha-metallb` (see {@link SiteKinds}). */
  readonly kind: string;
  /** RKE2 release, for example `v1.32.4+rke2r1`. */
  readonly rke2Version: string;
  /** OS image written to the hosts. */
  readonly image: SiteImage;
  /** Control-plane hosts. */
  readonly hosts: readonly SiteHost[];
  /**
   * API VIP announced by MetalLB (HA kinds).
   * @default - none; required by `ha-metallb`
   */
  readonly vip?: string;
  /**
   * API endpoint of a single-node cluster.
   * @default - the host's static address
   */
  readonly controlPlaneEndpoint?: string;
  /**
   * The hosts' network, for example `10.1.2.0/24`.
   * @default - derived from the hosts' addresses
   */
  readonly machineNetwork?: string;
  /**
   * Default gateway of hosts with a static address.
   * @default - no default route
   */
  readonly gateway?: string;
  /**
   * DNS servers of hosts with a static address.
   * @default - none
   */
  readonly dnsServers?: readonly string[];
  /**
   * Pod network.
   * @default - the cluster construct's default
   */
  readonly podCidr?: string;
  /**
   * Service network.
   * @default - the cluster construct's default
   */
  readonly serviceCidr?: string;
  /**
   * ClusterSecretStore (External Secrets Operator) that holds the hosts' BMC credentials: each
   * host then gets an ExternalSecret filling its credentials Secret from `bmcRemoteKey`.
   * @default - the credentials Secrets exist already
   */
  readonly bmcSecretStore?: string;
  /**
   * Where the site was read from.
   * @default - not read from a file
   */
  readonly source?: SiteSource;
}

/** How one kind of site becomes constructs. */
export interface SiteKind {
  /** Number of hosts the kind accepts, as a rule and a message: `exactly 1`, `an odd number, at least 3`. */
  readonly hosts: { readonly accepts: (count: number) => boolean; readonly description: string };
  /** Fields of {@link SiteDescription} the kind reads besides `name`, `kind`, `rke2Version`, `image` and `hosts`. */
  readonly fields: readonly (keyof SiteDescription)[];
  /**
   * Fields the kind cannot do without.
   * @default - none beyond the common ones
   */
  readonly required?: readonly (keyof SiteDescription)[];
  /** Defines the site's constructs in `chart`. */
  build(chart: Chart, site: SiteDescription): void;
}

const kinds = new Map<string, SiteKind>();

/**
 * The registered site kinds: `single-node` ({@link SingleNodeCluster}) and `ha-metallb`
 * ({@link HaClusterWithMetalLB}) are built in; register more before loading an inventory (and, for
 * worker threads, in the module named by `FleetSynthOptions.kindsModule`).
 */
export class SiteKinds {
  /** Adds (or replaces) a kind. */
  public static register(name: string, kind: SiteKind): void {
    kinds.set(name, kind);
  }

  /** The kind called `name`, if registered. */
  public static get(name: string): SiteKind | undefined {
    return kinds.get(name);
  }

  /** Names of every registered kind. */
  public static names(): string[] {
    return [...kinds.keys()];
  }

  private constructor() {}
}

/** Sync waves: Namespace, then Secrets and ConfigMaps, then hosts, then everything else. */
export const SYNC_WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';

/** The sync wave of an object of `kind`: dependencies first. */
export function syncWaveOf(kind: string): string {
  switch (kind) {
    case 'Namespace':
      return '-2';
    case 'Secret':
    case 'ConfigMap':
    case 'ExternalSecret':
      return '-1';
    case 'BareMetalHost':
      return '0';
    default:
      return '1';
  }
}

/** The longest site name: its namespace `site-<name>` is a DNS-1123 label of at most 63 characters. */
export const MAX_SITE_NAME_LENGTH = 63 - 'site-'.length;

/** The namespace of a site's objects. */
export function siteNamespace(site: Pick<SiteDescription, 'name'>): string {
  return `site-${site.name}`;
}

/**
 * Defines one site as a chart of `scope` (named after the site, in namespace `site-<name>`, with
 * its Namespace object), built by the site's kind; every object carries its sync wave.
 */
export function buildSite(scope: App | Construct, site: SiteDescription): Chart {
  expectObject(site, { path: scope.node.path || '<root>', prop: 'site' }, 'pass a SiteDescription');
  const name = validateDns1123Label(site.name, { path: scope.node.path || '<root>', prop: 'site.name' });
  if (name.length > MAX_SITE_NAME_LENGTH) {
    fail(
      { path: scope.node.path || '<root>', prop: 'site.name' },
      `is longer than ${MAX_SITE_NAME_LENGTH} characters`,
      name,
      'shorten it: the namespace site-<name> is a DNS-1123 label, at most 63 characters',
    );
  }
  const chart = new Chart(scope, name, { namespace: siteNamespace({ name }) });
  const hosts = expectArray<SiteHost>(site.hosts, at(chart, 'site.hosts'), 'list the hosts');
  hosts.forEach((h, i) =>
    expectObject(h, child(at(chart, 'site.hosts'), i), 'pass { name, bootMACAddress, bmcAddress }'),
  );
  expectObject(site.image, at(chart, 'site.image'), 'pass { url, checksumType }');
  hosts.forEach((h, i) => {
    const address = h.address;
    if (typeof address === 'string' && address.includes(':')) {
      fail(
        child(child(at(chart, 'site.hosts'), i), 'address'),
        'is an IPv6 address',
        address,
        "a site's hosts take an IPv4 address with prefix (inventory: CSV host_address, YAML address), such as 10.1.2.21/24; leave it out for DHCP",
      );
    }
  });
  const kind = typeof site.kind === 'string' ? SiteKinds.get(site.kind) : undefined;
  if (!kind) {
    fail(at(chart, 'site.kind'), 'is not a site kind', site.kind, `use one of ${SiteKinds.names().join(', ')}`);
  }
  if (!kind.hosts.accepts(hosts.length)) {
    fail(
      at(chart, 'site.hosts'),
      `holds ${hosts.length} host(s); a ${site.kind} site needs ${kind.hosts.description}`,
      hosts.map((h) => h.name),
      'list the right number of hosts or change the kind',
    );
  }
  for (const field of kind.required ?? []) {
    if (site[field] === undefined)
      fail(at(chart, `site.${field}`), `is required by kind ${site.kind}`, undefined, `give the site a ${field}`);
  }
  const base: (keyof SiteDescription)[] = ['name', 'kind', 'rke2Version', 'image', 'hosts', 'bmcSecretStore', 'source'];
  for (const field of Object.keys(site) as (keyof SiteDescription)[]) {
    if (site[field] !== undefined && !base.includes(field) && !kind.fields.includes(field)) {
      fail(
        at(chart, `site.${field}`),
        `is not used by kind ${site.kind}`,
        site[field],
        'leave it empty or change the kind',
      );
    }
  }
  if (site.bmcSecretStore === undefined && hosts.some((h) => h.bmcRemoteKey !== undefined)) {
    fail(
      at(chart, 'site.hosts'),
      'name a bmcRemoteKey but the site has no bmcSecretStore',
      hosts.map((h) => h.bmcRemoteKey),
      'set bmcSecretStore or leave bmcRemoteKey out',
    );
  }
  // The site's Namespace, once: a construct of the kind that needs it too shares it.
  singletonObject(chart, at(chart, 'site.name'), {
    apiVersion: 'v1',
    kind: 'Namespace',
    name: siteNamespace({ name }),
    content: {},
    fix: 'let one construct define the Namespace',
    define: () => {
      // A Namespace is cluster-scoped: it must not inherit the chart's namespace.
      const namespace = new ApiObject(chart, 'Namespace', {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: siteNamespace({ name }) },
      });
      namespace.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
      return namespace;
    },
  });
  // Objects the kind's constructs do not validate themselves (the Namespace, a custom kind's own).
  validateOutput(chart);
  kind.build(chart, site);
  for (const obj of chart.node.findAll()) {
    if (obj instanceof ApiObject) obj.metadata.addAnnotation(SYNC_WAVE_ANNOTATION, syncWaveOf(obj.kind));
  }
  return chart;
}

function osImage(site: SiteDescription): OsImage {
  return OsImage.fromUrl(site.image.url, {
    checksumType: site.image.checksumType ?? 'sha256',
    ...(site.image.checksum !== undefined ? { checksum: site.image.checksum } : {}),
  });
}

function hostSpec(chart: Chart, site: SiteDescription, host: SiteHost): HostSpec {
  const secretName = host.bmcCredentialsSecret ?? `${host.name}-bmc`;
  const credentials =
    site.bmcSecretStore !== undefined
      ? SecretRef.fromExternalSecret({
          storeName: site.bmcSecretStore,
          remoteKey: host.bmcRemoteKey ?? `${site.name}/${secretName}`,
          name: secretName,
        })
      : SecretRef.fromName(secretName);
  return {
    name: host.name,
    bootMACAddress: host.bootMACAddress,
    bmc: Bmc.redfishVirtualMedia(host.bmcAddress, host.bmcSystemId ?? '1', credentials),
    ...(host.address !== undefined
      ? {
          networkData: NetworkData.nmstate({
            interfaces: [
              { type: 'ethernet', name: 'eth0', macAddress: host.bootMACAddress, ipv4: { addresses: [host.address] } },
            ],
            routes:
              site.gateway !== undefined
                ? [{ destination: '0.0.0.0/0', nextHopAddress: site.gateway, nextHopInterface: 'eth0' }]
                : [],
            dnsServers: [...expectArray<string>(site.dnsServers ?? [], at(chart, 'site.dnsServers'))],
          }),
        }
      : {}),
  };
}

function networks(site: SiteDescription): { podCidrs?: string[]; serviceCidrs?: string[] } {
  return {
    ...(site.podCidr !== undefined ? { podCidrs: [site.podCidr] } : {}),
    ...(site.serviceCidr !== undefined ? { serviceCidrs: [site.serviceCidr] } : {}),
  };
}

SiteKinds.register('single-node', {
  hosts: { accepts: (n) => n === 1, description: 'exactly 1' },
  fields: ['controlPlaneEndpoint', 'gateway', 'dnsServers', 'podCidr', 'serviceCidr'],
  build(chart, site) {
    const host = site.hosts[0];
    const endpoint = site.controlPlaneEndpoint ?? host.address?.replace(/\/\d+$/, '');
    if (endpoint === undefined) {
      fail(
        at(chart, 'site.controlPlaneEndpoint'),
        'is required when the host has no static address',
        undefined,
        'give the host an address or the site a controlPlaneEndpoint',
      );
    }
    new SingleNodeCluster(chart, 'Cluster', {
      clusterName: site.name,
      rke2Version: site.rke2Version,
      image: osImage(site),
      host: hostSpec(chart, site, host),
      controlPlaneEndpoint: endpoint,
      ...networks(site),
    });
  },
});

SiteKinds.register('ha-metallb', {
  hosts: { accepts: (n) => n >= 3 && n % 2 === 1, description: 'an odd number, at least 3' },
  fields: ['vip', 'machineNetwork', 'gateway', 'dnsServers', 'podCidr', 'serviceCidr'],
  required: ['vip'],
  build(chart, site) {
    new HaClusterWithMetalLB(chart, 'Cluster', {
      clusterName: site.name,
      rke2Version: site.rke2Version,
      image: osImage(site),
      vip: site.vip!,
      controlPlaneHosts: site.hosts.map((h) => hostSpec(chart, site, h)),
      ...(site.machineNetwork !== undefined ? { machineNetwork: site.machineNetwork } : {}),
      ...networks(site),
    });
  },
});
