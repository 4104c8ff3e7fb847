import { Construct } from 'constructs';
import { ClusterV1Beta1 } from '../../imports/clusters-cluster.x-k8s.io';
import { Metal3Cluster } from '../../imports/metal3clusters-infrastructure.cluster.x-k8s.io';
import { ButaneConfig } from '../butane/butane-config';
import { BareMetalHost, HostSpec } from '../metal3/bare-metal-host';
import { Metal3MachineTemplate } from '../metal3/metal3-machine-template';
import { at, fail } from '../private/errors';
import { Rke2ControlPlane } from '../rke2/rke2-control-plane';
import { ClusterNetwork } from './cluster-network';
import { defineRke2Metal3Cluster, Rke2Metal3ClusterProps } from './rke2-metal3-cluster';

/** Props of {@link SingleNodeCluster}. */
export interface SingleNodeClusterProps extends Rke2Metal3ClusterProps {
  /** The one server. */
  readonly host: HostSpec;
  /**
   * Address (or DNS name) of the Kubernetes API: for one node, the node's own address. When the
   * host has static networking, it must be one of the host's addresses.
   */
  readonly controlPlaneEndpoint: string;
  /**
   * Extra machines during a rollout. One node has no spare host, so only 0 is accepted; the prop
   * exists so that shared site code can pass its setting and be told why 1 cannot work here.
   * @default 0
   */
  readonly maxSurge?: number;
}

/**
 * A single-node RKE2 cluster on a Metal3 bare-metal host, provisioned by Cluster API
 * ("direct network provisioning"): `Cluster`, `Metal3Cluster`, `RKE2ControlPlane` (Ignition
 * bootstrap), `Metal3MachineTemplate` + `Metal3DataTemplate`, and the `BareMetalHost` with its
 * Secrets.
 *
 * Add first-boot files and units through `userData` before synthesis.
 */
export class SingleNodeCluster extends Construct {
  /** Name of the workload cluster. */
  public readonly clusterName: string;
  /** Validated networks and endpoint. */
  public readonly network: ClusterNetwork;
  /** First-boot Butane config of the node (`agentConfig.additionalUserData.config`). */
  public readonly userData: ButaneConfig;
  /** The CAPI Cluster. */
  public readonly cluster: ClusterV1Beta1;
  /** The Metal3Cluster. */
  public readonly metal3Cluster: Metal3Cluster;
  /** The RKE2 control plane. */
  public readonly controlPlane: Rke2ControlPlane;
  /** Machine and data templates of the control plane. */
  public readonly machineTemplate: Metal3MachineTemplate;
  /** The server. */
  public readonly host: BareMetalHost;

  constructor(scope: Construct, id: string, props: SingleNodeClusterProps) {
    super(scope, id);
    const maxSurge = props?.maxSurge ?? 0;
    if (maxSurge !== 0) {
      fail(
        at(this, 'maxSurge'),
        'must be 0 for a single node',
        maxSurge,
        'a rollout cannot add a second machine without a second host; use 0',
      );
    }
    const parts = defineRke2Metal3Cluster(
      this,
      props,
      {
        hosts: [props?.host],
        endpoint: props?.controlPlaneEndpoint,
        maxSurge: 0,
        check: (network) => {
          // With static networking, one node serves the API on one of its own addresses.
          const addresses = props.host?.networkData?.addresses;
          const ep = network.endpointAddress;
          if (addresses && ep && !addresses.some((a) => a.equals(ep))) {
            fail(
              at(this, 'controlPlaneEndpoint'),
              'is not an address of the host',
              network.endpointHost,
              `a single node serves the API itself: use one of ${addresses.map(String).join(', ')}`,
            );
          }
        },
      },
      () => at(this, 'host'),
    );
    this.clusterName = parts.clusterName;
    this.network = parts.network;
    this.userData = parts.userData;
    this.cluster = parts.cluster;
    this.metal3Cluster = parts.metal3Cluster;
    this.controlPlane = parts.controlPlane;
    this.machineTemplate = parts.machineTemplate;
    this.host = parts.hosts[0];
  }
}
