import { Construct } from 'constructs';
import { chartIdOf, SiteFile } from '../core/site-file';
import { IpAddress } from '../net/ip-address';
import { validateDns1123Label, validateDns1123Subdomain } from '../net/dns';
import { At, at, child, expectArray, expectObject, expectOptionalBoolean, fail } from '../private/errors';

/** Props of {@link HostedClusterDnsRecords}. */
export interface HostedClusterDnsRecordsProps {
  /** Name of the hosted cluster: records live under `<clusterName>.<baseDomain>`. */
  readonly clusterName: string;
  /** Base domain of the hosted cluster. */
  readonly baseDomain: string;
  /**
   * Addresses of the hosted API server (`api` and `api-int`): the LoadBalancer address, or the
   * management nodes that serve its NodePort.
   */
  readonly apiAddresses: string[];
  /** Addresses of the hosted cluster's ingress (`*.apps`): a load balancer or the worker nodes. */
  readonly ingressAddresses: string[];
  /**
   * The cluster is dual stack: `api` and `*.apps` each need an A and an AAAA record.
   * @default false
   */
  readonly dualStack?: boolean;
  /**
   * Folder of the two files, relative to the synth output folder.
   * @default `<chart id>`
   */
  readonly directory?: string;
}

/**
 * The DNS records a hosted cluster needs before its workers join (seed §6.3.4): `api`,
 * `api-int` and `*.apps`, A records for IPv4 and AAAA for IPv6, written by synth as two
 * site files: a zone-file snippet (`<cluster>.<domain>.zone`, for BIND and most DNS servers)
 * and a dnsmasq snippet (`<cluster>.<domain>.dnsmasq.conf`: `host-record` and `address=/…/`).
 *
 * Checked: addresses are IP addresses, each given once; for dual stack both families are
 * present for the API and the ingress.
 */
export class HostedClusterDnsRecords extends Construct {
  /** `<clusterName>.<baseDomain>`. */
  public readonly domain: string;
  /** The zone-file snippet. */
  public readonly zoneFile: SiteFile;
  /** The dnsmasq snippet. */
  public readonly dnsmasqFile: SiteFile;

  constructor(scope: Construct, id: string, props: HostedClusterDnsRecordsProps) {
    super(scope, id);
    expectObject(props, at(this, 'props'), 'pass { clusterName, baseDomain, apiAddresses, ingressAddresses }');
    const cluster = validateDns1123Label(props.clusterName, at(this, 'clusterName'));
    const base = validateDns1123Subdomain(props.baseDomain, at(this, 'baseDomain'));
    this.domain = `${cluster}.${base}`;
    if (`api-int.${this.domain}`.length > 253) {
      fail(
        at(this, 'baseDomain'),
        `makes api-int.${this.domain} longer than 253 characters`,
        base,
        'use a shorter base domain',
      );
    }
    const dual = expectOptionalBoolean(props.dualStack, at(this, 'dualStack')) ?? false;
    const api = addresses(props.apiAddresses, at(this, 'apiAddresses'), dual);
    const apps = addresses(props.ingressAddresses, at(this, 'ingressAddresses'), dual);
    const directory = props.directory ?? chartIdOf(this);

    const records: [string, IpAddress][] = [
      ...api.map((a): [string, IpAddress] => [`api.${this.domain}`, a]),
      ...api.map((a): [string, IpAddress] => [`api-int.${this.domain}`, a]),
      ...apps.map((a): [string, IpAddress] => [`*.apps.${this.domain}`, a]),
    ];
    const width = Math.max(...records.map(([n]) => n.length + 1));
    this.zoneFile = new SiteFile(this, 'Zone', {
      path: `${directory}/${this.domain}.zone`,
      contents: [
        `; DNS records of the hosted cluster ${this.domain} (api, api-int, *.apps)`,
        ...records.map(([name, a]) => `${`${name}.`.padEnd(width)} IN ${a.family === 'ipv4' ? 'A   ' : 'AAAA'} ${a}`),
        '',
      ].join('\n'),
    });
    this.dnsmasqFile = new SiteFile(this, 'Dnsmasq', {
      path: `${directory}/${this.domain}.dnsmasq.conf`,
      contents: [
        `# DNS records of the hosted cluster ${this.domain} (api, api-int, *.apps)`,
        ...api.map((a) => `host-record=api.${this.domain},${a}`),
        ...api.map((a) => `host-record=api-int.${this.domain},${a}`),
        ...apps.map((a) => `address=/apps.${this.domain}/${a}`),
        '',
      ].join('\n'),
    });
  }
}

function addresses(value: unknown, where: At, dual: boolean): IpAddress[] {
  const list = expectArray<string>(value, where, 'pass a list of IP addresses');
  if (list.length === 0) fail(where, 'is empty', list, 'give at least one IP address');
  const parsed = list.map((a, i) => IpAddress.parse(a, child(where, i)));
  const seen = new Set<string>();
  parsed.forEach((a, i) => {
    if (seen.has(a.toString())) fail(child(where, i), 'is given twice', list[i], 'give each address once');
    seen.add(a.toString());
  });
  if (dual) {
    for (const family of ['ipv4', 'ipv6'] as const) {
      if (!parsed.some((a) => a.family === family)) {
        fail(
          where,
          `has no ${family} address, but the cluster is dual stack`,
          list,
          `add an ${family} address for the ${family === 'ipv4' ? 'A' : 'AAAA'} records`,
        );
      }
    }
  }
  return parsed;
}
