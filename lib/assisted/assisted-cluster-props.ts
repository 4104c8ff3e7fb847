import type { AgentHostOptions } from '../agent/agent-host';
import type { CpuArchitecture, InfraEnvProxy, KernelArgument } from '../agent/infra-env';
import type { SecretRef } from '../core/secret-ref';
import type { IgnitionConfig } from '../ignition/ignition-config';
import type { IgnitionSpecVersion } from '../ignition/ignition-schema';
import type { AirgapRegistryMirror } from '../registry/airgap-registry-mirror';
import type { AssistedNetworkingOptions, AssistedNetworkType } from './assisted-networking';
import type { ClusterImageSet } from './cluster-image-set';
import type { ExtraManifests } from './extra-manifests';

/** How the API and ingress VIPs are served: by keepalived/haproxy in the cluster, or by your load balancer. */
export type AssistedLoadBalancerType = 'ClusterManaged' | 'UserManaged';

/** Networking of an {@link AssistedCluster}. */
export interface AssistedClusterNetworkingOptions extends AssistedNetworkingOptions {
  /**
   * The cluster network plugin: one of the CRD's `networkType` values (`OVNKubernetes`,
   * `OpenShiftSDN`, `CiscoACI`, `Cilium`, `Calico`, `None`), or the install-config name of a
   * third-party plugin the CRD does not list (CN2 is `Contrail`), which is set through the
   * `install-config-overrides` annotation. Every plugin but OVN-Kubernetes and OpenShift SDN
   * needs its manifests in `extraManifests`.
   * @default 'OVNKubernetes'
   */
  readonly networkType?: AssistedNetworkType | string;
}

/** The discovery image of an {@link AssistedCluster} (its `InfraEnv`). */
export interface AssistedDiscoveryOptions {
  /**
   * CPU architecture of the hosts.
   * @default 'x86_64'
   */
  readonly cpuArchitecture?: CpuArchitecture;
  /**
   * NTP servers (names or addresses) the hosts use.
   * @default - none
   */
  readonly additionalNTPSources?: string[];
  /**
   * Ignition merged into the discovery image (`ignitionConfigOverride`), written as Ignition
   * spec `ignitionVersion` JSON and checked against that spec's schema.
   * @default - none
   */
  readonly ignitionConfigOverride?: IgnitionConfig;
  /**
   * Ignition spec version of `ignitionConfigOverride` (kernel arguments need 3.3.0 or later).
   * @default '3.2.0'
   */
  readonly ignitionVersion?: IgnitionSpecVersion;
  /**
   * Kernel arguments of the discovery image.
   * @default - none
   */
  readonly kernelArguments?: KernelArgument[];
  /**
   * HTTP proxy of the discovery image and the cluster.
   * @default - no proxy
   */
  readonly proxy?: InfraEnvProxy;
  /**
   * Kind of discovery ISO.
   * @default - Assisted Service's default
   */
  readonly imageType?: 'full-iso' | 'minimal-iso';
}

/** Props of {@link AssistedCluster}. */
export interface AssistedClusterProps {
  /**
   * Name of the cluster (`<clusterName>.<baseDomain>`), and of its ClusterDeployment,
   * AgentClusterInstall and InfraEnv. DNS-1123 label, lower case.
   */
  readonly clusterName: string;
  /** Base DNS domain, for example `contrail.lan`: the API is `api.<clusterName>.<baseDomain>`. */
  readonly baseDomain: string;
  /** The release to install. */
  readonly imageSet: ClusterImageSet;
  /**
   * Pull secret for the release and the mirror (a Secret with key `.dockerconfigjson`).
   * Named by the ClusterDeployment and the InfraEnv.
   */
  readonly pullSecret: SecretRef;
  /** SSH public key installed for user `core` on every node (one authorized_keys line). */
  readonly sshPublicKey: string;
  /** Machine, pod and service networks, VIPs and network plugin. */
  readonly networking: AssistedClusterNetworkingOptions;
  /**
   * The servers, each booting the discovery image through its BMC (a BareMetalHost with the BMAC
   * annotations: hostname, `role`, node labels, installer args) and, when it has static
   * networking, an NMStateConfig. Give control-plane hosts `role: 'master'` and workers
   * `role: 'worker'`; hosts without a role are assigned one by Assisted Service.
   * @default - none: hosts boot the discovery ISO some other way
   */
  readonly hosts?: AgentHostOptions[];
  /**
   * Number of control-plane agents: 1 (single-node OpenShift) or 3 to 5.
   * @default - the number of `master` hosts, else 1 with a single host, else 3
   */
  readonly controlPlaneAgents?: number;
  /**
   * Number of worker agents; 0 for single-node OpenShift.
   * @default - the hosts left over after the control plane, else 0
   */
  readonly workerAgents?: number;
  /**
   * The discovery image (InfraEnv): architecture, NTP, Ignition override, kernel arguments, proxy.
   * @default - an x86_64 discovery image with the cluster's pull secret, SSH key and mirror
   */
  readonly discovery?: AssistedDiscoveryOptions;
  /**
   * Who serves the VIPs of a multi-node cluster.
   * @default 'ClusterManaged'
   */
  readonly loadBalancer?: AssistedLoadBalancerType;
  /**
   * Day-1 manifests (a third-party CNI, MachineConfigs), referenced in `manifestsConfigMapRefs`.
   * @default - none
   */
  readonly extraManifests?: ExtraManifests[];
  /**
   * Stop before installing once every agent is ready, until this is set back to false.
   * @default false
   */
  readonly holdInstallation?: boolean;
  /**
   * The mirror of a disconnected site: its `registries.conf` and CA go into a ConfigMap that
   * `mirrorRegistryRef` names, and the release must be a digest it serves.
   * @default - the cluster pulls from the source registries
   */
  readonly registryMirror?: AirgapRegistryMirror;
  /**
   * JSON merged into the install-config (annotation `agent-install.openshift.io/install-config-overrides`).
   * @default - none (beyond the network type of a third-party plugin)
   */
  readonly installConfigOverrides?: Record<string, unknown>;
}
