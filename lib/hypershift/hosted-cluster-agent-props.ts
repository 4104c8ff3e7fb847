import type { AgentHostOptions } from '../agent/agent-host';
import type { CpuArchitecture, InfraEnvProps } from '../agent/infra-env';
import type { SecretRef } from '../core/secret-ref';
import type { AirgapRegistryMirror } from '../registry/airgap-registry-mirror';
import type { AgentNodePoolOptions } from './node-pool';

/** How a control-plane service of a hosted cluster is reached. */
export type ServicePublishing =
  | { readonly type: 'Route'; readonly hostname?: string }
  | { readonly type: 'LoadBalancer'; readonly hostname?: string }
  | { readonly type: 'NodePort'; readonly address: string; readonly port?: number };

/** Publishing of the control-plane services other than the API server. */
export interface HostedClusterServices {
  /**
   * OAuth server.
   * @default { type: 'Route' }
   */
  readonly oauthServer?: ServicePublishing;
  /**
   * OIDC.
   * @default { type: 'Route' }
   */
  readonly oidc?: ServicePublishing;
  /**
   * Konnectivity.
   * @default { type: 'Route' }
   */
  readonly konnectivity?: ServicePublishing;
  /**
   * Ignition (served to booting workers).
   * @default { type: 'Route' }
   */
  readonly ignition?: ServicePublishing;
}

/** Addresses for the pre-flight DNS artefact. */
export interface HostedClusterDnsOptions {
  /**
   * Addresses of the API server (`api`, `api-int`).
   * @default - the NodePort address of the API server, when it is an IP address
   */
  readonly apiAddresses?: string[];
  /** Addresses of the ingress (`*.apps`): a load balancer or the worker nodes. */
  readonly ingressAddresses: string[];
}

/** Further settings of the workers' InfraEnv. */
export type HostedClusterInfraEnvOptions = Pick<
  InfraEnvProps,
  | 'proxy'
  | 'ignitionConfigOverride'
  | 'kernelArguments'
  | 'agentLabels'
  | 'additionalTrustBundle'
  | 'imageType'
  | 'nmStateConfigLabels'
  | 'mirrorRegistryRef'
>;

/** Props of {@link HostedClusterAgent}. */
export interface HostedClusterAgentProps {
  /** Name of the hosted cluster. DNS-1123 label. */
  readonly name: string;
  /**
   * Namespace of the HostedCluster and NodePools; the hosted control plane and the Agents live
   * in `<namespace>-<name>`.
   * @default 'clusters'
   */
  readonly namespace?: string;
  /** Base domain: the API is `api.<name>.<baseDomain>`. */
  readonly baseDomain: string;
  /** OpenShift release image, by digest (`…@sha256:…`). */
  readonly releaseImage: string;
  /** Pull secret (`.dockerconfigjson`) of the HostedCluster, in `namespace`; its default name is `<name>-pull-secret`. */
  readonly pullSecret: SecretRef;
  /**
   * Pull secret of the InfraEnv, in `<namespace>-<name>`.
   * @default - the same reference as `pullSecret`, in the control-plane namespace
   */
  readonly infraEnvPullSecret?: SecretRef;
  /**
   * SSH public key of the `core` user on the workers (`ssh-ed25519 AAAA…`). Written to the
   * InfraEnv and, unless `sshKey` is given, to the Secret `sshkey-cluster-<name>` (key
   * `id_rsa.pub`; public material).
   * @default - no SSH access
   */
  readonly sshPublicKey?: string;
  /**
   * Secret with the SSH public key (key `id_rsa.pub`) for `HostedCluster.spec.sshKey`.
   * @default - defined from `sshPublicKey`, when given
   */
  readonly sshKey?: SecretRef;
  /** Secret with the etcd AES-CBC encryption key (key `key`, 32 random bytes, base64); its default name is `<name>-etcd-encryption-key`. */
  readonly etcdEncryptionKey: SecretRef;
  /**
   * The disconnected mirror: yields `imageContentSources`, the `user-ca-bundle` trust bundle
   * (private CA), the OLM catalog annotations (when it mirrors operator catalogs) and a check
   * that the release image is served by it.
   * @default - connected
   */
  readonly registryMirror?: AirgapRegistryMirror;
  /**
   * PEM certificates the workers trust, written to the `user-ca-bundle` ConfigMap; not with a
   * mirror that has a private CA (it provides the bundle).
   * @default - none, or the mirror's CA
   */
  readonly additionalTrustBundle?: string;
  /**
   * Where the OLM catalogs run: `management` (the control plane) or `guest` (the workers).
   * @default 'management'
   */
  readonly olmCatalogPlacement?: 'management' | 'guest';
  /**
   * Add the mirror's OLM catalog annotations (registry overrides) to the HostedCluster.
   * @default true (when the mirror has operator catalogs)
   */
  readonly catalogAnnotations?: boolean;
  /**
   * Replicas of the control-plane components.
   * @default 'SingleReplica'
   */
  readonly controllerAvailabilityPolicy?: 'SingleReplica' | 'HighlyAvailable';
  /**
   * Size of each etcd member's persistent volume.
   * @default '8Gi'
   */
  readonly etcdStorageSize?: string;
  /**
   * Storage class of the etcd volumes.
   * @default - the management cluster's default
   */
  readonly etcdStorageClassName?: string;
  /**
   * Pod networks: one for single stack, one per family (IPv4 and IPv6) for dual stack; the first is the primary family.
   * @default ['10.132.0.0/14']
   */
  readonly clusterNetwork?: string[];
  /**
   * Service networks, in the family order of `clusterNetwork`.
   * @default ['172.31.0.0/16']
   */
  readonly serviceNetwork?: string[];
  /**
   * Networks of the worker nodes, in the family order of `clusterNetwork`.
   * @default - none
   */
  readonly machineNetwork?: string[];
  /**
   * Network plug-in.
   * @default 'OVNKubernetes'
   */
  readonly networkType?: 'OVNKubernetes' | 'Other';
  /**
   * How the API server is published: `LoadBalancer` (MetalLB on the management cluster) or
   * `NodePort` on an address of the management nodes.
   * @default { type: 'LoadBalancer' }
   */
  readonly apiServer?: ServicePublishing;
  /**
   * Publishing of the other control-plane services.
   * @default - all by Route
   */
  readonly services?: HostedClusterServices;
  /**
   * CPU architecture of the workers.
   * @default 'x86_64'
   */
  readonly cpuArchitecture?: CpuArchitecture;
  /**
   * NTP servers of the workers.
   * @default - none
   */
  readonly additionalNTPSources?: string[];
  /**
   * Further settings of the workers' InfraEnv (proxy, Ignition override, kernel arguments, agent
   * labels, trust bundle, image type, NMStateConfig labels, mirror ConfigMap).
   * @default - none
   */
  readonly infraEnv?: HostedClusterInfraEnvOptions;
  /**
   * The bare-metal workers offered to the cluster; each becomes a BareMetalHost `<name>-<host name>` in
   * `<namespace>-<name>` booting the cluster's InfraEnv. Add more with `infraEnv.addHost()`.
   * @default - none
   */
  readonly workers?: AgentHostOptions[];
  /**
   * NodePools; each claims `replicas` Agents (at most the hosts it selects).
   * @default - one NodePool `<name>` claiming every worker
   */
  readonly nodePools?: AgentNodePoolOptions[];
  /**
   * Addresses for the pre-flight DNS records (`api`, `api-int`, `*.apps`), written by synth as a
   * zone snippet and a dnsmasq snippet.
   * @default - no DNS artefact
   */
  readonly dns?: HostedClusterDnsOptions;
  /**
   * Define the two Namespaces (`<namespace>` and `<namespace>-<name>`).
   * @default true
   */
  readonly createNamespaces?: boolean;
}
