import { Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import {
  Rke2ConfigTemplateV1Beta1,
  Rke2ConfigTemplateV1Beta1SpecTemplateSpecAgentConfigFormat,
  Rke2ConfigTemplateV1Beta1SpecTemplateSpecPrivateRegistriesConfig,
} from '../../imports/rke2configtemplates-bootstrap.cluster.x-k8s.io';
import {
  MachineDeploymentV1Beta1,
  MachineDeploymentV1Beta1SpecStrategyRollingUpdateMaxSurge,
  MachineDeploymentV1Beta1SpecStrategyRollingUpdateMaxUnavailable,
  MachineDeploymentV1Beta1SpecStrategyType,
} from '../../imports/machinedeployments-cluster.x-k8s.io';
import { ButaneConfig } from '../butane/butane-config';
import { referenceTo } from '../core/object-reference';
import { BareMetalHost, HostSpec, validateLabels } from '../metal3/bare-metal-host';
import { Metal3MachineTemplate } from '../metal3/metal3-machine-template';
import { OsImage } from '../metal3/os-image';
import { validateDns1123Label } from '../net/dns';
import { at, expectArray, expectInteger, fail } from '../private/errors';
import { addMetal3NodeIdentity, METAL3_PROVIDER_ID_ARG } from '../rke2/node-identity';
import { CniServerConfig } from '../rke2/cni';
import { Rke2Version } from '../rke2/rke2-version';
import { EdgeImageDefinition } from '../eib/edge-image-definition';
import { AirgapRegistryMirror } from '../registry/airgap-registry-mirror';
import { TelcoProfile } from '../telco/telco-profile';
import { validateOutput } from '../validation/construct-validation';
import { CLUSTER_LABEL } from './rke2-metal3-cluster';

/** Label that ties a worker host to its pool. */
export const POOL_LABEL = 'cdk8s-baremetal/pool';

/** Options of `addWorkerPool()`. */
export interface WorkerPoolOptions {
  /** The servers of the pool. */
  readonly hosts: HostSpec[];
  /**
   * Machines to run; scaling the pool is changing this number (up to the number of hosts).
   * @default - one machine per host
   */
  readonly replicas?: number;
  /**
   * OS image of the workers.
   * @default - the cluster's image
   */
  readonly image?: OsImage;
  /**
   * Labels put on the pool's hosts and required by its host selector, in addition to the
   * cluster and pool labels.
   * @default { 'cluster-role': 'worker' }
   */
  readonly hostLabels?: Record<string, string>;
  /**
   * Extra machines during a rollout: 0 replaces a machine in place (no spare host needed), 1
   * provisions a spare host first.
   * @default 0
   */
  readonly maxSurge?: number;
  /**
   * Telco tuning of the pool's nodes (kernel arguments, CPU partitioning; SR-IOV charts and VF
   * creation run on the control plane).
   * @default - no tuning
   */
  readonly telco?: TelcoProfile;
}

/** What a worker pool inherits from its cluster. */
export interface WorkerPoolProps extends WorkerPoolOptions {
  /** Pool name, a DNS-1123 label; objects are named `<cluster>-<name>`. */
  readonly name: string;
  /** The cluster's name. */
  readonly clusterName: string;
  /** The cluster's RKE2 release. */
  readonly version: Rke2Version;
  /** The cluster's image, used unless the pool sets its own. */
  readonly clusterImage: OsImage;
  /**
   * The cluster's registry mirror.
   * @default - none
   */
  readonly registryMirror?: AirgapRegistryMirror;
  /**
   * Whether the cluster is air-gapped.
   * @default false
   */
  readonly airGapped?: boolean;
  /**
   * The cluster's CNI, checked against a pool image built by an EdgeImageDefinition.
   * @default - the CNI is not checked
   */
  readonly cni?: CniServerConfig;
}

/**
 * A pool of RKE2 worker machines on Metal3 hosts: a `MachineDeployment`, its `RKE2ConfigTemplate`
 * (Ignition, with the same first-boot identity unit and provider ID as the control plane), a
 * `Metal3MachineTemplate` + `Metal3DataTemplate`, and the pool's `BareMetalHost`s.
 */
export class WorkerPool extends Construct {
  /** Pool name. */
  public readonly name: string;
  /** First-boot Butane config of the workers. */
  public readonly userData: ButaneConfig;
  /** The pool's hosts. */
  public readonly hosts: BareMetalHost[];
  /** Machine and data templates. */
  public readonly machineTemplate: Metal3MachineTemplate;
  /** The RKE2ConfigTemplate. */
  public readonly configTemplate: Rke2ConfigTemplateV1Beta1;
  /** The MachineDeployment. */
  public readonly machineDeployment: MachineDeploymentV1Beta1;

  constructor(scope: Construct, id: string, props: WorkerPoolProps) {
    super(scope, id);
    this.name = validateDns1123Label(props.name, at(this, 'name'));
    const hostsWhere = at(this, 'hosts');
    const hostSpecs = expectArray<HostSpec>(props.hosts, hostsWhere, 'pass the servers of the pool');
    if (hostSpecs.length === 0)
      fail(hostsWhere, 'must hold at least one host', hostSpecs, 'add the servers of the pool');
    const replicas = props.replicas ?? hostSpecs.length;
    expectInteger(replicas, at(this, 'replicas'), 0, 10_000);
    if (replicas > hostSpecs.length) {
      fail(
        at(this, 'replicas'),
        `asks for ${replicas} machines but the pool has ${hostSpecs.length} host(s)`,
        replicas,
        'add hosts to the pool or lower replicas',
      );
    }
    const maxSurge = props.maxSurge ?? 0;
    if (maxSurge !== 0 && maxSurge !== 1)
      fail(at(this, 'maxSurge'), 'must be 0 or 1', maxSurge, 'use 0 (replace in place) or 1 (spare host first)');
    if (maxSurge === 1 && replicas >= hostSpecs.length) {
      fail(
        at(this, 'maxSurge'),
        'needs a spare host but every host runs a machine',
        maxSurge,
        'add a host to the pool or use 0',
      );
    }
    const image = props.image ?? props.clusterImage;
    if (!(image instanceof OsImage))
      fail(at(this, 'image'), 'is not an OsImage', image, 'build it with OsImage.fromUrl(url)');
    // The cluster checked its own image; a pool image built by an EdgeImageDefinition is checked here.
    const eib = props.image === undefined ? undefined : EdgeImageDefinition.of(image);
    if (eib) {
      eib.checkCluster(
        {
          rke2Version: props.version,
          cni: props.cni?.cni ?? eib.rke2Artifacts?.cniPlugin ?? 'cilium',
          multus: props.cni ? props.cni.cniMultusEnable === true : (eib.rke2Artifacts?.multus ?? false),
          airGapped: props.airGapped ?? false,
        },
        this,
      );
    }
    const objectName = `${props.clusterName}-${this.name}`;
    validateDns1123Label(objectName, at(this, 'name'));
    const labels = {
      ...validateLabels(props.hostLabels ?? { 'cluster-role': 'worker' }, at(this, 'hostLabels')),
      [CLUSTER_LABEL]: props.clusterName,
      [POOL_LABEL]: this.name,
    };

    if (props.telco !== undefined && !(props.telco instanceof TelcoProfile)) {
      fail(at(this, 'telco'), 'is not a TelcoProfile', props.telco, 'build it with new TelcoProfile({...})');
    }
    this.userData = new ButaneConfig({ where: at(this, 'userData') });
    addMetal3NodeIdentity(this.userData);
    props.telco?.applyTo(this.userData, { server: false });
    const preRke2Commands = props.telco?.preRke2Commands() ?? [];

    this.hosts = hostSpecs.map((h, i) => new BareMetalHost(this, `Host${i}`, { ...h, labels }));
    this.machineTemplate = new Metal3MachineTemplate(this, 'Template', {
      name: objectName,
      clusterName: props.clusterName,
      hostSelector: labels,
      image,
    });

    const userData = this.userData;
    this.configTemplate = new Rke2ConfigTemplateV1Beta1(this, 'ConfigTemplate', {
      metadata: { name: objectName },
      spec: {
        template: {
          spec: {
            ...(preRke2Commands.length > 0 ? { preRke2Commands } : {}),
            ...(props.registryMirror
              ? {
                  privateRegistriesConfig: props.registryMirror.rke2PrivateRegistriesConfig(
                    this,
                  ) as Rke2ConfigTemplateV1Beta1SpecTemplateSpecPrivateRegistriesConfig,
                }
              : {}),
            agentConfig: {
              ...(props.airGapped ? { airGapped: true } : {}),
              format: Rke2ConfigTemplateV1Beta1SpecTemplateSpecAgentConfigFormat.IGNITION,
              additionalUserData: { config: Lazy.any({ produce: () => userData.render() }) },
              kubelet: { extraArgs: [METAL3_PROVIDER_ID_ARG] },
              nodeName: 'localhost.localdomain',
            },
          },
        },
      },
    });

    const selector = { 'cluster.x-k8s.io/cluster-name': props.clusterName, [POOL_LABEL]: this.name };
    this.machineDeployment = new MachineDeploymentV1Beta1(this, 'Resource', {
      metadata: { name: objectName },
      spec: {
        clusterName: props.clusterName,
        replicas,
        selector: { matchLabels: selector },
        strategy: {
          type: MachineDeploymentV1Beta1SpecStrategyType.ROLLING_UPDATE,
          rollingUpdate: {
            maxSurge: MachineDeploymentV1Beta1SpecStrategyRollingUpdateMaxSurge.fromNumber(maxSurge),
            maxUnavailable: MachineDeploymentV1Beta1SpecStrategyRollingUpdateMaxUnavailable.fromNumber(
              maxSurge === 0 ? 1 : 0,
            ),
          },
        },
        template: {
          metadata: { labels: selector },
          spec: {
            clusterName: props.clusterName,
            version: props.version.toString(),
            bootstrap: { configRef: referenceTo(this.configTemplate) },
            infrastructureRef: this.machineTemplate.toObjectReference(),
          },
        },
      },
    });
    validateOutput(this, () => this.userData.embeddedManifests());
  }
}
