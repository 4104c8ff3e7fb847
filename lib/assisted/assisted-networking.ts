import { Cidr } from '../net/cidr';
import { IpAddress, IpFamily } from '../net/ip-address';
import { At, child, expectArray, expectInteger, expectObject, fail } from '../private/errors';

/** The network plugins `AgentClusterInstall.spec.networking.networkType` accepts (its CRD enum). */
export type AssistedNetworkType = 'OVNKubernetes' | 'OpenShiftSDN' | 'CiscoACI' | 'Cilium' | 'Calico' | 'None';

/** Every {@link AssistedNetworkType}, as the CRD lists them. */
export const ASSISTED_NETWORK_TYPES: readonly AssistedNetworkType[] = [
  'OpenShiftSDN',
  'OVNKubernetes',
  'CiscoACI',
  'Cilium',
  'Calico',
  'None',
];

/** One pod network block and the size of the slice each node gets from it. */
export interface AssistedClusterNetwork {
  /** Pod network block, for example `10.128.0.0/14`. */
  readonly cidr: string;
  /** Prefix length of the block each node receives, for example `23` (510 pods per node). */
  readonly hostPrefix: number;
}

/** Networks and virtual IPs of an Assisted Service cluster, in the vocabulary of `AgentClusterInstall`. */
export interface AssistedNetworkingOptions {
  /**
   * Networks the hosts' primary addresses are in (`networking.machineNetwork`): one block, or one
   * per family for dual stack, primary family first. The VIPs must lie in them.
   */
  readonly machineNetworks: string[];
  /**
   * Pod networks (`networking.clusterNetwork`), one per family, in the order of `machineNetworks`.
   * @default [{ cidr: '10.128.0.0/14', hostPrefix: 23 }] (OpenShift's default)
   */
  readonly clusterNetworks?: AssistedClusterNetwork[];
  /**
   * Service networks (`networking.serviceNetwork`), one per family, in the order of `machineNetworks`.
   * @default ['172.30.0.0/16'] (OpenShift's default)
   */
  readonly serviceNetworks?: string[];
  /**
   * Virtual IPs of the API (`apiVIPs`): one, or one per family for dual stack, in the order of
   * `machineNetworks`. Required for a multi-node cluster, refused for a single-node one.
   * @default - none (only valid for a single-node cluster)
   */
  readonly apiVIPs?: string[];
  /**
   * Virtual IPs of the default ingress controller (`ingressVIPs`), like `apiVIPs`.
   * @default - none (only valid for a single-node cluster)
   */
  readonly ingressVIPs?: string[];
}

/** A host address the VIPs must not take, with the host it belongs to. */
export interface HostAddress {
  /** Name of the host, for messages. */
  readonly host: string;
  /** One static address of the host. */
  readonly address: IpAddress;
}

/** What the network checks need to know about the rest of the cluster. */
export interface AssistedNetworkingContext {
  /** Number of nodes (control-plane and worker agents). */
  readonly nodeCount: number;
  /** A single-node cluster: no VIPs, user-managed networking. */
  readonly singleNode: boolean;
  /** With `UserManaged`, the VIPs belong to an external load balancer and may lie outside the machine network. */
  readonly loadBalancer: 'ClusterManaged' | 'UserManaged';
  /** Static addresses of the hosts. */
  readonly hostAddresses: readonly HostAddress[];
}

/** Validated networking. */
export interface AssistedNetworking {
  /** Machine networks, primary family first. */
  readonly machineNetworks: Cidr[];
  /** Pod networks with their per-node prefix, in family order. */
  readonly clusterNetworks: { readonly cidr: Cidr; readonly hostPrefix: number }[];
  /** Service networks, in family order. */
  readonly serviceNetworks: Cidr[];
  /** API virtual IPs, in family order (empty for a single node). */
  readonly apiVIPs: IpAddress[];
  /** Ingress virtual IPs, in family order (empty for a single node). */
  readonly ingressVIPs: IpAddress[];
  /** The address families of the cluster, primary first. */
  readonly families: IpFamily[];
}

/** OpenShift's default pod network. */
export const DEFAULT_ASSISTED_CLUSTER_NETWORKS: readonly AssistedClusterNetwork[] = [
  { cidr: '10.128.0.0/14', hostPrefix: 23 },
];
/** OpenShift's default service network. */
export const DEFAULT_ASSISTED_SERVICE_NETWORKS: readonly string[] = ['172.30.0.0/16'];

function familyList<T>(
  value: unknown,
  where: At,
  what: string,
  parse: (v: unknown, w: At) => T,
  fam: (t: T) => IpFamily,
): T[] {
  const list = expectArray<unknown>(value, where, `pass a list of one ${what} (single stack) or two (dual stack)`);
  if (list.length < 1 || list.length > 2) {
    fail(
      where,
      `must hold one ${what} (single stack) or two (dual stack)`,
      value,
      'give one IPv4 or IPv6 entry, or one of each',
    );
  }
  const parsed = list.map((v, i) => parse(v, child(where, i)));
  if (parsed.length === 2 && fam(parsed[0]) === fam(parsed[1])) {
    fail(where, `holds two entries of the same family`, value, 'dual stack needs one IPv4 and one IPv6 entry');
  }
  return parsed;
}

function sameOrder(
  families: readonly IpFamily[],
  actual: readonly IpFamily[],
  where: At,
  got: unknown,
  against: string,
): void {
  if (actual.length !== families.length || actual.some((f, i) => f !== families[i])) {
    fail(
      where,
      `lists ${actual.join(', ')} but ${against} lists ${families.join(', ')}`,
      got,
      `give one entry per family of ${against}, in the same order (primary family first)`,
    );
  }
}

/**
 * Checks the networks and VIPs of an Assisted Service cluster against each other, as
 * assisted-service and the installer would (but at synth, with the prop named): machine, pod and
 * service networks disjoint, one entry per family in the same order (dual stack: the primary
 * family first everywhere); each host prefix longer than its pod block and leaving a slice for
 * every node; the VIPs of a multi-node cluster given (and refused for a single node), inside the
 * machine network of their family (with the cluster-managed load balancer), usable there, not in
 * the pod or service networks, distinct from each other and from every host address.
 * `where.path` is the construct path; props are named as in {@link AssistedNetworkingOptions}.
 */
export function validateAssistedNetworking(
  options: AssistedNetworkingOptions,
  context: AssistedNetworkingContext,
  where: At,
): AssistedNetworking {
  expectObject(options, where, 'pass { machineNetworks, apiVIPs, ingressVIPs }');
  const w = (prop: string): At => ({ path: where.path, prop: `${where.prop}.${prop}` });

  if (options.machineNetworks === undefined) {
    fail(
      w('machineNetworks'),
      'is missing',
      undefined,
      'give the network the hosts are in, for example ["172.16.0.0/24"]',
    );
  }
  const machineNetworks = familyList(
    options.machineNetworks,
    w('machineNetworks'),
    'CIDR',
    (v, at) => Cidr.parse(v, at),
    (c) => c.family,
  );
  const families = machineNetworks.map((c) => c.family);

  const clusterNetworks = familyList(
    options.clusterNetworks ?? DEFAULT_ASSISTED_CLUSTER_NETWORKS,
    w('clusterNetworks'),
    'pod network',
    (v, at) => {
      const entry = expectObject<AssistedClusterNetwork>(v, at, 'pass { cidr, hostPrefix }');
      const cidr = Cidr.parse(entry.cidr, child(at, 'cidr'));
      const max = cidr.family === 'ipv4' ? 30 : 126;
      const hostPrefix = expectInteger(entry.hostPrefix, child(at, 'hostPrefix'), 1, 128);
      if (hostPrefix <= cidr.prefixLength || hostPrefix > max) {
        fail(
          child(at, 'hostPrefix'),
          `must be longer than the /${cidr.prefixLength} of ${cidr} and at most ${max}`,
          hostPrefix,
          `pick a prefix from ${cidr.prefixLength + 1} to ${max} (OpenShift's default is 23 for IPv4, 64 for IPv6)`,
        );
      }
      const bits = hostPrefix - cidr.prefixLength;
      const slices = bits >= 31 ? Number.MAX_SAFE_INTEGER : 2 ** bits;
      if (slices < context.nodeCount) {
        fail(
          child(at, 'hostPrefix'),
          `cuts ${cidr} into ${slices} node slice(s), fewer than the ${context.nodeCount} nodes`,
          hostPrefix,
          'use a larger pod network or a longer host prefix',
        );
      }
      return { cidr, hostPrefix };
    },
    (c) => c.cidr.family,
  );
  sameOrder(
    families,
    clusterNetworks.map((c) => c.cidr.family),
    w('clusterNetworks'),
    clusterNetworks.map((c) => c.cidr.toString()),
    'machineNetworks',
  );

  const serviceNetworks = familyList(
    options.serviceNetworks ?? DEFAULT_ASSISTED_SERVICE_NETWORKS,
    w('serviceNetworks'),
    'CIDR',
    (v, at) => Cidr.parse(v, at),
    (c) => c.family,
  );
  sameOrder(
    families,
    serviceNetworks.map((c) => c.family),
    w('serviceNetworks'),
    serviceNetworks.map(String),
    'machineNetworks',
  );

  const named: { prop: string; cidr: Cidr }[] = [
    ...machineNetworks.map((cidr) => ({ prop: 'machineNetworks', cidr })),
    ...clusterNetworks.map((c) => ({ prop: 'clusterNetworks', cidr: c.cidr })),
    ...serviceNetworks.map((cidr) => ({ prop: 'serviceNetworks', cidr })),
  ];
  named.forEach((a, i) => {
    for (const b of named.slice(i + 1)) {
      if (a.prop !== b.prop && a.cidr.overlaps(b.cidr)) {
        fail(
          w(b.prop),
          `${b.cidr} overlaps the ${a.prop} block ${a.cidr}`,
          b.cidr.toString(),
          'pick disjoint machine, pod and service networks',
        );
      }
    }
  });

  const apiVIPs = parseVips(options.apiVIPs, 'apiVIPs');
  const ingressVIPs = parseVips(options.ingressVIPs, 'ingressVIPs');
  function parseVips(value: unknown, prop: string): IpAddress[] {
    if (context.singleNode) {
      if (value !== undefined && !(Array.isArray(value) && value.length === 0)) {
        fail(
          w(prop),
          'is set for a single-node cluster',
          value,
          'leave it out: a single node serves the API and ingress on its own address',
        );
      }
      return [];
    }
    if (value === undefined) {
      fail(
        w(prop),
        'is missing',
        undefined,
        `a multi-node cluster needs one free address per family of machineNetworks (${machineNetworks.join(', ')})`,
      );
    }
    const vips = familyList(
      value,
      w(prop),
      'address',
      (v, at) => IpAddress.parse(v, at),
      (a) => a.family,
    );
    sameOrder(
      families,
      vips.map((a) => a.family),
      w(prop),
      value,
      'machineNetworks',
    );
    vips.forEach((vip, i) => {
      const at = child(w(prop), i);
      const machine = machineNetworks[i];
      if (context.loadBalancer === 'ClusterManaged') {
        if (!machine.contains(vip)) {
          fail(
            at,
            `is outside the machine network ${machine}`,
            vip.toString(),
            'pick a free address in the machine network, where the nodes announce it',
          );
        }
        if (machine.isNetworkAddress(vip) || machine.isBroadcastAddress(vip)) {
          fail(
            at,
            `is the ${machine.isNetworkAddress(vip) ? 'network' : 'broadcast'} address of ${machine}`,
            vip.toString(),
            'pick a host address',
          );
        }
      }
      for (const c of [...clusterNetworks.map((n) => n.cidr), ...serviceNetworks]) {
        if (c.contains(vip)) {
          fail(
            at,
            `is inside the ${clusterNetworks.some((n) => n.cidr === c) ? 'pod' : 'service'} network ${c}`,
            vip.toString(),
            'pick an address in the machine network',
          );
        }
      }
      const host = context.hostAddresses.find((h) => h.address.equals(vip));
      if (host) fail(at, `is the address of host ${host.host}`, vip.toString(), 'pick an address no host uses');
    });
    return vips;
  }
  ingressVIPs.forEach((vip, i) => {
    if (apiVIPs.some((a) => a.equals(vip))) {
      fail(
        child(w('ingressVIPs'), i),
        'is also an API VIP',
        vip.toString(),
        'give the API and ingress their own addresses',
      );
    }
  });

  return { machineNetworks, clusterNetworks, serviceNetworks, apiVIPs, ingressVIPs, families };
}
