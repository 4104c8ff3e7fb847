import { Cidr } from '../net/cidr';
import { isDns1123Subdomain } from '../net/dns';
import { IpAddress, IpFamily } from '../net/ip-address';
import { At, child, expectArray, expectInteger, expectString, fail } from '../private/errors';

/** Pod and service networks of a workload cluster. */
export interface ClusterNetworkOptions {
  /**
   * Pod CIDR blocks: one for single stack, one IPv4 and one IPv6 for dual stack; the first is
   * the primary family.
   * @default ['192.168.0.0/18'] (SUSE Edge's documented value)
   */
  readonly podCidrs?: string[];
  /**
   * Service CIDR blocks, in the same family order as `podCidrs`.
   * @default ['10.96.0.0/12'] (SUSE Edge's documented value)
   */
  readonly serviceCidrs?: string[];
}

/** Validated cluster networking: CIDRs and the control-plane endpoint. */
export interface ClusterNetwork {
  /** Pod CIDRs, primary family first. */
  readonly podCidrs: Cidr[];
  /** Service CIDRs, in the same family order as the pod CIDRs. */
  readonly serviceCidrs: Cidr[];
  /** Family of the first CIDR of each list. */
  readonly primaryFamily: IpFamily;
  /** Whether the lists hold one CIDR of each family. */
  readonly dualStack: boolean;
  /** Endpoint host as written (IP in canonical form, or a DNS name). */
  readonly endpointHost: string;
  /**
   * Endpoint as an address, when it is one.
   * @default - undefined when the endpoint is a DNS name
   */
  readonly endpointAddress?: IpAddress;
  /** Port of the Kubernetes API at the endpoint. */
  readonly endpointPort: number;
}

export const DEFAULT_POD_CIDRS = ['192.168.0.0/18'];
export const DEFAULT_SERVICE_CIDRS = ['10.96.0.0/12'];

function parseCidrList(value: unknown, where: At): Cidr[] {
  const list = expectArray<unknown>(value, where, 'pass a list of one or two CIDR blocks');
  if (list.length < 1 || list.length > 2) {
    fail(
      where,
      'must hold one CIDR (single stack) or two (dual stack)',
      value,
      'give one IPv4 or IPv6 block, or one of each',
    );
  }
  const cidrs = list.map((c, i) => Cidr.parse(c, child(where, i)));
  if (cidrs.length === 2 && cidrs[0].family === cidrs[1].family) {
    fail(where, 'holds two blocks of the same family', value, 'dual stack needs one IPv4 and one IPv6 block');
  }
  return cidrs;
}

/**
 * Validates pod/service CIDRs and the control-plane endpoint against each other: no overlap,
 * dual-stack lists ordered by the same family, endpoint outside both networks and of the primary
 * family. `where` is the construct's place; props are named `podCidrs`, `serviceCidrs`,
 * `controlPlaneEndpoint` and `controlPlaneEndpointPort`.
 */
export function validateClusterNetwork(
  options: ClusterNetworkOptions,
  endpoint: unknown,
  endpointPort: unknown,
  where: At,
): ClusterNetwork {
  const podWhere = { path: where.path, prop: 'podCidrs' };
  const svcWhere = { path: where.path, prop: 'serviceCidrs' };
  const podCidrs = parseCidrList(options.podCidrs ?? DEFAULT_POD_CIDRS, podWhere);
  const serviceCidrs = parseCidrList(options.serviceCidrs ?? DEFAULT_SERVICE_CIDRS, svcWhere);

  if (podCidrs.length !== serviceCidrs.length) {
    fail(
      svcWhere,
      `has ${serviceCidrs.length} block(s) while podCidrs has ${podCidrs.length}`,
      serviceCidrs.map(String),
      'give both lists one block per family (one for single stack, two for dual stack)',
    );
  }
  podCidrs.forEach((pod, i) => {
    if (serviceCidrs[i].family !== pod.family) {
      fail(
        svcWhere,
        `lists ${serviceCidrs[i].family} where podCidrs lists ${pod.family} at position ${i}`,
        serviceCidrs.map(String),
        'order both lists by the same family, primary family first',
      );
    }
  });
  for (const pod of podCidrs) {
    for (const svc of serviceCidrs) {
      if (pod.overlaps(svc)) {
        fail(svcWhere, `${svc} overlaps the pod CIDR ${pod}`, svc.toString(), 'pick disjoint pod and service networks');
      }
    }
  }

  const epWhere = { path: where.path, prop: 'controlPlaneEndpoint' };
  const host = expectString(endpoint, epWhere, 'pass the IP address or DNS name of the API server');
  const port = expectInteger(endpointPort, { path: where.path, prop: 'controlPlaneEndpointPort' }, 1, 65535);
  const primaryFamily = podCidrs[0].family;
  let endpointAddress: IpAddress | undefined;
  if (IpAddress.isValid(host)) {
    endpointAddress = IpAddress.parse(host, epWhere);
    for (const cidr of [...podCidrs, ...serviceCidrs]) {
      if (cidr.contains(endpointAddress)) {
        fail(epWhere, `is inside the cluster CIDR ${cidr}`, host, 'pick an address in the machine network');
      }
    }
    if (endpointAddress.family !== primaryFamily) {
      fail(
        epWhere,
        `is ${endpointAddress.family} but the primary cluster family is ${primaryFamily}`,
        host,
        'use an endpoint of the family listed first in podCidrs and serviceCidrs',
      );
    }
  } else if (!isDns1123Subdomain(host)) {
    fail(
      epWhere,
      'is neither an IP address nor a DNS name',
      host,
      'pass an address such as 192.168.200.80 or a name such as api.edge.example',
    );
  }

  return {
    podCidrs,
    serviceCidrs,
    primaryFamily,
    dualStack: podCidrs.length === 2,
    endpointHost: endpointAddress?.toString() ?? host,
    endpointAddress,
    endpointPort: port,
  };
}
