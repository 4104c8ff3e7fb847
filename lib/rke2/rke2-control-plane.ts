import { Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import {
  Rke2ControlPlaneV1Beta1,
  Rke2ControlPlaneV1Beta1SpecAgentConfigFormat,
  Rke2ControlPlaneV1Beta1SpecFiles,
  Rke2ControlPlaneV1Beta1SpecPrivateRegistriesConfig,
  Rke2ControlPlaneV1Beta1SpecRegistrationMethod,
  Rke2ControlPlaneV1Beta1SpecRolloutStrategyRollingUpdateMaxSurge,
  Rke2ControlPlaneV1Beta1SpecServerConfigCni,
} from '../../imports/rke2controlplanes-controlplane.cluster.x-k8s.io';
import { ButaneConfig } from '../butane/butane-config';
import { ObjectReference, referenceTo } from '../core/object-reference';
import { CniServerConfig } from './cni';
import { METAL3_PROVIDER_ID_ARG } from './node-identity';
import { Rke2Version } from './rke2-version';

/** Props of {@link Rke2ControlPlane}. Values are validated by the cluster constructs. */
export interface Rke2ControlPlaneProps {
  /** Name of the RKE2ControlPlane (the cluster name). */
  readonly name: string;
  /** Number of control-plane machines. */
  readonly replicas: number;
  /** RKE2 release. */
  readonly version: Rke2Version;
  /** The machine template the control-plane machines are made from. */
  readonly machineTemplate: ObjectReference;
  /** CNI fields of `serverConfig`. */
  readonly cni: CniServerConfig;
  /** First-boot config, rendered at synth time into `agentConfig.additionalUserData.config`. */
  readonly userData: ButaneConfig;
  /** Extra machines during a rollout: 0 replaces in place (no spare host needed), 1 adds one first. */
  readonly maxSurge: 0 | 1;
  /**
   * Node name prefix (`agentConfig.nodeName`); the SUSE Edge flow sets `localhost.localdomain`
   * and names the node from the Metal3 metadata at first boot.
   * @default 'localhost.localdomain'
   */
  readonly nodeName?: string;
  /**
   * How nodes register with the cluster; `control-plane-endpoint` for a VIP.
   * @default - provider default (internal-first)
   */
  readonly registrationMethod?: 'control-plane-endpoint' | 'address' | 'internal-first';
  /**
   * Registration address when `registrationMethod` is `address`.
   * @default - none
   */
  readonly registrationAddress?: string;
  /**
   * Extra subject alternative names of the API server certificate.
   * @default - none (the provider always adds the control-plane endpoint)
   */
  readonly tlsSan?: string[];
  /**
   * Commands run before RKE2 is installed (`preRKE2Commands`), such as loading vfio-pci.
   * @default - none
   */
  readonly preRke2Commands?: string[];
  /**
   * Registry mirrors and credentials (`privateRegistriesConfig`), from an AirgapRegistryMirror.
   * @default - nodes pull from upstream registries
   */
  readonly privateRegistriesConfig?: Rke2ControlPlaneV1Beta1SpecPrivateRegistriesConfig;
  /**
   * Install RKE2 from the artifacts in the OS image (`agentConfig.airGapped`).
   * @default false
   */
  readonly airGapped?: boolean;
  /**
   * Files copied onto the nodes by the provider, for example from a Secret on the management cluster.
   * @default - none
   */
  readonly files?: Rke2ControlPlaneV1Beta1SpecFiles[];
}

/**
 * The `RKE2ControlPlane` (controlplane.cluster.x-k8s.io/v1beta1) of a Metal3 cluster: Ignition
 * bootstrap format with the Butane first-boot config, and kubelet's provider ID tied to the
 * BareMetalHost UUID.
 */
export class Rke2ControlPlane extends Construct {
  /** The generated API object. */
  public readonly apiObject: Rke2ControlPlaneV1Beta1;

  constructor(scope: Construct, id: string, props: Rke2ControlPlaneProps) {
    super(scope, id);
    const userData = props.userData;
    this.apiObject = new Rke2ControlPlaneV1Beta1(this, 'Resource', {
      metadata: { name: props.name },
      spec: {
        replicas: props.replicas,
        version: props.version.toString(),
        machineTemplate: { infrastructureRef: { ...props.machineTemplate } },
        ...(props.registrationMethod
          ? { registrationMethod: props.registrationMethod as Rke2ControlPlaneV1Beta1SpecRegistrationMethod }
          : {}),
        ...(props.registrationAddress ? { registrationAddress: props.registrationAddress } : {}),
        ...(props.preRke2Commands && props.preRke2Commands.length > 0
          ? { preRke2Commands: [...props.preRke2Commands] }
          : {}),
        ...(props.privateRegistriesConfig ? { privateRegistriesConfig: props.privateRegistriesConfig } : {}),
        ...(props.files && props.files.length > 0 ? { files: props.files } : {}),
        rolloutStrategy: {
          type: 'RollingUpdate',
          rollingUpdate: {
            maxSurge: Rke2ControlPlaneV1Beta1SpecRolloutStrategyRollingUpdateMaxSurge.fromNumber(props.maxSurge),
          },
        },
        serverConfig: {
          cni: props.cni.cni as Rke2ControlPlaneV1Beta1SpecServerConfigCni,
          ...(props.cni.cniMultusEnable ? { cniMultusEnable: true } : {}),
          ...(props.tlsSan && props.tlsSan.length > 0 ? { tlsSan: [...props.tlsSan] } : {}),
        },
        agentConfig: {
          ...(props.airGapped ? { airGapped: true } : {}),
          format: Rke2ControlPlaneV1Beta1SpecAgentConfigFormat.IGNITION,
          additionalUserData: { config: Lazy.any({ produce: () => userData.render() }) },
          kubelet: { extraArgs: [METAL3_PROVIDER_ID_ARG] },
          nodeName: props.nodeName ?? 'localhost.localdomain',
        },
      },
    });
  }

  /** Reference for `Cluster.spec.controlPlaneRef`. */
  public toObjectReference(): ObjectReference {
    return referenceTo(this.apiObject);
  }
}
