import { Construct } from 'constructs';
import { ClusterV1Beta1 } from '../../imports/clusters-cluster.x-k8s.io';
import { Metal3Cluster } from '../../imports/metal3clusters-infrastructure.cluster.x-k8s.io';
import { ButaneConfig } from '../butane/butane-config';
import { referenceTo } from '../core/object-reference';
import { EdgeImageDefinition } from '../eib/edge-image-definition';
import { BareMetalHost, HostSpec, validateLabels } from '../metal3/bare-metal-host';
import { Metal3MachineTemplate } from '../metal3/metal3-machine-template';
import { OsImage } from '../metal3/os-image';
import { validateDns1123Label } from '../net/dns';
import { At, at, child, expectOptionalBoolean, fail } from '../private/errors';
import { SecretRef } from '../core/secret-ref';
import { AirgapRegistryMirror } from '../registry/airgap-registry-mirror';
import { airGapChartPlacement, chartPullSecretFile, ChartPullSecretOptions } from '../rke2/air-gap';
import { ChartPlacement } from '../rke2/helm-chart';
import { CniOptions, CniServerConfig, applyCni } from '../rke2/cni';
import { addMetal3NodeIdentity } from '../rke2/node-identity';
import { Rke2ControlPlane, Rke2ControlPlaneProps } from '../rke2/rke2-control-plane';
import { Rke2Version } from '../rke2/rke2-version';
import { TelcoProfile } from '../telco/telco-profile';
import { validateOutput } from '../validation/construct-validation';
import { ClusterNetwork, ClusterNetworkOptions, validateClusterNetwork } from './cluster-network';

/** Label that ties a BareMetalHost to the cluster whose machine templates may claim it. */
export const CLUSTER_LABEL = 'cdk8s-baremetal/cluster';

/** Props every RKE2-on-Metal3 cluster shares. */
export interface Rke2Metal3ClusterProps extends ClusterNetworkOptions {
  /** Name of the workload cluster; prefix of every object this construct defines. DNS-1123 label. */
  readonly clusterName: string;
  /** RKE2 release, for example `v1.32.4+rke2r1`. */
  readonly rke2Version: string;
  /** OS image written to the servers, for example the Edge Image Builder output. */
  readonly image: OsImage;
  /**
   * API server port.
   * @default 6443
   */
  readonly controlPlaneEndpointPort?: number;
  /**
   * CNI plugin and Multus.
   * @default - Cilium without Multus
   */
  readonly cni?: CniOptions;
  /**
   * Labels put on the control-plane hosts and required by their machine template's host
   * selector, in addition to `cdk8s-baremetal/cluster: <clusterName>` (which keeps another
   * cluster in the namespace from claiming the hosts).
   * @default { 'cluster-role': 'control-plane' }
   */
  readonly hostLabels?: Record<string, string>;
  /**
   * `agentConfig.nodeName` (node name prefix) of the control plane.
   * @default 'localhost.localdomain'
   */
  readonly nodeName?: string;
  /**
   * Telco tuning of the control-plane nodes: CPU isolation, huge pages, IOMMU and latency
   * kernel arguments, and SR-IOV. With SR-IOV devices and no `cni`, the CNI becomes Calico with
   * Multus, as in the SUSE Edge telco flow.
   * @default - no tuning
   */
  readonly telco?: TelcoProfile;
  /**
   * Pull through this mirror: the nodes' `privateRegistriesConfig` (mirrors, credentials and CA)
   * comes from it, so the registry is described once (see AirgapRegistryMirror).
   * @default - nodes pull from upstream registries
   */
  readonly registryMirror?: AirgapRegistryMirror;
  /**
   * Air gap: RKE2 installs from the artifacts in the OS image (`agentConfig.airGapped`), and every
   * HelmChart the library emits is pulled from `registryMirror` with its CA, the chart pull secret
   * and the RKE2 global values computed from the cluster's networks. Needs `registryMirror`.
   * @default false
   */
  readonly airGapped?: boolean;
  /**
   * Credentials of the workload cluster's helm-controller for chart pulls from the mirror, copied
   * from a management-cluster Secret onto the nodes (never written into the manifests).
   * @default - charts are pulled anonymously
   */
  readonly chartPullSecret?: ChartPullSecretOptions;
}

/** What a cluster construct decides beyond the shared props. */
export interface ControlPlaneShape {
  /** The control-plane hosts, as given (validated by the cluster). */
  readonly hosts: readonly HostSpec[];
  /** The API endpoint host (an address or DNS name), as given. */
  readonly endpoint: unknown;
  /** Extra machines a rollout may create (0: replace in place; 1: needs a spare host). */
  readonly maxSurge: 0 | 1;
  /**
   * How nodes find the control plane to join.
   * @default - RKE2ControlPlane's default
   */
  readonly registrationMethod?: Rke2ControlPlaneProps['registrationMethod'];
  /**
   * Address nodes register through (with `control-plane-endpoint`).
   * @default - none
   */
  readonly registrationAddress?: string;
  /**
   * Extra names and addresses in the API server certificate.
   * @default - none
   */
  readonly tlsSan?: string[];
  /**
   * Checks that need the validated network, run before anything is defined.
   * @default - none
   */
  readonly check?: (network: ClusterNetwork) => void;
}

/** The objects of an RKE2 cluster on Metal3, as the cluster constructs expose them. */
export interface Rke2Metal3ClusterParts {
  /** Name of the CAPI Cluster and prefix of every object. */
  readonly clusterName: string;
  /** The RKE2 release the nodes run. */
  readonly version: Rke2Version;
  /** The OS image written to the hosts. */
  readonly image: OsImage;
  /** The validated pod/service networks and API endpoint. */
  readonly network: ClusterNetwork;
  /** The CNI server settings. */
  readonly cni: CniServerConfig;
  /** The control plane's first-boot Butane config, to add files and units to. */
  readonly userData: ButaneConfig;
  /**
   * Where the cluster's charts come from: the mirror when air-gapped, else their sources.
   * @default - the charts' own sources
   */
  readonly charts?: ChartPlacement;
  /**
   * The mirror the nodes pull through, when given.
   * @default - none (images pulled from their sources)
   */
  readonly registryMirror?: AirgapRegistryMirror;
  /** True when the cluster is air-gapped. */
  readonly airGapped: boolean;
  /** The control-plane BareMetalHosts. */
  readonly hosts: BareMetalHost[];
  /** The control plane's Metal3MachineTemplate (with its data template). */
  readonly machineTemplate: Metal3MachineTemplate;
  /** The RKE2ControlPlane. */
  readonly controlPlane: Rke2ControlPlane;
  /** The Metal3Cluster. */
  readonly metal3Cluster: Metal3Cluster;
  /** The CAPI Cluster. */
  readonly cluster: ClusterV1Beta1;
}

/** Validates the shared props; returns the cluster name, RKE2 version and image. */
export function validateClusterBasics(
  scope: Construct,
  props: Rke2Metal3ClusterProps,
): { clusterName: string; version: Rke2Version; image: OsImage } {
  if (props === null || typeof props !== 'object')
    fail(at(scope, 'props'), 'must be an object', props, 'pass the cluster props');
  const clusterName = validateDns1123Label(props.clusterName, at(scope, 'clusterName'));
  const version = Rke2Version.parse(props.rke2Version, at(scope, 'rke2Version'));
  if (!(props.image instanceof OsImage)) {
    fail(at(scope, 'image'), 'is not an OsImage', props.image, 'build it with OsImage.fromUrl(url, { checksumType })');
  }
  return { clusterName, version, image: props.image };
}

/** Static host addresses must stay outside the cluster's own networks. */
export function checkHostAddresses(
  hosts: readonly HostSpec[],
  network: ClusterNetwork,
  hostWhere: (i: number) => At,
): void {
  hosts.forEach((host, i) => {
    for (const address of host?.networkData?.addresses ?? []) {
      for (const cidr of [...network.podCidrs, ...network.serviceCidrs]) {
        if (cidr.contains(address)) {
          fail(
            child(hostWhere(i), 'networkData'),
            `address ${address} is inside the cluster CIDR ${cidr}`,
            address.toString(),
            'pick host addresses outside the pod and service networks',
          );
        }
      }
    }
  });
}

/**
 * Defines the objects every RKE2-on-Metal3 cluster has: the control-plane BareMetalHosts, their
 * Metal3MachineTemplate + Metal3DataTemplate, the RKE2ControlPlane with its Butane first-boot
 * config, the Metal3Cluster and the CAPI Cluster; and registers schema validation of everything
 * under `scope` at synth time.
 */
export function defineRke2Metal3Cluster(
  scope: Construct,
  props: Rke2Metal3ClusterProps,
  shape: ControlPlaneShape,
  hostWhere: (i: number) => At,
): Rke2Metal3ClusterParts {
  const { clusterName, version, image } = validateClusterBasics(scope, props);
  const network = validateClusterNetwork(
    props,
    shape.endpoint,
    props.controlPlaneEndpointPort ?? 6443,
    at(scope, 'props'),
  );
  const hostLabels = {
    ...validateLabels(props.hostLabels ?? { 'cluster-role': 'control-plane' }, at(scope, 'hostLabels')),
    [CLUSTER_LABEL]: clusterName,
  };
  checkHostAddresses(shape.hosts, network, hostWhere);
  shape.check?.(network);

  const telco = props.telco;
  if (telco !== undefined && !(telco instanceof TelcoProfile)) {
    fail(
      at(scope, 'telco'),
      'is not a TelcoProfile',
      telco,
      'build it with new TelcoProfile({...}) or TelcoProfile.suseEdgePreset()',
    );
  }
  const sriov = (telco?.sriov.length ?? 0) > 0;
  if (sriov && props.cni !== undefined && props.cni.multus !== true) {
    fail(
      at(scope, 'cni'),
      'has no Multus, which SR-IOV networks need',
      props.cni,
      "set cni: { plugin: 'calico', multus: true } or leave cni out",
    );
  }

  const mirror = props.registryMirror;
  if (mirror !== undefined && !(mirror instanceof AirgapRegistryMirror)) {
    fail(
      at(scope, 'registryMirror'),
      'is not an AirgapRegistryMirror',
      mirror,
      'define the mirror with new AirgapRegistryMirror(...)',
    );
  }
  const airGapped = expectOptionalBoolean(props.airGapped, at(scope, 'airGapped')) ?? false;
  if (airGapped && !mirror) {
    fail(
      at(scope, 'airGapped'),
      'needs a registry mirror',
      true,
      'set registryMirror to the AirgapRegistryMirror the site pulls from',
    );
  }
  const pull = props.chartPullSecret;
  if (pull !== undefined && !airGapped) {
    fail(
      at(scope, 'chartPullSecret'),
      'only applies to air-gapped clusters',
      '<SecretRef>',
      'set airGapped: true, or leave chartPullSecret out',
    );
  }
  if (pull !== undefined && !(pull?.secret instanceof SecretRef)) {
    fail(
      at(scope, 'chartPullSecret.secret'),
      'is not a SecretRef',
      '<value>',
      'pass SecretRef.fromName(...) or SecretRef.fromExternalSecret(...)',
    );
  }

  const userData = new ButaneConfig({ where: at(scope, 'userData') });
  addMetal3NodeIdentity(userData);
  const cni = applyCni(
    props.cni ?? (sriov ? { plugin: 'calico', multus: true } : undefined),
    userData,
    at(scope, 'cni'),
  );
  // An image built by an EdgeImageDefinition must carry what the cluster installs.
  EdgeImageDefinition.of(image)?.checkCluster(
    { rke2Version: version, cni: cni.cni, multus: cni.cniMultusEnable === true, airGapped },
    scope,
  );
  const charts = airGapped
    ? airGapChartPlacement(mirror!, network, userData, pull, at(scope, 'registryMirror'))
    : undefined;
  telco?.applyTo(userData, { server: true, charts, airGapped });
  const files = pull
    ? [
        chartPullSecretFile(pull, (ref) =>
          ref.bind(scope, 'ChartPullSecret', {
            defaultName: `${clusterName}-chart-pull`,
            requiredKeys: [pull.key ?? 'private-registry-auth.yaml'],
            where: at(scope, 'chartPullSecret'),
          }),
        ),
      ]
    : undefined;

  const hosts = shape.hosts.map(
    (host, i) =>
      new BareMetalHost(scope, shape.hosts.length === 1 ? 'Host' : `Host${i}`, { ...host, labels: hostLabels }),
  );

  const machineTemplate = new Metal3MachineTemplate(scope, 'ControlPlaneTemplate', {
    name: `${clusterName}-controlplane`,
    clusterName,
    hostSelector: hostLabels,
    image,
  });

  const controlPlane = new Rke2ControlPlane(scope, 'ControlPlane', {
    name: clusterName,
    replicas: shape.hosts.length,
    version,
    machineTemplate: machineTemplate.toObjectReference(),
    cni,
    userData,
    maxSurge: shape.maxSurge,
    nodeName: props.nodeName,
    registrationMethod: shape.registrationMethod,
    registrationAddress: shape.registrationAddress,
    tlsSan: shape.tlsSan,
    preRke2Commands: telco?.preRke2Commands(),
    privateRegistriesConfig: mirror?.rke2PrivateRegistriesConfig(scope),
    airGapped,
    files,
  });

  const metal3Cluster = new Metal3Cluster(scope, 'Metal3Cluster', {
    metadata: { name: clusterName },
    spec: { controlPlaneEndpoint: { host: network.endpointHost, port: network.endpointPort }, noCloudProvider: true },
  });

  const cluster = new ClusterV1Beta1(scope, 'Cluster', {
    metadata: { name: clusterName },
    spec: {
      clusterNetwork: {
        pods: { cidrBlocks: network.podCidrs.map(String) },
        services: { cidrBlocks: network.serviceCidrs.map(String) },
      },
      controlPlaneRef: controlPlane.toObjectReference(),
      infrastructureRef: referenceTo(metal3Cluster),
    },
  });

  validateOutput(scope, () => userData.embeddedManifests());
  return {
    clusterName,
    version,
    image,
    network,
    cni,
    userData,
    charts,
    registryMirror: mirror,
    airGapped,
    hosts,
    machineTemplate,
    controlPlane,
    metal3Cluster,
    cluster,
  };
}
