import { Chart } from 'cdk8s';
import * as k8s from 'cdk8s-plus-29/lib/imports/k8s';
import { Construct } from 'constructs';
import {
  AgentClusterInstall,
  AgentClusterInstallSpec,
  AgentClusterInstallSpecLoadBalancerType,
  AgentClusterInstallSpecNetworkingNetworkType,
  AgentClusterInstallSpecPlatformType,
} from '../../imports/agentclusterinstalls-extensions.hive.openshift.io';
import { ClusterDeployment } from '../../imports/clusterdeployments-hive.openshift.io';
import { AgentBareMetalHost, AgentHostOptions } from '../agent/agent-host';
import { InfraEnv, validateSshPublicKey } from '../agent/infra-env';
import { SecretRef } from '../core/secret-ref';
import { IgnitionConfig } from '../ignition/ignition-config';
import { NetworkData } from '../metal3/network-data';
import { validateDns1123Label, validateDns1123Subdomain } from '../net/dns';
import {
  expectArray,
  at,
  child,
  expectInteger,
  expectObject,
  expectOptionalBoolean,
  expectString,
  fail,
  redacted,
} from '../private/errors';
import { AirgapRegistryMirror } from '../registry/airgap-registry-mirror';
import { validateOutput } from '../validation/construct-validation';
import { AssistedClusterProps, AssistedDiscoveryOptions } from './assisted-cluster-props';
import {
  ASSISTED_NETWORK_TYPES,
  AssistedNetworking,
  HostAddress,
  validateAssistedNetworking,
} from './assisted-networking';
import { ClusterImageSet } from './cluster-image-set';
import { ExtraManifests } from './extra-manifests';

export * from './assisted-cluster-props';

/** Annotation through which assisted-service merges JSON into the generated install-config. */
export const INSTALL_CONFIG_OVERRIDES_ANNOTATION = 'agent-install.openshift.io/install-config-overrides';

const THIRD_PARTY_NETWORK_TYPE = /^[A-Za-z][A-Za-z0-9-]{0,62}$/;
const BUILT_IN_CNI: readonly string[] = ['OVNKubernetes', 'OpenShiftSDN'];

/**
 * An OpenShift cluster installed by Assisted Service (multicluster engine's infrastructure
 * operator) from in-cluster resources, without a REST call: the Hive `ClusterDeployment`, the
 * `AgentClusterInstall` with networks, VIPs, node counts, SSH key and extra-manifest
 * ConfigMaps, and, for a disconnected site, the mirror ConfigMap. The ClusterImageSet is passed
 * in (several clusters share one).
 *
 * Checked at construction: names, node counts (1 control-plane agent and no worker, or 3–5
 * control-plane agents), networks and VIPs ({@link validateAssistedNetworking}), the network
 * plugin and its manifests, the release against the mirror.
 */
export class AssistedCluster extends Construct {
  /** Name of the cluster and of its ClusterDeployment and AgentClusterInstall. */
  public readonly clusterName: string;
  /** Namespace of the cluster's objects (the chart's). */
  public readonly namespace: string;
  /** Name of the pull secret. */
  public readonly pullSecretName: string;
  /** Validated networking. */
  public readonly networking: AssistedNetworking;
  /** Control-plane and worker agent counts. */
  public readonly provisionRequirements: { readonly controlPlaneAgents: number; readonly workerAgents: number };
  /** Labels the agents of this cluster carry and the ClusterDeployment selects. */
  public readonly agentLabels: Record<string, string>;
  /** The ClusterDeployment. */
  public readonly clusterDeployment: ClusterDeployment;
  /** The AgentClusterInstall. */
  public readonly agentClusterInstall: AgentClusterInstall;
  /** The mirror ConfigMap, when the site is disconnected. */
  public readonly mirrorConfigMap?: k8s.KubeConfigMap;
  /** The SSH public key. */
  public readonly sshPublicKey: string;
  /** The InfraEnv: the discovery image the hosts boot, bound to this cluster. */
  public readonly infraEnv: InfraEnv;
  /** The hosts, in the order given. */
  public readonly hosts: readonly AgentBareMetalHost[];

  constructor(scope: Construct, id: string, props: AssistedClusterProps) {
    super(scope, id);
    expectObject(
      props,
      at(this, 'props'),
      'pass { clusterName, baseDomain, imageSet, pullSecret, sshPublicKey, networking }',
    );
    this.clusterName = validateDns1123Label(props.clusterName, at(this, 'clusterName'));
    if (this.clusterName.length > 54) {
      fail(
        at(this, 'clusterName'),
        'is longer than 54 characters',
        this.clusterName,
        'OpenShift cluster names must leave room for generated names; shorten it',
      );
    }
    const baseDomain = validateDns1123Subdomain(props.baseDomain, at(this, 'baseDomain'));
    if (`*.apps.${this.clusterName}.${baseDomain}`.length > 253) {
      fail(
        at(this, 'baseDomain'),
        `makes the ingress name *.apps.${this.clusterName}.${baseDomain} longer than 253 characters`,
        baseDomain,
        'use a shorter base domain or cluster name',
      );
    }
    if (!(props.imageSet instanceof ClusterImageSet)) {
      fail(
        at(this, 'imageSet'),
        'is not a ClusterImageSet',
        props.imageSet,
        'pass new ClusterImageSet(scope, id, { releaseImage })',
      );
    }
    if (!(props.pullSecret instanceof SecretRef)) {
      fail(
        at(this, 'pullSecret'),
        'is not a SecretRef',
        redacted(),
        'pass SecretRef.fromName(name) of a Secret with key .dockerconfigjson',
      );
    }
    if (props.sshPublicKey === undefined) {
      fail(
        at(this, 'sshPublicKey'),
        'is missing',
        undefined,
        'pass the public key that may log in as core, e.g. the contents of ~/.ssh/id_rsa.pub',
      );
    }
    this.sshPublicKey = validateSshPublicKey(props.sshPublicKey, at(this, 'sshPublicKey'));
    const namespace = Chart.of(this).namespace;
    if (namespace === undefined) {
      fail(
        at(this, 'namespace'),
        'is not set',
        undefined,
        'give the chart a namespace: Assisted Service keeps each cluster in a namespace of its own',
      );
    }
    this.namespace = namespace;

    // Hosts and node counts.
    const hosts = expectArray<AgentHostOptions>(props.hosts ?? [], at(this, 'hosts'), 'pass a list of hosts');
    hosts.forEach((h, i) => expectObject(h, child(at(this, 'hosts'), i), 'pass { name, bootMACAddress, bmc, role }'));
    const masters = hosts.filter((h) => h.role === 'master').length;
    const workerHosts = hosts.filter((h) => h.role === 'worker').length;
    const controlPlaneAgents = expectInteger(
      props.controlPlaneAgents ?? (masters > 0 ? masters : hosts.length === 1 ? 1 : 3),
      at(this, 'controlPlaneAgents'),
      1,
      5,
    );
    if (controlPlaneAgents === 2) {
      fail(at(this, 'controlPlaneAgents'), 'is 2', 2, 'use 1 (single-node OpenShift) or 3 to 5 (etcd needs a quorum)');
    }
    const workerAgents = expectInteger(
      props.workerAgents ?? Math.max(0, hosts.length - controlPlaneAgents),
      at(this, 'workerAgents'),
      0,
      1000,
    );
    const singleNode = controlPlaneAgents === 1;
    if (singleNode && props.workerAgents === undefined && hosts.length > 1) {
      fail(
        at(this, 'hosts'),
        `are ${hosts.length} for a single-node cluster (controlPlaneAgents 1)`,
        hosts.map((h) => `${String(h.name)}:${String(h.role ?? 'auto-assign')}`),
        'give one host, or 3 to 5 hosts role master',
      );
    }
    if (singleNode && workerAgents > 0) {
      fail(
        at(this, 'workerAgents'),
        'is set for a single-node cluster',
        workerAgents,
        'use 0 workers with 1 control-plane agent, or 3 control-plane agents',
      );
    }
    if (masters > controlPlaneAgents) {
      fail(
        at(this, 'hosts'),
        `hold ${masters} master hosts but controlPlaneAgents is ${controlPlaneAgents}`,
        hosts.map((h) => `${String(h.name)}:${String(h.role)}`),
        'give the control plane as many master hosts as controlPlaneAgents, and the others role worker',
      );
    }
    if (workerHosts > workerAgents) {
      fail(
        at(this, 'hosts'),
        `hold ${workerHosts} worker hosts but workerAgents is ${workerAgents}`,
        hosts.map((h) => `${String(h.name)}:${String(h.role)}`),
        'raise workerAgents or give fewer hosts role worker',
      );
    }
    if (hosts.length > controlPlaneAgents + workerAgents) {
      fail(
        at(this, 'hosts'),
        `are ${hosts.length}, more than the ${controlPlaneAgents + workerAgents} agents the cluster takes`,
        hosts.length,
        'raise workerAgents, or leave the extra hosts out (installation waits for exactly the required agents)',
      );
    }
    this.provisionRequirements = { controlPlaneAgents, workerAgents };

    const loadBalancer = props.loadBalancer ?? 'ClusterManaged';
    if (loadBalancer !== 'ClusterManaged' && loadBalancer !== 'UserManaged') {
      fail(
        at(this, 'loadBalancer'),
        'is not a load balancer type',
        loadBalancer,
        "use 'ClusterManaged' or 'UserManaged'",
      );
    }
    if (singleNode && props.loadBalancer !== undefined) {
      fail(
        at(this, 'loadBalancer'),
        'is set for a single-node cluster',
        loadBalancer,
        'leave it out: a single node has no VIPs to balance',
      );
    }

    // Networking.
    expectObject(props.networking, at(this, 'networking'), 'pass { machineNetworks, apiVIPs, ingressVIPs }');
    this.networking = validateAssistedNetworking(
      props.networking,
      { nodeCount: controlPlaneAgents + workerAgents, singleNode, loadBalancer, hostAddresses: hostAddresses(hosts) },
      at(this, 'networking'),
    );
    hosts.forEach((h, i) => {
      if (!(h.networkData instanceof NetworkData)) return;
      const inMachine = h.networkData.addresses.some((a) => this.networking.machineNetworks.some((m) => m.contains(a)));
      if (!inMachine) {
        fail(
          child(child(at(this, 'hosts'), i), 'networkData'),
          `gives ${String(h.name)} no address in the machine network ${this.networking.machineNetworks.join(', ')}`,
          h.networkData.addresses.map(String),
          'give the host an address in the machine network, where Assisted Service expects every host',
        );
      }
    });
    const networkType = props.networking.networkType ?? 'OVNKubernetes';
    expectString(networkType, at(this, 'networking.networkType'), `use one of ${ASSISTED_NETWORK_TYPES.join(', ')}`);
    const builtIn = (ASSISTED_NETWORK_TYPES as readonly string[]).includes(networkType);
    if (!builtIn && !THIRD_PARTY_NETWORK_TYPE.test(networkType)) {
      fail(
        at(this, 'networking.networkType'),
        'is not a network plugin name',
        networkType,
        `use one of ${ASSISTED_NETWORK_TYPES.join(', ')}, or the install-config name of a third-party plugin such as Contrail`,
      );
    }
    if (singleNode && networkType === 'OpenShiftSDN') {
      fail(
        at(this, 'networking.networkType'),
        'is OpenShiftSDN for a single-node cluster',
        networkType,
        'use OVNKubernetes, which single-node OpenShift requires',
      );
    }
    const manifests = [...(props.extraManifests ?? [])];
    manifests.forEach((m, i) => {
      if (!(m instanceof ExtraManifests)) {
        fail(
          child(at(this, 'extraManifests'), i),
          'is not an ExtraManifests',
          m,
          'pass new ExtraManifests(scope, id, { name, directory })',
        );
      }
      if (Chart.of(m) !== Chart.of(this) && Chart.of(m).namespace !== namespace) {
        fail(
          child(at(this, 'extraManifests'), i),
          `is in namespace ${String(Chart.of(m).namespace)}, not ${namespace}`,
          m.node.path,
          'define it in the chart of the cluster',
        );
      }
    });
    if (!BUILT_IN_CNI.includes(networkType) && manifests.length === 0) {
      fail(
        at(this, 'extraManifests'),
        `is empty, but the network plugin ${networkType} is not installed by OpenShift itself`,
        [],
        `pass the ${networkType === 'None' ? 'CNI' : networkType} manifests as ExtraManifests`,
      );
    }
    const configMapNames = manifests.flatMap((m) => m.configMapNames);
    const dup = configMapNames.find((n, i) => configMapNames.indexOf(n) !== i);
    if (dup)
      fail(
        at(this, 'extraManifests'),
        `names the ConfigMap ${dup} twice`,
        configMapNames,
        'give each ExtraManifests its own name',
      );

    // install-config overrides.
    const overrides: Record<string, unknown> = {};
    if (props.installConfigOverrides !== undefined) {
      const given = expectObject<Record<string, unknown>>(
        props.installConfigOverrides,
        at(this, 'installConfigOverrides'),
        'pass an install-config fragment such as { fips: true }',
      );
      try {
        Object.assign(overrides, JSON.parse(JSON.stringify(given)));
      } catch {
        fail(
          at(this, 'installConfigOverrides'),
          'is not JSON',
          given,
          'pass plain objects, lists, strings, numbers and booleans',
        );
      }
    }
    if (!builtIn) {
      const net = overrides.networking;
      if (net !== undefined && (net === null || typeof net !== 'object' || Array.isArray(net))) {
        fail(
          at(this, 'installConfigOverrides.networking'),
          'must be an object',
          net,
          'pass { networkType } or leave it out',
        );
      }
      const given = (net as Record<string, unknown> | undefined)?.networkType;
      if (given !== undefined && given !== networkType) {
        fail(
          at(this, 'installConfigOverrides.networking.networkType'),
          `contradicts networking.networkType ${networkType}`,
          given,
          'set the plugin in networking.networkType only',
        );
      }
      overrides.networking = { ...(net as object | undefined), networkType };
    } else if ((overrides.networking as Record<string, unknown> | undefined)?.networkType !== undefined) {
      fail(
        at(this, 'installConfigOverrides.networking.networkType'),
        'overrides the network plugin',
        (overrides.networking as Record<string, unknown>).networkType,
        'set it in networking.networkType instead',
      );
    }

    // Release and mirror.
    const mirror = props.registryMirror;
    if (mirror !== undefined) {
      if (!(mirror instanceof AirgapRegistryMirror)) {
        fail(at(this, 'registryMirror'), 'is not an AirgapRegistryMirror', mirror, 'pass the site mirror construct');
      }
      const image = mirror.checkReleaseImage(props.imageSet.releaseImage.toString(), at(this, 'imageSet.releaseImage'));
      if (!image.isDigest) {
        fail(
          at(this, 'imageSet.releaseImage'),
          'is a tag, but the cluster is disconnected',
          image.toString(),
          'give the ClusterImageSet the release by digest ("…@sha256:…")',
        );
      }
      this.mirrorConfigMap = mirror.addAssistedServiceConfigMap({
        scope: this,
        name: `${this.clusterName}-mirror-registries`,
        namespace,
      });
    }
    const holdInstallation = expectOptionalBoolean(props.holdInstallation, at(this, 'holdInstallation'));

    // Objects.
    this.pullSecretName = props.pullSecret.bind(this, 'PullSecret', {
      defaultName: `${this.clusterName}-pull-secret`,
      requiredKeys: ['.dockerconfigjson'],
      where: at(this, 'pullSecret'),
    });
    this.agentLabels = { 'agent-install.openshift.io/clusterdeployment-name': this.clusterName };

    this.clusterDeployment = new ClusterDeployment(this, 'ClusterDeployment', {
      metadata: { name: this.clusterName },
      spec: {
        baseDomain,
        clusterName: this.clusterName,
        clusterInstallRef: {
          group: AgentClusterInstall.GVK.apiVersion.split('/')[0],
          version: AgentClusterInstall.GVK.apiVersion.split('/')[1],
          kind: AgentClusterInstall.GVK.kind,
          name: this.clusterName,
        },
        platform: { agentBareMetal: { agentSelector: { matchLabels: { ...this.agentLabels } } } },
        pullSecretRef: { name: this.pullSecretName },
      },
    });

    const n = this.networking;
    // Typed apart so that a misspelt field (the generated names are apiViPs/ingressViPs) fails to compile.
    const vips: Pick<AgentClusterInstallSpec, 'apiViPs' | 'ingressViPs' | 'loadBalancer'> = singleNode
      ? {}
      : {
          apiViPs: n.apiVIPs.map(String),
          ingressViPs: n.ingressVIPs.map(String),
          loadBalancer: { type: loadBalancer as AgentClusterInstallSpecLoadBalancerType },
        };
    this.agentClusterInstall = new AgentClusterInstall(this, 'AgentClusterInstall', {
      metadata: {
        name: this.clusterName,
        ...(Object.keys(overrides).length > 0
          ? { annotations: { [INSTALL_CONFIG_OVERRIDES_ANNOTATION]: JSON.stringify(overrides) } }
          : {}),
      },
      spec: {
        clusterDeploymentRef: { name: this.clusterDeployment.name },
        imageSetRef: { name: props.imageSet.name },
        platformType: singleNode
          ? AgentClusterInstallSpecPlatformType.NONE
          : AgentClusterInstallSpecPlatformType.BARE_METAL,
        networking: {
          clusterNetwork: n.clusterNetworks.map((c) => ({ cidr: c.cidr.toString(), hostPrefix: c.hostPrefix })),
          serviceNetwork: n.serviceNetworks.map(String),
          machineNetwork: n.machineNetworks.map((c) => ({ cidr: c.toString() })),
          ...(builtIn ? { networkType: networkType as AgentClusterInstallSpecNetworkingNetworkType } : {}),
          ...(singleNode ? { userManagedNetworking: true } : {}),
        },
        ...vips,
        provisionRequirements: { controlPlaneAgents, workerAgents },
        sshPublicKey: this.sshPublicKey,
        ...(configMapNames.length > 0 ? { manifestsConfigMapRefs: configMapNames.map((name) => ({ name })) } : {}),
        ...(holdInstallation ? { holdInstallation: true } : {}),
        ...(this.mirrorConfigMap ? { mirrorRegistryRef: { name: this.mirrorConfigMap.name, namespace } } : {}),
      },
    });

    // Discovery image and hosts.
    const discovery = expectObject<AssistedDiscoveryOptions>(
      props.discovery ?? {},
      at(this, 'discovery'),
      'pass { cpuArchitecture, additionalNTPSources, ignitionConfigOverride }',
    );
    const tagArch = /-(x86_64|aarch64|arm64|ppc64le|s390x|multi)$/.exec(props.imageSet.releaseImage.tag ?? '')?.[1];
    const arch = discovery.cpuArchitecture ?? 'x86_64';
    const norm = (a: string) => (a === 'arm64' ? 'aarch64' : a);
    if (tagArch && tagArch !== 'multi' && typeof arch === 'string' && norm(tagArch) !== norm(arch)) {
      fail(
        at(this, 'discovery.cpuArchitecture'),
        `is ${arch} but the release ${props.imageSet.releaseImage.tag} is for ${tagArch}`,
        arch,
        `set cpuArchitecture to ${tagArch}, or install a release for ${arch} (or a multi-arch release)`,
      );
    }
    let ignitionJson: string | undefined;
    if (discovery.ignitionConfigOverride !== undefined) {
      if (!(discovery.ignitionConfigOverride instanceof IgnitionConfig)) {
        fail(
          at(this, 'discovery.ignitionConfigOverride'),
          'is not an IgnitionConfig',
          discovery.ignitionConfigOverride,
          'build it with new IgnitionConfig().addFile(...)',
        );
      }
      ignitionJson = JSON.stringify(discovery.ignitionConfigOverride.toIgnition(discovery.ignitionVersion ?? '3.2.0'));
    }
    this.infraEnv = new InfraEnv(this, 'InfraEnv', {
      name: this.clusterName,
      pullSecret: SecretRef.fromName(this.pullSecretName),
      sshAuthorizedKey: this.sshPublicKey,
      clusterRef: { name: this.clusterDeployment.name, namespace },
      agentLabels: this.agentLabels,
      ...(discovery.cpuArchitecture !== undefined ? { cpuArchitecture: discovery.cpuArchitecture } : {}),
      ...(discovery.additionalNTPSources !== undefined ? { additionalNTPSources: discovery.additionalNTPSources } : {}),
      ...(ignitionJson !== undefined ? { ignitionConfigOverride: ignitionJson } : {}),
      ...(discovery.kernelArguments !== undefined ? { kernelArguments: discovery.kernelArguments } : {}),
      ...(discovery.proxy !== undefined ? { proxy: discovery.proxy } : {}),
      ...(discovery.imageType !== undefined ? { imageType: discovery.imageType } : {}),
      ...(this.mirrorConfigMap ? { mirrorRegistryRef: { name: this.mirrorConfigMap.name, namespace } } : {}),
    });
    this.hosts = hosts.map((h, i) => this.infraEnv.addHost(h, child(at(this, 'hosts'), i)));
    validateOutput(this);
  }
}

function hostAddresses(hosts: readonly AgentHostOptions[]): HostAddress[] {
  return hosts.flatMap((h) =>
    h.networkData instanceof NetworkData
      ? h.networkData.addresses.map((address) => ({ host: String(h.name), address }))
      : [],
  );
}
