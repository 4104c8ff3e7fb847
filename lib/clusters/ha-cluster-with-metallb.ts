import { Construct } from 'constructs';
import { ClusterV1Beta1 } from '../../imports/clusters-cluster.x-k8s.io';
import { Metal3Cluster } from '../../imports/metal3clusters-infrastructure.cluster.x-k8s.io';
import { ButaneConfig } from '../butane/butane-config';
import { FleetRegistry } from '../fleet/fleet-registry';
import { BareMetalHost, HostSpec } from '../metal3/bare-metal-host';
import { Metal3MachineTemplate } from '../metal3/metal3-machine-template';
import { OsImage } from '../metal3/os-image';
import {
  addKubernetesVip,
  checkMetalLbObjects,
  DEFAULT_ENDPOINT_COPIER_CHART,
  DEFAULT_METALLB_CHART,
} from '../metallb/kubernetes-vip';
import { Cidr } from '../net/cidr';
import { AirgapRegistryMirror } from '../registry/airgap-registry-mirror';
import { isDns1123Subdomain } from '../net/dns';
import { IpAddress } from '../net/ip-address';
import { at, child, expectArray, expectOptionalBoolean, expectString, fail } from '../private/errors';
import { CniServerConfig } from '../rke2/cni';
import { HelmChartSource, validateHelmChartSource } from '../rke2/helm-chart';
import { Rke2ControlPlane } from '../rke2/rke2-control-plane';
import { Rke2Version } from '../rke2/rke2-version';
import { ClusterNetwork } from './cluster-network';
import { defineRke2Metal3Cluster, Rke2Metal3ClusterProps } from './rke2-metal3-cluster';
import { WorkerPool, WorkerPoolOptions } from './worker-pool';

/** Props of {@link HaClusterWithMetalLB}. */
export interface HaClusterWithMetalLBProps extends Rke2Metal3ClusterProps {
  /** Reserved IPv4 address that MetalLB announces for the API server (ports 6443 and 9345). */
  readonly vip: string;
  /** Control-plane hosts: an odd number, at least 3. */
  readonly controlPlaneHosts: HostSpec[];
  /**
   * The hosts' network; the VIP must lie inside it (and be neither its network nor broadcast
   * address).
   * @default - derived from the hosts' static addresses when they have them, else not checked
   */
  readonly machineNetwork?: string;
  /**
   * Extra names of the API server certificate (host names or IP addresses, not URLs).
   * @default - none (the VIP is always included)
   */
  readonly apiServerNames?: string[];
  /**
   * Also add `<vip>.sslip.io` to the certificate names, so the API answers to a name that
   * resolves without DNS records of your own.
   * @default false
   */
  readonly sslipName?: boolean;
  /**
   * Extra machines during a control-plane rollout: 0 replaces in place (bare metal rarely has a
   * spare host), 1 provisions a spare host first.
   * @default 0
   */
  readonly maxSurge?: number;
  /**
   * MetalLB chart.
   * @default - SUSE Edge's chart, version 303.0.0+up0.14.9
   */
  readonly metalLBChart?: HelmChartSource;
  /**
   * endpoint-copier-operator chart.
   * @default - SUSE Edge's chart, version 303.0.0+up0.2.1
   */
  readonly endpointCopierChart?: HelmChartSource;
}

/**
 * A highly available RKE2 cluster on three or more Metal3 hosts behind a MetalLB VIP (SUSE Edge
 * "direct network provisioning", multi-node): the control-plane `BareMetalHost`s, `Cluster`,
 * `Metal3Cluster` on `<vip>:6443`, `RKE2ControlPlane` registering through the VIP, and, as
 * first-boot manifests, MetalLB + endpoint-copier-operator with the VIP pool, L2 advertisement
 * and `kubernetes-vip` Service. Add worker pools with `addWorkerPool()`.
 */
export class HaClusterWithMetalLB extends Construct {
  /** Name of the workload cluster. */
  public readonly clusterName: string;
  /** The API VIP. */
  public readonly vip: IpAddress;
  /** Validated networks and endpoint. */
  public readonly network: ClusterNetwork;
  /** First-boot Butane config of the control-plane nodes. */
  public readonly userData: ButaneConfig;
  /** The CAPI Cluster. */
  public readonly cluster: ClusterV1Beta1;
  /** The Metal3Cluster. */
  public readonly metal3Cluster: Metal3Cluster;
  /** The RKE2 control plane. */
  public readonly controlPlane: Rke2ControlPlane;
  /** Machine and data templates of the control plane. */
  public readonly machineTemplate: Metal3MachineTemplate;
  /** The control-plane hosts. */
  public readonly controlPlaneHosts: BareMetalHost[];
  /** Worker pools added so far. */
  public readonly workerPools: WorkerPool[] = [];
  private readonly version: Rke2Version;
  private readonly image: OsImage;
  private readonly registryMirror?: AirgapRegistryMirror;
  private readonly airGapped: boolean;
  private readonly cni: CniServerConfig;

  constructor(scope: Construct, id: string, props: HaClusterWithMetalLBProps) {
    super(scope, id);
    const hostsWhere = at(this, 'controlPlaneHosts');
    const hosts = expectArray<HostSpec>(props?.controlPlaneHosts, hostsWhere, 'pass three or more control-plane hosts');
    if (hosts.length < 3 || hosts.length % 2 === 0) {
      fail(
        hostsWhere,
        `holds ${hosts.length} host(s); etcd needs an odd number, at least 3`,
        hosts.map((h) => h?.name),
        hosts.length < 3 ? 'add hosts up to three, or use SingleNodeCluster for one' : 'add or remove one host',
      );
    }
    const maxSurge = props.maxSurge ?? 0;
    if (maxSurge !== 0 && maxSurge !== 1)
      fail(at(this, 'maxSurge'), 'must be 0 or 1', maxSurge, 'use 0 (replace in place) or 1 (spare host first)');

    const vipWhere = at(this, 'vip');
    const vip = IpAddress.parse(props.vip, vipWhere);
    if (vip.family !== 'ipv4') {
      fail(
        vipWhere,
        'is IPv6, but multi-node IPv6-only and dual-stack clusters are not supported upstream yet',
        props.vip,
        'use an IPv4 VIP',
      );
    }
    for (const prop of ['podCidrs', 'serviceCidrs'] as const) {
      if ((props[prop] ?? []).length > 1) {
        fail(
          at(this, prop),
          'asks for dual stack, which multi-node RKE2 clusters on Metal3 do not support upstream yet',
          props[prop],
          'give one IPv4 pod and one IPv4 service CIDR',
        );
      }
      // Checked here, before the cluster network: with an IPv4 VIP as endpoint, an IPv6 block
      // would otherwise be refused as a family mismatch of the endpoint.
      const list = props[prop];
      if (Array.isArray(list) && list.length === 1 && Cidr.parse(list[0], child(at(this, prop), 0)).family !== 'ipv4') {
        fail(
          at(this, prop),
          'is IPv6, which multi-node clusters do not support upstream yet',
          list,
          'use IPv4 cluster networks',
        );
      }
    }
    const sans = this.certificateNames(vip, props);
    const metalLB = validateHelmChartSource(props.metalLBChart ?? DEFAULT_METALLB_CHART, at(this, 'metalLBChart'));
    const endpointCopier = validateHelmChartSource(
      props.endpointCopierChart ?? DEFAULT_ENDPOINT_COPIER_CHART,
      at(this, 'endpointCopierChart'),
    );

    const parts = defineRke2Metal3Cluster(
      this,
      props,
      {
        hosts,
        endpoint: vip.toString(),
        maxSurge: maxSurge as 0 | 1,
        registrationMethod: 'control-plane-endpoint',
        registrationAddress: vip.toString(),
        tlsSan: sans,
        check: () => this.checkVipOnMachineNetwork(vip, hosts, props.machineNetwork),
      },
      (i) => child(hostsWhere, i),
    );
    FleetRegistry.of(this).claim('IP address', vip.toString(), vipWhere, this.node.path);
    addKubernetesVip(parts.userData, {
      vip,
      apiPort: parts.network.endpointPort,
      metalLB,
      endpointCopier,
      charts: parts.charts,
    });
    this.node.addValidation({
      validate: () => checkMetalLbObjects(parts.userData.embeddedManifests().flatMap((e) => [...e.objects])),
    });

    this.clusterName = parts.clusterName;
    this.vip = vip;
    this.network = parts.network;
    this.userData = parts.userData;
    this.cluster = parts.cluster;
    this.metal3Cluster = parts.metal3Cluster;
    this.controlPlane = parts.controlPlane;
    this.machineTemplate = parts.machineTemplate;
    this.controlPlaneHosts = parts.hosts;
    this.version = parts.version;
    this.image = parts.image;
    this.registryMirror = parts.registryMirror;
    this.airGapped = parts.airGapped;
    this.cni = parts.cni;
  }

  /**
   * Adds a pool of worker machines on its own hosts: a MachineDeployment with its
   * RKE2ConfigTemplate and Metal3 templates, and the hosts' BareMetalHosts. `id` is the pool
   * name (a DNS-1123 label); objects are named `<cluster>-<id>`.
   */
  public addWorkerPool(id: string, options: WorkerPoolOptions): WorkerPool {
    if (this.workerPools.some((p) => p.name === id)) {
      fail(at(this, 'addWorkerPool'), 'adds a pool whose name is taken', id, 'give each pool its own name');
    }
    const pool = new WorkerPool(this, `Pool-${id}`, {
      ...options,
      name: id,
      clusterName: this.clusterName,
      version: this.version,
      clusterImage: this.image,
      registryMirror: this.registryMirror,
      airGapped: this.airGapped,
      cni: this.cni,
    });
    this.workerPools.push(pool);
    return pool;
  }

  private certificateNames(vip: IpAddress, props: HaClusterWithMetalLBProps): string[] {
    const where = at(this, 'apiServerNames');
    const names = expectArray<string>(props.apiServerNames ?? [], where).map((n, i) => {
      const name = expectString(n, child(where, i));
      if (/^[a-z][a-z0-9+.-]*:\/\//i.test(name)) {
        fail(
          child(where, i),
          'is a URL, which is not a valid certificate name',
          name,
          `give the host name only, such as ${name.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/[:/].*$/, '')}`,
        );
      }
      if (!IpAddress.isValid(name) && !isDns1123Subdomain(name)) {
        fail(
          child(where, i),
          'is neither a host name nor an IP address',
          name,
          'give a lower-case DNS name or an address',
        );
      }
      return IpAddress.isValid(name) ? IpAddress.parse(name).toString() : name;
    });
    if (expectOptionalBoolean(props.sslipName, at(this, 'sslipName'))) names.push(`${vip}.sslip.io`);
    const all = [vip.toString(), ...names];
    const dup = all.find((n, i) => all.indexOf(n) !== i);
    if (dup) fail(where, 'lists a name twice (the VIP is always included)', dup, 'remove the duplicate');
    return all;
  }

  private checkVipOnMachineNetwork(
    vip: IpAddress,
    hosts: readonly HostSpec[],
    machineNetwork: string | undefined,
  ): void {
    const vipWhere = at(this, 'vip');
    const staticHosts = hosts.filter((h) => h.networkData);
    hosts.forEach((h) => {
      if (h.networkData?.addresses.some((a) => a.equals(vip))) {
        fail(vipWhere, `is the address of host ${h.name}`, vip.toString(), 'reserve an address no host uses');
      }
      if (h.networkData?.gateways.some((g) => g.equals(vip))) {
        fail(vipWhere, `is the gateway of host ${h.name}`, vip.toString(), 'reserve an address that is not the router');
      }
    });
    let networks: Cidr[] = [];
    if (machineNetwork !== undefined) {
      networks = [Cidr.parse(machineNetwork, at(this, 'machineNetwork'))];
    } else if (staticHosts.length > 0) {
      networks = staticHosts.flatMap((h) => h.networkData!.subnets).filter((s) => s.family === 'ipv4');
    }
    if (networks.length === 0) return;
    const home = networks.find((n) => n.contains(vip));
    if (!home) {
      fail(
        vipWhere,
        `is outside the machine network ${[...new Set(networks.map(String))].join(', ')}`,
        vip.toString(),
        'pick a free address in the subnet of the control-plane hosts, so MetalLB can announce it over L2',
      );
    }
    if (home.isNetworkAddress(vip) || home.isBroadcastAddress(vip)) {
      fail(
        vipWhere,
        `is the ${home.isNetworkAddress(vip) ? 'network' : 'broadcast'} address of ${home}`,
        vip.toString(),
        'pick a host address inside the subnet',
      );
    }
  }
}
